"""Boundaries of the areas, from a GeoJSON file (`manage.py import_areas --geojson FILE`).

The federation obtains the outlines of its towns and communities from the natural-resources
bureau as a GeoJSON FeatureCollection (lon/lat, WGS 84 or GCJ-02 as the bureau gives it:
the map only draws shapes, no tiles to align with). Each feature is matched to an area by
`properties.code` (9 or 12 digits; 9 is a town's) or, failing that, by `properties.name`
(a current area's exact name, where only one area bears it). The file is checked as a whole
first — JSON, a FeatureCollection, Polygon or MultiPolygon geometries of numbers in range —
and refused with a Chinese message before anything is written; then the matched areas'
boundaries are written in one transaction, with an audit entry. Unmatched features and the
current areas still without a boundary are reported.

`centroid` places what has no coordinates of its own (an institution) in its area.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from areas.models import Area, Level
from canlian.audit import audit_write
from canlian.params import ascii_digits

GEOMETRY_TYPES = ("Polygon", "MultiPolygon")


class BoundaryFileError(ValueError):
    """A file refused as a whole, before anything is written; the message is in Chinese."""


@dataclass
class BoundaryImportResult:
    matched: list[tuple[str, str]] = field(default_factory=list)  # (code, name) written
    unmatched: list[str] = field(default_factory=list)  # the features no area took, described
    missing: list[tuple[str, str]] = field(default_factory=list)  # current areas without a boundary
    approximate: bool = False

    def summary(self) -> str:
        kind = "（示意边界）" if self.approximate else ""
        return (
            f"共 {len(self.matched) + len(self.unmatched)} 个要素{kind}：已导入边界 {len(self.matched)}，"
            f"未匹配 {len(self.unmatched)}；尚无边界的现行区划 {len(self.missing)} 个"
        )


def _check_position(position, where: str) -> None:
    if not isinstance(position, list) or len(position) < 2:
        raise BoundaryFileError(f"{where}的坐标格式不正确，应为 [经度, 纬度]")
    lon, lat = position[0], position[1]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lon, lat)):
        raise BoundaryFileError(f"{where}的坐标不是数字")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise BoundaryFileError(f"{where}的坐标 [{lon}, {lat}] 超出经纬度范围")


def _check_polygon(rings, where: str) -> None:
    if not isinstance(rings, list) or not rings:
        raise BoundaryFileError(f"{where}的多边形没有坐标")
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            raise BoundaryFileError(f"{where}的多边形边界少于 4 个点（首尾须相同）")
        for position in ring:
            _check_position(position, where)
        if ring[0][:2] != ring[-1][:2]:
            raise BoundaryFileError(f"{where}的多边形边界未闭合（首尾点不同）")


def geometry_check(geometry, where: str) -> dict:
    """The geometry if it is a Polygon or MultiPolygon of valid lon/lat; else refuse."""
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        kind = geometry.get("type") if isinstance(geometry, dict) else "空"
        raise BoundaryFileError(f"{where}的几何类型为 {kind}，应为 Polygon 或 MultiPolygon（面）")
    coordinates = geometry.get("coordinates")
    if geometry["type"] == "Polygon":
        _check_polygon(coordinates, where)
    else:
        if not isinstance(coordinates, list) or not coordinates:
            raise BoundaryFileError(f"{where}的多面没有坐标")
        for polygon in coordinates:
            _check_polygon(polygon, where)
    return {"type": geometry["type"], "coordinates": coordinates}


def features_read(text: str) -> list[dict]:
    """The features of a GeoJSON FeatureCollection, each checked; refuse a bad file."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise BoundaryFileError(f"文件不是有效的 JSON（{exc.msg}，第 {exc.lineno} 行）") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundaryFileError('文件不是区划边界要素集合（应为 "type": "FeatureCollection" 的地理数据文件）')
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise BoundaryFileError("文件中没有要素（features 为空）")
    for number, feature in enumerate(features, start=1):
        where = f"第 {number} 个要素"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise BoundaryFileError(f"{where}不是 Feature")
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            raise BoundaryFileError(f"{where}的 properties 不是对象")
        label = str(properties.get("name") or properties.get("code") or "")
        feature["geometry"] = geometry_check(feature.get("geometry"), f"{where}（{label}）" if label else where)
    return features


def _feature_code(properties: dict) -> str:
    code = str(properties.get("code") or "").strip()
    if ascii_digits(code) and len(code) == 9:
        return code + "000"
    return code if ascii_digits(code) and len(code) == 12 else ""


def _match(properties: dict, by_code: dict[str, Area], by_name: dict[str, list[Area]]) -> Area | None:
    code = _feature_code(properties)
    if code:
        return by_code.get(code)
    name = str(properties.get("name") or "").strip()
    named = by_name.get(name, [])
    return named[0] if len(named) == 1 else None


def _describe(properties: dict, number: int) -> str:
    code, name = properties.get("code"), properties.get("name")
    named = " ".join(str(v) for v in (code, name) if v)
    return f"第 {number} 个要素 {named}".strip() if named else f"第 {number} 个要素（无代码和名称）"


def boundaries_import(*, path: str | Path, approximate: bool = False, user=None) -> BoundaryImportResult:
    """Import a GeoJSON file of boundaries; refused as a whole with `BoundaryFileError`."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise BoundaryFileError("文件不是 UTF-8 编码的地理数据文本") from None
    except OSError as exc:
        raise BoundaryFileError(f"无法读取文件：{exc.strerror}") from None
    features = features_read(text)
    result = BoundaryImportResult(approximate=approximate)
    with transaction.atomic():
        areas = list(Area.objects.filter(level__in=[Level.TOWN, Level.COMMUNITY]).select_for_update())
        by_code = {area.code: area for area in areas}
        by_name: dict[str, list[Area]] = {}
        for area in areas:
            if area.is_active:
                by_name.setdefault(area.name, []).append(area)
        written: dict[str, Area] = {}
        for number, feature in enumerate(features, start=1):
            properties = feature.get("properties") or {}
            area = _match(properties, by_code, by_name)
            if area is None or area.code in written:
                reason = "（与前面的要素重复）" if area is not None else ""
                result.unmatched.append(_describe(properties, number) + reason)
                continue
            area.boundary, area.boundary_approximate = feature["geometry"], approximate
            written[area.code] = area
            result.matched.append((area.code, area.name))
        Area.objects.bulk_update(written.values(), ["boundary", "boundary_approximate"], batch_size=200)
        result.missing = [
            (a.code, a.name) for a in areas if a.is_active and a.code not in written and a.boundary is None
        ]
        audit_write(
            action="areas.boundaries",
            user=user,
            data={"file": Path(path).name, "summary": result.summary(), "approximate": approximate},
        )
    return result


def _ring_centroid(ring: list) -> tuple[float, float, float]:
    """(signed area, x, y) of a ring by the shoelace formula (planar: fine at a district's size)."""
    area = cx = cy = 0.0
    for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:], strict=False):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return area / 2, cx, cy


def centroid(geometry: dict | None) -> tuple[float, float] | None:
    """The area-weighted centre of a Polygon's or MultiPolygon's outer rings, as (lon, lat)."""
    if not geometry:
        return None
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    total = sx = sy = 0.0
    for polygon in polygons:
        area, cx, cy = _ring_centroid(polygon[0])
        total += area
        sx += cx
        sy += cy
    if abs(total) < 1e-12:
        ring = polygons[0][0]
        return (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))
    return (sx / (6 * total), sy / (6 * total))
