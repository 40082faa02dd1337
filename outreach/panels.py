"""The outreach block of a person's page: the person's visits, the campaign gifts received
and, for a person on the living-alone watch, the last contact, the next due and the
responsible worker, with the links to record more; and the family-doctor contract."""

from django.utils import timezone

from canlian.scoping import in_scope
from outreach.family_doctor import person_contracts
from outreach.homeservices import requests_visible_to
from outreach.legal import cases_visible_to
from outreach.psych import cases_visible_to as psych_cases_visible_to
from outreach.selectors import person_visits
from outreach.watch import AssignForm, person_watch, worker_name


def person_outreach(request, person) -> dict:
    """For a person the page already showed (so in the user's scope)."""
    user = request.user
    if not (user.has_perm("outreach.view_homevisit") and user.has_perm("registry.view_personal_data")):
        return {"show": False}
    contracts = person_contracts(person) if user.has_perm("outreach.view_familydoctorcontract") else None
    state = person_watch(person) if user.has_perm("outreach.view_watchcontact") else None
    deliveries = person.outreach_deliveries.standing().select_related("campaign").order_by("-delivered_on")
    return {
        "show": True,
        "person": person,
        # None: not shown; [] : the health department's list does not name the person.
        "doctor": None if contracts is None else next((c for c in contracts if c.ended_on is None), False),
        "doctor_ended": [c for c in contracts or [] if c.ended_on is not None][:3],
        "visits": person_visits(person, limit=20),
        "may_visit": user.has_perm("outreach.add_homevisit"),
        "deliveries": list(deliveries[:20]) if user.has_perm("outreach.view_campaigndelivery") else [],
        "watch": state,
        "worker": worker_name(person) if state else "",
        "may_contact": state is not None and user.has_perm("outreach.add_watchcontact"),
        "assign_form": AssignForm(user=user) if state and user.has_perm("outreach.change_watchassignment") else None,
        "may_void_delivery": user.has_perm("outreach.void_campaigndelivery") and in_scope(user, person),
        "may_void_contact": user.has_perm("outreach.void_watchcontact") and in_scope(user, person),
        "contacts": list(person.outreach_contacts.standing().order_by("-contacted_on", "-id")[:10]) if state else [],
        "cases": list(cases_visible_to(user).filter(person=person)) if user.has_perm("outreach.view_legalcase") else [],
        "may_case": user.has_perm("outreach.add_legalcase"),
        "services": list(
            requests_visible_to(user).filter(person=person).select_related("assigned_to").order_by("-requested_on")[:20]
        )
        if user.has_perm("outreach.view_homeservicerequest")
        else [],
        "may_service": user.has_perm("outreach.add_homeservicerequest"),
        # That a case exists, never its notes (`psych`).
        "psych_cases": list(psych_cases_visible_to(user).filter(person=person).select_related("counsellor"))
        if user.has_perm("outreach.view_psychcase")
        else [],
        "may_psych": user.has_perm("outreach.add_psychcase"),
        "today": timezone.localdate(),
    }
