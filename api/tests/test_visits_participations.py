import datetime

from activities.models import Participation
from api.scope_routes import _pks
from outreach.models import HomeVisit, VisitNeed

YESTERDAY = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()


def test_an_officer_records_a_visit_with_its_needs_and_voids_it(api_as, users, person, other_person):
    api = api_as("officer")
    body = {"person": person.pk, "visited_on": YESTERDAY, "visitors": [users["officer"].pk], "findings": "家中整洁"}
    body["needs"] = ["medical"]
    created = api.post("/api/outreach/visits", body)
    assert created.status_code == 201, created.content
    visit = HomeVisit.objects.get()
    assert created.json()["visitors"] == ["测试officer"]
    assert VisitNeed.objects.filter(visit=visit, closed_on__isnull=True).count() == 1
    assert [v["id"] for v in api.get("/api/outreach/visits").json()["items"]] == [visit.pk]
    assert api_as("other_officer").get("/api/outreach/visits").json()["items"] == []
    assert api.post(f"/api/outreach/visits/{visit.pk}/void", {"reason": "重复"}).json()["voided"] is True
    assert VisitNeed.objects.standing().filter(visit=visit).count() == 0


def test_a_visit_without_a_visitor_or_of_another_town_writes_nothing(api_as, person, other_person):
    api = api_as("officer")
    response = api.post("/api/outreach/visits", {"person": person.pk, "visited_on": YESTERDAY})
    assert response.status_code == 400
    assert response.json()["message"] == "请至少填写一名走访人"
    other = {"person": other_person.pk, "visited_on": YESTERDAY, "other_visitors": "社区干部"}
    assert api.post("/api/outreach/visits", other).status_code == 404
    assert not HomeVisit.objects.exists()


def test_an_unknown_need_is_the_forms_refusal(api_as, person):
    body = {"person": person.pk, "visited_on": YESTERDAY, "other_visitors": "x", "needs": ["flying"]}
    response = api_as("officer").post("/api/outreach/visits", body)
    assert response.status_code == 400
    assert "needs" in response.json()["details"]


def test_participations_are_added_listed_and_voided_in_scope(api_as, world):
    inside, outside = _pks(world, "activities:participant_add")
    api = api_as("officer")
    created = api.post("/api/activities/participations", {"activity": inside, "person": world.person.pk})
    assert created.status_code == 201, created.content
    record_id = created.json()["id"]
    listed = api.get("/api/activities/participations", {"activity": inside}).json()["items"]
    assert [r["id"] for r in listed] == [record_id]
    refused = api.post("/api/activities/participations", {"activity": outside, "person": world.other_person.pk})
    assert refused.status_code == 404
    twice = api.post("/api/activities/participations", {"activity": inside, "person": world.person.pk})
    assert twice.status_code == 400
    assert twice.json()["code"] == "invalid"
    voided = api.post(f"/api/activities/participations/{record_id}/void", {"reason": "未到场"})
    assert voided.json()["void_reason"] == "未到场"
    assert Participation.objects.standing().filter(pk=record_id).count() == 0
