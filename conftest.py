"""Fixed areas, users per role and persons shared by the whole suite.

Two towns, each with two communities: 白沙街道 (the "home" town) and 荷塘镇 (the "other"
town). Users: a district administrator, a district reviewer, a town officer of each town,
centre staff, a leader, an audit administrator, a counsellor (心理咨询师) and a system
administrator.
"""

import copy
import datetime
import inspect
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connections, transaction
from django.test import override_settings

from accounts.roles import Role
from accounts.services import user_create
from areas.models import Area, Level
from canlian import test_database
from registry.models import Person
from registry.testing import make_certificate, make_id_number

PASSWORD = "Canlian-test-2026"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

test_database.install()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


# Files whose tests take the longest, beside those that commit (the browser tests).
LONG_FILES = ("canlian/tests/test_scope_walk.py", "canlian/tests/test_fuzz_parsers.py")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The files that commit (the browser tests) and the longest ones first. pytest-django
    puts committing tests last, and pytest-xdist hands out whole files by their number of
    tests (few for a browser file): the longest files went out at the end, and one worker ran
    them while the other had nothing left. `make test` runs xdist with
    `--no-loadscope-reorder`, which hands the files out in this order. Within a file the
    order stays; `_restore_migrated_data` puts the migrated rows back after each file that
    commits."""
    first = {}
    for item in items:
        path = item.nodeid.split("::")[0]
        if path not in first:
            first[path] = _commits(item.module) or path in LONG_FILES if hasattr(item, "module") else False
    items.sort(key=lambda item: not first[item.nodeid.split("::")[0]])


@pytest.fixture(scope="module", autouse=True)
def _restore_migrated_data(request):
    """After a module of tests that commit, load the migrated rows (areas, groups, schemes)
    back. A committing test (`transaction=True`) empties every table when it ends; its
    serialized rollback restores them only before the next such test. pytest-django runs
    these tests after the others, but pytest-xdist hands each worker whole files, the
    largest first, so an ordinary test of a smaller file may come next on the same worker."""
    if not _commits(request.module):
        yield
        return
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    yield
    with blocker.unblock():
        for connection in connections.all():
            if has_serialized(connection):
                # Start from empty tables whatever the last test left (a flush without
                # serialized rollback re-creates permissions and groups with new keys).
                call_command(
                    "flush", database=connection.alias, interactive=False, inhibit_post_migrate=True, verbosity=0
                )
                connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
                # The rows came back with their ids, the sequences did not (the flush reset
                # them): without this the next test's new scheme or catalogue item would
                # collide with a migrated row's id.
                statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
                with connection.cursor() as cursor:
                    for statement in statements:
                        cursor.execute(statement)


def _commits(module) -> bool:
    """Whether the module, or one of its tests, is marked to commit."""
    holders = [module, *(v for k, v in vars(module).items() if k.startswith("test_") and callable(v))]
    for holder in holders:
        marks = getattr(holder, "pytestmark", [])
        marks = marks if isinstance(marks, list) else [marks]
        if any(m.name == "django_db" and m.kwargs.get("transaction") for m in marks):
            return True
    return False


@contextmanager
def kept_for_the_class(django_db_blocker):
    """For a class-scoped fixture that seeds what several tests only read (a demo seed takes
    seconds): what it writes inside is kept until the class's last test, then rolled back.
    Each test runs in a savepoint inside it and leaves it as it found it. Passwords are
    hashed the fast way, as `_fast_passwords` has them for each test."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        yield
        transaction.set_rollback(True)


def taken_from(kept: str, key: str):
    """A function-scoped fixture named `key`: the entry `key` of the class-scoped fixture
    `kept` (a dict, made in `kept_for_the_class`), for a class's tests to have the class's
    users, areas or persons in place of the suite's own fixtures (which would create them
    a second time: the usernames are unique). Assign it in the class body
    (`users = taken_from("figures", "users")`). Each test gets a deep copy, one memo per
    test so that the entries still share their instances, as Django's `setUpTestData`
    gives them: a test that changes an instance in memory leaves the next one the stored
    row."""

    def fixture(*args, request, **fixtures):
        memo = request.node.__dict__.setdefault("_kept_copies", {})
        return copy.deepcopy(fixtures[kept][key], memo)

    # `kept` named in the signature, not asked for in the body: pytest then makes it (a
    # class's) before the test's own savepoint (`db`), which would roll it back.
    named = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY) for name in (kept, "request", "db")]
    fixture.__signature__ = inspect.Signature([inspect.Parameter("args", inspect.Parameter.VAR_POSITIONAL), *named])
    return pytest.fixture(name=key)(fixture)


def has_serialized(connection) -> bool:
    return bool(getattr(connection, "_test_serialized_contents", None))


TOWNS = {"district": "440703000000", "baisha": "440703002000", "hetang": "440703102000"}
COMMUNITIES = {
    "baisha_a": ("440703002001", "紫沙社区", "baisha"),
    "baisha_b": ("440703002002", "丰乐社区", "baisha"),
    "hetang_a": ("440703102201", "塔岗村", "hetang"),
    "hetang_b": ("440703102202", "禾冈村", "hetang"),
}


@pytest.fixture
def areas(db):
    return make_areas()


def make_areas() -> dict[str, Area]:
    # Two statements, not one get_or_create a community (most tests ask for these).
    Area.objects.bulk_create(
        [
            Area(code=code, name=name, level=Level.COMMUNITY, parent_id=TOWNS[town])
            for code, name, town in COMMUNITIES.values()
        ],
        ignore_conflicts=True,
    )
    found = Area.objects.in_bulk([*TOWNS.values(), *(code for code, _, _ in COMMUNITIES.values())])
    return {key: found[code] for key, code in [*TOWNS.items(), *((k, c) for k, (c, _, _) in COMMUNITIES.items())]}


@pytest.fixture
def users(areas):
    return make_users(areas)


def make_users(areas) -> dict:
    spec = {
        "admin": (Role.DISTRICT_ADMIN, areas["district"]),
        "reviewer": (Role.DISTRICT_REVIEWER, areas["district"]),
        "officer": (Role.TOWN_OFFICER, areas["baisha"]),
        "other_officer": (Role.TOWN_OFFICER, areas["hetang"]),
        "centre": (Role.CENTRE_STAFF, areas["baisha"]),
        "leader": (Role.LEADER, areas["district"]),
        "auditor": (Role.AUDIT_ADMIN, areas["district"]),
        "counsellor": (Role.COUNSELLOR, areas["district"]),
        "sysadmin": (Role.SYSTEM_ADMIN, areas["district"]),
    }
    made = {
        key: user_create(username=key, password=PASSWORD, role=role, area=area, name=f"测试{key}")
        for key, (role, area) in spec.items()
    }
    # A district user who may both prepare and approve payrolls, to prove the
    # four-eyes rule holds even when the permissions would allow it.
    both = user_create(
        username="reviewer_who_prepares", password=PASSWORD, role=Role.DISTRICT_REVIEWER, area=areas["district"]
    )
    both.user_permissions.add(Permission.objects.get(codename="prepare_payroll"))
    made["reviewer_who_prepares"] = both
    return made


def make_person(area, *, name="张三", birth="19800101", sequence=123, category=4, grade=2, **extra):
    id_number = make_id_number(birth=birth, sequence=sequence)
    fields = {
        "name": name,
        "gender": "M" if sequence % 2 else "F",
        "id_number": id_number,
        "birth_date": datetime.datetime.strptime(birth, "%Y%m%d").date(),
        "certificate_number": make_certificate(id_number, category, grade),
        "category": category,
        "grade": grade,
        "area": area,
        "phone": "13812345678",
        "bank_name": "江门农商银行",
        "bank_account": "6228480012345678",
        "address": "白沙大道1号",
    }
    fields.update(extra)
    return Person.objects.create(**fields)


@pytest.fixture
def person(areas):
    """A person of 白沙街道 (the officer's town)."""
    return make_home_person(areas)


@pytest.fixture
def other_person(areas):
    """A person of 荷塘镇 (the other officer's town)."""
    return make_other_person(areas)


def make_home_person(areas):
    return make_person(areas["baisha_a"], name="陈建国")


def make_other_person(areas):
    return make_person(areas["hetang_a"], name="李秀英", sequence=124, category=5, grade=3)


def make_people() -> dict:
    """What the fixtures `areas`, `users`, `person` and `other_person` make, in one call,
    for a class-scoped fixture (see `taken_from`)."""
    areas = make_areas()
    return {
        "areas": areas,
        "users": make_users(areas),
        "person": make_home_person(areas),
        "other_person": make_other_person(areas),
    }


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
