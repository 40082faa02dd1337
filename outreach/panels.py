"""The outreach block of a person's page: the person's visits (and, from the campaigns and
the watch, what they received and whether they are watched), with the links to record more."""

from outreach.selectors import person_visits


def person_outreach(request, person) -> dict:
    """For a person the page already showed (so in the user's scope)."""
    user = request.user
    if not (user.has_perm("outreach.view_homevisit") and user.has_perm("registry.view_personal_data")):
        return {"show": False}
    return {
        "show": True,
        "person": person,
        "visits": person_visits(person, limit=20),
        "may_visit": user.has_perm("outreach.add_homevisit"),
    }
