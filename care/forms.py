"""Forms of the care pages. They check input only; the services decide."""

import datetime

from django import forms
from django.utils import timezone

from canlian.forms import DateInput, bootstrap_styled
from care.models import LeaveReason
from care.selectors import institutions_visible_to


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        error_messages={"required": f"请填写{label}", "invalid": f"{label}格式不正确"},
    )


class EnrolForm(forms.Form):
    """Enrol a person (the page's) at an institution of the user's scope."""

    prefix = "enrol"  # the person page holds other apps' forms

    institution = forms.ModelChoiceField(
        label="托养机构",
        queryset=None,
        empty_label="请选择",
        error_messages={"required": "请选择托养机构", "invalid_choice": "所选机构不存在或已停用"},
    )
    started_on = _date("入托日期")
    override_reason = forms.CharField(
        label="破格入托理由",
        required=False,
        max_length=200,
        help_text="仅在不符合入托条件、经批准仍入托时填写",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions_visible_to(user).filter(is_active=True).order_by("code")
        self.fields["institution"].label_from_instance = lambda i: f"{i.name}（{i.get_kind_display()}）"
        self.fields["started_on"].initial = timezone.localdate()
        bootstrap_styled(self)


class EndForm(forms.Form):
    ended_on = _date("离开日期")
    reason = forms.ChoiceField(
        label="离开原因",
        choices=[("", "请选择"), *LeaveReason.choices],
        error_messages={"required": "请选择离开原因", "invalid_choice": "请选择离开原因"},
    )
    note = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()
        bootstrap_styled(self)


class AcceptForm(forms.Form):
    started_on = _date("入托日期")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started_on"].initial = timezone.localdate()
        bootstrap_styled(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200, error_messages={"required": "请填写原因"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_styled(self)


def parse_day(text: str | None, default: datetime.date) -> datetime.date | None:
    """A YYYY-MM-DD parameter (None when it is not one); `default` when it is absent."""
    if not text:
        return default
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def parse_month(text: str | None, default: datetime.date) -> datetime.date | None:
    """A YYYY-MM parameter as the month's first day (None when it is not one)."""
    if not text:
        return default.replace(day=1)
    try:
        return datetime.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        return None
