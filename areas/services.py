"""Changes to the area tree: loading communities/villages from a workbook of official codes.

The district and its towns/streets come with the migrations; communities and villages
come from a workbook with the columns 区划代码 and 名称 (`python manage.py import_areas`).
A 12-digit code places itself: its first 9 digits + "000" is its town/street. Every row
ends in exactly one outcome (created, updated, unchanged, rejected with a reason), as in
the person import.
"""

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from python_calamine import CalamineError, CalamineWorkbook

from areas.models import Area, Level
from canlian.audit import audit_write

DISTRICT_CODE = "440703000000"
DISTRICT_PREFIX = DISTRICT_CODE[:6]
CODE_COLUMN = "区划代码"
NAME_COLUMN = "名称"
NAME_MAX_LENGTH = Area._meta.get_field("name").max_length


class AreasImportError(ValueError):
    """A file refused as a whole, before anything is written; the message is in Chinese."""


class Outcome:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"

    LABELS = {CREATED: "新增", UPDATED: "更新", UNCHANGED: "未变", REJECTED: "拒绝"}


@dataclass
class AreaRowResult:
    row: int  # the row number as the spreadsheet shows it (header is row 1)
    code: str
    name: str
    outcome: str = ""
    reason: str = ""  # why a row was rejected
    note: str = ""  # a remark on an accepted row (e.g. placed under a retired street)


@dataclass
class AreasImportResult:
    rows: list[AreaRowResult] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def created(self) -> int:
        return self.count(Outcome.CREATED)

    @property
    def updated(self) -> int:
        return self.count(Outcome.UPDATED)

    @property
    def unchanged(self) -> int:
        return self.count(Outcome.UNCHANGED)

    @property
    def rejected(self) -> int:
        return self.count(Outcome.REJECTED)

    @property
    def rejected_rows(self) -> list[AreaRowResult]:
        return [row for row in self.rows if row.outcome == Outcome.REJECTED]

    def summary(self) -> str:
        return (
            f"共 {len(self.rows)} 行：新增 {self.created}，更新 {self.updated}，"
            f"未变 {self.unchanged}，拒绝 {self.rejected}"
        )


def _cell_text(value: object) -> str:
    """A cell as text. A code typed into Excel as a number comes back as a float; a
    12-digit integer is exact in a float, so it is turned back into its digits."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _normalize_code(value: object) -> str:
    text = unicodedata.normalize("NFKC", _cell_text(value))
    return "".join(text.split())


def _normalize_name(value: object) -> str:
    # Official names keep their own punctuation; only surrounding spaces are dropped.
    return _cell_text(value).strip().replace("\u3000", " ").strip()


def _read_rows(path: str | Path) -> list[AreaRowResult]:
    """Read the first sheet; refuse a file that is not a workbook or lacks the columns."""
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        if not workbook.sheet_names:
            raise AreasImportError("工作簿中没有工作表")
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except AreasImportError:
        raise
    except (CalamineError, OSError, ValueError) as exc:
        raise AreasImportError(f"无法读取文件，请上传 Excel 工作簿（.xlsx）：{exc}") from None
    if not rows:
        raise AreasImportError("工作表是空的，第一行应为表头（区划代码、名称）")
    header = [_normalize_name(cell) for cell in rows[0]]
    missing = [column for column in (CODE_COLUMN, NAME_COLUMN) if column not in header]
    if missing:
        raise AreasImportError(f"表头缺少必需的列：{'、'.join(missing)}（第一行应为表头）")
    code_at, name_at = header.index(CODE_COLUMN), header.index(NAME_COLUMN)
    parsed = []
    for number, cells in enumerate(rows[1:], start=2):
        if all(_cell_text(cell).strip() == "" for cell in cells):
            continue  # a blank line is not a row of data
        code = _normalize_code(cells[code_at] if code_at < len(cells) else None)
        name = _normalize_name(cells[name_at] if name_at < len(cells) else None)
        parsed.append(AreaRowResult(row=number, code=code, name=name))
    return parsed


def _check_row(row: AreaRowResult, areas: dict[str, Area]) -> str:
    """Return the reason a row cannot be imported, or ""."""
    code = row.code
    if not code:
        return "区划代码不能为空"
    if len(code) != 12 or not code.isdigit():
        return f"区划代码应为 12 位数字：{code}"
    if not code.startswith(DISTRICT_PREFIX):
        return f"区划代码 {code} 不属于蓬江区（{DISTRICT_PREFIX}）"
    if code[6:9] == "000":
        return f"区划代码 {code} 不是镇(街)或村(居)的代码"
    if not row.name:
        return "名称不能为空"
    if len(row.name) > NAME_MAX_LENGTH:
        return f"名称过长（最多 {NAME_MAX_LENGTH} 个字）"
    town_code = code[:9] + "000"
    town = areas.get(town_code)
    if town is None or town.level != Level.TOWN:
        return f"所属镇(街) {town_code} 不存在（镇街须先由系统登记）"
    return ""


def areas_import(*, path: str | Path) -> AreasImportResult:
    """Create or rename towns' communities/villages from a workbook; rename towns.

    A code under a retired street (仓后, 堤东, 北街) is kept under that street, inactive,
    so old data that names it still resolves; the street itself maps to its successor.
    """
    rows = _read_rows(path)
    result = AreasImportResult(rows=rows)

    seen: dict[str, AreaRowResult] = {}
    duplicated: set[str] = set()
    for row in rows:
        if row.code and row.code in seen:
            duplicated.add(row.code)
        seen.setdefault(row.code, row)

    with transaction.atomic():
        areas = {area.code: area for area in Area.objects.select_for_update()}
        to_create: list[Area] = []
        to_update: list[Area] = []
        for row in rows:
            if row.code in duplicated:
                others = [str(r.row) for r in rows if r.code == row.code and r is not row]
                row.outcome = Outcome.REJECTED
                row.reason = f"区划代码 {row.code} 在文件中重复（另见第 {'、'.join(others)} 行）"
                continue
            reason = _check_row(row, areas)
            if reason:
                row.outcome, row.reason = Outcome.REJECTED, reason
                continue
            town = areas[row.code[:9] + "000"]
            if row.code.endswith("000"):
                # The row names a town/street itself: only its name may change.
                if town.name == row.name:
                    row.outcome = Outcome.UNCHANGED
                else:
                    town.name = row.name
                    to_update.append(town)
                    row.outcome = Outcome.UPDATED
                continue
            active = town.is_active
            if not active:
                current = town.current()
                row.note = f"所属{town.name}已撤并入{current.name}，按旧区划保留"
            existing = areas.get(row.code)
            if existing is None:
                area = Area(
                    code=row.code,
                    name=row.name,
                    level=Level.COMMUNITY,
                    parent=town,
                    is_active=active,
                )
                to_create.append(area)
                areas[area.code] = area
                row.outcome = Outcome.CREATED
            elif (existing.name, existing.parent_id, existing.level) == (
                row.name,
                town.code,
                Level.COMMUNITY,
            ):
                row.outcome = Outcome.UNCHANGED
            else:
                existing.name, existing.parent, existing.level = row.name, town, Level.COMMUNITY
                to_update.append(existing)
                row.outcome = Outcome.UPDATED
        Area.objects.bulk_create(to_create, batch_size=500)
        Area.objects.bulk_update(to_update, ["name", "parent", "level"], batch_size=500)
        audit_write(action="areas.import", user=None, data={"file": Path(path).name, "summary": result.summary()})
    return result


def areas_import_rows(*, rows: list[tuple[str, str]], path: str | Path) -> AreasImportResult:
    """Write (code, name) rows as a workbook at `path` and import it, so that data shipped
    in code (the demo's) goes through the same path as an official file."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("区划")
    text = workbook.add_format({"num_format": "@"})
    sheet.write_row(0, 0, [CODE_COLUMN, NAME_COLUMN])
    for index, (code, name) in enumerate(rows, start=1):
        sheet.write_string(index, 0, code, text)
        sheet.write_string(index, 1, name)
    workbook.close()
    return areas_import(path=path)
