from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import User
from accounts.services import user_set_role


@admin.register(User)
class CanlianUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "role", "area", "is_active"]
    list_filter = ["role", "is_active"]
    # The family name before the given name, as the full name reads.
    fieldsets = (
        UserAdmin.fieldsets[0],
        (UserAdmin.fieldsets[1][0], {"fields": ("last_name", "first_name", "email")}),
        *UserAdmin.fieldsets[2:],
        ("职责", {"fields": ["role", "area"]}),
    )
    add_fieldsets = UserAdmin.add_fieldsets + (("职责", {"fields": ["role", "area"]}),)
    raw_id_fields = ["area"]

    @admin.display(description="姓名", ordering="last_name")
    def full_name(self, user: User) -> str:
        return user.get_full_name()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.instance.role:
            user_set_role(user=form.instance, role=form.instance.role, area=form.instance.area)
