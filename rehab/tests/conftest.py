import datetime

import pytest

from rehab.models import ItemKind, Provider, RehabItem
from rehab.services import service_record

DAY = datetime.timedelta(days=1)


@pytest.fixture
def item(db):
    """An item of the migrated catalogue (rehab 0002)."""
    return RehabItem.objects.get(code="KF09", name="运动功能训练", kind=ItemKind.PHYSICAL)


@pytest.fixture
def other_item(db):
    return RehabItem.objects.get(code="KF22", name="精神障碍社区康复训练", kind=ItemKind.MENTAL)


@pytest.fixture
def provider(areas):
    return Provider.objects.create(name="蓬江区残疾人康复中心", area=areas["baisha"])


@pytest.fixture
def record_for(users, item, provider):
    """A record of `person` by the officer of their town, `days_ago` days back."""

    def _record(person, *, days_ago: int = 10, by: str = "officer", **extra):
        fields = {
            "item": item,
            "provider": provider,
            "served_on": datetime.date.today() - days_ago * DAY,
            "sessions": 4,
            "note": "",
        }
        fields.update(extra)
        return service_record(user=users[by], person=person, **fields)

    return _record
