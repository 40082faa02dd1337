"""Outreach's lines on the work list (我的待办): a visit's follow-up due within a week or
overdue until a later visit of the person, a need a visit raised until it is closed, and a
person on the living-alone watch due for a contact within a week or overdue (never
contacted: due today) until a contact is recorded — each for the town where the person
lives now, in a number of statements that does not grow with the data."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canlian.worklist import PAGE_SIZE, Worklist
from conftest import make_person
from outreach.models import VisitNeed
from outreach.services import need_close, visit_void
from outreach.watch import contact_record, filtered_watch
from registry.services import person_event_record, person_update

from .conftest import DAY, TODAY

KINDS = ("visit_follow_up", "need_open", "watch_contact")


def worklist(user, key):
    """The kind's (total, overdue) and its lines, as the kind's page reads them."""
    work = Worklist(user, TODAY, only=key)
    count = next((c.total, c.overdue) for c in work.counts if c.kind.key == key)
    return count, work.page_rows(0, 100)


def seen(user, key):
    """The kind's lines as (person, days to the date due), in the list's order."""
    return [(row.person.name, row.days) for row in worklist(user, key)[1]]


def flag_alone(*persons):
    for p in persons:
        p.lives_alone = True
        p.save(update_fields=["lives_alone"])


def contact(users, person, days_ago, by="officer"):
    return contact_record(user=users[by], person=person, contacted_on=TODAY - days_ago * DAY, method="phone")


# Follow-ups ---------------------------------------------------------------------------------


def test_a_follow_up_due_within_a_week_or_overdue_is_on_its_towns_list(users, areas, person, other_person, visit_for):
    visit_for(person, days_ago=20, follow_up_on=TODAY - 3 * DAY)
    later = make_person(areas["baisha_b"], name="王丽", sequence=131)
    visit_for(later, days_ago=2, follow_up_on=TODAY + 30 * DAY)  # not due yet
    visit_for(make_person(areas["baisha_b"], name="赵无约", sequence=133), days_ago=2)  # no follow-up
    visit_for(other_person, days_ago=5, by="other_officer", follow_up_on=TODAY + 4 * DAY)

    count, rows = worklist(users["officer"], "visit_follow_up")
    assert count == (1, 1)
    [row] = rows
    assert (row.person.name, row.due, row.overdue, row.days_overdue) == ("陈建国", TODAY - 3 * DAY, True, 3)
    assert row.line.description == f"{TODAY - 20 * DAY:%Y-%m-%d}走访时约定跟进，尚未再次走访"
    assert row.line.url == reverse("outreach:visit_create", args=[person.pk])
    assert worklist(users["other_officer"], "visit_follow_up")[0] == (1, 0)
    assert seen(users["other_officer"], "visit_follow_up") == [("李秀英", 4)]
    assert seen(users["admin"], "visit_follow_up") == [("陈建国", -3), ("李秀英", 4)]


def test_a_later_visit_is_the_follow_up_and_its_void_puts_the_line_back(users, person, visit_for):
    visit_for(person, days_ago=20, follow_up_on=TODAY - 3 * DAY)
    assert seen(users["officer"], "visit_follow_up") == [("陈建国", -3)]
    followed = visit_for(person, days_ago=1)
    assert worklist(users["officer"], "visit_follow_up") == ((0, 0), [])
    visit_void(user=users["officer"], visit=followed, reason="录错日期")
    assert seen(users["officer"], "visit_follow_up") == [("陈建国", -3)]


def test_the_follow_up_goes_with_a_person_who_moves_and_ends_with_their_death(users, areas, person, visit_for):
    visit_for(person, days_ago=20, follow_up_on=TODAY)
    person_update(user=users["admin"], person=person, data={"area": areas["hetang_b"]})
    assert worklist(users["officer"], "visit_follow_up") == ((0, 0), [])
    assert seen(users["other_officer"], "visit_follow_up") == [("陈建国", 0)]
    person.refresh_from_db()
    person_event_record(user=users["admin"], person=person, kind="death", date=TODAY - DAY)
    assert worklist(users["other_officer"], "visit_follow_up") == ((0, 0), [])


# Needs ----------------------------------------------------------------------------------------


def test_an_open_need_is_due_a_month_after_the_visit_on_its_towns_list_overdue_first(
    users, areas, person, other_person, visit_for
):
    visit_for(person, days_ago=10, needs=["medical"])
    visit_for(make_person(areas["baisha_b"], name="王丽", sequence=131), days_ago=40, needs=["housing", "employment"])
    visit_for(other_person, days_ago=5, by="other_officer", needs=["rehab"])

    count, rows = worklist(users["officer"], "need_open")
    assert count == (3, 2) and len(rows) == 3
    assert [(r.person.name, r.days, r.line.description) for r in rows] == [
        ("王丽", -10, f"{TODAY - 40 * DAY:%Y-%m-%d}走访发现就业需求，尚未办结"),
        ("王丽", -10, f"{TODAY - 40 * DAY:%Y-%m-%d}走访发现住房需求，尚未办结"),
        ("陈建国", 20, f"{TODAY - 10 * DAY:%Y-%m-%d}走访发现医疗需求，尚未办结"),
    ]
    medical = VisitNeed.objects.get(kind="medical")
    assert rows[-1].line.url == reverse("outreach:visit_detail", args=[medical.visit_id]) + "#h-needs"
    assert seen(users["other_officer"], "need_open") == [("李秀英", 25)]
    assert worklist(users["admin"], "need_open")[0] == (4, 2)


def test_a_closed_need_leaves_the_list(users, person, visit_for):
    visit_for(person, days_ago=10, needs=["medical", "living"])
    medical = VisitNeed.objects.get(kind="medical")
    need_close(user=users["officer"], need=medical, outcome="已联系家庭医生", closed_on=TODAY)
    count, rows = worklist(users["officer"], "need_open")
    assert count == (1, 0)
    assert [r.line.description for r in rows] == [f"{TODAY - 10 * DAY:%Y-%m-%d}走访发现生活需求，尚未办结"]


def test_a_need_follows_a_person_who_moves_to_the_new_towns_list(users, areas, person, visit_for):
    visit_for(person, days_ago=10, needs=["medical"])
    person_update(user=users["admin"], person=person, data={"area": areas["hetang_b"]})
    assert worklist(users["officer"], "need_open") == ((0, 0), [])
    assert seen(users["other_officer"], "need_open") == [("陈建国", 20)]


# The living-alone watch ---------------------------------------------------------------------


@pytest.fixture
def alone(areas, person, other_person):
    """Living alone: 陈建国 (白沙, grade 2: every 14 days), 周老伯 (白沙, 85: every 14 days),
    吴按期 (白沙, grade 4: every 30 days) and 李秀英 (荷塘, grade 3: every 30 days)."""
    old = make_person(areas["baisha_b"], name="周老伯", sequence=131, grade=4, birth=f"{TODAY.year - 85}0101")
    recent = make_person(areas["baisha_b"], name="吴按期", sequence=133, grade=4)
    flag_alone(person, other_person, old, recent)
    return {"person": person, "other": other_person, "old": old, "recent": recent}


def test_a_watch_contact_due_within_a_week_or_overdue_is_on_its_towns_list_overdue_first(users, alone):
    contact(users, alone["person"], 20)  # due 6 days ago
    contact(users, alone["recent"], 3)  # due in 27 days: not yet
    contact(users, alone["other"], 25, by="other_officer")  # due in 5 days
    count, rows = worklist(users["officer"], "watch_contact")
    assert count == (2, 1)
    assert [(r.person.name, r.due, r.line.description) for r in rows] == [
        ("陈建国", TODAY - 6 * DAY, f"独居（无人照料）关爱：上次联系 {TODAY - 20 * DAY:%Y-%m-%d}，应每 14 天联系一次"),
        ("周老伯", TODAY, "独居（无人照料）关爱：尚未联系过"),
    ]
    assert rows[0].line.url == reverse("outreach:contact_create", args=[alone["person"].pk])
    assert seen(users["other_officer"], "watch_contact") == [("李秀英", 5)]
    assert seen(users["admin"], "watch_contact") == [("陈建国", -6), ("周老伯", 0), ("李秀英", 5)]


def test_the_work_list_and_the_watch_page_list_the_same_persons(users, alone):
    contact(users, alone["person"], 20)
    contact(users, alone["recent"], 3)
    contact(users, alone["other"], 25, by="other_officer")
    for key in ("officer", "other_officer", "admin"):
        on_page = set()
        for state in ("overdue", "due_soon"):
            request = RequestFactory().get("/", {"state": state})
            request.user = users[key]
            on_page |= {p.name for p in filtered_watch(request)[0]}
        assert {name for name, _days in seen(users[key], "watch_contact")} == on_page, key


def test_a_contact_recorded_takes_the_person_off_and_a_person_off_the_watch_leaves(users, alone):
    contact(users, alone["person"], 20)
    contact(users, alone["recent"], 3)
    contact(users, alone["person"], 0)
    assert seen(users["officer"], "watch_contact") == [("周老伯", 0)]
    person_update(user=users["officer"], person=alone["old"], data={"lives_alone": False})
    assert worklist(users["officer"], "watch_contact") == ((0, 0), [])


# All three ------------------------------------------------------------------------------------


def lines_of_every_kind(users, areas, count: int, first_sequence: int, visit_for) -> None:
    """`count` persons of 白沙 (grade 2: a contact every 14 days), each with a line of each
    kind, all overdue, their dates due interleaving: a follow-up due 3i + 1 days ago, a need
    due 3i + 2 days ago and a watch contact due 3i + 3 days ago."""
    for i in range(count):
        p = make_person(areas["baisha_a"], name=f"关爱{first_sequence + i}", sequence=first_sequence + i)
        flag_alone(p)
        visit_for(p, days_ago=30 + 3 * i + 2, needs=["living"], follow_up_on=TODAY - (3 * i + 1) * DAY)
        contact(users, p, 14 + 3 * i + 3)


def test_each_kinds_count_matches_its_lines_and_the_other_town_has_none(users, areas, visit_for):
    lines_of_every_kind(users, areas, 3, 200, visit_for)
    counts = {c.kind.key: (c.total, c.overdue) for c in Worklist(users["officer"], TODAY).counts}
    assert {key: counts[key] for key in KINDS} == dict.fromkeys(KINDS, (3, 3))
    for key in KINDS:
        count, rows = worklist(users["officer"], key)
        assert len(rows) == count[0] == 3 and sum(r.overdue for r in rows) == count[1]
        assert worklist(users["other_officer"], key) == ((0, 0), [])


def statements(client, url: str) -> int:
    client.get(url)  # sessions, permissions and templates read once
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_pages_ask_the_same_statements_for_2_and_for_30_persons_a_kind(login, users, areas, visit_for):
    client = login(users["officer"])
    urls = [reverse("worklist:list"), *(reverse("worklist:kind", args=[key]) for key in KINDS)]
    lines_of_every_kind(users, areas, 2, 200, visit_for)
    small = [statements(client, url) for url in urls]
    kinds_small = {line.kind.key for line in Worklist(users["officer"], TODAY).page_rows(0, PAGE_SIZE)}
    lines_of_every_kind(users, areas, 28, 300, visit_for)
    large = [statements(client, url) for url in urls]
    shown = Worklist(users["officer"], TODAY).page_rows(0, PAGE_SIZE)
    assert kinds_small == {line.kind.key for line in shown} == set(KINDS) and len(shown) == PAGE_SIZE
    assert large == small


def test_the_list_page_shows_the_outreach_boxes_and_lines_in_words(login, users, areas, visit_for):
    lines_of_every_kind(users, areas, 1, 200, visit_for)
    html = login(users["officer"]).get(reverse("worklist:list")).content.decode()
    for label in ("走访待跟进", "走访需求待办结", "独居关爱待联系"):
        assert label in html
    assert "尚未再次走访" in html and "走访发现生活需求，尚未办结" in html and "应每 14 天联系一次" in html


def test_only_those_who_do_the_work_have_these_kinds(users):
    for key in ("officer", "other_officer", "admin"):
        assert set(KINDS) <= {k.key for k in Worklist(users[key], TODAY).kinds}, key
    for key in ("reviewer", "leader", "centre", "auditor"):
        assert not set(KINDS) & {k.key for k in Worklist(users[key], TODAY).kinds}, key
