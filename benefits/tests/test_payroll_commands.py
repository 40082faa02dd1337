"""The command-line payroll: `eligible`, `payroll` and `approve_payroll`."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from benefits.models import PaymentMonth, PayrollBatch
from conftest import make_person
from registry.models import EventKind
from registry.services import person_event_record

D = datetime.date


@pytest.fixture
def recipients(users, areas, living, award_for):
    """Three 低保 persons with awards, created out of ID order."""
    made = [
        make_person(areas["hetang_a"], name="李荷塘", sequence=305, economic_status="dibao", grade=4),
        make_person(areas["baisha_a"], name="王低保", sequence=301, economic_status="dibao", grade=3),
        make_person(areas["baisha_b"], name="赵边缘", sequence=303, economic_status="near_dibao", grade=4),
    ]
    award_for(made[0], living, "2021-03")
    award_for(made[1], living, "2021-01")
    award_for(made[2], living, "2020-12")
    return made


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _approve(user: str, version: str = "1") -> str:
    """`approve_payroll` of living 2021-03 by `user`, naming the draft `version`."""
    month = ["--scheme", "living", "--month", "2021-03"]
    return _run("approve_payroll", *month, "--user", user, "--draft-version", version)


def _csv(path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


# eligible -------------------------------------------------------------------------------


def test_eligible_writes_the_sorted_id_numbers_one_a_line(recipients, areas):
    make_person(areas["baisha_a"], name="无低保", sequence=307, economic_status="none", grade=3)
    out = _run("eligible", "--scheme", "living", "--month", "2021-03")
    assert out.splitlines() == sorted(p.id_number for p in recipients)


def test_eligible_writes_to_a_file_with_out(recipients, tmp_path):
    target = tmp_path / "eligible.txt"
    assert _run("eligible", "--scheme", "living", "--month", "2021/3", "--out", str(target)) == ""
    assert target.read_text(encoding="utf-8").splitlines() == sorted(p.id_number for p in recipients)


def test_eligible_follows_the_month(recipients, users):
    person_event_record(user=users["admin"], person=recipients[0], kind=EventKind.DEATH, date=D(2021, 3, 10))
    march = _run("eligible", "--scheme", "living", "--month", "2021-03").splitlines()
    april = _run("eligible", "--scheme", "living", "--month", "2021-04").splitlines()
    assert recipients[0].id_number in march and recipients[0].id_number not in april


@pytest.mark.parametrize(
    "args, message",
    [
        (["--scheme", "nothing", "--month", "2021-03"], "未知的补贴项目"),
        (["--scheme", "living", "--month", "March"], "月份格式不正确"),
    ],
)
def test_eligible_refuses_unknown_schemes_and_months(db, args, message):
    with pytest.raises(CommandError, match=message):
        _run("eligible", *args)


# payroll --------------------------------------------------------------------------------


def test_payroll_writes_the_csv_sorted_by_id_with_two_decimals(recipients, users, tmp_path):
    target = tmp_path / "march.csv"
    out = _run("payroll", "--scheme", "living", "--month", "2021-03", "--user", "admin", "--csv", str(target))
    by_person = {
        recipients[0].id_number: ["181.00", "1"],
        recipients[1].id_number: ["543.00", "3"],
        recipients[2].id_number: ["718.00", "4"],  # 175 (2020-12) + 3 × 181
    }
    assert _csv(target) == [["公民身份号码", "金额", "月数"], *[[k, *v] for k, v in sorted(by_person.items())]]
    assert "3 人" in out and "1442.00 元" in out
    batch = PayrollBatch.objects.get()
    assert batch.state == PayrollBatch.State.DRAFT and batch.prepared_by == users["admin"]


def test_payroll_regenerates_the_draft(recipients, users, areas, living, award_for, tmp_path):
    _run("payroll", "--scheme", "living", "--month", "2021-03", "--user", "admin")
    newcomer = make_person(areas["baisha_a"], name="周新增", sequence=309, economic_status="dibao", grade=4)
    award_for(newcomer, living, "2021-03")
    target = tmp_path / "again.csv"
    _run("payroll", "--scheme", "living", "--month", "2021-03", "--user", "admin", "--csv", str(target))
    assert len(_csv(target)) == 5 and PayrollBatch.objects.count() == 1


def test_payroll_on_an_approved_month_fails(recipients, users):
    _run("payroll", "--scheme", "living", "--month", "2021-03", "--user", "admin")
    _approve("reviewer")
    with pytest.raises(CommandError, match="已审核，不能重新生成") as raised:
        _run("payroll", "--scheme", "living", "--month", "2021-03", "--user", "admin")
    assert raised.value.returncode != 0


@pytest.mark.parametrize(
    "user, message",
    [("officer", "没有编制发放批次的权限"), ("nobody", "用户不存在或已停用")],
)
def test_payroll_refuses_who_may_not_prepare(recipients, user, message):
    with pytest.raises(CommandError, match=message):
        _run("payroll", "--scheme", "living", "--month", "2021-03", "--user", user)
    assert not PayrollBatch.objects.exists()


def test_payroll_refuses_a_scheme_not_paid_monthly(recipients):
    with pytest.raises(CommandError, match="不是按月发放"):
        _run("payroll", "--scheme", "fuel", "--month", "2021-03", "--user", "admin")


# approve_payroll ------------------------------------------------------------------------


def test_approve_payroll_approves_the_draft(recipients, users):
    _run("payroll", "--scheme", "living", "--month", "2021-03", "--user", "admin")
    out = _approve("reviewer")
    batch = PayrollBatch.objects.get()
    assert batch.state == PayrollBatch.State.APPROVED and batch.approved_by == users["reviewer"]
    assert "已审核" in out and "1442.00 元" in out
    assert PaymentMonth.objects.paid().filter(batch=batch).count() == batch.month_count == 8


def test_approve_payroll_refuses_the_preparer(recipients, users):
    _run("payroll", "--scheme", "living", "--month", "2021-03", "--user", "reviewer_who_prepares")
    with pytest.raises(CommandError, match="审核人不能是制表人") as raised:
        _approve("reviewer_who_prepares")
    assert raised.value.returncode != 0
    assert PayrollBatch.objects.get().state == PayrollBatch.State.DRAFT


def test_approve_payroll_without_a_draft_fails(recipients):
    with pytest.raises(CommandError, match="没有草稿批次"):
        _approve("reviewer")


def test_approve_payroll_of_an_approved_batch_fails(recipients):
    _run("payroll", "--scheme", "living", "--month", "2021-03", "--user", "admin")
    _approve("reviewer")
    with pytest.raises(CommandError, match="不能重复审核"):
        _approve("reviewer")


def test_payroll_prints_the_drafts_version_and_approve_payroll_refuses_another(recipients, users, living):
    assert "草稿（版本 1）" in _run("payroll", "--scheme", "living", "--month", "2021-03", "--user", "admin")
    # A rate changed and the draft generated again after the reviewer read version 1.
    living.rates.create(valid_from=D(2021, 3, 1), amount_fen=19000)
    assert "草稿（版本 2）" in _run("payroll", "--scheme", "living", "--month", "2021-03", "--user", "admin")
    with pytest.raises(CommandError, match="已重新生成"):
        _approve("reviewer")
    batch = PayrollBatch.objects.get()
    assert batch.state == PayrollBatch.State.DRAFT and not batch.payees.exists()
    _approve("reviewer", version="2")
    assert PayrollBatch.objects.get().state == PayrollBatch.State.APPROVED


def test_approve_payroll_refuses_who_may_not_approve(recipients):
    _run("payroll", "--scheme", "living", "--month", "2021-03", "--user", "admin")
    with pytest.raises(CommandError, match="没有审核发放批次的权限"):
        _approve("officer")
