"""Forms of the application pages: taking an application, the review actions, the list
filters, and ending an award. They check input only; the services decide."""

import datetime
from pathlib import Path

from django import forms

from areas.models import Level
from benefits.models import Application, Rate, Scheme
from benefits.months import MonthError, parse_month
from registry.scoping import areas_visible_to

ATTACHMENT_TYPES = {
    # extension → the first bytes every such file starts with
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENT_MAX_FILES = 10


def _blank(choices):
    return [("", "全部"), *choices]


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each checked for type, content and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        if not files and self.required:
            raise forms.ValidationError("请选择附件")
        if len(files) > ATTACHMENT_MAX_FILES:
            raise forms.ValidationError(f"一次最多上传 {ATTACHMENT_MAX_FILES} 个附件")
        return [check_attachment(super(MultipleFileField, self).clean(f, initial)) for f in files]


def check_attachment(upload):
    name = upload.name or ""
    extension = Path(name).suffix.lower()
    if extension not in ATTACHMENT_TYPES:
        raise forms.ValidationError(f"“{name}”不是 PDF、JPG 或 PNG 文件")
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise forms.ValidationError(f"“{name}”超过 {ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB")
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in ATTACHMENT_TYPES[extension]):
        raise forms.ValidationError(f"“{name}”的内容与扩展名 {extension} 不符")
    return upload


class ApplicationForm(forms.Form):
    """Taking an application at the town window (受理)."""

    scheme = forms.ModelChoiceField(label="补贴项目", queryset=Scheme.objects.none(), empty_label="请选择")
    variant = forms.ChoiceField(label="档次", required=False, help_text="仅分档次的项目（如教育资助的学段）填写")
    applied_on = forms.DateField(label="申请日期", widget=DateInput(), help_text="补贴从申请当月起计发")
    applicant = forms.ChoiceField(label="申请方式", choices=[("", "请选择"), *Application.Applicant.choices])
    note = forms.CharField(label="备注", max_length=200, required=False)
    attachment_title = forms.CharField(
        label="附件说明", max_length=90, required=False, help_text="如：身份证、户口簿、低保证复印件"
    )
    attachments = MultipleFileField(
        label="附件",
        required=False,
        help_text=f"PDF、JPG 或 PNG，每个不超过 {ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB，可多选",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = Scheme.objects.filter(is_active=True).order_by("id")
        self.variants: dict[int, list[str]] = {}
        for scheme_id, variant in (
            Rate.objects.exclude(variant="").order_by("scheme_id", "variant").values_list("scheme_id", "variant")
        ):
            names = self.variants.setdefault(scheme_id, [])
            if variant not in names:
                names.append(variant)
        all_variants = sorted({v for names in self.variants.values() for v in names})
        self.fields["variant"].choices = [("", "无"), *[(v, v) for v in all_variants]]
        if not self.is_bound:
            self.initial.setdefault("applied_on", datetime.date.today())
        _styled(self)

    def clean(self):
        data = super().clean()
        scheme, variant = data.get("scheme"), data.get("variant", "")
        if scheme is not None:
            allowed = self.variants.get(scheme.pk, [])
            if allowed and variant not in allowed:
                self.add_error("variant", f"{scheme.name}须选择档次：{'、'.join(allowed)}")
            elif not allowed and variant:
                self.add_error("variant", f"{scheme.name}不分档次，请选“无”")
        applied_on = data.get("applied_on")
        if applied_on and applied_on > datetime.date.today():
            self.add_error("applied_on", "申请日期不能晚于今天")
        if data.get("attachments") and not data.get("attachment_title", "").strip():
            self.add_error("attachment_title", "上传附件时请填写附件说明")
        return data

    def attachment_pairs(self) -> list[tuple[str, object]]:
        """(title, file) for the service; several files share the title, numbered."""
        files = self.cleaned_data.get("attachments") or []
        title = self.cleaned_data.get("attachment_title", "").strip()
        if len(files) == 1:
            return [(title, files[0])]
        return [(f"{title}（{index}）", upload) for index, upload in enumerate(files, start=1)]


class ReasonForm(forms.Form):
    """The reason of a review action; the services decide when it is required."""

    reason = forms.CharField(label="意见", max_length=200, required=False)


class ApplicationFilterForm(forms.Form):
    scheme = forms.ChoiceField(label="补贴项目", required=False)
    state = forms.ChoiceField(label="状态", required=False, choices=_blank(Application.State.choices))
    town = forms.ChoiceField(label="镇(街)", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].choices = _blank([(str(s.pk), s.name) for s in Scheme.objects.order_by("id")])
        towns = areas_visible_to(user).filter(is_active=True, level=Level.TOWN).order_by("code")
        self.fields["town"].choices = _blank([(a.code, a.name) for a in towns])
        _styled(self)


class MonthField(forms.CharField):
    """A month as 2024-06 (the browser's month input) or 2024/6; cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2024-06"})

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_month(text)
        except MonthError as exc:
            raise forms.ValidationError(str(exc)) from None


class AwardEndForm(forms.Form):
    end_month = MonthField(label="最后发放月份")
    reason = forms.CharField(label="终止原因", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)
