"""The associations are local data the district administrator edits here (their members'
categories, the leaders who are not registered persons); they are never deleted, since
activities and memberships point at them. Activities and the person records change only
through the services (scope, the person's life, history), so they are not here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from activities.models import Association


@admin.register(Association)
class AssociationAdmin(SimpleHistoryAdmin):
    list_display = ["short_name", "name", "categories", "other_leaders", "order"]
    fields = ["name", "short_name", "categories", "other_leaders", "order"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
