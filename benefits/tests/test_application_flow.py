"""The review flow of an application, service by service: town window → first review →
public notice → district decision → award."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from accounts.services import user_create
from benefits.models import Application, Award
from benefits.services import (
    application_decide,
    application_end_notice,
    application_submit,
    application_town_review,
)
from canlian.scoping import OutOfScope

D = datetime.date
APPLIED_ON = D(2024, 3, 15)
State = Application.State
NOTICE_START = D(2024, 3, 20)


def submit(user, person, scheme, applied_on=APPLIED_ON, applicant="self"):
    return application_submit(user=user, person=person, scheme=scheme, applied_on=applied_on, applicant=applicant)


def to_notice(users, person, scheme, **kwargs):
    application = submit(users["officer"], person, scheme, **kwargs)
    return application_town_review(user=users["officer"], application=application, approve=True, today=NOTICE_START)


def to_district(users, person, scheme, **kwargs):
    application = to_notice(users, person, scheme, **kwargs)
    return application_end_notice(user=users["officer"], application=application, today=application.notice_until)


@pytest.fixture
def district_clerk(areas):
    """A district reviewer who may also take and first-review applications."""
    user = user_create(username="clerk", password="x-Canlian-2026", role=Role.DISTRICT_REVIEWER, area=areas["district"])
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_application", "town_review_application"]))
    return user


def test_submission_is_logged_with_the_officer_and_waits_for_the_town_review(users, person, nursing):
    application = submit(users["officer"], person, nursing)
    assert application.state == State.SUBMITTED and application.area_code == person.area_id
    step = application.steps.get()
    assert (step.action, step.from_state, step.to_state, step.user) == ("受理", "", State.SUBMITTED, users["officer"])


def test_town_approval_starts_the_public_notice_for_the_schemes_days(users, person, nursing):
    application = to_notice(users, person, nursing)
    assert application.state == State.NOTICE and application.town_reviewed_by == users["officer"]
    assert (application.notice_from, application.notice_until) == (NOTICE_START, D(2024, 3, 27))
    assert application.steps.last().action == "初审通过，开始公示"


def test_the_town_returns_an_application_with_its_reason(users, person, nursing):
    application = submit(users["officer"], person, nursing)
    application = application_town_review(
        user=users["officer"], application=application, approve=False, reason="材料不全"
    )
    assert application.state == State.RETURNED
    step = application.steps.last()
    assert (step.action, step.from_state, step.to_state, step.reason) == (
        "初审退回",
        State.SUBMITTED,
        State.RETURNED,
        "材料不全",
    )


def test_returning_an_application_needs_a_reason(users, person, nursing):
    application = submit(users["officer"], person, nursing)
    with pytest.raises(ValidationError, match="退回申请须填写原因"):
        application_town_review(user=users["officer"], application=application, approve=False, reason="  ")
    application.refresh_from_db()
    assert application.state == State.SUBMITTED and application.steps.count() == 1


def test_the_notice_cannot_close_before_its_last_day(users, person, nursing):
    application = to_notice(users, person, nursing)
    with pytest.raises(ValidationError, match="公示期未满"):
        application_end_notice(user=users["officer"], application=application, today=D(2024, 3, 26))
    application.refresh_from_db()
    assert application.state == State.NOTICE


def test_the_notice_closes_on_its_last_day_and_goes_to_the_district(users, person, nursing):
    application = to_district(users, person, nursing)
    assert application.state == State.DISTRICT_REVIEW
    assert application.steps.last().action == "公示期满无异议，报区残联"


def test_an_objection_during_the_notice_returns_the_application_with_the_objection(users, person, nursing):
    application = to_notice(users, person, nursing)
    application = application_end_notice(
        user=users["officer"], application=application, objection="邻居反映已外出务工", today=D(2024, 3, 21)
    )
    assert application.state == State.RETURNED
    assert application.steps.last().reason == "邻居反映已外出务工"


def test_approval_creates_an_award_from_the_month_of_application(users, person, nursing):
    application = to_district(users, person, nursing)
    application = application_decide(user=users["reviewer"], application=application, approve=True)
    assert application.state == State.APPROVED and application.decided_by == users["reviewer"]
    award = Award.objects.get(application=application)
    assert (award.person, award.scheme, award.start_month, award.end_month) == (person, nursing, D(2024, 3, 1), None)
    assert (award.source, award.area_code, award.created_by) == (
        Award.Source.APPLICATION,
        person.area_id,
        users["reviewer"],
    )
    assert application.steps.last().action == "批准，自 2024-03 起发放"


def test_rejection_needs_a_reason(users, person, nursing):
    application = to_district(users, person, nursing)
    with pytest.raises(ValidationError, match="不予批准须填写原因"):
        application_decide(user=users["reviewer"], application=application, approve=False)
    application.refresh_from_db()
    assert application.state == State.DISTRICT_REVIEW and application.decided_by is None


def test_rejection_with_a_reason_creates_no_award(users, person, nursing):
    application = to_district(users, person, nursing)
    application = application_decide(user=users["reviewer"], application=application, approve=False, reason="等级不符")
    assert application.state == State.REJECTED and application.decision_reason == "等级不符"
    assert not Award.objects.filter(person=person).exists()


def test_a_reviewer_who_took_the_application_cannot_decide_it(users, district_clerk, person, nursing):
    application = submit(district_clerk, person, nursing)
    application = application_town_review(
        user=users["officer"], application=application, approve=True, today=NOTICE_START
    )
    application = application_end_notice(user=users["officer"], application=application, today=application.notice_until)
    with pytest.raises(PermissionDenied, match="不能审批自己受理或初审"):
        application_decide(user=district_clerk, application=application, approve=True)
    assert not Award.objects.exists()


def test_a_reviewer_who_first_reviewed_the_application_cannot_decide_it(users, district_clerk, person, nursing):
    application = submit(users["officer"], person, nursing)
    application = application_town_review(
        user=district_clerk, application=application, approve=True, today=NOTICE_START
    )
    application = application_end_notice(user=users["officer"], application=application, today=application.notice_until)
    with pytest.raises(PermissionDenied):
        application_decide(user=district_clerk, application=application, approve=True)
    assert application_decide(user=users["reviewer"], application=application, approve=True).state == State.APPROVED


def test_a_second_open_application_for_the_same_scheme_is_refused(users, person, nursing, living):
    submit(users["officer"], person, nursing)
    with pytest.raises(ValidationError, match="已有一份重度残疾人护理补贴申请在办理中"):
        submit(users["officer"], person, nursing)
    assert submit(users["officer"], person, living).state == State.SUBMITTED


def test_a_new_application_is_accepted_after_the_last_one_was_returned(users, person, nursing):
    first = submit(users["officer"], person, nursing)
    application_town_review(user=users["officer"], application=first, approve=False, reason="材料不全")
    assert submit(users["officer"], person, nursing).state == State.SUBMITTED


def test_a_person_already_receiving_the_scheme_cannot_apply_again(users, person, nursing, award_for):
    award_for(person, nursing, "2022-01")
    with pytest.raises(ValidationError, match="已在享受"):
        submit(users["officer"], person, nursing)


def test_an_officer_of_another_town_can_neither_take_nor_review_the_application(users, person, nursing):
    with pytest.raises(OutOfScope):
        submit(users["other_officer"], person, nursing)
    application = submit(users["officer"], person, nursing)
    with pytest.raises(OutOfScope):
        application_town_review(user=users["other_officer"], application=application, approve=True)


def test_a_step_out_of_order_is_refused(users, person, nursing):
    application = submit(users["officer"], person, nursing)
    with pytest.raises(ValidationError, match="不能执行此操作"):
        application_decide(user=users["reviewer"], application=application, approve=True)
    with pytest.raises(ValidationError):
        application_end_notice(user=users["officer"], application=application, today=D(2030, 1, 1))


def test_a_town_officer_cannot_decide_and_a_reviewer_cannot_review_at_the_town(users, person, nursing):
    application = submit(users["officer"], person, nursing)
    with pytest.raises(PermissionDenied):
        application_town_review(user=users["reviewer"], application=application, approve=True)
    application = application_town_review(
        user=users["officer"], application=application, approve=True, today=NOTICE_START
    )
    application = application_end_notice(user=users["officer"], application=application, today=application.notice_until)
    with pytest.raises(PermissionDenied):
        application_decide(user=users["officer"], application=application, approve=True)


def test_an_applicant_kind_outside_the_choices_is_refused(users, person, nursing):
    with pytest.raises(ValidationError, match="申请方式"):
        submit(users["officer"], person, nursing, applicant="neighbour")


def test_approval_after_an_earlier_award_starts_the_month_after_that_award_ended(users, person, nursing, award_for):
    award_for(person, nursing, "2020-01", "2024-04")
    application = to_district(users, person, nursing, applied_on=APPLIED_ON)
    application_decide(user=users["reviewer"], application=application, approve=True)
    assert Award.objects.get(application=application).start_month == D(2024, 5, 1)
