"""Reading the district's map: the towns' outlines coloured by an indicator, and the
institutions as points.

The figures are the dashboard's (`selectors.board`, scoped to the user): a town outside the
user's jurisdiction is drawn as an outline with no figure and no link, and a town officer's
own town is marked. The points are the institutions the apps declare (`Place`, in the
user's scope), placed at their area's centroid — institutions have no coordinates of their
own, so each position is approximate and the page says so; several in one area are spread
on a small circle around it. Persons are never points, for any user: nothing here reads
the registry's rows.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse

from areas.boundaries import centroid
from areas.models import Area, Level
from canlian.declarations import places
from targets import selectors
from targets.indicators import INDICATORS, Indicator

# Several institutions of one area: spread on a circle of this radius (degrees, ~0.6 km).
SPREAD = 0.006


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
    town_value: Decimal | None = None  # its figure (figures exist per town, not per community)

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
            "regions": [
                {
                    "name": r.area.name,
                    "code": r.area.code,
                    "value": None if r.value is None else float(r.value),
                    "url": f"{reverse('targets:town', args=[r.area.code])}?year={self.year}" if r.in_scope else None,
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
        result.town_value = board.figure(indicator, town).value if town.code in in_scope else None
        communities = Area.objects.communities().filter(parent=town).exclude(boundary=None).order_by("code")
        for community in communities:
            result.regions.append(MapRegion(community, None, False, False))
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
