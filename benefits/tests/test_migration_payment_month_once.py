"""benefits 0007: before a month may be in one batch only, a draft that holds a month
another batch also holds is emptied (to be generated again); paid lines are kept."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

D = datetime.date
BEFORE = [("benefits", "0006_payment_month_fewer_indexes")]


def _migrate(targets=None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_draft_overlapping_another_batch_is_emptied_and_paid_lines_are_kept(users, person):
    try:
        _migrate(BEFORE)
        apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        Scheme, Award = apps.get_model("benefits", "Scheme"), apps.get_model("benefits", "Award")
        Batch, Line = apps.get_model("benefits", "PayrollBatch"), apps.get_model("benefits", "PaymentMonth")
        living = Scheme.objects.get(code="living")
        award = Award.objects.create(
            person_id=person.pk, scheme=living, area_code=person.area_id, start_month=D(2021, 1, 1), source="import"
        )

        def batch(month, state, lines):
            made = Batch.objects.create(
                scheme=living, month=month, state=state, prepared_by_id=users["admin"].pk,
                generated_at="2021-05-01T00:00:00Z", person_count=1, month_count=len(lines),
                total_fen=18100 * len(lines),
            )  # fmt: skip
            for m in lines:
                Line.objects.create(
                    batch=made, scheme=living, person_id=person.pk, award=award, area_code=person.area_id,
                    month=m, amount_fen=18100, approved=state != "draft",
                )  # fmt: skip
            return made.pk

        paid = batch(D(2021, 2, 1), "approved", [D(2021, 1, 1), D(2021, 2, 1)])
        overlapping = batch(D(2021, 3, 1), "draft", [D(2021, 1, 1), D(2021, 2, 1), D(2021, 3, 1)])
        apart = batch(D(2021, 4, 1), "draft", [D(2021, 4, 1)])
        _migrate()
    finally:
        _migrate()

    from benefits.models import PaymentMonth, PayrollBatch

    held = {(line.batch_id, line.month) for line in PaymentMonth.objects.all()}
    assert held == {(paid, D(2021, 1, 1)), (paid, D(2021, 2, 1)), (apart, D(2021, 4, 1))}
    emptied = PayrollBatch.objects.get(pk=overlapping)
    assert (emptied.state, emptied.month_count, emptied.total_fen, emptied.generated_at) == ("draft", 0, 0, None)
    assert PayrollBatch.objects.get(pk=apart).month_count == 1
    assert list(PaymentMonth.objects.paid().values_list("month", flat=True).order_by("month")) == [
        D(2021, 1, 1),
        D(2021, 2, 1),
    ]
