"""Start-up and production support: a household's application, the district's review, the
grant paid once by the one-off batch of benefits, the follow-ups on the work list, and the
refusals (a second grant to the household within the scheme's period, a reviewer reviewing
their own application, a refusal without a reason) that write nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from benefits.grants import grant_batch_approve, grant_batch_generate
from benefits.models import Award, PaymentMonth, Scheme
from benefits.months import month_start
from canlian.models import AuditEntry
from canlian.worklist import Worklist
from employment import services
from employment.models import StartupFollowUp, StartupState, StartupSupport
from employment.selectors import startup_payment

from .conftest import TODAY, days_ago


def test_approval_opens_a_one_off_award_at_the_kinds_rate(apply, person, users):
    support = apply(person)
    assert support.state == StartupState.SUBMITTED
    support = services.startup_review(user=users["reviewer"], support=support, approve=True, opinion="同意")
    award = Award.objects.get(person=person, scheme__code="employment_startup")
    assert (support.award, award.variant, award.start_month) == (award, "自主创业", month_start(TODAY))
    assert support.amount_fen == 500000
    assert startup_payment(support) == "已批准，待编入发放批次"
    assert AuditEntry.objects.filter(action="employment.startupsupport.reviewed").count() == 1


def test_the_one_off_batch_pays_the_grant_once(apply, person, users):
    support = services.startup_review(user=users["reviewer"], support=apply(person, kind="production"), approve=True)
    scheme = Scheme.objects.get(code="employment_startup")
    batch = grant_batch_generate(scheme, TODAY, users["admin"])
    line = PaymentMonth.objects.get(batch=batch)
    assert (line.person, line.amount_fen) == (person, 300000)
    grant_batch_approve(batch=batch, user=users["reviewer"], version=batch.version)
    support.refresh_from_db()
    assert startup_payment(support) == f"已于 {TODAY:%Y-%m} 批次发放 3000.00 元"
    # Paid and closed: the next month's batch pays nothing more.
    assert support.award.__class__.objects.get(pk=support.award_id).end_month == month_start(TODAY)


def test_a_second_grant_to_the_household_within_the_period_is_refused(apply, person, neighbour, users):
    services.startup_review(user=users["reviewer"], support=apply(person), approve=True)
    # Another member of the same household (same head), a year on: still within 3 years.
    with pytest.raises(
        ValidationError, match=f"该户已于 {TODAY:%Y-%m-%d} 获得创业扶持（自主创业），3 年内不能再次获得"
    ):
        apply(neighbour, head=person.id_number, applied_on=TODAY)
    assert StartupSupport.objects.count() == 1


def test_a_household_with_an_application_waiting_cannot_apply_again(apply, person, users):
    apply(person)
    with pytest.raises(ValidationError, match="待审核，不能重复申请"):
        apply(person, kind="production")
    assert StartupSupport.objects.count() == 1


def test_after_the_period_the_household_may_apply_again(apply, person, users):
    support = services.startup_review(user=users["reviewer"], support=apply(person), approve=True)
    long_ago = TODAY - datetime.timedelta(days=3 * 366)
    StartupSupport.objects.filter(pk=support.pk).update(applied_on=long_ago, reviewed_on=long_ago)
    assert apply(person, applied_on=TODAY).state == StartupState.SUBMITTED


def test_the_period_is_the_schemes_parameter(apply, person, users):
    scheme = Scheme.objects.get(code="employment_startup")
    scheme.params = {**scheme.params, "period_years": 5}
    scheme.save()
    support = services.startup_review(user=users["reviewer"], support=apply(person), approve=True)
    four_years = TODAY - datetime.timedelta(days=4 * 366)
    StartupSupport.objects.filter(pk=support.pk).update(applied_on=four_years, reviewed_on=four_years)
    with pytest.raises(ValidationError, match="5 年内不能再次获得"):
        apply(person, applied_on=TODAY)


def test_review_rules(apply, person, users):
    support = apply(person, by="admin")
    with pytest.raises(PermissionDenied, match="审核人不能审核自己受理的申请"):
        services.startup_review(user=users["admin"], support=support, approve=True)
    with pytest.raises(PermissionDenied):
        services.startup_review(user=users["officer"], support=support, approve=True)
    with pytest.raises(ValidationError, match="不予批准须填写审核意见"):
        services.startup_review(user=users["reviewer"], support=support, approve=False)
    support.refresh_from_db()
    assert support.state == StartupState.SUBMITTED and not Award.objects.exists()
    services.startup_review(user=users["reviewer"], support=support, approve=False, opinion="项目不可行")
    with pytest.raises(ValidationError, match="该申请已审核（不予批准）"):
        services.startup_review(user=users["reviewer"], support=support, approve=True)


def test_a_bad_head_id_number_is_refused(apply, person):
    with pytest.raises(ValidationError, match="户主公民身份号码：身份证号应为 18 位"):
        apply(person, head="4407031980")
    assert not StartupSupport.objects.exists()


def test_an_officer_applies_for_their_towns_persons_only(apply, other_person):
    with pytest.raises(Http404):
        apply(other_person)


def test_follow_ups_come_due_on_the_work_list(apply, person, users, settings):
    support = services.startup_review(user=users["reviewer"], support=apply(person), approve=True)
    reviewed = TODAY - datetime.timedelta(days=settings.EMPLOYMENT_FOLLOWUP_DAYS[6] + 3)
    StartupSupport.objects.filter(pk=support.pk).update(
        applied_on=reviewed - datetime.timedelta(days=5), reviewed_on=reviewed
    )
    officer = users["officer"]
    counts = {c.kind.key: (c.total, c.overdue) for c in Worklist(officer, TODAY).counts}
    assert counts["startup_followup_6"] == (1, 1)
    assert counts["startup_followup_12"] == (0, 0)
    other = {c.kind.key: c.total for c in Worklist(users["other_officer"], TODAY).counts}
    assert other["startup_followup_6"] == 0
    support.refresh_from_db()
    services.followup_record(
        user=officer, support=support, milestone=6, visited_on=days_ago(1), business_state="running",
        monthly_income_fen=300000,
    )  # fmt: skip
    counts = {c.kind.key: c.total for c in Worklist(officer, TODAY).counts}
    assert counts["startup_followup_6"] == 0
    with pytest.raises(ValidationError, match="该创业扶持已登记6 个月回访"):
        services.followup_record(
            user=officer, support=support, milestone=6, visited_on=days_ago(1), business_state="running"
        )
    assert StartupFollowUp.objects.count() == 1


def test_a_follow_up_needs_an_approved_support(apply, person, users):
    support = apply(person)
    with pytest.raises(ValidationError, match="只有已批准的创业扶持才登记回访"):
        services.followup_record(
            user=users["officer"], support=support, milestone=6, visited_on=days_ago(1), business_state="running"
        )
