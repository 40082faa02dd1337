"""The suite's cheaper database resets (canlian/test_database.py) leave what Django's would:
every table empty after a flush, whatever the triggers that fire ALWAYS write while it
runs, the sequences back at 1 when asked, and the migrated rows back exactly as they were."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create
from rehab.models import Provider, RehabItem, ServiceRecord

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _rows() -> dict[str, int]:
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def test_a_flush_empties_every_table_and_the_migrated_rows_come_back_as_they_were(users, person, other_person):
    migrated = connection._test_serialized_contents
    item = RehabItem.objects.get(code="KF09")
    provider = Provider.objects.create(name="蓬江区残疾人康复中心", area=person.area.parent)
    ServiceRecord.objects.bulk_create(
        ServiceRecord(
            person=p,
            area_code=p.area_id,
            served_on=datetime.date(2026, 3, 1),
            item=item,
            provider=provider,
            recorded_by=users["admin"],
            sessions=2,
        )
        for p in (person, other_person)
    )
    before = _rows()
    # The tables the ALWAYS triggers write have rows to lose: the test sees them go.
    assert before["registry_personcount"] > 0 and before["rehab_serviceyear"] == 2

    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)

    assert {table: n for table, n in _rows().items() if n} == {}
    # reset_sequences (the flush command's): the next user is number 1 again.
    assert user_create(username="first", password="x-Canlian-2026", role=Role.LEADER, area=None).pk == 1
    User.objects.all().delete()

    connection.creation.deserialize_db_from_string(migrated)
    assert connection.creation.serialize_db_to_string() == migrated
