"""The admin is where the district administrator edits schemes, rates and rule parameters
(data, never code). Money records — applications, awards, batches — change only through
their services (review flow, payroll), so here they are read-only."""

from django import forms
from django.contrib import admin

from benefits.models import Application, Award, GrantProject, PayrollBatch, Rate, Scheme, Vehicle
from benefits.rules import RULES
from canlian.admin import ReadOnlyMixin


class RateForm(forms.ModelForm):
    class Meta:
        model = Rate
        fields = ["scheme", "variant", "valid_from", "amount_fen", "note"]

    def clean_valid_from(self):
        value = self.cleaned_data["valid_from"]
        if value and value.day != 1:
            raise forms.ValidationError("起始月份请填写该月 1 日：标准按月生效")
        return value


class RateInline(admin.TabularInline):
    model = Rate
    form = RateForm
    extra = 1
    fields = ["variant", "valid_from", "amount_fen", "note"]


class SchemeForm(forms.ModelForm):
    rule = forms.ChoiceField(label="认定规则", choices=[(name, label) for name, (label, _) in RULES.items()])

    class Meta:
        model = Scheme
        fields = ["code", "name", "short_name", "kind", "rule", "params", "notice_days", "is_active"]

    def clean_params(self):
        params = self.cleaned_data["params"]
        if not isinstance(params, dict):
            raise forms.ValidationError('规则参数应为 JSON 对象，如 {"exclude_tekun": true}')
        if "exclude_tekun" in params and not isinstance(params["exclude_tekun"], bool):
            raise forms.ValidationError("exclude_tekun 应为 true 或 false")
        for key in ("economic", "grades", "extended_categories"):
            if key in params and not isinstance(params[key], list):
                raise forms.ValidationError(f"{key} 应为列表")
        return params


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    form = SchemeForm
    list_display = ["code", "name", "kind", "rule", "notice_days", "is_active"]
    list_filter = ["kind", "is_active"]
    inlines = [RateInline]


@admin.register(Rate)
class RateAdmin(admin.ModelAdmin):
    form = RateForm
    list_display = ["scheme", "variant", "valid_from", "amount_fen", "note"]
    list_filter = ["scheme"]


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["person", "scheme", "applied_on", "state", "area_code"]
    list_filter = ["scheme", "state"]
    raw_id_fields = ["person"]


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["person", "scheme", "start_month", "end_month", "source", "area_code"]
    list_filter = ["scheme", "source"]
    raw_id_fields = ["person"]


@admin.register(PayrollBatch)
class PayrollBatchAdmin(ReadOnlyAdmin):
    list_display = ["scheme", "month", "state", "person_count", "total_fen", "prepared_by", "approved_by"]
    list_filter = ["scheme", "state"]


@admin.register(Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    list_display = ["plate", "person", "lower_limb", "registered_on", "retired_on"]
    raw_id_fields = ["person"]


@admin.register(GrantProject)
class GrantProjectAdmin(ReadOnlyAdmin):
    list_display = ["application", "status"]
