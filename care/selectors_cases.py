"""Reading cases and watches: the overdue follow-ups (riskiest first), per town and per
institution; the watches with each centre's members; the members eligible for a watch
but without one. Every read starts at `visible_to(user)`."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When

from areas.models import Area
from care.models import CareCase, CaseFollowUp, Enrolment, RiskLevel, WatchIssue, WatchRule
from care.models.cases import ACTIVE_WATCH, OPEN_CASE, RISK_RANK
from care.models.membership import OPEN

NO_INSTITUTION = "未在托养机构"
# The work list shows a case's follow-up from this many days before it is due.
DUE_SOON_DAYS = 7


def _current_enrolment(day: datetime.date):
    """The person's day-care membership on `day` (one at a time), for a Subquery."""
    return (
        Enrolment.objects.standing()
        .filter(person=OuterRef("person"), day_care=True, started_on__lte=day)
        .filter(OPEN | Q(ended_on__gte=day))
        .order_by("-started_on")
    )


def with_institution(queryset: QuerySet, day: datetime.date) -> QuerySet:
    """Annotate each row of a person's records with the institution the person attends
    on `day` (`institution_id`, `institution_name`; None when none)."""
    current = _current_enrolment(day)
    return queryset.annotate(
        institution_id=Subquery(current.values("institution_id")[:1]),
        institution_name=Subquery(current.values("institution__name")[:1]),
    )


RISK_ORDER = Case(*(When(risk=r, then=Value(n)) for r, n in RISK_RANK.items()), output_field=IntegerField())


def cases_visible_to(user) -> QuerySet:
    return CareCase.objects.standing().visible_to(user)


def open_cases(user, day: datetime.date) -> QuerySet:
    rows = cases_visible_to(user).filter(OPEN_CASE).select_related("person", "keyworker")
    return with_institution(rows, day).annotate(risk_order=RISK_ORDER)


def overdue_cases(user, day: datetime.date, *, town: str = "", institution: int | None = None) -> QuerySet:
    """Open cases whose next follow-up was due before `day`: high risk first, then the
    longest overdue."""
    rows = open_cases(user, day).filter(next_due__lt=day)
    if town:
        rows = rows.filter(area_code__startswith=town)
    if institution is not None:
        rows = rows.filter(institution_id=institution)
    return rows.order_by("risk_order", "next_due", "pk")


def follow_ups_due(user, until: datetime.date, *, high: bool) -> QuerySet:
    """The work list's open cases (of the user's scope: a town's, or a centre's members')
    whose next follow-up is due by `until`: the high-risk ones, or the others. The filter
    is the overdue list's partial index on the due day."""
    rows = cases_visible_to(user).filter(OPEN_CASE, next_due__lte=until)
    return rows.filter(risk=RiskLevel.HIGH) if high else rows.exclude(risk=RiskLevel.HIGH)


@dataclass
class OverdueGroup:
    key: str
    label: str
    high: int
    total: int


def overdue_by(rows, key, labels: dict) -> list[OverdueGroup]:
    """Counts of the overdue `rows` per `key(row)` (the town or the institution), with
    their high-risk ones; the groups with most high-risk cases first. The overdue list is
    short (hundreds at most): counted as it is read."""
    counts: dict = {}
    for row in rows:
        group = counts.setdefault(key(row), [0, 0])
        group[0] += row.risk == RiskLevel.HIGH
        group[1] += 1
    groups = [OverdueGroup(str(k or ""), labels.get(k, NO_INSTITUTION), h, t) for k, (h, t) in counts.items()]
    return sorted(groups, key=lambda g: (-g.high, -g.total, g.label))


def town_of(row) -> str:
    """The 12-digit code of the town of a row's community."""
    return row.area_code[:9] + "000"


def town_names() -> dict[str, str]:
    return dict(Area.objects.towns().values_list("code", "name"))


def person_cases(user, person) -> list[CareCase]:
    """The person's standing cases, each with its standing follow-ups
    (`standing_follow_ups`, newest first): a voided one counts nowhere."""
    standing = Prefetch(
        "follow_ups", CaseFollowUp.objects.filter(voided_at__isnull=True), to_attr="standing_follow_ups"
    )
    return list(cases_visible_to(user).filter(person=person).select_related("keyworker").prefetch_related(standing))


# Watches ---------------------------------------------------------------------------------


def watches_visible_to(user) -> QuerySet:
    return WatchIssue.objects.standing().visible_to(user)


def active_watches(user, day: datetime.date) -> QuerySet:
    """The watches with members now, with the member's institution, by institution."""
    rows = watches_visible_to(user).filter(ACTIVE_WATCH).select_related("person", "device")
    return with_institution(rows, day).order_by("institution_name", "person__name", "pk")


def eligible_without_watch(user, day: datetime.date) -> QuerySet:
    """Members on `day` of an institution whose kind has a `WatchRule`, with a disability
    of its categories, who have no active watch: the enrolments, by institution."""
    rules = list(WatchRule.objects.all())
    if not rules:
        return Enrolment.objects.none()
    wanted = Q()
    for rule in rules:
        wanted |= Q(
            institution__kind=rule.kind, **({"person__category__in": rule.categories} if rule.categories else {})
        )
    holders = WatchIssue.objects.standing().filter(ACTIVE_WATCH).values("person_id")
    return (
        Enrolment.objects.standing()
        .visible_to(user)
        .filter(started_on__lte=day)
        .filter(OPEN | Q(ended_on__gte=day))
        .filter(wanted)
        .exclude(person_id__in=holders)
        .select_related("person", "institution")
        .order_by("institution__code", "person__name", "pk")
    )


def person_watches(user, person) -> list[WatchIssue]:
    return list(watches_visible_to(user).filter(person=person).select_related("device"))
