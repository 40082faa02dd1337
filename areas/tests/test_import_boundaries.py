"""Loading areas' boundaries from a GeoJSON file (import_areas --geojson)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from areas.boundaries import BoundaryFileError, boundaries_import, centroid
from areas.declaration import DEMO_BOUNDARIES
from areas.models import Area
from canlian.models import AuditEntry

pytestmark = pytest.mark.django_db

SQUARE = [[[113.0, 22.5], [113.1, 22.5], [113.1, 22.6], [113.0, 22.6], [113.0, 22.5]]]


def feature(properties, geometry=None):
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": geometry or {"type": "Polygon", "coordinates": SQUARE},
    }


def geojson(path, features):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False), "utf-8")
    return path


def test_features_are_matched_by_code_of_nine_or_twelve_digits_or_by_name(tmp_path, areas):
    path = geojson(
        tmp_path / "b.geojson",
        [
            feature({"code": "440703002"}),  # 9 digits: a town
            feature({"code": "440703102201", "name": "另一个名字"}),  # the code wins
            feature({"name": "禾冈村"}),
            feature({"code": "440703999", "name": "不存在镇"}),
            feature({"name": "没有这个村"}),
        ],
    )
    result = boundaries_import(path=path)

    assert sorted(code for code, _ in result.matched) == ["440703002000", "440703102201", "440703102202"]
    assert result.unmatched == ["第 4 个要素 440703999 不存在镇", "第 5 个要素 没有这个村"]
    assert Area.objects.get(code="440703002000").boundary == {"type": "Polygon", "coordinates": SQUARE}
    assert not Area.objects.get(code="440703002000").boundary_approximate
    missing = {code for code, _ in result.missing}
    assert "440703102000" in missing and "440703002000" not in missing
    assert AuditEntry.objects.filter(action="areas.boundaries").count() == 1


def test_the_command_reports_unmatched_features_and_areas_without_a_boundary(tmp_path, areas):
    path = geojson(tmp_path / "b.geojson", [feature({"code": "440703002000"}), feature({"name": "火星"})])
    out = StringIO()
    call_command("import_areas", geojson=str(path), stdout=out)

    text = out.getvalue()
    assert "已导入边界 1，未匹配 1" in text
    assert "未匹配到区划：第 2 个要素 火星" in text
    assert "荷塘镇（440703102000）" in text


def test_the_demo_file_gives_the_six_towns_an_approximate_boundary(areas):
    call_command("import_areas", geojson=str(DEMO_BOUNDARIES), approximate=True, stdout=StringIO())

    towns = Area.objects.towns()
    assert towns.count() == 6
    assert all(t.boundary and t.boundary_approximate for t in towns)
    lon, lat = centroid(towns.get(code="440703002000").boundary)
    assert 113.03 < lon < 113.11 and 22.54 < lat < 22.60


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("这不是 JSON", "文件不是有效的 JSON"),
        (json.dumps({"type": "Feature", "geometry": None}), "不是区划边界要素集合"),
        (json.dumps({"type": "FeatureCollection", "features": []}), "文件中没有要素"),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [feature({"name": "白沙街道"}, {"type": "Point", "coordinates": [113, 22]})],
                }
            ),
            "第 1 个要素（白沙街道）的几何类型为 Point，应为 Polygon 或 MultiPolygon",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        feature(
                            {"code": "440703002"},
                            {"type": "Polygon", "coordinates": [[[113, 22], [114, 22], [113, 23]]]},
                        )
                    ],
                }
            ),
            "少于 4 个点",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        feature(
                            {"code": "440703002"},
                            {"type": "Polygon", "coordinates": [[[113, 22], [114, 22], [114, 23], [113, 24]]]},
                        )
                    ],
                }
            ),
            "未闭合",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        feature(
                            {"code": "440703002"},
                            {"type": "MultiPolygon", "coordinates": [[[[213, 22], [114, 22], [114, 23], [213, 22]]]]},
                        )
                    ],
                }
            ),
            "超出经纬度范围",
        ),
    ],
)
def test_a_bad_file_is_refused_with_a_chinese_message_and_nothing_written(tmp_path, areas, content, message):
    path = tmp_path / "bad.geojson"
    path.write_text(content, "utf-8")
    with pytest.raises(BoundaryFileError, match=message):
        boundaries_import(path=path)
    with pytest.raises(CommandError, match="边界文件被拒绝，未写入任何数据"):
        call_command("import_areas", geojson=str(path), stdout=StringIO())
    assert not Area.objects.exclude(boundary=None).exists()
    assert not AuditEntry.objects.filter(action="areas.boundaries").exists()


def test_a_file_in_another_encoding_is_refused(tmp_path, areas):
    path = tmp_path / "gbk.geojson"
    path.write_bytes(
        json.dumps(
            {"type": "FeatureCollection", "features": [feature({"name": "白沙街道"})]}, ensure_ascii=False
        ).encode("gbk")
    )
    with pytest.raises(BoundaryFileError, match="不是 UTF-8"):
        boundaries_import(path=path)


def test_the_centroid_of_a_square_and_of_a_multipolygon():
    assert centroid({"type": "Polygon", "coordinates": SQUARE}) == pytest.approx((113.05, 22.55))
    other = [[[114.0, 22.5], [114.1, 22.5], [114.1, 22.6], [114.0, 22.6], [114.0, 22.5]]]
    assert centroid({"type": "MultiPolygon", "coordinates": [SQUARE, other]}) == pytest.approx((113.55, 22.55))
    assert centroid(None) is None
