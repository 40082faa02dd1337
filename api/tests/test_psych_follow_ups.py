"""Psychological-service cases and mental-health case follow-ups as kinds of record: the
apps' forms, services and scope; a case's session notes only for the counsellor role, as
on the case page."""

import datetime

import pytest

from care.models import CareCase, CaseFollowUp
from care.services.cases import case_open as care_case_open
from outreach.models import PsychCase
from outreach.psych import case_open, session_record

TODAY = datetime.date.today()
DAY = TODAY.isoformat()
NOTE = "来访者谈及失眠与家庭矛盾"


@pytest.fixture
def psych_case(users, person):
    case = case_open(
        user=users["officer"],
        person=person,
        client_kind="person",
        opened_on=TODAY - datetime.timedelta(days=3),
        counsellor=users["counsellor"],
    )
    session_record(user=users["counsellor"], case=case, held_on=TODAY, kind="individual", notes=NOTE, at_risk=True)
    return case


def test_the_session_notes_are_the_counsellors_alone(api_as, psych_case):
    officer = api_as("officer").get("/api/outreach/psych-cases")
    assert officer.status_code == 200
    [case] = officer.json()["items"]
    assert (case["id"], case["at_risk"], case["counsellor"]) == (
        psych_case.pk,
        True,
        psych_case.counsellor.display_name,
    )
    assert [(s["kind"], s["at_risk"], s["notes"]) for s in case["sessions"]] == [("individual", True, None)]
    assert NOTE not in officer.content.decode()
    counsellor = api_as("counsellor").get("/api/outreach/psych-cases").json()["items"]
    assert [s["notes"] for s in counsellor[0]["sessions"]] == [NOTE]
    assert api_as("other_officer").get("/api/outreach/psych-cases").json()["items"] == []
    # The void answers the case as the caller may read it: no notes for an officer.
    voided = api_as("officer").post(f"/api/outreach/psych-cases/{psych_case.pk}/void", {"reason": "录入错误"})
    assert voided.status_code == 200 and voided.json()["voided"] is True
    assert voided.json()["sessions"][0]["notes"] is None
    assert api_as("counsellor").get("/api/outreach/psych-cases").json()["items"] == []


def test_a_case_is_opened_for_a_person_or_a_named_other_by_the_pages_rules(api_as, users, areas, person, other_person):
    api = api_as("officer")
    counsellor = users["counsellor"].pk
    body = {"client_kind": "person", "opened_on": DAY, "counsellor": counsellor}
    assert api.post("/api/outreach/psych-cases", {**body, "person": other_person.pk}).status_code == 404
    family = api.post(
        "/api/outreach/psych-cases", {**body, "person": person.pk, "client_kind": "family", "client_name": "王芳"}
    )
    assert family.status_code == 400
    assert family.json()["message"] == "请填写该家庭成员与残疾人的关系"
    no_person = api.post("/api/outreach/psych-cases", body)
    assert no_person.status_code == 400 and "client_kind" in no_person.json()["details"]
    assert not PsychCase.objects.exists()
    made = api.post("/api/outreach/psych-cases", {**body, "person": person.pk})
    assert made.status_code == 201, made.content
    assert (made.json()["person"]["id"], made.json()["sessions"]) == (person.pk, [])
    # A counsellor sees no registry (as on the pages, where opening a person's case needs
    # registry.view_person): a person's case is opened by the town; they open a named other's.
    counsellor_api = api_as("counsellor")
    assert counsellor_api.post("/api/outreach/psych-cases", {**body, "person": person.pk}).status_code == 404
    other = counsellor_api.post(
        "/api/outreach/psych-cases",
        {"client_kind": "staff", "client_name": "赵敏", "town": areas["hetang"].code, "opened_on": DAY},
    )
    assert other.status_code == 201, other.content
    assert (other.json()["counsellor"], other.json()["person"]) == (users["counsellor"].display_name, None)
    worker = api.post("/api/outreach/psych-cases", {**body, "client_kind": "staff", "client_name": "刘洋"})
    assert worker.status_code == 201, worker.content
    assert (worker.json()["person"], worker.json()["client_name"], worker.json()["area_code"]) == (
        None,
        "刘洋",
        users["officer"].area_id,
    )


@pytest.fixture
def care_cases(users, person, other_person):
    opened = TODAY - datetime.timedelta(days=10)
    return [
        care_case_open(
            user=users["admin"], person=p, keyworker=users["admin"], risk="low", plan="计划", opened_on=opened
        )
        for p in (person, other_person)
    ]


def test_a_follow_up_of_a_case_of_the_scope_is_recorded_listed_and_voided(api_as, care_cases, person):
    home, other = care_cases
    api = api_as("officer")
    body = {"followed_on": DAY, "contact": "phone", "risk": "high", "findings": "情绪稳定"}
    assert api.post("/api/care/follow-ups", {**body, "case": other.pk}).status_code == 404
    late = api.post(
        "/api/care/follow-ups",
        {**body, "case": home.pk, "next_due": (TODAY + 60 * datetime.timedelta(days=1)).isoformat()},
    )
    assert late.status_code == 400
    assert "高风险个案至少每 14 天随访一次" in late.json()["message"]
    assert not CaseFollowUp.objects.exists()
    made = api.post("/api/care/follow-ups", {**body, "case": home.pk})
    assert made.status_code == 201, made.content
    follow_up = made.json()
    assert (follow_up["person"]["id"], follow_up["case_id"], follow_up["area_code"]) == (
        person.pk,
        home.pk,
        home.area_code,
    )
    home.refresh_from_db()
    assert (home.risk, home.next_due.isoformat()) == ("high", follow_up["next_due"])
    listed = api.get("/api/care/follow-ups", {"person": person.pk}).json()["items"]
    assert [f["id"] for f in listed] == [follow_up["id"]]
    assert api.get("/api/care/follow-ups", {"case": other.pk}).json()["items"] == []
    assert api_as("other_officer").get("/api/care/follow-ups").json()["items"] == []
    assert (
        api_as("other_officer").post(f"/api/care/follow-ups/{follow_up['id']}/void", {"reason": "错"}).status_code
        == 404
    )
    voided = api.post(f"/api/care/follow-ups/{follow_up['id']}/void", {"reason": "重复登记"})
    assert voided.status_code == 200 and voided.json()["voided"] is True
    assert CareCase.objects.get(pk=home.pk).risk == "low"
