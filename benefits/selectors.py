"""Reading benefits: who is eligible in a month, and the two review lists."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from benefits.models import Award, Rate, Scheme
from benefits.rules import persons_as_of, scheme_filter
from registry.models import Person


def rate_for(scheme: Scheme, month: datetime.date, variant: str = "") -> Rate | None:
    return scheme.rates.filter(variant=variant, valid_from__lte=month).order_by("-valid_from").first()


def eligible_persons(scheme: Scheme, month: datetime.date, queryset: QuerySet | None = None) -> QuerySet:
    """Persons for whom the scheme's rule holds on the first day of `month`."""
    return persons_as_of(month, queryset).filter(scheme_filter(scheme, month))


def awards_active_in(scheme: Scheme, month: datetime.date) -> QuerySet:
    return Award.objects.filter(scheme=scheme, start_month__lte=month).filter(
        Q(end_month__isnull=True) | Q(end_month__gte=month)
    )


def eligible_not_receiving(scheme: Scheme, month: datetime.date, queryset: QuerySet | None = None) -> QuerySet:
    """应享未享: eligible in `month` but no award covering it."""
    active = awards_active_in(scheme, month).filter(person=OuterRef("pk"))
    return eligible_persons(scheme, month, queryset).filter(~Exists(active))


def receiving_not_eligible(scheme: Scheme, month: datetime.date, queryset: QuerySet | None = None) -> QuerySet:
    """不应享而享: an award covering `month` but not eligible in it. Annotated persons, so
    `benefits.rules.ineligibility_reasons` can say why."""
    queryset = Person.objects.all() if queryset is None else queryset
    active = awards_active_in(scheme, month).filter(person=OuterRef("pk"))
    eligible_ids = eligible_persons(scheme, month).values("pk")
    return persons_as_of(month, queryset.filter(Exists(active))).exclude(pk__in=eligible_ids)
