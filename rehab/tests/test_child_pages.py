"""The child rehabilitation pages: each town sees its own children and applications (404
for another town's, 403 for a leader), a refused form comes back with the reason in
Chinese and writes nothing, the district decides on the application's page, the export is
the filtered list with masked identifiers and is logged, and a linked child's work is on
the person's timeline in a fixed number of queries."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from canlian.models import AuditEntry
from conftest import make_person
from registry.identifiers import mask_id
from registry.testing import make_id_number
from rehab.models import Child, ChildApplication
from rehab.services_children import child_apply, child_record

from .conftest import TODAY, years_ago

State = ChildApplication.State


@pytest.fixture
def two_towns(users, child_of, standards):
    """A child of each town with a training application."""
    made = {}
    for key, area, by in (("home", "baisha_a", "officer"), ("other", "hetang_a", "other_officer")):
        child = child_of(area, by=by, name="林小雨" if key == "home" else "何晓彤")
        application = child_apply(
            user=users[by],
            child=child,
            kind="training",
            priority_group="dibao_tekun",
            applied_on=TODAY,
            requested_fen=600_000,
        )
        made[key] = (child, application)
    return made


def test_an_officer_lists_their_towns_children_and_applications_only(login, users, two_towns):
    client = login(users["officer"])
    children = client.get(reverse("rehab:child_list")).content.decode()
    assert "林小雨" in children and "何晓彤" not in children
    assert "出生医学证明 R44*****01" in children  # masked, never in full
    applications = client.get(reverse("rehab:child_application_list")).content.decode()
    assert "林小雨" in applications and "何晓彤" not in applications
    other_child, other_application = two_towns["other"]
    assert client.get(reverse("rehab:child_detail", args=[other_child.pk])).status_code == 404
    assert client.get(reverse("rehab:child_application_detail", args=[other_application.pk])).status_code == 404
    # A step on another town's application answers 404 and writes nothing.
    response = client.post(reverse("rehab:child_application_withdraw", args=[other_application.pk]), {"reason": "x"})
    assert response.status_code == 404
    other_application.refresh_from_db()
    assert other_application.state == State.SUBMITTED


def test_a_leader_reads_no_child(login, users, two_towns):
    client = login(users["leader"])
    child, application = two_towns["home"]
    for url in (
        reverse("rehab:child_list"),
        reverse("rehab:child_detail", args=[child.pk]),
        reverse("rehab:child_application_detail", args=[application.pk]),
        reverse("rehab:child_application_export"),
    ):
        assert client.get(url).status_code == 403


def test_the_registration_form_shows_the_services_reasons_and_writes_nothing(login, users, areas):
    response = login(users["officer"]).post(
        reverse("rehab:child_create"),
        {
            "name": "黄梓轩",
            "id_number": make_id_number(birth=f"{years_ago(2):%Y%m%d}", sequence=202)[:-1] + "Y",
            "disability": "autism",
            "diagnosis": "孤独症谱系障碍",
            "guardian_name": "黄国明",
            "guardian_phone": "12345",
            "area": areas["baisha_a"].code,
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "身份证号" in form.errors["id_number"][0] and "监护人电话格式不正确" in form.errors["guardian_phone"][0]
    assert not Child.objects.exists()


def test_a_child_registered_on_the_page_opens_its_page(login, users, areas):
    number = make_id_number(birth=f"{years_ago(2):%Y%m%d}", sequence=202)
    response = login(users["officer"]).post(
        reverse("rehab:child_create"),
        {
            "name": "黄梓轩",
            "id_number": number,
            "disability": "autism",
            "diagnosis": "孤独症谱系障碍",
            "guardian_name": "黄国明",
            "guardian_phone": "13800138000",
            "area": areas["baisha_a"].code,
        },
    )
    child = Child.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("rehab:child_detail", args=[child.pk])
    page = login(users["officer"]).get(response["Location"]).content.decode()
    assert mask_id(number) in page and number not in page and "138****8000" in page


def test_an_application_past_the_age_limit_is_refused_on_the_page(login, users, child_of, standards):
    child = child_of(birth_date=years_ago(8))
    response = login(users["officer"]).post(
        reverse("rehab:child_apply", args=[child.pk]),
        {"kind": "training", "priority_group": "orphan", "applied_on": TODAY.isoformat(), "requested": "6000"},
    )
    assert response.status_code == 400
    assert "已满 8 周岁，超过康复训练救助的年龄上限（0–6 周岁）" in response.content.decode()
    assert not ChildApplication.objects.exists()


def test_the_reviewer_approves_and_places_on_the_applications_page(login, users, two_towns, institution):
    _child, application = two_towns["home"]
    client = login(users["reviewer"])
    url = reverse("rehab:child_application_detail", args=[application.pk])
    assert "不予批准" in client.get(url).content.decode()
    refused = client.post(
        reverse("rehab:child_application_decide", args=[application.pk]), {"decision": "approve", "approved": "7000"}
    )
    assert refused.status_code == 400 and "批准金额不能高于申请金额（6,000.00 元）" in refused.content.decode()
    done = client.post(
        reverse("rehab:child_application_decide", args=[application.pk]), {"decision": "approve", "approved": "5000.50"}
    )
    assert done.status_code == 302
    application.refresh_from_db()
    assert (application.state, application.approved_fen) == (State.APPROVED, 500_050)
    client.post(
        reverse("rehab:child_application_place", args=[application.pk]),
        {"institution": institution.pk, "placed_on": TODAY.isoformat()},
    )
    application.refresh_from_db()
    assert (application.state, application.institution) == (State.PLACED, institution)


def test_an_officer_sees_no_decision_form_and_gets_403_for_one(login, users, two_towns):
    _child, application = two_towns["home"]
    client = login(users["officer"])
    page = client.get(reverse("rehab:child_application_detail", args=[application.pk])).content.decode()
    assert "批准金额（元，不高于申请金额）" not in page and "撤回申请" in page
    response = client.post(reverse("rehab:child_application_decide", args=[application.pk]), {"decision": "approve"})
    assert response.status_code == 403


def _rows(response) -> list[list]:
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return book.get_sheet_by_name("残疾儿童康复救助名单").to_python()


def test_the_export_is_the_towns_filtered_list_masked_and_logged(login, users, two_towns):
    header, *body = _rows(login(users["officer"]).get(reverse("rehab:child_application_export"), {"kind": "training"}))
    assert len(body) == 1
    cells = dict(zip(header, body[0], strict=True))
    assert (cells["儿童姓名"], cells["镇街"], cells["村居"]) == ("林小雨", "白沙街道", "紫沙社区")
    assert cells["身份证号或出生医学证明"] == "出生医学证明 R44*****01"
    assert (cells["救助类别"], cells["申请金额（元）"], cells["状态"]) == ("康复训练", 6000, "待区残联审核")
    assert cells["申请时年龄（周岁）"] == 3
    log = AuditEntry.objects.get(action="rehab.export")
    assert (log.user, log.data["rows"], log.data["what"], log.data["filters"]) == (
        users["officer"],
        1,
        "rehab_child_applications",
        {"kind": "training"},
    )
    header, *body = _rows(login(users["admin"]).get(reverse("rehab:child_application_export")))
    assert len(body) == 2


@pytest.fixture
def linked(users, areas, child_of, placed):
    person = make_person(areas["baisha_a"], name="林小雨", birth=f"{years_ago(4):%Y%m%d}", sequence=301, category=2)
    child = child_of(id_number=person.id_number, gender="M", name=person.name)
    return person, placed(child)


def _records(users, application, count: int):
    for day in range(count):
        child_record(
            user=users["officer"],
            application=application,
            served_on=TODAY,
            content=f"听觉言语康复训练第{day + 1}期",
            amount_fen=100,
        )


def test_a_linked_childs_work_is_on_the_persons_page(login, users, linked):
    person, application = linked
    _records(users, application, 1)
    response = login(users["officer"]).get(reverse("registry:person_detail", args=[person.pk]))
    entries = [e for e in response.context["timeline"].entries if e.kind == "child_rehab"]
    assert [e.title for e in entries] == ["康复训练救助申请：已安置，接受服务中", "听觉言语康复训练第1期"]
    assert entries[0].url == reverse("rehab:child_application_detail", args=[application.pk])
    assert "该人员已登记为康复救助儿童" in response.content.decode()


def test_the_persons_timeline_reads_a_childs_records_in_a_fixed_number_of_queries(
    login, users, linked, django_assert_max_num_queries
):
    person, application = linked
    client = login(users["officer"])
    _records(users, application, 2)
    url = reverse("registry:person_detail", args=[person.pk])
    with CaptureQueriesContext(connection) as short:
        client.get(url, {"timeline": "all"})
    _records(users, application, 30)
    with django_assert_max_num_queries(len(short.captured_queries)):
        response = client.get(url, {"timeline": "all"})
    assert len([e for e in response.context["timeline"].entries if e.kind == "child_rehab"]) == 33
