"""`manage.py import_persons`: summary and rejected rows printed; exit 0 when the file was read."""

import io

import pytest
from django.core.management import CommandError, call_command
from python_calamine import CalamineWorkbook

from registry.excel import HEADERS, REASON_HEADER
from registry.models import Person
from registry.tests.workbooks import person_row, write_workbook


def _run(*args, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_persons", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_a_good_file_is_imported_and_summarised(users, areas, tmp_path):
    path = write_workbook(tmp_path / "好.xlsx", [person_row(), person_row(name="赵丽", sequence=136)])
    out, err = _run(str(path), "--user", "officer")
    assert "新增 2，更新 0，未变 0，拒绝 0" in out
    assert "100%" in err  # the progress, one line per 10% when stderr is not a terminal
    assert set(Person.objects.values_list("name", flat=True)) == {"王小明", "赵丽"}
    assert Person.history.model.objects.filter(history_user=users["officer"]).count() == 2


def test_without_user_the_district_administrator_imports(users, areas, tmp_path):
    row = person_row(**{"镇街": "荷塘镇", "村居": "塔岗村"})
    out, _ = _run(str(write_workbook(tmp_path / "a.xlsx", [row])))
    assert "新增 1" in out
    assert Person.objects.get().history.first().history_user == users["admin"]


def test_rejected_rows_are_printed_and_written_and_the_exit_status_is_zero(users, tmp_path):
    rows = [person_row(), person_row(name="错行", sequence=137, **{"性别": "女"})]
    rejected = tmp_path / "拒绝.xlsx"
    out, _ = _run(str(write_workbook(tmp_path / "混合.xlsx", rows)), "--user", "officer", "--rejected", str(rejected))
    assert "新增 1，更新 0，未变 0，拒绝 1" in out
    assert "第 3 行：性别：" in out
    sheet = CalamineWorkbook.from_path(str(rejected)).get_sheet_by_index(0).to_python()
    assert sheet[0] == [*HEADERS, REASON_HEADER] and sheet[1][0] == "错行"


def test_a_refused_file_raises_a_command_error(users, tmp_path):
    path = tmp_path / "not-excel.xlsx"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(CommandError, match="文件未导入"):
        _run(str(path), "--user", "officer")
    assert not Person.objects.exists()


def test_a_missing_file_or_user_raises_a_command_error(users, tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        _run(str(tmp_path / "none.xlsx"))
    path = write_workbook(tmp_path / "a.xlsx", [person_row()])
    with pytest.raises(CommandError, match="用户不存在"):
        _run(str(path), "--user", "nobody")
