"""Template helpers of child rehabilitation assistance: amounts in 元, and the person
page's block for a person linked to an assistance child."""

from django import template

from canlian.scoping import in_scope
from rehab import models_children
from rehab.selectors_children import person_child

register = template.Library()


@register.filter
def yuan(fen: int | None) -> str:
    return models_children.yuan(fen)


def person_child_panel(request, person) -> dict:
    """The person page's block (`rehab/children/_person_child.html`, declared in
    rehab.declaration): the assistance child this person is, for a user who may see
    children; the child's records themselves are on the timeline."""
    user = request.user
    if not (user.has_perm("rehab.view_child") and user.has_perm("registry.view_personal_data")):
        return {"show": False}
    child = person_child(person)
    # A child kept by another town (the person moved): the timeline still lists its entries.
    if child is None or not in_scope(user, child):
        return {"show": False}
    return {"show": True, "child": child, "applications": list(child.applications.order_by("-applied_on")[:5])}
