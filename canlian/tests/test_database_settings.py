"""The PostgreSQL session settings the application's queries are tuned for."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL session settings"),
]


def test_jit_is_off_and_cursors_are_planned_for_all_their_rows():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW cursor_tuple_fraction")
        assert float(cursor.fetchone()[0]) == 1.0
