"""care 0006: a case's opening risk level (what it falls back to when its follow-ups are
voided) is the level before its first audited change, or its level now when it never
changed."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("care", "0005_cases_watches")]


def _migrate(targets=None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_opening_risk_is_read_back_from_the_audit_log(users, person, other_person):
    today = datetime.date.today()
    try:
        _migrate(BEFORE)
        apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        CareCase = apps.get_model("care", "CareCase")
        ContentType = apps.get_model("contenttypes", "ContentType")
        AuditEntry = apps.get_model("canlian", "AuditEntry")
        fields = {"keyworker_id": users["admin"].pk, "recorded_by_id": users["admin"].pk, "plan": "随访"}
        changed = CareCase.objects.create(
            person_id=person.pk, area_code=person.area_id, risk="low", opened_on=today, next_due=today, **fields
        )
        steady = CareCase.objects.create(
            person_id=other_person.pk,
            area_code=other_person.area_id,
            risk="medium",
            opened_on=today,
            next_due=today,
            **fields,
        )
        case_type, _ = ContentType.objects.get_or_create(app_label="care", model="carecase")
        for before, after in (("high", "medium"), ("medium", "low")):
            AuditEntry.objects.create(
                action="care.case.risk_changed",
                content_type=case_type,
                object_id=str(changed.pk),
                data={"from": before, "to": after},
            )
        _migrate()
    finally:
        _migrate()

    from care.models import CareCase

    assert CareCase.objects.get(pk=changed.pk).opened_risk == "high"
    assert CareCase.objects.get(pk=steady.pk).opened_risk == "medium"
