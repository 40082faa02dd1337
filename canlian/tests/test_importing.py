"""The import framework's base, with a small importer of its own: what an importer
declares is all it needs; reading, refusal, the ID cell, duplicates, the report, the
progress and the audit entry are the base's."""

import pytest
from python_calamine import CalamineWorkbook

from canlian.audit import ACTIONS
from canlian.importing import Column, Importer, ImportRefused, ImportResult, Row, id_column, parse_count
from canlian.models import AuditEntry
from registry.excel import CellError
from registry.tests.workbooks import rejected_reasons, write_workbook


class CountImporter(Importer):
    """Counts per person; a count above the limit `prepare` loaded is refused by a method."""

    kind = "demo.counts"
    title = "测试数量"
    columns = (
        id_column(),
        Column("数量", required=True, parse="parse_amount", aliases=("个数",)),
        Column("备注"),
    )

    def prepare(self) -> None:
        self.limit = 10

    def parse_amount(self, value) -> int:
        amount = parse_count(value, what="数量")
        if amount > self.limit:
            raise CellError(f"数量不能超过 {self.limit}")
        return amount

    def key(self, row: Row):
        return row.id_number

    def apply(self, rows: list[Row], result: ImportResult) -> None:
        self.applied = [(row.id_number, row.value["数量"], row.value["备注"]) for row in rows]
        result.created += len(rows)


@pytest.fixture
def run(tmp_path, users, monkeypatch):
    monkeypatch.setitem(ACTIONS, "demo.import", "导入测试")

    def _run(rows, headers=("公民身份号码", "数量", "备注"), progress=None):
        path = write_workbook(tmp_path / "数量.xlsx", rows, list(headers))
        importer = CountImporter(user=users["officer"], source_name="数量.xlsx")
        return importer, importer.run(path, progress)

    return _run


def test_the_declared_columns_are_parsed_and_applied(run, person, other_person):
    steps = []
    importer, result = run(
        [
            {"公民身份号码": person.id_number, "数量": 3, "备注": " 首批 "},
            {"公民身份号码": other_person.id_number, "数量": "4"},
        ],
        progress=lambda done, total: steps.append((done, total)),
    )
    assert importer.applied == [(person.id_number, 3, "首批"), (other_person.id_number, 4, None)]
    assert (result.created, result.rejected_count) == (2, 0)
    assert steps[-1] == (2, 2)


def test_an_alias_header_is_its_column(run, person):
    importer, result = run([{"公民身份号码": person.id_number, "个数": 2}], headers=("公民身份号码", "个数"))
    assert importer.applied == [(person.id_number, 2, None)]


def test_each_cell_error_is_the_rows_reason_at_its_column(run, person, other_person):
    _importer, result = run(
        [
            {"公民身份号码": "440703********123X", "数量": 11},
            {"公民身份号码": 440703198001011234, "数量": 1.5},
            {"公民身份号码": person.id_number},
            {"数量": 1},
        ]
    )
    assert rejected_reasons(result, 2) == {
        "公民身份号码": "这是脱敏后的身份证号（含 *），请填写完整号码",
        "数量": "数量不能超过 10",
    }
    assert "存成了数字" in rejected_reasons(result, 3)["公民身份号码"]
    assert "应为整数" in rejected_reasons(result, 3)["数量"]
    assert rejected_reasons(result, 4) == {"数量": "数量不能为空"}
    assert rejected_reasons(result, 5) == {"公民身份号码": "身份证号不能为空"}


def test_a_repeated_key_rejects_every_row_of_it(run, person, other_person):
    importer, result = run(
        [
            {"公民身份号码": person.id_number, "数量": 1},
            {"公民身份号码": other_person.id_number, "数量": 1},
            {"公民身份号码": person.id_number, "数量": 2},
        ]
    )
    assert importer.applied == [(other_person.id_number, 1, None)]
    assert "第 2、4 行" in rejected_reasons(result, 2)["公民身份号码"]
    assert "第 2、4 行" in rejected_reasons(result, 4)["公民身份号码"]


def test_a_missing_required_column_refuses_the_file_and_writes_nothing(run, person):
    with pytest.raises(ImportRefused, match="缺少必需的列：数量（需要 公民身份号码、数量、备注）"):
        run([{"公民身份号码": person.id_number}], headers=("公民身份号码", "备注"))
    assert not AuditEntry.objects.exists()


def test_the_import_is_audited_under_its_app(run, users, person):
    run([{"公民身份号码": person.id_number, "数量": 1}])
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.user, entry.data["created"], entry.data["file"]) == (
        "demo.import",
        users["officer"],
        1,
        "数量.xlsx",
    )


def test_the_template_has_the_columns_as_text_and_a_guide(tmp_path):
    path = tmp_path / "模板.xlsx"
    CountImporter.template_write(str(path))
    book = CalamineWorkbook.from_path(str(path))
    assert book.get_sheet_by_index(0).to_python() == [["公民身份号码", "数量", "备注"]]
    assert book.get_sheet_by_index(1).to_python()[1][:2] == ["公民身份号码", "是"]
