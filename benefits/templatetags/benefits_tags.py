from django import template

register = template.Library()


@register.inclusion_tag("benefits/_person_benefits.html", takes_context=True)
def person_benefits(context, person):
    """The benefits block of a person's page: awards, applications, payments."""
    return {"person": person, "request": context.get("request"), "perms": context.get("perms")}
