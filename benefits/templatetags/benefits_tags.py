"""The benefits block of a person's page, and small display helpers."""

from django import template

from benefits.models import Application, PaymentMonth

register = template.Library()

RECENT_MONTHS = 6
_STATE_LABELS = dict(Application.State.choices)


@register.filter
def application_state(value: str) -> str:
    return _STATE_LABELS.get(value, value)


def person_benefits(request, person) -> dict:
    """The person page's benefits block (`benefits/_person_benefits.html`, declared in
    benefits.declaration): awards, applications and recent paid months of a person the page
    already showed (so in the user's scope); each part only for a user who may view it."""
    user = request.user
    show_awards = user.has_perm("benefits.view_award")
    show_applications = user.has_perm("benefits.view_application")
    awards, paid = [], []
    if show_awards:
        awards = list(person.awards.select_related("scheme", "application").order_by("scheme_id", "-start_month"))
        paid = _recent_paid(person)
    applications = []
    if show_applications:
        applications = list(person.applications.select_related("scheme").order_by("-applied_on", "-id"))
    return {
        "person": person,
        "show": show_awards or show_applications,
        "show_awards": show_awards,
        "show_applications": show_applications,
        "awards": awards,
        "applications": applications,
        "paid": paid,
        "may_apply": user.has_perm("benefits.add_application"),
        "may_end": user.has_perm("benefits.change_award"),
    }


def _recent_paid(person) -> list[dict]:
    """Per scheme: the last paid months with their amounts, and how many months in all."""
    by_scheme: dict[int, dict] = {}
    rows = PaymentMonth.objects.paid().filter(person=person).select_related("scheme").order_by("scheme_id", "-month")
    for row in rows:
        entry = by_scheme.setdefault(row.scheme_id, {"scheme": row.scheme, "months": [], "count": 0})
        entry["count"] += 1
        if len(entry["months"]) < RECENT_MONTHS:
            entry["months"].append({"month": row.month, "yuan": f"{row.amount_fen // 100}.{row.amount_fen % 100:02d}"})
    return list(by_scheme.values())
