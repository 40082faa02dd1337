"""Every URL pattern of the project, opened by every role, inside and outside its scope.

The walk finds the patterns itself (`get_resolver`, recursively), so a new page is checked
the day it is added: a pattern that takes an object and has no scoped-URL factory in its
app's declaration (`urls` of `<app>/declaration.py`) fails here, naming it, and so does a
pattern without objects that its app did not declare.

For each role the expected status is computed in one place, `expected()`: 403 without the
declared permission, 404 for an object outside the role's scope (as for one that does not
exist), else the page's own status; `OVERRIDES` holds the pages that answer otherwise, with
the reason. No answer (a page, a workbook, an error page) may show an out-of-scope person's
name, ID number (full or masked) or certificate number. POST-only URLs refuse GET (405, asked
of two roles: `GET_OF_A_POST`), and a POST to an object outside the scope answers 404 and
writes nothing.

The JSON API's routes are walked the same way with each role's token
(`test_every_api_route_answers_each_role_inside_and_outside_its_scope`, its routes declared
in `api/scope_routes.py`): the same statuses, no out-of-scope person in any answer, and the
in-scope person's identifiers masked unless a permitted user asks for the reveal.
"""

import io
import json
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from python_calamine import CalamineWorkbook

from canlian.declarations import ScopedUrl, permitted, scope_worlds, scoped_urls
from registry.identifiers import mask_id

# Patterns the walk leaves out, and why.
SKIPPED_PREFIXES = {
    "admin/": "the Django admin: staff-only (is_staff), its own permission checks, no app scope",
    "^static/": "static files of DEBUG, no data",
    "api/": "the JSON API: walked with tokens by test_every_api_route_answers_each_role_inside_and_outside_its_scope",
}
SKIPPED_NAMES = {
    "login": "the sign-in page, for anonymous users",
    "logout": "signs out whoever asks; no data",
}

ROLES = ("admin", "reviewer", "officer", "other_officer", "centre", "leader", "auditor", "counsellor", "sysadmin")

# Whose objects each role's scope holds: the towns (the home town 白沙, the other 荷塘) for
# objects scoped by area, and the uploader for objects scoped by owner. Centre staff have no
# area: they see their institution's members, and the world makes the home person one
# (care's `scope_world`).
AREA_SCOPE = {
    "admin": {"home", "other"},
    "reviewer": {"home", "other"},
    "officer": {"home"},
    "other_officer": {"other"},
    "centre": {"home"},
    "leader": {"home", "other"},
    "auditor": set(),  # the audit administrator: the log only, no business data
    # A counsellor sees the cases they serve, not the registry: outreach's scope URLs make
    # the home town's psychological case theirs (and the other town's another's).
    "counsellor": {"home"},
    "sysadmin": set(),  # the system administrator: users and roles (the admin), no business data
}
OWNER_SCOPE = {"officer": {"home"}, "other_officer": {"other"}}

# (URL name, role) -> the statuses (inside, outside) where a page answers other than its
# permission and the role's scope say. The lead adjusts this table, and only this one.
OVERRIDES: dict[tuple[str, str], tuple[int, int]] = {
    # The reveal finds the person (scope) before it asks for the reveal permission: centre
    # staff find their member and are refused, and miss anyone else.
    ("registry:person_reveal", "centre"): (403, 404),
}

# A POST-only URL opened by GET answers 405 before it looks at the user; asked of the role
# with the fewest permissions (were the method checked after the permission, it would answer
# 403) and of a town officer, not of every role: each request of the walk costs time.
GET_OF_A_POST = ("auditor", "officer")

# The number of patterns the walk checked when it was written: it may only grow.
PATTERNS_WHEN_WRITTEN = 57


def _patterns(resolver=None, prefix: str = "", namespace: str = ""):
    """(route, name, takes objects) of every pattern, namespaces joined."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _patterns(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            name = namespace + pattern.name if pattern.name else None
            yield route, name, bool(pattern.pattern.converters) or "(?P<" in route


def _walked():
    for route, name, takes_objects in _patterns():
        if any(route.startswith(p) for p in SKIPPED_PREFIXES) or name in SKIPPED_NAMES:
            continue
        yield route, name, takes_objects


def undeclared(declared: dict[str, ScopedUrl]) -> list[str]:
    """The walked patterns whose app declares no way to open them."""
    missing = []
    for route, name, takes_objects in _walked():
        spec = declared.get(name)
        if spec is None:
            missing.append(f"{route} ({name}): no ScopedUrl in its app's declaration (urls)")
        elif takes_objects and spec.objects is None:
            missing.append(f"{route} ({name}) takes an object: declare its objects (inside, outside)")
    return missing


def _sees(spec: ScopedUrl, role: str, which: str) -> bool:
    if spec.scope == "none":
        return True
    scope = OWNER_SCOPE.get(role, set()) if spec.scope == "owner" else AREA_SCOPE[role]
    return which in scope


def expected(name: str, spec: ScopedUrl, role: str, user, which: str) -> int:
    """The status `role` gets for the object `which` ("inside": the home town's or the home
    officer's; "outside": the other's; "page" for a page without objects)."""
    if (name, role) in OVERRIDES:
        inside, outside = OVERRIDES[name, role]
        return outside if which == "outside" else inside
    if not permitted(user, spec.permission):
        return 403
    if which != "page" and not _sees(spec, role, "home" if which == "inside" else "other"):
        return 404
    return spec.ok


def _body(response) -> str:
    """The text a user is shown: the page, or every cell of a workbook."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        return "\n".join(
            str(cell) for sheet in book.sheet_names for row in book.get_sheet_by_name(sheet).to_python() for cell in row
        )
    return content.decode(errors="replace")


def _secrets(person) -> tuple[str, ...]:
    return (person.name, person.id_number, mask_id(person.id_number), person.certificate_number)


@pytest.fixture
def world(users, areas, person, other_person, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = SimpleNamespace(users=users, areas=areas, person=person, other_person=other_person)
    for prepare in scope_worlds():
        prepare(world)
    return world


def test_every_url_pattern_answers_each_role_inside_and_outside_its_scope(world):
    declared = scoped_urls()
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        clients[role].force_login(world.users[role])
    persons = {"home": world.person, "other": world.other_person}
    failures = undeclared(declared)
    checked_patterns, requests = 0, 0

    def check(name, role, method, url, want, data=None):
        nonlocal requests
        requests += 1
        response = getattr(clients[role], method.lower())(url, data or {})
        if response.status_code != want:
            failures.append(f"{name} {method} {url} as {role}: {response.status_code}, expected {want}")
            return
        # Whatever the answer (a page, a workbook, a 404), it names no one out of scope.
        body = _body(response)
        for town in ("home", "other"):
            if town in AREA_SCOPE[role]:
                continue
            leaked = [s for s in _secrets(persons[town]) if s in body]
            if leaked:
                failures.append(
                    f"{name} {method} {url} as {role} ({response.status_code}) shows an out-of-scope person: {leaked}"
                )

    # Every object first, so that a POST that wrongly did its work cannot spoil the next
    # pattern's objects.
    plan = []
    for _route, name, takes_objects in _walked():
        spec = declared.get(name)
        if spec is None or (takes_objects and spec.objects is None):
            continue  # reported by undeclared()
        if spec.objects is not None:
            inside, outside = spec.objects(world)
            targets = [(which, url) for which, url in (("inside", inside), ("outside", outside)) if url is not None]
        else:
            targets = [("page", reverse(name))]
        plan.append((name, spec, targets))

    for name, spec, targets in plan:
        checked_patterns += 1
        for role in ROLES:
            user = world.users[role]
            # Refused by permission, a role gets 403 before the object is looked up: one of
            # the objects is enough to see it.
            refused = (name, role) not in OVERRIDES and not permitted(user, spec.permission)
            for which, url in targets[:1] if refused else targets:
                if spec.method == "GET":
                    check(name, role, "GET", url, expected(name, spec, role, user, which))
                    continue
                if role in GET_OF_A_POST:
                    check(name, role, "GET", url, 405)
                want = expected(name, spec, role, user, which)
                if want == spec.ok:
                    continue  # a permitted POST inside the scope does its work: its own tests
                before = spec.written() if spec.written else None
                data = spec.data(world) if spec.data else None
                check(name, role, "POST", url, want, data)
                if spec.written and spec.written() != before:
                    failures.append(f"{name} POST {url} as {role} ({want}) wrote rows")

    print(f"scope walk: {checked_patterns} URL patterns, {len(ROLES)} roles, {requests} requests")
    assert not failures, "\n".join(failures)
    assert checked_patterns >= PATTERNS_WHEN_WRITTEN


def test_a_pattern_its_app_did_not_declare_is_named():
    declared = dict(scoped_urls())
    del declared["rehab:record_void"]
    declared["rehab:record_create"] = ScopedUrl("rehab.add_servicerecord", method="POST")
    assert undeclared(declared) == [
        "rehab/records/<int:pk>/void/ (rehab:record_void): no ScopedUrl in its app's declaration (urls)",
        "rehab/persons/<int:pk>/records/ (rehab:record_create) takes an object: declare its objects (inside, outside)",
    ]
    assert undeclared(scoped_urls()) == []


def _api_routes_of_the_schema() -> list[str]:
    from api.main import api

    return [f"{method.upper()} {path}" for path, item in api.get_openapi_schema()["paths"].items() for method in item]


def test_every_api_route_answers_each_role_inside_and_outside_its_scope(world, settings):
    from api.scope_routes import API_ROUTES
    from api.services import token_create

    settings.API_RATE_PER_MINUTE = 10_000
    declared = {key.split("?")[0] for key in API_ROUTES}
    failures = [
        f"{key}: no ApiRoute in api/scope_routes.py" for key in _api_routes_of_the_schema() if key not in declared
    ]
    headers = {}
    for role in ROLES:
        _, secret = token_create(user=world.users[role], name="走查", days=1)
        headers[role] = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    persons = {"home": world.person, "other": world.other_person}
    home_full = (world.person.id_number, world.person.certificate_number, world.person.bank_account)
    plan = [(key, spec, spec.targets(world)) for key, spec in API_ROUTES.items()]
    client, requests = Client(), 0

    def want(key, spec, role, which) -> int:
        if role in spec.overrides:
            inside, outside = spec.overrides[role]
            return outside if which == "outside" else inside
        if not permitted(world.users[role], spec.permission):
            return 403
        if which != "page" and not AREA_SCOPE[role] & {"home" if which == "inside" else "other"}:
            return spec.outside
        return spec.ok

    for key, spec, targets in plan:
        for role in ROLES:
            for which, url, body in targets:
                expected_status = want(key, spec, role, which)
                if spec.method != "GET" and expected_status == spec.ok:
                    continue  # a permitted write inside the scope: the route's own tests
                before = spec.written() if spec.written else None
                call = getattr(client, spec.method.lower())
                payload = {} if spec.method == "GET" else {"data": json.dumps(body or {})}
                if payload:
                    payload["content_type"] = "application/json"
                response = call(url, **payload, **headers[role])
                requests += 1
                text = response.content.decode(errors="replace")
                if response.status_code != expected_status:
                    failures.append(f"{key} {url} as {role}: {response.status_code}, expected {expected_status}")
                    continue
                if not response["Content-Type"].startswith("application/json"):
                    failures.append(f"{key} {url} as {role}: not JSON ({response['Content-Type']})")
                for town in ("home", "other"):
                    if town not in AREA_SCOPE[role]:
                        leaked = [secret for secret in _secrets(persons[town]) if secret in text]
                        if leaked:
                            failures.append(f"{key} {url} as {role} shows an out-of-scope person: {leaked}")
                shown = [value for value in home_full if value in text]
                if response.status_code == 200 and spec.reveals and which == "inside" and not shown:
                    failures.append(f"{key} {url} as {role}: the reveal shows no full identifier")
                if shown and not (spec.reveals and response.status_code == 200):
                    failures.append(f"{key} {url} as {role} shows a full identifier unasked: {shown}")
                if spec.written and spec.written() != before:
                    failures.append(f"{key} {url} as {role} ({response.status_code}) wrote rows")

    print(f"API scope walk: {len(plan)} routes, {len(ROLES)} roles, {requests} requests")
    assert not failures, "\n".join(failures)
    assert requests > 0
