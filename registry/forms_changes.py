"""The forms of change requests (变更申请): asking for one, and deciding it. They check
input only; `registry.changes` decides (and checks the values and the evidence again)."""

from django import forms

from areas.models import Area, Level
from registry.changes import EVIDENCE_MAX_BYTES, evidence_check
from registry.forms import CommunityChoiceField, DateInput
from registry.models import ChangeRequest, EconomicStatus, Person

Field = ChangeRequest.Field


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


class ChangeRequestForm(forms.Form):
    """A request to change one key field (`field`) of `person`: the new values of that
    field, the reason and the evidence."""

    # The value fields of each kind of request.
    VALUE_FIELDS = {
        Field.BANK: ("bank_name", "bank_account"),
        Field.AREA: ("area",),
        Field.GUARDIAN: ("guardian_name", "guardian_phone"),
        Field.ECONOMIC: ("economic_status", "effective_on"),
    }

    bank_name = forms.CharField(label="新开户银行", max_length=60)
    bank_account = forms.CharField(label="新银行账号", max_length=40)
    area = CommunityChoiceField(label="新户籍村(居)", queryset=Area.objects.none(), empty_label="请选择")
    guardian_name = forms.CharField(label="新监护人姓名", max_length=40, required=False, help_text="不再有监护人时留空")
    guardian_phone = forms.CharField(label="新监护人电话", max_length=20, required=False)
    economic_status = forms.ChoiceField(label="新经济状况", choices=[("", "请选择"), *EconomicStatus.choices])
    effective_on = forms.DateField(label="生效日期", widget=DateInput(), help_text="民政部门认定的日期，不能晚于今天")
    reason = forms.CharField(label="申请理由", max_length=200, help_text="如：原银行卡挂失补办；户口迁入本村")
    evidence = forms.FileField(
        label="证明材料",
        help_text=f"PDF、JPG、PNG 或 Excel（xlsx）文件，不超过 {EVIDENCE_MAX_BYTES // (1024 * 1024)} MB",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.xlsx"}),
        error_messages={"required": "请上传证明材料（PDF、JPG、PNG 或 Excel 文件）"},
    )

    def __init__(self, *args, field: str, person: Person, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind, self.person = field, person
        keep = {*self.VALUE_FIELDS[field], "reason", "evidence"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "area" in self.fields:
            # Any current community of the person's district: a move to another town is
            # the district's to approve; the requester's scope is the person's today.
            self.fields["area"].queryset = (
                Area.objects.filter(level=Level.COMMUNITY, is_active=True, code__startswith=person.area_id[:6])
                .exclude(code=person.area_id)
                .select_related("parent")
                .order_by("code")
            )
        _styled(self)

    def clean_evidence(self):
        upload = self.cleaned_data["evidence"]
        evidence_check(upload)
        return upload

    def values(self) -> dict:
        """The requested values, named as `registry.changes` takes them."""
        data = self.cleaned_data
        if self.kind == Field.AREA:
            return {"area_id": data["area"].code}
        return {name: data[name] for name in self.VALUE_FIELDS[self.kind] if name != "effective_on"}


class ChangeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核结果", choices=[("approve", "批准"), ("reject", "不予批准")], widget=forms.RadioSelect
    )
    reason = forms.CharField(label="审核意见", max_length=200, required=False, help_text="不予批准时必填")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs["class"] = "form-control"

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", "不予批准须填写原因")
        return data


class ChangeListForm(forms.Form):
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *ChangeRequest.State.choices])
    field = forms.ChoiceField(label="变更事项", required=False, choices=[("", "全部"), *Field.choices])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)
