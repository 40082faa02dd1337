"""Reading benefits: who is eligible in a month, the two review lists, and the
applications and batches waiting for a user's step (the work list)."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from benefits.exports import yuan
from benefits.models import Application, Award, PaymentMonth, PayrollBatch, Rate, Scheme
from benefits.rules import persons_as_of, scheme_filter, scheme_filters
from canlian.scoping import is_district_user
from registry.models import Person


def rate_for(scheme: Scheme, month: datetime.date, variant: str = "") -> Rate | None:
    return scheme.rates.filter(variant=variant, valid_from__lte=month).order_by("-valid_from").first()


def eligible_persons(scheme: Scheme, month: datetime.date, queryset: QuerySet | None = None) -> QuerySet:
    """Persons for whom the scheme's rule holds on the first day of `month`."""
    return persons_as_of(month, queryset).filter(scheme_filter(scheme, month))


def eligible_parts(scheme: Scheme, month: datetime.date, queryset: QuerySet | None = None) -> list[QuerySet]:
    """`eligible_persons` as disjoint querysets whose counts add up: each is counted by an
    index or a parallel scan, which the single query's OR prevents."""
    queryset = Person.objects.all() if queryset is None else queryset
    return [queryset.filter(part) for part in scheme_filters(scheme, month)]


def eligible_count(scheme: Scheme, month: datetime.date, queryset: QuerySet | None = None) -> int:
    return sum(part.count() for part in eligible_parts(scheme, month, queryset))


def awards_active_in(scheme: Scheme, month: datetime.date) -> QuerySet:
    return Award.objects.filter(scheme=scheme, start_month__lte=month).filter(
        Q(end_month__isnull=True) | Q(end_month__gte=month)
    )


def eligible_not_receiving(scheme: Scheme, month: datetime.date, queryset: QuerySet | None = None) -> QuerySet:
    """应享未享: eligible in `month` but no award covering it."""
    return eligible_persons(scheme, month, queryset).filter(~Exists(_active(scheme, month)))


def eligible_not_receiving_parts(scheme: Scheme, month: datetime.date, queryset: QuerySet | None = None):
    """`eligible_not_receiving` as disjoint querysets, for counting (see `eligible_parts`)."""
    return [part.filter(~Exists(_active(scheme, month))) for part in eligible_parts(scheme, month, queryset)]


def _active(scheme: Scheme, month: datetime.date) -> QuerySet:
    return awards_active_in(scheme, month).filter(person=OuterRef("pk"))


def receiving_not_eligible(scheme: Scheme, month: datetime.date, queryset: QuerySet | None = None) -> QuerySet:
    """不应享而享: an award covering `month` but not eligible in it. Annotated persons, so
    `benefits.rules.ineligibility_reasons` can say why."""
    queryset = Person.objects.all() if queryset is None else queryset
    eligible_ids = eligible_persons(scheme, month).values("pk")
    return persons_as_of(month, queryset.filter(Exists(_active(scheme, month)))).exclude(pk__in=eligible_ids)


def paid_lines(scheme_codes: tuple[str, ...], year: int) -> QuerySet:
    """The paid lines of the schemes' batches of the year: what the dashboard's figures of
    money and recipients count, and the grants page's insured persons. The batches (one a
    month) are read first, so a scheme with none paid this year reads no line at all."""
    batches = PayrollBatch.objects.filter(
        month__gte=datetime.date(year, 1, 1), month__lt=datetime.date(year + 1, 1, 1), scheme__code__in=scheme_codes
    )
    paid = list(batches.exclude(state=PayrollBatch.State.DRAFT).values_list("pk", flat=True))
    return PaymentMonth.objects.paid().filter(batch__in=paid)


def insured_count(scheme_code: str, year: int, scope: Q) -> int:
    """参保人数: persons whose premium (or contribution) of `year` an approved batch of the
    scheme paid, inside `scope` (a jurisdiction filter over `area_code`). The dashboard's
    indicator of the insured is the same lines (`paid_lines`)."""
    return paid_lines((scheme_code,), year).filter(scope).values("person_id").distinct().count()


# The work list (canlian.worklist): what waits for the user's step ---------------------------


def applications_for_town_review(user) -> QuerySet:
    """Applications taken at the window and waiting for the town's first review (待初审),
    in the user's scope."""
    return Application.objects.visible_to(user).filter(state=Application.State.SUBMITTED)


def notices_ended(user, today: datetime.date) -> QuerySet:
    """Applications whose public notice (公示) has run its days by `today` and that wait
    for the town to close it: on to the district, or back on an objection."""
    return Application.objects.visible_to(user).filter(state=Application.State.NOTICE, notice_until__lte=today)


def applications_for_decision(user) -> QuerySet:
    """Applications waiting for the district's decision that this user may decide: not one
    they took or reviewed themselves (the services refuse those)."""
    return (
        Application.objects.visible_to(user)
        .filter(state=Application.State.DISTRICT_REVIEW)
        .exclude(submitted_by=user)
        .exclude(town_reviewed_by=user)
    )


def batches_for_approval(user) -> QuerySet:
    """Draft payroll and grant batches, generated, waiting for a reviewer other than the
    one who prepared them. A batch covers the whole district: none for a user whose
    jurisdiction is smaller (the approval refuses them)."""
    if not is_district_user(user):
        return PayrollBatch.objects.none()
    return PayrollBatch.objects.filter(state=PayrollBatch.State.DRAFT, generated_at__isnull=False).exclude(
        prepared_by=user
    )


def awards_overlapping(merged: Person, kept: Person) -> list[str]:
    """The merge rule of the benefits (`AppDeclaration.merge_checks`): two awards of one
    scheme, one of each person, that pay a month in common would, once both name the kept
    person, pay them twice for it. An award ended before its start pays no month."""
    last = datetime.date.max
    conflicts = []
    theirs = list(Award.objects.filter(person=kept).select_related("scheme"))
    for mine in Award.objects.filter(person=merged).select_related("scheme").order_by("scheme", "start_month"):
        mine_end = mine.end_month or last
        for other in theirs:
            other_end = other.end_month or last
            if other.scheme_id != mine.scheme_id or mine_end < mine.start_month or other_end < other.start_month:
                continue
            start, end = max(mine.start_month, other.start_month), min(mine_end, other_end)
            if start <= end:
                until = "至今" if end == last else f"至 {end:%Y年%m月}"
                conflicts.append(
                    f"{mine.scheme.name}：两人的享受记录在 {start:%Y年%m月}{until} 重叠（同一月份不能发放两次）"
                )
    return conflicts


def scoped_totals(user, batches: list[PayrollBatch]) -> None:
    """Set `shown_persons` and `shown_yuan` on each batch: the stored totals for a
    district user, their own jurisdiction's for anyone else (one query for the page)."""
    if is_district_user(user):
        for batch in batches:
            batch.shown_persons, batch.shown_yuan = batch.person_count, yuan(batch.total_fen)
        return
    rows = (
        PaymentMonth.objects.visible_to(user)
        .filter(batch__in=batches)
        .values("batch")
        .annotate(persons=Count("person", distinct=True), total=Sum("amount_fen"))
        .order_by()
    )
    totals = {row["batch"]: (row["persons"], row["total"] or 0) for row in rows}
    for batch in batches:
        persons, total = totals.get(batch.pk, (0, 0))
        batch.shown_persons, batch.shown_yuan = persons, yuan(total)
