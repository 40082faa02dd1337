"""Reading reopening checks, drills and placements. Every read of a scoped model starts at
`visible_to(user)`."""

import datetime

from django.db.models import OuterRef, QuerySet, Subquery

from benefits.models import Scheme
from benefits.selectors import rate_for
from canlian.scoping import user_area_prefix
from care.models import Drill, Institution, Placement, PlacementKind, ReopenCheck

SCHEME_CODE = "care_placement"
# What the readiness page says of an institution's latest checklist.
READY, NOT_READY, UNCHECKED = "可以开放", "暂不具备开放条件", "未检查"


def institution_states(user) -> QuerySet:
    """The institutions the user sees, each annotated with its latest checklist (id, day,
    complete) and its latest drill's day: one query."""
    latest = ReopenCheck.objects.filter(institution=OuterRef("pk")).order_by("-checked_on", "-id")
    drill = Drill.objects.filter(institution=OuterRef("pk")).order_by("-held_on", "-id")
    return (
        Institution.objects.visible_to(user)
        .filter(is_active=True)
        .select_related("area")
        .annotate(
            check_id=Subquery(latest.values("pk")[:1]),
            checked_on=Subquery(latest.values("checked_on")[:1]),
            check_complete=Subquery(latest.values("complete")[:1]),
            drilled_on=Subquery(drill.values("held_on")[:1]),
        )
        .order_by("area_id", "code")
    )


def state_label(institution) -> str:
    if institution.check_id is None:
        return UNCHECKED
    return READY if institution.check_complete else NOT_READY


def is_ready(institution: Institution) -> bool:
    """Ready to reopen: its latest checklist has every item done."""
    latest = institution.checks.order_by("-checked_on", "-id").first()
    return latest is not None and latest.complete


def checks_of(institution: Institution) -> list[ReopenCheck]:
    return list(
        institution.checks.select_related("checked_by").prefetch_related("items__item").order_by("-checked_on", "-id")
    )


def drills_of(institution: Institution) -> list[Drill]:
    return list(
        institution.drills.select_related("recorded_by")
        .prefetch_related("members", "staff")
        .order_by("-held_on", "-id")
    )


def placements_visible_to(user) -> QuerySet:
    return Placement.objects.standing().visible_to(user)


def person_placements(user, person) -> list[Placement]:
    """A person's placements for the person page (the person is in the user's scope): all
    of them for an officer whose area holds the person, the user's own otherwise."""
    rows = person.care_placements.standing().select_related("institution").order_by("-started_on", "-id")
    prefix = user_area_prefix(user)
    if prefix is None or not person.area_id.startswith(prefix):
        rows = rows.visible_to(user)
    return list(rows)


def monthly_subsidies(month: datetime.date) -> dict[str, int | None]:
    """The monthly subsidy (fen) of each kind in `month`: the scheme's rate of the kind's
    label (data, in the admin)."""
    scheme = Scheme.objects.filter(code=SCHEME_CODE).first()
    if scheme is None:
        return dict.fromkeys(PlacementKind.values)
    return {
        kind: (rate.amount_fen if (rate := rate_for(scheme, month, label)) else None)
        for kind, label in PlacementKind.choices
    }
