"""A year of the nursing subsidy (护理补贴) in two towns, paid through the real payroll:

- 陈建国 (白沙, the officer's town) is paid January and February in 白沙, then moves to 荷塘
  and is paid March there;
- 李秀英 (荷塘) dies on 15 February: paid January and February (the month of death is
  paid), not from March;
- April's batch is generated but left a draft: nothing of it is paid;
- 王小明 (白沙) is a certificate holder with no subsidy.

The year is last year, so every month of it can be paid whenever the suite runs.
"""

import datetime

import pytest

from benefits.models import Award, PayrollBatch, Scheme
from benefits.payroll import payroll_approve, payroll_generate
from conftest import kept_for_the_class, make_people, make_person
from registry.services import person_event_record, person_update

YEAR = datetime.date.today().year - 1
NURSING_FEN = 28000 if YEAR >= 2025 else 24300  # benefits 0002: the month's rate


def month(number: int) -> datetime.date:
    return datetime.date(YEAR, number, 1)


@pytest.fixture
def paid_year(users, areas, person, other_person):
    return make_paid_year(users, areas, person, other_person)


def make_paid_year(users, areas, person, other_person) -> dict:
    nursing = Scheme.objects.get(code="nursing")
    admin, reviewer = users["admin"], users["reviewer"]
    for who in (person, other_person):
        Award.objects.create(
            person=who, scheme=nursing, area_code=who.area_id, start_month=month(1), source=Award.Source.IMPORT
        )
    person_event_record(user=admin, person=other_person, kind="death", date=datetime.date(YEAR, 2, 15))
    bystander = make_person(areas["baisha_b"], name="王小明", sequence=125, category=1, grade=4)

    def pay(number: int, *, approve: bool = True) -> PayrollBatch:
        batch = payroll_generate(scheme=nursing, month=month(number), user=admin)
        return payroll_approve(batch=batch, user=reviewer, version=batch.version) if approve else batch

    pay(1)
    pay(2)
    person_update(user=admin, person=person, data={"area": areas["hetang_b"]})
    pay(3)
    draft = pay(4, approve=False)
    assert draft.person_count == 1  # generated, holds April, not paid
    return {"person": person, "other_person": other_person, "bystander": bystander, "draft": draft}


@pytest.fixture
def computed(paid_year, areas):
    """The figures of last year and this year computed, the seed's district targets and a
    target of 白沙 set."""
    return make_computed(paid_year, areas)


@pytest.fixture(scope="class")
def computed_kept(django_db_setup, django_db_blocker):
    """`computed` made once for a class whose tests only read it (or change it in their
    own savepoint), with its areas, users and persons (`conftest.taken_from`)."""
    with kept_for_the_class(django_db_blocker):
        people = make_people()
        yield {**people, "computed": make_computed(make_paid_year(**people), people["areas"])}


def make_computed(paid_year, areas) -> dict:
    from targets.models import Target
    from targets.services import indicators_refresh, seed_targets

    this_year = datetime.date.today().year
    for year in (YEAR, this_year):
        indicators_refresh(year=year)
        seed_targets(year=year)
    Target.objects.create(year=YEAR, indicator="nursing_recipients", area=areas["baisha"], value=4)
    return paid_year


def personal_strings(*persons) -> list[str]:
    """What would identify a person on a page or in a workbook."""
    found = []
    for person in persons:
        found += [person.name, person.id_number, person.id_number[-4:], person.certificate_number, person.phone]
    return found
