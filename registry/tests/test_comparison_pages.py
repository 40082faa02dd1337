"""The data comparison pages: upload, progress, report, rejected rows; who may see them."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from canlian.models import Job
from registry.comparison import EVENT_COLUMNS
from registry.models import PersonEvent, Status
from registry.tests.workbooks import import_job, write_workbook

D = datetime.date


@pytest.fixture(autouse=True)
def _media_and_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def upload(tmp_path):
    def _upload(rows, headers=EVENT_COLUMNS, name="死亡名单.xlsx"):
        path = write_workbook(tmp_path / name, rows, headers)
        return SimpleUploadedFile(name, path.read_bytes())

    return _upload


@pytest.fixture
def job(users, login, upload, person, other_person):
    """A finished comparison of the officer: one death recorded, one row rejected."""
    rows = [
        {"公民身份号码": person.id_number, "事件": "死亡", "日期": D(2024, 7, 20)},
        {"公民身份号码": other_person.id_number, "事件": "死亡", "日期": D(2024, 7, 20)},
    ]
    login(users["officer"]).post(reverse("registry:comparison_import"), {"file": upload(rows)})
    return Job.objects.get()


def test_an_upload_records_the_events_and_the_status_page_shows_the_report(users, login, job, person, other_person):
    assert (job.kind, job.state, job.title) == ("registry.events", Job.State.DONE, "数据比对：死亡名单.xlsx")
    counts = job.report["counts"]
    assert (job.total, counts["updated"], counts["unchanged"], counts["rejected"]) == (2, 1, 0, 1)
    person.refresh_from_db()
    assert person.status == Status.DECEASED
    page = login(users["officer"]).get(reverse("registry:comparison_import_status", args=[job.pk])).content.decode()
    assert "比对完成" in page and "<dt>登记事件</dt>" in page and 'id="count-created"' not in page
    assert '<dd class="fs-4" id="count-updated">1</dd>' in page
    assert "在您的管辖范围内没有该身份证号的持证人员" in page
    assert reverse("registry:comparison_import_rejected", args=[job.pk]) in page
    assert 'hx-trigger="every 1s"' not in page
    assert other_person.name not in page


def test_the_upload_redirects_to_the_status_page(users, login, upload, person):
    rows = [{"公民身份号码": person.id_number, "事件": "迁出", "日期": D(2024, 1, 2)}]
    response = login(users["officer"]).post(reverse("registry:comparison_import"), {"file": upload(rows)})
    assert response["Location"] == reverse("registry:comparison_import_status", args=[Job.objects.get().pk])


def test_a_running_job_polls_its_own_status(users, login, person):
    job = import_job(users["officer"], kind="registry.events")
    client = login(users["officer"])
    url = reverse("registry:comparison_import_status", args=[job.pk])
    page = client.get(url).content.decode()
    assert f'hx-get="{url}?said=queued"' in page and 'hx-trigger="every 1s"' in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'id="import-status"' in fragment


def test_the_rejected_rows_download_has_the_reason(users, login, job, other_person):
    response = login(users["officer"]).get(reverse("registry:comparison_import_rejected", args=[job.pk]))
    data = b"".join(response.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[0][:4] == EVENT_COLUMNS and rows[1][0] == other_person.id_number
    assert "管辖范围" in rows[1][-1]


def test_a_refused_file_shows_why_and_writes_nothing(users, login, upload, person):
    rows = [{"公民身份号码": person.id_number, "事件": "死亡"}]
    client = login(users["officer"])
    client.post(reverse("registry:comparison_import"), {"file": upload(rows, ["公民身份号码", "事件"])})
    job = Job.objects.get()
    assert job.state == Job.State.REFUSED
    page = client.get(reverse("registry:comparison_import_status", args=[job.pk])).content.decode()
    assert "缺少必需的列：日期、新值" in page and "没有写入任何数据" in page
    assert not PersonEvent.objects.exists()


def test_a_file_that_is_not_excel_is_refused_by_the_form(users, login):
    client = login(users["officer"])
    response = client.post(reverse("registry:comparison_import"), {"file": SimpleUploadedFile("a.xlsx", b"hello")})
    assert response.status_code == 200 and "不是 Excel 工作簿" in response.content.decode()
    assert not Job.objects.exists()


def test_the_start_page_lists_the_columns_and_my_recent_comparisons_only(users, login, job):
    page = login(users["officer"]).get(reverse("registry:comparison_import")).content.decode()
    assert "证件换发" in page and "死亡名单.xlsx" in page and "列为 公民身份号码、事件、日期、新值" in page
    other = login(users["other_officer"]).get(reverse("registry:comparison_import")).content.decode()
    assert "死亡名单.xlsx" not in other


def test_a_comparison_is_not_listed_or_shown_among_person_imports(users, login, job):
    client = login(users["officer"])
    assert "死亡名单.xlsx" not in client.get(reverse("registry:persons_import")).content.decode()
    assert client.get(reverse("registry:persons_import_status", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("name", ["comparison_import_status", "comparison_import_rejected"])
def test_another_users_job_answers_404(users, login, job, name):
    url = reverse(f"registry:{name}", args=[job.pk])
    assert login(users["officer"]).get(url).status_code == 200
    assert login(users["other_officer"]).get(url).status_code == 404
    assert login(users["admin"]).get(url).status_code == 404


@pytest.mark.parametrize("user", ["leader", "reviewer", "centre"])
def test_users_who_may_not_import_get_403(users, login, user):
    assert login(users[user]).get(reverse("registry:comparison_import")).status_code == 403
