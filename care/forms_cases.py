"""Forms of the case and watch pages. They check input only; the services decide."""

from django import forms
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from canlian.forms import DateInput, bootstrap_styled
from care.models import CloseReason, ContactKind, RiskLevel, WatchEnd

KEYWORKER_ROLES = (Role.TOWN_OFFICER, Role.CENTRE_STAFF, Role.DISTRICT_ADMIN)


def _date(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages={"required": f"请填写{label}", "invalid": f"{label}格式不正确"},
    )


def _choice(label: str, choices, what: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[("", "请选择"), *choices],
        error_messages={"required": f"请选择{what}", "invalid_choice": f"请选择{what}"},
    )


def _text(label: str, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"请填写{label}", "max_length": f"{label}不能超过 2000 字"},
    )


class CaseOpenForm(forms.Form):
    prefix = "case"  # the person page holds other apps' forms

    keyworker = forms.ModelChoiceField(
        label="个案负责人",
        queryset=User.objects.none(),
        empty_label="请选择",
        error_messages={"required": "请选择个案负责人", "invalid_choice": "所选个案负责人不存在"},
    )
    risk = _choice("风险等级", RiskLevel.choices, "风险等级")
    opened_on = _date("开案日期")
    plan = _text("服务计划")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = User.objects.filter(is_active=True, role__in=KEYWORKER_ROLES).order_by("role", "username")
        self.fields["keyworker"].queryset = users
        self.fields["keyworker"].label_from_instance = lambda u: f"{u.display_name}（{u.get_role_display()}）"
        self.fields["opened_on"].initial = timezone.localdate()
        bootstrap_styled(self)


class FollowUpForm(forms.Form):
    followed_on = _date("随访日期")
    contact = _choice("随访方式", ContactKind.choices, "随访方式")
    risk = _choice("评估风险等级", RiskLevel.choices, "评估风险等级")
    findings = _text("随访情况")
    next_due = _date("下次随访日期", required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["followed_on"].initial = timezone.localdate()
        self.fields["next_due"].help_text = "不填则按风险等级的随访间隔推算"
        if case is not None:
            self.fields["risk"].initial = case.risk
        bootstrap_styled(self)


class CaseCloseForm(forms.Form):
    closed_on = _date("结案日期")
    reason = _choice("结案原因", CloseReason.choices, "结案原因")
    note = forms.CharField(label="结案说明", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate()
        bootstrap_styled(self)


class WatchIssueForm(forms.Form):
    prefix = "watch"

    serial = forms.CharField(label="设备序列号", max_length=40, error_messages={"required": "请填写设备序列号"})
    model_name = forms.CharField(label="型号", max_length=60, required=False, help_text="已登记过的手表可不填")
    sim_number = forms.CharField(label="电话卡号", max_length=20, required=False)
    monthly_fee = forms.DecimalField(
        label="服务月费（元）",
        min_value=0,
        max_digits=8,
        decimal_places=2,
        error_messages={
            "required": "请填写服务月费",
            "invalid": "服务月费应为金额",
            "min_value": "服务月费不能小于 0",
            "max_decimal_places": "服务月费最多两位小数",
        },
    )
    issued_on = _date("发放日期")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].initial = timezone.localdate()
        bootstrap_styled(self)


class WatchEndForm(forms.Form):
    ended_on = _date("归还或遗失日期")
    end = _choice("结束情况", WatchEnd.choices, "归还或遗失")
    note = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()
        bootstrap_styled(self)


def form_errors(form: forms.Form) -> str:
    return "；".join(e for errors in form.errors.values() for e in errors)
