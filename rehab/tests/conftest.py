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


# Child rehabilitation assistance ---------------------------------------------------------

TODAY = datetime.date.today()
CAP_FEN = {"surgery": 2_000_000, "device": 1_000_000, "training": 2_400_000}


def years_ago(years: int, *, days: int = 0) -> datetime.date:
    """The day `years` years before today (28 February for 29 February), less `days`."""
    try:
        day = TODAY.replace(year=TODAY.year - years)
    except ValueError:
        day = TODAY.replace(year=TODAY.year - years, day=28)
    return day - datetime.timedelta(days=days)


@pytest.fixture
def standards(db):
    """This year's standards: each kind up to age 6, with its cap."""
    from rehab.models import ChildRehabStandard

    return {
        kind: ChildRehabStandard.objects.create(year=TODAY.year, kind=kind, cap_fen=cap, max_age=6)
        for kind, cap in CAP_FEN.items()
    }


@pytest.fixture
def institution(areas):
    return Provider.objects.create(name="蓬江区特殊儿童康复教育中心", area=areas["baisha"], serves_children=True)


@pytest.fixture
def child_of(users, areas):
    """A child registered by the officer of the area's town: uncertified, recorded by birth
    certificate unless an ID number is given."""
    from rehab.services_children import child_register

    counter = iter(range(1, 1000))

    def _child(area_key: str = "baisha_a", *, by: str = "officer", **fields):
        values = {
            "name": "林小雨",
            "gender": "F",
            "id_number": "",
            "birth_certificate": f"R44{next(counter):07d}",
            "birth_date": years_ago(3),
            "disability": "hearing",
            "diagnosis": "双耳极重度感音神经性耳聋",
            "guardian_name": "林志强",
            "guardian_phone": "13912345678",
            "area": areas[area_key],
        }
        values.update(fields)
        if values["id_number"]:  # the ID number gives the birth date
            values["birth_certificate"] = fields.get("birth_certificate", "")
            values["birth_date"] = fields.get("birth_date")
        return child_register(user=users[by], **values)

    return _child


@pytest.fixture
def placed(users, child_of, standards, institution):
    """A training application of a home-town child, approved at 12,000 元 and placed today."""
    from rehab.services_children import child_application_decide, child_application_place, child_apply

    def _placed(child=None, *, kind: str = "training", requested_fen: int = 1_200_000):
        child = child or child_of()
        application = child_apply(
            user=users["officer"],
            child=child,
            kind=kind,
            priority_group="dibao_tekun",
            applied_on=TODAY,
            requested_fen=requested_fen,
        )
        child_application_decide(user=users["reviewer"], application=application, approve=True)
        return child_application_place(
            user=users["reviewer"], application=application, institution=institution, placed_on=TODAY
        )

    return _placed
