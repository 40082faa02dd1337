"""Workshop fixtures: a workshop in each town of the suite (杜阮-style 白沙 workshop, whose
staff is the suite's centre staff user; a 荷塘 one), with a project and a product, and
members joined by the district administrator three months ago."""

import datetime

import pytest

from benefits.months import add_months
from conftest import make_person
from workshops.models import Product, ProjectKind, Workshop
from workshops.services import membership_start

TODAY = datetime.date.today()
THIS_MONTH = TODAY.replace(day=1)
LAST_MONTH = add_months(THIS_MONTH, -1)
JOINED = add_months(THIS_MONTH, -3)


def make_workshop(area, *, code: str, name: str) -> Workshop:
    workshop = Workshop.objects.create(code=code, name=name, area=area)
    workshop.projects.create(name="益杯咖啡", kind=ProjectKind.CAFE)
    return workshop


@pytest.fixture
def workshop(areas, users):
    made = make_workshop(areas["baisha"], code="CJ01", name="白沙就业爱心车间")
    made.staff.add(users["centre"])
    return made


@pytest.fixture
def other_workshop(areas):
    return make_workshop(areas["hetang"], code="CJ02", name="荷塘辅助性就业车间")


@pytest.fixture
def product(workshop):
    return Product.objects.create(
        workshop=workshop, project=workshop.projects.get(), name="挂耳咖啡", unit="盒", price_fen=2500, stock=10
    )


@pytest.fixture
def members(workshop, users, areas):
    """Three members of the 白沙 workshop since three months ago."""
    made = []
    for name, sequence in (("陈建国", 601), ("李伟", 603), ("黄丽", 602)):
        person = make_person(areas["baisha_a"], name=name, sequence=sequence)
        made.append(membership_start(user=users["admin"], workshop=workshop, person=person, started_on=JOINED))
    return made


@pytest.fixture
def other_member(other_workshop, users, other_person):
    return membership_start(user=users["admin"], workshop=other_workshop, person=other_person, started_on=JOINED)
