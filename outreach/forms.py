"""Forms of the outreach pages. They check the input's shape only; the services decide."""

import datetime
from decimal import Decimal

from django import forms

from outreach.models import MAX_VISIT_MONEY, NeedKind, TargetRule
from outreach.selectors import DateInput, visitor_choices


def styled(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
            continue
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
            continue
        if isinstance(widget, (forms.Select, forms.SelectMultiple)):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


def date_field(label: str, **kwargs) -> forms.DateField:
    """A required date with the page's date picker and Chinese messages."""
    return forms.DateField(
        label=label,
        widget=DateInput(),
        error_messages={"required": f"请填写{label}", "invalid": f"{label}格式不正确"},
        **kwargs,
    )


class PhotosInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Any number of files (the service checks each one's type and size, and the count)."""

    widget = PhotosInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(PhotosField, self).clean(f, initial) for f in files]


class VisitForm(forms.Form):
    visited_on = forms.DateField(
        label="走访日期",
        widget=DateInput(),
        error_messages={"required": "请填写走访日期", "invalid": "走访日期格式不正确"},
    )
    visitors = forms.ModelMultipleChoiceField(
        label="走访人（系统用户）",
        required=False,
        queryset=None,
        help_text="可多选：按住控制键点选",
        error_messages={"invalid_choice": "所选走访人不存在或已停用"},
    )
    other_visitors = forms.CharField(
        label="其他走访人", required=False, max_length=200, help_text="如区领导、社区干部，多人用顿号分隔"
    )
    findings = forms.CharField(
        label="走访情况", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    needs = forms.MultipleChoiceField(
        label="发现需求",
        required=False,
        choices=NeedKind.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    money = forms.DecimalField(
        label="慰问金额（元）",
        required=False,
        min_value=Decimal("0"),
        max_value=MAX_VISIT_MONEY,
        decimal_places=2,
        error_messages={
            "invalid": "慰问金额应为数字",
            "min_value": "慰问金额不能为负数",
            "max_value": f"慰问金额不能超过 {MAX_VISIT_MONEY:,.0f} 元",
            "max_decimal_places": "慰问金额最多保留两位小数",
            "max_digits": "慰问金额位数过多",
        },
    )
    gifts = forms.CharField(label="慰问物品", required=False, max_length=200, help_text="如大米一袋、食用油一瓶")
    follow_up_on = forms.DateField(
        label="下次跟进日期", required=False, widget=DateInput(), error_messages={"invalid": "下次跟进日期格式不正确"}
    )
    photos = PhotosField(
        label="照片",
        required=False,
        help_text="JPG 或 PNG 格式，每张不超过 5 MB，最多 10 张",
        widget=PhotosInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitors"].queryset = visitor_choices(user)
        self.fields["visitors"].label_from_instance = lambda u: u.display_name
        self.fields["visited_on"].initial = datetime.date.today()
        if not self.is_bound:
            self.initial.setdefault("visitors", [user.pk])
        styled(self)


class VoidForm(forms.Form):
    reason = forms.CharField(label="作废原因", max_length=200, error_messages={"required": "请填写作废原因"})


class NeedCloseForm(forms.Form):
    outcome = forms.CharField(label="办理结果", max_length=500, error_messages={"required": "请填写办理结果"})
    closed_on = forms.DateField(
        label="办结日期",
        widget=DateInput(),
        error_messages={"required": "请填写办结日期", "invalid": "办结日期格式不正确"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = datetime.date.today()
        styled(self)


class CampaignForm(forms.Form):
    name = forms.CharField(label="活动名称", max_length=60, error_messages={"required": "请填写活动名称"})
    gift = forms.CharField(
        label="发放内容",
        max_length=200,
        help_text="如米、油、日用品一份",
        error_messages={"required": "请填写发放内容"},
    )
    rule = forms.ChoiceField(
        label="发放对象", choices=TargetRule.choices, error_messages={"required": "请选择发放对象"}
    )
    starts_on = forms.DateField(
        label="开始日期",
        widget=DateInput(),
        error_messages={"required": "请填写开始日期", "invalid": "开始日期格式不正确"},
    )
    ends_on = forms.DateField(
        label="结束日期",
        widget=DateInput(),
        error_messages={"required": "请填写结束日期", "invalid": "结束日期格式不正确"},
    )
    per_household = forms.BooleanField(
        label="每户一份", required=False, help_text="勾选后同一户只发一份：户内已有成员领取的，其他成员不能再领"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


class DeliveryForm(forms.Form):
    """The fast entry: an ID number typed or scanned (a scanner types it and presses
    Enter), the day and who delivered, both kept for the next number."""

    id_number = forms.CharField(
        label="身份证号",
        max_length=40,
        error_messages={"required": "请输入或扫描身份证号"},
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "inputmode": "text"}),
    )
    delivered_on = forms.DateField(
        label="发放日期",
        widget=DateInput(),
        error_messages={"required": "请填写发放日期", "invalid": "发放日期格式不正确"},
    )
    deliverer = forms.CharField(label="发放人", max_length=40, error_messages={"required": "请填写发放人"})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivered_on"].initial = datetime.date.today()
        self.fields["deliverer"].initial = user.display_name
        styled(self)
