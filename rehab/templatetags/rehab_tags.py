"""The rehabilitation block of a person's page."""

import datetime

from django import template

from canlian.scoping import in_scope
from registry.scoping import Privacy
from rehab.forms import NeedAssessmentForm, ServiceRecordForm
from rehab.selectors import person_assessments, person_records

register = template.Library()


def person_rehab(request, person) -> dict:
    """The person page's rehabilitation block (`rehab/_person_rehab.html`, declared in
    rehab.declaration): assessments and service records of a person the page already showed (so in the
    user's scope), with the forms for a user who may record them. All the person's records
    are shown, those given while they lived in another town too: they are the person's
    history, which the officer now in charge needs."""
    user = request.user
    if not user.has_perm("rehab.view_servicerecord"):
        return {"show": False}
    year = datetime.date.today().year
    assessments = person_assessments(person)
    current = next((a for a in assessments if a.year == year), None)
    may_assess = user.has_perm("rehab.add_needassessment")
    records = person_records(person)
    # Only the records given in the user's own area: those of an earlier town stay its own.
    may_void = user.has_perm("rehab.void_servicerecord")
    voidable = {r.pk for r in records if may_void and in_scope(user, r)}
    return {
        "show": True,
        "person": person,
        "year": year,
        "current": current,
        "assessments": assessments,
        "records": records,
        "voidable": voidable,
        "may_void": bool(voidable),
        "personal": Privacy.for_user(user).personal,
        "record_form": ServiceRecordForm() if user.has_perm("rehab.add_servicerecord") else None,
        "assessment_form": NeedAssessmentForm(current=current) if may_assess else None,
    }
