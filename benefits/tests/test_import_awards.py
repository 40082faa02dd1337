"""`import_awards`: every row ends created, updated, unchanged or rejected with its column
and reason; a refused file writes nothing; the same file twice changes nothing."""

import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from python_calamine import CalamineWorkbook

from accounts.roles import Role
from accounts.services import user_create
from benefits.award_import import COLUMNS, awards_import
from benefits.models import Award
from benefits.payroll import payroll_approve, payroll_generate
from canlian.importing import ImportRefused
from registry.testing import make_id_number
from registry.tests.workbooks import write_workbook

D = datetime.date


@pytest.fixture
def run(tmp_path, users):
    def _run(rows, user=None, headers=COLUMNS, name="享受名单.xlsx"):
        path = write_workbook(tmp_path / name, rows, headers)
        return awards_import(user=user or users["admin"], path_or_file=path, source_name=name)

    return _run


def row(person, scheme="护理补贴", start="2020-03", end=None):
    cells = {"公民身份号码": person.id_number, "补贴项目": scheme, "起始月份": start}
    if end is not None:
        cells["终止月份"] = end
    return cells


def reasons(result, number=2) -> dict[str, str]:
    for rejected in result.rejected:
        if rejected.row == number:
            return {issue.column: issue.message for issue in rejected.reasons}
    raise AssertionError(f"row {number} was not rejected: {result.summary()}")


def test_new_awards_are_created_from_the_import(run, users, person, nursing, living):
    result = run([row(person), row(person, "生活补贴", "2021/1", "2022-06")])
    assert (result.created, result.rejected_count) == (2, 0)
    award = Award.objects.get(scheme=nursing)
    assert (award.start_month, award.end_month, award.source) == (D(2020, 3, 1), None, Award.Source.IMPORT)
    assert (award.area_code, award.created_by) == (person.area_id, users["admin"])
    ended = Award.objects.get(scheme=living)
    assert (ended.start_month, ended.end_month) == (D(2021, 1, 1), D(2022, 6, 1))


@pytest.mark.parametrize("name", ["护理补贴", "重度残疾人护理补贴", "nursing", " 护理 补贴 "])
def test_the_scheme_is_found_by_short_name_full_name_or_code(run, person, nursing, name):
    assert run([row(person, name)]).created == 1
    assert Award.objects.get().scheme == nursing


@pytest.mark.parametrize(
    "cell, month",
    [
        ("2020-03", D(2020, 3, 1)),
        ("2020/3", D(2020, 3, 1)),
        ("2020年3月", D(2020, 3, 1)),
        ("2020-03-15", D(2020, 3, 1)),
        (D(2020, 3, 15), D(2020, 3, 1)),
        (202003, D(2020, 3, 1)),
        (43905, D(2020, 3, 1)),  # an Excel date serial that lost its format: 2020-03-15
    ],
)
def test_months_are_read_in_the_forms_officers_write_them(run, person, cell, month):
    assert run([row(person, start=cell)]).created == 1
    assert Award.objects.get().start_month == month


def test_a_month_stored_as_a_decimal_is_rejected(run, person):
    result = run([row(person, start=2020.1)])
    assert "小数" in reasons(result)["起始月份"] and not Award.objects.exists()


def test_an_unknown_id_is_rejected(run, person):
    unknown = make_id_number(birth="19650101", sequence=999)
    result = run([{"公民身份号码": unknown, "补贴项目": "护理补贴", "起始月份": "2020-03"}])
    assert "系统中没有该身份证号" in reasons(result)["公民身份号码"]


def test_an_invalid_or_masked_id_is_rejected(run, person):
    bad = person.id_number[:17] + ("0" if person.id_number[17] != "0" else "1")
    masked = person.id_number[:6] + "********" + person.id_number[14:]
    result = run([{**row(person), "公民身份号码": bad}, {**row(person, "生活补贴"), "公民身份号码": masked}])
    assert "校验位" in reasons(result, 2)["公民身份号码"]
    assert "脱敏" in reasons(result, 3)["公民身份号码"]


def test_a_person_outside_the_importers_area_is_rejected(run, areas, person, other_person):
    town_user = user_create(username="tr", password="x-Canlian-2026", role=Role.TOWN_OFFICER, area=areas["baisha"])
    town_user.user_permissions.add(Permission.objects.get(codename="change_award"))
    result = run([row(person), row(other_person)], user=town_user)
    assert result.created == 1 and "不在您的管辖范围内" in reasons(result, 3)["公民身份号码"]
    assert list(Award.objects.values_list("person", flat=True)) == [person.pk]


def test_an_open_award_with_the_same_start_is_unchanged(run, person, nursing, award_for):
    award_for(person, nursing, "2020-03")
    result = run([row(person)])
    assert (result.unchanged, result.created, result.rejected_count) == (1, 0, 0)
    assert Award.objects.count() == 1


def test_a_different_start_for_an_open_award_is_rejected_and_nothing_changes(run, person, nursing, award_for):
    award = award_for(person, nursing, "2021-01")
    result = run([row(person, start="2020-03")])
    message = reasons(result)["起始月份"]
    assert "自 2021-01 起" in message and "2020-03" in message and "未修改" in message
    award.refresh_from_db()
    assert award.start_month == D(2021, 1, 1) and Award.objects.count() == 1


def test_an_end_before_the_start_is_rejected(run, person):
    result = run([row(person, start="2021-05", end="2021-01")])
    assert "早于起始月份" in reasons(result)["终止月份"] and not Award.objects.exists()


def test_a_start_in_a_future_month_is_rejected(run, person):
    next_year = f"{datetime.date.today().year + 1}-01"
    assert "晚于本月" in reasons(run([row(person, start=next_year)]))["起始月份"]


def test_duplicate_rows_in_the_file_are_both_rejected(run, person, other_person):
    result = run([row(person), row(other_person), row(person, start="2020-04")])
    assert result.created == 1 and result.rejected_count == 2
    for number in (2, 4):
        assert "第 2、4 行" in reasons(result, number)["公民身份号码"]


def test_unknown_blank_and_non_monthly_schemes_are_rejected(run, person):
    result = run([row(person, "低保金"), row(person, ""), row(person, "燃油补贴")])
    assert "未知的补贴项目" in reasons(result, 2)["补贴项目"]
    assert "不能为空" in reasons(result, 3)["补贴项目"]
    assert "不是按月发放" in reasons(result, 4)["补贴项目"]


def test_a_blank_start_is_rejected(run, person):
    assert "起始月份不能为空" in reasons(run([row(person, start="")]))["起始月份"]


def test_an_end_month_for_an_open_award_with_the_same_start_ends_it(run, person, nursing, award_for):
    award = award_for(person, nursing, "2020-03")
    result = run([row(person, end="2023-12")])
    assert result.updated == 1
    award.refresh_from_db()
    assert award.end_month == D(2023, 12, 1) and "旧系统导入" in award.end_reason


def test_an_end_before_the_months_already_paid_is_rejected(run, users, person, nursing, award_for):
    award = award_for(person, nursing, "2024-01")
    draft = payroll_generate(scheme=nursing, month=D(2024, 3, 1), user=users["admin"])
    payroll_approve(batch=draft, user=users["reviewer"], version=draft.version)
    result = run([row(person, start="2024-01", end="2024-02")])
    assert "已发放至 2024-03" in reasons(result)["终止月份"]
    award.refresh_from_db()
    assert award.end_month is None


def test_a_different_end_for_an_ended_award_is_rejected(run, person, nursing, award_for):
    award_for(person, nursing, "2020-03", "2021-06")
    result = run([row(person, end="2021-08")])
    assert "已于 2021-06 终止" in reasons(result)["终止月份"]
    assert "已于 2021-06 终止" in reasons(run([row(person)]))["终止月份"]


def test_a_period_overlapping_an_ended_award_is_rejected(run, person, nursing, award_for):
    award_for(person, nursing, "2020-03", "2021-06")
    result = run([row(person, start="2021-01")])
    assert "重叠" in reasons(result)["起始月份"] and Award.objects.count() == 1


def test_an_earlier_closed_period_before_an_open_award_is_created(run, person, nursing, award_for):
    award_for(person, nursing, "2022-01")
    result = run([row(person, start="2020-03", end="2021-06")])
    assert result.created == 1 and Award.objects.count() == 2


def test_the_same_file_twice_changes_nothing(run, person, other_person, nursing, living, award_for):
    award_for(person, living, "2020-03")
    rows = [row(person), row(person, "生活补贴", end="2022-12"), row(other_person, "生活补贴", "2021-02", "2021-10")]
    first = run(rows)
    assert (first.created, first.updated, first.unchanged, first.rejected_count) == (2, 1, 0, 0)
    before = list(Award.objects.order_by("pk").values())
    second = run(rows)
    assert (second.created, second.updated, second.unchanged, second.rejected_count) == (0, 0, 3, 0)
    assert list(Award.objects.order_by("pk").values()) == before


def test_a_file_without_the_required_columns_is_refused_and_writes_nothing(run, person):
    with pytest.raises(ImportRefused, match="缺少必需的列：起始月份"):
        run([row(person)], headers=["公民身份号码", "补贴项目"])
    assert not Award.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(users, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(ImportRefused, match="不是可读取的 Excel 工作簿"):
        awards_import(user=users["admin"], path_or_file=path, source_name="a.xlsx")


def test_a_user_who_may_not_change_awards_is_refused(run, users, person):
    with pytest.raises(ImportRefused, match="没有导入享受资格的权限"):
        run([row(person)], user=users["officer"])
    assert not Award.objects.exists()


# The command ---------------------------------------------------------------------------


def call(*args) -> str:
    out = io.StringIO()
    call_command("import_awards", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_command_prints_the_summary_and_each_rejected_row(users, person, tmp_path):
    path = write_workbook(tmp_path / "名单.xlsx", [row(person), row(person, "生活补贴", "2021-05", "2021-01")], COLUMNS)
    rejected = tmp_path / "拒绝.xlsx"
    out = call(str(path), "--user", "reviewer", "--rejected", str(rejected))
    assert "新增 1，更新 0，未变 0，拒绝 1" in out
    assert "第 3 行：终止月份：终止月份 2021-01 早于起始月份 2021-05" in out
    sheet = CalamineWorkbook.from_path(str(rejected)).get_sheet_by_index(0).to_python()
    assert sheet[0][-1] == "拒绝原因" and sheet[1][0] == person.id_number
    assert Award.objects.get().created_by == users["reviewer"]


def test_the_command_defaults_to_the_district_administrator(users, person, tmp_path):
    path = write_workbook(tmp_path / "名单.xlsx", [row(person)], COLUMNS)
    assert "新增 1" in call(str(path))
    assert Award.objects.get().created_by == users["admin"]


def test_the_command_fails_when_the_file_is_refused(users, person, tmp_path):
    path = write_workbook(tmp_path / "名单.xlsx", [row(person)], ["公民身份号码"])
    with pytest.raises(CommandError, match="文件未导入"):
        call(str(path))
    with pytest.raises(CommandError, match="文件不存在"):
        call(str(tmp_path / "none.xlsx"))
    with pytest.raises(CommandError, match="用户不存在"):
        call(str(path), "--user", "nobody")
