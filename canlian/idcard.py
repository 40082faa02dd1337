"""The counters' ID-card reader: its setting, and what the Content-Security-Policy allows.

Second-generation ID cards are read with a USB reader whose vendor software serves the
card's fields on the officer's own PC (http://127.0.0.1:PORT/...). That is the browser's
localhost, not the server's, so the browser fetches it (`js/idcard.js`) and hands the
reading to the server, which maps and checks it (`registry.idcard`).

`settings.IDCARD_READER` is None (off, the default) or {"url": ..., "fields": {our field:
their field}}; from the environment, IDCARD_READER_URL and IDCARD_READER_FIELDS (JSON).
When on, `connect-src` allows exactly the URL's origin, and nothing else is added.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# The fields a reading may give, with their Chinese labels.
FIELDS = {
    "name": "姓名",
    "gender": "性别",
    "id_number": "公民身份号码",
    "address": "住址",
    "birth_date": "出生日期",
    "photo": "照片",
}


def reader_setting(value) -> dict | None:
    """The setting checked: None, or {"url": an http(s) URL, "fields": {ours: theirs}}."""
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("url"), str):
        raise ImproperlyConfigured('IDCARD_READER must be None or {"url": ..., "fields": {...}}')
    parts = urlsplit(value["url"])
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(f"IDCARD_READER url must be an http(s) URL, not {value['url']!r}")
    fields = value.get("fields") or {}
    if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
        raise ImproperlyConfigured("IDCARD_READER fields must map our field names to the reader's (strings)")
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ImproperlyConfigured(f"IDCARD_READER fields: unknown fields {sorted(unknown)}; known: {sorted(FIELDS)}")
    return {"url": value["url"], "fields": dict(fields)}


def reader() -> dict | None:
    return reader_setting(getattr(settings, "IDCARD_READER", None))


def reader_origin(value) -> str | None:
    """The origin (scheme://host[:port]) the browser fetches the reading from, or None."""
    checked = reader_setting(value)
    if checked is None:
        return None
    parts = urlsplit(checked["url"])
    return f"{parts.scheme}://{parts.netloc}"


def policy_with_reader(policy: dict[str, list[str]], value) -> dict[str, list[str]]:
    """`policy` with the reader's origin added to connect-src when the reader is on."""
    origin = reader_origin(value)
    if origin is None:
        return policy
    merged = {directive: list(sources) for directive, sources in policy.items()}
    merged.setdefault("connect-src", ["'self'"])
    if origin not in merged["connect-src"]:
        merged["connect-src"].append(origin)
    return merged
