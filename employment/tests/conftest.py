import datetime

import pytest

from conftest import make_person
from employment import services
from employment.models import ServicePoint

TODAY = datetime.date.today()


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture
def point(db):
    return ServicePoint.objects.get(code="JY01")


@pytest.fixture
def make_course(users, point):
    def _make(**fields):
        values = {
            "name": "电子商务运营实务",
            "provider": "蓬江区职业技能培训中心",
            "point": point,
            "starts_on": days_ago(30),
            "ends_on": days_ago(10),
            "capacity": 3,
        }
        values.update(fields)
        return services.course_create(user=users["admin"], **values)

    return _make


@pytest.fixture
def course(make_course):
    return make_course()


@pytest.fixture
def neighbour(areas):
    """A second person of 白沙街道."""
    return make_person(areas["baisha_b"], name="王小明", sequence=125, category=1, grade=1)


@pytest.fixture
def apply(users, point):
    def _apply(person, *, by="officer", head=None, **fields):
        values = {
            "head_name": person.name,
            "head_id_number": head or person.id_number,
            "household_size": 3,
            "kind": "startup",
            "business": "网店经营",
            "applied_on": days_ago(20),
            "point": point,
        }
        values.update(fields)
        return services.startup_apply(user=users[by], person=person, **values)

    return _apply
