"""Jurisdiction: which persons a user may see, and how much of them.

Which rows a user sees is decided by the scope providers of `canlian.scoping`, through
`Person.objects.visible_to(user)` (and every other scoped model's `visible_to`); what is
shown of a visible person is decided by `Privacy`. An object outside the user's scope
answers 404, like one that does not exist.
"""

from dataclasses import dataclass

from django.db.models import Q

from canlian.prefix import prefix_filter
from canlian.scoping import NOTHING, area_scope_filter, user_area_prefix

__all__ = ["NOTHING", "Privacy", "areas_visible_to", "person_scope_filter", "user_area_prefix"]


def person_scope_filter(user, *, field: str = "area__code") -> Q:
    """The area provider's filter over `field`. Kept for callers outside the models; a
    scoped model's rows are read through `Model.objects.visible_to(user)`."""
    return area_scope_filter(user, field)


def areas_visible_to(user):
    from areas.models import Area

    prefix = user_area_prefix(user)
    if prefix is None:
        return Area.objects.none()
    return Area.objects.filter(prefix_filter("code", prefix))


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
