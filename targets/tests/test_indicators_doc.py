"""docs/indicators.md lists every declared indicator and is what the declarations give now."""

import pytest
from django.core.management import CommandError, call_command

from targets.indicator_docs import document, path
from targets.indicators import INDICATORS


def test_the_page_in_the_repository_is_current(db):
    call_command("indicators_doc", "--check")


def test_every_code_and_definition_is_listed(db):
    text = document()
    for indicator in INDICATORS.values():
        assert f"| `{indicator.key}` | {indicator.name} |" in text
        assert indicator.description in text
    assert text.index("## 基本保障") < text.index("## 康复") < text.index("## 托养") < text.index("## 活动")
    assert "9100 (为全区9100多名持证残疾人购买重大疾病和意外伤害保险)" in text


def test_a_stale_page_fails_the_check(db, monkeypatch, tmp_path):
    stale = tmp_path / "indicators.md"
    stale.write_text("# Indicators\n", encoding="utf-8")
    monkeypatch.setattr("targets.management.commands.indicators_doc.path", lambda: stale)
    with pytest.raises(CommandError, match="不一致"):
        call_command("indicators_doc", "--check")
    assert path().exists()
