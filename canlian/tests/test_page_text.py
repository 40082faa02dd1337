"""Every page reachable without a parameter, and a person's pages, for each role: the text
a user reads has no template leftover and no English word (the browser tests check the same
on the pages they open; this covers the pages they do not, cheaply)."""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from registry.services import person_event_record
from tests_browser.visible_text import html_text, text_problems

SKIPPED_NAMESPACES = {"admin"}


def _parameterless_urls() -> list[str]:
    urls = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace not in SKIPPED_NAMESPACES:
                    walk(entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.regex.groups:
                urls.append(reverse(f"{namespace}{entry.name}"))

    walk(get_resolver().url_patterns, "")
    return sorted(set(urls))


def _page_problems(client, url: str, names: list[str]) -> list[str]:
    response = client.get(url, follow=True)
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    text = html_text(response.content.decode())
    for name in names:
        text = text.replace(name, " ")
    return text_problems(text)


@pytest.mark.parametrize("role", ["admin", "reviewer", "officer", "centre", "leader"])
def test_pages_show_only_chinese_text(client, users, person, role):
    day = datetime.date(2024, 3, 1)
    person_event_record(user=users["officer"], person=person, kind="economic", date=day, value="dibao")
    client.force_login(users[role])
    urls = [
        *_parameterless_urls(),
        reverse("registry:person_detail", args=[person.pk]),
        reverse("registry:person_edit", args=[person.pk]),
    ]
    # The test users' names ("测试officer") are data, not words of the interface.
    names = sorted({u.display_name for u in users.values()}, key=len, reverse=True)
    problems = {url: found for url in urls if (found := _page_problems(client, url, names))}
    assert problems == {}


def test_the_check_finds_a_comment_written_over_two_lines():
    assert text_problems(html_text("<p>{# The live region\n stays. #}</p>")) == [
        "template leftover '{#'",
        "template leftover '#}'",
        "English words ['The', 'live', 'region', 'stays']",
    ]
