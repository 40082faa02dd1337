"""The rule of the start-up grant (创业扶持资金, the one-off scheme `employment_startup`): a
standing, approved start-up support of the person, approved by the end of the month.

Registered in `benefits.rules.RULES` (imported from `EmploymentConfig.ready`) as care's
placement rule is, so the one-off grant batch of benefits (`benefits.grants`) pays each
approved support's award once, in its start month, at the scheme's rate of its variant
(the support's kind); the eligibility lists read it too. The scheme's `period_years` (3
by default) is read by `employment.services.startup` to refuse a second grant to one
household within that period."""

import datetime

from django.db.models import Exists, OuterRef, Q

from benefits.months import add_months, month_start
from benefits.rules import State, rule

SCHEME_CODE = "employment_startup"
PERIOD_YEARS = 3


@rule(SCHEME_CODE, "自主创业及发展生产扶持：当月或之前已批准创业扶持")
def employment_startup(params: dict, day: datetime.date, state: State) -> Q:
    from employment.models import StartupState, StartupSupport

    month_end = add_months(month_start(day), 1) - datetime.timedelta(days=1)
    approved = StartupSupport.objects.standing().filter(
        person=OuterRef(state.person_ref), state=StartupState.APPROVED, reviewed_on__lte=month_end
    )
    return Q(Exists(approved))
