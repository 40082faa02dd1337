"""The import pages: upload, progress, report, rejected-rows download, template; who may see them."""

import io
import re
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from canlian.importing import run_import
from canlian.models import Job
from registry.excel import GUIDE_SHEET, HEADERS, REASON_HEADER
from registry.models import Person
from registry.tests.workbooks import import_job, person_row, write_workbook


@pytest.fixture(autouse=True)
def _media_and_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def upload(tmp_path):
    def _upload(rows, headers=HEADERS, name="白沙名单.xlsx"):
        path = write_workbook(tmp_path / name, rows, headers)
        return SimpleUploadedFile(name, path.read_bytes())

    return _upload


def _download(response) -> list[list]:
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    return CalamineWorkbook.from_filelike(io.BytesIO(data))


def test_an_upload_runs_the_import_and_the_status_page_shows_the_counts(users, login, upload):
    client = login(users["officer"])
    rows = [person_row(), person_row(name="错行", sequence=137, **{"性别": "男", "残疾类别": "肢残"})]
    response = client.post(reverse("registry:persons_import"), {"file": upload(rows)})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:persons_import_status", args=[job.pk])
    assert (job.kind, job.state, job.title) == ("registry.persons", Job.State.DONE, "导入人员名单：白沙名单.xlsx")
    counts = job.report["counts"]
    assert (job.total, job.processed, counts["created"], counts["rejected"]) == (2, 2, 1, 1)
    assert Person.objects.filter(name="王小明").exists()

    page = client.get(response["Location"]).content.decode()
    assert '<dd class="fs-4" id="count-created">1</dd>' in page
    assert "肢残" in page and "残疾类别" in page
    assert reverse("registry:persons_import_rejected", args=[job.pk]) in page
    assert 'hx-trigger="every 1s"' not in page


def test_the_rejected_rows_download_has_the_reason_column(users, login, upload):
    client = login(users["officer"])
    client.post(reverse("registry:persons_import"), {"file": upload([person_row(**{"人员状态": "死亡"})])})
    job = Job.objects.get()
    book = _download(client.get(reverse("registry:persons_import_rejected", args=[job.pk])))
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0] == [*HEADERS, REASON_HEADER]
    assert rows[1][0] == "王小明" and rows[1][2] == person_row()["公民身份号码"]
    assert "状态日期必填" in rows[1][-1]


def test_a_refused_file_shows_why_and_writes_nothing(users, login, upload):
    client = login(users["officer"])
    headers = [h for h in HEADERS if h != "公民身份号码"]
    client.post(reverse("registry:persons_import"), {"file": upload([person_row()], headers)})
    job = Job.objects.get()
    assert job.state == Job.State.REFUSED and "公民身份号码" in job.message
    page = client.get(reverse("registry:persons_import_status", args=[job.pk])).content.decode()
    assert "缺少必需的列" in page
    assert not Person.objects.exists()


def test_a_file_that_is_not_excel_is_refused_by_the_form(users, login):
    client = login(users["officer"])
    for name, content in [("名单.csv", b"a,b\n"), ("名单.xlsx", "姓名,性别".encode())]:
        response = client.post(reverse("registry:persons_import"), {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 200
        assert response.context["form"].errors["file"]
    assert not Job.objects.exists()


def test_a_file_over_the_size_limit_is_refused_by_the_form(users, login, upload, settings):
    settings.IMPORT_MAX_BYTES = 1000
    response = login(users["officer"]).post(reverse("registry:persons_import"), {"file": upload([person_row()])})
    assert "文件太大" in response.context["form"].errors["file"][0]
    assert not Job.objects.exists()


def test_a_running_job_polls_itself_every_second_with_an_accessible_progress_bar(users, login):
    job = import_job(users["officer"], state=Job.State.RUNNING, processed=50, total=200)
    client = login(users["officer"])
    page = client.get(reverse("registry:persons_import_status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'hx-swap="outerHTML"' in page
    assert 'role="progressbar"' in page and 'aria-valuenow="25"' in page
    fragment = client.get(reverse("registry:persons_import_status", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode()
    assert 'aria-valuenow="25"' in fragment.content.decode()


def test_another_user_gets_404_on_the_job(users, login, upload):
    login(users["officer"]).post(reverse("registry:persons_import"), {"file": upload([person_row()])})
    job = Job.objects.get()
    for other in ("other_officer", "admin"):
        client = login(users[other])
        assert client.get(reverse("registry:persons_import_status", args=[job.pk])).status_code == 404
        assert client.get(reverse("registry:persons_import_rejected", args=[job.pk])).status_code == 404


def test_a_leader_gets_403_on_the_import_pages(users, login):
    client = login(users["leader"])
    assert client.get(reverse("registry:persons_import")).status_code == 403
    assert client.get(reverse("registry:persons_import_template")).status_code == 403


def test_the_upload_page_links_the_template_and_lists_the_columns(users, login):
    page = login(users["officer"]).get(reverse("registry:persons_import")).content.decode()
    assert reverse("registry:persons_import_template") in page
    assert all(header in page for header in HEADERS)
    assert '<label class="form-label" for="id_file">' in page


def test_the_template_downloads_with_its_header_row_and_guide(users, login):
    book = _download(login(users["officer"]).get(reverse("registry:persons_import_template")))
    assert book.sheet_names[1] == GUIDE_SHEET
    assert book.get_sheet_by_index(0).to_python() == [HEADERS]
    guide = book.get_sheet_by_name(GUIDE_SHEET).to_python()
    assert {row[0] for row in guide} >= set(HEADERS)


def test_the_template_keeps_identifier_columns_as_text(users, login):
    response = login(users["officer"]).get(reverse("registry:persons_import_template"))
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        styles = archive.read("xl/styles.xml").decode()
    formats = re.findall(r"<xf [^>]*numFmtId=\"(\d+)\"", styles.split("<cellXfs")[1])
    for header in ("公民身份号码", "残疾人证号", "联系电话", "银行账号"):
        number = HEADERS.index(header) + 1
        style = re.search(rf'<col min="{number}" max="{number}"[^>]*style="(\d+)"', sheet)
        assert style and formats[int(style.group(1))] == "49", header  # 49 is Excel's "@" (text)


def test_a_job_whose_import_fails_ends_failed_with_a_message(users, login):
    job = import_job(users["officer"], name="gone.xlsx")
    default_storage.delete(job.params["file"])
    run_import.enqueue(job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.finished_at is not None
    page = login(users["officer"]).get(reverse("registry:persons_import_status", args=[job.pk])).content.decode()
    assert "导入出错" in page and job.message in page


def test_the_end_of_an_import_is_announced_in_a_live_region_that_stays_in_the_page(users, login, upload):
    """The polled panel is replaced every second; a live region inside it would be replaced
    with its text and not announced. The page holds one empty region outside the panel, and
    the panel's last htmx response fills it out of band."""
    client = login(users["officer"])
    client.post(reverse("registry:persons_import"), {"file": upload([person_row()])})
    job = Job.objects.get()
    url = reverse("registry:persons_import_status", args=[job.pk])
    page = client.get(url).content.decode()
    assert page.count('id="status-announce"') == 1 and "hx-swap-oob" not in page
    running = import_job(users["officer"], name="b.xlsx", state=Job.State.RUNNING, processed=1, total=2)
    running_url = reverse("registry:persons_import_status", args=[running.pk])
    # A poll that finds the step it last said (`said`) leaves the region as it is; one
    # that finds a new step fills it (canlian/tests/test_progress_announce.py).
    polled = client.get(running_url, {"said": "50"}, HTTP_HX_REQUEST="true").content.decode()
    assert "aria-live" not in polled and "status-announce" not in polled
    stepped = client.get(running_url, {"said": "40"}, HTTP_HX_REQUEST="true").content.decode()
    assert "aria-live" not in stepped
    assert '<p id="status-announce" hx-swap-oob="innerHTML">导入进度 50%，已检查 1 / 2 行</p>' in stepped
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="status-announce"' in fragment and 'hx-swap-oob="innerHTML"' in fragment
    assert "导入完成：共 1 行，新增 1，更新 0，未变 0，拒绝 0。" in fragment


def test_an_uploaded_import_files_a_change_request_with_the_workbook_as_evidence(users, login, upload, person):
    from registry.models import ChangeRequest
    from registry.tests.test_import_rows import row_of

    client = login(users["officer"])
    file = upload([row_of(person, **{"银行账号": "6228480099990001"})])
    response = client.post(reverse("registry:persons_import"), {"file": file})
    job = Job.objects.get()
    assert job.state == Job.State.DONE and job.report["requested"] == 1
    request = ChangeRequest.objects.get(person=person)
    assert request.evidence_name == "白沙名单.xlsx" and request.evidence.read() == file.open().read()
    person.refresh_from_db()
    assert person.bank_account == "6228480012345678"

    page = client.get(response["Location"]).content.decode()
    assert '<dd class="fs-4" id="count-requested">1</dd>' in page
    assert "银行账户与系统登记的不同：已提交变更申请，待审核" in page
    # The reviewer opens the workbook from the request's page.
    evidence = login(users["reviewer"]).get(reverse("registry:change_request_evidence", args=[request.pk]))
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content)[:4] == b"PK\x03\x04"
