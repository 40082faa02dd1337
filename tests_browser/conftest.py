"""Browser tests: Playwright (sync API) driving Debian's chromium against pytest-django's
live server. Never `playwright install`: the browser is the system's /usr/bin/chromium.

- One chromium per session (per xdist worker), a fresh context per test (locale zh-CN), so
  no cookie or storage leaks from one test to the next.
- The live server runs in a thread with its own database connection, so these tests need
  committed data: `transactional_db` (each module's `pytestmark`), which empties every
  table after each test. The district, its towns, the role groups and permissions come
  from migrations, so the tests ask for a serialized rollback (restored before each test),
  and the root conftest loads them back once more after each module, for the ordinary
  tests that the same xdist worker may run next.
- Every page a test opens is read as a user reads it: the visible text of each document
  loaded and of each htmx swap must have no template leftover and no English word outside
  `visible_text.ALLOWED_WORDS` (checked when the test ends, naming the page).
- Whatever the Content-Security-Policy blocks on a page (chromium says so on the console)
  fails the test.
- Playwright's sync API keeps an event loop in the main thread; Django refuses ORM calls
  from such a thread unless told (DJANGO_ALLOW_ASYNC_UNSAFE) that the caller is really
  synchronous, as it is here.
"""

import os

import pytest
from django.db import connections

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

from conftest import PASSWORD, has_serialized  # noqa: E402
from registry.excel import HEADERS  # noqa: E402
from tests_browser.visible_text import text_problems  # noqa: E402
from tests_browser.workbooks import MIXED_ROWS, write_workbook  # noqa: E402

CHROMIUM = os.environ.get("CANLIAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def browser(django_db_setup) -> Browser:
    # While Playwright's loop is installed in this thread, Django keeps its database
    # connections in a separate, async-context storage: the ORM calls of the tests get new
    # connection objects. Hand them the serialized migrated data the old ones were given.
    serialized = {c.alias: c._test_serialized_contents for c in connections.all() if has_serialized(c)}
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
        connections.close_all()  # the async-context connections, before the test database is dropped


@pytest.fixture
def page(browser, live_server) -> Page:
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        base_url=live_server.url,
        viewport={"width": 1366, "height": 900},
        accept_downloads=True,
    )
    texts: dict[str, set[str]] = {}

    def read(url: str, text: str) -> None:
        texts.setdefault(url, set()).add(text)

    context.expose_function("canlianVisibleText", read)
    context.add_init_script(VISIBLE_TEXT_SCRIPT)
    page = context.new_page()
    # What the Content-Security-Policy blocked (chromium reports each on the console): an
    # inline script, handler or style somewhere, which the page would lose in production.
    blocked = []
    page.on("console", lambda m: "Content Security Policy" in m.text and blocked.append(f"{page.url}: {m.text}"))
    yield page
    if not page.is_closed() and page.url.startswith("http"):
        read(page.url, page.evaluate("document.body ? document.body.innerText : ''"))
    context.close()
    if blocked:
        pytest.fail("the Content-Security-Policy blocked: " + "; ".join(blocked[:5]))
    if problems := _visible_text_problems(texts):
        pytest.fail("pages show what a user should not read: " + "; ".join(f"{u}: {p}" for u, p in problems.items()))


def _visible_text_problems(texts: dict[str, set[str]]) -> dict[str, list[str]]:
    """The problems of each page's texts, once the test users' names (test data such as
    "测试officer", not words of the interface) are taken out."""
    from accounts.models import User

    names = sorted({u.display_name for u in User.objects.all()}, key=len, reverse=True)
    problems = {}
    for url, seen in texts.items():
        for text in seen:
            for name in names:
                text = text.replace(name, " ")
            if found := text_problems(text):
                problems[url] = found
                break
    return problems


# Sends the visible text to the test after each load and each htmx swap of the page.
VISIBLE_TEXT_SCRIPT = """
(() => {
  const send = () => document.body && window.canlianVisibleText(location.href, document.body.innerText);
  window.addEventListener("load", send);
  document.addEventListener("htmx:afterSettle", send);
})();
"""


@pytest.fixture
def log_in(page):
    """Log in through the login form, as a person would."""

    def _log_in(username: str, password: str = PASSWORD) -> Page:
        page.goto("/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        return page

    return _log_in


@pytest.fixture
def held_imports(settings, tmp_path):
    """Uploads go to a temporary media folder, and import jobs wait in the queue (the dummy
    task backend) until the test runs them, so the status page is seen before and after."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def mixed_workbook(tmp_path, areas):
    """An officer's workbook with two good rows and two bad ones, mixed."""

    def _write(headers=HEADERS):
        return write_workbook(tmp_path / "白沙街道名单.xlsx", MIXED_ROWS, headers)

    return _write
