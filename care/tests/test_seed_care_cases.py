"""The demo's cases and watches (seed_care_cases, after seed_care): cases with follow-ups,
some overdue with high-risk ones among them, each follow-up inside its case's days; watches
for eligible members only, one active each; and it runs once."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from accounts.models import User
from accounts.roles import Role
from care.models import CareCase, CaseFollowUp, WatchIssue
from care.selectors_cases import eligible_without_watch
from registry.models import Person

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def seeded():
    call_command("seed_demo", "--persons", "1200", stdout=StringIO())
    call_command("seed_care", stdout=StringIO())
    out = StringIO()
    call_command("seed_care_cases", stdout=out)
    return out.getvalue()


def test_cases_with_follow_ups_some_overdue_and_watches(seeded):
    cases = CareCase.objects.standing()
    overdue = cases.filter(closed_on=None, next_due__lt=TODAY)
    assert cases.count() >= 20 and CaseFollowUp.objects.count() > cases.count()
    assert 0 < overdue.count() < cases.count() and overdue.filter(risk="high").exists()
    assert f"{cases.count()} 个个案（{overdue.count()} 个逾期随访）" in seeded
    assert not CaseFollowUp.objects.filter(followed_on__lt=F("case__opened_on")).exists()
    assert not CaseFollowUp.objects.filter(followed_on__gt=TODAY).exists()
    assert (
        not cases.exclude(closed_on=None)
        .filter(next_due__lt=F("closed_on"))
        .filter(follow_ups__followed_on__gt=F("closed_on"))
        .exists()
    )
    watches = WatchIssue.objects.standing()
    assert watches.count() > 10
    assert set(Person.objects.filter(care_watches__in=watches).values_list("category", flat=True)) <= {5, 6}
    assert eligible_without_watch(
        User.objects.filter(role=Role.DISTRICT_ADMIN).first(), TODAY
    ).exists()  # the list has someone to show
    call_command("seed_care_cases", stdout=StringIO())
    assert CareCase.objects.count() == cases.count()
