"""A reading of a second-generation ID card, mapped onto our fields and checked.

A reading comes from the reader's local service (fetched by the browser, `js/idcard.js`)
or is pasted by the officer: JSON (an object, or one wrapped in {"data": {...}}) or the
vendor software's `key=value` lines (also `key：value`). Its keys are mapped to ours by the
configured field map (`settings.IDCARD_READER["fields"]`, ours → theirs), by our own names
and by the labels printed on the card (姓名, 性别, 公民身份号码, 住址, 出生); unknown keys are
ignored. The ID number is checked with the registry's validator, the gender and birth date
against it; a bad reading raises `ReadingError` (Chinese) and changes nothing.

`reading_merge` decides what a reading does to a form: an empty field, or one already equal,
is filled; a field with another non-empty value is a `Conflict`, changed only when the
officer ticks it. Pure functions: the views pass the form's values in and get them out.
"""

import base64
import binascii
import datetime
import json
import re
from dataclasses import dataclass, field

from canlian.idcard import FIELDS
from registry.identifiers import IdentifierError, normalize, parse_id_number
from registry.validators import FieldError, name_clean

# The labels the card and most vendor programs print, besides our own field names.
CARD_LABELS = {
    "姓名": "name",
    "性别": "gender",
    "公民身份号码": "id_number",
    "身份证号": "id_number",
    "身份证号码": "id_number",
    "住址": "address",
    "地址": "address",
    "出生": "birth_date",
    "出生日期": "birth_date",
    "照片": "photo",
}
GENDERS = {"男": "M", "女": "F", "1": "M", "2": "F", "M": "M", "F": "F"}
LINE = re.compile(r"^\s*([^=:：]+?)\s*[=:：]\s*(.*?)\s*$")
PHOTO_MAX_CHARS = 200_000  # a card photo is ~1 KB (WLT) to ~40 KB (BMP) encoded
PHOTO_TYPES = ((b"\xff\xd8", "image/jpeg"), (b"\x89PNG", "image/png"), (b"BM", "image/bmp"))
MAX_READING_CHARS = 300_000


class ReadingError(ValueError):
    """A reading that cannot be used; the message is in Chinese."""


@dataclass(frozen=True)
class Reading:
    """A checked reading: our field -> value (name, gender M/F, id_number, address),
    the birth date, and the photo as a data: URI ("" without one; shown, never stored)."""

    values: dict[str, str]
    birth_date: datetime.date
    photo: str = ""


@dataclass(frozen=True)
class Conflict:
    field: str
    label: str
    old: str
    new: str


@dataclass
class Merge:
    values: dict[str, str] = field(default_factory=dict)  # the form's values after the reading
    filled: list[str] = field(default_factory=list)  # fields filled (they were empty)
    conflicts: list[Conflict] = field(default_factory=list)  # to confirm one by one


def key_map(fields: dict[str, str] | None) -> dict[str, str]:
    """Their key -> our field: the configured map first, then the card's labels and our names."""
    keys = {name: name for name in FIELDS}
    keys.update(CARD_LABELS)
    for ours, theirs in (fields or {}).items():
        keys[theirs] = ours
    return keys


def _pairs(text: str) -> dict[str, object]:
    text = text.strip().lstrip("\ufeff")
    if not text:
        raise ReadingError("读卡结果为空")
    if len(text) > MAX_READING_CHARS:
        raise ReadingError("读卡结果过长，请确认粘贴的是一张身份证的读卡结果")
    if text[0] in "{[":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ReadingError(f"读卡结果以“{text[0]}”开头，但数据不完整或格式有误（第 {exc.lineno} 行）") from None
        if not isinstance(data, dict):
            raise ReadingError("读卡结果应为一组“字段: 值”的数据，而不是列表")
        return data
    pairs: dict[str, object] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = LINE.match(line)
        if not match:
            raise ReadingError(f"读卡结果第 {number} 行不是“字段=值”的格式：{line.strip()[:30]}")
        pairs[match.group(1)] = match.group(2)
    return pairs


def _mapped(pairs: dict[str, object], keys: dict[str, str]) -> dict[str, str]:
    found = {keys[k]: v for k, v in pairs.items() if k in keys and isinstance(v, (str, int))}
    if not found:
        # A service that wraps the card in an envelope: {"code": 0, "data": {...}}.
        nested = [v for v in pairs.values() if isinstance(v, dict)]
        if len(nested) == 1:
            found = {keys[k]: v for k, v in nested[0].items() if k in keys and isinstance(v, (str, int))}
    return {k: str(v).strip() for k, v in found.items()}


def _birth_date(text: str) -> datetime.date:
    digits = re.sub(r"\D", "", text)
    try:
        return datetime.datetime.strptime(digits, "%Y%m%d").date()
    except ValueError:
        raise ReadingError(f"读卡结果中的出生日期“{text}”不是有效日期") from None


def _photo(text: str) -> str:
    """A data: URI of the photo if it is a JPEG, PNG or BMP in base64; "" otherwise (the
    raw WLT format of some readers cannot be shown in a browser)."""
    text = re.sub(r"^data:image/[a-z]+;base64,", "", text.strip())
    if not text or len(text) > PHOTO_MAX_CHARS:
        return ""
    try:
        head = base64.b64decode(text[:16] + "=" * (-len(text[:16]) % 4), validate=False)
        base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return ""
    for magic, kind in PHOTO_TYPES:
        if head.startswith(magic):
            return f"data:{kind};base64,{text}"
    return ""


def reading_parse(text: str, fields: dict[str, str] | None = None) -> Reading:
    """Parse and check a reading (JSON or key=value lines) with the field map `fields`."""
    found = _mapped(_pairs(text), key_map(fields))
    if not found.get("id_number"):
        raise ReadingError("读卡结果中没有公民身份号码，请确认读卡软件的字段对应设置")
    try:
        parsed = parse_id_number(found["id_number"])
    except IdentifierError as exc:
        raise ReadingError(f"读卡结果中的身份证号有误：{exc}") from None
    values = {"id_number": parsed.number}
    if found.get("name"):
        try:
            values["name"] = name_clean(found["name"])
        except FieldError as exc:
            raise ReadingError(f"读卡结果中的{exc}") from None
    if found.get("gender"):
        gender = GENDERS.get(found["gender"].upper())
        if gender is None:
            raise ReadingError(f"读卡结果中的性别“{found['gender']}”无法识别（应为男或女）")
        if gender != parsed.gender:
            raise ReadingError("读卡结果中的性别与身份证号第 17 位不符")
        values["gender"] = gender
    else:
        values["gender"] = parsed.gender
    if found.get("address"):
        values["address"] = " ".join(found["address"].split())[:200]
    if found.get("birth_date") and _birth_date(found["birth_date"]) != parsed.birth_date:
        raise ReadingError("读卡结果中的出生日期与身份证号不符")
    return Reading(values=values, birth_date=parsed.birth_date, photo=_photo(found.get("photo", "")))


def _same(field_name: str, old: str, new: str) -> bool:
    if field_name == "id_number":
        return normalize(old) == normalize(new)
    return " ".join(str(old).split()) == " ".join(str(new).split())


def reading_merge(current: dict[str, str], reading: Reading, *, fields: list[str]) -> Merge:
    """What `reading` does to a form's `current` values, for its `fields`: empty or equal
    fields take the reading's value; differing non-empty ones become conflicts, unchanged."""
    merge = Merge(values=dict(current))
    for name in fields:
        new = reading.values.get(name, "")
        if not new:
            continue
        old = str(current.get(name) or "").strip()
        if not old:
            merge.values[name] = new
            merge.filled.append(name)
        elif not _same(name, old, new):
            merge.conflicts.append(Conflict(name, FIELDS[name], old, new))
    return merge


def reading_apply(current: dict[str, str], reading: Reading, *, fields: list[str], accepted: list[str]) -> Merge:
    """`reading_merge`, then the conflicts the officer ticked (`accepted`) take the reading's value."""
    merge = reading_merge(current, reading, fields=fields)
    for conflict in merge.conflicts:
        if conflict.field in accepted:
            merge.values[conflict.field] = conflict.new
    merge.conflicts = [c for c in merge.conflicts if c.field not in accepted]
    return merge
