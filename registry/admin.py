"""Persons are read-only here: registering and editing go through the pages and their
services, which check jurisdiction and record dated events; the admin shows the field
history for the district administrator."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from canlian.admin import ReadOnlyMixin
from registry.models import ImportJob, Person, PersonEvent


@admin.register(Person)
class PersonAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["name", "area", "category", "grade", "economic_status", "status"]
    list_filter = ["category", "grade", "status", "economic_status"]
    search_fields = ["name", "id_number"]
    raw_id_fields = ["area"]


@admin.register(PersonEvent)
class PersonEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["person", "kind", "date", "old_label", "new_label", "source"]
    list_filter = ["kind"]
    raw_id_fields = ["person"]

    @admin.display(description="原值")
    def old_label(self, event):
        return event.old_value_label

    @admin.display(description="新值")
    def new_label(self, event):
        return event.new_value_label


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["original_name", "kind", "state", "created_by", "created_at", "created_count", "rejected_count"]
    list_filter = ["kind", "state"]
