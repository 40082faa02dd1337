from decimal import Decimal

from django import forms

from areas.models import Area
from targets.indicators import INDICATORS


def _name(key: str, code: str) -> str:
    return f"t_{key}_{code}"


class TargetsForm(forms.Form):
    """One number per indicator and area (the district and each town); blank for none."""

    note = forms.CharField(label="依据（可选）", max_length=200, required=False)

    def __init__(self, *args, areas: list[Area], initial: dict[tuple[str, str], Decimal], **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = areas
        for indicator in INDICATORS.values():
            for area in areas:
                name = _name(indicator.key, area.code)
                self.fields[name] = forms.DecimalField(
                    label=f"{indicator.name} {area.name}目标（{indicator.unit}）",
                    required=False,
                    min_value=0,
                    max_digits=14,
                    decimal_places=2,
                    max_value=Decimal(100) if indicator.is_share else None,
                    initial=initial.get((indicator.key, area.code)),
                    widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "any"}),
                )

    def rows(self):
        """(indicator, [bound field per area]) for the table of the page."""
        return [
            (indicator, [self[_name(indicator.key, area.code)] for area in self.areas])
            for indicator in INDICATORS.values()
        ]

    def targets(self) -> dict[tuple[str, str], Decimal | None]:
        return {
            (indicator.key, area.code): self.cleaned_data[_name(indicator.key, area.code)]
            for indicator in INDICATORS.values()
            for area in self.areas
        }
