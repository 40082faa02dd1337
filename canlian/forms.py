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
