"""Every template keeps to the Content-Security-Policy: no inline script, no on* handler, no
style attribute or <style> element, no javascript: URL; and the header is sent."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted(
    p for p in ROOT.glob("*/templates/**/*.html") if ".venv" not in p.parts and "node_modules" not in p.parts
)

# A <script> with a src, or a data block (json_script's application/json), runs no inline code.
SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"""\son[a-z]+\s*=""", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=""", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
HTMX_EVAL = re.compile(r"""\shx-on[:-]|\shx-vals\s*=\s*["']\s*js:|\shx-vars\s*=""", re.IGNORECASE)


def problems(text: str) -> list[str]:
    found = []
    for match in SCRIPT.finditer(text):
        attrs = match.group("attrs")
        if "src=" not in attrs and "application/json" not in attrs:
            found.append(f"inline script at {match.start()}")
    for name, pattern in [
        ("on* handler", HANDLER),
        ("style attribute", STYLE_ATTRIBUTE),
        ("<style> element", STYLE_ELEMENT),
        ("javascript: URL", JAVASCRIPT_URL),
        ("htmx code in an attribute", HTMX_EVAL),
    ]:
        found += [f"{name} at {m.start()}" for m in pattern.finditer(text)]
    return found


def test_the_scan_finds_templates_of_every_app():
    apps = {p.relative_to(ROOT).parts[0] for p in TEMPLATES}
    assert {"canlian", "accounts", "registry", "benefits", "outreach", "care", "targets"} <= apps


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_template_has_no_inline_script_or_style(path):
    assert problems(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<button onclick="go()">',
        '<div style="width: 3%">',
        "<style>p {}</style>",
        '<a href="javascript:void(0)">',
        '<button hx-on:click="x()">',
    ],
)
def test_the_scan_catches_each_kind(snippet):
    assert problems(snippet)


def test_the_scan_lets_files_and_data_blocks_through():
    assert problems('<script src="/static/js/canlian.js" defer></script>') == []
    assert problems('<script id="d" type="application/json">{"a": 1}</script>') == []
    assert problems('<div data-style="x" class="pct-30">') == []


def test_every_response_carries_the_policy(client, login, users):
    for response in (client.get(reverse("login")), login(users["officer"]).get(reverse("registry:person_list"))):
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
