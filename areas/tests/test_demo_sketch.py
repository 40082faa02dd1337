"""The demo's boundary sketch has an outline for every demo community, inside its town's,
and is what `areas.demo_sketch` makes of the towns' outlines (the file is not hand-edited)."""

import json

from areas.boundaries import centroid, geometry_check
from areas.demo_data import demo_area_rows
from areas.demo_sketch import DEMO_FILE, _inside, sketch


def test_every_demo_community_has_a_shape_inside_its_town():
    data = json.loads(DEMO_FILE.read_text("utf-8"))
    towns = {
        f["properties"]["code"]: f["geometry"]["coordinates"][0]
        for f in data["features"]
        if len(f["properties"]["code"]) == 9
    }
    communities = {f["properties"]["code"]: f for f in data["features"] if len(f["properties"]["code"]) == 12}
    assert sorted(communities) == [code for code, _ in demo_area_rows()]
    for code, feature in communities.items():
        geometry_check(feature["geometry"], code)  # what the import accepts
        assert _inside(centroid(feature["geometry"]), towns[code[:9]]), code
    assert sketch(data) == data
