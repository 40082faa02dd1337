"""The service-record workbook: the filtered list of the records page, one row a record.
Identifiers are shown as the person list shows them (`PersonView`): a masked ID number for
officers, no name (only a masked one) and no identifier for a user without access to
personal data (a leader)."""

from typing import IO

import xlsxwriter

from canlian.workbooks import HEADER_FORMAT, check_row
from registry.presenters import PersonView
from registry.scoping import Privacy

RECORD_SHEET = "康复服务记录"
PERSONAL_HEADERS = [
    "服务日期",
    "镇街",
    "村居",
    "姓名",
    "公民身份号码",
    "残疾类别",
    "康复项目编号",
    "康复项目",
    "康复类别",
]
HEADERS_AFTER = ["服务机构", "服务次数", "备注", "登记人", "登记时间"]


def records_headers(privacy: Privacy) -> list[str]:
    headers = [h for h in PERSONAL_HEADERS if privacy.personal or h != "公民身份号码"]
    return [*headers, *HEADERS_AFTER]


def records_write(records, target: str | IO[bytes], *, privacy: Privacy, names: dict[str, tuple[str, str]]) -> int:
    """Stream `records` (a queryset with person, item, provider and recorded_by selected)
    into an .xlsx; returns the number of rows. Constant memory, like the person export.
    `names`: (town, community) by community code (`selectors.area_names`)."""
    from django.utils import timezone

    book = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_numbers": False})
    header = book.add_format(HEADER_FORMAT)
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet = book.add_worksheet(RECORD_SHEET)
    headers = records_headers(privacy)
    widths = {"服务日期": 12, "公民身份号码": 22, "康复项目": 24, "服务机构": 28, "备注": 30, "登记时间": 17}
    for col, title in enumerate(headers):
        sheet.set_column(col, col, widths.get(title, 10))
        sheet.write_string(0, col, title, header)
    sheet.freeze_panes(1, 0)
    count = 0
    for count, record in enumerate(records.iterator(chunk_size=2000), start=1):
        check_row(count)
        person = PersonView(record.person, privacy)
        town, community = names.get(record.area_code, ("", record.area_code))
        cells = {
            "镇街": town,
            "村居": community,
            "姓名": person.name,
            "公民身份号码": person.id_number,
            "残疾类别": record.person.get_category_display(),
            "康复项目编号": record.item.code,
            "康复项目": record.item.name,
            "康复类别": record.item.get_kind_display(),
            "服务机构": record.provider.name,
            # Free text may name anyone: not for a user without access to personal data.
            "备注": record.note if privacy.personal else "",
            "登记人": record.recorded_by.display_name,
        }
        for col, title in enumerate(headers):
            if title == "服务日期":
                sheet.write_datetime(count, col, record.served_on, date)
            elif title == "服务次数":
                sheet.write_number(count, col, record.sessions)
            elif title == "登记时间":
                sheet.write_datetime(count, col, timezone.localtime(record.created_at).replace(tzinfo=None), stamp)
            elif cells[title]:
                sheet.write_string(count, col, cells[title])
    book.close()
    return count
