import sys

from django.contrib.auth.models import Group

from accounts.models import AccessLog, User
from accounts.roles import Role
from canlian.audit import audit_write
from canlian.models import AuditEntry


def user_set_role(*, user: User, role: str, area=None) -> User:
    """Give `user` one role (its group) and one area."""
    user.role = role
    user.area = area
    user.save(update_fields=["role", "area"])
    group, _ = Group.objects.get_or_create(name=Role(role).label)
    user.groups.set([group])
    return user


def user_create(*, username: str, password: str, role: str, area=None, name: str = "") -> User:
    user = User.objects.create_user(username=username, password=password)
    if name:
        user.last_name, user.first_name = name[:1], name[1:]
        user.save(update_fields=["last_name", "first_name"])
    return user_set_role(user=user, role=role, area=area)


def access_log_write(*, user: User, action: str, person=None, **detail) -> AuditEntry:
    """Log a reveal of a person's identifiers, an export or an import (`AccessLog.Action`)
    as an audit entry: `registry.identifiers.revealed`, `<app>.export` or `<app>.import`,
    with `detail` as its data. The app is the caller's package: the exports and imports
    say only which kind of access they log, and the entry is filed under the app that
    took or brought the data. An `action` that is already an audit action is kept."""
    if action == AccessLog.Action.REVEAL:
        action = "registry.identifiers.revealed"
    elif action in (AccessLog.Action.EXPORT, AccessLog.Action.IMPORT):
        app = sys._getframe(1).f_globals.get("__name__", "").split(".")[0]
        action = f"{app}.{action}"
    return audit_write(action=action, user=user, obj=person, data=detail)
