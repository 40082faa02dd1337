"""The person workbook: its columns, the parsers of its cells, and its writers.

One column list serves the downloadable template, the import and the export, so an
export imports back unchanged. Cells arrive from python-calamine as `str`, `float`,
`bool`, `datetime.date`/`datetime.datetime` or "" for an empty cell; the parsers here
take such a value and return the model's value or raise `CellError` with a reason in
Chinese that names the value.
"""

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

import xlsxwriter

from canlian.exporting import Column as ExportColumn
from canlian.exporting import ListExporter, rows_of
from canlian.workbooks import HEADER_FORMAT, QUOTED_TEXT_FORMAT, write_text
from registry.identifiers import (
    CATEGORY_NAMES,
    GRADE_NAMES,
)
from registry.models import EconomicStatus, Gender, Person, Relationship, Status
from registry.validators import FieldError, bank_account_clean, name_clean, phone_clean

PERSON_SHEET = "人员名单"
GUIDE_SHEET = "填写说明"
LONG_TERM = "长期"
REASON_HEADER = "拒绝原因"


@dataclass(frozen=True)
class Column:
    header: str
    required: bool
    text: bool  # text-formatted, so Excel keeps leading zeros and all digits
    width: int
    guide: str
    values: str = ""


AREA_HELP = "镇街+村居 与 区划代码 二选一；都填写时以区划代码为准"

COLUMNS: list[Column] = [
    Column("姓名", True, False, 10, "户籍登记的姓名"),
    Column("性别", True, False, 6, "须与身份证号第 17 位（奇数为男，偶数为女）一致", "男、女"),
    Column("公民身份号码", True, True, 22, "18 位居民身份证号；请保持文本格式，末位 x 自动转为 X"),
    Column("残疾人证号", True, True, 24, "第二代残疾人证号：身份证号 + 残疾类别数字 + 残疾等级数字（20 位）"),
    Column(
        "残疾类别",
        True,
        False,
        8,
        "填写名称或数字",
        "、".join(f"{n}（{d}）" for d, n in CATEGORY_NAMES.items()),
    ),
    Column(
        "残疾等级",
        True,
        False,
        8,
        "填写名称或数字；一级最重",
        "、".join(f"{n}（{d}）" for d, n in GRADE_NAMES.items()),
    ),
    Column("发证日期", False, False, 12, "日期", "2020-05-17、2020/5/17、20200517 或 Excel 日期"),
    Column("有效期至", False, False, 12, "日期，或“长期”表示长期有效", "日期或 长期"),
    Column("镇街", False, False, 10, f"户籍所在镇(街)名称。{AREA_HELP}"),
    Column("村居", False, False, 12, f"户籍所在村(居)名称。{AREA_HELP}"),
    Column("区划代码", False, True, 14, f"户籍所在村(居)的 12 位统计用区划代码。{AREA_HELP}"),
    Column("现住址", False, False, 28, "现居住地址"),
    Column("联系电话", False, True, 14, "手机或座机号码；请保持文本格式"),
    Column("监护人姓名", False, False, 10, "无监护人可留空"),
    Column("监护人电话", False, True, 14, "请保持文本格式"),
    Column("经济状况", False, False, 10, "留空视为 无", "、".join(EconomicStatus.labels)),
    Column("是否独居", False, False, 8, "独居或无人照料填 是；留空视为 否", "是、否"),
    Column("人员状态", False, False, 10, "留空视为 正常", "、".join(Status.labels)),
    Column("状态日期", False, False, 12, "人员状态不是“正常”时必填：死亡、迁出或注销的日期", "日期"),
    Column("开户银行", False, False, 16, "发放补贴的开户银行"),
    Column("银行账号", False, True, 24, "请保持文本格式，否则 Excel 会丢失末几位"),
    Column("户号", False, True, 16, "户籍的户号，选填：填写后人员加入该户（新户号在本人户籍村(居)建户）"),
    Column("与户主关系", False, False, 12, "填写户号时选填", "、".join(Relationship.values)),
]
HEADERS = [c.header for c in COLUMNS]
COLUMN_BY_HEADER = {c.header: c for c in COLUMNS}
BASE_REQUIRED = [c.header for c in COLUMNS if c.required]
AREA_NAME_COLUMNS = ["镇街", "村居"]
# The column that carries each state field, for reasons about its event.
COLUMN_FOR_FIELD = {
    "status": "人员状态",
    "grade": "残疾等级",
    "category": "残疾类别",
    "economic_status": "经济状况",
    "certificate_valid_until": "有效期至",
}
AREA_CODE_COLUMN = "区划代码"

# Headers seen in the federation's older sheets, read as the template's.
HEADER_ALIASES = {
    "身份证号": "公民身份号码",
    "身份证号码": "公民身份号码",
    "残疾证号": "残疾人证号",
    "残疾证号码": "残疾人证号",
    "镇(街)": "镇街",
    "村(居)": "村居",
    "电话": "联系电话",
}


def missing_columns(headers: Iterable[str]) -> list[str]:
    """Required columns absent from a header row. The area may come as 镇街+村居 or as
    区划代码, so it is missing only when neither form is complete."""
    present = set(headers)
    missing = [h for h in BASE_REQUIRED if h not in present]
    if AREA_CODE_COLUMN not in present:
        names = [h for h in AREA_NAME_COLUMNS if h not in present]
        if names:
            missing.append(f"{'、'.join(names)}（或{AREA_CODE_COLUMN}）")
    return missing


def canonical_header(value: object) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    text = re.sub(r"\s+", "", text)
    return HEADER_ALIASES.get(text, text)


class CellError(ValueError):
    """A cell value that cannot be accepted; the message names the value, in Chinese."""


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """A cell as the officer typed it, for the report and the rejected-rows workbook."""
    if value.__class__ is str:  # most cells: no other test needed
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _clean(value: object) -> str:
    """Full-width to half-width and no surrounding spaces; inner spaces removed."""
    # str.split() splits on the whitespace `\s` matches, without a regular expression.
    return "".join(unicodedata.normalize("NFKC", cell_text(value)).split())


def _choice(value: object, table: dict[str, object], what: str, allowed: str):
    # A cell typed exactly as a key needs no cleaning (the keys are clean).
    if value.__class__ is str and value in table:
        return table[value]
    key = _clean(value)
    if key in table:
        return table[key]
    raise CellError(f"无法识别的{what}“{cell_text(value)}”，应填写 {allowed}")


_CATEGORIES: dict[str, int] = {}
for _digit, _name in CATEGORY_NAMES.items():
    _CATEGORIES.update({str(_digit): _digit, _name: _digit, f"{_name}残疾": _digit})
_GRADES: dict[str, int] = {}
for _digit, _name in GRADE_NAMES.items():
    _GRADES.update({str(_digit): _digit, _name: _digit, f"{_digit}级": _digit})
_GENDERS = {"男": Gender.MALE.value, "女": Gender.FEMALE.value}
_ECONOMIC = {label: value for value, label in EconomicStatus.choices}
# 已合并 is a merge's (registry.duplicates), never a file's.
_STATUSES = {label: value for value, label in Status.choices if value != Status.MERGED}
_YES_NO = {"是": True, "否": False, "TRUE": True, "FALSE": False, "Y": True, "N": False}


def parse_category(value: object) -> int:
    return _choice(value, _CATEGORIES, "残疾类别", "视力、听力、言语、肢体、智力、精神、多重 或数字 1–7")


def parse_grade(value: object) -> int:
    return _choice(value, _GRADES, "残疾等级", "一级、二级、三级、四级 或数字 1–4")


def parse_gender(value: object) -> str:
    return _choice(value, _GENDERS, "性别", "男 或 女")


def parse_economic_status(value: object) -> str:
    return _choice(value, _ECONOMIC, "经济状况", "无、低保、低保边缘 或 特困")


def parse_status(value: object) -> str:
    return _choice(value, _STATUSES, "人员状态", "正常、死亡、迁出 或 证件注销")


def parse_yes_no(value: object, what: str = "是否独居") -> bool:
    """是/否 (Y/N, TRUE/FALSE, any case); `what` names the column in the error."""
    if isinstance(value, bool):
        return value
    key = _clean(value).upper()
    if key in _YES_NO:
        return _YES_NO[key]
    raise CellError(f"无法识别的{what}“{cell_text(value)}”，应填写 是 或 否")


_DATE_TEXT = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def parse_date(value: object) -> datetime.date:
    """2020-05-17, 2020/5/17, 2020.5.17, 2020年5月17日, 20200517, or an Excel date (a date
    cell, or a serial number when the cell lost its date format)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        if number.is_integer() and 10000101 <= number <= 99991231:
            text = str(int(number))
        elif 1 <= number < 2958466:
            return _EXCEL_EPOCH + datetime.timedelta(days=int(number))
        else:
            raise CellError(f"无法识别的日期“{cell_text(value)}”")
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
    match = _DATE_TEXT.match(text) or _DATE_DIGITS.match(text)
    if not match:
        raise CellError(f"无法识别的日期“{cell_text(value)}”，应写成 2020-05-17、2020/5/17 或 20200517")
    try:
        return datetime.date(*(int(part) for part in match.groups()[:3]))
    except ValueError:
        raise CellError(f"“{cell_text(value)}”不是有效的日期") from None


def parse_valid_until(value: object) -> datetime.date | None:
    """A date, or 长期 (no expiry) → None."""
    if isinstance(value, datetime.date):
        return parse_date(value)
    if _clean(value) == LONG_TERM:
        return None
    return parse_date(value)


def parse_phone(value: object, *, label: str = "联系电话") -> str:
    """A phone cell, by the form's rule (`registry.validators`)."""
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"无法识别的电话号码“{cell_text(value)}”")
        value = str(int(value))
    try:
        return phone_clean(cell_text(value), label=label)
    except FieldError as exc:
        raise CellError(str(exc)) from None


def parse_bank_account(value: object) -> str:
    """A bank account cell, by the form's rule (`registry.validators`)."""
    if isinstance(value, float):
        # Excel keeps 15 significant digits; a longer account stored as a number is lost.
        if not value.is_integer() or value >= 1e15:
            raise CellError("银行账号被 Excel 存成了数字，末几位已丢失；请把该列设为文本格式后重新填写")
        value = str(int(value))
    try:
        return bank_account_clean(cell_text(value))
    except FieldError as exc:
        raise CellError(str(exc)) from None


def parse_area_code(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _clean(value)


def parse_text(value: object, *, max_length: int, what: str) -> str:
    text = " ".join(unicodedata.normalize("NFKC", cell_text(value)).split())
    if len(text) > max_length:
        raise CellError(f"{what}过长（{len(text)} 字），最多 {max_length} 字")
    return text


def parse_name(value: object, *, what: str = "姓名") -> str:
    """A guardian's name: free text (the form has no rule for it), never masked."""
    text = parse_text(value, max_length=40, what=what)
    if "*" in text:
        raise CellError(f"“{text}”是脱敏后的姓名，请填写完整姓名")
    return text


def parse_person_name(value: object) -> str:
    """The person's name, by the form's rule (`registry.validators`)."""
    try:
        return name_clean(cell_text(value))
    except FieldError as exc:
        raise CellError(str(exc)) from None


# Writing -----------------------------------------------------------------------------


def _formats(book: xlsxwriter.Workbook) -> dict:
    return {
        "header": book.add_format(HEADER_FORMAT),
        "text": book.add_format({"num_format": 49}),  # Excel's built-in "@" (text)
        "quoted": book.add_format(QUOTED_TEXT_FORMAT),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
    }


def _set_columns(sheet, formats: dict) -> None:
    for index, column in enumerate(COLUMNS):
        fmt = formats["text"] if column.text else None
        sheet.set_column(index, index, column.width, fmt)


def _write_header(sheet, formats: dict, headers: list[str]) -> None:
    for index, header in enumerate(headers):
        sheet.write_string(0, index, header, formats["header"])
    sheet.freeze_panes(1, 0)


def person_cells(person: Person, *, reveal: bool, personal: bool, household_number: str = "") -> list[object]:
    """One person in the template's columns, shown as `PersonView` shows them: identifiers
    masked unless `reveal`; for a user without access to personal data (`personal=False`)
    no name, address or identifier at all."""
    from registry.presenters import PersonView
    from registry.scoping import Privacy

    view = PersonView(person, Privacy(personal=personal, may_reveal=reveal), revealed=reveal)
    area = person.area
    town = area.parent if area.parent_id else None
    cells: list[object] = [
        view.name,
        person.get_gender_display(),
        view.id_number,
        view.certificate_number,
        CATEGORY_NAMES.get(person.category, str(person.category)),
        GRADE_NAMES.get(person.grade, str(person.grade)),
        person.certificate_issued,
        person.certificate_valid_until or LONG_TERM,
        town.name if town else "",
        area.name,
        area.code,
        person.address if personal else "",
        view.phone,
        view.guardian_name,
        view.guardian_phone,
        person.get_economic_status_display(),
        "是" if person.lives_alone else "否",
        person.get_status_display(),
        person.status_date if person.status != Status.ACTIVE else None,
        person.bank_name,
        view.bank_account,
        household_number if personal else "",
        person.relationship_to_head if household_number and personal else "",
    ]
    return cells


# The person's dates; every other cell of the export is text.
DATE_HEADERS = {"发证日期", "有效期至", "状态日期"}


class PersonExporter(ListExporter):
    """`persons` (a queryset, or any iterable of persons) in the template's columns, so an
    export with full identifiers imports back unchanged."""

    sheet_name = PERSON_SHEET
    filename = "持证残疾人名单"
    job_kind = "registry.persons"

    def __init__(self, persons, *, reveal: bool, personal: bool = True, filters: dict | None = None) -> None:
        self.persons = persons
        self.reveal = reveal
        self.personal = personal
        self.filters = filters or {}
        self.query = ""
        self.counter = None

    @classmethod
    def for_request(cls, request) -> "PersonExporter":
        """The list page's filtered list (its GET parameters). Full identifiers only on
        request (reveal=1) and with the reveal permission."""
        from registry.scoping import Privacy
        from registry.selectors import filtered_persons, filtered_persons_count

        persons, form = filtered_persons(request)
        privacy = Privacy.for_user(request.user)
        reveal = request.GET.get("reveal") == "1" and privacy.may_reveal and privacy.personal
        filters = {k: v for k, v in request.GET.items() if k != "reveal"}
        exporter = cls(persons, reveal=reveal, personal=privacy.personal, filters=filters)
        exporter.query = request.GET.urlencode()
        exporter.counter = lambda: filtered_persons_count(request.user, form, persons)
        return exporter

    def count(self) -> int:
        return self.counter() if self.counter else 0

    def columns(self) -> list[ExportColumn]:
        return [ExportColumn(c.header, c.width, "date" if c.header in DATE_HEADERS else "text") for c in COLUMNS]

    def log_detail(self) -> dict:
        return {"filters": self.filters, "revealed": self.reveal}

    def iterate_list(self):
        # The household numbers a thousand persons at a time: the list's query stays the
        # list page's, without a join.
        from registry.models import Household

        batch: list[Person] = []

        def flush():
            ids = {p.household_id for p in batch if p.household_id}
            numbers = dict(Household.objects.filter(pk__in=ids).values_list("pk", "number")) if ids else {}
            for p in batch:
                yield person_cells(
                    p, reveal=self.reveal, personal=self.personal, household_number=numbers.get(p.household_id, "")
                )
            batch.clear()

        for person in rows_of(self.persons):
            batch.append(person)
            if len(batch) >= 1000:
                yield from flush()
        yield from flush()


def template_write(target: str | IO[bytes]) -> None:
    """The downloadable import template: one header row, text-formatted identifier
    columns, drop-down lists for the enumerations, and a sheet 填写说明."""
    book = xlsxwriter.Workbook(target, {"in_memory": True})
    formats = _formats(book)
    sheet = book.add_worksheet(PERSON_SHEET)
    _set_columns(sheet, formats)
    _write_header(sheet, formats, HEADERS)
    lists = {
        "性别": list(_GENDERS),
        "残疾类别": list(CATEGORY_NAMES.values()),
        "残疾等级": list(GRADE_NAMES.values()),
        "经济状况": list(EconomicStatus.labels),
        "是否独居": ["是", "否"],
        "人员状态": list(Status.labels),
    }
    for header, values in lists.items():
        col = HEADERS.index(header)
        sheet.data_validation(
            1,
            col,
            100000,
            col,
            {
                "validate": "list",
                "source": values,
                "error_type": "warning",
                "error_message": f"应填写：{'、'.join(values)}",
            },
        )
    for header in ("发证日期", "状态日期"):
        col = HEADERS.index(header)
        sheet.set_column(col, col, COLUMN_BY_HEADER[header].width, formats["date"])

    guide = book.add_worksheet(GUIDE_SHEET)
    guide.set_column(0, 0, 14)
    guide.set_column(1, 1, 8)
    guide.set_column(2, 2, 60, formats["wrap"])
    guide.set_column(3, 3, 50, formats["wrap"])
    _write_header(guide, formats, ["列名", "是否必填", "说明", "可填写的值"])
    for row, column in enumerate(COLUMNS, start=1):
        required = "必填" if column.required else "选填"
        if column.header in (*AREA_NAME_COLUMNS, AREA_CODE_COLUMN):
            required = "二选一"
        guide.write_row(row, 0, [column.header, required, column.guide, column.values])
    notes = [
        "每行一人，以公民身份号码为准：系统中没有的新增，已有的更新，内容相同的不变。",
        "同一文件中同一身份证号出现两次的，两行都不导入。",
        "选填列留空时，已登记人员保留系统中的原值。",
        "人员状态、残疾类别、等级、经济状况、有效期的变化按状态事件登记：人员状态以状态日期为生效日期，其余以导入当天为生效日期。",
        "不能导入的行会列出行号、列和原因，可下载“拒绝行”工作簿，改正后再次导入。",
        "导出的名单列与本模板相同；脱敏导出的号码含 *，不能用于导入。",
    ]
    start = len(COLUMNS) + 2
    guide.write_string(start, 0, "注意事项", formats["header"])
    for offset, note in enumerate(notes, start=1):
        guide.write_string(start + offset, 0, f"{offset}. {note}")
    book.close()


def rejected_write(
    target: str | IO[bytes],
    columns: list[str],
    rows: Iterable[tuple[list[str], str]],
    *,
    sheet_name: str = PERSON_SHEET,
) -> None:
    """The rejected rows as they were read, every cell as text, plus a last column with
    the reasons, so the officer can fix them and import the workbook again."""
    book = xlsxwriter.Workbook(target, {"constant_memory": True})
    formats = _formats(book)
    sheet = book.add_worksheet(sheet_name)
    for index, header in enumerate(columns):
        column = COLUMN_BY_HEADER.get(header)
        sheet.set_column(index, index, column.width if column else 14, formats["text"])
    sheet.set_column(len(columns), len(columns), 60)
    _write_header(sheet, formats, [*columns, REASON_HEADER])
    for row, (values, reason) in enumerate(rows, start=1):
        for col, value in enumerate(values):
            if value:
                # As read from the upload: a cell "=..." goes back as text, not a formula.
                write_text(sheet, row, col, value, formats["quoted"])
        sheet.write_string(row, len(columns), reason)
    book.close()
