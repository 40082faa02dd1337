"""The user administration (系统管理员's) in the Django admin, and who may open the admin.

No one raises their own permissions: on their own account a user changes nothing but
their name and e-mail (their password on their own page). Roles are the only way to
permissions: the admin offers no groups, no individual permissions and no superuser box
to anyone but a superuser, and a non-superuser cannot change a superuser's account (a
password reset there would take its powers). Every creation, change and password reset is
an audit entry, which the audit administrator reads."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.models import User
from accounts.roles import ADMIN_SITE_ROLES
from accounts.services import user_set_role
from canlian.audit import audit_write

# What no one may change on their own account, and what only a superuser sets on anyone's.
OWN_ACCOUNT_LOCKED = ("role", "area", "is_active", "is_staff", "is_superuser", "groups", "user_permissions")
SUPERUSER_ONLY = ("is_superuser", "groups", "user_permissions")
# The fields whose change the audit entry names (never the password hash).
AUDITED_FIELDS = ("username", "last_name", "first_name", "email", "role", "area", "is_active", "is_superuser")


def admin_site_permitted(request) -> bool:
    """The admin is for the district administrator and the system administrator (and a
    superuser, made at installation by `createsuperuser`)."""
    user = request.user
    return user.is_active and user.is_staff and (user.is_superuser or user.role in ADMIN_SITE_ROLES)


admin.site.has_permission = admin_site_permitted


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

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # is_staff follows the role (accounts.services.user_set_role).
        hidden = {*SUPERUSER_ONLY, "is_staff"}
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.pk == request.user.pk:
            return [*super().get_readonly_fields(request, obj), *OWN_ACCOUNT_LOCKED]
        return super().get_readonly_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change and obj.pk == request.user.pk and set(form.changed_data) & set(OWN_ACCOUNT_LOCKED):
            raise PermissionDenied("不能修改本人账号的角色、区划或权限")
        if not request.user.is_superuser and set(form.changed_data) & set(SUPERUSER_ONLY):
            raise PermissionDenied("只有超级用户可以设置超级用户、用户组和单项权限")
        self._audited = [f for f in form.changed_data if f in AUDITED_FIELDS]
        super().save_model(request, obj, form, change)

    @transaction.atomic
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        if user.role:
            user_set_role(user=user, role=user.role, area=user.area)
        action = "accounts.user.changed" if change else "accounts.user.created"
        if not change or self._audited:
            audit_write(
                action=action,
                user=request.user,
                obj=user,
                data={"username": user.username, "role": user.role, "fields": self._audited},
            )

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            target = User.objects.get(pk=id)
            audit_write(
                action="accounts.user.password_reset",
                user=request.user,
                obj=target,
                data={"username": target.username},
            )
        return response
