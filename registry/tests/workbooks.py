"""Workbooks built in the tests with xlsxwriter, the way an officer's Excel would save them."""

import datetime
from pathlib import Path

import xlsxwriter

from registry.excel import HEADERS
from registry.testing import make_certificate, make_id_number

DATE_FORMAT = "yyyy-mm-dd"


def write_workbook(path: Path, rows: list[dict], headers: list[str] = HEADERS) -> Path:
    """One sheet: `headers` in row 1, then one row per dict (header → cell value). Strings
    are written as text, numbers as numbers, dates as real Excel dates."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("人员名单")
    date_format = book.add_format({"num_format": DATE_FORMAT})
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header)
    for row_index, row in enumerate(rows, start=1):
        for col, header in enumerate(headers):
            value = row.get(header)
            if value is None or value == "":
                continue
            if isinstance(value, (datetime.date, datetime.datetime)):
                sheet.write_datetime(row_index, col, value, date_format)
            elif isinstance(value, bool):
                sheet.write_boolean(row_index, col, value)
            elif isinstance(value, (int, float)):
                sheet.write_number(row_index, col, value)
            else:
                sheet.write_string(row_index, col, value)
    book.close()
    return path


def person_row(*, name="王小明", birth="19700315", sequence=135, category=4, grade=2, **cells) -> dict:
    """A valid row of a new person of 白沙街道 紫沙社区; `cells` override columns by header."""
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
        "镇街": "白沙街道",
        "村居": "紫沙社区",
        "现住址": "白沙大道8号",
        "联系电话": "13900001111",
        "经济状况": "低保",
        "是否独居": "否",
        "人员状态": "正常",
        "开户银行": "江门农商银行",
        "银行账号": "6228480099998888",
    }
    row.update(cells)
    return row


def rejected_reasons(result, row: int = 2) -> dict[str, str]:
    """Column → reason of the rejected row `row` of an import's result (the test fails if
    that row was not rejected)."""
    for rejected in result.rejected:
        if rejected.row == row:
            return {issue.column: issue.message for issue in rejected.reasons}
    raise AssertionError(f"row {row} was not rejected: {result.summary()}")


def import_job(user, content: bytes = b"x", *, name: str = "a.xlsx", kind: str = "registry.persons", **fields):
    """A `canlian.Job` of an import as an upload leaves it (queued, unless `fields` say
    otherwise): `content` kept in the storage as the uploaded file `name`."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from canlian.models import Job

    stored = default_storage.save(f"imports/{name}", ContentFile(content))
    return Job.objects.create(
        kind=kind, title=f"导入：{name}", params={"file": stored, "name": name}, created_by=user, **fields
    )
