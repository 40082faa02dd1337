import datetime

import pytest

from canlian.models import AuditEntry
from rehab.models import Provider, RehabItem, ServiceRecord


@pytest.fixture
def body(areas, person):
    item = RehabItem.objects.filter(is_active=True).order_by("code").first()
    provider = Provider.objects.create(name="接口测试康复机构", area=areas["baisha"])
    served = (datetime.date.today() - datetime.timedelta(days=2)).isoformat()
    return {"person": person.pk, "item": item.pk, "provider": provider.pk, "served_on": served, "sessions": 2}


def test_an_officer_records_a_service_and_lists_it(api_as, body, person):
    api = api_as("officer")
    created = api.post("/api/rehab/records", body)
    assert created.status_code == 201, created.content
    record = ServiceRecord.objects.get()
    assert (record.person_id, record.sessions, record.recorded_by.username) == (person.pk, 2, "officer")
    assert [r["id"] for r in api.get("/api/rehab/records").json()["items"]] == [record.pk]
    assert api_as("other_officer").get("/api/rehab/records").json()["items"] == []


def test_the_same_service_twice_on_a_day_is_refused_in_chinese(api_as, body):
    api = api_as("officer")
    assert api.post("/api/rehab/records", body).status_code == 201
    again = api.post("/api/rehab/records", body)
    assert again.status_code == 400
    assert "重复登记" in again.json()["message"]
    assert ServiceRecord.objects.count() == 1


def test_a_service_for_another_towns_person_is_404_and_writes_nothing(api_as, body, other_person):
    response = api_as("officer").post("/api/rehab/records", {**body, "person": other_person.pk})
    assert response.status_code == 404
    assert not ServiceRecord.objects.exists()


def test_a_bad_item_is_the_forms_chinese_refusal(api_as, body):
    response = api_as("officer").post("/api/rehab/records", {**body, "item": 999999})
    assert response.status_code == 400
    assert response.json()["details"]["item"] == ["所选康复项目不存在或已停用"]


def test_a_void_takes_a_reason_and_only_the_towns_records(api_as, body):
    api = api_as("officer")
    record_id = api.post("/api/rehab/records", body).json()["id"]
    assert api_as("other_officer").post(f"/api/rehab/records/{record_id}/void", {"reason": "录错"}).status_code == 404
    voided = api.post(f"/api/rehab/records/{record_id}/void", {"reason": "录错"})
    assert voided.status_code == 200, voided.content
    assert voided.json()["voided"] is True
    assert ServiceRecord.objects.get().void_reason == "录错"
    assert AuditEntry.objects.filter(action="rehab.record.voided").count() == 1
    # A voided record no longer stands: it is not listed, nor voided twice.
    assert api.get("/api/rehab/records").json()["items"] == []
    assert api.post(f"/api/rehab/records/{record_id}/void", {"reason": "录错"}).status_code == 404
