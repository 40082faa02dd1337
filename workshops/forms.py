"""Forms and input parsing of the workshop pages. They check the shape of the input only;
the services decide (a negative amount reaches the service, which refuses it in words)."""

import datetime
import re
import unicodedata
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from benefits.months import MonthError, parse_month
from canlian.forms import DateInput, bootstrap_styled
from workshops.models import Channel
from workshops.selectors import workshops_visible_to

_YUAN = re.compile(r"^-?\d{1,9}(\.\d{1,2})?$")


def parse_yuan(text: object, *, what: str) -> int:
    """An amount in 元 (at most two decimals, "800", "800.5", "１２.００", "1,200") as fen;
    a negative amount is parsed (the service refuses it with its own message)."""
    if isinstance(text, bool):
        raise ValidationError(f"{what}应为金额")
    if isinstance(text, (int, float, Decimal)):
        text = f"{text}"
    cleaned = unicodedata.normalize("NFKC", str(text or "")).strip().replace(",", "").removeprefix("¥")
    cleaned = cleaned.removesuffix("元").strip()
    if not cleaned:
        raise ValidationError(f"请填写{what}")
    if not _YUAN.match(cleaned):
        raise ValidationError(f"{what}“{text}”不是正确的金额（元，最多两位小数）")
    return int((Decimal(cleaned) * 100).to_integral_value())


def parse_days(text: object, *, what: str) -> int:
    """A whole number of days, negative ones included (refused by the service)."""
    cleaned = unicodedata.normalize("NFKC", str(text if text is not None else "")).strip()
    if isinstance(text, float) and text.is_integer():
        cleaned = str(int(text))
    if not cleaned:
        raise ValidationError(f"请填写{what}")
    if not re.fullmatch(r"-?\d{1,4}", cleaned):
        raise ValidationError(f"{what}“{text}”应为整数")
    return int(cleaned)


def month_param(text: str | None, default: datetime.date) -> datetime.date | None:
    """A YYYY-MM parameter as the month's first day; None when it is not one."""
    if not text:
        return default.replace(day=1)
    try:
        return parse_month(text)
    except MonthError:
        return None


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        error_messages={"required": f"请填写{label}", "invalid": f"{label}格式不正确"},
    )


class JoinForm(forms.Form):
    """A person (the page's) joins a workshop of the user's scope."""

    prefix = "workshop"  # the person page holds other apps' forms

    workshop = forms.ModelChoiceField(
        label="车间",
        queryset=None,
        empty_label="请选择",
        error_messages={"required": "请选择车间", "invalid_choice": "所选车间不存在或已停用"},
    )
    started_on = _date("进入车间日期")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = workshops_visible_to(user).filter(is_active=True).order_by("code")
        self.fields["started_on"].initial = timezone.localdate()
        bootstrap_styled(self)


class EndForm(forms.Form):
    ended_on = _date("离开日期")
    note = forms.CharField(label="离开说明", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()
        bootstrap_styled(self)


class SaleForm(forms.Form):
    channel = forms.ChoiceField(
        label="销售渠道",
        choices=[("", "请选择"), *Channel.choices],
        error_messages={"required": "请选择销售渠道", "invalid_choice": "请选择销售渠道"},
    )
    sold_on = _date("销售日期")
    product = forms.ModelChoiceField(
        label="产品",
        queryset=None,
        required=False,
        empty_label="（不是目录中的产品）",
        error_messages={"invalid_choice": "所选产品不存在"},
    )
    quantity = forms.IntegerField(
        label="数量", required=False, error_messages={"invalid": "数量应为整数"}, help_text="售出目录中的产品时填写"
    )
    amount = forms.CharField(label="金额（元）", error_messages={"required": "请填写销售金额"})
    note = forms.CharField(label="备注", required=False, max_length=200)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        self.fields["product"].label_from_instance = lambda p: f"{p.name}（库存 {p.stock}{p.unit}）"
        self.fields["sold_on"].initial = timezone.localdate()
        self.fields["amount"].widget.attrs["inputmode"] = "decimal"
        bootstrap_styled(self)

    def clean_amount(self) -> int:
        return parse_yuan(self.cleaned_data["amount"], what="销售金额")


class RestockForm(forms.Form):
    quantity = forms.IntegerField(
        label="入库数量", error_messages={"required": "请填写入库数量", "invalid": "入库数量应为整数"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_styled(self)
