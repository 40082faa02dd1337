"""Forms of the child rehabilitation assistance pages. They read input only; the services
(`rehab.services_children`) decide, and their refusals come back on the field they name."""

import datetime
from decimal import Decimal

from django import forms

from areas.models import Level
from registry.forms import CommunityChoiceField
from registry.scoping import areas_visible_to
from rehab.forms import NeedAssessmentForm
from rehab.models_children import AssistanceKind, ChildDisability, PriorityGroup
from rehab.selectors import DateInput
from rehab.selectors_children import designated_institutions

GENDERS = [("", "请选择"), ("M", "男"), ("F", "女")]


class StyledForm(forms.Form):
    """A form whose inputs carry Bootstrap's classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if not isinstance(widget, forms.RadioSelect):
                widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


def fen_of(amount: Decimal | None) -> int | None:
    """元 with at most two decimals, as integer fen."""
    return None if amount is None else int((amount * 100).to_integral_value())


def _communities(user):
    communities = areas_visible_to(user).filter(level=Level.COMMUNITY, is_active=True)
    return communities.select_related("parent").order_by("code")


def _date(label: str, *, required: bool = True, help_text: str = "", initial=datetime.date.today) -> forms.DateField:
    """A date field, today by default."""
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        initial=initial,
        widget=DateInput(),
        error_messages={"required": f"请填写{label}", "invalid": f"{label}格式不正确"},
    )


def _money(label: str, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal("0"),
        max_digits=10,
        decimal_places=2,
        error_messages={
            "required": f"请填写{label}",
            "invalid": f"{label}应为数字",
            "min_value": f"{label}不能为负数",
            "max_decimal_places": f"{label}最多两位小数",
            "max_digits": f"{label}过大",
        },
    )


class ChildForm(StyledForm):
    """Registering a child, with or without a certificate."""

    name = forms.CharField(label="儿童姓名", max_length=40, error_messages={"required": "请填写儿童姓名"})
    gender = forms.ChoiceField(label="性别", choices=GENDERS, required=False)
    id_number = forms.CharField(
        label="身份证号", max_length=30, required=False, help_text="已办理身份证的填写；持证儿童按身份证号自动关联"
    )
    birth_certificate = forms.CharField(
        label="出生医学证明编号", max_length=30, required=False, help_text="尚无身份证号时填写"
    )
    birth_date = _date("出生日期", required=False, help_text="填写身份证号的可不填", initial=None)
    disability = forms.ChoiceField(label="残疾类别", choices=[("", "请选择"), *ChildDisability.choices], required=False)
    diagnosis = forms.CharField(label="诊断", max_length=200, required=False)
    diagnosed_by = forms.CharField(label="诊断机构", max_length=100, required=False)
    guardian_name = forms.CharField(label="监护人姓名", max_length=40, required=False)
    guardian_phone = forms.CharField(label="监护人电话", max_length=20, required=False)
    area = CommunityChoiceField(label="所在村(居)", queryset=None, empty_label="请选择", required=False)
    address = forms.CharField(label="现住址", max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _communities(user)


class ChildEditForm(StyledForm):
    """What may change of a registered child. The ID number only for a child recorded by
    birth certificate; the guardian's phone is shown masked and kept when left blank."""

    disability = forms.ChoiceField(label="残疾类别", choices=[("", "请选择"), *ChildDisability.choices], required=False)
    diagnosis = forms.CharField(label="诊断", max_length=200, required=False)
    diagnosed_by = forms.CharField(label="诊断机构", max_length=100, required=False)
    guardian_name = forms.CharField(label="监护人姓名", max_length=40, required=False)
    guardian_phone = forms.CharField(label="监护人电话", max_length=20, required=False)
    area = CommunityChoiceField(label="所在村(居)", queryset=None, empty_label="请选择", required=False)
    address = forms.CharField(label="现住址", max_length=200, required=False)
    id_number = forms.CharField(label="身份证号（补录）", max_length=30, required=False)

    def __init__(self, *args, user, child, masked_phone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _communities(user)
        self.fields["guardian_phone"].help_text = f"现为 {masked_phone}，不修改请留空"
        if child.id_number:
            del self.fields["id_number"]
        else:
            self.fields["id_number"].help_text = "办理身份证后填写；已持证的将自动关联"
        if not self.is_bound:
            self.initial.update(
                {
                    "disability": child.disability,
                    "diagnosis": child.diagnosis,
                    "diagnosed_by": child.diagnosed_by,
                    "guardian_name": child.guardian_name,
                    "area": child.area_id,
                    "address": child.address,
                }
            )


class ChildAssessmentForm(NeedAssessmentForm):
    """The child's yearly assessment: the person's form without the kinds of need. On the
    child's page beside the application form, so with ids of its own (assess_…)."""

    kinds = None

    def __init__(self, *args, current=None, **kwargs):
        kwargs.setdefault("auto_id", "assess_%s")
        super().__init__(*args, **kwargs)
        if current is not None:
            self.initial.update({"has_need": "1" if current.has_need else "0", "note": current.note})


class ChildApplicationForm(StyledForm):
    """On the child's page beside the assessment form: its own ids (apply_…)."""

    kind = forms.ChoiceField(
        label="救助类别",
        choices=[("", "请选择"), *AssistanceKind.choices],
        error_messages={"required": "请选择救助类别"},
    )
    priority_group = forms.ChoiceField(
        label="救助对象类别",
        choices=[("", "请选择"), *PriorityGroup.choices],
        error_messages={"required": "请选择救助对象类别"},
    )
    applied_on = _date("申请日期")
    requested = _money("申请金额（元）")
    applicant_name = forms.CharField(label="申请人（监护人）", max_length=40, required=False, help_text="默认为监护人")
    note = forms.CharField(label="备注", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "apply_%s")
        super().__init__(*args, **kwargs)


class DecisionForm(forms.Form):
    approved = _money("批准金额（元）", required=False)
    reason = forms.CharField(label="审批意见", required=False, max_length=200)


class PlacementForm(StyledForm):
    institution = forms.ModelChoiceField(
        label="定点康复机构",
        queryset=designated_institutions(),
        empty_label="请选择",
        error_messages={"required": "请选择定点康复机构", "invalid_choice": "所选机构不是在用的定点机构"},
    )
    placed_on = _date("安置日期")


class CloseForm(StyledForm):
    closed_on = _date("结案日期")
    reason = forms.CharField(label="结案说明", required=False, max_length=200)


class ChildRecordForm(StyledForm):
    served_on = _date("服务日期")
    content = forms.CharField(
        label="服务内容",
        max_length=100,
        help_text="训练项目、器具名称或手术名称",
        error_messages={"required": "请填写服务内容（训练项目、器具名称或手术名称）"},
    )
    sessions = forms.IntegerField(
        label="服务次数", initial=1, error_messages={"required": "请填写服务次数", "invalid": "服务次数应为整数"}
    )
    amount = _money("金额（元）")
    note = forms.CharField(label="备注", required=False, max_length=200)
