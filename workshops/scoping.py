"""The workshop scope provider: what a workshop's staff see.

Registered with `canlian.scoping.register_scope_provider` from `WorkshopsConfig.ready`,
beside care's centre provider; `visible_to` ORs every provider's grant, so a user who
works at a centre and at a workshop sees both. For a user of the role centre staff
(康园中心工作人员) who is staff of one or more workshops (`Workshop.staff`):

- on a workshop model (one that declares `scope_workshop_field`): the rows of their
  workshops — the workshop, its projects, members, months, products and sales, those of
  past members included;
- on the registry's `Person`: the persons who are members of their workshops today (the
  names on the month's page and the person page of a member);
- nothing else: not a care model (those declare `scope_institution_field`, care's
  provider answers for them) and not another app's records of their members
  (rehabilitation, benefits) — a workshop is a place of work, not a service of those.

Care's provider grants a care centre's staff their members' rows of any person model,
so such a user sees a workshop's months of a centre member too: that is care's rule for
every app's records, kept as it is. A staff user of no workshop is granted nothing here.
"""

from django.db.models import Q
from django.utils import timezone

from accounts.roles import Role


def staff_workshop_ids(user) -> list[int]:
    """The workshops `user` works at (one query)."""
    from workshops.models import Workshop

    return list(Workshop.staff.through.objects.filter(user_id=user.pk).values_list("workshop_id", flat=True))


def current_members(workshop_ids):
    """Subquery: the persons who are members of these workshops today."""
    from workshops.models import OPEN, Membership

    today = timezone.localdate()
    return (
        Membership.objects.standing()
        .filter(workshop_id__in=workshop_ids, started_on__lte=today)
        .filter(OPEN | Q(ended_on__gte=today))
        .values("person_id")
    )


def workshop_provider(user, model) -> Q | None:
    if user.role != Role.CENTRE_STAFF:
        return None
    field = getattr(model, "scope_workshop_field", None)
    is_person = model._meta.label == "registry.Person"
    if field is None and not is_person:
        return None
    ids = staff_workshop_ids(user)
    if not ids:
        return None
    if field is not None:
        return Q(**{f"{field}__in": ids})
    return Q(pk__in=current_members(ids))
