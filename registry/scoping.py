"""Jurisdiction: which persons a user may see, and how much of them.

Every queryset that reaches a person is filtered by `person_scope_filter` (through
`Person.objects.visible_to(user)`); what is shown of a visible person is decided by
`Privacy`. An object outside the user's scope answers 404, like one that does not exist.
"""

from dataclasses import dataclass

from django.db.models import Q

from accounts.roles import Role
from canlian.prefix import prefix_filter

NOTHING = Q(pk__in=[])


def user_area_prefix(user) -> str | None:
    """The code prefix of the user's jurisdiction, "" for everything, None for nothing."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return ""
    if user.role == Role.CENTRE_STAFF:
        # Centre staff see the members of their centre only; the registry has no
        # centre membership yet (the care app brings it), so they see no one here.
        return None
    if user.area_id is None or not user.has_perm("registry.view_person"):
        return None
    return user.area.prefix


def person_scope_filter(user, *, field: str = "area__code") -> Q:
    prefix = user_area_prefix(user)
    if prefix is None:
        return NOTHING
    return prefix_filter(field, prefix)


def areas_visible_to(user):
    from areas.models import Area

    prefix = user_area_prefix(user)
    if prefix is None:
        return Area.objects.none()
    return Area.objects.filter(code__startswith=prefix)


@dataclass(frozen=True)
class Privacy:
    """How much of a visible person this user is shown.

    - `personal`: name, address, guardian (officers); leaders see a masked name only.
    - `may_reveal`: may ask for the full ID, phone and bank account (logged each time).
    """

    personal: bool
    may_reveal: bool

    @classmethod
    def for_user(cls, user) -> "Privacy":
        return cls(
            personal=user.has_perm("registry.view_personal_data"),
            may_reveal=user.has_perm("registry.reveal_identifiers"),
        )
