"""How the scope walk (canlian/tests/test_scope_walk.py) calls each route of the API.

Every route of `api.main.api` has its `ApiRoute` here, keyed "METHOD /api/path" as the
OpenAPI schema names it; the walk fails on a route without one. Objects are the ones the
apps' own scoped-URL factories make for their pages (an application, an award, a service
record inside and outside the home officer's town), read back from those pages' URLs, so
the API is walked over the same rows as the pages."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import resolve

from api.access import PERSONAL

PERSON_READ = ("registry.view_person", PERSONAL)


@dataclass(frozen=True)
class ApiRoute:
    """`permission` is what the route asks first (see canlian.declarations.permitted);
    `targets(world)` returns (which, url, body) calls: which is "inside" (the home town's
    object), "outside" (the other town's) or "page" (a list: no object). `outside` is what
    a permitted user answers for an object outside their scope (404, or the form's 400 when
    the object is a field of the body). `overrides` maps a role to its (inside, outside)
    statuses where the route answers otherwise, with the reason in a comment. A POST inside
    the scope by a permitted user does its work and is left to the route's own tests; any
    other POST must write nothing (`written`)."""

    permission: Any
    targets: Callable[[Any], list[tuple[str, str, dict | None]]]
    method: str = "GET"
    ok: int = 200
    outside: int = 404
    reveals: bool = False
    written: Callable[[], int] | None = None
    overrides: dict[str, tuple[int, int]] = field(default_factory=dict)


def _pks(world, page_url_name: str) -> tuple[int, int]:
    """The pks of the objects inside and outside the home town that `page_url_name`'s
    declared factory makes."""
    from canlian.declarations import scoped_urls

    inside, outside = scoped_urls()[page_url_name].objects(world)
    return resolve(inside.split("?")[0]).kwargs["pk"], resolve(outside.split("?")[0]).kwargs["pk"]


def _page(url: str):
    return lambda world: [("page", url, None)]


def _persons(suffix: str = "", body=None):
    def targets(world):
        return [
            (which, f"/api/persons/{p.pk}{suffix}", body(world, p) if body else None)
            for which, p in (("inside", world.person), ("outside", world.other_person))
        ]

    return targets


def _objects(page_url_name: str, path: str, body=None):
    def targets(world):
        inside, outside = _pks(world, page_url_name)
        return [("inside", path.format(pk=inside), body), ("outside", path.format(pk=outside), body)]

    return targets


def _new_person(world):
    from registry.testing import make_certificate, make_id_number

    def body(area):
        id_number = make_id_number(birth="19910101", sequence=771)
        return {
            "name": "走查新人",
            "gender": "M",
            "id_number": id_number,
            "certificate_number": make_certificate(id_number, 1, 2),
            "category": 1,
            "grade": 2,
            "area": area.code,
        }

    return [
        ("inside", "/api/persons", body(world.areas["baisha_a"])),
        ("outside", "/api/persons", body(world.areas["hetang_a"])),
    ]


def _persons_written() -> int:
    from registry.models import Person, PersonEvent

    return Person.objects.count() + PersonEvent.objects.count()


def _addresses_written() -> int:
    from registry.models import Person

    return Person.objects.filter(address="走查地址").count()


def _batch(world):
    """A payroll batch is the district's (no scope): one call, its totals the caller's."""
    from canlian.declarations import scoped_urls

    url, _ = scoped_urls()["benefits:batch_detail"].objects(world)
    return [("page", f"/api/payroll-batches/{resolve(url.split('?')[0]).kwargs['pk']}", None)]


@dataclass(frozen=True)
class RecordWalk:
    """How the walk calls one kind of `api.records.KINDS`: `void_page` is the page whose
    declared factory makes a record inside and outside the home town (or `voids(world)`
    gives the void calls itself); `body(world)` the new record's fields beside the person
    (an inside call by a permitted user is left to the route's tests, so it need only be
    well formed); `owners(world)` the fields naming what the new record belongs to, inside
    and outside the home town (by default the person); `also_written` other rows a refused
    call must not write."""

    name: str
    void_page: str | None
    body: Callable[[Any], dict]
    voids: Callable[[Any], list] | None = None
    also_written: Callable[[], int] | None = None
    owners: Callable[[Any], tuple[dict, dict]] | None = None


def _day(days_ago: int = 0) -> str:
    return (datetime.date.today() - datetime.timedelta(days=days_ago)).isoformat()


def _rehab_body(world):
    from rehab.models import Provider, RehabItem

    item = RehabItem.objects.filter(is_active=True).order_by("code").first()
    provider, _ = Provider.objects.get_or_create(name="接口走查康复机构", defaults={"area": world.areas["baisha"]})
    return {"item": item.pk, "provider": provider.pk, "served_on": _day(), "sessions": 1}


def _enrolments(world):
    return [
        (which, f"/api/care/enrolments/{getattr(world.care, key).enrolment.pk}/void", {"reason": "走查"})
        for which, key in (("inside", "home"), ("outside", "other"))
    ]


def _waiting() -> int:
    from care.models import WaitingEntry

    return WaitingEntry.objects.count()


RECORD_WALKS = [
    RecordWalk("rehab_record", "rehab:record_void", _rehab_body),
    RecordWalk(
        "visit", "outreach:visit_void", lambda w: {"visited_on": _day(1), "other_visitors": "走查", "findings": "走查"}
    ),
    RecordWalk(
        "participation",
        "activities:participation_void",
        lambda w: {"activity": _pks(w, "activities:participant_add")[0]},
    ),
    RecordWalk("five_one", "activities:five_one_void", lambda w: {"item": "book", "done_on": _day()}),
    RecordWalk(
        "enrolment",
        None,
        lambda w: {"institution": w.care.home.centre.pk, "started_on": _day()},
        voids=_enrolments,
        also_written=_waiting,
    ),
    RecordWalk("watch", "care:watch_void", lambda w: {"serial": "ZC-0001", "monthly_fee": "10", "issued_on": _day()}),
    RecordWalk(
        "placement", "care:placement_void", lambda w: {"kind": "home", "provider": "走查", "started_on": _day()}
    ),
    RecordWalk(
        "home_service",
        "outreach:service_void",
        lambda w: {"kind": "repair", "requested_on": _day(), "requested_by": "走查", "what": "走查"},
    ),
    RecordWalk("contact", "outreach:contact_void", lambda w: {"contacted_on": _day(), "method": "phone"}),
    RecordWalk(
        "delivery", "outreach:delivery_void", lambda w: {"campaign": 1, "delivered_on": _day(), "deliverer": "走查"}
    ),
    RecordWalk(
        "employment_status",
        "employment:status_void",
        lambda w: {"status": "employed", "changed_on": _day(), "point": 1},
    ),
    RecordWalk("workshop_member", "workshops:membership_void", lambda w: {"workshop": 1, "started_on": _day()}),
    # A follow-up belongs to a case (care's world opens one in each town), not a person.
    RecordWalk(
        "care_follow_up",
        "care:followup_void",
        lambda w: {"followed_on": _day(), "contact": "phone", "risk": "high", "findings": "走查"},
        owners=lambda w: ({"case": w.care.home.case.pk}, {"case": w.care.other.case.pk}),
    ),
    RecordWalk("psych_case", "outreach:psych_void", lambda w: {"client_kind": "person", "opened_on": _day()}),
]


def _record_routes(walk: RecordWalk) -> dict[str, ApiRoute]:
    """The three routes of a kind of record: its list, a new record (the person of the
    body inside or outside the scope: another town's answers 404) and the void."""
    from api.records import KINDS

    kind = next(k for k in KINDS if k.name == walk.name)
    model, path = kind.model, f"/api/{kind.path}"

    def written() -> int:
        rows = model.objects.count() + model.objects.exclude(voided_at=None).count()
        return rows + (walk.also_written() if walk.also_written else 0)

    def creates(world):
        body = walk.body(world)
        inside, outside = (
            walk.owners(world) if walk.owners else ({"person": world.person.pk}, {"person": world.other_person.pk})
        )
        return [("inside", path, {**body, **inside}), ("outside", path, {**body, **outside})]

    voids = walk.voids or _objects(walk.void_page, path + "/{pk}/void", {"reason": "走查"})
    return {
        f"GET {path}": ApiRoute((kind.perm("view"), PERSONAL), _page(path)),
        f"POST {path}": ApiRoute(kind.perm("add"), creates, method="POST", ok=201, written=written),
        f"POST {path}/{{record_id}}/void": ApiRoute(kind.perm("void"), voids, method="POST", written=written),
    }


EVENT = {"kind": "death", "date": "2024-01-02", "reason": "走查"}

API_ROUTES: dict[str, ApiRoute] = {
    "GET /api/persons": ApiRoute(PERSON_READ, _page("/api/persons")),
    "GET /api/persons/counts": ApiRoute("registry.view_person", _page("/api/persons/counts")),
    "GET /api/persons/{person_id}": ApiRoute(PERSON_READ, _persons()),
    # The reveal asks for its permission once the person is found (as the page's reveal):
    # centre staff find their member and are refused, and miss anyone else.
    "GET /api/persons/{person_id}?reveal=1": ApiRoute(
        PERSON_READ, _persons("?reveal=1"), reveals=True, overrides={"centre": (403, 404)}
    ),
    "PATCH /api/persons/{person_id}": ApiRoute(
        ("registry.view_person", "registry.change_person"),
        _persons(body=lambda world, person: {"address": "走查地址"}),
        method="PATCH",
        written=_addresses_written,
    ),
    "GET /api/persons/{person_id}/events": ApiRoute(PERSON_READ, _persons("/events")),
    "POST /api/persons/{person_id}/events": ApiRoute(
        ("registry.view_person", "registry.add_personevent"),
        _persons("/events", body=lambda world, person: EVENT),
        method="POST",
        ok=201,
        written=_persons_written,
    ),
    # The new person's community is a field of the body: outside the scope it is the
    # form's refusal (not one of your communities), as on the registration page.
    "POST /api/persons": ApiRoute(
        "registry.add_person", _new_person, method="POST", ok=201, outside=400, written=_persons_written
    ),
    "GET /api/awards": ApiRoute(("benefits.view_award", PERSONAL), _page("/api/awards")),
    "GET /api/applications": ApiRoute(("benefits.view_application", PERSONAL), _page("/api/applications")),
    "GET /api/applications/{application_id}": ApiRoute(
        ("benefits.view_application", PERSONAL),
        _objects("benefits:application_detail", "/api/applications/{pk}"),
    ),
    "GET /api/payroll-batches": ApiRoute("benefits.view_payrollbatch", _page("/api/payroll-batches")),
    "GET /api/payroll-batches/{batch_id}": ApiRoute(
        "benefits.view_payrollbatch",
        _batch,
    ),
    "GET /api/indicators": ApiRoute("targets.view_indicatorvalue", _page("/api/indicators")),
    **{key: route for kind in RECORD_WALKS for key, route in _record_routes(kind).items()},
}
