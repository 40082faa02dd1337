"""Home services (上门服务): cleaning, appliance repair, counselling and other services at a
disabled person's home. A request is recorded for a person (`PersonRecord`: the town's
permission and scope, the day in the person's life), assigned to a user or a named
provider, marked done with what was done, and then carries the person's feedback. A
request not done by its due day is overdue: on the town's work list until it is done or
voided.

Every read starts from `requests_visible_to` (the platform's scope: the request's
community, which follows the person)."""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from canlian.records import record_create, record_void, records_changed_once
from canlian.scoping import require_in_scope
from outreach.forms import date_field, styled
from outreach.models import HomeServiceKind, HomeServiceRequest
from outreach.selectors import DateInput, area_filter, small_fields, town_choices, visitor_choices
from registry.models import Person

# How many days a request may take when the form leaves the due day empty (local practice).
DEFAULT_DAYS = 7
CHANGE = "outreach.change_homeservicerequest"


# Selectors -----------------------------------------------------------------------------


def requests_visible_to(user) -> QuerySet:
    return HomeServiceRequest.objects.standing().visible_to(user)


def request_for_user(user, pk: int) -> HomeServiceRequest:
    """A request of the user's scope, voided ones too (its page says so); 404 otherwise."""
    rows = HomeServiceRequest.objects.visible_to(user).select_related("person", "assigned_to", "recorded_by")
    return get_object_or_404(rows, pk=pk)


def requests_open(user) -> QuerySet:
    return requests_visible_to(user).filter(done_on__isnull=True)


def requests_due(user, until: datetime.date) -> QuerySet:
    """Open requests due on `until` or earlier: the work list's home-service kind (before
    today: overdue)."""
    return requests_open(user).filter(due_on__lte=until)


class RequestFilterForm(forms.Form):
    STATES = [("", "全部"), ("open", "未完成"), ("overdue", "已逾期"), ("done", "已完成"), ("no_feedback", "待反馈")]
    state = forms.ChoiceField(label="状态", required=False, choices=STATES)
    kind = forms.ChoiceField(label="服务类别", required=False, choices=[("", "全部"), *HomeServiceKind.choices])
    town = forms.ChoiceField(label="镇(街)", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].choices = town_choices(user)
        small_fields(self)


def filtered_requests(user, params, today: datetime.date) -> tuple[QuerySet, RequestFilterForm]:
    form = RequestFilterForm(params, user=user)
    rows = requests_visible_to(user)
    data = form.cleaned_data if form.is_valid() else {}
    state = data.get("state")
    if state == "open":
        rows = rows.filter(done_on__isnull=True)
    elif state == "overdue":
        rows = rows.filter(done_on__isnull=True, due_on__lt=today)
    elif state == "done":
        rows = rows.filter(done_on__isnull=False)
    elif state == "no_feedback":
        rows = rows.filter(done_on__isnull=False, satisfied__isnull=True)
    if data.get("kind"):
        rows = rows.filter(kind=data["kind"])
    rows = area_filter(rows, "area_code", data)
    return rows.order_by("-requested_on", "-id"), form


def assignee_choices(user) -> QuerySet:
    """Who a request may be assigned to: the staff a visit may name (the user's area and
    the district's)."""
    return visitor_choices(user)


# Services ------------------------------------------------------------------------------


def request_record(
    *,
    user: User,
    person: Person,
    kind: str,
    requested_on: datetime.date,
    requested_by: str,
    what: str,
    due_on: datetime.date | None = None,
) -> HomeServiceRequest:
    """Record a request (the base's checks: permission, scope, the day in the person's
    life; the model's: kind, who asked, what, a due day not before the request)."""
    if due_on is None and requested_on is not None:
        due_on = requested_on + datetime.timedelta(days=DEFAULT_DAYS)
    return record_create(
        model=HomeServiceRequest,
        user=user,
        person=person,
        kind=kind,
        requested_on=requested_on,
        requested_by=" ".join((requested_by or "").split())[:40],
        what=" ".join((what or "").split())[:500],
        due_on=due_on,
    )


def _locked(user: User, request: HomeServiceRequest) -> HomeServiceRequest:
    if not user.has_perm(CHANGE):
        raise PermissionDenied("您没有办理上门服务的权限")
    locked = HomeServiceRequest.objects.select_for_update().get(pk=request.pk)
    require_in_scope(user, locked)
    if locked.voided_at is not None:
        raise ValidationError("该上门服务已作废")
    return locked


def _check_day(day: datetime.date | None, locked: HomeServiceRequest, what: str) -> None:
    if day is None:
        raise ValidationError(f"请填写{what}")
    if day > timezone.localdate():
        raise ValidationError(f"{what}不能晚于今天")
    if day < locked.requested_on:
        raise ValidationError(f"{what}不能早于申请日期（{locked.requested_on:%Y-%m-%d}）")


@transaction.atomic
def request_assign(
    *,
    user: User,
    request: HomeServiceRequest,
    assigned_on: datetime.date,
    assigned_to: User | None = None,
    provider: str = "",
) -> HomeServiceRequest:
    """Assign (派单) to a user of the staff the town may name, or to a provider named in
    words, or both; a request may be reassigned until it is done."""
    locked = _locked(user, request)
    if locked.done_on is not None:
        raise ValidationError(f"该上门服务已于 {locked.done_on:%Y-%m-%d} 完成，不能再派单")
    provider = " ".join((provider or "").split())[:100]
    if assigned_to is None and not provider:
        raise ValidationError("请选择服务人员，或填写服务机构或人员")
    if assigned_to is not None and not assignee_choices(user).filter(pk=assigned_to.pk).exists():
        raise ValidationError("所选服务人员不在可派单的人员范围内")
    _check_day(assigned_on, locked, "派单日期")
    locked.assigned_to, locked.provider, locked.assigned_on = assigned_to, provider, assigned_on
    locked.save(update_fields=["assigned_to", "provider", "assigned_on"])
    return locked


@transaction.atomic
def request_done(
    *, user: User, request: HomeServiceRequest, done_on: datetime.date, done_what: str
) -> HomeServiceRequest:
    """Mark a request done (完成), with the day and what was done; once."""
    locked = _locked(user, request)
    if locked.done_on is not None:
        raise ValidationError(f"该上门服务已于 {locked.done_on:%Y-%m-%d} 完成")
    if not locked.is_assigned:
        raise ValidationError("该上门服务尚未派单，请先派单")
    _check_day(done_on, locked, "完成日期")
    if locked.assigned_on and done_on < locked.assigned_on:
        raise ValidationError(f"完成日期不能早于派单日期（{locked.assigned_on:%Y-%m-%d}）")
    done_what = " ".join((done_what or "").split())
    if not done_what:
        raise ValidationError("请填写服务情况")
    locked.done_on, locked.done_what = done_on, done_what[:500]
    locked.save(update_fields=["done_on", "done_what"])
    records_changed_once(HomeServiceRequest, done_on.year, area=locked.area_code, day=done_on)
    return locked


@transaction.atomic
def request_feedback(
    *,
    user: User,
    request: HomeServiceRequest,
    satisfied: bool | None,
    feedback_on: datetime.date,
    feedback: str = "",
) -> HomeServiceRequest:
    """The person's feedback on a done request (满意 / 不满意, a comment); once."""
    locked = _locked(user, request)
    if locked.done_on is None:
        raise ValidationError("该上门服务尚未完成，不能登记服务对象的反馈")
    if locked.satisfied is not None:
        raise ValidationError(f"该上门服务已于 {locked.feedback_on:%Y-%m-%d} 登记过反馈")
    if satisfied is None:
        raise ValidationError("请选择服务对象是否满意")
    _check_day(feedback_on, locked, "反馈日期")
    if feedback_on < locked.done_on:
        raise ValidationError(f"反馈日期不能早于完成日期（{locked.done_on:%Y-%m-%d}）")
    feedback = " ".join((feedback or "").split())
    if not satisfied and not feedback:
        raise ValidationError("服务对象不满意时，请填写其意见")
    locked.satisfied, locked.feedback, locked.feedback_on = satisfied, feedback[:500], feedback_on
    locked.save(update_fields=["satisfied", "feedback", "feedback_on"])
    return locked


def request_void(*, user: User, request: HomeServiceRequest, reason: str) -> HomeServiceRequest:
    return record_void(record=request, user=user, reason=reason)


# Forms ---------------------------------------------------------------------------------


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label="服务类别", choices=HomeServiceKind.choices)
    requested_on = date_field("申请日期")
    requested_by = forms.CharField(label="申请人", max_length=40, error_messages={"required": "请填写申请人"})
    what = forms.CharField(
        label="服务需求",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写服务需求"},
    )
    due_on = forms.DateField(
        label="应完成日期",
        required=False,
        widget=DateInput(),
        help_text=f"不填则为申请日期后 {DEFAULT_DAYS} 天",
        error_messages={"invalid": "应完成日期格式不正确"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_on"].initial = timezone.localdate()
        styled(self)


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(label="服务人员", required=False, queryset=User.objects.none())
    provider = forms.CharField(label="服务机构或人员", required=False, max_length=100, help_text="如家政公司、维修师傅")
    assigned_on = date_field("派单日期")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = assignee_choices(user)
        self.fields["assigned_to"].label_from_instance = lambda u: u.display_name
        self.fields["assigned_on"].initial = timezone.localdate()
        self.auto_id = "assign_%s"
        styled(self)


class DoneForm(forms.Form):
    done_on = date_field("完成日期")
    done_what = forms.CharField(label="服务情况", max_length=500, error_messages={"required": "请填写服务情况"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = timezone.localdate()
        self.auto_id = "done_%s"
        styled(self)


class FeedbackForm(forms.Form):
    CHOICES = [("", "请选择"), ("yes", "满意"), ("no", "不满意")]
    satisfied = forms.ChoiceField(
        label="服务对象是否满意", choices=CHOICES, error_messages={"required": "请选择服务对象是否满意"}
    )
    feedback = forms.CharField(label="服务对象意见", required=False, max_length=500)
    feedback_on = date_field("反馈日期")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["feedback_on"].initial = timezone.localdate()
        self.auto_id = "feedback_%s"
        styled(self)

    def clean_satisfied(self) -> bool:
        return self.cleaned_data["satisfied"] == "yes"
