"""Months as the first day of the month (a `date`), the unit of monthly benefits."""

import datetime
import re

from canlian.params import ascii_digits

_MONTH = re.compile(r"^\s*([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*月?\s*$")


class MonthError(ValueError):
    pass


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def parse_month(raw) -> datetime.date:
    """'2021-01', '2021/1', '2021年1月', or a date/datetime → the first day of that month."""
    if isinstance(raw, datetime.datetime):
        return raw.date().replace(day=1)
    if isinstance(raw, datetime.date):
        return raw.replace(day=1)
    text = str(raw or "").strip()
    if ascii_digits(text) and len(text) == 6:
        text = f"{text[:4]}-{text[4:]}"
    match = _MONTH.match(text)
    if not match:
        raise MonthError(f"月份格式不正确：{text}（应为 2021-01 或 2021/1）")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or not 1990 <= year <= 2100:
        raise MonthError(f"月份不存在：{text}")
    return datetime.date(year, month, 1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_range(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, current = [], first
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def month_label(month: datetime.date) -> str:
    return f"{month:%Y-%m}"
