"""What every endpoint asks first: the permissions the page asks, in the same words."""

from django.core.exceptions import PermissionDenied

# A row per person (a list or a detail of persons, awards, applications, records) needs
# access to personal data beside the page's own permission: a leader reads figures only.
PERSONAL = "registry.view_personal_data"


def require_perms(request, *perms: str) -> None:
    missing = [perm for perm in perms if not request.user.has_perm(perm)]
    if not missing:
        return
    if missing == [PERSONAL]:
        raise PermissionDenied("您只能查看统计数，不能查看人员明细")
    raise PermissionDenied("您没有此项操作的权限")
