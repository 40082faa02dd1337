"""The district's map (/targets/map/): each role's figures and points, never a person."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command

from areas.declaration import DEMO_BOUNDARIES
from care.models import Institution, InstitutionKind
from conftest import kept_for_the_class, make_people, taken_from
from rehab.models import Provider
from targets.services import indicators_refresh
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

YEAR = datetime.date.today().year
BAISHA, HETANG = "440703002000", "440703102000"


@pytest.fixture(scope="class")
def mapped_kept(django_db_setup, django_db_blocker):
    """The map's boundaries, institutions and figures made once for a class, with its
    areas, users and persons (`conftest.taken_from`)."""
    with kept_for_the_class(django_db_blocker):
        people = make_people()
        make_mapped(people["areas"])
        yield {**people, "mapped": None}


def make_mapped(areas):
    call_command("import_areas", geojson=str(DEMO_BOUNDARIES), approximate=True, stdout=StringIO())
    Institution.objects.create(
        code="KY01", name="白沙康园中心", kind=InstitutionKind.CENTRE, area=areas["baisha_a"], capacity=20
    )
    Provider.objects.create(name="白沙康复站", area=areas["baisha"])
    Workshop.objects.create(code="WS01", name="荷塘车间", area=areas["hetang_b"])
    indicators_refresh(year=YEAR)


def page(login, user, query=""):
    response = login(user).get(f"/targets/map/?year={YEAR}{query}")
    assert response.status_code == 200
    return response


def regions(response):
    return {r["code"]: r for r in response.context["chart"]["regions"]}


def assert_no_person(response, *persons):
    body = response.content.decode()
    for person in persons:
        assert person.name not in body and person.id_number not in body
        assert person.id_number[-4:] not in json.dumps(response.context["chart"])


def test_without_boundaries_the_page_says_so_and_lists_the_towns_figures(login, users, person):
    indicators_refresh(year=YEAR)
    response = page(login, users["leader"], "&indicator=certified_persons")
    body = response.content.decode()
    assert "尚未导入区划边界" in body and 'id="district-map"' not in body
    assert "边界为示意" not in body
    assert response.context["chart"]["geo"]["features"] == []
    assert 'id="map-row-440703002000"' in body


def _person(areas):
    from registry.models import Person

    return Person.objects.get(area=areas["baisha_a"])


def test_every_indicators_community_figures_are_computed(areas, person, other_person):
    """Each indicator's own rows group by community (whatever field holds their area), in
    the unit shown; the certified persons as counted."""
    from targets.indicators import INDICATORS
    from targets.map import community_figures

    for indicator in INDICATORS.values():
        figures, why, _ = community_figures(indicator, YEAR, areas["baisha"])
        assert figures is not None and why == "", indicator.key
        assert all(code.startswith("440703002") for code in figures), indicator.key
    figures, _, _ = community_figures(INDICATORS["certified_persons"], YEAR, areas["baisha"])
    assert figures == {areas["baisha_a"].code: 1}


class TestTheMap:
    """The map on boundaries, institutions and figures made once for the class."""

    users = taken_from("mapped_kept", "users")
    areas = taken_from("mapped_kept", "areas")
    person = taken_from("mapped_kept", "person")
    other_person = taken_from("mapped_kept", "other_person")
    mapped = taken_from("mapped_kept", "mapped")

    def test_a_leader_sees_every_town_coloured_and_every_institution_but_no_person(
        self, login, users, mapped, person, other_person
    ):
        response = page(login, users["leader"], "&indicator=certified_persons")

        shown = regions(response)
        assert len(shown) == 6
        assert shown[BAISHA]["value"] == 1 and shown[HETANG]["value"] == 1
        assert shown[BAISHA]["url"] == f"/targets/towns/{BAISHA}/?year={YEAR}"
        assert not any(r["own"] for r in shown.values())
        points = {p["name"]: p for p in response.context["chart"]["points"]}
        assert set(points) == {"白沙康园中心", "白沙康复站", "荷塘车间"}
        lon, lat = points["荷塘车间"]["value"]
        assert 113.11 < lon < 113.20 and 22.63 < lat < 22.74  # placed in 荷塘's outline
        assert "边界为示意，非精确边界" in response.content.decode()
        assert response.context["chart"]["geo"]["features"][0]["geometry"]["type"] == "Polygon"
        assert_no_person(response, person, other_person)

    def test_a_town_officer_sees_their_own_town_marked_and_only_its_figures_and_institutions(
        self, login, users, mapped, person, other_person
    ):
        response = page(login, users["officer"], "&indicator=certified_persons")

        shown = regions(response)
        assert len(shown) == 6  # every outline is drawn
        assert shown[BAISHA]["own"] and shown[BAISHA]["value"] == 1 and shown[BAISHA]["url"]
        assert shown[HETANG]["value"] is None and shown[HETANG]["url"] is None
        assert {p["name"] for p in response.context["chart"]["points"]} == {"白沙康园中心", "白沙康复站"}
        body = response.content.decode()
        assert "荷塘车间" not in body and "不在管辖范围" in body and "（本镇街）" in body
        assert_no_person(response, person, other_person)

    def test_centre_staff_and_the_system_administrator_have_no_map(self, login, users, mapped):
        for key in ("centre", "sysadmin"):
            assert login(users[key]).get("/targets/map/").status_code == 403

    def test_an_unknown_indicator_falls_back_to_the_first_one(self, login, users, mapped):
        response = page(login, users["leader"], "&indicator=no_such_thing")
        assert response.context["map"].indicator.key == "certified_persons"

    def test_a_town_drilled_down_draws_its_communities_and_institutions(self, tmp_path, login, users, mapped):
        path = tmp_path / "communities.geojson"
        ring = [[113.05, 22.56], [113.07, 22.56], [113.07, 22.58], [113.05, 22.58], [113.05, 22.56]]
        feature = {
            "type": "Feature",
            "properties": {"code": "440703002001"},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }
        path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), "utf-8")
        call_command("import_areas", geojson=str(path), stdout=StringIO())

        response = page(login, users["officer"], f"&town={BAISHA}&indicator=certified_persons")

        chart = response.context["chart"]
        # The demo sketch's communities of the test's areas, 紫沙社区 redrawn by the file above.
        assert [f["properties"]["name"] for f in chart["geo"]["features"]] == ["紫沙社区", "丰乐社区"]
        assert {p["name"] for p in chart["points"]} == {"白沙康园中心", "白沙康复站"}
        centre = next(p for p in chart["points"] if p["name"] == "白沙康园中心")
        assert centre["value"] == pytest.approx([113.06, 22.57])  # its own community's centre
        body = response.content.decode()
        assert "白沙街道村(居)地图" in body and "返回全区地图" in body
        assert login(users["officer"]).get(f"/targets/map/?town={HETANG}").status_code == 404
        leader = page(login, users["leader"], f"&town={HETANG}")
        assert [f["properties"]["name"] for f in leader.context["chart"]["geo"]["features"]] == ["塔岗村", "禾冈村"]
        assert {p["name"] for p in leader.context["chart"]["points"]} == {"荷塘车间"}

    def test_a_towns_communities_are_coloured_by_figures_computed_for_them(self, login, users, areas, mapped):
        """Figures are stored per town: a community's is computed from the indicator's rows of
        that community (the certified persons: 陈建国 of 紫沙社区, none in 丰乐社区)."""
        response = page(login, users["officer"], f"&town={BAISHA}&indicator=certified_persons")
        shown = regions(response)
        zisha, fengle = shown[areas["baisha_a"].code], shown[areas["baisha_b"].code]
        assert (zisha["value"], zisha["inScope"], zisha["url"]) == (1.0, True, None)
        assert (fengle["value"], fengle["inScope"]) == (0.0, True)
        assert response.context["chart"]["uncoloured"] is False
        body = response.content.decode()
        assert 'id="map-row-440703002001"' in body and "即时计算" in body
        assert_no_person(response, _person(areas))
        leader = page(login, users["leader"], f"&town={HETANG}&indicator=certified_persons")
        assert regions(leader)[areas["hetang_a"].code]["value"] == 1.0

    def test_a_stocks_past_year_leaves_the_communities_as_outlines_saying_why(self, login, users, areas, mapped):
        response = login(users["officer"]).get(
            f"/targets/map/?year={YEAR - 1}&town={BAISHA}&indicator=certified_persons"
        )
        assert response.status_code == 200
        shown = regions(response)[areas["baisha_a"].code]
        assert (shown["value"], shown["inScope"]) == (None, False)
        assert response.context["chart"]["uncoloured"] is True
        assert "往年只保存各镇(街)的数值，村(居)不着色" in response.content.decode()

    def test_the_map_is_in_the_navigation(self, login, users, mapped):
        body = login(users["leader"]).get("/targets/").content.decode()
        assert 'href="/targets/map/"' in body and "地图" in body

    def test_a_community_query_over_its_time_limit_leaves_outlines_saying_so(self, login, users, mapped, monkeypatch):
        from django.db import OperationalError, connection

        from targets import map as district

        def cancelled(grouped):
            raise OperationalError("canceling statement due to statement timeout")

        monkeypatch.setattr(district, "_rows_within_limit", cancelled)
        response = page(login, users["officer"], f"&town={BAISHA}&indicator=certified_persons")
        assert {r["inScope"] for r in regions(response).values()} == {False}
        assert "村(居)数值计算超时，本次未着色" in response.content.decode()
        monkeypatch.undo()
        if connection.vendor == "postgresql":
            # The limit holds for the query only: the caller's transaction goes on without it.
            with connection.cursor() as cursor:
                cursor.execute("SHOW statement_timeout")
                before = cursor.fetchone()
                district.community_figures(district.INDICATORS["certified_persons"], YEAR, users["officer"].area)
                cursor.execute("SHOW statement_timeout")
                assert cursor.fetchone() == before
