"""Reading the district's map: the towns' outlines coloured by an indicator, and the
institutions as points; drilled into a town, its communities coloured the same way.

The figures are the dashboard's (`selectors.board`, scoped to the user): a town outside the
user's jurisdiction is drawn as an outline with no figure and no link, and a town officer's
own town is marked. The points are the institutions the apps declare (`Place`, in the
user's scope), placed at their area's centroid — institutions have no coordinates of their
own, so each position is approximate and the page says so; several in one area are spread
on a small circle around it. Persons are never points, for any user: no person is read
or shown here.

Figures are stored per town and for the district (`targets.services`), not per community.
A community's figure (`community_figures`) is computed when its town's map is opened, from
the indicator's own rows grouped by their community with the indicator's own aggregate,
as the refresh computes a town's: a distinct count or a share is the community's, never a
part of the town's. Not for a stock's past year (its rows are today's, and only the towns'
month-ends are kept), and not when the query takes longer than `COMMUNITY_TIMEOUT_MS`: then
the communities are drawn as outlines and the page says why.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import OperationalError, connection, transaction
from django.db.models import BigIntegerField, CharField, Value
from django.db.models.functions import Cast, Substr
from django.urls import reverse
from django.utils import timezone

from areas.boundaries import centroid
from areas.models import Area, Level
from canlian.declarations import places
from targets import selectors
from targets.indicators import INDICATORS, Indicator

# Several institutions of one area: spread on a circle of this radius (degrees, ~0.6 km).
SPREAD = 0.006
# A community figure's query may take this long (PostgreSQL) before the map gives up on it.
COMMUNITY_TIMEOUT_MS = 3000
TOWN_DIGITS = 9


@dataclass
class MapRegion:
    area: Area
    value: Decimal | None  # in the indicator's unit; None outside the scope or not computed
    in_scope: bool
    own: bool  # the town officer's own town


@dataclass
class MapPoint:
    name: str
    kind: str
    area_name: str
    lon: float
    lat: float


@dataclass
class DistrictMap:
    year: int
    indicator: Indicator
    regions: list[MapRegion] = field(default_factory=list)
    points: list[MapPoint] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)  # institutions whose area has no boundary
    approximate: bool = False  # some drawn boundary is the demo's sketch
    town: Area | None = None  # drilled down: the town whose communities are drawn
    town_value: Decimal | None = None  # its stored figure
    # Drilled down: why the communities are not coloured (blank: they are), and a remark on
    # records of the town not placed in any community.
    community_note: str = ""
    town_level_note: str = ""

    @property
    def drawn(self) -> bool:
        return any(r.area.boundary for r in self.regions)

    def chart_data(self) -> dict:
        """What `targets/map.js` draws: the outlines (GeoJSON), each region's figure and link,
        and the points. Names of towns and institutions, figures; no person."""
        features = [
            {
                "type": "Feature",
                "properties": {"name": r.area.name, "code": r.area.code},
                "geometry": r.area.boundary,
            }
            for r in self.regions
            if r.area.boundary
        ]
        return {
            "geo": {"type": "FeatureCollection", "features": features},
            "indicator": {"name": self.indicator.name, "unit": self.indicator.unit},
            # The town's communities drawn as outlines only (the page says why).
            "uncoloured": bool(self.community_note),
            "regions": [
                {
                    "name": r.area.name,
                    "code": r.area.code,
                    "value": None if r.value is None else float(r.value),
                    "url": f"{reverse('targets:town', args=[r.area.code])}?year={self.year}"
                    if r.in_scope and r.area.level == Level.TOWN
                    else None,
                    "inScope": r.in_scope,
                    "own": r.own,
                }
                for r in self.regions
                if r.area.boundary
            ],
            "points": [{"name": p.name, "kind": p.kind, "value": [p.lon, p.lat]} for p in self.points],
        }


def indicator_or_default(key: str | None) -> Indicator:
    return INDICATORS.get(key or "") or next(iter(INDICATORS.values()))


def _spread(center: tuple[float, float], index: int, count: int) -> tuple[float, float]:
    if count == 1:
        return center
    angle = 2 * math.pi * index / count
    return (round(center[0] + SPREAD * math.cos(angle), 6), round(center[1] + SPREAD * math.sin(angle), 6))


def district_map(user, year: int, indicator: Indicator, *, town: Area | None = None) -> DistrictMap:
    """The map of the district for `user`: every current town (drawn if it has a boundary), its figure
    of `indicator` in `year` if it is in the user's scope, and the institutions in scope.
    With `town` (already checked with `selectors.town_for_user`): that town's communities
    with a boundary instead, as outlines, and the institutions of that town."""
    board = selectors.board(user, year)
    in_scope = {a.code for a in board.areas if a.level == Level.TOWN}
    home = board.home
    own = home.code if home is not None and home.level == Level.TOWN else None
    result = DistrictMap(year=year, indicator=indicator, town=town)
    if town is not None:
        figures = None
        if town.code in in_scope:
            result.town_value = board.figure(indicator, town).value
            figures, result.community_note, result.town_level_note = community_figures(indicator, year, town)
        communities = Area.objects.communities().filter(parent=town).exclude(boundary=None).order_by("code")
        for community in communities:
            value = figures.get(community.code, _nothing(indicator)) if figures is not None else None
            result.regions.append(MapRegion(community, value, figures is not None, False))
            result.approximate |= community.boundary_approximate
    else:
        for each in Area.objects.towns().order_by("code"):
            value = board.figure(indicator, each).value if each.code in in_scope else None
            result.regions.append(MapRegion(each, value, each.code in in_scope, each.code == own))
            result.approximate |= each.boundary_approximate
    found = [p for p in places(user) if town is None or town.contains(p.area_code)]
    codes = {p.area_code for p in found}
    areas = {
        a.code: a
        for a in Area.objects.filter(code__in=codes | {c[:9] + "000" for c in codes}).only(
            "code", "name", "level", "boundary"
        )
    }
    by_area: dict[str, list] = {}
    for place in sorted(found, key=lambda p: (p.area_code, p.name)):
        area = areas.get(place.area_code)
        parent = areas.get(place.area_code[:9] + "000")
        shape = (area.boundary if area else None) or (parent.boundary if parent else None)
        where = area if area and area.boundary else parent
        center = centroid(shape)
        if center is None or where is None:
            result.unplaced.append(place.name)
            continue
        by_area.setdefault(where.code, []).append((place, where, center))
    for group in by_area.values():
        for index, (place, where, center) in enumerate(group):
            lon, lat = _spread(center, index, len(group))
            result.points.append(MapPoint(place.name, place.kind, where.name, lon, lat))
    return result


def _nothing(indicator: Indicator) -> Decimal | None:
    """A community without rows: none counted, none paid; a share of nobody is no share."""
    return None if indicator.is_share else Decimal(0)


def community_figures(
    indicator: Indicator, year: int, town: Area, *, today=None
) -> tuple[dict[str, Decimal | None] | None, str, str]:
    """(figure by community code, why none, remark): `indicator` in `year` of each
    community of `town` with rows, in the unit shown (see the module's docstring). None
    and the reason when they cannot be computed; the remark names the records placed at
    the town itself (a town-level institution's), which no community's figure counts."""
    today = today or timezone.localdate()
    if indicator.is_stock and year != today.year:
        return None, f"“{indicator.name}”是时点数，往年只保存各镇(街)的数值，村(居)不着色", ""
    measure = indicator.measure(year)
    text = CharField()
    base = measure.base if measure.base is not None else Cast(Value(None), BigIntegerField())
    grouped = (
        measure.rows.order_by()
        .annotate(_town=Substr(measure.area, 1, TOWN_DIGITS, output_field=text))
        .filter(_town=town.code[:TOWN_DIGITS])
        .annotate(_code=Substr(measure.area, 1, 12, output_field=text))
        .values("_code")
        .annotate(_value=measure.value, _base=base)
        .values_list("_code", "_value", "_base")
    )
    try:
        rows = _rows_within_limit(grouped)
    except EmptyResultSet:
        rows = []
    except OperationalError:
        return None, "村(居)数值计算超时，本次未着色，请稍后再试", ""
    figures = {code: indicator.display(value, base) for code, value, base in rows}
    remark = ""
    if town.code in figures:
        remark = f"另有记录登记在{town.name}本级（如镇(街)级机构），不计入任何村(居)"
    return figures, "", remark


def _rows_within_limit(grouped) -> list[tuple]:
    """The grouped rows, the statement cancelled after `COMMUNITY_TIMEOUT_MS` on PostgreSQL
    (OperationalError). The limit is set for this transaction (or savepoint) and put back
    after it, so a caller's transaction goes on without it; a cancelled statement's
    savepoint rollback undoes it."""
    with transaction.atomic():
        if connection.vendor != "postgresql":
            return list(grouped)
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout')")
            (previous,) = cursor.fetchone()
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{int(COMMUNITY_TIMEOUT_MS)}ms"])
            rows = list(grouped)
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
        return rows
