"""The rules of a person's contact and payment fields, one for each, shared by the person
form (`registry.forms`), the import (`registry.excel`) and any later API: a value one of
them accepts, the others accept too. Each takes the text as typed and returns it
normalised, or raises `FieldError` with the reason in Chinese."""

import re
import unicodedata

from registry.identifiers import normalize

# A mobile number (11 digits from 1), or a fixed line with its area code (0750-3952768).
PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
PHONE_RULE = "应为 11 位手机号或带区号的固定电话（如 0750-3952768）"
ACCOUNT = re.compile(r"^\d{8,30}$")
ACCOUNT_RULE = "应为 8–30 位数字"


# A person's name: Chinese characters (every CJK block: a rare character of a name is
# often outside the basic one), Latin letters, and the middle dot of a minority name.
NAME = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134fA-Za-z·]{2,40}$")
NAME_RULE = "应为 2 个以上汉字（少数民族姓名可含“·”），最多 40 字"


class FieldError(ValueError):
    """A value a field's rule refuses; the message says why, in Chinese."""


def name_clean(value: object, *, label: str = "姓名") -> str:
    """A person's name: full-width to half-width, no spaces; required."""
    # normalize() upper-cases, which a Latin name should not be: NFKC and no spaces only.
    text = "".join(unicodedata.normalize("NFKC", str(value or "")).split()).replace("•", "·").replace("・", "·")
    if "*" in text:
        raise FieldError(f"“{text}”是脱敏后的姓名，请填写完整姓名")
    if not NAME.match(text):
        raise FieldError(f"{label}{NAME_RULE}，“{text}”不符合")
    return text


def phone_clean(value: object, *, label: str = "联系电话") -> str:
    """A phone number: full-width to half-width, no spaces, a dash for any dash; "" allowed."""
    text = normalize(value).replace("—", "-").replace("–", "-")
    if "*" in text:
        raise FieldError(f"{label}“{text}”是脱敏后的号码，请填写完整号码")
    if text and not PHONE.match(text):
        raise FieldError(f"{label}格式不正确：{PHONE_RULE}，“{text}”不符合")
    return text


def bank_account_clean(value: object, *, label: str = "银行账号") -> str:
    """A bank account: digits only, spaces dropped; "" allowed."""
    text = normalize(value)
    if "*" in text:
        raise FieldError(f"{label}“{text}”是脱敏后的账号，请填写完整账号")
    if text and not ACCOUNT.match(text):
        raise FieldError(f"{label}{ACCOUNT_RULE}，“{text}”不符合")
    return text


def phone_valid(value: str) -> bool:
    return bool(PHONE.match(value or ""))


def bank_account_valid(value: str) -> bool:
    return bool(ACCOUNT.match(value or ""))
