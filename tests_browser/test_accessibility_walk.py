"""axe-core on every page of the project, as a role that uses it: every GET page the apps
declare for the URL-walking scope test (canlian/tests/test_scope_walk.py, their scoped URL
factories making the objects), seen as the first role of `ROLE_ORDER` allowed to open it,
must have no violation (WCAG 2 A/AA and axe's best practices). Files (workbooks, photos,
downloads) are not pages. One axe run a template: pages the same template renders (a list
and its filtered twin) are checked once; the states of a page (errors, a job running) are
the other accessibility tests'."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from canlian.declarations import scoped_urls
from canlian.tests.test_scope_walk import _walked, expected, world  # noqa: F401 (world: a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Axe()
# The role a page is seen as: the town officer first (most pages are theirs), then the
# roles with pages of their own.
ROLE_ORDER = ("officer", "centre", "counsellor", "admin", "reviewer", "leader", "auditor", "sysadmin")
FILES = (".xlsx", ".csv", ".pdf", ".png", ".jpg", "download", "photo", "export", "/file", "template", "attachments/")


def _pages(made) -> list[tuple[str, str, str]]:
    """(URL name, role, URL) of every page, in the order of the URL patterns."""
    declared = scoped_urls()
    pages = []
    for route, name, _takes in _walked():
        spec = declared.get(name)
        if spec is None or spec.method != "GET" or spec.ok != 200 or any(f in route for f in FILES):
            continue
        if spec.objects is not None:
            url, which = spec.objects(made)[0], "inside"
        else:
            url, which = reverse(name), "page"
        if url is None:
            continue
        role = next((r for r in ROLE_ORDER if expected(name, spec, r, made.users[r], which) == 200), None)
        if role is not None:
            pages.append((name, role, url))
    return pages


def _distinct(pages, users) -> list[tuple[str, str, str, str]]:
    """The pages that render a template no page before them rendered (as the test client
    sees them: HTML answers only), with that template."""
    clients, seen, distinct = {}, set(), []
    for name, role, url in pages:
        if role not in clients:
            clients[role] = Client()
            clients[role].force_login(users[role])
        response = clients[role].get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        template = response.templates[0].name if response.templates else url
        if template not in seen:
            seen.add(template)
            distinct.append((name, role, url, template))
    return distinct


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def test_every_page_has_no_axe_violation(browser, live_server, world):  # noqa: F811
    pages = _pages(world)
    assert len(pages) >= 100, len(pages)
    distinct = _distinct(pages, world.users)
    assert len(distinct) >= 60, len(distinct)
    contexts, failures, checked = {}, [], 0
    for name, role, url, template in distinct:
        if role not in contexts:
            context = browser.new_context(
                locale="zh-CN", base_url=live_server.url, viewport={"width": 1366, "height": 900}
            )
            context.add_cookies(
                [
                    {
                        "name": django_settings.SESSION_COOKIE_NAME,
                        "value": _session(world.users[role]),
                        "url": live_server.url,
                    }
                ]
            )
            contexts[role] = context.new_page()
        page = contexts[role]
        response = page.goto(url)
        if response.status != 200:
            failures.append(f"{name} {url} as {role}: {response.status}")
            continue
        checked += 1
        violations = AXE.run(page).response["violations"]
        for violation in violations:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
            what = f"{violation['id']} ({violation['impact']})"
            failures.append(f"{name} {url} ({template}) as {role}: {what} at {targets}")
    for page in contexts.values():
        page.context.close()
    print(f"axe walk: {checked} pages of {len(pages)}, one a template")
    assert not failures, "\n".join(failures)
