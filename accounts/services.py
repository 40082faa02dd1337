import sys

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import AccessLog, User
from accounts.roles import ADMIN_SITE_ROLES, Role
from canlian.audit import audit_write
from canlian.models import AuditEntry


def user_set_role(*, user: User, role: str, area=None) -> User:
    """Give `user` one role (its group) and one area. The role decides whether they may
    open the admin (`ADMIN_SITE_ROLES`)."""
    user.role = role
    user.area = area
    user.is_staff = role in ADMIN_SITE_ROLES
    user.save(update_fields=["role", "area", "is_staff"])
    group, _ = Group.objects.get_or_create(name=Role(role).label)
    user.groups.set([group])
    return user


def user_create(*, username: str, password: str, role: str, area=None, name: str = "") -> User:
    """A new user with one role and one area, in one row and its one group link (the same
    user as `user_set_role` makes of an existing one); a role that does not exist writes nothing."""
    label = Role(role).label
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            password=password,
            last_name=name[:1],
            first_name=name[1:],
            role=role,
            area=area,
            is_staff=role in ADMIN_SITE_ROLES,
        )
        group, _ = Group.objects.get_or_create(name=label)
        User.groups.through.objects.create(user=user, group=group)  # a new user has no other group
    return user


# Packages that export or import on an app's behalf (the export framework, these services):
# an access is filed under the first caller outside them.
_SHARED_PACKAGES = ("canlian", "accounts")


def _calling_app() -> str:
    frame = sys._getframe(2)
    while frame is not None:
        package = frame.f_globals.get("__name__", "").split(".")[0]
        if package not in _SHARED_PACKAGES:
            return package
        frame = frame.f_back
    return ""


def access_log_write(*, user: User, action: str, person=None, **detail) -> AuditEntry:
    """Log a reveal of a person's identifiers, an export or an import (`AccessLog.Action`)
    as an audit entry: `registry.identifiers.revealed`, `<app>.export` or `<app>.import`,
    with `detail` as its data. The exports and imports say only which kind of access they
    log; the entry is filed under the app that took or brought the data — the first
    caller outside the shared packages, so an export written by `canlian`'s framework
    counts for the app whose page asked for it. An `action` that is already an audit
    action (`canlian.export`) is kept as it is."""
    if action == AccessLog.Action.REVEAL:
        action = "registry.identifiers.revealed"
    elif action in (AccessLog.Action.EXPORT, AccessLog.Action.IMPORT):
        action = f"{_calling_app()}.{action}"
    return audit_write(action=action, user=user, obj=person, data=detail)
