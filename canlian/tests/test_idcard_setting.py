"""The ID-card reader's setting: off by default; when on, connect-src allows its origin only."""

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from canlian.idcard import policy_with_reader, reader_origin, reader_setting

READER = {"url": "http://127.0.0.1:8989/api/readcard?type=json", "fields": {"id_number": "certNo"}}


def test_the_reader_is_off_by_default():
    assert settings.IDCARD_READER is None
    assert policy_with_reader(settings.CONTENT_SECURITY_POLICY, None) is settings.CONTENT_SECURITY_POLICY


def test_connect_src_gets_the_readers_origin_and_nothing_more():
    policy = policy_with_reader(settings.CONTENT_SECURITY_POLICY, READER)
    assert policy["connect-src"] == ["'self'", "http://127.0.0.1:8989"]
    assert {k: v for k, v in policy.items() if k != "connect-src"} == {
        k: v for k, v in settings.CONTENT_SECURITY_POLICY.items() if k != "connect-src"
    }
    assert settings.CONTENT_SECURITY_POLICY["connect-src"] == ["'self'"]  # the setting itself untouched
    assert reader_origin({"url": "https://localhost/read"}) == "https://localhost"


@pytest.mark.parametrize(
    "value",
    [
        "http://127.0.0.1:8989",
        {"url": "ftp://127.0.0.1/read"},
        {"url": "/relative"},
        {"url": "http://127.0.0.1:8989", "fields": {"photo_of": "x"}},
        {"url": "http://127.0.0.1:8989", "fields": {"name": 3}},
    ],
)
def test_a_bad_setting_fails_loudly(value):
    with pytest.raises(ImproperlyConfigured):
        reader_setting(value)


@pytest.mark.django_db
def test_the_header_follows_the_setting(settings):
    assert "connect-src 'self';" in Client().get("/login/").headers["Content-Security-Policy"]
    settings.IDCARD_READER = READER
    header = Client().get("/login/").headers["Content-Security-Policy"]
    assert "connect-src 'self' http://127.0.0.1:8989;" in header
