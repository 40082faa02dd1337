"""Boarding and home care placements: who may be placed, one placement of a kind at a time,
and the monthly subsidy through benefits — paid once a month by the payroll, and a placed
person without an award listed as 应享未享."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from benefits.models import Award, PaymentMonth, Scheme
from benefits.payroll import payroll_generate
from benefits.selectors import eligible_not_receiving, eligible_persons, receiving_not_eligible
from canlian.models import AuditEntry
from canlian.scoping import OutOfScope
from care.models import Institution, InstitutionKind, Placement
from care.panels_places import timeline_places
from care.services.places import placement_create, placement_end
from conftest import make_person
from registry.models import EventKind, Person
from registry.services import person_event_record

D = datetime.date
TODAY = datetime.date.today()
START = D(2025, 1, 6)


@pytest.fixture
def scheme(db):
    return Scheme.objects.get(code="care_placement")


@pytest.fixture
def boarding(areas):
    return Institution.objects.create(
        code="JS0101", name="蓬江区寄宿托养中心", kind=InstitutionKind.BOARDING, area=areas["baisha"], capacity=40
    )


@pytest.fixture
def place(users, boarding):
    def _place(person, *, kind="boarding", started_on=START, by="officer", **extra):
        if kind == "boarding":
            extra.setdefault("institution", boarding)
        else:
            extra.setdefault("provider", "康乐居家养护服务社")
        return placement_create(user=users[by], person=person, kind=kind, started_on=started_on, **extra)

    return _place


def test_the_scheme_is_monthly_with_its_rule_and_a_rate_per_kind(scheme):
    assert (scheme.kind, scheme.rule) == ("monthly", "care_placement")
    assert set(scheme.rates.values_list("variant", flat=True)) == {"寄宿型托养", "居家养护"}


def test_a_person_not_of_grade_one_or_two_is_refused_in_chinese(users, areas, place):
    grade_three = make_person(areas["baisha_a"], name="黄三级", sequence=301, grade=3)
    with pytest.raises(ValidationError, match="只安置一、二级重度残疾人"):
        place(grade_three)
    assert not Placement.objects.exists()


def test_a_second_overlapping_placement_of_the_same_kind_is_refused(users, person, place):
    place(person)
    with pytest.raises(ValidationError, match="已有进行中的寄宿型托养安置|时间重叠"):
        place(person, started_on=D(2025, 3, 1))
    # Home care is another kind: it may run beside boarding care.
    place(person, kind="home", started_on=D(2025, 3, 1))
    assert Placement.objects.count() == 2


def test_an_ended_placement_overlapped_by_a_new_one_is_refused_but_a_later_one_is_not(users, person, place):
    first = place(person, kind="home", started_on=D(2024, 1, 1))
    placement_end(user=users["officer"], placement=first, ended_on=D(2024, 6, 30), reason="转入寄宿")
    with pytest.raises(ValidationError, match="时间重叠"):
        place(person, kind="home", started_on=D(2024, 6, 1))
    place(person, kind="home", started_on=D(2024, 7, 1))
    assert AuditEntry.objects.filter(action="care.placement.ended", person_id=person.pk).count() == 1
    assert AuditEntry.objects.filter(action="care.placement.created", person_id=person.pk).count() == 2


def test_the_provider_must_fit_the_kind(users, person, areas, place, centre):
    with pytest.raises(ValidationError, match="不是寄宿托养机构"):
        place(person, institution=centre)
    with pytest.raises(ValidationError, match="居家养护请填写服务机构"):
        place(person, kind="home", provider="  ")
    with pytest.raises(ValidationError, match="开始日期不能晚于今天"):
        place(person, started_on=TODAY + datetime.timedelta(days=1))
    assert not Placement.objects.exists()


def test_a_placement_outside_the_scope_is_refused(users, person, place):
    with pytest.raises(OutOfScope):
        place(person, kind="home", by="other_officer")
    placement = place(person)
    with pytest.raises(OutOfScope):
        placement_end(user=users["other_officer"], placement=placement, ended_on=TODAY)
    assert Placement.objects.get().ended_on is None


def test_the_person_page_form_refuses_in_chinese_and_the_timeline_shows_the_placement(client, users, person, areas):
    grade_four = make_person(areas["baisha_a"], name="周四级", sequence=303, grade=4)
    client.force_login(users["officer"])
    data = {"placement-kind": "home", "placement-provider": "康乐居家养护服务社", "placement-started_on": "2025-02-01"}
    refused = client.post(reverse("care:placement_add", args=[grade_four.pk]), data)
    assert refused.status_code == 400 and "只安置一、二级重度残疾人" in refused.content.decode()
    assert client.post(reverse("care:placement_add", args=[person.pk]), data).status_code == 302
    titles = [e.title for e in timeline_places(person, users["officer"])]
    assert titles == ["居家养护开始：康乐居家养护服务社"]
    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert "康乐居家养护服务社" in page
    listing = client.get(reverse("care:placement_list")).content.decode()
    assert "康乐居家养护服务社" in listing and "800 元/月" in listing
    export = client.get(reverse("care:placement_export"))
    assert export.status_code == 200


def award(person, scheme, start: str, variant: str = "寄宿型托养"):
    return Award.objects.create(
        person=person,
        scheme=scheme,
        area_code=person.area_id,
        variant=variant,
        start_month=D.fromisoformat(start + "-01"),
        source=Award.Source.IMPORT,
    )


def test_payroll_pays_an_active_placement_exactly_once_in_the_month(users, person, areas, scheme, place):
    """Two placements in March (boarding ending on the 10th, home care from the 20th) and a
    regenerated draft: one month, one line, at the rate of the award's kind."""
    boarding_then = place(person, started_on=D(2024, 11, 4))
    placement_end(user=users["officer"], placement=boarding_then, ended_on=D(2025, 3, 10))
    place(person, kind="home", started_on=D(2025, 3, 20))
    award(person, scheme, "2025-03")
    unplaced = make_person(areas["baisha_a"], name="林未安置", sequence=305, grade=1)
    award(unplaced, scheme, "2025-03")
    payroll_generate(scheme=scheme, month=D(2025, 3, 1), user=users["admin"])
    batch = payroll_generate(scheme=scheme, month=D(2025, 3, 1), user=users["admin"])
    months = list(PaymentMonth.objects.filter(batch=batch).values_list("person_id", "month", "amount_fen"))
    assert months == [(person.pk, D(2025, 3, 1), 80000)]
    assert PaymentMonth.objects.filter(scheme=scheme, person=person).count() == 1


def test_a_month_after_the_placement_ended_is_not_paid(users, person, scheme, place):
    placed = place(person, started_on=D(2025, 1, 6))
    placement_end(user=users["officer"], placement=placed, ended_on=D(2025, 1, 31))
    award(person, scheme, "2025-01")
    assert payroll_generate(scheme=scheme, month=D(2025, 1, 1), user=users["admin"]).month_count == 1
    assert payroll_generate(scheme=scheme, month=D(2025, 2, 1), user=users["admin"]).month_count == 0


def test_the_eligibility_list_shows_a_placed_person_without_an_award_as_missing(users, person, areas, scheme, place):
    place(person, started_on=D(2025, 1, 6))
    with_award = make_person(areas["baisha_a"], name="吴已享", sequence=307, grade=1)
    place(with_award, kind="home", started_on=D(2025, 2, 1))
    award(with_award, scheme, "2025-02", variant="居家养护")
    make_person(areas["baisha_a"], name="郑未安置", sequence=309, grade=1)
    month = D(2025, 3, 1)
    assert set(eligible_persons(scheme, month).values_list("name", flat=True)) == {person.name, with_award.name}
    assert list(eligible_not_receiving(scheme, month).values_list("name", flat=True)) == [person.name]
    assert not receiving_not_eligible(scheme, month).exists()
    # A placement that started after the month is not eligible in it.
    assert not eligible_persons(scheme, D(2024, 12, 1)).exists()
    browser = Client()
    browser.force_login(users["officer"])
    url = reverse("benefits:eligibility") + "?scheme=care_placement&month=2025-03&list=missing"
    page = browser.get(url).content.decode()
    assert person.name in page and with_award.name not in page


def test_a_person_changed_since_is_decided_on_their_grade_then(users, person, scheme, place):
    """The rule reads the grade as of the month (the event chain), as every rule does."""
    place(person, started_on=D(2025, 1, 6))
    person_event_record(
        user=users["admin"], person=Person.objects.get(pk=person.pk), kind=EventKind.GRADE, date=D(2025, 4, 2), value=3
    )
    assert eligible_persons(scheme, D(2025, 3, 1)).filter(pk=person.pk).exists()
    assert not eligible_persons(scheme, D(2025, 5, 1)).filter(pk=person.pk).exists()
