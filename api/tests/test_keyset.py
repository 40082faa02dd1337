import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_person


@pytest.fixture
def many(areas):
    communities = [areas["baisha_a"], areas["baisha_b"]]
    # Same names in both communities, so the order's ties fall to the id.
    return [
        make_person(communities[i % 2], name=f"张{i % 7}", sequence=300 + i, birth=f"1970{1 + i % 12:02d}15")
        for i in range(60)
    ]


def _walk(api, params, limit):
    seen, cursor, pages = [], None, 0
    while True:
        body = api.get("/api/persons", {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}).json()
        seen += [row["id"] for row in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return seen, pages


@pytest.mark.parametrize("sort", ["area", "-area", "name", "-birth", "grade", "-updated"])
def test_pages_walk_the_whole_list_once_in_its_order(api_as, many, sort):
    from registry.models import Person
    from registry.selectors import SORTS

    api = api_as("officer")
    seen, pages = _walk(api, {"sort": sort}, 7)
    persons = Person.objects.filter(pk__in=[p.pk for p in many]).order_by(*SORTS[sort])
    expected = list(persons.values_list("pk", flat=True))
    assert seen == expected
    assert pages == 9


def test_a_filter_applies_on_every_page(api_as, many, areas):
    seen, _ = _walk(api_as("officer"), {"community": areas["baisha_b"].code}, 8)
    assert len(seen) == 30


def test_a_forged_cursor_is_a_chinese_400(api_as, many):
    api = api_as("officer")
    forged = ("not-base64!", base64.urlsafe_b64encode(b'["x"]').decode(), base64.urlsafe_b64encode(b"{}").decode())
    for cursor in forged:
        response = api.get("/api/persons", {"cursor": cursor})
        assert response.status_code == 400
        assert response.json() == {"code": "invalid_cursor", "message": "分页游标无效，请从第一页重新读取"}


def test_a_cursor_cannot_reach_outside_the_scope(api_as, many, other_person):
    # A cursor names only where to start: the scope still bounds the rows.
    cursor = base64.urlsafe_b64encode(b'["440703000000","",0]').decode().rstrip("=")
    ids = [r["id"] for r in api_as("officer").get("/api/persons", {"cursor": cursor, "limit": 200}).json()["items"]]
    assert other_person.pk not in ids
    assert len(ids) == 60


def test_a_limit_outside_its_bounds_is_refused(api_as):
    response = api_as("officer").get("/api/persons", {"limit": 500})
    assert response.status_code == 400
    assert response.json()["message"] == "每页条数应为 1–200"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the row comparison is PostgreSQL's")
def test_the_next_page_is_one_row_comparison_not_an_offset(api_as, many):
    api = api_as("officer")
    cursor = api.get("/api/persons", {"limit": 10}).json()["next_cursor"]
    with CaptureQueriesContext(connection) as queries:
        api.get("/api/persons", {"limit": 10, "cursor": cursor})
    page = next(q["sql"] for q in queries.captured_queries if "LIMIT 11" in q["sql"])
    assert '("registry_person"."area_id", "registry_person"."name", "registry_person"."id") >' in page
    assert "OFFSET" not in page
