"""The demo's reopening checks, drills and placements (seed_care): every institution has a
checklist and all but one may reopen; drills name members of their centre; about 20
placements of grade 1–2 persons, those with an award paid by the payroll and the others
listed as 应享未享."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from accounts.roles import Role
from benefits.models import Scheme
from benefits.selectors import eligible_not_receiving
from care import selectors_places
from care.models import Drill, Enrolment, Institution, InstitutionKind, Placement

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", "--persons", "3000", stdout=StringIO())
    out = StringIO()
    call_command("seed_care", stdout=out)
    return out.getvalue()


def test_the_demo_has_checks_drills_and_placements(seeded):
    assert "托养安置" in seeded
    admin = User.objects.filter(role=Role.DISTRICT_ADMIN).first()
    states = [selectors_places.state_label(i) for i in selectors_places.institution_states(admin)]
    assert len(states) == Institution.objects.count()
    assert states.count(selectors_places.NOT_READY) == 1
    assert states.count(selectors_places.READY) == len(states) - 1
    for drill in Drill.objects.prefetch_related("members"):
        members = set(Enrolment.objects.filter(institution=drill.institution_id).values_list("person_id", flat=True))
        assert drill.members.exists() and {p.pk for p in drill.members.all()} <= members
    placements = Placement.objects.select_related("person", "institution")
    assert 15 <= placements.count() <= 20
    assert all(p.person.grade in (1, 2) for p in placements)
    assert all(p.institution.kind == InstitutionKind.BOARDING for p in placements if p.kind == "boarding")
    scheme = Scheme.objects.get(code="care_placement")
    month = datetime.date.today().replace(day=1)
    missing = set(eligible_not_receiving(scheme, month).values_list("pk", flat=True))
    # Placed in the month (the rule's reading): standing, or ended within the month.
    current = {p.person_id for p in placements if p.ended_on is None or p.ended_on >= month}
    assert missing and missing <= current
    assert scheme.awards.exists()
