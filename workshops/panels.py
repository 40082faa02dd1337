"""The workshop block of a person's page and the person's workshop entries on the timeline."""

from benefits.exports import yuan
from canlian.declarations import TimelineEntry
from canlian.scoping import in_scope
from workshops.forms import JoinForm
from workshops.models import month_end
from workshops.selectors import person_memberships, person_months

RECENT_MONTHS = 6


def person_workshops(request, person) -> dict:
    """Memberships, the last months' work and, for an officer, the joining form."""
    user = request.user
    if not user.has_perm("workshops.view_membership"):
        return {"show": False}
    memberships = person_memberships(user, person)
    may_void = user.has_perm("workshops.void_membership")
    months = person_months(user, person, limit=RECENT_MONTHS) if user.has_perm("workshops.view_workmonth") else []
    return {
        "show": True,
        "person": person,
        "memberships": memberships,
        "voidable": {m.pk for m in memberships if may_void and in_scope(user, m)},
        "months": months,
        "join_form": JoinForm(user=user) if user.has_perm("workshops.add_membership") else None,
    }


def timeline(person, user):
    """Joining and leaving a workshop, and a line per month of work (two queries)."""
    if not user.has_perm("workshops.view_membership"):
        return
    for m in person_memberships(user, person):
        project = f"（{m.project.name}）" if m.project_id else ""
        yield TimelineEntry(m.started_on, "workshop_member", "辅助性就业", f"进入车间：{m.workshop.name}{project}")
        if m.ended_on:
            yield TimelineEntry(m.ended_on, "workshop_member", "辅助性就业", f"离开车间：{m.workshop.name}", m.end_note)
    if not user.has_perm("workshops.view_workmonth"):
        return
    for w in person_months(user, person):
        yield TimelineEntry(
            month_end(w.month),
            "workshop_month",
            "车间月报",
            f"{w.month:%Y-%m} {w.workshop.name}：工作 {w.work_days} 天",
            f"收入 {yuan(w.income_fen)} 元",
        )
