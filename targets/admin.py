"""The district administrator edits the year's targets here too (or on /targets/targets/);
the computed figures are read-only: only the refresh writes them."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from canlian.admin import ReadOnlyMixin
from targets.indicators import INDICATORS
from targets.models import IndicatorRefresh, IndicatorValue, Target, TrafficLight
from targets.services import target_areas


class TargetForm(forms.ModelForm):
    indicator = forms.ChoiceField(label="指标", choices=[(i.key, f"{i.name}（{i.unit}）") for i in INDICATORS.values()])

    class Meta:
        model = Target
        fields = ["year", "indicator", "area", "value", "basis", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = self.fields["area"].queryset.filter(code__in=[a.code for a in target_areas()])


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    form = TargetForm
    list_display = ["year", "indicator_name", "area", "value", "basis", "note", "updated_by", "updated_at"]
    list_filter = ["year", "indicator"]

    @admin.display(description="指标")
    def indicator_name(self, obj: Target) -> str:
        indicator = INDICATORS.get(obj.indicator)
        return f"{indicator.name}（{indicator.unit}）" if indicator else obj.indicator

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["indicator", "year", "month", "area_code", "value", "base", "computed_at"]
    list_filter = ["year", "indicator", "month"]


@admin.register(IndicatorRefresh)
class IndicatorRefreshAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["indicator", "year", "computed_at", "duration_ms", "rows"]
    list_filter = ["year"]


class TrafficLightForm(forms.ModelForm):
    indicator = forms.ChoiceField(
        label="指标",
        required=False,
        choices=[("", "（默认：所有指标）")] + [(i.key, f"{i.name}（{i.unit}）") for i in INDICATORS.values()],
    )

    class Meta:
        model = TrafficLight
        fields = ["indicator", "green_from", "amber_from"]


@admin.register(TrafficLight)
class TrafficLightAdmin(admin.ModelAdmin):
    """The district administrator sets the traffic light's thresholds here (data, not code)."""

    form = TrafficLightForm
    list_display = ["__str__", "indicator", "green_from", "amber_from"]
