"""Two payroll runs at once never pay a month twice (PostgreSQL: real row locks and
concurrent transactions; the SQLite demo database serialises all writers anyway)."""

import datetime
import threading

import pytest
from django.db import connection, connections

from benefits.models import PaymentMonth, PayrollBatch, Scheme
from benefits.payroll import payroll_approve, payroll_generate
from conftest import make_person

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)"),
]
D = datetime.date


def run_together(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            outcomes[index] = ("ok", call())
        except Exception as exc:  # the outcome is what the test checks
            outcomes[index] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.fixture
def recipients(areas):
    from benefits.models import Award

    living = Scheme.objects.get(code="living")
    persons = [
        make_person(areas["baisha_a"], name=f"并发{i}", sequence=300 + i, economic_status="dibao") for i in range(20)
    ]
    for person in persons:
        Award.objects.create(
            person=person, scheme=living, area_code=person.area_id, start_month=D(2021, 1, 1), source="import"
        )
    return living, persons


def test_two_generations_of_the_same_batch_at_once_leave_one_draft(users, recipients):
    living, persons = recipients
    outcomes = run_together(
        lambda: payroll_generate(scheme=living, month=D(2021, 3, 1), user=users["admin"]),
        lambda: payroll_generate(scheme=living, month=D(2021, 3, 1), user=users["admin"]),
    )
    assert [kind for kind, _ in outcomes] == ["ok", "ok"]
    assert PayrollBatch.objects.count() == 1
    assert PaymentMonth.objects.count() == len(persons) * 3


def test_two_generations_of_overlapping_batches_at_once_put_each_month_in_one_batch(users, recipients):
    living, persons = recipients
    # Both batches owe January and February (never paid): whichever inserts a month first
    # holds it; the other waits for its commit and skips it.
    outcomes = run_together(
        lambda: payroll_generate(scheme=living, month=D(2021, 2, 1), user=users["admin"]),
        lambda: payroll_generate(scheme=living, month=D(2021, 3, 1), user=users["admin"]),
    )
    assert [kind for kind, _ in outcomes] == ["ok", "ok"]
    february, march = (batch for _, batch in outcomes)
    assert PaymentMonth.objects.count() == len(persons) * 3
    held = PaymentMonth.objects.values_list("person", "month")
    assert len(set(held)) == len(held)
    assert PaymentMonth.objects.filter(month=D(2021, 3, 1), batch=march).count() == len(persons)
    # Each batch's totals are its own lines.
    assert february.month_count + march.month_count == len(persons) * 3
    outcomes = run_together(
        lambda: payroll_approve(batch=february, user=users["reviewer"], version=february.version),
        lambda: payroll_approve(batch=march, user=users["reviewer_who_prepares"], version=march.version),
    )
    assert [kind for kind, _ in outcomes] == ["ok", "ok"]
    assert PaymentMonth.objects.paid().count() == len(persons) * 3
