"""Import of existing recipients (awards) from the old system's workbook.

Columns: 公民身份号码, 补贴项目 (生活补贴 / 护理补贴, or the scheme's full name or code),
起始月份 (2020-03, 2020/3 or an Excel date), 终止月份 (optional). Like the person import
(`registry.imports`), every row is read and checked before anything is written, a file
that cannot be read is refused as a whole, and every non-blank row ends created, updated,
unchanged or rejected with its column and reason.

Money history is never changed silently: an open award is only matched by its start
month; a different start, or a period overlapping another award of the same scheme, is
rejected for an officer to look at. The one update is ending an open award with the same
start, and only after its last paid month.
"""

import datetime
import os
import unicodedata
from collections import defaultdict
from typing import IO

from django.db.models import Max

from accounts.models import User
from benefits.models import Award, PaymentMonth, Scheme, SchemeKind
from benefits.months import MonthError, add_months, month_label, parse_month
from canlian.importing import Column, Importer, ImportRefused, ImportResult, Row, id_column, row_numbers
from canlian.scoping import in_scope
from registry import excel
from registry.excel import CellError
from registry.models import Person
from registry.scoping import user_area_prefix

ID_COLUMN = "公民身份号码"
SCHEME_COLUMN = "补贴项目"
START_COLUMN = "起始月份"
END_COLUMN = "终止月份"
COLUMNS = [ID_COLUMN, SCHEME_COLUMN, START_COLUMN, END_COLUMN]
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def parse_month_cell(value: object) -> datetime.date:
    """A month cell: 2020-03, 2020/3, 2020年3月, 202003, a date, or an Excel date serial."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return parse_month(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        if not number.is_integer():
            # 2020.1 and 2020.10 are the same number: the month is lost.
            raise CellError(f"“{excel.cell_text(value)}”被 Excel 存成了小数，无法区分月份；请写成 2020-03 的文本")
        whole = int(number)
        if 199001 <= whole <= 210012:
            return _month(str(whole), value)
        if 1 <= whole < 2958466:
            return (_EXCEL_EPOCH + datetime.timedelta(days=whole)).replace(day=1)
        raise CellError(f"无法识别的月份“{excel.cell_text(value)}”")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    try:
        return parse_month(text)
    except MonthError:
        pass
    try:
        return excel.parse_date(text).replace(day=1)
    except CellError:
        return _month(text, value)


def _month(text: str, value: object) -> datetime.date:
    try:
        return parse_month(text)
    except MonthError:
        raise CellError(f"无法识别的月份“{excel.cell_text(value)}”，应写成 2020-03 或 2020/3") from None


class SchemeLookup:
    """A scheme by its short name, full name or code; only monthly schemes have awards
    paid by the payroll."""

    def __init__(self) -> None:
        self.by_key: dict[str, Scheme] = {}
        self.monthly: list[Scheme] = []
        for scheme in Scheme.objects.order_by("id"):
            for key in (scheme.short_name, scheme.name, scheme.code):
                if key:
                    self.by_key.setdefault(self._key(key), scheme)
            if scheme.kind == SchemeKind.MONTHLY:
                self.monthly.append(scheme)

    @staticmethod
    def _key(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", text).split()).lower()

    def get(self, value: object) -> Scheme:
        text = excel.cell_text(value)
        scheme = self.by_key.get(self._key(text))
        names = "、".join(s.short_name or s.name for s in self.monthly)
        if scheme is None:
            raise CellError(f"未知的补贴项目“{text}”，应为 {names}（或项目全称、代码）")
        if scheme.kind != SchemeKind.MONTHLY:
            raise CellError(f"{scheme.name}不是按月发放的补贴，不能导入；可导入：{names}")
        return scheme


class AwardImporter(Importer):
    """The old system's awards: one row per person, scheme and period."""

    kind = "benefits.awards"
    title = "享受资格"
    permission = "benefits.change_award"
    columns = (
        id_column(),
        Column(SCHEME_COLUMN, required=True, parse="parse_scheme", aliases=("补贴类别", "补贴类型", "项目")),
        Column(START_COLUMN, required=True, parse="parse_start", aliases=("开始月份", "起始年月")),
        Column(END_COLUMN, parse=parse_month_cell, aliases=("结束月份", "终止年月")),
    )
    columns_hint = f"需要 {'、'.join(COLUMNS)}，终止月份可不填"

    def prepare(self) -> None:
        if user_area_prefix(self.user) is None:
            raise ImportRefused("您的账号没有管辖区域，不能导入享受资格")
        self.schemes = SchemeLookup()
        self.this_month = datetime.date.today().replace(day=1)

    def parse_scheme(self, value: object) -> Scheme:
        return self.schemes.get(value)

    def parse_start(self, value: object) -> datetime.date:
        start = parse_month_cell(value)
        if start > self.this_month:
            raise CellError(f"起始月份 {month_label(start)} 晚于本月")
        return start

    def parse_row(self, row: Row) -> None:
        start, end = row.values.get(START_COLUMN), row.values.get(END_COLUMN)
        if start is not None and end is not None and end < start:
            row.reject(END_COLUMN, f"终止月份 {month_label(end)} 早于起始月份 {month_label(start)}")
        row.value = (row.values.get(SCHEME_COLUMN), start, end)

    def key(self, row: Row):
        return (row.id_number, row.value[0].pk)

    def duplicate_message(self, row: Row, same: list[Row]) -> tuple[str, str]:
        """The same person and scheme twice in a file: which row is right is for the
        officer to say, so none of them is imported."""
        return (
            ID_COLUMN,
            f"同一人员的{row.value[0].name}在本文件中重复出现（第 {row_numbers(same)} 行），这些行都未导入",
        )

    def apply(self, rows: list[Row], result: ImportResult) -> None:
        _apply(rows, user=self.user, source_name=self.source_name, result=result)

    def audit_data(self, result: ImportResult) -> dict:
        return {**super().audit_data(result), "kind": "awards"}


def awards_import(*, user: User, path_or_file: str | os.PathLike | IO[bytes], source_name: str) -> ImportResult:
    """Import an award workbook on behalf of `user`; see the module docstring."""
    return AwardImporter(user=user, source_name=source_name).run(path_or_file)


def _period(start: datetime.date, end: datetime.date | None) -> str:
    return f"{month_label(start)} 至 {month_label(end) if end else '今'}"


def _apply(good: list[Row], *, user: User, source_name: str, result: ImportResult) -> None:
    ids = {row.id_number for row in good}
    persons = {p.id_number: p for p in Person.objects.select_for_update().filter(id_number__in=ids)}
    existing: dict[tuple[int, int], list[Award]] = defaultdict(list)
    for award in Award.objects.select_for_update().filter(person__in=persons.values()).order_by("start_month"):
        existing[(award.person_id, award.scheme_id)].append(award)
    last_paid = {
        (row["person_id"], row["scheme_id"]): row["last"]
        for row in PaymentMonth.objects.paid()
        .filter(person__in=persons.values())
        .values("person_id", "scheme_id")
        .annotate(last=Max("month"))
    }
    end_reason = f"旧系统导入：{source_name}"[:200]
    new: list[Award] = []
    ended: list[Award] = []
    for row in good:
        person = persons.get(row.id_number)
        if person is None:
            row.reject(ID_COLUMN, "系统中没有该身份证号的持证人员，请先导入人员名单")
            continue
        if not in_scope(user, person):
            row.reject(ID_COLUMN, "该人员不在您的管辖范围内")
            continue
        scheme, start, end = row.value
        awards = existing[(person.pk, scheme.pk)]
        same_start = next((a for a in awards if a.start_month == start), None)
        if same_start is not None:
            if same_start.end_month == end:
                result.unchanged += 1
            elif same_start.end_month is not None:
                row.reject(
                    END_COLUMN,
                    f"系统中该{scheme.name}已于 {month_label(same_start.end_month)} 终止，与文件不同，未修改；"
                    "如需更正请联系区残联",
                )
            elif (paid := last_paid.get((person.pk, scheme.pk))) and paid > end:
                row.reject(
                    END_COLUMN,
                    f"该人员的{scheme.name}已发放至 {month_label(paid)}，终止月份不能早于已发放的月份；"
                    "请核实后在人员页面处理",
                )
            else:
                same_start.end_month, same_start.end_reason = end, end_reason
                ended.append(same_start)
                result.updated += 1
            continue
        overlapping = [a for a in awards if _overlaps(a, start, end)]
        if overlapping:
            award = overlapping[0]
            if award.end_month is None:
                message = (
                    f"系统中该人员已在享受{scheme.name}（自 {month_label(award.start_month)} 起），"
                    f"与文件的起始月份 {month_label(start)} 不同；为免改变已发放的记录，未修改，请核实"
                )
                row.reject(START_COLUMN, message)
            else:
                row.reject(
                    START_COLUMN,
                    f"与系统中已有的{scheme.name}享受期（{_period(award.start_month, award.end_month)}）重叠，未导入",
                )
            continue
        new.append(
            Award(
                person=person,
                scheme=scheme,
                area_code=person.area_id,
                start_month=start,
                end_month=end,
                end_reason=end_reason if end else "",
                source=Award.Source.IMPORT,
                created_by=user,
            )
        )
        result.created += 1
    Award.objects.bulk_create(new, batch_size=500)
    if ended:
        Award.objects.bulk_update(ended, ["end_month", "end_reason"], batch_size=500)


def _overlaps(award: Award, start: datetime.date, end: datetime.date | None) -> bool:
    far = add_months(datetime.date.today().replace(day=1), 1200)
    return award.start_month <= (end or far) and start <= (award.end_month or far)
