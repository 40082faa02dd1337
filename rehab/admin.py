"""The catalogue of service items and the designated providers are local data that the
district administrator edits here. Items and providers are switched off, not deleted:
records point at them. Assessments and records change only through the services (scope,
validation, history), so here they are read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from canlian.admin import ReadOnlyMixin
from rehab.models import NeedAssessment, Provider, RehabItem, ServiceRecord


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
    list_display = ["name", "area", "is_active"]
    list_filter = ["is_active"]
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
