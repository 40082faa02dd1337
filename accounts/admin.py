from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import User
from accounts.services import user_set_role


@admin.register(User)
class CanlianUserAdmin(UserAdmin):
    list_display = ["username", "display_name", "role", "area", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = UserAdmin.fieldsets + (("职责", {"fields": ["role", "area"]}),)
    add_fieldsets = UserAdmin.add_fieldsets + (("职责", {"fields": ["role", "area"]}),)
    raw_id_fields = ["area"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.instance.role:
            user_set_role(user=form.instance, role=form.instance.role, area=form.instance.area)
