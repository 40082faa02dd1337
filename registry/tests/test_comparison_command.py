"""`manage.py import_events`: summary and rejected rows printed; exit 0 when the file was read."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from python_calamine import CalamineWorkbook

from registry.comparison import EVENT_COLUMNS
from registry.excel import REASON_HEADER
from registry.models import PersonEvent, Status
from registry.tests.workbooks import write_workbook

D = datetime.date


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_events", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_events_are_recorded_and_rejected_rows_printed_and_written(users, person, tmp_path):
    rows = [
        {"公民身份号码": person.id_number, "事件": "死亡", "日期": D(2024, 7, 20)},
        {"公民身份号码": person.id_number, "事件": "等级变更", "日期": D(2024, 1, 5), "新值": "九级"},
    ]
    rejected = tmp_path / "拒绝.xlsx"
    path = write_workbook(tmp_path / "死亡名单.xlsx", rows, EVENT_COLUMNS)
    out, err = _run(str(path), "--user", "officer", "--rejected", str(rejected))
    assert "死亡名单.xlsx：登记事件 1，未变 0，拒绝 1" in out
    assert "第 3 行：新值：无法识别的残疾等级“九级”" in out
    assert "100%" in err
    person.refresh_from_db()
    assert person.status == Status.DECEASED
    assert PersonEvent.objects.get().created_by == users["officer"]
    book = CalamineWorkbook.from_path(str(rejected))
    assert book.sheet_names == ["数据比对"]
    sheet = book.get_sheet_by_index(0).to_python()
    assert sheet[0] == [*EVENT_COLUMNS, REASON_HEADER] and sheet[1][1] == "等级变更"


def test_the_same_file_twice_reports_every_row_unchanged(users, person, tmp_path):
    rows = [{"公民身份号码": person.id_number, "事件": "经济状况变更", "日期": D(2024, 7, 1), "新值": "低保"}]
    path = write_workbook(tmp_path / "低保.xlsx", rows, EVENT_COLUMNS)
    _run(str(path), "--user", "officer")
    out, _ = _run(str(path), "--user", "officer")
    assert "登记事件 0，未变 1，拒绝 0" in out


def test_without_user_the_district_administrator_records(users, other_person, tmp_path):
    rows = [{"公民身份号码": other_person.id_number, "事件": "迁出", "日期": D(2024, 7, 1)}]
    out, _ = _run(str(write_workbook(tmp_path / "a.xlsx", rows, EVENT_COLUMNS)))
    assert "登记事件 1" in out
    assert PersonEvent.objects.get().created_by == users["admin"]


def test_a_refused_file_raises_a_command_error_and_writes_nothing(users, person, tmp_path):
    rows = [{"公民身份号码": person.id_number, "事件": "死亡", "日期": D(2024, 7, 20)}]
    path = write_workbook(tmp_path / "a.xlsx", rows, ["公民身份号码", "日期"])
    with pytest.raises(CommandError, match="文件未导入：缺少必需的列：事件、新值"):
        _run(str(path), "--user", "officer")
    assert not PersonEvent.objects.exists()
