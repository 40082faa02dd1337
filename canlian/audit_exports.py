"""The audit log's workbook: the filtered list of its page, one row an entry."""

import json
from typing import IO

import xlsxwriter
from django.utils import timezone

from canlian.workbooks import HEADER_FORMAT, check_row

AUDIT_SHEET = "审计日志"
# (header, key of `entry_cells`); the time and the person's number are written typed.
AUDIT_COLUMNS = [
    ("时间", "time"),
    ("用户", "user"),
    ("账号", "username"),
    ("操作", "label"),
    ("操作代码", "action"),
    ("对象类型", "object_type"),
    ("对象编号", "object_id"),
    ("人员编号", "person_id"),
    ("详情", "data"),
]


def entry_cells(entry) -> dict[str, str]:
    """What the page and the workbook show of an entry, as text."""
    return {
        "user": entry.user.display_name if entry.user else "系统（命令行）",
        "username": entry.user.username if entry.user else "",
        "label": entry.action_label,
        "action": entry.action,
        "object_type": entry.content_type.name if entry.content_type else "",
        "object_id": entry.object_id,
        "data": json.dumps(entry.data, ensure_ascii=False, sort_keys=True) if entry.data else "",
    }


def entries_write(entries, target: str | IO[bytes]) -> int:
    """Stream `entries` (user and content type selected) into an .xlsx in constant memory;
    returns the number of rows."""
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_numbers": False})
    header = book.add_format(HEADER_FORMAT)
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    sheet = book.add_worksheet(AUDIT_SHEET)
    widths = {"time": 20, "user": 12, "label": 22, "action": 28, "object_type": 14, "data": 60}
    for col, (title, key) in enumerate(AUDIT_COLUMNS):
        sheet.set_column(col, col, widths.get(key, 10))
        sheet.write_string(0, col, title, header)
    sheet.freeze_panes(1, 0)
    count = 0
    for count, entry in enumerate(entries.iterator(chunk_size=2000), start=1):
        check_row(count)
        cells = entry_cells(entry)
        for col, (_title, key) in enumerate(AUDIT_COLUMNS):
            if key == "time":
                sheet.write_datetime(count, col, timezone.localtime(entry.created_at).replace(tzinfo=None), stamp)
            elif key == "person_id":
                if entry.person_id is not None:
                    sheet.write_number(count, col, entry.person_id)
            elif cells[key]:
                sheet.write_string(count, col, cells[key])
    book.close()
    return count
