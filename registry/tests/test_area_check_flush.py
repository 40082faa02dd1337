"""Django empties the tables (`flush`: the end of each committing test, `manage.py flush`)
one by one on SQLite, in no fixed order; registry's `flush` deletes the persons first, so
the area check of registry 0014 (an area a person names is not deleted) never refuses it.
A file of its own: its test commits."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from areas.models import Area
from registry.models import Person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_flush_empties_persons_and_areas_whatever_order_the_tables_come_in(person):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM areas_area WHERE code = %s", [person.area_id])  # still refused
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    areas_first = sorted(tables, key=lambda table: (table != "areas_area", table))
    with mock.patch.object(type(connection.introspection), "django_table_names", return_value=areas_first):
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    assert not Person.objects.exists() and not Area.objects.exists()
