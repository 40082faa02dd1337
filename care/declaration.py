"""What care contributes: the institutions, their members and attendance pages, the care
permissions of each role (centre staff become real users: their institutions' members and
attendance), the person page's care block and timeline entries, the three attendance
indicators and the demo's 18 centres."""

import datetime
from types import SimpleNamespace

from django.core.management import call_command
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from canlian.declarations import AppDeclaration, DemoStep, NavEntry, PersonPanel, Place, ScopedUrl
from canlian.import_views import import_scoped_urls
from canlian.indicators import Indicator, Measure, Unit, in_year
from care import declaration_cases as cases
from care import declaration_places as places
from care.imports import AttendanceImporter, InstitutionImporter
from care.models import Attendance, AttendanceChange, Enrolment, Institution, InstitutionKind, MemberDay, WaitingEntry
from care.models.membership import OPEN
from care.panels import person_care, timeline
from care.panels_places import timeline_places

PERSON_DAYS = "人天"

READ = ("care.view_institution", "care.view_enrolment", "care.view_waitingentry")
ATTENDANCE_READ = ("care.view_attendance", "care.export_attendance")
ATTENDANCE_WRITE = ("care.add_attendance", "care.change_attendance")
MEMBERSHIP_WRITE = (
    "care.add_enrolment",
    "care.change_enrolment",
    "care.void_enrolment",
    "care.override_admission",
    "care.change_waitingentry",
)
INSTITUTIONS_WRITE = (
    "care.add_institution",
    "care.change_institution",
    "care.import_institutions",
    "care.view_admissionrule",
    "care.change_admissionrule",
)


# Indicators ------------------------------------------------------------------------------


def _members(rows, day: datetime.date, *, at_start: bool):
    started = Q(started_on__lt=day) if at_start else Q(started_on__lte=day)
    return rows.filter(started).filter(OPEN | Q(ended_on__gte=day))


def care_members(year: int) -> Measure:
    """Members of day-care institutions today (a stock: its monthly series is the figure at
    each month's last refresh, 月末数), by the member's community."""
    rows = _members(Enrolment.objects.standing().filter(day_care=True), timezone.localdate(), at_start=False)
    return Measure(rows=rows, area="area_code", month=None, value=Count("person", distinct=True))


def care_members_on(day: datetime.date) -> Measure:
    """Members at the start of `day` (a month-end figure of a month no refresh ran in)."""
    rows = _members(Enrolment.objects.standing().filter(day_care=True), day, at_start=True)
    return Measure(rows=rows, area="area_code", month=None, value=Count("person", distinct=True))


def care_attendance_days(year: int) -> Measure:
    """Days members attended (出勤人天), by the month of the day."""
    rows = Attendance.objects.filter(in_year("day", year), present=True)
    return Measure(rows=rows, area="area_code", month="day", value=Count("pk"))


def care_attendance_rate(year: int) -> Measure:
    """Present days over member-days on which the institution was open (the view
    `MemberDay`): the days before today, a day not taken counting as not attended, and
    today once taken."""
    today = timezone.localdate()
    rows = MemberDay.objects.filter(in_year("day", year)).filter(Q(day__lt=today) | Q(day=today, present__isnull=False))
    return Measure(
        rows=rows, area="area_code", month="day", value=Count("day", filter=Q(present=True)), base=Count("day")
    )


def record_years() -> set[int]:
    first = Enrolment.objects.standing().aggregate(first=Min("started_on"))["first"]
    return set(range(first.year, timezone.localdate().year + 1)) if first else set()


def seed(stdout, options: dict) -> None:
    call_command("seed_care", seed=options["seed"], stdout=stdout)
    call_command("seed_care_cases", seed=options["seed"], stdout=stdout)


# Scope test: an institution in each town, each with its town's person as a member --------


def scope_world(world) -> None:
    """The centre staff user works at a 白沙 centre whose member is the home person; 荷塘
    has a centre whose member is the other person. Each town also has a full centre with
    its person offered a place on its waiting list."""
    from care.services.membership import enrolment_apply

    admin = world.users["admin"]
    start = timezone.localdate() - datetime.timedelta(days=30)
    made = {}
    for key, area, person in (("home", "baisha", world.person), ("other", "hetang", world.other_person)):
        centre = Institution.objects.create(
            code=f"WALK-{key}",
            name=f"范围测试{key}康园中心",
            kind=InstitutionKind.CENTRE,
            area=world.areas[area],
            capacity=5,
        )
        centre.open_days = 0b1111111
        centre.save()
        enrolment = enrolment_apply(user=admin, institution=centre, person=person, started_on=start)
        full = Institution.objects.create(
            code=f"WALK-{key}-full",
            name=f"范围测试{key}满员中心",
            kind=InstitutionKind.CENTRE,
            area=world.areas[area],
            capacity=1,
        )
        entry = WaitingEntry.objects.create(
            person=person,
            institution=full,
            area_code=person.area_id,
            applied_on=start,
            state=WaitingEntry.State.OFFERED,
            offered_on=start,
            recorded_by=admin,
        )
        made[key] = SimpleNamespace(centre=centre, enrolment=enrolment, entry=entry)
    made["home"].centre.staff.add(world.users["centre"])
    world.care = SimpleNamespace(**made)
    cases.scope_world(world)

    places.scope_world(world)


def care_timeline(person, user):
    yield from timeline(person, user)
    yield from timeline_places(person, user)


def _urls(name: str, of):
    return lambda world: tuple(reverse(name, args=[of(getattr(world.care, key))]) for key in ("home", "other"))


def _centres(name: str):
    return _urls(name, lambda made: made.centre.pk)


def _persons(name: str):
    return lambda world: tuple(reverse(name, args=[p.pk]) for p in (world.person, world.other_person))


def _written() -> int:
    return (
        Enrolment.objects.count()
        + Enrolment.objects.exclude(ended_on=None).count()
        + Enrolment.objects.exclude(voided_at=None).count()
        + WaitingEntry.objects.exclude(state=WaitingEntry.State.OFFERED).count()
        + WaitingEntry.objects.count()
        + Attendance.objects.count()
        + AttendanceChange.objects.count()
    )


def _post(permission: str, name: str, made: str, **data) -> ScopedUrl:
    """A POST-only URL of the home and the other town's enrolment or waiting entry
    (`made`), with its form's `data`; TODAY is today's date when the walk posts."""

    def posted(world) -> dict:
        return {k: f"{timezone.localdate():%Y-%m-%d}" if v is TODAY else v for k, v in data.items()}

    return ScopedUrl.post(
        permission, _urls(name, lambda world_made: getattr(world_made, made).pk), data=posted, written=_written
    )


def map_places(user) -> list[Place]:
    """The active institutions in the user's scope, for the district's map."""
    kinds = dict(InstitutionKind.choices)
    rows = Institution.objects.visible_to(user).filter(is_active=True).values_list("name", "kind", "area_id")
    return [Place(name, kinds.get(kind, kind), area) for name, kind, area in rows]


TODAY = object()
PERSONAL = "registry.view_personal_data"

declaration = AppDeclaration(
    nav=(
        NavEntry("care:institution_list", "康园中心", "care.view_institution", 92, group="托养服务"),
        NavEntry("care:member_list", "会员名单", ("care.view_enrolment", PERSONAL), 94, group="托养服务"),
        NavEntry("care:attendance_start", "每日考勤", "care.add_attendance", 96, group="托养服务"),
        *places.NAV,
        *cases.NAV,
    ),
    role_permissions={
        Role.DISTRICT_ADMIN: (
            *READ,
            *ATTENDANCE_READ,
            *ATTENDANCE_WRITE,
            *MEMBERSHIP_WRITE,
            *INSTITUTIONS_WRITE,
            *places.ROLE_PERMISSIONS[Role.DISTRICT_ADMIN],
            *cases.ROLE_PERMISSIONS[Role.DISTRICT_ADMIN],
        ),
        Role.DISTRICT_REVIEWER: (
            *READ,
            *ATTENDANCE_READ,
            *places.ROLE_PERMISSIONS[Role.DISTRICT_REVIEWER],
            *cases.ROLE_PERMISSIONS[Role.DISTRICT_REVIEWER],
        ),
        Role.TOWN_OFFICER: (
            *READ,
            *ATTENDANCE_READ,
            *MEMBERSHIP_WRITE,
            *places.ROLE_PERMISSIONS[Role.TOWN_OFFICER],
            *cases.ROLE_PERMISSIONS[Role.TOWN_OFFICER],
        ),
        # Their institutions' members (care.scoping): the daily attendance is theirs to take.
        Role.CENTRE_STAFF: (
            *READ,
            *ATTENDANCE_READ,
            *ATTENDANCE_WRITE,
            *places.ROLE_PERMISSIONS[Role.CENTRE_STAFF],
            *cases.ROLE_PERMISSIONS[Role.CENTRE_STAFF],
        ),
        # The institutions and their counts only: never a member's name.
        Role.LEADER: ("care.view_institution", *places.ROLE_PERMISSIONS[Role.LEADER]),
    },
    panels=(PersonPanel("care/_person_care.html", person_care, 40), *places.PANELS, cases.PANEL),
    timeline=cases.with_cases(care_timeline),
    timeline_kinds={
        "care_enrolment": "托养服务",
        "care_attendance": "考勤",
        **places.TIMELINE_KINDS,
        **cases.TIMELINE_KINDS,
    },
    indicators=(
        Indicator(
            "care_members",
            "康园中心等日间照料机构在册会员",
            Unit.PERSONS,
            "care",
            care_members,
            "社区康园中心、大龄心智障碍日间托养机构和庇护工场的在册会员（各月为月末人数）",
            measure_on=care_members_on,
            incremental=True,
            institution="institution",
        ),
        Indicator(
            "care_attendance_days",
            "日间照料出勤人天",
            PERSON_DAYS,
            "care",
            care_attendance_days,
            "会员出勤的天数之和（一人出勤一天为 1 人天）",
            incremental=True,
            institution="institution",
        ),
        Indicator(
            "care_attendance_rate",
            "日间照料出勤率",
            Unit.SHARE,
            "care",
            care_attendance_rate,
            "出勤人天 ÷ 机构开放日的在册人天（未登记考勤的开放日计为未出勤）",
            institution="institution",
        ),
        *places.INDICATORS,
        *cases.INDICATORS,
    ),
    demo=DemoStep(run=seed, order=40, after=("registry",)),
    scope_world=scope_world,
    urls={
        "care:institution_list": ScopedUrl("care.view_institution"),
        "care:member_list": ScopedUrl(("care.view_enrolment", PERSONAL)),
        "care:attendance_start": ScopedUrl("care.add_attendance"),
        "care:institution_detail": ScopedUrl(
            ("care.view_institution", "care.view_enrolment", PERSONAL), _centres("care:institution_detail")
        ),
        "care:attendance_day": ScopedUrl("care.view_attendance", _centres("care:attendance_day")),
        "care:attendance_month": ScopedUrl(("care.view_attendance", PERSONAL), _centres("care:attendance_month")),
        "care:attendance_export": ScopedUrl(("care.export_attendance", PERSONAL), _centres("care:attendance_export")),
        "care:enrol": ScopedUrl.post("care.add_enrolment", _persons("care:enrol"), written=_written),
        "care:enrolment_end": _post(
            "care.change_enrolment", "care:enrolment_end", "enrolment", ended_on=TODAY, reason="other"
        ),
        "care:enrolment_void": _post("care.void_enrolment", "care:enrolment_void", "enrolment", reason="范围测试"),
        "care:waiting_accept": _post("care.add_enrolment", "care:waiting_accept", "entry", started_on=TODAY),
        "care:waiting_withdraw": _post("care.change_waitingentry", "care:waiting_withdraw", "entry", reason="范围测试"),
        **places.URLS,
        **import_scoped_urls(InstitutionImporter, "care:institutions_import"),
        **import_scoped_urls(AttendanceImporter, "care:attendance_import"),
        **cases.URLS,
    },
    # The member-day view and the day's save, on the demo's database too.
    sqlite_tests=("tests/test_indicators.py", "tests/test_attendance_save.py", "tests/test_worklist_care.py"),
    record_years=record_years,
    worklist=cases.WORKLIST,
    places=map_places,
)
