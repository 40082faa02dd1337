"""What each app contributes to the platform, declared in one module of its own.

An app plugs itself in with `<app>/declaration.py`, which defines `declaration =
AppDeclaration(...)`: its navigation entries, the permissions it gives each role, its
blocks on the person page, its entries of the person's timeline, its indicators, its step
of the demo seeding, the URLs the scope test opens (with a factory for an object inside and
one outside the home town officer's scope) and its tests that must also pass on SQLite.
The navigation, the role groups, the person page, the indicator catalogue, `seed_demo --all`,
the scope test and the Makefile's SQLite list read them here, so adding an app touches no
other app's files.

The modules are found like `django.contrib.admin`'s: `autodiscover()` imports the
`declaration` module of every installed app (from `canlian.apps.PlatformConfig.ready`), and
every reader calls `declarations()`, which discovers first if that has not happened yet (an
admin module can read the indicators before the last app is ready).
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any

MODULE = "declaration"


@dataclass(frozen=True)
class NavEntry:
    """A link of the main navigation, shown to users who meet `permission` (see
    `permitted`: one permission, an `AnyOf`, or a tuple all of which must hold), in `order`.
    Entries of one `group` (its Chinese label; apps may share one) are listed together
    under it, where the group's first entry falls; an entry without a group stands alone."""

    url_name: str
    label: str
    permission: Any
    order: int
    group: str = ""


@dataclass(frozen=True)
class PersonPanel:
    """A block of the person page: `template` rendered with `context(request, person)`.
    The person is one the page already showed, so in the user's scope; `context` returns
    `{"show": False}` (or any falsy "show") for a user who may see none of it."""

    template: str
    context: Callable[[Any, Any], dict]
    order: int


@dataclass(frozen=True)
class TimelineEntry:
    """One dated line of the person's timeline. `kind` is a short key the page filters on
    (?kind=), `kind_label` its Chinese name; `url` is the record's page, "" if it has none."""

    date: datetime.date
    kind: str
    kind_label: str
    title: str
    detail: str = ""
    url: str = ""


@dataclass(frozen=True)
class DemoStep:
    """The app's part of `seed_demo --all`: `run(stdout, options)` (the options of
    seed_demo: persons, seed, reset), after the steps of the apps named in `after` (app
    labels), the others by `order`."""

    run: Callable[[Any, dict], None]
    order: int
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkLine:
    """What the work list shows of one item besides its date due: a short Chinese
    `description`, the `url` of the record (where the work is done) and the registry person
    it concerns (shown through `registry.presenters.PersonView`), None for an item of no one
    person (a payroll batch)."""

    description: str
    url: str
    person: Any = None


@dataclass(frozen=True)
class WorkItems:
    """One kind's items for one user, as the database will count and page them.

    `rows` is a queryset of the kind's model, one row an item, already in the user's scope
    (`Model.objects.visible_to(user)`) and filtered to what is due now or overdue; `due` is
    the date due of a row, a field name or a date expression (`canlian.worklist.DaysAfter`,
    `MonthEnd`), and a row whose date due is before today is overdue. `line(row)` describes
    one row of a page, read with `related` (select_related) so that it asks no query."""

    rows: Any
    due: Any
    line: Callable[[Any], WorkLine]
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkItemKind:
    """A kind of line of the officers' work list (我的待办): `key` (its filter's address,
    /work/<key>/), its Chinese `label`, its place among the counts (`order`) and who has it
    (`permission`, see `permitted`). `items(user, today)` returns the user's `WorkItems`, or
    None when the user has none of this kind to do whatever the data (a town user given a
    district permission by mistake)."""

    key: str
    label: str
    order: int
    permission: Any
    items: Callable[[Any, datetime.date], WorkItems | None]


@dataclass(frozen=True)
class ComparisonItem:
    """One checked row of a data comparison (数据比对) list of an app's kind: the row's
    number in the file, the kind's name (its 事件), the registered person it names (found
    in the importer's scope and locked), the day and the parsed 新值."""

    row: int
    kind: str
    person: Any
    date: datetime.date
    value: Any


@dataclass(frozen=True)
class ComparisonOutcome:
    """What an app made of one `ComparisonItem`: `changed` (counted as an event recorded)
    or not (unchanged: the app already says so), or `refusal`, the Chinese reason it was
    rejected (nothing of it written)."""

    changed: bool = False
    refusal: str = ""


@dataclass(frozen=True)
class ComparisonKind:
    """A kind of event of another department's list (数据比对) that an app keeps, not the
    registry: the family-doctor contracts of the health department's list (outreach).

    `name` is the 事件 written in the file; `group` names what the kind changes, so two
    rows of one person, group and day that disagree are both rejected (as the registry's
    own kinds are per field); `value_help` says what the 新值 holds. `parse_value(cell)`
    reads the 新值 (raising `ValidationError` with a Chinese message), None when the kind
    takes none. `apply(items, *, user, source)` records the checked rows of the kinds of
    one group in one call, inside the comparison's transaction, and returns one
    `ComparisonOutcome` per item, in order; it sends `records_changed` itself."""

    name: str
    group: str
    value_help: str
    parse_value: Callable[[Any], Any] | None
    apply: Callable[..., list[ComparisonOutcome]]


@dataclass(frozen=True)
class Place:
    """An institution an app shows on the district's map (targets' map page): its name, its
    kind in Chinese and the code of its area (town or community). Institutions have no
    coordinates of their own, so the map places them at their area's centroid and says the
    position is approximate. Never a person: the map shows places and figures only."""

    name: str
    kind: str
    area_code: str


class AnyOf(tuple):
    """A permission requirement met by any one of its permissions."""

    def __new__(cls, *perms: str):
        return super().__new__(cls, perms)


def permitted(user, permission) -> bool:
    """Whether `user` meets `permission`: None (anyone signed in), a permission, an `AnyOf`,
    a tuple of these, all of which must hold, or a function of the user (a requirement that
    depends on what the apps declared, such as having a kind of work at all)."""
    if permission is None:
        return True
    if callable(permission):
        return permission(user)
    if isinstance(permission, str):
        return _has_perm(user, permission)
    if isinstance(permission, AnyOf):
        return any(_has_perm(user, p) for p in permission)
    return all(permitted(user, part) for part in permission)


def _has_perm(user, permission: str) -> bool:
    """`user.has_perm`, answered from the user's permission set: has_perm loads every
    authentication backend by its dotted path on each call, and a page asks dozens of times.
    The set is kept on the user object, as Django's backend keeps its own."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    perms = getattr(user, "_canlian_perms", None)
    if perms is None:
        perms = user._canlian_perms = user.get_all_permissions()
    return permission in perms


@dataclass(frozen=True)
class ScopedUrl:
    """How the scope test opens one URL pattern of the app.

    `permission` is what a role needs to open it (see `permitted`); `method` the
    one it answers (a POST-only URL refuses GET with 405); `ok` the status of a permitted
    user inside the scope (200, or 302 for a form that redirects after its work).
    `objects(world)` creates an object inside the home town officer's scope and one outside
    it and returns their two URLs (also for a page that takes its object as a query
    parameter); a pattern without converters needs none. `scope` says who
    sees the object: "area" (the object's town: the home town's and the other town's),
    "owner" (its creator: the home officer's and the other officer's) or "none" (every
    permitted user: `objects` returns the URL and None; the test still checks the page shows
    no one out of the user's scope). `world` holds the suite's
    fixtures: `person` (home town), `other_person`, `users`, `areas`. `written(world)` counts
    the rows a POST could write, so the test can prove an out-of-scope POST wrote nothing."""

    permission: Any
    objects: Callable[[Any], tuple[str, str]] | None = None
    scope: str = "area"
    method: str = "GET"
    ok: int = 200
    data: Callable[[Any], dict] | None = None
    written: Callable[[], int] | None = None

    @classmethod
    def post(cls, permission: str, objects, *, written: Callable[[], int], data=None, scope: str = "area"):
        """A POST-only URL: what it could write is counted by `written`."""
        return cls(permission, objects, scope=scope, method="POST", data=data, written=written)


@dataclass(frozen=True)
class AppDeclaration:
    nav: tuple[NavEntry, ...] = ()
    # Role value (accounts.roles.Role) -> the permissions this app gives that role.
    role_permissions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    panels: tuple[PersonPanel, ...] = ()
    timeline: Callable[[Any, Any], Iterable[TimelineEntry]] | None = None
    # Kinds of the timeline entries, key -> label, for the page's filter.
    timeline_kinds: dict[str, str] = field(default_factory=dict)
    # The app's indicators (canlian.indicators.Indicator), in catalogue order.
    indicators: tuple[Any, ...] = ()
    demo: DemoStep | None = None
    # URL name (with namespace) -> how the scope test opens it.
    urls: dict[str, ScopedUrl] = field(default_factory=dict)
    # Test files (relative to the app's directory) that must also pass on SQLite.
    sqlite_tests: tuple[str, ...] = ()
    # The years the app's records give figures for (the dashboard's year selector).
    record_years: Callable[[], set[int]] | None = None
    # Prepares the scope test's world (`ScopedUrl`) before any URL's objects are made: what
    # the roles' scopes hold besides the area (care: the centre staff's institution, with
    # the home town's person its member).
    scope_world: Callable[[Any], None] | None = None
    # The kinds of line the app adds to the officers' work list (canlian.worklist).
    worklist: tuple[WorkItemKind, ...] = ()
    # The kinds of event of other departments' lists the app keeps (registry.comparison).
    comparison_kinds: tuple[ComparisonKind, ...] = ()
    # Rules a merge of two registrations of one person must keep beyond the models' unique
    # constraints (registry.duplicates): `check(merged, kept)` returns the Chinese reasons
    # the merge is refused, [] when it may go ahead.
    merge_checks: tuple[Callable[[Any, Any], list[str]], ...] = ()
    # The app's institutions in the user's scope, for the map (`Place`).
    places: Callable[[Any], Iterable[Place]] | None = None


_registry: dict[str, AppDeclaration] | None = None


def autodiscover() -> dict[str, AppDeclaration]:
    """Import `<app>.declaration` of every installed app that has one, in INSTALLED_APPS
    order (which is the order of the navigation's and the indicators' groups)."""
    global _registry
    from django.apps import apps

    found: dict[str, AppDeclaration] = {}
    for config in apps.get_app_configs():
        name = f"{config.name}.{MODULE}"
        if find_spec(name) is None:
            continue
        declaration = getattr(import_module(name), "declaration", None)
        if not isinstance(declaration, AppDeclaration):
            raise TypeError(f"{name} must define `declaration = AppDeclaration(...)`")
        found[config.label] = declaration
    _registry = found
    return found


def declarations() -> dict[str, AppDeclaration]:
    """App label -> its declaration, discovered on first use."""
    return _registry if _registry is not None else autodiscover()


def navigation() -> list[NavEntry]:
    return sorted((e for d in declarations().values() for e in d.nav), key=lambda e: e.order)


def role_permissions() -> dict[str, list[str]]:
    """Role -> every app's permissions for it, in app order, each once."""
    merged: dict[str, list[str]] = {}
    for declaration in declarations().values():
        for role, perms in declaration.role_permissions.items():
            merged.setdefault(role, []).extend(p for p in perms if p not in merged[role])
    return merged


def person_panels() -> list[PersonPanel]:
    return sorted((p for d in declarations().values() for p in d.panels), key=lambda p: p.order)


def timeline_kinds() -> dict[str, str]:
    return {key: label for d in declarations().values() for key, label in d.timeline_kinds.items()}


def timeline_providers() -> list[Callable[[Any, Any], Iterable[TimelineEntry]]]:
    return [d.timeline for d in declarations().values() if d.timeline is not None]


def indicators() -> list[Any]:
    return [i for d in declarations().values() for i in d.indicators]


def work_kinds() -> list[WorkItemKind]:
    """Every app's kinds of work-list line, by `order`; a key declared twice is an error."""
    kinds = sorted((k for d in declarations().values() for k in d.worklist), key=lambda k: (k.order, k.key))
    keys = [k.key for k in kinds]
    if len(set(keys)) != len(keys):
        raise ValueError(f"work-list kinds declared twice: {sorted({k for k in keys if keys.count(k) > 1})}")
    return kinds


_comparison_kinds: tuple[Any, dict[str, "ComparisonKind"]] | None = None


def comparison_kinds() -> dict[str, ComparisonKind]:
    """Every app's kinds of comparison event, by the name the file gives them; a name
    declared twice is an error. Built once per registry of declarations: a comparison
    asks for every row of its file."""
    global _comparison_kinds
    registry = declarations()
    if _comparison_kinds is None or _comparison_kinds[0] is not registry:
        kinds: dict[str, ComparisonKind] = {}
        for declaration in registry.values():
            for kind in declaration.comparison_kinds:
                if kind.name in kinds:
                    raise ValueError(f"comparison kind declared twice: {kind.name}")
                kinds[kind.name] = kind
        _comparison_kinds = (registry, kinds)
    return _comparison_kinds[1]


def record_years() -> set[int]:
    """Every year some app's records give figures for."""
    years: set[int] = set()
    for declaration in declarations().values():
        if declaration.record_years is not None:
            years |= declaration.record_years()
    return years


def places(user) -> list[Place]:
    """Every app's institutions that `user` may see, for the map."""
    return [p for d in declarations().values() if d.places is not None for p in d.places(user)]


def demo_steps() -> list[tuple[str, DemoStep]]:
    """The declared seeding steps: each after the installed apps it names, and among those
    that may run, the lowest order first."""
    steps = {label: d.demo for label, d in declarations().items() if d.demo is not None}
    waiting = {label: {a for a in step.after if a in steps} for label, step in steps.items()}
    ordered: list[tuple[str, DemoStep]] = []
    while waiting:
        ready = [label for label, needs in waiting.items() if not needs]
        if not ready:
            raise ValueError(f"演示数据步骤循环依赖：{'、'.join(sorted(waiting))}")
        label = min(ready, key=lambda label: steps[label].order)
        ordered.append((label, steps[label]))
        del waiting[label]
        for needs in waiting.values():
            needs.discard(label)
    return ordered


def scope_worlds() -> list[Callable[[Any], None]]:
    return [d.scope_world for d in declarations().values() if d.scope_world is not None]


def scoped_urls() -> dict[str, ScopedUrl]:
    return {name: spec for d in declarations().values() for name, spec in d.urls.items()}


def sqlite_tests() -> list[str]:
    """The declared SQLite test files, as paths from the project's directory."""
    from django.apps import apps
    from django.conf import settings

    return [
        str((Path(apps.get_app_config(label).path) / test).relative_to(settings.BASE_DIR))
        for label, declaration in declarations().items()
        for test in declaration.sqlite_tests
    ]
