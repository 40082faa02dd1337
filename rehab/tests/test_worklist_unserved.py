"""Persons assessed with a rehabilitation need this year and not yet served, on the work list
of whoever records services in their town: a basic service anywhere in the year, or a
child rehabilitation record of their linked child, takes them off (as the coverage
indicator counts them served); last year's assessment and an assessment without a need
never put them on."""

import datetime

from django.urls import reverse

from canlian.worklist import Worklist
from conftest import make_person
from rehab.services import need_assess, service_record_void
from rehab.services_children import child_record

from .conftest import TODAY, years_ago


def assess(users, person, *, by="officer", year=TODAY.year, has_need=True, kinds=("physical",), on=None):
    need_assess(
        user=users[by],
        person=person,
        year=year,
        has_need=has_need,
        kinds=list(kinds) if has_need else [],
        assessed_on=on or (TODAY if year == TODAY.year else datetime.date(year, 6, 1)),
    )


def unserved(user):
    work = Worklist(user, TODAY, only="rehab_unserved")
    count = next((c.total, c.overdue) for c in work.counts if c.kind.key == "rehab_unserved")
    return count, work.page_rows(0, 100)


def test_a_person_assessed_with_a_need_is_due_by_the_years_end_in_their_town_only(users, person, other_person):
    assess(users, person, kinds=("physical", "assistive"))
    assess(users, other_person, by="other_officer", kinds=("intellectual",))
    count, rows = unserved(users["officer"])
    assert count == (1, 0)
    [row] = rows
    assert (row.person.name, row.due, row.overdue) == ("陈建国", datetime.date(TODAY.year, 12, 31), False)
    assert row.line.description == f"{TODAY:%Y-%m-%d}评估有康复需求（肢体、辅助器具），本年度尚未接受康复服务"
    assert row.line.url == reverse("registry:person_detail", args=[person.pk]) + "#h-rehab"
    count, rows = unserved(users["other_officer"])
    assert count == (1, 0) and [r.person.name for r in rows] == ["李秀英"]
    count, rows = unserved(users["admin"])
    assert count == (2, 0) and len(rows) == 2


def test_a_service_in_the_year_anywhere_takes_the_person_off_and_its_void_puts_them_back(
    users, person, record_for, provider
):
    assess(users, person)
    record = record_for(person, days_ago=0)
    assert unserved(users["officer"]) == ((0, 0), [])
    service_record_void(user=users["officer"], record=record, reason="录错人")
    count, rows = unserved(users["officer"])
    assert count == (1, 0) and [r.person.name for r in rows] == ["陈建国"]


def test_no_need_or_last_years_need_is_no_work(users, areas, person):
    assess(users, person, has_need=False)
    older = make_person(areas["baisha_a"], name="王丽", sequence=131, certificate_issued=datetime.date(2015, 1, 1))
    assess(users, older, year=TODAY.year - 1)
    assert unserved(users["officer"]) == ((0, 0), [])


def test_a_child_rehabilitation_record_of_the_linked_child_counts_as_served(users, areas, child_of, placed):
    birth = years_ago(4)
    person = make_person(areas["baisha_a"], name="林小雨", birth=f"{birth:%Y%m%d}", sequence=301, category=2, grade=1)
    assess(users, person, kinds=("hearing_speech",))
    child = child_of(id_number=person.id_number, name=person.name, gender=person.gender)
    assert child.person_id == person.pk
    application = placed(child)
    assert unserved(users["officer"])[0] == (1, 0)
    child_record(user=users["officer"], application=application, served_on=TODAY, content="言语训练", amount_fen=10_000)
    assert unserved(users["officer"]) == ((0, 0), [])


def test_the_reviewer_and_the_leader_have_no_such_lines(users):
    for key in ("reviewer", "leader", "centre"):
        assert "rehab_unserved" not in {k.key for k in Worklist(users[key], TODAY).kinds}, key
