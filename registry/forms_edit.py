"""Editing a person without seeing their identifiers.

An officer who may reveal identifiers sees them in full on the edit page, and opening it is
a logged reveal (the view's part). Anyone else who may edit sees the ID number, phones and
bank account masked as on the person page, and may type a new value over one; a masked
value sent back unchanged stands for the stored value, so it is never saved as "138****5678".
"""

from django import forms

from registry.forms import PersonForm
from registry.presenters import IDENTIFIER_MASKS


class MaskedInput(forms.TextInput):
    """A text input that shows `stored` as `masked`, and reads `masked` back as `stored`."""

    def __init__(self, *, stored: str, masked: str, attrs=None) -> None:
        super().__init__(attrs)
        self.stored, self.masked = stored, masked

    def format_value(self, value):
        if self.stored and value == self.stored:
            return self.masked
        return super().format_value(value)

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if self.stored and isinstance(value, str) and value.strip() == self.masked:
            return self.stored
        return value


class PersonEditForm(PersonForm):
    """The person form on edit; with `masked`, the identifiers are shown masked."""

    def __init__(self, *args, masked: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not masked:
            return
        for name, mask in IDENTIFIER_MASKS.items():
            field = self.fields.get(name)
            stored = getattr(self.instance, name) or ""
            if field is None or not stored:
                continue
            field.widget = MaskedInput(stored=stored, masked=mask(stored), attrs=field.widget.attrs)
            field.widget.is_required = field.required
            field.help_text = "已脱敏显示；不修改则保留原值，修改时请填写完整的新值"
