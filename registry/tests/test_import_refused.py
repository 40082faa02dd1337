"""A file that is not an Excel workbook, or lacks required columns, is refused before anything is written."""

import io

import pytest
import xlsxwriter

from canlian.importing import ImportRefused
from canlian.models import AuditEntry
from registry.excel import HEADERS
from registry.imports import persons_import
from registry.models import Person
from registry.tests.workbooks import person_row, write_workbook


def _nothing_written() -> bool:
    return not Person.objects.exists() and not Person.history.model.objects.exists()


def test_a_text_file_is_refused(users, tmp_path):
    path = tmp_path / "名单.xlsx"
    path.write_text("姓名,公民身份号码\n张三,440703198001011234\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="不是可读取的 Excel 工作簿"):
        persons_import(user=users["officer"], path_or_file=path, source_name=path.name)
    assert _nothing_written()


def test_a_damaged_workbook_is_refused(users):
    damaged = io.BytesIO(b"PK\x03\x04" + b"\x00" * 200)
    with pytest.raises(ImportRefused, match="不是可读取的 Excel 工作簿"):
        persons_import(user=users["officer"], path_or_file=damaged, source_name="damaged.xlsx")
    assert _nothing_written()


def test_missing_required_columns_are_listed_and_nothing_is_written(users, tmp_path):
    headers = [h for h in HEADERS if h not in ("残疾人证号", "镇街", "区划代码")]
    path = write_workbook(tmp_path / "缺列.xlsx", [person_row()], headers)
    with pytest.raises(ImportRefused) as refused:
        persons_import(user=users["officer"], path_or_file=path, source_name=path.name)
    message = str(refused.value)
    assert "残疾人证号" in message and "镇街（或区划代码）" in message
    assert "姓名" not in message
    assert _nothing_written()
    assert not AuditEntry.objects.filter(action="registry.import").exists()


def test_an_empty_sheet_is_refused_for_having_no_header_row(users):
    target = io.BytesIO()
    book = xlsxwriter.Workbook(target, {"in_memory": True})
    book.add_worksheet("人员名单")
    book.close()
    target.seek(0)
    with pytest.raises(ImportRefused, match="没有表头行"):
        persons_import(user=users["officer"], path_or_file=target, source_name="empty.xlsx")


def test_a_user_without_the_import_permission_is_refused(users, tmp_path):
    path = write_workbook(tmp_path / "名单.xlsx", [person_row()])
    with pytest.raises(ImportRefused, match="权限"):
        persons_import(user=users["leader"], path_or_file=path, source_name=path.name)
    assert _nothing_written()
