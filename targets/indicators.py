"""The indicators: what each figure of the dashboard is, and the query that computes it.

An indicator is a key, a Chinese name, a unit and a function `measure(year) -> Measure`:
the rows that make the figure (a queryset over the records), which field holds each row's
area code and which its month, and the aggregate that turns rows into the figure. The
refresh (`targets.services`) groups that one queryset four ways — by town and month, by
town over the year, by month over the district, the district's year — in one INSERT …
SELECT, so a figure is always computed from the records at its own level and never added
up from others (a distinct count or a share cannot be).

A stock (`Measure.month` None: certified persons today) has no month of its own: it is
computed as of now and stored for the current month and the current year, so its monthly
series is the figure at each month's last refresh (月末数) and a past year is left as it was.

Money comes only from paid months (`PaymentMonth.objects.paid()`: lines of approved or
exported batches), dated by their batch's month — the month the money went out, the
figures of the payroll pages.

The indicators are declared by the apps whose records they count (`indicators` of each
`<app>/declaration.py`, types in `canlian.indicators`); `INDICATORS` is their catalogue, in
the apps' order. Adding an indicator is one function and one line of its app's declaration;
the rehab services send `"rehab"` as the `source` of `canlian.signals.records_changed` for
the rehabilitation ones.
"""

from collections.abc import Iterator, Mapping
from decimal import Decimal

from canlian import declarations
from canlian.indicators import Indicator, Measure, Unit, in_year

__all__ = ["INDICATORS", "SEED_TARGETS", "Indicator", "Measure", "Unit", "in_year", "indicators_of", "record_years"]


class _Catalogue(Mapping):
    """Key -> indicator, read from the apps' declarations when first used (modules import
    `INDICATORS` before every app is ready)."""

    _items: dict[str, Indicator] | None = None

    def _all(self) -> dict[str, Indicator]:
        if self._items is None:
            self._items = {i.key: i for i in declarations.indicators()}
        return self._items

    def __getitem__(self, key: str) -> Indicator:
        return self._all()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


INDICATORS: Mapping[str, Indicator] = _Catalogue()

# The seed's numbers (a 2020 report of the district): the district's annual targets, by
# indicator key. An app can declare its own on the indicator instead (`Indicator.
# seed_target`: the employment app's trainees 110 and start-up households 20).
SEED_TARGETS: dict[str, tuple[Decimal, str]] = {
    "certified_persons": (Decimal(9100), "全区9100多名持证残疾人"),
    "fuel_recipients": (Decimal(152), "152名残疾人发放燃油补贴"),
    "education_students": (Decimal(60), "资助60名残疾学生接受学前至高等教育"),
    "insurance_insured": (Decimal(9100), "为全区9100多名持证残疾人购买重大疾病和意外伤害保险"),
    "rehab_person_times": (Decimal(1800), "受惠残疾人不少于1800例（人次）"),
    "rehab_coverage": (Decimal(90), "有康复需求的残疾儿童和持证残疾人接受基本康复服务比例达90%"),
    "outreach_households_visited": (Decimal(170), "走访慰问了困难残疾人家庭共170多户"),
    "outreach_deliveries": (Decimal(9100), "为全区9100多名残疾人送上一份“生活爱心包”"),
    "care_centres": (Decimal(18), "全区18间社区康园中心"),
    "employment_trained": (Decimal(110), "110名残疾人参加免费职业技能培训"),
    "employment_startup_households": (Decimal(20), "扶持20户残疾人家庭自主创业及发展生产"),
}


def record_years() -> set[int]:
    """The years that have records to compute figures from, as the apps declare them."""
    return declarations.record_years()


def indicators_of(source: str | None = None) -> list[Indicator]:
    return [i for i in INDICATORS.values() if source is None or i.source == source]
