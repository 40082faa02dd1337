"""Reading the figures: what the dashboard, a town's page and the export show a user.

Every read starts from the user's jurisdiction (`IndicatorValue.objects.visible_to(user)`,
over the figures' area code): a town officer gets their town's rows only — not the district's,
which sums other towns — and a town outside it answers 404. Figures are aggregates: no
person, name or number is ever read here.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils import timezone

from areas.models import Area, Level
from benefits.models import PayrollBatch
from canlian.indicators import SECTIONS
from canlian.scoping import is_district_user as _is_district_user
from registry.scoping import areas_visible_to, user_area_prefix
from targets import achievement
from targets.indicators import INDICATORS, Indicator, in_year, indicators_of, record_years
from targets.models import WHOLE_YEAR, IndicatorRefresh, IndicatorValue, Target

MONTHS = list(range(1, 13))


def sections_of(indicators) -> list[str]:
    """The seed's sections that have an indicator, in the seed's order, then any other."""
    present = {i.report_section for i in indicators}
    return [s for s in SECTIONS if s in present] + sorted(present - set(SECTIONS))


def values_visible_to(user) -> QuerySet:
    return IndicatorValue.objects.visible_to(user)


def targets_visible_to(user) -> QuerySet:
    return Target.objects.visible_to(user)


def is_district_user(user) -> bool:
    return _is_district_user(user)


def home_area(user) -> Area | None:
    """Whose figures the user reads first: the district's for a district user, their
    town's for a town officer; None for a user with no jurisdiction."""
    prefix = user_area_prefix(user)
    if prefix is None:
        return None
    if prefix == "" or user.area.level == Level.DISTRICT:
        return Area.objects.filter(level=Level.DISTRICT, is_active=True).order_by("code").first()
    return user.area.town


def towns_visible_to(user) -> list[Area]:
    return list(areas_visible_to(user).filter(level=Level.TOWN, is_active=True).order_by("code"))


def town_for_user(user, code: str) -> Area:
    """The town if it is in the user's jurisdiction; 404 otherwise, as for one that does not exist."""
    town = areas_visible_to(user).filter(level=Level.TOWN, code=code).first()
    if town is None:
        raise Http404("没有这个镇(街)")
    return town


def years_available(user) -> list[int]:
    """The years with figures, targets or records (those computed on demand when chosen:
    `targets.services.year_figures_ensure`), and the current one, newest first."""
    years = set(values_visible_to(user).values_list("year", flat=True).distinct())
    years |= record_years()
    years |= set(targets_visible_to(user).values_list("year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


@dataclass
class Figure:
    """An indicator's figure for one area in a year, against its target."""

    indicator: Indicator
    area: Area
    value: Decimal | None  # in the unit shown; None: not computed
    target: Decimal | None
    months: list[Decimal | None] = field(default_factory=list)  # January … December
    computed_at: datetime.datetime | None = None
    # The part of the target expected by now, and the traffic light against it
    # (`targets.achievement`); None without a (non-zero) target.
    expected: Decimal | None = None
    light: str | None = None
    basis: str = ""  # how the target was set (`Basis`)

    @property
    def achievement(self) -> Decimal | None:
        """Actual ÷ target in percent, one decimal (may pass 100); None without a target or
        with a zero target."""
        return achievement.achievement(self.value, self.target)

    @property
    def progress(self) -> int | None:
        """The achievement in whole percent (the progress bar's label)."""
        reached = self.achievement
        return None if reached is None else int(reached)

    @property
    def light_label(self) -> str:
        return achievement.Light.LABELS.get(self.light, "")

    @property
    def has_months(self) -> bool:
        """Whether some month has a figure other than nothing: else no chart is drawn."""
        return any(value for value in self.months)

    @property
    def progress_bar(self) -> int:
        return min(self.progress or 0, 100)


@dataclass
class Board:
    year: int
    indicators: list[Indicator]
    home: Area | None
    areas: list[Area]  # the table's rows: the towns in scope, then the district if in scope
    figures: dict[tuple[str, str], Figure]  # (indicator key, area code)
    computed_at: dict[str, datetime.datetime | None]  # per indicator

    def figure(self, indicator: Indicator, area: Area) -> Figure:
        return self.figures[(indicator.key, area.code)]

    def home_figures(self) -> list[Figure]:
        return [self.figure(i, self.home) for i in self.indicators] if self.home else []

    def home_sections(self) -> list[tuple[str, list[Figure]]]:
        """The home area's figures grouped like the seed's sections (`SECTIONS`), in their
        order; an indicator of no known section comes last."""
        return [
            (section, [f for f in self.home_figures() if f.indicator.report_section == section])
            for section in sections_of(self.indicators)
        ]

    def rows(self) -> list[tuple[Area, list[Figure]]]:
        return [(area, [self.figure(i, area) for i in self.indicators]) for area in self.areas]

    # A batch of the year approved after the money figures were computed: their refresh
    # is queued or failed; the page says so instead of showing old money as current.
    approved_since: datetime.datetime | None = None

    @property
    def last_computed(self) -> datetime.datetime | None:
        times = [t for t in self.computed_at.values() if t]
        return min(times) if times else None


def last_month_of(year: int, today: datetime.date) -> int:
    """The last month of `year` that has begun (0 for a year to come)."""
    return 12 if year < today.year else (today.month if year == today.year else 0)


def shown_value(
    indicator: Indicator, stored: IndicatorValue | None, month: int, computed: bool, last_month: int
) -> Decimal | None:
    """A figure as the dashboard shows it, in the indicator's unit: the stored value; 0
    where the indicator was computed and nothing of it is there (a flow's month, a town
    with no recipients); None for a month to come, a month a stock was not computed in, an
    indicator never computed, or a share with nothing to share (0 of 0 is no share)."""
    if stored is not None:
        return indicator.display(stored.value, stored.base)
    if not computed or indicator.is_share or month > last_month:
        return None
    return None if indicator.is_stock and month != WHOLE_YEAR else indicator.display(0)


def board(user, year: int, *, town: Area | None = None, today: datetime.date | None = None) -> Board:
    """The figures of `year` that `user` may see: their home area's (or `town`'s, already
    checked with `town_for_user`) with its months, and every town in scope (and the district
    for a district user) for the table. Two small queries, whatever the registry's size:
    the figures are precomputed (~13 rows per indicator and area a year)."""
    home = town or home_area(user)
    areas = [] if town else towns_visible_to(user)
    if not town and home is not None and home.level == Level.DISTRICT:
        areas.append(home)
    if home is not None and home not in areas:
        areas.insert(0, home)
    codes = [a.code for a in areas]
    stored = {
        (v.indicator, v.area_code, v.month): v
        for v in values_visible_to(user).filter(year=year, area_code__in=codes, indicator__in=INDICATORS)
    }
    targets = {
        (t.indicator, t.area_id): (t.value, t.basis)
        for t in targets_visible_to(user).filter(year=year, area__code__in=codes, indicator__in=INDICATORS)
    }
    default_light, own_lights = achievement.thresholds_by_indicator()
    refreshed = dict(
        IndicatorRefresh.objects.filter(year=year, indicator__in=INDICATORS).values_list("indicator", "computed_at")
    )
    indicators = list(INDICATORS.values())
    today = today or timezone.localdate()
    share = achievement.year_share(year, today)
    last_month = last_month_of(year, today)
    figures = {}
    for indicator in indicators:
        computed = refreshed.get(indicator.key) is not None
        for area in areas:

            def shown(month: int, indicator=indicator, area=area, computed=computed) -> Decimal | None:
                return shown_value(
                    indicator, stored.get((indicator.key, area.code, month)), month, computed, last_month
                )

            value = shown(WHOLE_YEAR)
            target, basis = targets.get((indicator.key, area.code), (None, ""))
            expected = achievement.expected(indicator, target, share)
            figures[(indicator.key, area.code)] = Figure(
                indicator=indicator,
                area=area,
                value=value,
                target=target,
                months=[shown(m) for m in MONTHS],
                computed_at=refreshed.get(indicator.key),
                expected=expected,
                light=achievement.light(value, expected, own_lights.get(indicator.key, default_light)),
                basis=basis,
            )
    return Board(
        year=year,
        indicators=indicators,
        home=home,
        areas=areas,
        figures=figures,
        computed_at={i.key: refreshed.get(i.key) for i in indicators},
        approved_since=_approved_since(year, [refreshed.get(i.key) for i in indicators_of("payroll")]),
    )


def _approved_since(year: int, computed: list[datetime.datetime | None]) -> datetime.datetime | None:
    """When the latest batch of `year` was approved, if that is after the oldest money figure."""
    batches = PayrollBatch.objects.filter(in_year("month", year)).exclude(state=PayrollBatch.State.DRAFT)
    latest = batches.aggregate(latest=Max("approved_at"))["latest"]
    if latest is None:
        return None
    oldest = None if None in computed else min(computed, default=None)
    return latest if oldest is None or latest > oldest else None


def area_for_user(user, code: str) -> Area:
    """A figure's area for a drill-down: a town in the user's jurisdiction, or the district
    for a district user; 404 otherwise (a town officer asking for the district's records,
    which are other towns')."""
    district = home_area(user) if is_district_user(user) else None
    if district is not None and code == district.code:
        return district
    return town_for_user(user, code)


def record_rows(listing, records, privacy) -> list[dict]:
    """A page of a drill-down (`targets.drilldown.Listing`) as the table's cells: the
    person through `PersonView` (masked identifiers), the record's date, its town and
    community by name (one query for the page's codes)."""
    from registry.presenters import PersonView
    from targets.drilldown import value_at

    def person_of(record):
        if listing.of_persons:
            return record
        return value_at(record, listing.person) if listing.person else None

    cells = []
    for record in records:
        person = person_of(record)
        cells.append(
            {
                "record": record,
                "person": PersonView(person, privacy) if person is not None else None,
                "person_id": person.pk if person is not None else None,
                "date": value_at(record, listing.date) if listing.date else None,
                "area_code": str(value_at(record, listing.area) or ""),
            }
        )
    codes = {cell["area_code"] for cell in cells}
    names = {
        area.code: (area.parent.name if area.parent_id else "", area.name)
        for area in Area.objects.filter(code__in=codes).select_related("parent")
    }
    for cell in cells:
        cell["town"], cell["community"] = names.get(cell["area_code"], ("", cell["area_code"]))
    return cells
