import datetime

import pytest

from activities.models import Association
from activities.services import activity_create, participation_add
from conftest import make_person

TODAY = datetime.date.today()


def days_ago(days: int) -> datetime.date:
    """A past day of this year (Jan 1 at the earliest), so a year's figures hold it."""
    return max(TODAY - datetime.timedelta(days=days), datetime.date(TODAY.year, 1, 1))


@pytest.fixture
def make_activity(users, areas):
    """An activity by `by` (the home officer unless told): a town's 助残日 activity of 白沙
    five days ago by default."""

    def _make(*, by="officer", **fields):
        values = {
            "name": "白沙街道助残日活动",
            "kind": "town_day",
            "organiser": "town",
            "area": areas["baisha"],
            "starts_on": days_ago(5),
            "place": "白沙文化站",
        }
        values.update(fields)
        return activity_create(user=users[by], **values)

    return _make


@pytest.fixture
def activity(make_activity):
    return make_activity()


@pytest.fixture
def district_activity(make_activity):
    """The district's 助残日 launch: every town sees it and brings its persons."""
    return make_activity(
        by="admin", name="全国助残日主题活动", kind="disability_day", organiser="district", place="区残联"
    )


@pytest.fixture
def five_ones_activity(make_activity):
    """The district's 文化进家园 film show: taking part is the year's 看一次电影."""
    return make_activity(
        by="admin", name="无障碍电影专场", kind="five_ones", five_one="film", organiser="district", place="影院"
    )


@pytest.fixture
def join(users):
    def _join(activity, person, *, by="officer", **extra):
        return participation_add(user=users[by], activity=activity, person=person, **extra)

    return _join


@pytest.fixture
def neighbour(areas):
    """A second person of 白沙街道."""
    return make_person(areas["baisha_b"], name="王小明", sequence=125, category=1, grade=1)


@pytest.fixture
def association(db):
    return Association.objects.get(code="physical")
