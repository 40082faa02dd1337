"""The eligibility lists (资格比对) and the enrolment lists (参保名单) export in the
background when they are long: the job's file holds the rows the immediate export gives,
in its creator's scope, and a filter that does not validate is refused in Chinese with
nothing written — neither a file, nor a job, nor a log entry."""

import datetime
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from benefits.exports import EligibilityExporter
from benefits.grants import ENROLMENT_SCHEMES
from canlian.export_jobs import JOB_KIND, export_start
from canlian.exporting import params_request
from canlian.models import AuditEntry, Job
from conftest import make_person
from registry.models import EventKind
from registry.services import person_event_record

D = datetime.date
ELIGIBILITY = reverse("benefits:eligibility_export")
MARCH = {"scheme": "living", "month": "2021-03"}
JUNE = {"date": "2024-06-01"}


def _enrolment(code: str = "insurance") -> str:
    return reverse("benefits:grant_enrolment_export", args=[code])


@pytest.fixture
def background(settings, tmp_path):
    """Every list is long: a threshold of 0 rows (the real one is 20,000)."""
    settings.EXPORT_BACKGROUND_ROWS = 0
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def registry(users, areas, living, award_for):
    """白沙: one receiving the living subsidy, one eligible without it, one receiving it who
    died in February (不应享而享 in March); 荷塘: one receiving it."""
    made = {
        "baisha_poor": make_person(areas["baisha_a"], name="王低保", sequence=201, economic_status="dibao", grade=3),
        "baisha_unpaid": make_person(
            areas["baisha_b"], name="赵未享", sequence=203, economic_status="near_dibao", grade=4
        ),
        "baisha_dead": make_person(areas["baisha_a"], name="钱已故", sequence=205, economic_status="dibao", grade=2),
        "hetang_poor": make_person(areas["hetang_a"], name="李荷塘", sequence=202, economic_status="dibao", grade=4),
    }
    for key in ("baisha_poor", "baisha_dead", "hetang_poor"):
        award_for(made[key], living, "2021-01")
    person_event_record(user=users["admin"], person=made["baisha_dead"], kind=EventKind.DEATH, date=D(2021, 2, 10))
    return made


def _book(response) -> list[list]:
    assert response.status_code == 200, response.status_code
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return book.get_sheet_by_name(book.sheet_names[0]).to_python()


def _job_rows(client, response) -> tuple[Job, list[list]]:
    """The job `response` started (its status page's address) and its file's rows."""
    job = Job.objects.get(kind=JOB_KIND)
    assert response.status_code == 302 and response["Location"] == reverse("exports:status", args=[job.pk])
    assert job.state == Job.State.DONE, job.message
    page = client.get(response["Location"]).content.decode()
    assert "导出完成" in page and f"共 {job.report['rows']} 行" in page
    return job, _book(client.get(reverse("exports:download", args=[job.pk])))


def _files(media) -> list:
    folder = media / "exports"
    return list(folder.iterdir()) if folder.exists() else []


def _nothing_written(media) -> bool:
    logged = AuditEntry.objects.filter(action="benefits.export").exists()
    return not _files(media) and not Job.objects.exists() and not logged


# Eligibility lists ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [{"list": "eligible"}, {"list": "missing"}, {"list": "wrong"}, {"list": "eligible", "reveal": "1"}],
    ids=["eligible", "missing", "wrong", "revealed"],
)
def test_a_long_eligibility_list_runs_as_a_job_whose_file_has_the_immediate_exports_rows(
    login, users, registry, background, settings, params
):
    client = login(users["admin"])
    settings.EXPORT_BACKGROUND_ROWS = 1000
    at_once = _book(client.get(ELIGIBILITY, {**MARCH, **params}))
    assert not Job.objects.exists() and len(at_once) > 1
    AuditEntry.objects.filter(action="benefits.export").delete()

    settings.EXPORT_BACKGROUND_ROWS = 0
    job, rows = _job_rows(client, client.get(ELIGIBILITY, {**MARCH, **params}))
    assert rows == at_once
    assert (job.processed, job.total, job.report["rows"]) == (len(rows) - 1,) * 3
    log = AuditEntry.objects.get(action="benefits.export")
    assert (log.user, log.data["rows"], log.data["job"]) == (users["admin"], len(rows) - 1, job.pk)
    assert log.data["filters"]["list"] == params["list"] and log.data["revealed"] is ("reveal" in params)


def test_the_wrong_lists_job_keeps_the_award_start_and_the_reason(login, users, registry, background):
    client = login(users["admin"])
    _job, rows = _job_rows(client, client.get(ELIGIBILITY, {**MARCH, "list": "wrong"}))
    assert rows[0][-2:] == ["享受起始月份", "不符合原因"]
    assert [(row[2], row[8], row[9]) for row in rows[1:]] == [("钱已故", "2021-01", "死亡")]


@pytest.mark.parametrize(
    "role, town, others", [("officer", "白沙街道", "李荷塘"), ("other_officer", "荷塘镇", "王低保")]
)
def test_an_officers_eligibility_job_holds_their_town_only(login, users, registry, background, role, town, others):
    client = login(users[role])
    _job, rows = _job_rows(client, client.get(ELIGIBILITY, MARCH))
    assert len(rows) > 1 and {row[0] for row in rows[1:]} == {town}
    assert others not in str(rows)


@pytest.mark.parametrize(
    "bad, reason",
    [
        ({"month": "2021-13"}, "月份不存在：2021-13"),
        ({"month": "三月"}, "月份格式不正确"),
        ({"scheme": "nosuch"}, "没有可比对的补贴项目“nosuch”"),
        ({"town": "440703102000"}, "镇(街)“440703102000”不在您的管辖范围内"),
        ({"list": "everyone"}, "没有名单“everyone”"),
    ],
    ids=["month", "month-text", "scheme", "other-town", "list"],
)
def test_a_bad_eligibility_filter_is_refused_in_chinese_and_writes_nothing(
    login, users, registry, background, bad, reason
):
    client = login(users["officer"])
    response = client.get(ELIGIBILITY, {**MARCH, "list": "eligible", **bad, "reveal": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("benefits:eligibility") + "?")
    assert "reveal" not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "未导出：" in page and reason in page
    assert _nothing_written(background)


def test_a_job_whose_filter_no_longer_holds_for_its_creator_is_refused_and_leaves_no_file(users, registry, background):
    """The job is rebuilt for its creator when it runs: a town the creator may not see (a
    query asked for elsewhere, or a user moved since) is refused with the reason."""
    officer = users["officer"]
    exporter = EligibilityExporter.for_request(params_request(officer, "scheme=living&month=2021-03"))
    exporter.query = "scheme=living&month=2021-03&town=440703102000"
    job = export_start(user=officer, exporter=exporter, action="benefits.export", rows=2)
    job.refresh_from_db()
    assert job.state == Job.State.REFUSED
    assert job.message.startswith("未导出：") and "不在您的管辖范围内" in job.message
    assert not _files(background)


# Enrolment lists ------------------------------------------------------------------------


@pytest.fixture
def holders(areas):
    return {
        "severe": make_person(areas["baisha_a"], name="一级肢体", sequence=601, category=4, grade=1),
        "mental": make_person(areas["baisha_b"], name="四级精神", sequence=603, category=6, grade=4),
        "hetang": make_person(areas["hetang_a"], name="荷塘智力", sequence=611, category=5, grade=3),
    }


@pytest.mark.parametrize("code", ["insurance", "basic_insurance"])
def test_a_long_enrolment_list_runs_as_a_job_whose_file_has_the_immediate_exports_rows(
    login, users, holders, background, settings, code
):
    client = login(users["admin"])
    settings.EXPORT_BACKGROUND_ROWS = 1000
    at_once = _book(client.get(_enrolment(code), JUNE))
    assert not Job.objects.exists() and len(at_once) == 4
    AuditEntry.objects.filter(action="benefits.export").delete()

    settings.EXPORT_BACKGROUND_ROWS = 0
    job, rows = _job_rows(client, client.get(_enrolment(code), JUNE))
    assert rows == at_once and job.title == ENROLMENT_SCHEMES[code]
    assert job.report["filename"] == f"{job.title}_20240601.xlsx"
    log = AuditEntry.objects.get(action="benefits.export")
    assert (log.data["list"], log.data["date"], log.data["rows"], log.data["job"]) == (code, "2024-06-01", 3, job.pk)


def test_an_officers_enrolment_job_holds_their_town_only(login, users, holders, background):
    client = login(users["officer"])
    _job, rows = _job_rows(client, client.get(_enrolment(), JUNE))
    assert sorted(row[0] for row in rows[1:]) == ["一级肢体", "四级精神"]
    assert "荷塘" not in str(rows)


@pytest.mark.parametrize(
    "day, reason",
    [("2024-13-01", "日期“2024-13-01”无法识别"), ("2999-01-01", "日期 2999-01-01 晚于今天")],
    ids=["unreadable", "future"],
)
def test_a_bad_enrolment_date_is_refused_in_chinese_and_writes_nothing(login, users, holders, background, day, reason):
    client = login(users["officer"])
    response = client.get(_enrolment(), {"date": day})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("benefits:grant_enrolment", args=["insurance"]) + "?")
    page = client.get(response["Location"]).content.decode()
    assert "未导出：" in page and reason in page and "已按今天显示" in page
    assert _nothing_written(background)
