"""The bank file of an approved batch: its rows and totals per town, masked accounts
unless revealed, the access log, the exported state; who may take it."""

import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from python_calamine import CalamineWorkbook

from benefits.exports import BANK_HEADERS, BANK_SHEET, TOTALS_HEADERS, TOTALS_SHEET
from benefits.models import PayrollBatch
from benefits.payroll import payroll_approve, payroll_generate
from canlian.models import AuditEntry
from conftest import make_person

D = datetime.date


@pytest.fixture
def baisha_poor(areas):
    return make_person(
        areas["baisha_a"],
        name="王低保",
        sequence=201,
        economic_status="dibao",
        grade=3,
        bank_account="6228480011112222",
    )


@pytest.fixture
def hetang_poor(areas):
    return make_person(
        areas["hetang_a"],
        name="李荷塘",
        sequence=202,
        economic_status="near_dibao",
        grade=4,
        bank_name="江门农商银行荷塘支行",
        bank_account="6228480033334444",
    )


@pytest.fixture
def batch(users, living, baisha_poor, hetang_poor, award_for):
    award_for(baisha_poor, living, "2021-01")
    award_for(hetang_poor, living, "2021-03")
    return payroll_generate(scheme=living, month=D(2021, 3, 1), user=users["admin"])


@pytest.fixture
def approved(batch, users):
    return payroll_approve(batch=batch, user=users["reviewer"])


def _url(batch) -> str:
    return reverse("benefits:batch_export", args=[batch.pk])


def _sheets(response) -> dict[str, list[list]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Disposition"].startswith("attachment")
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_the_bank_file_has_a_row_per_person_and_totals_per_town(login, users, approved):
    sheets = _sheets(login(users["reviewer"]).post(_url(approved)))
    assert list(sheets) == [BANK_SHEET, TOTALS_SHEET]
    assert sheets[BANK_SHEET] == [
        BANK_HEADERS,
        ["白沙街道", "王低保", "江门农商银行", "************2222", 543.0, 3.0, "2021-01～2021-03"],
        ["荷塘镇", "李荷塘", "江门农商银行荷塘支行", "************4444", 181.0, 1.0, "2021-03"],
    ]
    assert sheets[TOTALS_SHEET] == [
        TOTALS_HEADERS,
        ["白沙街道", 1.0, 3.0, 543.0],
        ["荷塘镇", 1.0, 1.0, 181.0],
        ["合计", 2.0, 4.0, 724.0],
    ]


def test_exporting_marks_the_batch_exported_and_writes_the_access_log(login, users, approved):
    login(users["reviewer"]).post(_url(approved))
    approved.refresh_from_db()
    assert approved.state == PayrollBatch.State.EXPORTED and approved.exported_at is not None
    log = AuditEntry.objects.get(action="benefits.export")
    assert (log.user, log.action) == (users["reviewer"], "benefits.export")
    assert log.data["rows"] == 2 and log.data["revealed"] is False
    assert log.data["filters"]["batch"] == approved.pk and log.data["filters"]["export"] == "bank_file"


def test_full_accounts_only_when_asked_and_allowed_and_logged_as_revealed(login, users, approved):
    sheets = _sheets(login(users["reviewer"]).post(_url(approved), {"reveal": "1"}))
    assert [row[3] for row in sheets[BANK_SHEET][1:]] == ["6228480011112222", "6228480033334444"]
    assert AuditEntry.objects.get(action="benefits.export").data["revealed"] is True


def test_a_user_without_the_reveal_permission_gets_masked_accounts_even_when_asking(login, users, approved):
    admin = users["admin"]
    admin.groups.first().permissions.remove(Permission.objects.get(codename="reveal_identifiers"))
    sheets = _sheets(login(admin).post(_url(approved), {"reveal": "1"}))
    assert all(row[3].startswith("*****") for row in sheets[BANK_SHEET][1:])
    assert AuditEntry.objects.get(action="benefits.export").data["revealed"] is False


def test_an_exported_batch_can_be_exported_again(login, users, approved):
    client = login(users["reviewer"])
    client.post(_url(approved))
    assert len(_sheets(client.post(_url(approved)))[BANK_SHEET]) == 3
    approved.refresh_from_db()
    assert (
        approved.state == PayrollBatch.State.EXPORTED
        and AuditEntry.objects.filter(action="benefits.export").count() == 2
    )


def test_a_draft_has_no_bank_file(login, users, batch):
    response = login(users["reviewer"]).post(_url(batch), follow=True)
    assert "草稿批次不能导出银行文件" in response.content.decode()
    batch.refresh_from_db()
    assert batch.state == PayrollBatch.State.DRAFT and not AuditEntry.objects.filter(action="benefits.export").exists()


@pytest.mark.parametrize("role", ["officer", "other_officer", "leader", "centre"])
def test_who_may_not_export_payrolls_gets_403(login, users, approved, role):
    assert login(users[role]).post(_url(approved)).status_code == 403
    assert not AuditEntry.objects.filter(action="benefits.export").exists()


def test_a_town_user_given_the_export_permission_still_cannot_take_the_district_file(login, users, approved):
    officer = users["officer"]
    officer.user_permissions.add(Permission.objects.get(codename="export_payroll"))
    response = login(officer).post(_url(approved), follow=True)
    assert "只有区级用户" in response.content.decode()
    approved.refresh_from_db()
    assert (
        approved.state == PayrollBatch.State.APPROVED
        and not AuditEntry.objects.filter(action="benefits.export").exists()
    )


def test_the_export_buttons_show_once_approved_and_for_exporters_only(login, users, batch):
    detail = reverse("benefits:batch_detail", args=[batch.pk])
    assert "导出银行文件" not in login(users["reviewer"]).get(detail).content.decode()
    payroll_approve(batch=batch, user=users["reviewer"])
    html = login(users["reviewer"]).get(detail).content.decode()
    assert "导出银行文件" in html and "导出（含完整账号）" in html
    assert "导出银行文件" not in login(users["officer"]).get(detail).content.decode()


def test_a_bank_file_longer_than_a_worksheet_is_refused_and_the_batch_stays_approved(
    login, users, approved, monkeypatch
):
    monkeypatch.setattr("canlian.workbooks.MAX_ROWS", 2)
    back = reverse("benefits:batch_detail", args=[approved.pk])
    response = login(users["reviewer"]).post(_url(approved), HTTP_REFERER="http://testserver" + back)
    assert response.status_code == 302 and response["Location"] == "http://testserver" + back
    approved.refresh_from_db()
    assert approved.state == PayrollBatch.State.APPROVED
    assert not AuditEntry.objects.filter(action="benefits.export").exists()
