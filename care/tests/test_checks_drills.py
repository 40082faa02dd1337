"""Reopening checks and drills: a checklist decides whether an institution may reopen, a
checklist dated in the future or of an institution outside the scope is refused, drills
record who took part, and the readiness page shows each user their institutions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from canlian.models import AuditEntry
from canlian.scoping import OutOfScope
from care import selectors_places
from care.models import CheckItem, Drill, ReopenCheck
from care.panels_places import timeline_places
from care.services.places import check_record, drill_record

TODAY = datetime.date.today()


def all_done(value=True):
    return {item.pk: value for item in CheckItem.objects.filter(is_active=True)}


def test_the_seed_checklist_items_are_data(db):
    sections = set(CheckItem.objects.values_list("section", flat=True))
    assert {"drill", "supplies", "procedure"} <= sections


def test_an_institution_is_ready_when_its_latest_checklist_is_complete(users, centre):
    assert not selectors_places.is_ready(centre)
    first = CheckItem.objects.first()
    check_record(
        user=users["officer"], institution=centre, checked_on=TODAY - datetime.timedelta(days=5), done=all_done()
    )
    assert selectors_places.is_ready(centre)
    # A later checklist with an item not done: not ready any more, whatever came before.
    done = all_done()
    done[first.pk] = False
    later = check_record(user=users["officer"], institution=centre, checked_on=TODAY, done=done, result="消毒用品不足")
    assert not later.complete
    assert not selectors_places.is_ready(centre)
    state = selectors_places.institution_states(users["admin"]).get(pk=centre.pk)
    assert selectors_places.state_label(state) == "暂不具备开放条件"
    assert later.items.get(item=first).done is False
    entry = AuditEntry.objects.filter(action="care.check.recorded").latest("id")
    assert entry.data["not_done"] == [first.title]


def test_a_checklist_in_the_future_is_refused_and_writes_nothing(users, centre):
    with pytest.raises(ValidationError, match="检查日期不能晚于今天"):
        check_record(
            user=users["officer"], institution=centre, checked_on=TODAY + datetime.timedelta(days=1), done=all_done()
        )
    assert not ReopenCheck.objects.exists()


def test_a_checklist_with_an_item_unanswered_is_refused(users, centre):
    done = all_done()
    item = CheckItem.objects.first()
    del done[item.pk]
    with pytest.raises(ValidationError, match=item.title):
        check_record(user=users["officer"], institution=centre, checked_on=TODAY, done=done)
    assert not ReopenCheck.objects.exists()


@pytest.mark.parametrize("who", ["other_officer", "centre"])
def test_a_checklist_of_an_institution_outside_the_scope_is_refused(users, centre, other_centre, who):
    target = centre if who == "other_officer" else other_centre
    with pytest.raises(OutOfScope):
        check_record(user=users[who], institution=target, checked_on=TODAY, done=all_done())
    assert not ReopenCheck.objects.exists()


def test_the_page_answers_404_for_an_institution_outside_the_scope(client, users, centre):
    client.force_login(users["other_officer"])
    response = client.post(reverse("care:check_add", args=[centre.pk]), {"checked_on": f"{TODAY:%Y-%m-%d}"})
    assert response.status_code == 404
    assert not ReopenCheck.objects.exists()


def test_the_form_saves_a_checklist_and_refuses_a_future_day_in_chinese(client, users, centre):
    client.force_login(users["centre"])
    url = reverse("care:check_add", args=[centre.pk])
    items = {f"item_{pk}": "1" for pk in all_done()}
    future = client.post(url, {"checked_on": f"{TODAY + datetime.timedelta(days=2):%Y-%m-%d}", **items})
    assert future.status_code == 400
    assert "检查日期不能晚于今天" in future.content.decode()
    assert not ReopenCheck.objects.exists()
    saved = client.post(url, {"checked_on": f"{TODAY:%Y-%m-%d}", "result": "合格", **items})
    assert saved.status_code == 302
    check = ReopenCheck.objects.get()
    assert check.complete and check.checked_by == users["centre"]


def test_the_readiness_page_shows_each_user_their_institutions(client, users, centre, other_centre):
    check_record(user=users["admin"], institution=centre, checked_on=TODAY, done=all_done())
    check_record(user=users["admin"], institution=other_centre, checked_on=TODAY, done=all_done(False))
    pages = {}
    for who in ("admin", "officer", "centre", "leader"):
        client.force_login(users[who])
        response = client.get(reverse("care:readiness"))
        assert response.status_code == 200
        pages[who] = response.content.decode()
    assert centre.name in pages["admin"] and other_centre.name in pages["admin"]
    assert "可以开放" in pages["admin"] and "暂不具备开放条件" in pages["admin"]
    for who in ("officer", "centre"):
        assert centre.name in pages[who] and other_centre.name not in pages[who]
    client.force_login(users["admin"])
    export = client.get(reverse("care:readiness_export"))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_drill_records_its_members_and_staff(users, centre, member, other_person, person):
    drill = drill_record(
        user=users["centre"],
        institution=centre,
        held_on=TODAY,
        topic="消防疏散演练",
        member_ids=[person.pk],
        staff_ids=[users["centre"].pk],
    )
    assert list(drill.members.all()) == [person]
    assert list(drill.staff.all()) == [users["centre"]]
    entries = [e for e in timeline_places(person, users["officer"]) if e.kind == "care_drill"]
    assert [e.title for e in entries] == [f"参加应急演练：{centre.name}"]


def test_a_drill_refuses_a_non_member_a_stranger_and_the_future(users, centre, member, other_person, person):
    with pytest.raises(ValidationError, match="不是该机构"):
        drill_record(user=users["admin"], institution=centre, held_on=TODAY, topic="演练", member_ids=[other_person.pk])
    with pytest.raises(ValidationError, match="不属于该机构"):
        drill_record(
            user=users["admin"], institution=centre, held_on=TODAY, topic="演练", staff_ids=[users["admin"].pk]
        )
    with pytest.raises(ValidationError, match="演练日期不能晚于今天"):
        drill_record(
            user=users["admin"],
            institution=centre,
            held_on=TODAY + datetime.timedelta(days=1),
            topic="演练",
            member_ids=[person.pk],
        )
    assert not Drill.objects.exists()


def test_the_institution_page_names_only_members_in_scope(client, users, centre, member, person):
    drill_record(user=users["admin"], institution=centre, held_on=TODAY, topic="防疫演练", member_ids=[person.pk])
    client.force_login(users["officer"])
    page = client.get(reverse("care:institution_checks", args=[centre.pk])).content.decode()
    assert "防疫演练" in page and person.name in page
    client.force_login(users["other_officer"])
    assert client.get(reverse("care:institution_checks", args=[centre.pk])).status_code == 404
