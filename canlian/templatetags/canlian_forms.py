"""Template helpers of the shared form rendering (`_error_summary.html`)."""

from django import template

register = template.Library()


@register.filter
def invalid_fields(form) -> list:
    """The form's visible fields that have errors, in the form's order: the error summary
    links to each."""
    return [field for field in form.visible_fields() if field.errors]
