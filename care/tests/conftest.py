"""Care fixtures: a day-care centre in each town of the suite (白沙, the home town, whose
staff is the suite's centre staff user; 荷塘, the other), members enrolled by the district
administrator, and days on which the centres are open or closed."""

import datetime

import pytest

from care.models import Institution, InstitutionKind
from care.services.membership import enrolment_apply
from conftest import make_person

MONDAY_TO_FRIDAY = 0b0011111


def open_day(back: int = 1) -> datetime.date:
    """The `back`-th weekday (Monday–Friday) before today."""
    day = datetime.date.today()
    while back:
        day -= datetime.timedelta(days=1)
        if day.weekday() < 5:
            back -= 1
    return day


def closed_day() -> datetime.date:
    """The last Saturday before today."""
    day = datetime.date.today() - datetime.timedelta(days=1)
    while day.weekday() != 5:
        day -= datetime.timedelta(days=1)
    return day


ENROLLED = datetime.timedelta(days=60)


def make_centre(area, *, code: str, name: str, capacity: int = 10, **extra) -> Institution:
    fields = {"kind": InstitutionKind.CENTRE, "capacity": capacity, "open_days": MONDAY_TO_FRIDAY, **extra}
    return Institution.objects.create(code=code, name=name, area=area, **fields)


@pytest.fixture
def centre(areas, users):
    """白沙紫沙康园中心, where the suite's centre staff user works."""
    made = make_centre(areas["baisha"], code="KY0101", name="白沙紫沙康园中心")
    made.staff.add(users["centre"])
    return made


@pytest.fixture
def other_centre(areas):
    return make_centre(areas["hetang"], code="KY0501", name="荷塘塔岗康园中心")


@pytest.fixture
def enrol(users):
    """Enrol `person` at `institution` (by the district administrator unless `by`)."""

    def _enrol(person, institution, *, started_on=None, by="admin", **extra):
        started_on = started_on or datetime.date.today() - ENROLLED
        return enrolment_apply(user=users[by], institution=institution, person=person, started_on=started_on, **extra)

    return _enrol


@pytest.fixture
def member(person, centre, enrol):
    """The home person (陈建国, grade 2 physical: admitted by grade), a member of the centre."""
    return enrol(person, centre)


@pytest.fixture
def other_member(other_person, other_centre, enrol):
    """The other person (李秀英, intellectual), a member of the other centre."""
    return enrol(other_person, other_centre)


@pytest.fixture
def baisha_person(areas):
    """Another 白沙 person who may enrol (mental, grade 3, 30 years old)."""

    def _make(name: str, sequence: int, **extra):
        fields = {"birth": "19960505", "category": 6, "grade": 3, **extra}
        return make_person(areas["baisha_b"], name=name, sequence=sequence, **fields)

    return _make
