"""The person page's block of activities: what the person took part in, this year's five
ones (with the form to record one directly) and their associations."""

import datetime

from activities.forms import FiveOneForm
from activities.models import FiveOne
from activities.selectors import person_five_ones, person_memberships, person_participations
from canlian.scoping import in_scope
from registry.scoping import Privacy


def person_activities(request, person) -> dict:
    """The block's context (`activities/_person_activities.html`, declared in
    activities.declaration) for a person the page already showed (so in the user's scope)."""
    user = request.user
    if not user.has_perm("activities.view_participation"):
        return {"show": False}
    year = datetime.date.today().year
    done = person_five_ones(person, year)
    participations = person_participations(person)
    may_void = user.has_perm("activities.void_participation")
    may_void_five = user.has_perm("activities.void_fiveonerecord")
    return {
        "show": True,
        "person": person,
        "year": year,
        "participations": participations,
        "voidable": {p.pk for p in participations if may_void and in_scope(user, p)},
        "five_ones": [(value, label, done.get(value)) for value, label in FiveOne.choices],
        "five_done": len(done),
        "may_void_five": may_void_five,
        "memberships": person_memberships(person) if user.has_perm("activities.view_membership") else [],
        "personal": Privacy.for_user(user).personal,
        "five_one_form": FiveOneForm() if user.has_perm("activities.add_fiveonerecord") else None,
    }
