"""The employment figures: a person's status on any day from the dated events, the employed
share of working-age persons for a month (selector and indicator), free training completed
and the households supported in the year (indicators, computed by targets)."""

import datetime

from conftest import make_person
from employment import services
from employment.models import EmploymentEvent
from employment.selectors import employed_share, working_age_status
from targets.models import WHOLE_YEAR, IndicatorValue
from targets.services import indicators_refresh

from .conftest import TODAY, days_ago

DISTRICT, BAISHA, HETANG = "440703000000", "440703002000", "440703102000"


def values(key: str) -> dict:
    return {
        (v.area_code, v.month): (v.value, v.base) for v in IndicatorValue.objects.filter(indicator=key, year=TODAY.year)
    }


def test_the_status_on_a_day_is_the_latest_event_before_it(person, point, users):
    officer = users["officer"]
    services.status_record(user=officer, person=person, status="seeking", changed_on=days_ago(60), point=point)
    services.status_record(user=officer, person=person, status="employed", changed_on=days_ago(10), point=point)
    voided = services.status_record(user=officer, person=person, status="unable", changed_on=days_ago(5), point=point)
    services.record_discard(user=officer, record=voided, reason="录错")
    status = {d: working_age_status(d).get(pk=person.pk).employment_status for d in (days_ago(61), days_ago(30), TODAY)}
    assert status == {days_ago(61): None, days_ago(30): "seeking", TODAY: "employed"}


def test_the_employed_share_of_a_month_per_town(person, other_person, areas, point, users):
    old = make_person(areas["baisha_b"], name="老人", birth="19500101", sequence=127)
    child = make_person(areas["baisha_b"], name="少年", birth=f"{TODAY.year - 10}0101", sequence=128)
    services.status_record(user=users["officer"], person=person, status="employed", changed_on=days_ago(3), point=point)
    services.status_record(user=users["officer"], person=old, status="employed", changed_on=days_ago(3), point=point)
    services.status_record(
        user=users["other_officer"], person=other_person, status="seeking", changed_on=days_ago(3), point=point
    )
    towns, total, _ = employed_share(users["admin"], TODAY)
    by_town = {t.code: (t.persons, t.recorded, t.employed, t.share) for t in towns}
    # The 75-year-old and the child are outside 16–59.
    assert by_town == {BAISHA[:9]: (1, 1, 1, 100.0), HETANG[:9]: (1, 1, 0, 0.0)}
    assert (total.persons, total.employed, total.share) == (2, 1, 50.0)
    # A month before the events: nobody recorded.
    earlier = TODAY.replace(day=1) - datetime.timedelta(days=40)
    _, before, _ = employed_share(users["admin"], earlier)
    assert (before.persons, before.recorded, before.employed) == (2, 0, 0)
    # A town officer reads their town only.
    towns, _, _ = employed_share(users["officer"], TODAY)
    assert [t.code for t in towns] == [BAISHA[:9]]
    assert old.pk and child.pk and EmploymentEvent.objects.count() == 3


def test_the_indicators(course, make_course, person, other_person, neighbour, apply, point, users):
    for p, by in ((person, "officer"), (other_person, "other_officer"), (neighbour, "officer")):
        enrolment = services.enrol(user=users[by], course=course, person=p, enrolled_on=days_ago(35))
        if p != neighbour:
            services.enrolment_complete(user=users[by], enrolment=enrolment, completed_on=days_ago(10))
    paid = make_course(name="收费课程", free=False, fee_fen=50000)
    enrolment = services.enrol(user=users["officer"], course=paid, person=neighbour, enrolled_on=days_ago(35))
    services.enrolment_complete(user=users["officer"], enrolment=enrolment, completed_on=days_ago(10))
    services.startup_review(user=users["reviewer"], support=apply(person), approve=True)
    services.status_record(user=users["officer"], person=person, status="employed", changed_on=days_ago(3), point=point)
    keys = ["employment_trained", "employment_startup_households", "employment_employed_share"]
    indicators_refresh(year=TODAY.year, keys=keys)
    trained, households, share = (values(k) for k in keys)
    assert trained[(DISTRICT, WHOLE_YEAR)][0] == 2  # the paid course does not count
    assert (trained[(BAISHA, WHOLE_YEAR)][0], trained[(HETANG, WHOLE_YEAR)][0]) == (1, 1)
    assert households[(DISTRICT, WHOLE_YEAR)][0] == 1
    assert share[(DISTRICT, WHOLE_YEAR)] == (1, 3)
