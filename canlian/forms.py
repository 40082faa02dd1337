"""How every form of the project renders its fields (settings.FORM_RENDERER)."""

from django import forms
from django.forms.renderers import DjangoTemplates


class BoundField(forms.BoundField):
    """A field with errors is marked for the eye and for a screen reader: Bootstrap's
    `is-invalid` (the red border the banner's 标红 promises) beside Django's own
    aria-invalid and aria-describedby (`<id>_error`, the id each template gives the
    field's messages)."""

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors and not widget.is_hidden:
            # The attrs given here replace the widget's own class, so both are kept.
            classes = f"{attrs.get('class', widget.attrs.get('class', ''))} is-invalid"
            attrs["class"] = classes.strip()
        return attrs


class FormRenderer(DjangoTemplates):
    bound_field_class = BoundField


class DateInput(forms.DateInput):
    """A browser's date picker, with the value in ISO form."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def bootstrap_styled(form: forms.Form) -> None:
    """Bootstrap's classes on the form's inputs and selects (check boxes and radios keep
    their own)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
            continue
        widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")
