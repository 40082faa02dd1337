"""Reading the audit log: the filters of its page and export."""

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from canlian.audit import ACTIONS
from canlian.models import AuditEntry
from registry.identifiers import normalize
from registry.models import Person

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}


class AuditFilterForm(forms.Form):
    user = forms.ModelChoiceField(label="用户", required=False, queryset=User.objects.none(), empty_label="全部")
    action = forms.ChoiceField(label="操作", required=False)
    date_from = forms.DateField(label="日期自", required=False, widget=forms.DateInput(**DATE_WIDGET))
    date_to = forms.DateField(label="至", required=False, widget=forms.DateInput(**DATE_WIDGET))
    person = forms.CharField(
        label="人员（身份证号或人员编号）",
        required=False,
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.order_by("username")
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name}（{u.username}）"
        labels = sorted(ACTIONS.items())
        self.fields["action"].choices = [("", "全部"), *[(key, f"{label}（{key}）") for key, label in labels]]
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            css = "form-select form-select-sm" if select else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)

    def clean_person(self) -> int | None:
        """The person's pk: from their ID number (18 characters), or the pk itself."""
        raw = normalize(self.cleaned_data.get("person"))
        if not raw:
            return None
        if len(raw) == 18:
            pk = Person.objects.filter(id_number=raw).values_list("pk", flat=True).first()
            if pk is None:
                raise forms.ValidationError(f"没有身份证号为 {raw} 的人员")
            return pk
        if raw.isdigit() and len(raw) <= 18:
            return int(raw)
        raise forms.ValidationError("请填写 18 位身份证号或人员编号（数字）")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("起始日期不能晚于截止日期")
        return data


def _day_start(day: datetime.date) -> datetime.datetime:
    """The first instant of `day` in the federation's time zone (the page's dates are local)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filtered_entries(params) -> tuple[QuerySet, AuditFilterForm]:
    """The entries matching the GET parameters `params`, newest first. A filter that is
    wrong (an unknown ID number, dates the wrong way round) lists nothing, with the form's
    reason: an audit search must not answer a narrow question with everything."""
    form = AuditFilterForm(params or None)
    entries = AuditEntry.objects.all()
    if form.is_bound and not form.is_valid():
        return entries.none(), form
    data = form.cleaned_data if form.is_bound else {}
    if data.get("user"):
        entries = entries.filter(user=data["user"])
    if data.get("action"):
        entries = entries.filter(action=data["action"])
    if data.get("date_from"):
        entries = entries.filter(created_at__gte=_day_start(data["date_from"]))
    if data.get("date_to"):
        entries = entries.filter(created_at__lt=_day_start(data["date_to"] + datetime.timedelta(days=1)))
    if data.get("person") is not None:
        entries = entries.filter(person_id=data["person"])
    return entries.order_by("-created_at", "-id"), form


def with_display(entries: QuerySet) -> QuerySet:
    return entries.select_related("user", "content_type")
