"""Forms of the reopening checks, drills and placements. They check input only; the
services (`care.services.places`) decide."""

from django import forms
from django.utils import timezone

from canlian.forms import DateInput, bootstrap_styled
from care.models import Institution, InstitutionKind, PlacementKind
from care.selectors import institutions_visible_to


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        error_messages={"required": f"请填写{label}", "invalid": f"{label}格式不正确"},
    )


class CheckForm(forms.Form):
    checked_on = _date("检查日期")
    result = forms.CharField(label="检查结论", required=False, max_length=200)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checked_on"].initial = timezone.localdate()
        self.items = list(items)
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=item.title,
                choices=[("1", "已完成"), ("0", "未完成")],
                widget=forms.RadioSelect,
                error_messages={"required": f"请填写“{item.title}”的检查结果"},
            )
        bootstrap_styled(self)

    def done(self) -> dict[int, bool]:
        return {i.pk: self.cleaned_data[f"item_{i.pk}"] == "1" for i in self.items}

    def item_fields(self):
        return [self[f"item_{i.pk}"] for i in self.items]


class DrillForm(forms.Form):
    held_on = _date("演练日期")
    topic = forms.CharField(label="演练内容", max_length=100, error_messages={"required": "请填写演练内容"})
    members = forms.TypedMultipleChoiceField(
        label="参加会员", required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    staff = forms.TypedMultipleChoiceField(
        label="参加工作人员", required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label="备注", required=False, max_length=200)

    def __init__(self, *args, members=(), staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        self.fields["members"].choices = list(members)
        self.fields["staff"].choices = list(staff)
        bootstrap_styled(self)


class PlacementForm(forms.Form):
    prefix = "placement"  # the person page holds other apps' forms

    kind = forms.ChoiceField(
        label="托养方式",
        choices=[("", "请选择"), *PlacementKind.choices],
        error_messages={"required": "请选择托养方式", "invalid_choice": "请选择托养方式"},
    )
    institution = forms.ModelChoiceField(
        label="寄宿托养机构",
        queryset=Institution.objects.none(),
        required=False,
        empty_label="（居家养护不选）",
        error_messages={"invalid_choice": "所选机构不存在或已停用"},
    )
    provider = forms.CharField(label="居家养护服务机构", required=False, max_length=100, help_text="寄宿型托养不填")
    started_on = _date("开始日期")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        boarding = institutions_visible_to(user).filter(is_active=True, kind=InstitutionKind.BOARDING)
        self.fields["institution"].queryset = boarding.order_by("code")
        self.fields["started_on"].initial = timezone.localdate()
        bootstrap_styled(self)


class PlacementEndForm(forms.Form):
    ended_on = _date("结束日期")
    reason = forms.CharField(label="结束原因", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()
        bootstrap_styled(self)
