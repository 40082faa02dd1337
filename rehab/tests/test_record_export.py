"""The record export: the filtered list as a workbook, masked as the list is, logged."""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from canlian.models import AuditEntry

URL = reverse("rehab:record_export")


def _rows(response) -> list[list]:
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return book.get_sheet_by_name("康复服务记录").to_python()


@pytest.fixture
def two_towns(person, other_person, record_for):
    record_for(person, days_ago=3, note="上门服务")
    record_for(other_person, days_ago=5, by="other_officer")


def test_the_officer_exports_their_towns_records_with_masked_ids(login, users, person, two_towns):
    rows = _rows(login(users["officer"]).get(URL))
    header, *body = rows
    assert len(body) == 1 and "公民身份号码" in header
    cells = dict(zip(header, body[0], strict=True))
    assert cells["姓名"] == person.name and cells["镇街"] == "白沙街道" and cells["村居"] == "紫沙社区"
    assert cells["公民身份号码"] == person.id_number[:6] + "********" + person.id_number[-4:]
    assert cells["康复项目"] == "运动功能训练" and cells["服务次数"] == 4 and cells["备注"] == "上门服务"
    log = AuditEntry.objects.get(action="rehab.export")
    assert (log.user, log.action, log.data["rows"], log.data["what"]) == (
        users["officer"],
        "rehab.export",
        1,
        "rehab_records",
    )


def test_an_officer_of_another_town_does_not_get_them(login, users, person, two_towns):
    rows = _rows(login(users["other_officer"]).get(URL))
    assert len(rows) == 2 and person.name not in str(rows)


def test_a_leader_may_not_export_the_records(login, users, two_towns):
    # A row per person-time, even masked, is not a figure: a leader reads rehab:figures.
    assert login(users["leader"]).get(URL).status_code == 403
    assert not AuditEntry.objects.filter(action="rehab.export").exists()


def test_the_export_follows_the_lists_filters(login, users, areas, two_towns):
    rows = _rows(login(users["admin"]).get(URL, {"town": areas["hetang"].code}))
    assert len(rows) == 2 and rows[1][1] == "荷塘镇"
    assert AuditEntry.objects.get(action="rehab.export").data["filters"] == {"town": areas["hetang"].code}


def test_centre_staff_may_not_export(login, users, two_towns):
    assert login(users["centre"]).get(URL).status_code == 403
    assert not AuditEntry.objects.filter(action="rehab.export").exists()


def test_a_list_longer_than_a_worksheet_is_refused_not_cut_off(login, users, person, record_for, monkeypatch):
    monkeypatch.setattr("canlian.workbooks.MAX_ROWS", 2)
    record_for(person, days_ago=3)
    record_for(person, days_ago=4)
    response = login(users["officer"]).get(URL)  # no page to go back to: the home page
    assert response.status_code == 302 and response["Location"] == "/"
    assert not AuditEntry.objects.filter(action="rehab.export").exists()


def test_a_long_export_runs_in_the_background_in_the_creators_scope(
    login, users, person, other_person, record_for, settings, tmp_path
):
    from canlian.export_jobs import JOB_KIND
    from canlian.models import Job

    settings.EXPORT_BACKGROUND_ROWS, settings.MEDIA_ROOT = 1, tmp_path
    record_for(person, days_ago=3)
    record_for(person, days_ago=4)
    record_for(other_person, days_ago=5, by="other_officer")
    client = login(users["officer"])
    job_url = client.get(URL)["Location"]
    job = Job.objects.get(kind=JOB_KIND)
    assert job_url == reverse("exports:status", args=[job.pk]) and job.report["rows"] == 2
    rows = _rows(client.get(reverse("exports:download", args=[job.pk])))
    assert len(rows) == 3 and other_person.name not in str(rows)
    log = AuditEntry.objects.get(action="rehab.export")
    assert (log.data["what"], log.data["rows"], log.data["job"]) == ("rehab_records", 2, job.pk)
