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


def _rehab_record_bodies(world):
    from rehab.models import Provider, RehabItem

    item = RehabItem.objects.filter(is_active=True).order_by("code").first()
    provider, _ = Provider.objects.get_or_create(name="接口走查康复机构", defaults={"area": world.areas["baisha"]})
    body = {"item": item.pk, "provider": provider.pk, "served_on": datetime.date.today().isoformat(), "sessions": 1}
    return [
        ("inside", "/api/rehab/records", {**body, "person": world.person.pk}),
        ("outside", "/api/rehab/records", {**body, "person": world.other_person.pk}),
    ]


def _persons_written() -> int:
    from registry.models import Person, PersonEvent

    return Person.objects.count() + PersonEvent.objects.count()


def _records_written() -> int:
    from rehab.models import ServiceRecord

    return ServiceRecord.objects.count() + ServiceRecord.objects.exclude(voided_at=None).count()


def _addresses_written() -> int:
    from registry.models import Person

    return Person.objects.filter(address="走查地址").count()


def _batch(world):
    """A payroll batch is the district's (no scope): one call, its totals the caller's."""
    from canlian.declarations import scoped_urls

    url, _ = scoped_urls()["benefits:batch_detail"].objects(world)
    return [("page", f"/api/payroll-batches/{resolve(url.split('?')[0]).kwargs['pk']}", None)]


def _visit_bodies(world):
    day = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    body = {"visited_on": day, "other_visitors": "走查", "findings": "走查"}
    return [
        ("inside", "/api/outreach/visits", {**body, "person": world.person.pk}),
        ("outside", "/api/outreach/visits", {**body, "person": world.other_person.pk}),
    ]


def _visits_written() -> int:
    from outreach.models import HomeVisit

    return HomeVisit.objects.count() + HomeVisit.objects.exclude(voided_at=None).count()


def _participation_bodies(world):
    inside, outside = _pks(world, "activities:participant_add")
    return [
        ("inside", "/api/activities/participations", {"activity": inside, "person": world.person.pk}),
        ("outside", "/api/activities/participations", {"activity": outside, "person": world.other_person.pk}),
    ]


def _participations_written() -> int:
    from activities.models import Participation

    return Participation.objects.count() + Participation.objects.exclude(voided_at=None).count()


def _enrolment_bodies(world):
    day = datetime.date.today().isoformat()
    centre = world.care.home.centre
    return [
        ("inside", "/api/care/enrolments", {"person": world.person.pk, "institution": centre.pk, "started_on": day}),
        (
            "outside",
            "/api/care/enrolments",
            {"person": world.other_person.pk, "institution": world.care.other.centre.pk, "started_on": day},
        ),
    ]


def _enrolments(world):
    return [
        (which, f"/api/care/enrolments/{getattr(world.care, key).enrolment.pk}/void", {"reason": "走查"})
        for which, key in (("inside", "home"), ("outside", "other"))
    ]


def _enrolments_written() -> int:
    from care.models import Enrolment, WaitingEntry

    return Enrolment.objects.count() + Enrolment.objects.exclude(voided_at=None).count() + WaitingEntry.objects.count()


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
    "GET /api/rehab/records": ApiRoute(("rehab.view_servicerecord", PERSONAL), _page("/api/rehab/records")),
    # The person of a new record is a field of the body; another town's answers 404.
    "POST /api/rehab/records": ApiRoute(
        "rehab.add_servicerecord", _rehab_record_bodies, method="POST", ok=201, written=_records_written
    ),
    "POST /api/rehab/records/{record_id}/void": ApiRoute(
        "rehab.void_servicerecord",
        _objects("rehab:record_void", "/api/rehab/records/{pk}/void", {"reason": "走查"}),
        method="POST",
        written=_records_written,
    ),
    "GET /api/outreach/visits": ApiRoute(("outreach.view_homevisit", PERSONAL), _page("/api/outreach/visits")),
    "POST /api/outreach/visits": ApiRoute(
        "outreach.add_homevisit", _visit_bodies, method="POST", ok=201, written=_visits_written
    ),
    "POST /api/outreach/visits/{visit_id}/void": ApiRoute(
        "outreach.void_homevisit",
        _objects("outreach:visit_void", "/api/outreach/visits/{pk}/void", {"reason": "走查"}),
        method="POST",
        written=_visits_written,
    ),
    "GET /api/activities/participations": ApiRoute(
        ("activities.view_participation", PERSONAL), _page("/api/activities/participations")
    ),
    "POST /api/activities/participations": ApiRoute(
        "activities.add_participation", _participation_bodies, method="POST", ok=201, written=_participations_written
    ),
    "POST /api/activities/participations/{participation_id}/void": ApiRoute(
        "activities.void_participation",
        _objects("activities:participation_void", "/api/activities/participations/{pk}/void", {"reason": "走查"}),
        method="POST",
        written=_participations_written,
    ),
    "GET /api/care/enrolments": ApiRoute(("care.view_enrolment", PERSONAL), _page("/api/care/enrolments")),
    "POST /api/care/enrolments": ApiRoute(
        "care.add_enrolment", _enrolment_bodies, method="POST", ok=201, written=_enrolments_written
    ),
    "POST /api/care/enrolments/{enrolment_id}/void": ApiRoute(
        "care.void_enrolment", _enrolments, method="POST", written=_enrolments_written
    ),
}
