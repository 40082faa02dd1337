"""Reading employment records. Every read of a person record starts at `visible_to(user)`
(the platform's scope: the record's `area_code`, and any provider's grant); the network,
the courses and the employers are the district's and read by every permitted user, who
sees only counts of other towns' persons."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404
from django.utils import timezone

from areas.models import Area, Level
from benefits.models import PaymentMonth, PayrollBatch
from benefits.months import add_months, month_start
from canlian.scoping import user_area_prefix
from employment.models import (
    EMPLOYED,
    Assessment,
    Course,
    CourseEnrolment,
    Employer,
    EmploymentEvent,
    EmploymentStatus,
    JobPlacement,
    Milestone,
    PartnerDevice,
    PartnerPlacement,
    QuotaEmployment,
    ServicePoint,
    StartupFollowUp,
    StartupState,
    StartupSupport,
)
from employment.models import (
    Level as PointLevel,
)
from registry.models import Person, Status

TOWN_DIGITS = 9
WORKING_AGE = (16, 59)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# The network --------------------------------------------------------------------------


def network() -> dict:
    """The hub, its platforms and the service points (by town), each with its services."""
    points = list(ServicePoint.objects.filter(is_active=True).select_related("area").order_by("order", "code"))
    return {
        "hubs": [p for p in points if p.level == PointLevel.HUB],
        "platforms": [p for p in points if p.level == PointLevel.PLATFORM],
        "points": sorted(
            (p for p in points if p.level == PointLevel.POINT), key=lambda p: (p.area_id or "", p.setting, p.code)
        ),
    }


def active_points() -> QuerySet:
    return ServicePoint.objects.filter(is_active=True).order_by("order", "code")


def point_counts() -> dict[int, int]:
    """Records delivered at each place (status events, assessments, enrolments' courses,
    start-up supports and placements): counts only, no person."""
    counts: dict[int, int] = {}
    for model in (EmploymentEvent, Assessment, StartupSupport, JobPlacement):
        for row in model.objects.standing().values("point").annotate(n=Count("pk")).order_by():
            counts[row["point"]] = counts.get(row["point"], 0) + row["n"]
    for row in CourseEnrolment.objects.standing().values("course__point").annotate(n=Count("pk")).order_by():
        counts[row["course__point"]] = counts.get(row["course__point"], 0) + row["n"]
    return counts


# Status ---------------------------------------------------------------------------------


def status_on(day: datetime.date, person: str = "pk"):
    """A person's employment status on `day` (the latest standing event on or before it),
    as a subquery correlated to `person`; None when none is recorded."""
    latest = (
        EmploymentEvent.objects.standing()
        .filter(person=OuterRef(person), changed_on__lte=day)
        .order_by("-changed_on", "-id")
        .values("status")[:1]
    )
    return Subquery(latest)


def working_age(queryset: QuerySet, day: datetime.date) -> QuerySet:
    """Persons aged 16 to 59 on `day`."""
    low, high = WORKING_AGE
    return queryset.filter(birth_date__lte=_years_before(day, low), birth_date__gt=_years_before(day, high + 1))


def working_age_status(day: datetime.date, queryset: QuerySet | None = None) -> QuerySet:
    """Active persons of working age on `day`, each with `employment_status` on that day.
    The registry's state is read back from its events (as the certified-persons figure's
    month-ends are), so a past month counts who was active then."""
    from benefits.rules import persons_as_of

    rows = persons_as_of(day, queryset).filter(st_status=Status.ACTIVE)
    return working_age(rows, day).annotate(employment_status=status_on(day))


@dataclass
class ShareRow:
    code: str
    name: str
    persons: int
    recorded: int
    employed: int

    @property
    def share(self):
        return round(self.employed * 100 / self.persons, 1) if self.persons else None


def employed_share(user, month: datetime.date) -> tuple[list[ShareRow], ShareRow, datetime.date]:
    """The employed share of working-age persons in the user's scope, per town, as of the
    month's last day (today for the current month): persons, those with a status recorded,
    and those employed (就业, 自主创业/灵活就业, 辅助性就业)."""
    today = timezone.localdate()
    day = min(add_months(month_start(month), 1) - datetime.timedelta(days=1), today)
    # The state at the end of `day`: read as at the start of the next day.
    rows = working_age_status(day + datetime.timedelta(days=1), Person.objects.visible_to(user))
    grouped = (
        rows.annotate(town=Substr("area_id", 1, TOWN_DIGITS))
        .values("town")
        .annotate(
            persons=Count("pk"),
            recorded=Count("pk", filter=Q(employment_status__isnull=False)),
            employed=Count("pk", filter=Q(employment_status__in=EMPLOYED)),
        )
        .order_by("town")
    )
    names = {a.code[:TOWN_DIGITS]: a.name for a in Area.objects.filter(level=Level.TOWN)}
    towns = [
        ShareRow(r["town"], names.get(r["town"], r["town"]), r["persons"], r["recorded"], r["employed"])
        for r in grouped
    ]
    total = ShareRow(
        "", "合计", sum(t.persons for t in towns), sum(t.recorded for t in towns), sum(t.employed for t in towns)
    )
    return towns, total, day


def status_counts(user, day: datetime.date) -> list[tuple[str, int]]:
    """Working-age persons of the user's scope by their employment status on `day`."""
    rows = working_age_status(day, Person.objects.visible_to(user))
    counts = {
        r["employment_status"]: r["n"] for r in rows.values("employment_status").annotate(n=Count("pk")).order_by()
    }
    return [(label, counts.get(value, 0)) for value, label in EmploymentStatus.choices] + [
        ("未登记", counts.get(None, 0))
    ]


# A person's records -------------------------------------------------------------------


def person_records(user, person) -> dict:
    """The person's employment records for the person page (the person is in the user's
    scope): each list read once, with its place."""
    prefix = user_area_prefix(user)
    own = prefix is not None and person.area_id.startswith(prefix)

    def rows(queryset):
        return queryset if own else queryset.visible_to(user)

    return {
        "events": list(rows(person.employment_events.standing()).select_related("point")),
        "assessments": list(rows(person.employment_assessments.standing()).select_related("point")),
        "enrolments": list(rows(person.course_enrolments.standing()).select_related("course", "course__point")),
        "startups": list(rows(person.startup_supports.standing()).select_related("point")),
        "placements": list(rows(person.job_placements.standing()).select_related("employer", "point")),
    }


def current_status(person) -> EmploymentEvent | None:
    today = timezone.localdate()
    return (
        person.employment_events.standing()
        .filter(changed_on__lte=today)
        .order_by("-changed_on", "-id")
        .select_related("point")
        .first()
    )


# Courses ------------------------------------------------------------------------------


def courses(year: int | None = None) -> QuerySet:
    rows = Course.objects.select_related("point").annotate(
        enrolled=Count("enrolments", filter=Q(enrolments__voided_at__isnull=True)),
        completed=Count(
            "enrolments", filter=Q(enrolments__voided_at__isnull=True, enrolments__completed_on__isnull=False)
        ),
    )
    if year:
        rows = rows.filter(starts_on__year=year)
    return rows.order_by("-starts_on", "-id")


def course_for_user(user, pk: int) -> Course:
    return get_object_or_404(courses(), pk=pk)


def enrolments_visible_to(user) -> QuerySet:
    return CourseEnrolment.objects.standing().visible_to(user)


@dataclass
class Enrolled:
    rows: list
    hidden: list[tuple[str, int]]


def course_enrolments(user, course: Course) -> Enrolled:
    """The course's enrolments of the user's scope by name, the others as a count per town."""
    mine = list(
        enrolments_visible_to(user)
        .filter(course=course)
        .select_related("person", "person__area", "person__area__parent", "recorded_by")
        .order_by("area_code", "person__name", "pk")
    )
    seen = {e.pk for e in mine}
    others: dict[str, int] = {}
    for row in CourseEnrolment.objects.standing().filter(course=course).values("pk", "area_code"):
        if row["pk"] not in seen:
            town = row["area_code"][:TOWN_DIGITS]
            others[town] = others.get(town, 0) + 1
    names = {a.code[:TOWN_DIGITS]: a.name for a in Area.objects.filter(level=Level.TOWN)}
    return Enrolled(mine, [(names.get(code, code), n) for code, n in sorted(others.items())])


# Start-up support ---------------------------------------------------------------------


def startups_visible_to(user) -> QuerySet:
    return StartupSupport.objects.standing().visible_to(user)


def startup_list(user, *, year: int | None, state: str = "") -> QuerySet:
    rows = startups_visible_to(user).select_related("person", "person__area", "person__area__parent", "point")
    if year:
        rows = rows.filter(applied_on__year=year)
    if state in StartupState.values:
        rows = rows.filter(state=state)
    return rows.order_by("-applied_on", "-id")


def startup_for_user(user, pk: int) -> StartupSupport:
    return get_object_or_404(
        startups_visible_to(user).select_related("person", "person__area", "point", "reviewed_by", "recorded_by"), pk=pk
    )


def startup_payment(support: StartupSupport) -> str:
    """How far the grant has got: 待审核, 待发放 (in no batch), 已编入草稿批次, 已发放."""
    if support.state != StartupState.APPROVED or support.award_id is None:
        return support.get_state_display()
    line = PaymentMonth.objects.filter(award_id=support.award_id).select_related("batch").first()
    if line is None:
        return "已批准，待编入发放批次"
    if line.batch.state == PayrollBatch.State.DRAFT:
        return f"已编入 {line.batch.month:%Y-%m} 发放批次（草稿）"
    return f"已于 {line.batch.month:%Y-%m} 批次发放 {line.amount_fen / 100:.2f} 元"


def followups_of(support: StartupSupport) -> dict[int, StartupFollowUp]:
    return {f.milestone: f for f in support.followups.standing()}


def followups_due(user, milestone: int, today: datetime.date, *, days: int, notice: int) -> QuerySet:
    """Approved supports of the user's scope whose follow-up at `milestone` months is not
    recorded and falls due within `notice` days (or is overdue)."""
    done = StartupFollowUp.objects.standing().filter(support=OuterRef("pk"), milestone=milestone)
    latest = today - datetime.timedelta(days=days - notice)
    return startups_visible_to(user).filter(state=StartupState.APPROVED, reviewed_on__lte=latest).filter(~Exists(done))


# Employers and placements -------------------------------------------------------------


def employers() -> QuerySet:
    return Employer.objects.select_related("area").annotate(
        working=Count(
            "placements",
            filter=Q(placements__voided_at__isnull=True, placements__ended_on__isnull=True),
        )
    )


def placements_visible_to(user) -> QuerySet:
    return JobPlacement.objects.standing().visible_to(user)


def placement_list(user, *, year: int | None = None, employer: Employer | None = None) -> QuerySet:
    rows = placements_visible_to(user).select_related(
        "person", "person__area", "person__area__parent", "employer", "point"
    )
    if year:
        rows = rows.filter(started_on__year=year)
    if employer is not None:
        rows = rows.filter(employer=employer)
    return rows.order_by("-started_on", "-id")


def employer_placement_counts(employer: Employer) -> dict:
    """The employer's placements of every town, counts only."""
    rows = JobPlacement.objects.standing().filter(employer=employer)
    return {"total": rows.count(), "working": rows.filter(ended_on__isnull=True).count()}


def quota_rows(employer: Employer) -> list[QuotaEmployment]:
    from employment.services import quota_required

    rows = list(employer.quotas.order_by("-year"))
    for row in rows:
        row.required = quota_required(row.staff)
        row.met = row.disabled_employed >= row.required
    return rows


# Partner county -----------------------------------------------------------------------


def partner_years() -> list[int]:
    years = {d.year for d in PartnerPlacement.objects.dates("started_on", "year")}
    years |= {d.year for d in PartnerDevice.objects.dates("sent_on", "year")}
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def partner_totals() -> list[dict]:
    """Per year: persons placed (distinct ID numbers), devices sent (pieces) and recipients."""
    placed = {
        r["year"]: r["n"]
        for r in PartnerPlacement.objects.annotate(year=F("started_on__year"))
        .values("year")
        .annotate(n=Count("id_number", distinct=True))
        .order_by()
    }
    devices = {
        r["year"]: (r["pieces"], r["persons"])
        for r in PartnerDevice.objects.annotate(year=F("sent_on__year"))
        .values("year")
        .annotate(pieces=Sum("quantity"), persons=Count("id_number", distinct=True))
        .order_by()
    }
    years = sorted(set(placed) | set(devices), reverse=True)
    return [
        {
            "year": y,
            "placed": placed.get(y, 0),
            "pieces": devices.get(y, (0, 0))[0],
            "recipients": devices.get(y, (0, 0))[1],
        }
        for y in years
    ]


# Figures ------------------------------------------------------------------------------


def trained(rows: QuerySet, year: int) -> QuerySet:
    """Enrolments of free courses completed in `year`."""
    return rows.filter(course__free=True, completed_on__year=year)


def supported(rows: QuerySet, year: int) -> QuerySet:
    """Start-up supports approved in `year`."""
    return rows.filter(state=StartupState.APPROVED, reviewed_on__year=year)


def figures(user, year: int) -> dict:
    """The year's figures of the user's scope (counts only)."""
    enrolments = CourseEnrolment.objects.standing().visible_to(user)
    supports = StartupSupport.objects.standing().visible_to(user)
    placements = JobPlacement.objects.standing().visible_to(user)
    return {
        "trained": trained(enrolments, year).values("person").distinct().count(),
        "enrolled": enrolments.filter(course__starts_on__year=year).count(),
        "households": supported(supports, year).values("head_id_number").distinct().count(),
        "granted_fen": sum(supported(supports, year).values_list("amount_fen", flat=True)),
        "placed": placements.filter(started_on__year=year).values("person").distinct().count(),
        "assessed": Assessment.objects.standing().visible_to(user).filter(assessed_on__year=year).count(),
        "milestones": Milestone.choices,
    }


def record_years() -> list[int]:
    today = timezone.localdate()
    first = Course.objects.order_by("starts_on").values_list("starts_on", flat=True).first()
    start = min(first.year if first else today.year, today.year)
    return list(range(today.year, start - 1, -1))
