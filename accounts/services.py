from django.contrib.auth.models import Group

from accounts.models import AccessLog, User
from accounts.roles import Role


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


def access_log_write(*, user: User, action: str, person=None, **detail) -> AccessLog:
    return AccessLog.objects.create(user=user, action=action, person=person, detail=detail)
