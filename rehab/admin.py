"""The catalogue of service items and the designated providers are local data that the
district administrator edits here. Items and providers are switched off, not deleted:
records point at them. Assessments and records change only through the services (scope,
validation, history), so here they are read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from canlian.admin import ReadOnlyMixin
from rehab.models import (
    Child,
    ChildApplication,
    ChildRehabRecord,
    ChildRehabStandard,
    NeedAssessment,
    Provider,
    RehabItem,
    ServiceRecord,
)


class NoDeleteMixin:
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RehabItem)
class RehabItemAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]


@admin.register(Provider)
class ProviderAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "area", "is_active", "serves_children"]
    list_filter = ["is_active", "serves_children"]
    search_fields = ["name"]
    raw_id_fields = ["area"]


@admin.register(NeedAssessment)
class NeedAssessmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["person", "year", "has_need", "assessed_on", "area_code"]
    list_select_related = ["person"]
    list_filter = ["year", "has_need"]
    raw_id_fields = ["person"]


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["person", "served_on", "item", "provider", "sessions", "area_code", "voided_at"]
    list_filter = ["item__kind"]
    list_select_related = ["person", "item", "provider"]
    raw_id_fields = ["person"]
    # The admin's full count of a large table on every page is the one thing to avoid.
    show_full_result_count = False


# Child rehabilitation assistance: the yearly standards are the district's data; children,
# applications and records change only through the services (rehab.services_children).


@admin.register(ChildRehabStandard)
class ChildRehabStandardAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["year", "kind", "cap_yuan", "max_age", "note"]
    list_filter = ["year", "kind"]

    @admin.display(description="年度限额（元）")
    def cap_yuan(self, obj):
        return obj.cap_yuan


@admin.register(Child)
class ChildAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "disability", "area", "person", "created_at"]
    list_filter = ["disability"]
    list_select_related = ["area", "person"]
    # Identifiers are not listed or searched here: the pages show them masked.
    exclude = ["id_number", "birth_certificate", "guardian_phone"]


@admin.register(ChildApplication)
class ChildApplicationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["child", "year", "kind", "state", "applied_on", "area_code"]
    list_filter = ["year", "kind", "state"]
    list_select_related = ["child"]


@admin.register(ChildRehabRecord)
class ChildRehabRecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["child", "served_on", "content", "amount_fen", "area_code", "voided_at"]
    list_select_related = ["child"]
