"""Keyset pagination: a page starts after the last row of the one before, by its ordering key.

A cursor is the last row's values of the queryset's `order_by` (which ends with the primary
key, so it is unique), encoded as URL-safe base64 of JSON. The next page is `WHERE (key...)
> (values...)` (`<` for a descending order) — on PostgreSQL one row comparison, which an
index in that order seeks to — then `LIMIT n + 1`: page 20,000 costs what page 1 does,
where OFFSET reads and drops every row before it. The filter is applied on top of the
user's scoped queryset, so a forged cursor can only start a list the user may read."""

import base64
import binascii
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

from api.errors import ApiError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


@dataclass
class KeysetPage:
    rows: list
    next_cursor: str | None


def _order(queryset: QuerySet) -> tuple[list[str], bool]:
    names = list(queryset.query.order_by)
    if not names or names[-1].lstrip("-") not in ("id", "pk"):
        raise ValueError("a keyset-paged queryset is ordered by fields ending with its primary key")
    descending = {name.startswith("-") for name in names}
    if len(descending) != 1:
        raise ValueError("a keyset-paged queryset is ordered in one direction")
    return [name.lstrip("-") for name in names], descending.pop()


def _encode(values: list) -> str:
    text = json.dumps(values, default=str, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _bad_cursor() -> ApiError:
    return ApiError(400, "invalid_cursor", "分页游标无效，请从第一页重新读取")


def _decode(cursor: str, fields: list) -> list:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise _bad_cursor() from None
    if not isinstance(raw, list) or len(raw) != len(fields):
        raise _bad_cursor()
    try:
        return [field.to_python(value) for field, value in zip(fields, raw, strict=True)]
    except (ValidationError, TypeError, ValueError):
        raise _bad_cursor() from None


def keyset_page(queryset: QuerySet, *, cursor: str | None, limit: int | None) -> KeysetPage:
    """One page of `queryset` (ordered, see the module) after `cursor`, `limit` rows."""
    limit = DEFAULT_LIMIT if limit is None else limit
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(400, "invalid", f"每页条数应为 1–{MAX_LIMIT}")
    names, descending = _order(queryset)
    opts = queryset.model._meta
    fields = [opts.pk if name == "pk" else opts.get_field(name) for name in names]
    if cursor:
        after = _decode(cursor, fields)
        compare = TupleLessThan if descending else TupleGreaterThan
        queryset = queryset.filter(compare(Tuple(*[F(name) for name in names]), tuple(after)))
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more:
        last = rows[-1]
        next_cursor = _encode([field.value_to_string(last) for field in fields])
    return KeysetPage(rows, next_cursor)
