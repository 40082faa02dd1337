"""The workbook an officer uploads in the browser tests: two good rows, two bad ones."""

from pathlib import Path

import xlsxwriter

from registry.testing import make_certificate, make_id_number


def person_row(name, birth, sequence, town, community, category=4, grade=2, **cells) -> dict:
    """A valid row (header → text); `cells` override columns by header."""
    id_number = make_id_number(birth=birth, sequence=sequence)
    row = {
        "姓名": name,
        "性别": "男" if sequence % 2 else "女",
        "公民身份号码": id_number,
        "残疾人证号": make_certificate(id_number, category, grade),
        "残疾类别": str(category),
        "残疾等级": str(grade),
        "发证日期": "2019-06-01",
        "有效期至": "长期",
        "镇街": town,
        "村居": community,
        "联系电话": "13900001111",
        "经济状况": "低保",
        "是否独居": "否",
        "人员状态": "正常",
    }
    row.update(cells)
    return row


def _wrong_check_digit(id_number: str) -> str:
    return id_number[:-1] + ("1" if id_number[-1] == "0" else "0")


# Both in the officer's town (白沙街道), one with Chinese names for category and grade.
GOOD_ROWS = [
    person_row("王小明", "19700315", 135, "白沙街道", "紫沙社区", **{"残疾类别": "肢体", "残疾等级": "二级"}),
    person_row("刘桂芳", "19821102", 246, "白沙街道", "丰乐社区", category=1, grade=3),
]
BAD_ROWS = [
    # The last digit of the ID does not match its checksum.
    person_row(
        "赵大勇",
        "19660708",
        357,
        "白沙街道",
        "紫沙社区",
        **{"公民身份号码": _wrong_check_digit(make_id_number(birth="19660708", sequence=357))},
    ),
    # A village of the other town (荷塘镇): not the officer's to import.
    person_row("钟玉兰", "19750421", 468, "荷塘镇", "塔岗村"),
]
MIXED_ROWS = [GOOD_ROWS[0], BAD_ROWS[0], GOOD_ROWS[1], BAD_ROWS[1]]


def write_workbook(path: Path, rows: list[dict], headers: list[str]) -> Path:
    """One sheet, `headers` in row 1, every cell written as text (as a careful officer's
    template keeps identifiers)."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("人员名单")
    sheet.write_row(0, 0, headers)
    for index, row in enumerate(rows, start=1):
        for col, header in enumerate(headers):
            if row.get(header):
                sheet.write_string(index, col, row[header])
    book.close()
    return path
