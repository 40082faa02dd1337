"""The person page's block of placements (and drills the person took part in) and their
timeline entries."""

from canlian.declarations import TimelineEntry
from canlian.scoping import in_scope
from care import selectors_places
from care.forms_places import PlacementForm
from care.models import Drill


def _drills(user, person) -> list[Drill]:
    if not user.has_perm("care.view_drill"):
        return []
    return list(person.care_drills.visible_to(user).select_related("institution").order_by("-held_on", "-id"))


def person_places(request, person) -> dict:
    user = request.user
    if not user.has_perm("care.view_placement"):
        return {"show": False}
    placements = selectors_places.person_placements(user, person)
    drills = _drills(user, person)
    form = PlacementForm(user=user) if user.has_perm("care.add_placement") else None
    if not placements and not drills and form is None:
        return {"show": False}
    return {
        "show": True,
        "person": person,
        "placements": placements,
        "drills": drills,
        "placement_form": form,
        "may_void": user.has_perm("care.void_placement") and in_scope(user, person),
    }


def timeline_places(person, user):
    """Placements (start and end) and drills taken part in, in two queries."""
    if user.has_perm("care.view_placement"):
        for p in selectors_places.person_placements(user, person):
            kind = p.get_kind_display()
            yield TimelineEntry(p.started_on, "care_placement", "托养安置", f"{kind}开始：{p.provider_name}")
            if p.ended_on:
                yield TimelineEntry(
                    p.ended_on, "care_placement", "托养安置", f"{kind}结束：{p.provider_name}", p.end_reason
                )
    for d in _drills(user, person):
        yield TimelineEntry(d.held_on, "care_drill", "应急演练", f"参加应急演练：{d.institution.name}", d.topic)
