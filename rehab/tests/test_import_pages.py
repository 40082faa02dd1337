"""The rehabilitation import pages on the framework: upload, the job's states and status
page, the rejected rows, the template; a job is its uploader's alone."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from canlian.models import Job
from registry.tests.workbooks import write_workbook
from rehab.imports import NeedAssessmentImporter, ServiceRecordImporter
from rehab.models import NeedAssessment, ServiceRecord

HEADERS = ServiceRecordImporter.headers()
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _media_and_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def upload(tmp_path, provider):
    def _upload(rows, headers=HEADERS, name="服务名单.xlsx"):
        path = write_workbook(tmp_path / name, rows, headers)
        return SimpleUploadedFile(name, path.read_bytes())

    return _upload


def row(person, item="KF09"):
    return {
        "公民身份号码": person.id_number,
        "项目编号": item,
        "服务机构": "蓬江区残疾人康复中心",
        "服务日期": datetime.date.today() - 5 * DAY,
        "次数": 2,
    }


def _book(response):
    assert response.status_code == 200
    return CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))


def test_an_upload_runs_the_job_and_the_status_page_shows_the_report(users, login, upload, person):
    client = login(users["officer"])
    response = client.post(reverse("rehab:services_import"), {"file": upload([row(person), row(person, "KF99")])})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rehab:services_import_status", args=[job.pk])
    assert (job.kind, job.state, job.created_by) == ("rehab.services", Job.State.DONE, users["officer"])
    assert (job.processed, job.total, job.message) == (2, 2, "新增 1，更新 0，未变 0，拒绝 1")
    assert job.finished_at is not None
    assert ServiceRecord.objects.count() == 1

    page = client.get(response["Location"]).content.decode()
    assert '<dd class="fs-4" id="count-created">1</dd>' in page
    assert "未知的项目编号“KF99”" in page
    assert reverse("rehab:services_import_rejected", args=[job.pk]) in page
    assert 'hx-trigger="every 1s"' not in page
    panel = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "导入完成：共 2 行" in panel and "<html" not in panel


def test_a_queued_job_is_polled(users, login):
    job = Job.objects.create(
        kind="rehab.services", title="t", params={"file": "x", "name": "x.xlsx"}, created_by=users["officer"]
    )
    page = login(users["officer"]).get(reverse("rehab:services_import_status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "正在排队" in page


def test_the_rejected_rows_download(users, login, upload, person):
    client = login(users["officer"])
    client.post(reverse("rehab:services_import"), {"file": upload([row(person, "KF99")])})
    job = Job.objects.get()
    rows = _book(client.get(reverse("rehab:services_import_rejected", args=[job.pk]))).get_sheet_by_index(0)
    values = rows.to_python()
    assert values[0] == [*HEADERS, "拒绝原因"] and values[1][1] == "KF99"


def test_a_refused_file_is_a_refused_job_and_writes_nothing(users, login, upload, person):
    client = login(users["officer"])
    client.post(reverse("rehab:services_import"), {"file": upload([row(person)], HEADERS[:3])})
    job = Job.objects.get()
    assert job.state == Job.State.REFUSED and "缺少必需的列：服务日期" in job.message
    page = client.get(reverse("rehab:services_import_status", args=[job.pk])).content.decode()
    assert "文件未导入" in page and "缺少必需的列" in page
    assert not ServiceRecord.objects.exists()
    assert client.get(reverse("rehab:services_import_rejected", args=[job.pk])).status_code == 404


def test_a_failure_is_a_failed_job_and_writes_nothing(users, login, upload, person, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("canlian.importing.audit_write", broken)
    client = login(users["officer"])
    # The task backend records the error (logged) and the job says what the user may know.
    client.post(reverse("rehab:services_import"), {"file": upload([row(person)])})
    job = Job.objects.get()
    assert job.state == Job.State.FAILED and "未写入任何数据" in job.message
    assert not ServiceRecord.objects.exists()


def test_a_job_is_its_uploaders_alone(users, login, upload, person):
    login(users["officer"]).post(reverse("rehab:services_import"), {"file": upload([row(person)])})
    job = Job.objects.get()
    other = login(users["other_officer"])
    assert other.get(reverse("rehab:services_import_status", args=[job.pk])).status_code == 404
    assert other.get(reverse("rehab:services_import_rejected", args=[job.pk])).status_code == 404
    # A job of the other importer's kind is not found under this one's pages.
    assert login(users["officer"]).get(reverse("rehab:assessments_import_status", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("who", ["leader", "reviewer", "centre"])
def test_users_who_only_look_may_not_open_the_upload(users, login, who):
    assert login(users[who]).get(reverse("rehab:services_import")).status_code == 403


@pytest.mark.parametrize(
    ("importer", "name"), [(ServiceRecordImporter, "services"), (NeedAssessmentImporter, "assessments")]
)
def test_the_template_has_the_columns_and_a_guide(users, login, importer, name):
    client = login(users["officer"])
    page = client.get(reverse(f"rehab:{name}_import")).content.decode()
    assert all(header in page for header in importer.headers())
    book = _book(client.get(reverse(f"rehab:{name}_import_template")))
    assert book.get_sheet_by_index(0).to_python()[0] == importer.headers()
    assert book.sheet_names == [importer.sheet_name, "填写说明"]


def test_an_assessment_upload(users, login, tmp_path, person):
    path = write_workbook(
        tmp_path / "评估.xlsx",
        [
            {
                "公民身份号码": person.id_number,
                "评估日期": datetime.date.today(),
                "评估人": "王医生",
                "需求项目": "无需求",
            }
        ],
        NeedAssessmentImporter.headers(),
    )
    client = login(users["officer"])
    client.post(reverse("rehab:assessments_import"), {"file": SimpleUploadedFile("评估.xlsx", path.read_bytes())})
    assert Job.objects.get().state == Job.State.DONE
    assert NeedAssessment.objects.get().has_need is False


def test_the_record_list_links_to_the_imports(users, login):
    page = login(users["officer"]).get(reverse("rehab:record_list")).content.decode()
    assert reverse("rehab:services_import") in page and reverse("rehab:assessments_import") in page
