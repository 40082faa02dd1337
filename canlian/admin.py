"""Admin pieces shared by the apps, and the read-only admins of the audit log and the jobs."""

from django.contrib import admin

from canlian.models import AuditEntry, Job


class ReadOnlyMixin:
    """An admin that shows records and never adds, changes or deletes them: persons, events,
    money and the audit log change only through the services, which check and log."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "user", "action", "content_type", "object_id", "person_id"]
    list_filter = ["action"]
    raw_id_fields = ["user"]


@admin.register(Job)
class JobAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "title", "state", "processed", "total", "created_by"]
    list_filter = ["kind", "state"]
