"""The demo's child rehabilitation assistance (seed_children): about 40 children, some of
them uncertified, applications in every state, every amount within its cap and approval,
and it runs once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from rehab.models import Child, ChildApplication, ChildAssessment, ChildRehabRecord, ChildRehabStandard
from rehab.services_children import year_used_fen

pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    call_command("seed_children", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded():
    call_command("seed_demo", "--persons", "600", stdout=StringIO())
    call_command("seed_rehab", stdout=StringIO())
    return run()


def test_the_demo_children_and_their_applications_keep_every_rule(seeded):
    assert "名儿童" in seeded
    children = list(Child.objects.all())
    linked = [c for c in children if c.person_id]
    assert len(children) == 40 and 5 <= len(linked) <= 15
    assert all(c.person.id_number == c.id_number for c in linked)
    assert any(c.birth_certificate and not c.id_number for c in children)
    states = set(ChildApplication.objects.values_list("state", flat=True))
    assert states == set(ChildApplication.State.values)
    assert ChildAssessment.objects.filter(has_need=True).exists()
    standards = {(s.year, s.kind): s for s in ChildRehabStandard.objects.all()}
    for application in ChildApplication.objects.select_related("child"):
        standard = standards[application.year, application.kind]
        assert application.child.age_on(application.applied_on) <= standard.max_age
        assert year_used_fen(application.child, application.kind, application.year) <= standard.cap_fen
        assert application.area_code == application.child.area_id
        spent = application.records.filter(voided_at=None).aggregate(total=Sum("amount_fen"))["total"] or 0
        if application.approved_fen is not None:
            assert spent <= application.approved_fen
        if application.state == ChildApplication.State.CLOSED:
            assert application.settled_fen == spent
    for record in ChildRehabRecord.objects.select_related("application"):
        assert record.served_on >= record.application.placed_on and record.served_on.year == record.year
    assert run().startswith("已有康复救助儿童，未重复生成")
    assert Child.objects.count() == 40
