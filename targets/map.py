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


def district_map(user, year: int, indicator: Indicator) -> DistrictMap:
    """The map of the district for `user`: every current town with a boundary, its figure
    of `indicator` in `year` if it is in the user's scope, and the institutions in scope."""
    board = selectors.board(user, year)
    in_scope = {a.code for a in board.areas if a.level == Level.TOWN}
    home = board.home
    own = home.code if home is not None and home.level == Level.TOWN else None
    towns = list(Area.objects.towns().exclude(boundary=None).order_by("code"))
    result = DistrictMap(year=year, indicator=indicator)
    for town in towns:
        value = board.figure(indicator, town).value if town.code in in_scope else None
        result.regions.append(MapRegion(town, value, town.code in in_scope, town.code == own))
        result.approximate |= town.boundary_approximate
    found = places(user)
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
        town = areas.get(place.area_code[:9] + "000")
        shape = (area.boundary if area else None) or (town.boundary if town else None)
        where = area if area and area.boundary else town
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
