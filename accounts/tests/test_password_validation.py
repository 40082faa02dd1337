"""What a chosen password is checked against (settings.AUTH_PASSWORD_VALIDATORS)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.models import User


@pytest.fixture
def baisha(db):
    return User(username="baisha", last_name="陈", first_name="丽华")


@pytest.mark.parametrize(
    "password",
    [
        "baisha2026",  # the user's own name and a year
        "baisha202612",
        "password1234",  # common
        "123456789012",  # digits only
        "canlian2026!",  # the federation's name (the demo's password) with digits
        "Pengjiang@2026",
        "2026-12-02-2026",
        "short1!",  # too short
    ],
)
def test_weak_or_personal_passwords_are_refused(baisha, password):
    with pytest.raises(ValidationError):
        validate_password(password, baisha)


def test_the_messages_are_in_chinese(baisha):
    with pytest.raises(ValidationError) as raised:
        validate_password("baisha2026", baisha)
    text = " ".join(raised.value.messages)
    assert "密码" in text and "用户名" in text


def test_a_short_password_is_refused_in_chinese(baisha, settings):
    with pytest.raises(ValidationError) as raised:
        validate_password("Kq7!xv", baisha)
    assert "密码太短，至少需要 12 个字符。" in raised.value.messages


def test_a_long_unrelated_passphrase_is_accepted(baisha):
    validate_password("荔枝湾-晚风-37号码头", baisha)
    validate_password("Kite-river-pencil-47", baisha)
