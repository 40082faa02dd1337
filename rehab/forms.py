"""Forms of the rehabilitation pages. They check input only; the services decide."""

import datetime

from django import forms

from rehab.models import ItemKind
from rehab.selectors import DateInput, active_items, active_providers


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
            continue
        widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


class ServiceRecordForm(forms.Form):
    item = forms.ModelChoiceField(
        label="康复项目",
        queryset=active_items(),
        empty_label="请选择",
        error_messages={"required": "请选择康复项目", "invalid_choice": "所选康复项目不存在或已停用"},
    )
    provider = forms.ModelChoiceField(
        label="服务机构",
        queryset=active_providers(),
        empty_label="请选择",
        error_messages={"required": "请选择服务机构", "invalid_choice": "所选服务机构不存在或已停用"},
    )
    served_on = forms.DateField(
        label="服务日期",
        widget=DateInput(),
        error_messages={"required": "请填写服务日期", "invalid": "服务日期格式不正确"},
    )
    sessions = forms.IntegerField(
        label="服务次数", initial=1, error_messages={"required": "请填写服务次数", "invalid": "服务次数应为整数"}
    )
    note = forms.CharField(label="备注", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].label_from_instance = lambda item: f"{item.code} {item.name}（{item.get_kind_display()}）"
        self.fields["served_on"].initial = datetime.date.today()
        _styled(self)


class NeedAssessmentForm(forms.Form):
    """The year's assessment; to correct one, the form starts from what it says (`current`)."""

    has_need = forms.TypedChoiceField(
        label="评估结论",
        choices=[("1", "有康复需求"), ("0", "无康复需求")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": "请选择评估结论"},
    )
    kinds = forms.MultipleChoiceField(
        label="需求类别",
        required=False,
        choices=ItemKind.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    assessed_on = forms.DateField(
        label="评估日期",
        widget=DateInput(),
        error_messages={"required": "请填写评估日期", "invalid": "评估日期格式不正确"},
    )
    note = forms.CharField(label="备注", required=False, max_length=200)

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = datetime.date.today()
        if current is not None:
            self.initial.update(
                {"has_need": "1" if current.has_need else "0", "kinds": current.kinds, "note": current.note}
            )
        _styled(self)
