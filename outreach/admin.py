"""Outreach records are not in the admin: they are personal data, written by the services
and voided, never edited, and the system administrator sees no business data (三员分立)."""

from django.contrib import admin

from outreach.models import WatchRule


@admin.register(WatchRule)
class WatchRuleAdmin(admin.ModelAdmin):
    """The contact intervals of the living-alone watch: one row, edited, never added twice."""

    list_display = ("interval_days", "short_interval_days", "severe_grade", "elderly_age")

    def has_add_permission(self, request):
        return not WatchRule.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
