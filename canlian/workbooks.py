"""What every workbook Canlian writes shares: its content type, and its header row's look."""

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The header row of every sheet: bold on light blue, boxed.
HEADER_FORMAT = {"bold": True, "bg_color": "#DDEBF7", "border": 1}

# Rows of one worksheet, the header row included (Excel 2007 and later). xlsxwriter ignores
# a write below it (it returns -1), so a longer list would be cut off without a word.
MAX_ROWS = 1_048_576


class TooManyRows(Exception):
    """A list longer than one worksheet holds: refused, not cut off. Raised by the writers
    (`check_row`); `canlian.middleware.ExportRefusedMiddleware` tells the user."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"名单超过 Excel 一个工作表的行数上限（{limit - 1:,} 行），未导出；请按镇(街)等条件筛选后分批导出"
        )


def check_row(row: int) -> None:
    """Before writing the data row `row` (1: the first under the header)."""
    if row >= MAX_ROWS:
        raise TooManyRows(MAX_ROWS)


# A cell that begins with one of these is taken for a formula (or, from `@`, a function
# call) when Excel, WPS or LibreOffice reads it as typed: a name or note "=HYPERLINK(...)"
# in the registry would run in the officer's spreadsheet (CSV/formula injection). The tab
# and carriage return are OWASP's too: a spreadsheet may drop them and read what follows.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A text cell with Excel's quote prefix: shown as it is, kept as text when edited (the
# leading ' a user would type), and never evaluated.
QUOTED_TEXT_FORMAT = {"num_format": 49, "quote_prefix": True}


def formula_like(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def write_text(sheet, row: int, col: int, value: str, quoted, plain=None) -> None:
    """Write `value` as a string cell; one that a spreadsheet would read as a formula gets
    the `quoted` format (`QUOTED_TEXT_FORMAT`, added once per workbook), so it stays text
    even when its cell is edited. `plain` is the format of any other value."""
    sheet.write_string(row, col, value, quoted if formula_like(value) else plain)
