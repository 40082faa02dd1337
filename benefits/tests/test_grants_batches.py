"""Annual and one-off grant batches: an annual scheme pays each eligible award once a year
at the year's rate of its variant; a one-off scheme pays an award once, in its start month."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from benefits.grants import grant_batch_approve, grant_batch_generate
from benefits.models import Application, Award, GrantProject, PaymentMonth, PayrollBatch, Rate, Scheme, Vehicle
from benefits.payroll import PayrollError, payroll_generate
from conftest import make_person
from registry.models import EventKind
from registry.services import person_event_record

D = datetime.date


def paid(batch) -> dict[str, tuple[datetime.date, int]]:
    return {p.person.name: (p.month, p.amount_fen) for p in batch.months.select_related("person")}


@pytest.fixture
def fuel(db):
    return Scheme.objects.get(code="fuel")


@pytest.fixture
def education(db):
    return Scheme.objects.get(code="education")


@pytest.fixture
def hardship(db):
    return Scheme.objects.get(code="hardship")


@pytest.fixture
def driver(areas):
    """A person with a lower-limb physical disability and a motorised wheelchair vehicle."""
    person = make_person(areas["baisha_a"], name="张车主", sequence=401, category=4, grade=3)
    Vehicle.objects.create(person=person, plate="粤J12345", registered_on=D(2020, 1, 1))
    return person


def award(person, scheme, start: str, *, variant: str = "", end: str | None = None, application=None) -> Award:
    return Award.objects.create(
        person=person,
        scheme=scheme,
        area_code=person.area_id,
        variant=variant,
        start_month=D.fromisoformat(start + "-01"),
        end_month=D.fromisoformat(end + "-01") if end else None,
        source=Award.Source.IMPORT,
        application=application,
    )


def test_an_annual_scheme_pays_an_award_once_for_the_year_in_january(users, fuel, driver):
    award(driver, fuel, "2024-03")
    batch = grant_batch_generate(fuel, 2024, users["admin"])
    assert batch.month == D(2024, 1, 1)
    assert paid(batch) == {"张车主": (D(2024, 1, 1), 30000)}
    assert (batch.person_count, batch.month_count, batch.total_fen) == (1, 1, 30000)


def test_regenerating_an_annual_draft_replaces_it_and_an_approved_year_cannot_be_regenerated(users, fuel, driver):
    award(driver, fuel, "2024-03")
    first = grant_batch_generate(fuel, 2024, users["admin"])
    again = grant_batch_generate(fuel, D(2024, 7, 9), users["admin"])
    assert again.pk == first.pk and again.months.count() == 1
    grant_batch_approve(batch=again, user=users["reviewer"], version=again.version)
    with pytest.raises(PayrollError, match="已审核"):
        grant_batch_generate(fuel, 2024, users["admin"])


def test_the_next_year_is_paid_again_but_a_year_never_twice(users, fuel, driver):
    held = award(driver, fuel, "2024-03")
    draft = grant_batch_generate(fuel, 2024, users["admin"])
    grant_batch_approve(batch=draft, user=users["reviewer"], version=draft.version)
    assert paid(grant_batch_generate(fuel, 2025, users["admin"])) == {"张车主": (D(2025, 1, 1), 30000)}
    # No code path can add a second paid row for the year: the database refuses it.
    other = PayrollBatch.objects.create(scheme=fuel, month=D(2024, 2, 1), prepared_by=users["admin"])
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentMonth.objects.create(
            batch=other, scheme=fuel, person=driver, award=held, area_code=driver.area_id,
            month=D(2024, 1, 1), amount_fen=30000,
        )  # fmt: skip


def test_a_second_award_in_the_same_year_is_not_paid_again(users, fuel, driver):
    award(driver, fuel, "2023-01", end="2024-02")
    award(driver, fuel, "2024-03")
    batch = grant_batch_generate(fuel, 2024, users["admin"])
    assert batch.months.count() == 1


def test_an_award_is_paid_for_a_year_in_which_its_person_was_eligible_at_some_month(users, fuel, areas):
    late = make_person(areas["baisha_a"], name="晚发证", sequence=403, category=4, certificate_issued=D(2024, 5, 20))
    Vehicle.objects.create(person=late, plate="粤J22222", registered_on=D(2020, 1, 1))
    gone = make_person(areas["baisha_a"], name="已故", sequence=405, category=4)
    Vehicle.objects.create(person=gone, plate="粤J33333", registered_on=D(2020, 1, 1))
    person_event_record(user=users["officer"], person=gone, kind=EventKind.DEATH, date=D(2023, 12, 5))
    award(late, fuel, "2024-01")
    award(gone, fuel, "2023-01")
    assert set(paid(grant_batch_generate(fuel, 2024, users["admin"]))) == {"晚发证"}
    assert set(paid(grant_batch_generate(fuel, 2023, users["admin"]))) == {"已故"}


def test_an_award_ended_before_the_year_or_starting_after_it_is_not_paid(users, fuel, driver, areas):
    award(driver, fuel, "2020-01", end="2023-12")
    assert not grant_batch_generate(fuel, 2024, users["admin"]).months.exists()
    assert not grant_batch_generate(fuel, 2019, users["admin"]).months.exists()


def test_education_pays_the_amount_of_the_students_school_level(users, education, areas):
    pupil = make_person(areas["baisha_a"], name="小学生", birth="20150301", sequence=411, category=2)
    student = make_person(areas["baisha_b"], name="大学生", birth="20040301", sequence=413, category=1)
    award(pupil, education, "2024-09", variant="小学")
    award(student, education, "2024-09", variant="大学")
    assert paid(grant_batch_generate(education, 2024, users["admin"])) == {
        "小学生": (D(2024, 1, 1), 100000),
        "大学生": (D(2024, 1, 1), 500000),
    }


def test_education_pays_each_year_at_that_years_rate(users, education, areas):
    student = make_person(areas["baisha_b"], name="大学生", birth="20040301", sequence=413, category=1)
    award(student, education, "2024-09", variant="大学")
    Rate.objects.create(scheme=education, variant="大学", valid_from=D(2025, 1, 1), amount_fen=600000)
    assert paid(grant_batch_generate(education, 2024, users["admin"]))["大学生"][1] == 500000
    assert paid(grant_batch_generate(education, 2025, users["admin"]))["大学生"][1] == 600000


def test_a_level_without_a_rate_is_not_paid(users, education, areas):
    pupil = make_person(areas["baisha_a"], name="无学段", birth="20150301", sequence=411, category=2)
    award(pupil, education, "2024-09", variant="博士")
    assert not grant_batch_generate(education, 2024, users["admin"]).months.exists()


@pytest.fixture
def hardship_application(users, hardship, person):
    return Application.objects.create(
        person=person,
        scheme=hardship,
        area_code=person.area_id,
        applied_on=D(2024, 3, 12),
        applicant=Application.Applicant.SELF,
        state=Application.State.APPROVED,
        submitted_by=users["officer"],
    )


def test_a_one_off_award_is_paid_once_in_its_start_month_at_its_projects_budget(
    users, hardship, person, hardship_application
):
    held = award(person, hardship, "2024-03", application=hardship_application)
    GrantProject.objects.create(
        application=hardship_application, kind="hardship", description="大病救助", budget_fen=150000,
        created_by=users["officer"],
    )  # fmt: skip
    batch = grant_batch_generate(hardship, D(2024, 5, 1), users["admin"])
    assert paid(batch) == {person.name: (D(2024, 3, 1), 150000)}
    grant_batch_approve(batch=batch, user=users["reviewer"], version=batch.version)
    held.refresh_from_db()
    assert held.end_month == D(2024, 3, 1) and "已发放" in held.end_reason
    assert not grant_batch_generate(hardship, D(2024, 6, 1), users["admin"]).months.exists()


def test_a_one_off_award_paid_through_the_plain_approval_is_not_paid_again(
    users, hardship, person, hardship_application
):
    from benefits.payroll import payroll_approve

    award(person, hardship, "2024-03", application=hardship_application)
    Rate.objects.create(scheme=hardship, valid_from=D(2020, 1, 1), amount_fen=80000)
    draft = grant_batch_generate(hardship, D(2024, 3, 1), users["admin"])
    payroll_approve(batch=draft, user=users["reviewer"], version=draft.version)
    assert not grant_batch_generate(hardship, D(2024, 9, 1), users["admin"]).months.exists()


def test_a_one_off_award_without_budget_or_rate_or_not_yet_started_is_not_paid(
    users, hardship, person, hardship_application
):
    award(person, hardship, "2024-03", application=hardship_application)
    assert not grant_batch_generate(hardship, D(2024, 5, 1), users["admin"]).months.exists()
    Rate.objects.create(scheme=hardship, valid_from=D(2020, 1, 1), amount_fen=80000)
    assert not grant_batch_generate(hardship, D(2024, 2, 1), users["admin"]).months.exists()
    assert paid(grant_batch_generate(hardship, D(2024, 5, 1), users["admin"])) == {person.name: (D(2024, 3, 1), 80000)}


def test_a_one_off_award_is_not_paid_to_a_person_not_eligible_in_its_month(users, hardship, person):
    Rate.objects.create(scheme=hardship, valid_from=D(2020, 1, 1), amount_fen=80000)
    person_event_record(user=users["officer"], person=person, kind=EventKind.DEATH, date=D(2024, 1, 5))
    award(person, hardship, "2024-03")
    assert not grant_batch_generate(hardship, D(2024, 5, 1), users["admin"]).months.exists()


def test_the_preparer_cannot_approve_and_only_preparers_generate(users, fuel, driver):
    award(driver, fuel, "2024-03")
    with pytest.raises(PermissionDenied):
        grant_batch_generate(fuel, 2024, users["officer"])
    batch = grant_batch_generate(fuel, 2024, users["reviewer_who_prepares"])
    with pytest.raises(PayrollError, match="审核人不能是制表人"):
        grant_batch_approve(batch=batch, user=users["reviewer_who_prepares"], version=batch.version)


def test_a_future_year_or_a_monthly_scheme_is_refused(users, fuel, hardship):
    living = Scheme.objects.get(code="living")
    with pytest.raises(PayrollError, match="未来"):
        grant_batch_generate(fuel, datetime.date.today().year + 1, users["admin"])
    with pytest.raises(PayrollError, match="按月发放"):
        grant_batch_generate(living, D(2024, 1, 1), users["admin"])
    with pytest.raises(PayrollError, match="按月份"):
        grant_batch_generate(hardship, 2024, users["admin"])
    with pytest.raises(PayrollError):
        payroll_generate(scheme=fuel, month=D(2024, 1, 1), user=users["admin"])


def test_the_insurance_batch_enrols_every_eligible_holder_without_an_application(users, areas):
    insurance = Scheme.objects.get(code="insurance")
    old = make_person(areas["baisha_a"], name="老持证", sequence=451)
    new = make_person(areas["hetang_a"], name="新持证", sequence=453)  # certified since, never applied
    taken_over = award(old, insurance, "2024-01")
    batch = grant_batch_generate(insurance, 2024, users["admin"])
    assert set(paid(batch)) == {"老持证", "新持证"}
    enrolled = Award.objects.get(person=new, scheme=insurance)
    assert (enrolled.source, enrolled.start_month, enrolled.application) == (Award.Source.RULE, D(2024, 1, 1), None)
    assert enrolled.area_code == new.area_id and enrolled.created_by == users["admin"]
    # The holder taken over keeps their award; generating again enrols no one twice.
    assert list(Award.objects.filter(person=old, scheme=insurance)) == [taken_over]
    grant_batch_generate(insurance, 2024, users["admin"])
    assert Award.objects.filter(scheme=insurance).count() == 2


def test_a_scheme_that_needs_an_application_enrols_no_one_by_its_rule(users, fuel, driver):
    assert not grant_batch_generate(fuel, 2024, users["admin"]).months.exists()
    assert not Award.objects.exists()
