"""Forms of the employment pages. They check input only; the services decide."""

from decimal import Decimal

from django import forms

from areas.models import Level
from canlian.forms import DateInput, bootstrap_styled
from employment.models import (
    AssessmentResult,
    BusinessState,
    EmployerKind,
    EmploymentStatus,
    Milestone,
    RecommendedPath,
    ServicePoint,
    StartupKind,
)
from employment.models.partner import DEFAULT_COUNTY
from employment.selectors import active_points
from registry.scoping import areas_visible_to


def _date(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages={"required": f"请填写{label}", "invalid": f"{label}格式不正确"},
    )


def _choice(label: str, choices, *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=required,
        choices=[("", "请选择"), *choices],
        error_messages={"required": f"请选择{label}"},
    )


def _text(label: str, max_length: int, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={"required": f"请填写{label}", "max_length": f"{label}不能超过 {max_length} 字"},
    )


def _int(label: str, *, required: bool = True, min_value: int = 0, max_value: int | None = None) -> forms.IntegerField:
    messages = {
        "required": f"请填写{label}",
        "invalid": f"{label}应为整数",
        "min_value": f"{label}不能小于 {min_value}",
    }
    if max_value is not None:
        messages["max_value"] = f"{label}不能大于 {max_value}"
    return forms.IntegerField(
        label=label, required=required, min_value=min_value, max_value=max_value, error_messages=messages
    )


def _yuan(label: str, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal("0"),
        max_digits=9,
        decimal_places=2,
        error_messages={
            "required": f"请填写{label}",
            "invalid": f"{label}应为金额",
            "min_value": f"{label}不能为负数",
            "max_digits": f"{label}过大",
            "max_decimal_places": f"{label}最多两位小数",
        },
    )


def fen(value: Decimal | None) -> int | None:
    return None if value is None else int(value * 100)


class PointField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ServicePoint) -> str:
        return f"{obj.name}（{obj.kind_label}）"


def _point(label: str = "服务网点") -> PointField:
    return PointField(
        label=label,
        queryset=active_points(),
        empty_label="请选择",
        error_messages={"required": f"请选择{label}", "invalid_choice": f"请选择{label}"},
    )


class Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_styled(self)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"


class StatusForm(Styled):
    status = _choice("就业状态", EmploymentStatus.choices)
    changed_on = _date("变更日期")
    point = _point()
    note = _text("说明", 200, required=False)


class AssessmentForm(Styled):
    assessed_on = _date("评估日期")
    assessor = _text("评估人", 40)
    result = _choice("评估结果", AssessmentResult.choices)
    path = _choice("建议就业途径", RecommendedPath.choices)
    point = _point("评估网点")
    note = _text("评估意见", 300, required=False)


class CourseForm(Styled):
    name = _text("课程名称", 100)
    provider = _text("培训机构", 100)
    point = _point("培训网点")
    starts_on = _date("开课日期")
    ends_on = _date("结课日期")
    capacity = _int("名额", min_value=1, max_value=1000)
    free = forms.BooleanField(label="免费培训", required=False, initial=True)
    fee = _yuan("收费（元）", required=False)
    hours = _int("课时", required=False, max_value=2000)
    description = _text("培训内容", 300, required=False)

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["fee_fen"] = fen(data.pop("fee")) or 0
        data["hours"] = data.get("hours") or 0
        return data


class EnrolForm(Styled):
    query = _text("公民身份号码", 18)
    enrolled_on = _date("报名日期")


class AttendanceForm(Styled):
    attended_days = _int("出勤天数", max_value=366)


class CompletionForm(Styled):
    completed_on = _date("结业日期")
    certificate_number = _text("结业证书编号", 40, required=False)


class VoidForm(forms.Form):
    reason = _text("作废原因", 200)


class StartupForm(Styled):
    head_name = _text("户主姓名", 40)
    head_id_number = _text("户主公民身份号码", 18)
    household_size = _int("家庭人口", min_value=1, max_value=30)
    kind = _choice("扶持类型", StartupKind.choices)
    business = _text("创业或生产项目", 200)
    applied_on = _date("申请日期")
    point = _point("受理网点")


class ReviewForm(Styled):
    decision = forms.ChoiceField(
        label="审核结论",
        choices=[("approve", "批准"), ("reject", "不予批准")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择审核结论"},
    )
    opinion = _text("审核意见", 200, required=False)


class FollowUpForm(Styled):
    milestone = forms.TypedChoiceField(
        label="回访节点",
        coerce=int,
        choices=[("", "请选择"), *Milestone.choices],
        error_messages={"required": "请选择回访节点"},
    )
    visited_on = _date("回访日期")
    business_state = _choice("经营状况", BusinessState.choices)
    monthly_income = _yuan("月收入（元）", required=False)
    note = _text("回访情况", 300, required=False)


class EmployerForm(Styled):
    name = _text("单位名称", 100)
    kind = _choice("单位类型", EmployerKind.choices)
    caring = forms.BooleanField(label="爱心企业", required=False)
    area = forms.ModelChoiceField(
        label="所在镇(街)", queryset=None, empty_label="请选择", error_messages={"required": "请选择所在镇(街)"}
    )
    credit_code = _text("统一社会信用代码", 18, required=False)
    address = _text("地址", 100, required=False)
    contact = _text("联系人", 40, required=False)
    phone = _text("联系电话", 20, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas_visible_to(user).filter(level=Level.TOWN, is_active=True).order_by("code")


class VacancyForm(Styled):
    title = _text("岗位名称", 60)
    openings = _int("招聘人数", min_value=1, max_value=1000)
    wage = _yuan("月工资（元）")
    posted_on = _date("发布日期")
    closes_on = _date("截止日期", required=False)
    requirements = _text("岗位要求", 200, required=False)
    point = _point("发布网点")


class EmployerField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（爱心企业）" if obj.caring else obj.name


class PlacementForm(Styled):
    employer = EmployerField(
        label="用人单位", queryset=None, empty_label="请选择", error_messages={"required": "请选择用人单位"}
    )
    job_title = _text("岗位", 60)
    started_on = _date("入职日期")
    wage = _yuan("月工资（元）")
    quota = forms.BooleanField(label="计入按比例就业", required=False, initial=True)
    point = _point("推荐网点")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from employment.models import Employer

        self.fields["employer"].queryset = Employer.objects.filter(is_active=True).order_by("-caring", "name")


class PlacementEndForm(Styled):
    ended_on = _date("离职日期")
    reason = _text("离职原因", 200)


class QuotaForm(Styled):
    year = _int("年度", min_value=2016, max_value=2100)
    staff = _int("在职职工人数", min_value=1)
    disabled_employed = _int("安排残疾人就业人数")
    note = _text("说明", 200, required=False)


class PartnerPlacementForm(Styled):
    name = _text("姓名", 40)
    id_number = _text("公民身份号码", 18)
    county = _text("所在县", 40)
    employer = EmployerField(
        label="用人单位", queryset=None, empty_label="请选择", error_messages={"required": "请选择用人单位"}
    )
    job_title = _text("岗位", 60)
    started_on = _date("入职日期")
    wage = _yuan("月工资（元）")
    note = _text("备注", 200, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"county": DEFAULT_COUNTY})
        super().__init__(*args, **kwargs)
        from employment.models import Employer

        self.fields["employer"].queryset = Employer.objects.filter(is_active=True).order_by("-caring", "name")


class PartnerDeviceForm(Styled):
    name = _text("受助人姓名", 40)
    id_number = _text("公民身份号码", 18)
    county = _text("所在县", 40)
    device = _text("辅助器具", 60)
    quantity = _int("数量", min_value=1, max_value=100)
    sent_on = _date("发放日期")
    note = _text("备注", 200, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"county": DEFAULT_COUNTY, "quantity": 1})
        super().__init__(*args, **kwargs)
