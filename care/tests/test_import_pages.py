"""The care import pages on the framework: centre staff upload their attendance list, the
job runs and its status page shows the report; the template has the declared columns; a
town officer may not import attendance, the district administrator imports institutions."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from canlian.models import Job
from care.imports import AttendanceImporter, InstitutionImporter
from care.models import Attendance, Institution
from care.tests.conftest import open_day
from registry.tests.workbooks import write_workbook


@pytest.fixture(autouse=True)
def _media_and_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _upload(tmp_path, rows, headers, name):
    path = write_workbook(tmp_path / name, rows, headers)
    return SimpleUploadedFile(name, path.read_bytes())


def test_centre_staff_upload_their_attendance_and_read_the_report(login, users, tmp_path, member, person):
    rows = [
        {"公民身份号码": person.id_number, "机构编号": "KY0101", "日期": open_day(1), "出勤": "是"},
        {"公民身份号码": person.id_number, "机构编号": "KY0101", "日期": open_day(2), "出勤": "周末"},
    ]
    client = login(users["centre"])
    response = client.post(
        reverse("care:attendance_import"), {"file": _upload(tmp_path, rows, AttendanceImporter.headers(), "考勤.xlsx")}
    )
    job = Job.objects.get()
    assert response["Location"] == reverse("care:attendance_import_status", args=[job.pk])
    assert (job.kind, job.state, job.message) == ("care.attendance", Job.State.DONE, "新增 1，更新 0，未变 0，拒绝 1")
    page = client.get(response["Location"]).content.decode()
    assert "出勤应填“是”或“否”" in page
    assert Attendance.objects.get().day == open_day(1)


def test_the_template_has_the_declared_columns(login, users):
    response = login(users["centre"]).get(reverse("care:attendance_import_template"))
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    assert book.get_sheet_by_name("考勤记录").to_python()[0] == ["公民身份号码", "机构编号", "日期", "出勤", "缺勤原因"]


def test_a_town_officer_may_not_open_the_attendance_import(login, users):
    assert login(users["officer"]).get(reverse("care:attendance_import")).status_code == 403


def test_the_district_administrator_imports_institutions(login, users, tmp_path, areas):
    rows = [
        {
            "机构编号": "KY0101",
            "机构名称": "白沙紫沙康园中心",
            "类型": "社区康园中心",
            "镇街": "白沙街道",
            "核定人数": 30,
        }
    ]
    client = login(users["admin"])
    upload = _upload(tmp_path, rows, InstitutionImporter.headers(), "机构.xlsx")
    assert client.post(reverse("care:institutions_import"), {"file": upload}).status_code == 302
    assert Institution.objects.get().area == areas["baisha"]
    assert login(users["officer"]).get(reverse("care:institutions_import")).status_code == 403
