"""Resident ID numbers (居民身份证号, GB 11643-1999) and disability certificate numbers
(残疾人证号, second generation): normalisation and validation.

The checksum and birth date come from python-stdnum. Its `validate` also rejects a number
whose address code did not exist in the birth year, but the address code is where the
number was first issued, not a fact about the person (DOMAIN.md), so an unknown code is
only a warning here.
"""

import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass, field

from stdnum.cn import ric

from canlian.params import ascii_digits

CATEGORY_NAMES = {1: "视力", 2: "听力", 3: "言语", 4: "肢体", 5: "智力", 6: "精神", 7: "多重"}
GRADE_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}

_EXCEL_NUMBER = re.compile(r"^\d+(\.\d+)?([eE][+-]?\d+)?$")
_CERT_SUFFIX = re.compile(r"^[A-Z]\d$")
EARLIEST_BIRTH = datetime.date(1880, 1, 1)


class IdentifierError(ValueError):
    """An identifier that cannot be accepted; the message is for the officer, in Chinese."""


def normalize(raw: object) -> str:
    """Full-width to half-width, no spaces anywhere, upper case (a trailing x becomes X)."""
    if raw is None:
        return ""
    return "".join(unicodedata.normalize("NFKC", str(raw)).split()).upper()


@functools.lru_cache(maxsize=4096)
def _known_address_code(code: str) -> bool:
    """Whether the code was ever a county-level code, in any period. A code created after
    the holder's birth, or since retired, is normal (numbers were issued from 1984 on)."""
    from stdnum import numdb

    info = {k: v for _, props in numdb.get("cn/loc").info(code) for k, v in props.items()}
    return bool(info.get("county"))


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: datetime.date
    gender: str  # "M" or "F", from the parity of the sequence code
    warnings: list[str] = field(default_factory=list)
    # The first-generation 15-digit number this one was converted from, or "".
    converted_from: str = ""


# What the person import's row report says of a 15-digit number it converted.
CONVERTED_NOTE = "公民身份号码已由15位转换为18位，请按18位号码核对证件"


def id_number_from_15(number: str) -> str:
    """The 18-character number of a first-generation 15-digit one (GB 11643-1999): "19"
    before its two-digit birth year (the 15-digit numbers were issued to persons born in
    the 1900s), then the check character. `number` is 15 ASCII digits; the date is not
    checked here (`parse_id_number` does)."""
    body = f"{number[:6]}19{number[6:]}"
    return body + ric.calc_check_digit(body + "0")


def _birth_of_15(number: str) -> datetime.date:
    try:
        return datetime.date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    except ValueError:
        raise IdentifierError(
            f"15 位旧身份证号中的出生日期 19{number[6:8]}-{number[8:10]}-{number[10:12]} 不是有效日期，无法转换为 18 位"
        ) from None


def id_number_key(raw: object) -> str:
    """The number `parse_id_number` would keep for a text cell, without validating it:
    normalised, and a 15-digit number with a real date converted to 18 (the import finds
    its repeated and registered numbers by this before it parses any row)."""
    number = normalize(raw)
    if len(number) == 15 and ascii_digits(number):
        try:
            _birth_of_15(number)
        except IdentifierError:
            return number
        return id_number_from_15(number)
    return number


def parse_id_number(raw: object, *, today: datetime.date | None = None) -> IdNumber:
    """Validate an ID number; raise IdentifierError with a reason in Chinese."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raise IdentifierError("身份证号被 Excel 存成了数字，末几位或末位 X 已丢失；请把该列设为文本格式后重新填写")
    number = normalize(raw)
    if not number:
        raise IdentifierError("身份证号不能为空")
    if "E+" in number or (_EXCEL_NUMBER.match(number) and "." in number):
        raise IdentifierError(
            "身份证号被 Excel 存成了数字（科学计数法），末几位或末位 X 已丢失；请把该列设为文本格式后重新填写"
        )
    converted_from = ""
    if len(number) == 15 and ascii_digits(number):
        _birth_of_15(number)
        converted_from, number = number, id_number_from_15(number)
    if len(number) != 18:
        raise IdentifierError(f"身份证号应为 18 位，实际为 {len(number)} 位")
    if not ascii_digits(number[:17]) or not (ascii_digits(number[17]) or number[17] == "X"):
        raise IdentifierError("身份证号前 17 位应为数字，末位为数字或 X")
    expected = ric.calc_check_digit(number)
    if number[17] != expected:
        raise IdentifierError(f"身份证号校验位错误：末位应为 {expected}")
    try:
        # What ric.get_birth_date reads, without cleaning the number a second time.
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdentifierError("身份证号中的出生日期不是有效日期") from None
    today = today or datetime.date.today()
    if birth > today or birth < EARLIEST_BIRTH:
        raise IdentifierError(f"身份证号中的出生日期 {birth:%Y-%m-%d} 不合理")
    warnings = []
    if not _known_address_code(number[:6]):
        warnings.append(f"身份证号的地址码 {number[:6]} 不在国家行政区划代码表中，请核对")
    gender = "M" if int(number[16]) % 2 else "F"
    return IdNumber(number=number, birth_date=birth, gender=gender, warnings=warnings, converted_from=converted_from)


@dataclass(frozen=True)
class Certificate:
    number: str
    suffix: str  # a local trailing letter+digit (unverified practice), flagged, or ""


def parse_certificate(
    raw: object, *, id_number: str, category: int, grade: int, converted_from: str = ""
) -> Certificate:
    """Certificate = ID number + category digit + grade digit (+ optional local suffix).
    With `converted_from` (the 15-digit number `id_number` was converted from), a
    certificate written on the old number is converted the same way."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raise IdentifierError("残疾人证号被 Excel 存成了数字，末几位已丢失；请把该列设为文本格式后重新填写")
    number = normalize(raw)
    if not number:
        raise IdentifierError("残疾人证号不能为空")
    if converted_from and number.startswith(converted_from) and len(number) in (17, 19):
        number = id_number + number[15:]
    suffix = ""
    if len(number) == 22 and _CERT_SUFFIX.match(number[20:]):
        number, suffix = number[:20], number[20:]
    if len(number) != 20:
        raise IdentifierError(f"残疾人证号应为 20 位（身份证号 + 类别 + 等级），实际为 {len(number)} 位")
    if number[:18] != id_number:
        raise IdentifierError("残疾人证号前 18 位与身份证号不一致")
    if number[18] != str(category):
        raise IdentifierError(
            f"残疾人证号第 19 位为 {number[18]}，与残疾类别 {category}（{CATEGORY_NAMES.get(category, '?')}）不符"
        )
    if number[19] != str(grade):
        raise IdentifierError(
            f"残疾人证号第 20 位为 {number[19]}，与残疾等级 {grade}（{GRADE_NAMES.get(grade, '?')}）不符"
        )
    return Certificate(number=number + suffix, suffix=suffix)


def mask_id(number: str) -> str:
    """440703********123X: the address code and the last four, nothing that dates a birth."""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


# The shortest valid phone (0 + a 2-digit area code + 7 digits) and account
# (`registry.validators`): a shorter value, stored before the rules held, would show
# whole or nearly (1380000 kept 3 + 4 of 7 digits), so it is masked entirely.
_SHORTEST_PHONE = 10
_SHORTEST_ACCOUNT = 8


def mask_phone(phone: str) -> str:
    digits = phone or ""
    if len(digits) < _SHORTEST_PHONE:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_account(account: str) -> str:
    if not account:
        return ""
    if len(account) < _SHORTEST_ACCOUNT:
        return "*" * len(account)
    return "*" * (len(account) - 4) + account[-4:]


def mask_name(name: str) -> str:
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else "*"
