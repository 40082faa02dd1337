"""Loading communities/villages from a workbook of official codes (import_areas)."""

from io import StringIO

import pytest
import xlsxwriter
from django.core.management import CommandError, call_command

from areas.models import Area, Level
from areas.services import AreasImportError, Outcome, areas_import

pytestmark = pytest.mark.django_db

HEADER = ["区划代码", "名称"]


def workbook(path, rows, header=HEADER):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, header)
    for index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, (int, float)):
                sheet.write_number(index, column, value)
            elif value is not None:
                sheet.write_string(index, column, value)
    book.close()
    return path


def outcomes(result):
    return {row.row: (row.outcome, row.reason) for row in result.rows}


def test_creates_communities_under_their_towns(tmp_path):
    path = workbook(
        tmp_path / "a.xlsx",
        [("440703102203", "良村"), ("440703103201", "龙榜村"), ("440703002003", "江华社区")],
    )
    result = areas_import(path=path)

    assert (result.created, result.updated, result.unchanged, result.rejected) == (3, 0, 0, 0)
    liang = Area.objects.get(code="440703102203")
    assert (liang.name, liang.level, liang.parent_id, liang.is_active) == (
        "良村",
        Level.COMMUNITY,
        "440703102000",
        True,
    )
    assert Area.objects.get(code="440703103201").parent.name == "杜阮镇"
    assert Area.objects.get(code="440703002003").town.code == "440703002000"
    assert [row.row for row in result.rows] == [2, 3, 4]


def test_reimport_updates_names_and_leaves_the_rest(tmp_path):
    rows = [("440703102203", "良村"), ("440703102204", "三丫村")]
    areas_import(path=workbook(tmp_path / "a.xlsx", rows))

    again = areas_import(path=workbook(tmp_path / "b.xlsx", rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)

    renamed = areas_import(path=workbook(tmp_path / "c.xlsx", [("440703102203", "良村村"), ("440703102204", "三丫村")]))
    assert outcomes(renamed) == {2: (Outcome.UPDATED, ""), 3: (Outcome.UNCHANGED, "")}
    assert Area.objects.get(code="440703102203").name == "良村村"
    assert Area.objects.filter(code__startswith="440703102", level=Level.COMMUNITY).count() == 2


def test_a_town_code_renames_the_town(tmp_path):
    result = areas_import(path=workbook(tmp_path / "a.xlsx", [("440703102000", "荷塘镇（新）")]))
    assert outcomes(result) == {2: (Outcome.UPDATED, "")}
    town = Area.objects.get(code="440703102000")
    assert (town.name, town.level) == ("荷塘镇（新）", Level.TOWN)


def test_bad_rows_are_rejected_with_reasons_and_good_rows_still_load(tmp_path):
    before = Area.objects.count()
    path = workbook(
        tmp_path / "a.xlsx",
        [
            ("44070310220", "少一位"),  # 2: not 12 digits
            ("44070310220A", "有字母"),  # 3
            ("440703104201", "无主村"),  # 4: town 440703104000 does not exist
            ("440704001001", "江海社区"),  # 5: another district
            ("440703102205", ""),  # 6: empty name
            ("", "无代码"),  # 7
            ("440703000000", "蓬江区"),  # 8: the district itself
            ("440703102206", "霞村"),  # 9: good
            ("440703102207", "白藤村"),  # 10: duplicated below
            ("440703102207", "白藤村"),  # 11
        ],
    )
    result = areas_import(path=path)
    got = outcomes(result)

    assert (result.created, result.rejected) == (1, 9)
    assert got[9] == (Outcome.CREATED, "")
    assert "12 位数字" in got[2][1] and "12 位数字" in got[3][1]
    assert "440703104000" in got[4][1] and "不存在" in got[4][1]
    assert "不属于蓬江区" in got[5][1]
    assert got[6][1] == "名称不能为空"
    assert got[7][1] == "区划代码不能为空"
    assert "不是镇(街)或村(居)" in got[8][1]
    assert "重复" in got[10][1] and "第 11 行" in got[10][1]
    assert "重复" in got[11][1] and "第 10 行" in got[11][1]
    assert all(got[row][0] == Outcome.REJECTED for row in (2, 3, 4, 5, 6, 7, 8, 10, 11))
    assert Area.objects.count() == before + 1
    assert not Area.objects.filter(code__in=["440703104201", "440704001001", "440703102207"]).exists()
    assert result.summary() == "共 10 行：新增 1，更新 0，未变 0，拒绝 9"


def test_a_code_typed_as_a_number_and_spaces_are_accepted(tmp_path):
    path = workbook(tmp_path / "a.xlsx", [(440703101201, " 周郡村 "), ("４４０７０３１０１２０２", "虎岭村")])
    result = areas_import(path=path)
    assert result.created == 2
    assert Area.objects.get(code="440703101201").name == "周郡村"
    assert Area.objects.get(code="440703101202").parent_id == "440703101000"


def test_a_code_under_a_retired_street_stays_under_it(tmp_path):
    result = areas_import(path=workbook(tmp_path / "a.xlsx", [("440703001005", "仓后旧社区")]))

    assert result.created == 1
    assert "白沙街道" in result.rows[0].note
    area = Area.objects.get(code="440703001005")
    assert area.parent_id == "440703001000"
    assert area.is_active is False
    assert area.parent.current().code == "440703002000"


def test_blank_lines_are_skipped_and_extra_columns_ignored(tmp_path):
    path = workbook(
        tmp_path / "a.xlsx",
        [("备注", "440703103202", "上巷村"), (None, None, None), ("", "440703103203", "南芦村")],
        header=["说明", "区划代码", "名称"],
    )
    result = areas_import(path=path)
    assert [(row.row, row.outcome) for row in result.rows] == [
        (2, Outcome.CREATED),
        (4, Outcome.CREATED),
    ]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"this is not a workbook", "无法读取文件"),
        (b"", "无法读取文件"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused(tmp_path, content, message):
    path = tmp_path / "areas.xlsx"
    path.write_bytes(content)
    before = Area.objects.count()
    with pytest.raises(AreasImportError, match=message):
        areas_import(path=path)
    assert Area.objects.count() == before


def test_missing_columns_refuse_the_file_before_writing(tmp_path):
    path = workbook(tmp_path / "a.xlsx", [("440703102203", "良村")], header=["代码", "名称"])
    before = Area.objects.count()
    with pytest.raises(AreasImportError, match="区划代码"):
        areas_import(path=path)
    assert Area.objects.count() == before


def test_an_empty_sheet_is_refused(tmp_path):
    path = tmp_path / "empty.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet()
    book.close()
    with pytest.raises(AreasImportError, match="表头"):
        areas_import(path=path)


def test_command_prints_summary_and_rejected_rows(tmp_path):
    path = workbook(tmp_path / "a.xlsx", [("440703005001", "芝山社区"), ("440703999001", "某村")])
    out = StringIO()
    call_command("import_areas", str(path), stdout=out)
    text = out.getvalue()
    assert "共 2 行：新增 1，更新 0，未变 0，拒绝 1" in text
    assert "第 3 行 440703999001 某村" in text and "不存在" in text
    assert Area.objects.get(code="440703005001").name == "芝山社区"


def test_command_fails_on_a_refused_file(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_text("区划代码,名称\n440703005001,芝山社区\n", encoding="utf-8")
    with pytest.raises(CommandError, match="文件被拒绝"):
        call_command("import_areas", str(path), stdout=StringIO())
    assert not Area.objects.filter(code="440703005001").exists()
