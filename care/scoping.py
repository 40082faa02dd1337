"""The centre scope provider: what centre staff (康园中心工作人员) see.

Registered with `canlian.scoping.register_scope_provider` from `CareConfig.ready`, so every
scoped model's `visible_to(user)` includes it without an edit of the registry. For a user
of the role centre staff who works at one or more institutions (`Institution.staff`):

- on a care model (one that declares `scope_institution_field`): the rows of their
  institutions — the institution itself, its enrolments, waiting list and attendance,
  including those of past members;
- on any other model with a person (`scope_person_field`: `Person` itself, a record): the
  persons who are members of their institutions today, and those persons' rows;
- nothing on figures of an area (no person).

Centre staff have no area (`user_area_prefix` answers None for them), so this is all they
see. A staff user of no institution is granted nothing.
"""

from django.db.models import Q
from django.utils import timezone

from accounts.roles import Role
from canlian.scoping import scope_person_field


def staff_institution_ids(user) -> list[int]:
    """The institutions `user` works at (one query)."""
    from care.models import Institution

    return list(Institution.staff.through.objects.filter(user_id=user.pk).values_list("institution_id", flat=True))


def current_members(institution_ids):
    """Subquery: the persons enrolled at these institutions today."""
    from care.models import Enrolment
    from care.models.membership import OPEN

    today = timezone.localdate()
    return (
        Enrolment.objects.standing()
        .filter(institution_id__in=institution_ids, started_on__lte=today)
        .filter(OPEN | Q(ended_on__gte=today))
        .values("person_id")
    )


def centre_provider(user, model) -> Q | None:
    if user.role != Role.CENTRE_STAFF:
        return None
    ids = staff_institution_ids(user)
    if not ids:
        return None
    field = getattr(model, "scope_institution_field", None)
    if field is not None:
        return Q(**{f"{field}__in": ids})
    person = scope_person_field(model)
    if person is None:
        return None
    return Q(**{f"{person}__in": current_members(ids)})
