"""Assessed children count in the rehabilitation coverage (有康复需求的残疾儿童和持证残疾人):
a child assessed with a need is in the indicator's base, certified or not, and is served
by a standing record of the year; a child linked to a person assessed as well is one
subject, served by either's records. The figures page reads the same rows. Runs on
PostgreSQL and SQLite (the view is one SQL for both)."""

import pytest

from conftest import make_person
from rehab.models import CoverageNeed
from rehab.selectors import town_figures
from rehab.services import need_assess
from rehab.services_children import child_assess, child_record, child_record_void
from targets.models import WHOLE_YEAR, IndicatorValue
from targets.services import indicators_refresh

from .conftest import TODAY, years_ago

DISTRICT, BAISHA, HETANG = "440703000000", "440703002000", "440703102000"


def coverage() -> dict[str, tuple[int, int]]:
    indicators_refresh(year=TODAY.year, keys=["rehab_coverage"])
    rows = IndicatorValue.objects.filter(indicator="rehab_coverage", year=TODAY.year, month=WHOLE_YEAR)
    return {v.area_code: (v.value, v.base) for v in rows}


def _assess_person(users, person, by="officer"):
    need_assess(user=users[by], person=person, year=TODAY.year, has_need=True, kinds=["physical"], assessed_on=TODAY)


def _assess_child(users, child, *, has_need=True, by="officer"):
    child_assess(user=users[by], child=child, year=TODAY.year, has_need=has_need, assessed_on=TODAY)


def _record(users, application, amount_fen=10_000):
    return child_record(
        user=users["officer"],
        application=application,
        served_on=TODAY,
        content="运动功能康复训练",
        amount_fen=amount_fen,
    )


def test_an_uncertified_child_assessed_with_a_need_counts_until_served(users, person, record_for, child_of, placed):
    _assess_person(users, person)
    record_for(person, days_ago=0)
    child = child_of()
    _assess_child(users, child)
    _assess_child(users, child_of(), has_need=False)  # no need: not in the base
    assert coverage()[BAISHA] == (1, 2)
    application = placed(child)
    record = _record(users, application)
    assert coverage()[BAISHA] == coverage()[DISTRICT] == (2, 2)
    child_record_void(user=users["officer"], record=record, reason="录错儿童")
    assert coverage()[BAISHA] == (1, 2)


def test_the_ninety_percent_figure_includes_the_children(users, areas, child_of, placed, standards):
    children = [child_of() for _ in range(10)]
    for child in children:
        _assess_child(users, child)
    for child in children[:9]:
        _record(users, placed(child))
    rows, total = town_figures(users["admin"], TODAY.year)
    baisha = {r.name: r for r in rows}["白沙街道"]
    assert (baisha.assessed_need, baisha.covered, baisha.coverage_percent, baisha.meets_target) == (10, 9, 90.0, True)
    assert (total.assessed_need, total.covered) == (10, 9)
    assert coverage()[DISTRICT] == (9, 10)


@pytest.fixture
def certified_child(areas):
    """A certified person of four (白沙), not yet a child of the assistance."""
    return make_person(areas["baisha_a"], name="林小雨", birth=f"{years_ago(4):%Y%m%d}", sequence=301, category=2)


def test_a_linked_child_assessed_twice_is_one_subject_served_by_either(users, certified_child, record_for, child_of):
    person = certified_child
    child = child_of(id_number=person.id_number, gender="M", name=person.name)
    assert child.person == person
    _assess_person(users, person)
    _assess_child(users, child)
    assert CoverageNeed.objects.filter(year=TODAY.year).count() == 2
    assert coverage()[BAISHA] == (0, 1)
    record_for(person, days_ago=0)  # a basic service of the registry serves the child too
    assert coverage()[BAISHA] == (1, 1)
    assert set(CoverageNeed.objects.values_list("served", flat=True)) == {True}


def test_a_linked_persons_need_is_served_by_the_childs_records(users, certified_child, child_of, placed):
    person = certified_child
    child = child_of(id_number=person.id_number, gender="M", name=person.name)
    _assess_person(users, person)
    _record(users, placed(child))
    assert coverage()[BAISHA] == (1, 1)


def test_each_town_counts_its_own_children(users, child_of, standards):
    _assess_child(users, child_of())
    _assess_child(users, child_of("hetang_a", by="other_officer"), by="other_officer")
    figures = coverage()
    assert (figures[BAISHA], figures[HETANG], figures[DISTRICT]) == ((0, 1), (0, 1), (0, 2))
    rows, _total = town_figures(users["officer"], TODAY.year)
    assert [(r.name, r.assessed_need) for r in rows] == [("白沙街道", 1)]


@pytest.mark.django_db
def test_a_childs_assessment_refreshes_the_coverage_after_commit(users, child_of, django_capture_on_commit_callbacks):
    child = child_of()
    with django_capture_on_commit_callbacks(execute=True):
        _assess_child(users, child)
    value = IndicatorValue.objects.get(indicator="rehab_coverage", year=TODAY.year, month=WHOLE_YEAR, area_code=BAISHA)
    assert (value.value, value.base) == (0, 1)
