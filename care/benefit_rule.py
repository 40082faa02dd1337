"""The rule of the boarding and home care subsidy (托养补贴, scheme `care_placement`):
grade 1–2 and a standing placement of either kind active on some day of the month.

Registered in `benefits.rules.RULES` by the same decorator as the other rules (imported
from `CareConfig.ready`), so the payroll, the eligibility lists (应享未享, 不应享而享) and
their counts read it as one more filter over persons: an `EXISTS` on the person's
placements, as the fuel subsidy's rule is one on the person's vehicles."""

import calendar
import datetime

from django.db.models import Exists, OuterRef, Q

from benefits.rules import State, rule
from care.models.places import SEVERE_GRADES


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def placed_in_month(person_ref, day: datetime.date):
    """Standing placements of the person (`person_ref`) active on a day of `day`'s month."""
    from care.models import Placement

    first = day.replace(day=1)
    return (
        Placement.objects.standing()
        .filter(person=person_ref, started_on__lte=month_end(day))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
    )


@rule("care_placement", "寄宿型托养和居家养护：一、二级且当月有托养安置")
def care_placement(params: dict, day: datetime.date, state: State) -> Q:
    grades = params.get("grades", list(SEVERE_GRADES))
    return state.isin("grade", grades) & Q(Exists(placed_in_month(OuterRef(state.person_ref), day)))
