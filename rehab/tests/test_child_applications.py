"""A guardian's application from the town to the district: taken, approved with an amount,
placed at a designated institution, its services recorded within the approved amount, and
closed; and the refusals, each writing nothing: a child past the age limit, an amount
beyond the year's cap, a second open application of a kind in a year, an approval by a
user who is not the district's (or who took the application)."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from canlian.models import AuditEntry
from rehab.models import ChildApplication, ChildRehabRecord, Provider
from rehab.services_children import (
    child_application_close,
    child_application_decide,
    child_application_place,
    child_application_withdraw,
    child_apply,
    child_record,
    child_record_void,
    year_used_fen,
)

from .conftest import TODAY, years_ago

State = ChildApplication.State


def _apply(users, child, *, kind="training", requested_fen=1_200_000, applied_on=TODAY, by="officer"):
    return child_apply(
        user=users[by],
        child=child,
        kind=kind,
        priority_group="orphan",
        applied_on=applied_on,
        requested_fen=requested_fen,
    )


def _state(application) -> str:
    application.refresh_from_db()
    return application.state


def test_an_application_from_the_town_window_to_closing(users, child_of, standards, institution):
    child = child_of()
    application = _apply(users, child)
    assert (application.state, application.applicant_name, application.year) == (State.SUBMITTED, "林志强", TODAY.year)
    application = child_application_decide(
        user=users["reviewer"], application=application, approve=True, approved_fen=1_000_000
    )
    assert (application.state, application.approved_fen, application.decided_by) == (
        State.APPROVED,
        1_000_000,
        users["reviewer"],
    )
    application = child_application_place(
        user=users["reviewer"], application=application, institution=institution, placed_on=TODAY
    )
    assert (application.state, application.institution) == (State.PLACED, institution)
    record = child_record(
        user=users["officer"],
        application=application,
        served_on=TODAY,
        content="听觉言语康复训练",
        sessions=16,
        amount_fen=200_000,
    )
    assert (record.child, record.area_code, record.year) == (child, child.area_id, TODAY.year)
    assert year_used_fen(child, "training", TODAY.year) == 1_000_000  # the approved amount while it runs
    application = child_application_close(user=users["reviewer"], application=application, closed_on=TODAY)
    assert (application.state, application.settled_fen) == (State.CLOSED, 200_000)
    assert year_used_fen(child, "training", TODAY.year) == 200_000  # what was settled, once closed
    entries = AuditEntry.objects.filter(object_id=str(application.pk), action__startswith="rehab.child_application.")
    actions = list(entries.values_list("action", flat=True))
    assert sorted(actions) == sorted(
        f"rehab.child_application.{step}" for step in ("submitted", "approved", "placed", "closed")
    )


def test_a_child_past_the_age_limit_on_the_day_of_application_is_refused(users, child_of, standards):
    child = child_of(birth_date=years_ago(7))
    with pytest.raises(ValidationError, match=r"已满 7 周岁，超过康复训练救助的年龄上限（0–6 周岁）"):
        _apply(users, child)
    assert not ChildApplication.objects.exists() and not AuditEntry.objects.filter(action__contains="child_app")


def test_the_age_limit_is_data_per_kind_and_year(users, child_of, standards):
    standards["device"].max_age = 7
    standards["device"].save()
    child = child_of(birth_date=years_ago(7))
    assert _apply(users, child, kind="device", requested_fen=300_000).state == State.SUBMITTED
    # The last day of the sixth year is still within 0–6.
    assert _apply(users, child_of(birth_date=years_ago(7, days=-1))).state == State.SUBMITTED


def test_an_amount_beyond_what_is_left_of_the_years_cap_is_refused(users, child_of, standards, placed):
    application = placed(requested_fen=2_000_000)  # of the 24,000 元 training cap
    child_application_close(user=users["reviewer"], application=application, closed_on=TODAY)
    # Closed with no services: it takes nothing of the cap any more.
    second = _apply(users, application.child, requested_fen=2_400_000)
    assert second.state == State.SUBMITTED
    child_application_withdraw(user=users["officer"], application=second, reason="监护人撤回")
    third = placed(application.child, requested_fen=2_000_000)
    child_record(user=users["officer"], application=third, served_on=TODAY, content="训练", amount_fen=2_000_000)
    child_application_close(user=users["reviewer"], application=third, closed_on=TODAY)
    with pytest.raises(ValidationError) as refused:
        _apply(users, application.child, requested_fen=400_001)
    assert "超出年度救助限额" in str(refused.value) and "尚可申请 4,000.00 元" in str(refused.value)
    assert ChildApplication.objects.filter(state=State.SUBMITTED).count() == 0


def test_a_second_open_application_of_a_kind_in_a_year_is_refused(users, child_of, standards):
    child = child_of()
    first = _apply(users, child, requested_fen=100_000)
    with pytest.raises(ValidationError, match="已有一份“康复训练”救助申请在办理中（待区残联审核）"):
        _apply(users, child, requested_fen=100_000)
    # Another kind is a separate application; a rejected one is no longer open.
    assert _apply(users, child, kind="device", requested_fen=100_000).state == State.SUBMITTED
    child_application_decide(user=users["reviewer"], application=first, approve=False, reason="材料不全")
    assert _apply(users, child, requested_fen=100_000).state == State.SUBMITTED
    assert ChildApplication.objects.filter(kind="training").count() == 2


def test_a_year_without_a_standard_is_refused(users, child_of):
    with pytest.raises(ValidationError, match=f"尚未设定 {TODAY.year} 年“康复训练”的救助标准"):
        _apply(users, child_of())


def test_an_approval_by_a_user_who_is_not_the_districts_is_refused(users, child_of, standards):
    application = _apply(users, child_of())
    officer = users["officer"]
    with pytest.raises(PermissionDenied, match="您没有审批残疾儿童康复救助申请的权限"):
        child_application_decide(user=officer, application=application, approve=True)
    # Even with the permission given by mistake, the service asks for the district itself.
    officer.user_permissions.add(Permission.objects.get(codename="decide_childapplication"))
    officer = type(officer).objects.get(pk=officer.pk)  # a fresh permission cache
    with pytest.raises(PermissionDenied, match="由区残联审批"):
        child_application_decide(user=officer, application=application, approve=True)
    assert _state(application) == State.SUBMITTED
    assert not AuditEntry.objects.filter(action="rehab.child_application.approved").exists()


def test_the_district_does_not_approve_an_application_it_took_itself(users, child_of, standards):
    application = _apply(users, child_of(), by="admin")
    reviewer = users["admin"]
    reviewer.user_permissions.add(Permission.objects.get(codename="decide_childapplication"))
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)
    with pytest.raises(PermissionDenied, match="不能审批自己受理的申请"):
        child_application_decide(user=reviewer, application=application, approve=True)
    assert _state(application) == State.SUBMITTED


def test_an_approved_amount_above_the_one_asked_or_a_rejection_without_reason_is_refused(users, child_of, standards):
    application = _apply(users, child_of(), requested_fen=500_000)
    with pytest.raises(ValidationError, match="批准金额不能高于申请金额（5,000.00 元）"):
        child_application_decide(user=users["reviewer"], application=application, approve=True, approved_fen=500_001)
    with pytest.raises(ValidationError, match="不予批准须填写原因"):
        child_application_decide(user=users["reviewer"], application=application, approve=False, reason=" ")
    assert _state(application) == State.SUBMITTED


def test_placement_only_at_an_active_designated_institution(users, areas, child_of, standards, institution):
    application = child_application_decide(user=users["reviewer"], application=_apply(users, child_of()), approve=True)
    adult_only = Provider.objects.create(name="江门市第三人民医院", area=areas["baisha"])
    with pytest.raises(ValidationError, match="不是在用的残疾儿童康复救助定点机构"):
        child_application_place(
            user=users["reviewer"], application=application, institution=adult_only, placed_on=TODAY
        )
    with pytest.raises(PermissionDenied):
        child_application_place(
            user=users["officer"], application=application, institution=institution, placed_on=TODAY
        )
    assert _state(application) == State.APPROVED


def test_records_stay_within_the_placement_and_the_approved_amount(users, child_of, placed):
    application = placed(requested_fen=300_000)
    with pytest.raises(ValidationError, match="超出批准金额：批准 3,000.00 元，已登记 0.00 元，本次 3,000.01 元"):
        child_record(
            user=users["officer"], application=application, served_on=TODAY, content="训练", amount_fen=300_001
        )
    with pytest.raises(ValidationError, match="服务日期不能早于安置日期"):
        child_record(
            user=users["officer"],
            application=application,
            served_on=TODAY - datetime.timedelta(days=1),
            content="训练",
            amount_fen=1,
        )
    with pytest.raises(ValidationError, match="不能晚于今天"):
        child_record(
            user=users["officer"],
            application=application,
            served_on=TODAY + datetime.timedelta(days=1),
            content="训练",
            amount_fen=1,
        )
    with pytest.raises(ValidationError, match="服务次数至少为 1 次"):
        child_record(
            user=users["officer"], application=application, served_on=TODAY, content="训练", amount_fen=1, sessions=0
        )
    assert not ChildRehabRecord.objects.exists()


def test_a_voided_record_frees_its_amount_and_a_closed_ones_records_are_kept(users, child_of, placed):
    application = placed(requested_fen=300_000)
    record = child_record(
        user=users["officer"], application=application, served_on=TODAY, content="训练", amount_fen=300_000
    )
    child_record_void(user=users["officer"], record=record, reason="金额录错")
    right = child_record(
        user=users["officer"], application=application, served_on=TODAY, content="训练", amount_fen=250_000
    )
    assert AuditEntry.objects.get(action="rehab.child_record.voided").data == {"reason": "金额录错"}
    closed = child_application_close(user=users["reviewer"], application=application, closed_on=TODAY)
    assert closed.settled_fen == 250_000
    with pytest.raises(ValidationError, match="已结案"):
        child_record_void(user=users["officer"], record=right, reason="迟到的更正")
    right.refresh_from_db()
    assert right.voided_at is None


def test_only_an_application_not_yet_placed_is_withdrawn_with_a_reason(users, child_of, standards, placed):
    application = _apply(users, child_of())
    with pytest.raises(ValidationError, match="撤回申请须填写原因"):
        child_application_withdraw(user=users["officer"], application=application, reason="")
    child_application_withdraw(user=users["officer"], application=application, reason="监护人另行安排")
    assert _state(application) == State.WITHDRAWN
    running = placed(child_of(birth_certificate="R449999999"))
    with pytest.raises(ValidationError, match="当前状态为“已安置，接受服务中”"):
        child_application_withdraw(user=users["officer"], application=running, reason="监护人另行安排")
