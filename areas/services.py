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

from areas.models import Area, Level
from canlian.importing import Column, Importer, ImportRefused, ImportResult, Row
from canlian.params import ascii_digits
from canlian.sheets import SheetError

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


def _check_row(code: str, name: str, areas: dict[str, Area]) -> str:
    """Return the reason a row cannot be imported, or ""."""
    if len(code) != 12 or not ascii_digits(code):
        return f"区划代码应为 12 位数字：{code}"
    if not code.startswith(DISTRICT_PREFIX):
        return f"区划代码 {code} 不属于蓬江区（{DISTRICT_PREFIX}）"
    if code[6:9] == "000":
        return f"区划代码 {code} 不是镇(街)或村(居)的代码"
    if len(name) > NAME_MAX_LENGTH:
        return f"名称过长（最多 {NAME_MAX_LENGTH} 个字）"
    town_code = code[:9] + "000"
    town = areas.get(town_code)
    if town is None or town.level != Level.TOWN:
        return f"所属镇(街) {town_code} 不存在（镇街须先由系统登记）"
    return ""


def _summary(total: int, counts: dict[str, int]) -> str:
    return (
        f"共 {total} 行：新增 {counts['created']}，更新 {counts['updated']}，"
        f"未变 {counts['unchanged']}，拒绝 {counts['rejected']}"
    )


class AreaImporter(Importer):
    """Communities and villages by their official codes (a command's, run without a user).
    A row's outcome and remark are kept on `row.value` for the command's report."""

    kind = "areas.areas"
    title = "区划"
    columns = (
        Column(CODE_COLUMN, required=True, parse=_normalize_code),
        Column(NAME_COLUMN, required=True, parse=_normalize_name),
    )

    def parse_row(self, row: Row) -> None:
        if not row.ok:
            return
        row.value = {"code": row.values[CODE_COLUMN], "name": row.values[NAME_COLUMN], "note": ""}

    def key(self, row: Row) -> str:
        return row.value["code"]

    def duplicate_message(self, row: Row, same: list[Row]) -> tuple[str, str]:
        others = "、".join(str(r.row) for r in same if r is not row)
        return CODE_COLUMN, f"区划代码 {row.value['code']} 在文件中重复（另见第 {others} 行）"

    def audit_data(self, result: ImportResult) -> dict:
        return {"file": self.source_name, "summary": _summary(result.total, result.counts())}

    def apply(self, rows: list[Row], result: ImportResult) -> None:
        """Create or rename towns' communities/villages; rename towns. A code under a
        retired street (仓后, 堤东, 北街) is kept under that street, inactive, so old data
        that names it still resolves; the street itself maps to its successor."""
        areas = {area.code: area for area in Area.objects.defer("boundary").select_for_update()}
        to_create: list[Area] = []
        to_update: list[Area] = []
        for row in rows:
            code, name = row.value["code"], row.value["name"]
            reason = _check_row(code, name, areas)
            if reason:
                row.reject(CODE_COLUMN, reason)
                continue
            town = areas[code[:9] + "000"]
            if code.endswith("000"):
                # The row names a town/street itself: only its name may change.
                if town.name == name:
                    row.value["outcome"] = Outcome.UNCHANGED
                else:
                    town.name = name
                    to_update.append(town)
                    row.value["outcome"] = Outcome.UPDATED
                continue
            active = town.is_active
            if not active:
                row.value["note"] = f"所属{town.name}已撤并入{town.current().name}，按旧区划保留"
            existing = areas.get(code)
            if existing is None:
                area = Area(code=code, name=name, level=Level.COMMUNITY, parent=town, is_active=active)
                to_create.append(area)
                areas[area.code] = area
                row.value["outcome"] = Outcome.CREATED
            elif (existing.name, existing.parent_id, existing.level) == (name, town.code, Level.COMMUNITY):
                row.value["outcome"] = Outcome.UNCHANGED
            else:
                existing.name, existing.parent, existing.level = name, town, Level.COMMUNITY
                to_update.append(existing)
                row.value["outcome"] = Outcome.UPDATED
        Area.objects.bulk_create(to_create, batch_size=500)
        Area.objects.bulk_update(to_update, ["name", "parent", "level"], batch_size=500)
        for row in rows:
            outcome = row.value.get("outcome")
            if outcome:
                setattr(result, outcome, getattr(result, outcome) + 1)


def areas_import(*, path: str | Path) -> AreasImportResult:
    """Import a workbook of area codes (`AreaImporter`); refused as a whole with
    `AreasImportError`, before anything is written."""
    importer = AreaImporter(user=None, source_name=Path(path).name)
    try:
        importer.run(path)
    except ImportRefused as exc:
        unreadable = isinstance(exc.__cause__, SheetError)
        raise AreasImportError(f"无法读取文件：{exc}" if unreadable else str(exc)) from None
    result = AreasImportResult()
    for row in importer.rows:
        code = row.value["code"] if row.value else str(row.values.get(CODE_COLUMN) or "")
        name = row.value["name"] if row.value else str(row.values.get(NAME_COLUMN) or "")
        if row.ok:
            result.rows.append(AreaRowResult(row.row, code, name, row.value["outcome"], note=row.value["note"]))
        else:
            reason = "；".join(issue.message for issue in row.issues)
            result.rows.append(AreaRowResult(row.row, code, name, Outcome.REJECTED, reason))
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
