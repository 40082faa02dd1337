"""The kinds of record added through `api.records.KINDS`: each entry gives its list,
create and void routes, through the app's own forms and services."""

import datetime

from activities.models import FiveOneRecord
from api.main import api as ninja_api
from api.records import KINDS
from api.scope_routes import _pks
from employment.models import EmploymentEvent, ServicePoint
from outreach.models import HomeServiceRequest, WatchContact
from workshops.models import Membership

TODAY = datetime.date.today()
DAY = TODAY.isoformat()


def test_each_kind_of_record_has_its_list_create_and_void_route():
    paths = ninja_api.get_openapi_schema()["paths"]
    for kind in KINDS:
        path = f"/api/{kind.path}"
        assert set(paths[path]) == {"get", "post"}, kind.name
        assert set(paths[f"{path}/{{record_id}}/void"]) == {"post"}, kind.name
    assert len({kind.path for kind in KINDS}) == len(KINDS) >= 12


def test_a_five_one_is_recorded_listed_filtered_and_voided(api_as, person, other_person):
    api = api_as("officer")
    created = api.post("/api/activities/five-ones", {"person": person.pk, "item": "book", "done_on": DAY})
    assert created.status_code == 201, created.content
    record = created.json()
    assert (record["item_label"], record["year"], record["person"]["id"]) == ("读一本书", TODAY.year, person.pk)
    assert [r["id"] for r in api.get("/api/activities/five-ones", {"item": "book"}).json()["items"]] == [record["id"]]
    assert api.get("/api/activities/five-ones", {"year": TODAY.year - 1}).json()["items"] == []
    assert api_as("other_officer").get("/api/activities/five-ones").json()["items"] == []
    voided = api.post(f"/api/activities/five-ones/{record['id']}/void", {"reason": "录入错误"})
    assert voided.status_code == 200 and voided.json()["voided"] is True
    assert not FiveOneRecord.objects.standing().exists()


def test_a_five_one_of_another_town_or_an_unknown_item_writes_nothing(api_as, person, other_person):
    api = api_as("officer")
    assert (
        api.post("/api/activities/five-ones", {"person": other_person.pk, "item": "book", "done_on": DAY}).status_code
        == 404
    )
    refused = api.post("/api/activities/five-ones", {"person": person.pk, "item": "fly", "done_on": DAY})
    assert refused.status_code == 400
    assert "item" in refused.json()["details"]
    assert not FiveOneRecord.objects.exists()


def test_a_home_service_request_gets_the_forms_checks(api_as, person):
    api = api_as("officer")
    body = {"person": person.pk, "kind": "repair", "requested_on": DAY, "requested_by": "本人", "what": "修理轮椅"}
    early = api.post(
        "/api/outreach/home-services", {**body, "due_on": (TODAY - datetime.timedelta(days=1)).isoformat()}
    )
    assert early.status_code == 400
    assert early.json()["message"] == "应完成日期不能早于申请日期"
    assert not HomeServiceRequest.objects.exists()
    created = api.post("/api/outreach/home-services", body)
    assert created.status_code == 201, created.content
    assert created.json()["due_on"] > DAY  # the default: some days after the request
    assert api.post(f"/api/outreach/home-services/{created.json()['id']}/void", {"reason": "重复"}).json()["voided"]


def test_a_contact_of_a_person_not_on_the_watch_list_is_refused_in_chinese(api_as, person):
    refused = api_as("officer").post(
        "/api/outreach/contacts", {"person": person.pk, "contacted_on": DAY, "method": "phone"}
    )
    assert refused.status_code == 400
    assert refused.json()["message"] == "该人员不在独居（无人照料）关爱名单内，不能登记联系记录"
    assert not WatchContact.objects.exists()


def test_an_employment_status_is_recorded_at_a_service_point(api_as, person):
    point = ServicePoint.objects.filter(is_active=True).order_by("code").first()
    api = api_as("officer")
    body = {"person": person.pk, "status": "employed", "changed_on": DAY}
    missing = api.post("/api/employment/statuses", {**body, "point": 0})
    assert missing.status_code == 400 and "point" in missing.json()["details"]
    created = api.post("/api/employment/statuses", {**body, "point": point.pk})
    assert created.status_code == 201, created.content
    assert created.json()["point_name"] == point.name
    assert [r["id"] for r in api.get("/api/employment/statuses", {"person": person.pk}).json()["items"]] == [
        EmploymentEvent.objects.get().pk
    ]


def test_a_person_joins_a_workshop_of_the_scope_once_at_a_time(api_as, world):
    inside, outside = _pks(world, "workshops:workshop_detail")
    api = api_as("officer")
    body = {"person": world.person.pk, "started_on": DAY}
    other = api.post("/api/workshops/members", {**body, "workshop": outside})
    assert other.status_code == 400 and "workshop" in other.json()["details"]
    # The walk's world made the person a member already: a second period may not overlap.
    twice = api.post("/api/workshops/members", {**body, "workshop": inside})
    assert twice.status_code == 400 and "期间不能重叠" in twice.json()["message"]
    member = Membership.objects.standing().get(person=world.person, workshop_id=inside)
    listed = api.get("/api/workshops/members", {"workshop": inside, "person": world.person.pk}).json()["items"]
    assert [m["id"] for m in listed] == [member.pk]
    assert api_as("other_officer").post(f"/api/workshops/members/{member.pk}/void", {"reason": "错"}).status_code == 404
