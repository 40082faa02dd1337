"""The payment lines' index by batch and area carries the person and the amount, so a month's
figures (targets: the recipients and the amounts of an approved batch) read the batch's lines
from the index alone.

On PostgreSQL the new index is built beside the old one (CONCURRENTLY: the payment lines stay
readable and writable while it builds, minutes on a large table), then the old one is dropped
the same way and the new takes its name; so the migration is not atomic. Elsewhere (SQLite,
which has no INCLUDE: the index stays by batch and area) Django's plain operations."""

from django.db import migrations, models

NAME = "payment_batch_area_idx"
BUILDING = "payment_batch_area_new"
OLD = models.Index(fields=["batch", "area_code"], name=NAME)
NEW = models.Index(fields=["batch", "area_code"], include=("person", "amount_fen"), name=NAME)


def _swap(apps, schema_editor, *, include: bool):
    model = apps.get_model("benefits", "PaymentMonth")
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.remove_index(model, NEW if not include else OLD)
        schema_editor.add_index(model, NEW if include else OLD)
        return
    covering = " INCLUDE (person_id, amount_fen)" if include else ""
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {BUILDING}")
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY {BUILDING} ON benefits_paymentmonth (batch_id, area_code){covering}"
    )
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {NAME}")
    schema_editor.execute(f"ALTER INDEX {BUILDING} RENAME TO {NAME}")


def forwards(apps, schema_editor):
    _swap(apps, schema_editor, include=True)


def backwards(apps, schema_editor):
    _swap(apps, schema_editor, include=False)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("benefits", "0011_award_source_rule"),
        ("registry", "0021_households"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="paymentmonth", name=NAME),
                migrations.AddIndex(model_name="paymentmonth", index=NEW),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        ),
    ]
