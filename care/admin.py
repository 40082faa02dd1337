"""The institutions, their staff and the admission rules are data that the district
administrator keeps here (institutions also by import). Enrolments, the waiting list and
attendance change only through the services (scope, rules, history), so here they are
read-only."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import User
from accounts.roles import Role
from canlian.admin import ReadOnlyMixin
from care.models import (
    WEEKDAYS,
    AdmissionRule,
    Attendance,
    CareCase,
    Enrolment,
    Institution,
    RiskInterval,
    WaitingEntry,
    WatchDevice,
    WatchIssue,
    WatchRule,
)
from care.services.membership import offer_free_places


class InstitutionForm(forms.ModelForm):
    """The open days as seven check boxes; the staff chosen among centre staff accounts."""

    weekdays = forms.TypedMultipleChoiceField(
        label="开放日",
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="每周开放的日子；不开放的日子不能登记考勤",
    )

    class Meta:
        model = Institution
        fields = ["code", "name", "kind", "area", "address", "capacity", "opens_at", "closes_at", "staff", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weekdays"].initial = self.instance.open_weekdays
        if "staff" in self.fields:
            self.fields["staff"].queryset = User.objects.filter(role=Role.CENTRE_STAFF).order_by("username")

    def clean(self):
        data = super().clean()
        self.instance.open_days = sum(1 << (day - 1) for day in data.get("weekdays") or [])
        return data


class NoDeleteMixin:
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Institution)
class InstitutionAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    form = InstitutionForm
    list_display = ["code", "name", "kind", "area", "capacity", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["area"]
    filter_horizontal = ["staff"]
    fields = [
        "code",
        "name",
        "kind",
        "area",
        "address",
        "capacity",
        "weekdays",
        "opens_at",
        "closes_at",
        "staff",
        "is_active",
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            # A capacity raised frees places: the waiting list is offered them at once.
            offer_free_places(user=request.user, institution=obj)


@admin.register(AdmissionRule)
class AdmissionRuleAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["kind", "min_age", "max_age", "categories", "grades", "note"]

    def has_add_permission(self, request):
        # One rule per kind, made by the migration; a kind without one admits anyone.
        return False


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["person", "institution", "started_on", "ended_on", "leave_reason", "area_code", "voided_at"]
    list_filter = ["institution__kind"]
    list_select_related = ["person", "institution"]
    raw_id_fields = ["person"]


@admin.register(WaitingEntry)
class WaitingEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["person", "institution", "applied_on", "state", "offered_on"]
    list_filter = ["state"]
    list_select_related = ["person", "institution"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["person", "institution", "day", "present", "absence_reason"]
    list_select_related = ["person", "institution"]
    raw_id_fields = ["person"]
    show_full_result_count = False


# Cases and watches: the parameters are edited here; the records only through the services.


@admin.register(RiskInterval)
class RiskIntervalAdmin(admin.ModelAdmin):
    list_display = ("risk", "days")


@admin.register(WatchRule)
class WatchRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "categories", "note")


@admin.register(WatchDevice)
class WatchDeviceAdmin(admin.ModelAdmin):
    list_display = ("serial", "model_name", "sim_number")
    search_fields = ("serial", "sim_number")


@admin.register(CareCase, WatchIssue)
class CaseRecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("person", "area_code", "created_at")
