"""A write that changes figures queues their refresh for after its commit — a payroll
approval the money indicators of its year, a registry change the certified persons —
never for a rolled-back write, once per transaction; an administrator can refresh now."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from benefits.models import PayrollBatch, Scheme
from benefits.payroll import payroll_approve, payroll_generate
from registry.services import person_event_record
from targets.indicators import indicators_of
from targets.models import IndicatorRefresh, IndicatorValue
from targets.tests.conftest import YEAR

DISTRICT = "440703000000"


def keys(year: int) -> set[str]:
    return set(IndicatorValue.objects.filter(year=year).values_list("indicator", flat=True))


@pytest.fixture
def draft(users, person, award_for_nursing):
    scheme = Scheme.objects.get(code="nursing")
    return payroll_generate(scheme=scheme, month=datetime.date(YEAR, 1, 1), user=users["admin"])


@pytest.fixture
def award_for_nursing(person):
    from benefits.models import Award

    return Award.objects.create(
        person=person,
        scheme=Scheme.objects.get(code="nursing"),
        area_code=person.area_id,
        start_month=datetime.date(YEAR, 1, 1),
        source=Award.Source.IMPORT,
    )


def test_approving_a_batch_refreshes_the_money_figures_of_its_year(users, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        payroll_approve(batch=draft, user=users["reviewer"], version=draft.version)
    assert len(callbacks) == 1
    refreshed = set(IndicatorRefresh.objects.filter(year=YEAR).values_list("indicator", flat=True))
    assert refreshed == {i.key for i in indicators_of("payroll")}
    assert keys(YEAR) == {"nursing_recipients", "nursing_amount"}
    district_year = IndicatorValue.objects.get(indicator="nursing_recipients", year=YEAR, month=0, area_code=DISTRICT)
    assert district_year.value == 1


def test_a_rolled_back_approval_queues_nothing(users, draft, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks(execute=True)
    with capture as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        payroll_approve(batch=draft, user=users["reviewer"], version=draft.version)
        raise RuntimeError("the clerk's transaction fails after the approval")
    assert callbacks == []
    assert PayrollBatch.objects.get(pk=draft.pk).state == PayrollBatch.State.DRAFT
    assert not IndicatorValue.objects.exists()


def test_registry_changes_refresh_the_certified_persons_once_per_transaction(
    users, person, other_person, django_capture_on_commit_callbacks
):
    today = datetime.date.today()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        person_event_record(user=users["admin"], person=person, kind="death", date=today)
        person_event_record(user=users["admin"], person=other_person, kind="moved_out", date=today)
    # One refresh of the registry's indicators, and one of the other apps' shares over the
    # persons (`Indicator.reads`) in the towns the two events named.
    assert len(callbacks) == 2
    registry = {i.key for i in indicators_of("registry")}
    readers = {"outreach_family_doctor_signed", "outreach_watch_on_time"}
    refreshed = set(IndicatorRefresh.objects.filter(year=today.year).values_list("indicator", flat=True))
    assert refreshed == registry | readers
    assert "certified_persons" in keys(today.year) <= registry | readers
    assert not IndicatorValue.objects.filter(indicator="certified_persons", area_code=DISTRICT).exclude(value=0)


def test_the_administrator_refreshes_now(login, users, draft, django_capture_on_commit_callbacks):
    PayrollBatch.objects.filter(pk=draft.pk).update(state=PayrollBatch.State.APPROVED, approved_by=users["reviewer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = login(users["admin"]).post(reverse("targets:refresh"), {"year": YEAR})
    assert response.status_code == 302 and response["Location"].endswith(f"?year={YEAR}")
    assert "nursing_recipients" in keys(YEAR)


@pytest.mark.parametrize("role", ["officer", "leader", "reviewer"])
def test_other_roles_may_not_refresh(login, users, role):
    assert login(users[role]).post(reverse("targets:refresh"), {"year": YEAR}).status_code == 403
    assert not IndicatorValue.objects.exists()
