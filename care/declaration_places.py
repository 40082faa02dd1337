"""What the reopening checks, drills and placements add to care's declaration
(`care.declaration` merges these): permissions of each role, two navigation entries, the
person block and timeline kinds, the scope walk's objects and URLs."""

import datetime
from types import SimpleNamespace

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from canlian.declarations import NavEntry, PersonPanel, ScopedUrl
from canlian.indicators import Indicator, Measure, Unit
from care.models import Drill, Institution, InstitutionKind, Placement, ReopenCheck, ReopenCheckItem
from care.panels_places import person_places

PERSONAL = "registry.view_personal_data"
CHECKS_READ = ("care.view_reopencheck", "care.view_drill", "care.view_checkitem")
CHECKS_WRITE = ("care.add_reopencheck", "care.add_drill")
CHECK_ITEMS_WRITE = ("care.add_checkitem", "care.change_checkitem")
PLACEMENTS_READ = ("care.view_placement",)
PLACEMENTS_WRITE = ("care.add_placement", "care.change_placement", "care.void_placement")

ROLE_PERMISSIONS = {
    Role.DISTRICT_ADMIN: (*CHECKS_READ, *CHECKS_WRITE, *CHECK_ITEMS_WRITE, *PLACEMENTS_READ, *PLACEMENTS_WRITE),
    Role.DISTRICT_REVIEWER: (*CHECKS_READ, *PLACEMENTS_READ),
    Role.TOWN_OFFICER: (*CHECKS_READ, *CHECKS_WRITE, *PLACEMENTS_READ, *PLACEMENTS_WRITE),
    # Their institution's checklists and drills; a boarding institution's staff see its placements.
    Role.CENTRE_STAFF: (*CHECKS_READ, *CHECKS_WRITE, *PLACEMENTS_READ),
    # Which institutions may reopen: no person named on that page.
    Role.LEADER: ("care.view_reopencheck",),
}

NAV = (
    NavEntry("care:readiness", "开放检查", "care.view_reopencheck", 97, group="托养服务"),
    NavEntry("care:placement_list", "托养安置", ("care.view_placement", PERSONAL), 98, group="托养服务"),
)
PANELS = (PersonPanel("care/_person_places.html", person_places, 41),)
TIMELINE_KINDS = {"care_placement": "托养安置", "care_drill": "应急演练"}


def scope_world(world) -> None:
    """A boarding institution in each town with a placement of its town's person (the
    other person is grade 3: their placement is written directly, as an imported one)."""
    start = timezone.localdate() - datetime.timedelta(days=40)
    made = {}
    for key, area, person in (("home", "baisha", world.person), ("other", "hetang", world.other_person)):
        boarding = Institution.objects.create(
            code=f"WALK-{key}-board",
            name=f"范围测试{key}寄宿托养机构",
            kind=InstitutionKind.BOARDING,
            area=world.areas[area],
            capacity=10,
        )
        placement = Placement.objects.create(
            person=person,
            area_code=person.area_id,
            kind="boarding",
            institution=boarding,
            started_on=start,
            recorded_by=world.users["admin"],
        )
        made[key] = SimpleNamespace(boarding=boarding, placement=placement)
    world.care_places = SimpleNamespace(**made)


def _written() -> int:
    return (
        ReopenCheck.objects.count()
        + ReopenCheckItem.objects.count()
        + Drill.objects.count()
        + Placement.objects.count()
        + Placement.objects.exclude(ended_on=None).count()
        + Placement.objects.exclude(voided_at=None).count()
    )


def _today(world) -> str:
    return f"{timezone.localdate():%Y-%m-%d}"


def _centres(name: str):
    return lambda world: tuple(reverse(name, args=[getattr(world.care, k).centre.pk]) for k in ("home", "other"))


def _placements(name: str):
    return lambda world: tuple(
        reverse(name, args=[getattr(world.care_places, k).placement.pk]) for k in ("home", "other")
    )


def _persons(name: str):
    return lambda world: tuple(reverse(name, args=[p.pk]) for p in (world.person, world.other_person))


URLS = {
    "care:readiness": ScopedUrl("care.view_reopencheck"),
    "care:readiness_export": ScopedUrl("care.view_reopencheck"),
    "care:institution_checks": ScopedUrl(
        ("care.view_reopencheck", "care.view_drill"), _centres("care:institution_checks")
    ),
    "care:check_add": ScopedUrl.post(
        "care.add_reopencheck",
        _centres("care:check_add"),
        written=_written,
        data=lambda world: {"checked_on": _today(world), "result": "范围测试"},
    ),
    "care:drill_add": ScopedUrl.post(
        "care.add_drill",
        _centres("care:drill_add"),
        written=_written,
        data=lambda world: {"held_on": _today(world), "topic": "范围测试"},
    ),
    "care:placement_list": ScopedUrl(("care.view_placement", PERSONAL)),
    "care:placement_export": ScopedUrl(("care.view_placement", PERSONAL)),
    "care:placement_add": ScopedUrl.post(
        "care.add_placement",
        _persons("care:placement_add"),
        written=_written,
        data=lambda world: {
            "placement-kind": "home",
            "placement-provider": "范围测试",
            "placement-started_on": _today(world),
        },
    ),
    "care:placement_void": ScopedUrl.post(
        "care.void_placement",
        _placements("care:placement_void"),
        written=_written,
        data=lambda world: {"reason": "范围测试"},
    ),
    "care:placement_end": ScopedUrl.post(
        "care.change_placement",
        _placements("care:placement_end"),
        written=_written,
        data=lambda world: {"ended_on": _today(world)},
    ),
}


# Indicators: placements and the district's centres ------------------------------------------


def _placed(kind: str, day: datetime.date, *, at_start: bool):
    started = Q(started_on__lt=day) if at_start else Q(started_on__lte=day)
    rows = Placement.objects.standing().filter(kind=kind).filter(started)
    return rows.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))


def placements(kind: str):
    """Persons in a boarding or home care placement today (a stock), and at the start of a
    past day (its month-end reading), by the person's community."""

    def measure(year: int) -> Measure:
        rows = _placed(kind, timezone.localdate(), at_start=False)
        return Measure(rows=rows, area="area_code", month=None, value=Count("person", distinct=True))

    def measure_on(day: datetime.date) -> Measure:
        rows = _placed(kind, day, at_start=True)
        return Measure(rows=rows, area="area_code", month=None, value=Count("person", distinct=True))

    return measure, measure_on


def centres_open(year: int) -> Measure:
    """Community Kangyuan centres (社区康园中心) in service today, by the town they are in; a
    centre registered at the district itself has no town and counts in the district's
    figure only (the district = its towns' centres + its own)."""
    rows = Institution.objects.filter(kind=InstitutionKind.CENTRE, is_active=True)
    return Measure(rows=rows, area="area_id", month=None, value=Count("pk"))


_boarding, _boarding_on = placements("boarding")
_home, _home_on = placements("home")

INDICATORS = (
    Indicator(
        "care_centres",
        "社区康园中心数",
        "间",
        "care",
        centres_open,
        "启用中的社区康园中心（各月为月末数）",
        incremental=True,
    ),
    Indicator(
        "care_boarding_placed",
        "寄宿型托养人数",
        Unit.PERSONS,
        "care",
        _boarding,
        "正在寄宿托养机构托养的重度残疾人（各月为月末人数；作废的安置不计）",
        measure_on=_boarding_on,
        incremental=True,
        institution="institution",
    ),
    Indicator(
        "care_home_placed",
        "居家养护人数",
        Unit.PERSONS,
        "care",
        _home,
        "正在接受居家养护服务的残疾人（各月为月末人数；作废的安置不计）",
        measure_on=_home_on,
        incremental=True,
    ),
)
