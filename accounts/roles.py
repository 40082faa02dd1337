"""The roles of DESIGN.md as Django groups, each with its permissions.

Each app declares what it gives each role (`role_permissions` of its
`declaration.py`); `sync_role_groups` (run after every migrate) makes the groups match the
whole of them.
"""

from django.db import models


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", "区残联管理员"
    DISTRICT_REVIEWER = "district_reviewer", "区残联审核员"
    TOWN_OFFICER = "town_officer", "镇(街)残联专干"
    CENTRE_STAFF = "centre_staff", "康园中心工作人员"
    LEADER = "leader", "领导"
    AUDIT_ADMIN = "audit_admin", "审计管理员"
    # Psychological services (心理服务): their own cases and the sessions' notes, nothing else.
    COUNSELLOR = "counsellor", "心理咨询师"
    SYSTEM_ADMIN = "system_admin", "系统管理员"


# The roles that may open the Django admin (accounts.admin): the district administrator
# for the business configuration its permissions reach (schemes, rates, catalogues), the
# system administrator for users and lockouts. No other role is staff.
ADMIN_SITE_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.SYSTEM_ADMIN})


def role_permissions() -> dict[str, list[str]]:
    """Role -> its permissions: what each app's declaration gives it
    (`canlian.declarations`)."""
    from canlian.declarations import role_permissions as declared

    return declared()


def __getattr__(name: str):
    # `ROLE_PERMISSIONS` is computed when first read: the declarations import this module.
    if name == "ROLE_PERMISSIONS":
        return role_permissions()
    raise AttributeError(name)


def sync_role_groups(sender=None, **kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    table = role_permissions()
    wanted = {perm for perms in table.values() for perm in perms}
    available = {
        f"{p.content_type.app_label}.{p.codename}": p for p in Permission.objects.select_related("content_type")
    }
    if not wanted <= set(available):
        return  # some app has not migrated yet; a later post_migrate finishes the job
    for role, perms in table.items():
        group, _ = Group.objects.get_or_create(name=Role(role).label)
        group.permissions.set([available[p] for p in perms])
