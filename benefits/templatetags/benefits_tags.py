"""The benefits block of a person's page, and small display helpers."""

from django import template
from django.urls import reverse

from benefits.models import Application, PaymentMonth, PayrollBatch, SchemeKind
from benefits.months import add_months, month_start
from registry.models import Status

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
    stop = None
    if show_awards:
        awards = list(person.awards.select_related("scheme", "application").order_by("scheme_id", "-start_month"))
        paid = _recent_paid(person)
        # The 建议终止 list is on the batch page for users with access to personal data only.
        may_see_list = user.has_perm("benefits.view_payrollbatch") and user.has_perm("registry.view_personal_data")
        stop = _stop(person, awards, may_see_payroll=may_see_list)
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
        "stop": stop,
        "may_apply": user.has_perm("benefits.add_application"),
        "may_end": user.has_perm("benefits.change_award"),
    }


def _stop(person, awards: list, *, may_see_payroll: bool) -> dict | None:
    """For a person no longer active (died, moved out, certificate cancelled) with open
    awards: the day of the event and the month their awards stop from. Eligibility is read
    on the first day of a month, so the month of the event is paid and the stop is the
    month after (an event on the 1st too). Each open award gets `stops_from`, and for a
    monthly scheme a link to the 建议终止 list of the first batch from that month (or to
    the batch list when none is generated yet)."""
    if person.status == Status.ACTIVE:
        return None
    open_awards = [award for award in awards if award.end_month is None]
    if not open_awards:
        return None
    event = person.events.filter(field="status", new_value=person.status).order_by("-date", "-pk").first()
    stops_from = add_months(month_start(event.date), 1) if event else None
    batches = {}
    if stops_from and may_see_payroll:
        monthly = {a.scheme_id for a in open_awards if a.scheme.kind == SchemeKind.MONTHLY}
        for batch in PayrollBatch.objects.filter(scheme__in=monthly, month__gte=stops_from).order_by("-month"):
            batches[batch.scheme_id] = batch  # the earliest wins
    for award in open_awards:
        award.stops_from = stops_from
        award.to_stop_url = None
        if may_see_payroll and award.scheme.kind == SchemeKind.MONTHLY:
            batch = batches.get(award.scheme_id)
            award.to_stop_batch = batch
            award.to_stop_url = (
                reverse("benefits:batch_detail", args=[batch.pk]) + "#h-stop"
                if batch
                else reverse("benefits:batch_list")
            )
    return {
        "status": person.get_status_display(),
        "date": event.date if event else None,
        "from": stops_from,
        "awards": open_awards,
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
