"""Forms of the household pages: they parse what was typed; the rules are the services'
(`registry.households`), whose refusals come back as the forms' errors."""

from django import forms

from registry.models import EconomicStatus, Relationship
from registry.scoping import areas_visible_to

_RELATIONSHIPS = [("", "请选择"), *Relationship.choices]


class _Styled(forms.Form):
    """Bootstrap's classes on every widget, as the person forms have them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = (
                "form-check-input"
                if isinstance(widget, forms.CheckboxInput)
                else "form-select"
                if isinstance(widget, forms.Select)
                else "form-control"
            )
            widget.attrs.setdefault("class", css)


class HouseholdForm(_Styled):
    number = forms.CharField(label="户号", max_length=30)
    area = forms.ChoiceField(label="户籍村(居)")
    address = forms.CharField(label="户籍地址", max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from areas.models import Level

        communities = areas_visible_to(user).filter(is_active=True, level=Level.COMMUNITY).select_related("parent")
        self.fields["area"].choices = [("", "请选择")] + [
            (a.code, f"{a.parent.name if a.parent_id else ''} {a.name}".strip()) for a in communities.order_by("code")
        ]


class FamilyMemberForm(_Styled):
    name = forms.CharField(label="姓名", max_length=40)
    id_number = forms.CharField(label="公民身份号码", max_length=22)
    relationship = forms.ChoiceField(label="与残疾人关系", choices=_RELATIONSHIPS)
    is_carer = forms.BooleanField(label="照料人", required=False)
    is_guardian = forms.BooleanField(label="监护人", required=False)


class EconomicStatusForm(_Styled):
    status = forms.ChoiceField(label="经济状况", choices=EconomicStatus.choices)
    date = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="依据", max_length=200, required=False, help_text="如民政部门认定文书号")


class MemberForm(_Styled):
    """A person joins a household: its number, and their relationship to its head."""

    number = forms.CharField(label="户号", max_length=30)
    relationship = forms.ChoiceField(label="与户主关系", choices=_RELATIONSHIPS)
