"""`distinct_years` finds a year column's values by probing the index year after year; it
must give what a plain DISTINCT gives, whatever the gaps and the model's ordering."""

import pytest
from django.utils import timezone

from canlian.indicators import distinct_years
from targets.models import IndicatorValue


def _value(year: int, month: int = 0, area_code: str = "440703001000") -> IndicatorValue:
    return IndicatorValue.objects.create(
        indicator="persons", year=year, month=month, area_code=area_code, value=1, computed_at=timezone.now()
    )


@pytest.mark.django_db
def test_distinct_years_of_an_empty_table_is_empty():
    assert distinct_years(IndicatorValue.objects.all()) == set()


@pytest.mark.django_db
def test_distinct_years_skips_gaps_and_repeats_and_honours_the_filter():
    for year, month in ((2019, 0), (2019, 1), (2021, 0), (2024, 0), (2024, 5), (2024, 12)):
        _value(year, month)
    _value(2030, area_code="440703002000")
    every = IndicatorValue.objects.all()
    assert distinct_years(every) == {2019, 2021, 2024, 2030}
    assert distinct_years(every) == set(every.order_by().values_list("year", flat=True).distinct())
    assert distinct_years(every.filter(area_code="440703001000")) == {2019, 2021, 2024}
