"""The demo's change requests: pending, approved and rejected ones in two towns, made and
decided through the services, and not made twice."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from registry.demo_changes import PLAN, seed_change_requests
from registry.models import ChangeRequest

pytestmark = pytest.mark.django_db


def test_the_demo_has_pending_and_decided_requests_in_two_towns(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--persons", "150", "--seed", "1", stdout=StringIO())
    seed_change_requests(StringIO())
    states = Counter(ChangeRequest.objects.values_list("state", flat=True))
    pending = sum(1 for *_, decision in PLAN if decision is None)
    assert states[ChangeRequest.State.PENDING] == 2 * pending
    assert states[ChangeRequest.State.APPROVED] == 4 and states[ChangeRequest.State.REJECTED] == 2
    assert len({r.person.area_id[:9] for r in ChangeRequest.objects.select_related("person")}) >= 2
    out = StringIO()
    seed_change_requests(out)
    assert "未重复生成" in out.getvalue() and ChangeRequest.objects.count() == 12
