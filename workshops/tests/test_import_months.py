"""The month import (公民身份号码, 车间编号, 月份, 工作天数, 收入): each row passes the month
page's rules and is written by the same service; a list imported twice adds nothing, a
different row is a correction, every bad row is rejected with its reason."""

import pytest

from benefits.months import add_months
from canlian.models import AuditEntry
from conftest import make_person
from registry.tests.workbooks import write_workbook
from workshops.imports import WorkMonthImporter
from workshops.models import WorkMonth
from workshops.tests.conftest import JOINED, LAST_MONTH, THIS_MONTH

pytestmark = pytest.mark.django_db
HEADERS = WorkMonthImporter.headers()


def reasons(result) -> dict[int, list[tuple[str, str]]]:
    return {r.row: [(i.column, i.message) for i in r.reasons] for r in result.rejected}


@pytest.fixture
def run(tmp_path, users):
    def _run(rows, user="centre"):
        path = write_workbook(tmp_path / "月报.xlsx", rows, HEADERS)
        return WorkMonthImporter(user=users[user], source_name="月报.xlsx").run(path)

    return _run


def row(person, *, code="CJ01", month=None, days=20, income="800"):
    return {"公民身份号码": person.id_number, "车间编号": code, "月份": f"{month or LAST_MONTH:%Y-%m}",
            "工作天数": days, "收入": income}  # fmt: skip


def test_the_columns_are_the_issues(run):
    assert HEADERS == ["公民身份号码", "车间编号", "月份", "工作天数", "收入"]


def test_a_good_file_creates_a_row_a_line_and_twice_adds_nothing(run, members):
    lines = [row(m.person, days=20 - i, income=f"{800 + i}.50") for i, m in enumerate(members)]
    result = run(lines)
    assert result.counts() == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0, "total": 3}
    assert {w.person_id: (w.work_days, w.income_fen) for w in WorkMonth.objects.all()} == {
        m.person_id: (20 - i, 80050 + i * 100) for i, m in enumerate(members)
    }
    assert AuditEntry.objects.get(action="workshops.import").data["created"] == 3
    again = run(lines)
    assert again.counts()["unchanged"] == 3
    assert WorkMonth.objects.count() == 3


def test_a_different_row_is_a_correction(run, members):
    run([row(members[0].person)])
    result = run([row(members[0].person, days=15, income="600")])
    assert result.counts()["updated"] == 1
    assert WorkMonth.objects.get().income_fen == 60000
    assert AuditEntry.objects.filter(action="workshops.month.corrected").exists()


def test_bad_rows_are_rejected_with_their_reason_and_the_good_one_written(run, members, areas, other_member):
    stranger = make_person(areas["baisha_b"], name="王芳", sequence=631)
    result = run(
        [
            row(members[0].person),
            row(stranger),
            row(members[1].person, days=-1),
            row(members[2].person, days=32),
            row(members[1].person, month=add_months(THIS_MONTH, 1)),
            row(members[2].person, month=add_months(JOINED, -1)),
            row(members[2].person, income="-10"),
            row(members[0].person, code="CJ99", month=add_months(LAST_MONTH, -1)),
            row(other_member.person, code="CJ02"),
        ]
    )
    got = reasons(result)
    assert got[3] == [
        ("公民身份号码", f"该人员在 {LAST_MONTH:%Y-%m} 不是“白沙就业爱心车间”的成员，不能登记工作天数和收入")
    ]
    assert got[4] == [("工作天数", "工作天数不能为负数")]
    assert "超过" in got[5][0][1]
    assert "尚未到来" in got[6][0][1]
    assert "不是“白沙就业爱心车间”的成员" in got[7][0][1]
    assert got[8] == [("收入", "收入不能为负数")]
    assert got[9] == [("车间编号", "未知的车间编号“CJ99”")]
    assert got[10] == [("车间编号", "该车间不在您的管辖范围内")]
    assert result.counts()["created"] == 1
    assert list(WorkMonth.objects.values_list("person_id", flat=True)) == [members[0].person_id]


def test_a_row_repeated_in_the_file_is_rejected_both_times(run, members):
    result = run([row(members[0].person), row(members[0].person, days=3)])
    assert result.counts()["rejected"] == 2
    assert not WorkMonth.objects.exists()


def test_leaders_may_not_import(run, members):
    from canlian.importing import ImportRefused

    with pytest.raises(ImportRefused, match="您没有导入车间月报的权限"):
        run([row(members[0].person)], user="leader")
    assert not WorkMonth.objects.exists()
