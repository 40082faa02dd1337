"""The demo's care (seed_care): the 18 centres, three per town, each with its staff user;
members whom the admission rule admits, one day-care centre each, within capacity; six
months of attendance on open days only; the logins printed; and it runs once."""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from accounts.models import User
from accounts.roles import Role
from areas.demo_data import TOWNS
from care.models import AdmissionRule, Attendance, Enrolment, Institution, InstitutionKind, WaitingEntry
from care.rules import admission_refusals
from conftest import kept_for_the_class

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def run() -> str:
    out = StringIO()
    call_command("seed_care", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """The demo's registry and care, made once for the tests of `TestTheSeededCare`."""
    with kept_for_the_class(django_db_blocker):
        call_command("seed_demo", "--persons", "3000", stdout=StringIO())
        yield run()


class TestTheSeededCare:
    def test_eighteen_centres_three_per_town_each_with_its_staff(self, seeded):
        centres = Institution.objects.filter(kind=InstitutionKind.CENTRE)
        assert centres.count() == 18
        assert Counter(c.area_id for c in centres) == {t.code: 3 for t in TOWNS}
        for centre in centres.prefetch_related("staff"):
            staff = [u for u in centre.staff.all() if u.username.startswith("ky")]
            assert len(staff) == 1 and staff[0].role == Role.CENTRE_STAFF and staff[0].area_id == centre.area_id
        assert Institution.objects.get(code="KY0101").staff.filter(username="centre").exists()
        assert Institution.objects.filter(kind=InstitutionKind.WORKSHOP, name="蓬江区伍威权庇护工场").exists()
        # The logins, with the demo password.
        assert "密码均为 canlian2026" in seeded
        for user in User.objects.filter(role=Role.CENTRE_STAFF, username__startswith="ky"):
            assert user.username in seeded and user.has_usable_password()

    def test_members_meet_the_rule_one_centre_each_within_capacity(self, seeded):
        rule = AdmissionRule.objects.get(kind=InstitutionKind.CENTRE)
        enrolments = Enrolment.objects.select_related("person", "institution")
        assert enrolments.filter(ended_on=None).count() >= 300
        for e in enrolments:
            p = e.person
            assert not admission_refusals(
                rule, birth_date=p.birth_date, category=p.category, grade=p.grade, day=e.started_on
            )
            assert e.area_code == p.area_id and e.area_code[:9] == e.institution.area_id[:9]
        assert not Enrolment.objects.values("person").annotate(n=Count("id")).filter(n__gt=1).exists()
        for centre in Institution.objects.filter(kind=InstitutionKind.CENTRE):
            current = centre.enrolments.filter(Q(ended_on=None) | Q(ended_on__gte=TODAY)).count()
            assert current <= centre.capacity
        assert (
            Enrolment.objects.exclude(ended_on=None).exclude(leave_reason="").count()
            == Enrolment.objects.exclude(ended_on=None).count()
        )
        assert WaitingEntry.objects.exists()

    def test_six_months_of_attendance_on_open_days_of_the_membership(self, seeded):
        marks = Attendance.objects.all()
        first = TODAY - datetime.timedelta(days=183)
        assert marks.count() > 30_000
        assert not marks.filter(day__gte=TODAY).exists() and not marks.filter(day__lt=first).exists()
        assert all(m.day.weekday() < 5 for m in marks.only("day").iterator())
        periods = {e.person_id: e for e in Enrolment.objects.all()}
        assert all(periods[m.person_id].is_member_on(m.day) for m in marks.only("person_id", "day").iterator())
        share = marks.filter(present=True).count() / marks.count()
        assert 0.8 < share < 0.97

    def test_a_second_run_adds_nothing(self, seeded):
        before = (Institution.objects.count(), Enrolment.objects.count(), Attendance.objects.count())
        output = run()
        assert "已有托养机构" in output and "kybaisha1" in output
        assert (Institution.objects.count(), Enrolment.objects.count(), Attendance.objects.count()) == before


def test_the_demo_seeds_care_after_the_registry_and_before_the_figures():
    from canlian.declarations import demo_steps

    steps = [label for label, _step in demo_steps()]
    assert steps.index("registry") < steps.index("care") < steps.index("targets")


def test_the_command_needs_the_registry(db):
    with pytest.raises(CommandError, match="请先运行 seed_demo"):
        run()
