"""The bulk import of home visits: each valid row passes the one-at-a-time entry's rules,
every other row is rejected with its column and reason, and the same list twice adds
nothing."""

import datetime
from decimal import Decimal

import pytest

from canlian.models import AuditEntry
from outreach.imports import VisitImporter
from outreach.models import HomeVisit, VisitNeed
from registry.imports import ImportRefused
from registry.tests.workbooks import write_workbook

from .conftest import DAY, TODAY

HEADERS = VisitImporter.headers()


def reasons(result) -> dict[int, list[tuple[str, str]]]:
    return {r.row: [(issue.column, issue.message) for issue in r.reasons] for r in result.rejected}


@pytest.fixture
def run(tmp_path, users):
    def _run(rows, user="officer", headers=HEADERS):
        path = write_workbook(tmp_path / "走访名单.xlsx", rows, headers)
        return VisitImporter(user=users[user], source_name="走访名单.xlsx").run(path)

    return _run


def row(person, **cells):
    values = {
        "公民身份号码": person.id_number,
        "走访日期": TODAY - 10 * DAY,
        "走访人": "测试officer、区领导梁凤琼",
        "慰问金额": 500,
        "慰问物品": "大米一袋",
        "发现需求": "生活、医疗",
        "下次跟进日期": TODAY + 20 * DAY,
    }
    values.update(cells)
    return values


def test_a_good_file_creates_the_visits_with_their_visitors_and_needs(run, users, person):
    result = run([row(person), row(person, 走访日期=TODAY - 3 * DAY, 慰问金额="1,000.5元", 发现需求="无")])
    assert result.counts() == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0, "total": 2}
    first, second = HomeVisit.objects.order_by("visited_on")
    assert list(first.visitors.all()) == [users["officer"]]
    assert (first.other_visitors, first.money, first.needs) == (
        "区领导梁凤琼",
        Decimal("500.00"),
        ["living", "medical"],
    )
    assert (second.money, second.needs) == (Decimal("1000.50"), [])
    assert VisitNeed.objects.count() == 2
    assert AuditEntry.objects.get(action="outreach.import").data["created"] == 2


def test_the_same_list_twice_adds_nothing_and_a_differing_row_is_rejected(run, person):
    run([row(person)])
    result = run([row(person)])
    assert (result.created, result.unchanged) == (0, 1)
    result = run([row(person, 慰问金额=600)])
    assert reasons(result) == {
        2: [("走访日期", f"该人员 {TODAY - 10 * DAY:%Y-%m-%d} 已有走访记录，与本行不同，未修改")]
    }
    assert HomeVisit.objects.get().money == Decimal("500.00")


def test_bad_rows_are_rejected_with_their_reasons_and_the_good_one_is_written(run, person, other_person):
    result = run(
        [
            row(person, 走访日期=datetime.date(1979, 1, 1)),
            row(person, 发现需求="吃饭"),
            row(person, 慰问金额=-5, 走访日期=TODAY - 5 * DAY),
            row(other_person),
            row(person, 公民身份号码="11010519491231002X"),
            row(person, 走访日期=TODAY - 2 * DAY, 下次跟进日期=TODAY - 4 * DAY),
            row(person, 走访日期=TODAY - DAY),
        ]
    )
    assert reasons(result) == {
        2: [("走访日期", "走访日期不能早于出生日期（1980-01-01）")],
        3: [
            (
                "发现需求",
                "未知的需求“吃饭”：请填写 生活、医疗、康复、就业、住房、教育、其他 中的一项或多项，没有需求填“无”",
            )
        ],
        4: [("慰问金额", "慰问金额不能为负数")],
        5: [("公民身份号码", "该人员不在您的管辖范围内")],
        6: [("公民身份号码", "系统中没有该身份证号的持证人员")],
        7: [("下次跟进日期", "下次跟进日期不能早于走访日期")],
    }
    assert list(HomeVisit.objects.values_list("visited_on", flat=True)) == [TODAY - DAY]


def test_a_day_repeated_in_the_file_rejects_every_copy(run, person):
    result = run([row(person), row(person, 慰问金额=100)])
    assert set(reasons(result)) == {2, 3}
    assert not HomeVisit.objects.exists()


def test_a_file_without_a_required_column_writes_nothing(run, person):
    with pytest.raises(ImportRefused, match="缺少必需的列：走访人"):
        run([row(person)], headers=[h for h in HEADERS if h != "走访人"])
    assert not HomeVisit.objects.exists()


def test_a_reviewer_may_not_import_visits(run, person):
    with pytest.raises(ImportRefused, match="您没有导入走访慰问记录的权限"):
        run([row(person)], user="reviewer")
