import datetime
from collections.abc import Callable

from django import forms

from areas.models import Level
from registry.changes import FORM_FIELDS_BY_REQUEST
from registry.identifiers import IdentifierError, normalize, parse_certificate, parse_id_number
from registry.models import Category, EventKind, Grade, Person
from registry.scoping import areas_visible_to
from registry.services import EVENT_MANAGED_FIELDS
from registry.validators import FieldError, bank_account_clean, name_clean, phone_clean


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CommunityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} {obj.name}" if obj.parent_id else obj.name


def clean_by_rule(rule: Callable[..., str], value: str, *, label: str, stored: str | None = None) -> str:
    """`value` by its field's rule (`registry.validators`). A person registered before the
    rule held (an older import) may keep a value it refuses: the edit form then says that
    the stored value is the problem and that clearing it is allowed, so the officer fixes
    it in the same edit rather than being blocked on another field (issue 11, item 4)."""
    try:
        return rule(value, label=label)
    except FieldError as exc:
        message = str(exc)
        if stored and normalize(value) == normalize(stored):
            message = f"系统中原有的{message}；请改正，或清空该项后保存"
        raise forms.ValidationError(message) from None


class PersonForm(forms.ModelForm):
    """Registering or editing a person. On edit, the state fields (grade, category,
    economic status, validity, status) are not here: they change through dated events."""

    area = CommunityChoiceField(label="户籍村(居)", queryset=None, empty_label="请选择")

    class Meta:
        model = Person
        fields = [
            "name",
            "gender",
            "id_number",
            "certificate_number",
            "category",
            "grade",
            "certificate_issued",
            "certificate_valid_until",
            "area",
            "address",
            "phone",
            "guardian_name",
            "guardian_phone",
            "economic_status",
            "lives_alone",
            "bank_name",
            "bank_account",
        ]
        widgets = {"certificate_issued": DateInput(), "certificate_valid_until": DateInput()}
        error_messages = {"id_number": {"unique": "该身份证号已登记，请勿重复登记（可能在其他镇街）"}}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["area"].queryset = (
            areas_visible_to(user)
            .filter(level=Level.COMMUNITY, is_active=True)
            .select_related("parent")
            .order_by("code")
        )
        if self.instance.pk:
            # The key fields change by an approved change request (registry.changes).
            for field in (*EVENT_MANAGED_FIELDS, *FORM_FIELDS_BY_REQUEST):
                self.fields.pop(field, None)
            self.fields.pop("category", None)
            self.fields.pop("grade", None)
            # The certificate number is the ID plus category and grade: recomputed on save.
            self.fields.pop("certificate_number", None)
        for field in self.fields.values():
            css = (
                "form-check-input"
                if isinstance(field.widget, forms.CheckboxInput)
                else "form-select"
                if isinstance(field.widget, forms.Select)
                else "form-control"
            )
            field.widget.attrs.setdefault("class", css)
        self.id_warnings: list[str] = []

    def clean_name(self):
        return clean_by_rule(name_clean, self.cleaned_data["name"], label="姓名", stored=self.instance.name)

    def clean_id_number(self):
        try:
            parsed = parse_id_number(self.cleaned_data["id_number"])
        except IdentifierError as exc:
            raise forms.ValidationError(str(exc)) from None
        self.id_warnings = parsed.warnings
        self.parsed_id = parsed
        return parsed.number

    def clean_phone(self):
        return clean_by_rule(phone_clean, self.cleaned_data["phone"], label="联系电话", stored=self.instance.phone)

    def clean_guardian_phone(self):
        return clean_by_rule(
            phone_clean, self.cleaned_data["guardian_phone"], label="监护人电话", stored=self.instance.guardian_phone
        )

    def clean_bank_account(self):
        return clean_by_rule(
            bank_account_clean, self.cleaned_data["bank_account"], label="银行账号", stored=self.instance.bank_account
        )

    def clean(self):
        data = super().clean()
        parsed = getattr(self, "parsed_id", None)
        if parsed is None:
            return data
        if data.get("gender") and data["gender"] != parsed.gender:
            self.add_error("gender", "性别与身份证号第 17 位不符（奇数为男，偶数为女）")
        category = data.get("category", self.instance.category if self.instance.pk else None)
        grade = data.get("grade", self.instance.grade if self.instance.pk else None)
        if "certificate_number" in self.fields and category and grade:
            try:
                cert = parse_certificate(
                    data.get("certificate_number"),
                    id_number=parsed.number,
                    category=category,
                    grade=grade,
                    converted_from=parsed.converted_from,
                )
                data["certificate_number"] = cert.number
            except IdentifierError as exc:
                self.add_error("certificate_number", str(exc))
        issued, valid_until = data.get("certificate_issued"), data.get("certificate_valid_until")
        if issued and issued > datetime.date.today():
            self.add_error("certificate_issued", "发证日期不能晚于今天")
        if issued and valid_until and valid_until <= issued:
            self.add_error("certificate_valid_until", "有效期至应晚于发证日期")
        if issued and issued < parsed.birth_date:
            self.add_error("certificate_issued", "发证日期不能早于出生日期")
        return data


# Events recorded by their own flows, not by the event form: a change of economic status
# outside a comparison list is a change request (registry.changes); 合并 is a merge of
# duplicates (registry.duplicates).
RECORDED_ELSEWHERE = (EventKind.ECONOMIC, EventKind.MERGED)


class PersonEventForm(forms.Form):
    """A dated status change of a person. Each value field belongs to one kind of event
    (`shown_for`): the page's script shows only the chosen event's field, and without the
    script every field shows and the ones of other events are ignored. Every mistake is
    reported at once, the person's dates (future, before birth) included."""

    kind = forms.ChoiceField(
        label="事件",
        choices=[("", "请选择"), *((k, v) for k, v in EventKind.choices if k not in RECORDED_ELSEWHERE)],
    )
    date = forms.DateField(label="生效日期", widget=DateInput())
    grade = forms.TypedChoiceField(label="新等级", required=False, coerce=int, choices=[("", "—"), *Grade.choices])
    category = forms.TypedChoiceField(
        label="新类别", required=False, coerce=int, choices=[("", "—"), *Category.choices]
    )
    valid_until = forms.DateField(label="新有效期至（长期有效请留空）", required=False, widget=DateInput())
    reason = forms.CharField(label="原因/依据", max_length=200)

    VALUE_FIELD = {
        EventKind.GRADE: "grade",
        EventKind.CATEGORY: "category",
        EventKind.RENEWAL: "valid_until",
    }
    # The value fields an event of that kind must have (a renewal's empty date is 长期).
    REQUIRED_VALUE = {"grade", "category"}

    def __init__(self, *args, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        for kind, name in self.VALUE_FIELD.items():
            field = self.fields[name]
            field.shown_for = [kind]
            field.required_for = name in self.REQUIRED_VALUE
            field.help_text = f"{EventKind(kind).label}时{'必填' if field.required_for else '填写'}"
            if field.required_for:
                field.widget.attrs["aria-required"] = "true"
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )

    def clean(self):
        data = super().clean()
        value_field = self.VALUE_FIELD.get(data.get("kind"))
        if value_field in self.REQUIRED_VALUE and data.get(value_field) in (None, ""):
            self.add_error(value_field, f"请选择{self.fields[value_field].label}")
        day = data.get("date")
        if day and day > datetime.date.today():
            self.add_error("date", "生效日期不能晚于今天")
        elif day and self.person is not None and day < self.person.birth_date:
            self.add_error("date", "生效日期不能早于出生日期")
        data["value"] = data.get(value_field) if value_field else None
        return data
