"""The living-alone watch: the list is the registry's flag read live (a death, a move or a
new flag shows at once), each person's interval follows the rule's parameters, the last
contact gives the next due day and the overdue, and a contact for a person not on the list
is refused."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from python_calamine import CalamineWorkbook

from canlian.models import AuditEntry
from conftest import make_person
from outreach.models import WatchAssignment, WatchContact, WatchRule
from outreach.watch import contact_record, filtered_watch, person_watch, watch_assign, watched
from registry.services import person_event_record, person_update

from .conftest import DAY, TODAY


@pytest.fixture
def alone(areas, person, other_person):
    """陈建国 (白沙, grade 2: the short interval) and 李秀英 (荷塘, grade 3) live alone; a
    third person of 白沙 (grade 4, 85 years old: the short interval) too; one more of 白沙
    is not flagged."""
    for p in (person, other_person):
        p.lives_alone = True
        p.save(update_fields=["lives_alone"])
    old = make_person(areas["baisha_b"], name="周老伯", sequence=131, grade=4, birth=f"{TODAY.year - 85}0101")
    old.lives_alone = True
    old.save(update_fields=["lives_alone"])
    make_person(areas["baisha_b"], name="王有家", sequence=133)
    return {"person": person, "other": other_person, "old": old}


def names(user) -> set[str]:
    return set(watched(user).values_list("name", flat=True))


def contact(users, person, days_ago, by="officer", method="phone"):
    return contact_record(user=users[by], person=person, contacted_on=TODAY - days_ago * DAY, method=method)


def test_the_list_is_the_registrys_flag_in_the_users_scope(users, alone):
    assert names(users["officer"]) == {"陈建国", "周老伯"}
    assert names(users["other_officer"]) == {"李秀英"}
    assert names(users["admin"]) == {"陈建国", "周老伯", "李秀英"}


def test_a_death_or_a_move_or_a_new_flag_changes_the_list_the_same_day(users, areas, alone):
    person_event_record(user=users["officer"], person=alone["old"], kind="death", date=TODAY)
    person_update(user=users["admin"], person=alone["person"], data={"area": areas["hetang_b"]})
    newcomer = make_person(areas["baisha_a"], name="吴新独居", sequence=137)
    person_update(user=users["officer"], person=newcomer, data={"lives_alone": True})
    assert names(users["officer"]) == {"吴新独居"}
    assert names(users["other_officer"]) == {"李秀英", "陈建国"}


def test_the_interval_is_shorter_for_a_severe_grade_or_old_age_and_follows_the_rule(users, alone):
    contact(users, alone["person"], 20)
    contact(users, alone["other"], 20, by="other_officer")
    severe, normal = person_watch(alone["person"]), person_watch(alone["other"])
    assert (severe.interval, severe.due, severe.overdue_days, severe.is_overdue) == (14, TODAY - 6 * DAY, 6, True)
    assert (normal.interval, normal.due, normal.is_overdue) == (30, TODAY + 10 * DAY, False)
    assert person_watch(alone["old"]).interval == 14
    never = person_watch(alone["old"])
    assert (never.last, never.due, never.is_overdue) == (None, TODAY, True)
    WatchRule.objects.update(interval_days=15, short_interval_days=7, severe_grade=1, elderly_age=90)
    assert person_watch(alone["person"]).interval == 15
    assert person_watch(alone["old"]).interval == 15
    assert person_watch(alone["other"]).is_overdue


def request_for(user, **params):
    request = RequestFactory().get("/", params)
    request.user = user
    return request


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("overdue", {"陈建国", "周老伯"}),
        ("never", {"周老伯"}),
        ("due_soon", {"李秀英"}),
        ("", {"陈建国", "周老伯", "李秀英"}),
    ],
)
def test_the_filters_pick_the_overdue_the_never_contacted_and_those_due_soon(users, alone, state, expected):
    contact(users, alone["person"], 20)
    contact(users, alone["other"], 25, by="other_officer")  # due in 5 days
    persons, _form, _rule = filtered_watch(request_for(users["admin"], state=state))
    assert {p.name for p in persons} == expected


def test_a_contact_for_a_person_not_on_the_watch_list_is_refused(users, areas, alone):
    not_alone = make_person(areas["baisha_b"], name="郑有照料", sequence=139)
    with pytest.raises(ValidationError) as refused:
        contact(users, not_alone, 1)
    assert refused.value.messages == ["该人员不在独居（无人照料）关爱名单内，不能登记联系记录"]
    person_event_record(user=users["officer"], person=alone["old"], kind="death", date=TODAY - 3 * DAY)
    with pytest.raises(ValidationError, match="不在独居（无人照料）关爱名单内"):
        contact(users, alone["old"], 5)
    assert not WatchContact.objects.exists()


@pytest.mark.parametrize(("days", "message"), [(-1, "联系日期不能晚于今天")])
def test_a_contact_in_the_future_is_refused(users, alone, days, message):
    with pytest.raises(ValidationError) as refused:
        contact(users, alone["person"], days)
    assert refused.value.messages == [message]


def test_another_town_cannot_record_a_contact_and_a_leader_never_does(users, alone):
    with pytest.raises(Http404):
        contact(users, alone["person"], 1, by="other_officer")
    with pytest.raises(PermissionDenied):
        contact(users, alone["person"], 1, by="leader")
    with pytest.raises(ValidationError, match="请勿重复登记"):
        contact(users, alone["person"], 1)
        contact(users, alone["person"], 1)
    assert WatchContact.objects.count() == 1


def test_the_responsible_worker_is_named_within_the_scope(users, areas, alone):
    assignment = watch_assign(user=users["officer"], person=alone["person"], worker=users["officer"])
    assert (assignment.worker, assignment.area_code) == (users["officer"], alone["person"].area_id)
    assert AuditEntry.objects.filter(action="outreach.watch.assigned").count() == 1
    with pytest.raises(ValidationError, match="不是您辖区或区残联的在职工作人员"):
        watch_assign(user=users["officer"], person=alone["person"], worker=users["other_officer"])
    not_alone = make_person(areas["baisha_b"], name="郑有照料", sequence=139)
    with pytest.raises(ValidationError, match="不在独居（无人照料）关爱名单内"):
        watch_assign(user=users["officer"], person=not_alone, worker=users["officer"])
    with pytest.raises(Http404):
        watch_assign(user=users["other_officer"], person=alone["person"], worker=users["other_officer"])
    assert WatchAssignment.objects.get().worker == users["officer"]


def test_the_list_page_and_its_export_show_last_contact_next_due_and_overdue(client, users, alone):
    contact(users, alone["person"], 20)
    watch_assign(user=users["officer"], person=alone["person"], worker=users["officer"])
    client.force_login(users["officer"])
    page = client.get(reverse("outreach:watch_list")).content.decode()
    assert "共 2 人，已逾期 <strong>2</strong> 人（其中尚未联系 1 人）" in page
    assert "逾期 6 天" in page and "尚未联系" in page and "李秀英" not in page
    response = client.get(reverse("outreach:watch_export"), {"state": "overdue"})
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = book.get_sheet_by_name("独居关爱名单").to_python()
    by_name = {row[2]: row for row in rows[1:]}
    assert set(by_name) == {"陈建国", "周老伯"}
    chen = by_name["陈建国"]
    assert chen[9] == "测试officer" and chen[10] == 14 and chen[13] == 6
    assert chen[11] == TODAY - 20 * DAY and chen[12] == TODAY - 6 * DAY
    assert by_name["周老伯"][11] in ("", None)


def test_a_contact_from_the_page_and_its_refusal(client, users, areas, alone):
    client.force_login(users["officer"])
    url = reverse("outreach:contact_create", args=[alone["person"].pk])
    response = client.post(url, {"contacted_on": TODAY.isoformat(), "method": "visit", "note": "身体尚好"})
    assert response.status_code == 302
    assert WatchContact.objects.get().note == "身体尚好"
    not_alone = make_person(areas["baisha_b"], name="郑有照料", sequence=139)
    response = client.post(
        reverse("outreach:contact_create", args=[not_alone.pk]), {"contacted_on": TODAY.isoformat(), "method": "phone"}
    )
    assert response.status_code == 400
    assert "该人员不在独居（无人照料）关爱名单内" in response.content.decode()
    assert WatchContact.objects.count() == 1
    page = client.get(reverse("registry:person_detail", args=[alone["person"].pk])).content.decode()
    assert "独居（无人照料）关爱" in page and "上门探访" in page


def test_the_on_time_share_counts_the_watched_contacted_within_their_interval(users, alone):
    from targets.models import WHOLE_YEAR, IndicatorValue
    from targets.services import indicators_refresh

    contact(users, alone["person"], 3)
    contact(users, alone["other"], 40, by="other_officer")
    indicators_refresh(year=TODAY.year, keys=["outreach_watch_on_time"])
    values = {
        (v.area_code, v.month): (v.value, v.base)
        for v in IndicatorValue.objects.filter(indicator="outreach_watch_on_time", year=TODAY.year)
    }
    assert values[("440703002000", WHOLE_YEAR)] == (1, 2)
    assert values[("440703102000", WHOLE_YEAR)] == (0, 1)
    assert values[("440703000000", WHOLE_YEAR)] == (1, 3)
