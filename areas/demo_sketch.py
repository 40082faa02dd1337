"""The demo's sketch of community outlines (`areas/demo_boundaries.geojson`).

The demo has no survey data for its communities: each town's hand-drawn outline is cut
into a grid of small cells, the cells wholly inside the outline are taken in a snaking
row order, and each community of the town (`demo_data.TOWNS`, in code order) gets an
even run of them as its MultiPolygon. Loaded as approximate like the towns (the map says
so); the shapes only show where colour goes, not where a community is.

    python -m areas.demo_sketch   # rewrites the demo file's community features
"""

import json
import math
from pathlib import Path

from areas.demo_data import TOWNS, community_code

DEMO_FILE = Path(__file__).resolve().parent / "demo_boundaries.geojson"


def _inside(point: tuple[float, float], ring: list) -> bool:
    """Ray casting: whether `point` is inside the closed `ring`."""
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def _cells(ring: list, size: int) -> list[list]:
    """The cells of a `size` × `size` grid over the ring's bounds wholly inside it, each a
    closed square ring, rows from the north, every other row from the east (so a run of
    cells stays together)."""
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    west, south, east, north = min(xs), min(ys), max(xs), max(ys)
    dx, dy = (east - west) / size, (north - south) / size
    found = []
    for row in range(size):
        top = north - row * dy
        columns = range(size) if row % 2 == 0 else reversed(range(size))
        for column in columns:
            left = west + column * dx
            corners = [(left, top), (left + dx, top), (left + dx, top - dy), (left, top - dy)]
            if all(_inside(c, ring) for c in corners):
                square = [[round(x, 5), round(y, 5)] for x, y in corners]
                found.append([*square, square[0]])
    return found


def community_shapes(ring: list, count: int) -> list[dict]:
    """`count` MultiPolygons cut from the town outline `ring`, each an even run of cells."""
    size = max(2, math.ceil(math.sqrt(count)))
    cells = _cells(ring, size)
    while len(cells) < count:
        size += 1
        cells = _cells(ring, size)
    shapes = []
    for index in range(count):
        run = cells[index * len(cells) // count : (index + 1) * len(cells) // count]
        shapes.append({"type": "MultiPolygon", "coordinates": [[cell] for cell in run]})
    return shapes


def sketch(data: dict) -> dict:
    """The demo file `data` with its community features made again from its towns'."""
    towns = [f for f in data["features"] if len(str(f["properties"].get("code", ""))) == 9]
    outline = {f["properties"]["code"]: f["geometry"]["coordinates"][0] for f in towns}
    features = list(towns)
    for town in TOWNS:
        names = [(community_code(town, i, village=False), n) for i, n in enumerate(town.communities)]
        names += [(community_code(town, i, village=True), n) for i, n in enumerate(town.villages)]
        names.sort()
        shapes = community_shapes(outline[town.code[:9]], len(names))
        for (code, name), shape in zip(names, shapes, strict=True):
            features.append({"type": "Feature", "properties": {"code": code, "name": name}, "geometry": shape})
    return {**data, "name": "蓬江区镇(街)、村(居)示意边界", "features": features}


if __name__ == "__main__":
    data = json.loads(DEMO_FILE.read_text("utf-8"))
    DEMO_FILE.write_text(json.dumps(sketch(data), ensure_ascii=False, indent=1) + "\n", "utf-8")
