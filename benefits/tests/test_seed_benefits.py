"""The demo's benefits (seed_benefits): awards at go-live, months paid since, run once."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from benefits.models import Application, Award, PaymentMonth, PayrollBatch, Scheme
from benefits.months import add_months
from benefits.selectors import eligible_persons
from conftest import kept_for_the_class

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("seed_benefits", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """The demo's registry and three months of benefits, made once for the class's tests."""
    with kept_for_the_class(django_db_blocker):
        call_command("seed_demo", "--persons", "300", stdout=StringIO())
        yield run("--months", "3")


class TestTheSeededBenefits:
    """The tests that read the seeded demo (and leave it as they found it)."""

    def test_the_persons_eligible_at_go_live_are_awarded_and_paid_every_month_since(self, seeded):
        current = datetime.date.today().replace(day=1)
        live = add_months(current, -3)
        for code in ("living", "nursing"):
            scheme = Scheme.objects.get(code=code)
            eligible = set(eligible_persons(scheme, live).values_list("pk", flat=True))
            assert eligible, "the demo district has persons eligible for both schemes"
            awards = Award.objects.filter(scheme=scheme, source=Award.Source.IMPORT)
            assert set(awards.values_list("person_id", flat=True)) == eligible
            assert set(awards.values_list("start_month", flat=True)) == {live}
            batches = PayrollBatch.objects.filter(scheme=scheme)
            assert sorted(batches.values_list("month", flat=True)) == [add_months(live, i) for i in range(3)]
            assert set(batches.values_list("state", "prepared_by__username", "approved_by__username")) == {
                ("approved", "admin", "reviewer")
            }
            paid = PaymentMonth.objects.paid().filter(scheme=scheme)
            assert paid.filter(month=live).count() == len(eligible)
        assert not PayrollBatch.objects.filter(month=current, scheme__code__in=["living", "nursing"]).exists()
        assert "已审核发放 3 个月" in seeded

    def test_the_seeds_annual_grants_are_awarded_and_each_year_since_go_live_paid_once(self, seeded):
        current = datetime.date.today().replace(day=1)
        live = add_months(current, -3)
        years = list(range(live.year, current.year + 1))
        for code in ("fuel", "education", "insurance", "basic_insurance"):
            awards = Award.objects.filter(scheme__code=code)
            assert awards.exists(), code
            taken_over = awards.filter(source=Award.Source.IMPORT)
            assert set(taken_over.values_list("start_month", flat=True)) == {live}
            batches = PayrollBatch.objects.filter(scheme__code=code)
            assert sorted(b.month.year for b in batches) == years, code
            assert set(batches.values_list("state", flat=True)) == {"approved"}
            paid = PaymentMonth.objects.paid().filter(scheme__code=code)
            if code in ("fuel", "education"):
                assert awards.count() == taken_over.count()
                for year in years:
                    assert paid.filter(month__year=year).count() == awards.count(), (code, year)
            else:
                # The insurances need no application: every holder eligible today is insured.
                assert not awards.exclude(source__in=[Award.Source.IMPORT, Award.Source.RULE]).exists()
                eligible = set(eligible_persons(Scheme.objects.get(code=code), current).values_list("pk", flat=True))
                assert eligible <= set(paid.filter(month__year=current.year).values_list("person_id", flat=True)), code
        # Every fuel award is a person with a registered vehicle; every student has a school level.
        fuel = Award.objects.filter(scheme__code="fuel")
        assert 0 < fuel.count() <= 152
        assert not fuel.filter(person__vehicles__isnull=True).exists()
        education = Award.objects.filter(scheme__code="education")
        assert 0 < education.count() <= 60
        assert set(education.values_list("variant", flat=True)) <= {"学前", "小学", "初中", "高中/中职", "大学"}

    def test_a_second_run_changes_nothing(self, seeded):
        before = (Award.objects.count(), PaymentMonth.objects.count(), PayrollBatch.objects.count())
        assert "未重复生成" in run()
        assert (Award.objects.count(), PaymentMonth.objects.count(), PayrollBatch.objects.count()) == before

    def test_applications_are_seeded_in_every_state_of_the_flow(self, seeded):
        today = datetime.date.today()
        states = Application.objects.values_list("state", flat=True)
        assert set(states) == {"submitted", "notice", "district_review", "approved", "returned"}
        notices = Application.objects.filter(state="notice")
        assert notices.filter(notice_until__gt=today).exists(), "one still in its public notice"
        assert notices.filter(notice_until__lt=today).exists(), "one whose notice is over, for the town to close"
        returned = Application.objects.get(state="returned")
        assert returned.steps.latest("pk").reason
        approved = Application.objects.get(state="approved")
        assert Award.objects.filter(application=approved, start_month=approved.applied_on.replace(day=1)).exists()
        # Each was taken by the officer of the person's town, and the log is dated on its days.
        for application in Application.objects.select_related("submitted_by"):
            assert application.area_code.startswith(application.submitted_by.area.prefix)
            assert application.steps.earliest("pk").at.date() == application.applied_on
        assert "补贴申请" in seeded

    def test_a_reviewer_approves_a_seeded_application_on_the_first_visit(self, seeded, client):
        reviewer = User.objects.get(username="reviewer")
        client.force_login(reviewer)
        waiting = Application.objects.filter(state="district_review").order_by("pk").first()
        page = client.get(reverse("benefits:application_detail", args=[waiting.pk])).content.decode()
        assert "批准" in page
        client.post(reverse("benefits:application_decide", args=[waiting.pk]), {"decision": "approve"})
        waiting.refresh_from_db()
        assert waiting.state == "approved" and waiting.decided_by == reviewer
        assert Award.objects.filter(application=waiting, start_month=waiting.applied_on.replace(day=1)).exists()


def test_it_needs_the_demo_registry_first(db):
    with pytest.raises(CommandError, match="请先运行 seed_demo"):
        run()
