"""A password validator for the words a district federation's staff reach for first."""

import re

from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLengthValidator
from django.core.exceptions import ValidationError

# The federation, the district and the city, in pinyin and initials, and a few words that
# Django's common-password list (drawn from English-speaking leaks) does not hold.
LOCAL_WORDS = frozenset(
    {
        "canlian",
        "cl",
        "cdpf",
        "canjiren",
        "pengjiang",
        "pj",
        "jiangmen",
        "jm",
        "guangdong",
        "gd",
        "admin",
        "password",
        "mima",
        "woaini",
        "qwerty",
        "abc",
    }
)


class LocalWordsValidator:
    """Refuses a password that is only such a word, the user's own user name or name, or
    nothing, around digits and punctuation: `canlian2026`, `Pengjiang@123`, `2026-12-02`,
    `baisha202612` for the user baisha (Django's similarity check lets a long enough tail
    of digits through)."""

    def validate(self, password: str, user=None) -> None:
        letters = _letters(password)
        own = {_letters(getattr(user, "username", "")), _letters(user.get_full_name())} if user else set()
        if letters == "" or letters in LOCAL_WORDS or letters in own - {""}:
            raise ValidationError(
                "密码不能只是用户名、姓名、单位名称、地名或常见词加数字和符号。", code="password_local_word"
            )

    def get_help_text(self) -> str:
        return "密码不能只是用户名、姓名、单位名称、地名或常见词加数字和符号。"


def _letters(text: str) -> str:
    return re.sub(r"[\W\d_]+", "", text.lower())


class MinimumLengthValidator(DjangoMinimumLengthValidator):
    """Django's, with its message in Chinese: Django 5.2 changed the message's text and its
    Chinese catalogue has not caught up, so the page would show it in English."""

    def get_error_message(self) -> str:
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"密码至少需要 {self.min_length} 个字符。"
