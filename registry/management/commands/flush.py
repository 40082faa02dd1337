"""Django's `flush`, emptying the persons before the areas on SQLite.

On SQLite `flush` deletes table after table, in the order of a set of names (Python's
hashing), inside one transaction with foreign keys still on. A foreign key waits for the
commit (Django's are deferred), but registry 0014's trigger that refuses to delete an area
still named by a person fires at once: a flush that reached `areas_area` before
`registry_person` was refused, now and then. This runs Django's command with the persons'
table first. PostgreSQL truncates every table in one statement, which runs no row
trigger, and is left as Django does it (the test suite deletes the rows instead, with the
ordinary triggers off: canlian/test_database.py). Tests empty their database with this
command too.
"""

from django.core.management.commands import flush
from django.db import connections

FIRST = "registry_person"


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        introspection = connection.introspection
        names = introspection.django_table_names
        own = vars(introspection).copy()  # an attribute set on the instance before (a test's patch)

        def persons_first(*args, **kwargs):
            return sorted(names(*args, **kwargs), key=lambda table: table != FIRST)

        introspection.django_table_names = persons_first
        try:
            return super().handle(**options)
        finally:
            if "django_table_names" in own:
                introspection.django_table_names = own["django_table_names"]
            else:
                del introspection.django_table_names  # the class's method again
