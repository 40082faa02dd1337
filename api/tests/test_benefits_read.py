from django.urls import resolve

from canlian.declarations import scoped_urls


def _pk(url: str) -> int:
    return resolve(url.split("?")[0]).kwargs["pk"]


def _objects(world, name):
    inside, outside = scoped_urls()[name].objects(world)
    return _pk(inside), (_pk(outside) if outside else None)


def test_the_officer_reads_the_awards_of_their_town_only(api_as, world):
    _objects(world, "benefits:award_end")  # an open award of each town's person
    items = api_as("officer").get("/api/awards").json()["items"]
    assert {a["person"]["id"] for a in items} == {world.person.pk}
    assert set(items[0]["person"]) == {"id", "name", "area_code"}  # no identifier
    assert api_as("admin").get("/api/awards", {"person": world.other_person.pk}).json()["items"]
    assert api_as("officer").get("/api/awards", {"person": world.other_person.pk}).json()["items"] == []
    assert api_as("officer").get("/api/awards", {"open": 0}).json()["items"] == []


def test_applications_are_scoped_and_filtered_as_on_their_page(api_as, world):
    inside, outside = _objects(world, "benefits:application_detail")
    api = api_as("officer")
    listed = api.get("/api/applications").json()["items"]
    assert [a["id"] for a in listed] == [inside]
    assert api.get(f"/api/applications/{inside}").json()["state_label"]
    assert api.get(f"/api/applications/{outside}").status_code == 404
    refused = api.get("/api/applications", {"state": "nonsense"})
    assert refused.status_code == 400
    assert "state" in refused.json()["details"]


def test_a_batch_shows_the_town_officer_their_towns_lines_only(api_as, world):
    batch, _ = _objects(world, "benefits:batch_detail")
    mine = api_as("officer").get(f"/api/payroll-batches/{batch}").json()
    assert (mine["persons"], mine["total_yuan"]) == (1, "217.00")
    listed = api_as("officer").get("/api/payroll-batches").json()["items"]
    assert [b["id"] for b in listed] == [batch]
    assert api_as("officer").get("/api/payroll-batches/999999").status_code == 404


def test_a_leader_reads_indicators_but_no_awards(api_as, world):
    leader = api_as("leader")
    assert leader.get("/api/awards").status_code == 403
    response = leader.get("/api/indicators", {"year": 2025})
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2025
    assert {f["area_code"] for f in body["figures"]} >= {"440703002000", "440703102000"}


def test_a_town_officer_reads_their_towns_indicators_only(api_as, world):
    figures = api_as("officer").get("/api/indicators").json()["figures"]
    assert figures
    assert {f["area_code"] for f in figures} == {"440703002000"}


def test_an_indicator_year_out_of_range_is_refused(api_as, world):
    response = api_as("officer").get("/api/indicators", {"year": 1990})
    assert response.status_code == 400
    assert response.json()["message"].startswith("年度应在 2000–")


def test_the_audit_administrator_reads_no_business_data(api_as, world):
    api = api_as("auditor")
    for url in ("/api/indicators", "/api/payroll-batches", "/api/persons", "/api/rehab/records"):
        assert api.get(url).status_code == 403, url
