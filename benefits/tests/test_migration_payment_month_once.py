"""benefits 0007: before a month may be in one batch only, a draft that holds a month
another batch also holds is emptied (to be generated again); paid lines are kept."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import connection

from benefits.models import Award, PaymentMonth, PayrollBatch, Scheme

D = datetime.date
MIGRATION = importlib.import_module("benefits.migrations.0007_payment_month_once")


@pytest.mark.django_db
def test_a_draft_overlapping_another_batch_is_emptied_and_paid_lines_are_kept(users, person):
    # The state before 0007 (a month in two batches) made on today's tables: the constraint
    # 0007 adds is dropped inside the test's transaction, which puts it back when it rolls
    # back. Migrating the database back to 0006 and forward again took ~20 s a run.
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE benefits_paymentmonth DROP CONSTRAINT payment_month_once")
    living = Scheme.objects.get(code="living")
    award = Award.objects.create(
        person_id=person.pk, scheme=living, area_code=person.area_id, start_month=D(2021, 1, 1), source="import"
    )

    def batch(month, state, lines):
        made = PayrollBatch.objects.create(
            scheme=living, month=month, state=state, prepared_by_id=users["admin"].pk,
            generated_at="2021-05-01T00:00:00Z", person_count=1, month_count=len(lines),
            total_fen=18100 * len(lines),
        )  # fmt: skip
        for m in lines:
            PaymentMonth.objects.create(
                batch=made, scheme=living, person_id=person.pk, award=award, area_code=person.area_id,
                month=m, amount_fen=18100,
            )  # fmt: skip
        return made.pk

    paid = batch(D(2021, 2, 1), "approved", [D(2021, 1, 1), D(2021, 2, 1)])
    overlapping = batch(D(2021, 3, 1), "draft", [D(2021, 1, 1), D(2021, 2, 1), D(2021, 3, 1)])
    apart = batch(D(2021, 4, 1), "draft", [D(2021, 4, 1)])
    MIGRATION.clear_conflicting_drafts(apps, None)

    held = {(line.batch_id, line.month) for line in PaymentMonth.objects.all()}
    assert held == {(paid, D(2021, 1, 1)), (paid, D(2021, 2, 1)), (apart, D(2021, 4, 1))}
    emptied = PayrollBatch.objects.get(pk=overlapping)
    assert (emptied.state, emptied.month_count, emptied.total_fen, emptied.generated_at) == ("draft", 0, 0, None)
    assert PayrollBatch.objects.get(pk=apart).month_count == 1
    assert list(PaymentMonth.objects.paid().values_list("month", flat=True).order_by("month")) == [
        D(2021, 1, 1),
        D(2021, 2, 1),
    ]
