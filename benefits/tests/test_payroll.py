"""Monthly payroll: back pay, stops, rates by month, idempotent regeneration, approval."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from benefits.models import PaymentMonth, PayrollBatch
from benefits.payroll import PayrollError, payment_lines, payroll_approve, payroll_generate
from conftest import make_person
from registry.models import EventKind
from registry.services import person_event_record

D = datetime.date


def lines(batch):
    return {line["person__id_number"]: (line["amount_fen"], line["months"]) for line in payment_lines(batch)}


@pytest.fixture
def poor(areas):
    return make_person(areas["baisha_a"], name="王低保", sequence=201, economic_status="dibao", grade=3)


def test_an_award_first_paid_three_months_late_pays_every_month_since_its_start(users, living, poor, award_for):
    award_for(poor, living, "2020-03")
    batch = payroll_generate(scheme=living, month=D(2020, 6, 1), user=users["admin"])
    assert lines(batch) == {poor.id_number: (4 * 17500, 4)}
    assert (batch.person_count, batch.month_count, batch.total_fen) == (1, 4, 70000)


def test_months_already_paid_are_never_paid_again(users, living, poor, award_for):
    award_for(poor, living, "2020-03")
    june = payroll_generate(scheme=living, month=D(2020, 6, 1), user=users["admin"])
    payroll_approve(batch=june, user=users["reviewer"], version=june.version)
    july = payroll_generate(scheme=living, month=D(2020, 7, 1), user=users["admin"])
    assert lines(july) == {poor.id_number: (17500, 1)}


def test_a_person_who_died_in_july_is_paid_for_july_and_not_after(users, living, poor, award_for):
    award_for(poor, living, "2020-03")
    draft = payroll_generate(scheme=living, month=D(2020, 6, 1), user=users["admin"])
    payroll_approve(batch=draft, user=users["reviewer"], version=draft.version)
    person_event_record(user=users["officer"], person=poor, kind=EventKind.DEATH, date=D(2020, 7, 20))
    september = payroll_generate(scheme=living, month=D(2020, 9, 1), user=users["admin"])
    assert lines(september) == {poor.id_number: (17500, 1)}
    assert list(september.months.values_list("month", flat=True)) == [D(2020, 7, 1)]


def test_back_pay_across_a_rate_change_pays_each_month_at_its_rate(users, living, poor, award_for):
    award_for(poor, living, "2020-11")
    batch = payroll_generate(scheme=living, month=D(2021, 2, 1), user=users["admin"])
    assert lines(batch) == {poor.id_number: (2 * 17500 + 2 * 18100, 4)}


def test_back_pay_skips_the_months_a_person_was_not_eligible(users, living, poor, award_for):
    award_for(poor, living, "2024-01")
    person_event_record(user=users["officer"], person=poor, kind=EventKind.ECONOMIC, date=D(2024, 2, 10), value="none")
    person_event_record(user=users["officer"], person=poor, kind=EventKind.ECONOMIC, date=D(2024, 4, 5), value="dibao")
    batch = payroll_generate(scheme=living, month=D(2024, 6, 1), user=users["admin"])
    paid = sorted(batch.months.values_list("month", flat=True))
    assert paid == [D(2024, 1, 1), D(2024, 2, 1), D(2024, 5, 1), D(2024, 6, 1)]


def test_an_ended_award_is_not_paid_after_its_end(users, nursing, areas, award_for):
    severe = make_person(areas["baisha_a"], name="赵重度", sequence=203, grade=1)
    award_for(severe, nursing, "2025-01", end="2025-02")
    batch = payroll_generate(scheme=nursing, month=D(2025, 4, 1), user=users["admin"])
    assert lines(batch) == {severe.id_number: (2 * 28000, 2)}


def test_regenerating_a_draft_replaces_it(users, living, poor, areas, award_for):
    award_for(poor, living, "2021-01")
    first = payroll_generate(scheme=living, month=D(2021, 3, 1), user=users["admin"])
    before = lines(first)
    other = make_person(areas["baisha_b"], name="周新增", sequence=205, economic_status="near_dibao")
    award_for(other, living, "2021-03")
    again = payroll_generate(scheme=living, month=D(2021, 3, 1), user=users["admin"])
    assert again.pk == first.pk
    assert lines(again) == {**before, other.id_number: (18100, 1)}
    assert PaymentMonth.objects.count() == 4


def test_a_draft_holds_its_months_and_a_later_batch_takes_only_the_rest(users, living, poor, award_for):
    award_for(poor, living, "2021-01")
    february = payroll_generate(scheme=living, month=D(2021, 2, 1), user=users["admin"])
    march = payroll_generate(scheme=living, month=D(2021, 3, 1), user=users["admin"])
    assert lines(february) == {poor.id_number: (2 * 18100, 2)}
    assert lines(march) == {poor.id_number: (18100, 1)}


def test_regenerating_an_older_draft_after_a_later_batch_is_paid_keeps_its_months(users, living, poor, award_for):
    award_for(poor, living, "2021-01")
    february = payroll_generate(scheme=living, month=D(2021, 2, 1), user=users["admin"])
    draft = payroll_generate(scheme=living, month=D(2021, 3, 1), user=users["admin"])
    payroll_approve(batch=draft, user=users["reviewer"], version=draft.version)
    february = payroll_generate(scheme=living, month=D(2021, 2, 1), user=users["admin"])
    assert sorted(february.months.values_list("month", flat=True)) == [D(2021, 1, 1), D(2021, 2, 1)]
    payroll_approve(batch=february, user=users["reviewer"], version=february.version)
    assert sorted(PaymentMonth.objects.paid().values_list("month", flat=True)) == [D(2021, m, 1) for m in (1, 2, 3)]


def test_a_month_is_in_one_batch_only_whatever_code_path_tries(users, living, poor, award_for):
    held = award_for(poor, living, "2021-01")
    february = payroll_generate(scheme=living, month=D(2021, 2, 1), user=users["admin"])
    other = PayrollBatch.objects.create(scheme=living, month=D(2021, 5, 1), prepared_by=users["admin"])
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentMonth.objects.create(
            batch=other, scheme=living, person=poor, award=held, area_code=poor.area_id,
            month=D(2021, 1, 1), amount_fen=18100,
        )  # fmt: skip
    assert list(PaymentMonth.objects.values_list("batch", flat=True).distinct()) == [february.pk]


def test_the_preparer_cannot_approve_their_own_batch(users, living, poor, award_for):
    award_for(poor, living, "2021-01")
    batch = payroll_generate(scheme=living, month=D(2021, 1, 1), user=users["reviewer_who_prepares"])
    with pytest.raises(PayrollError, match="审核人不能是制表人"):
        payroll_approve(batch=batch, user=users["reviewer_who_prepares"], version=batch.version)
    assert not PaymentMonth.objects.paid().exists()


def test_an_approved_batch_cannot_be_regenerated_or_approved_again(users, living, poor, award_for):
    award_for(poor, living, "2021-01")
    draft = payroll_generate(scheme=living, month=D(2021, 1, 1), user=users["admin"])
    batch = payroll_approve(batch=draft, user=users["reviewer"], version=draft.version)
    with pytest.raises(PayrollError, match="已审核，不能重新生成"):
        payroll_generate(scheme=living, month=D(2021, 1, 1), user=users["admin"])
    with pytest.raises(PayrollError, match="不能重复审核"):
        payroll_approve(batch=batch, user=users["reviewer"], version=batch.version)


def test_two_drafts_approved_in_either_order_pay_each_month_once(users, living, poor, award_for):
    award_for(poor, living, "2021-01")
    february = payroll_generate(scheme=living, month=D(2021, 2, 1), user=users["admin"])
    march = payroll_generate(scheme=living, month=D(2021, 3, 1), user=users["admin"])
    payroll_approve(batch=march, user=users["reviewer"], version=march.version)
    assert list(PaymentMonth.objects.paid().values_list("month", flat=True)) == [D(2021, 3, 1)]
    payroll_approve(batch=february, user=users["reviewer"], version=february.version)
    paid = PaymentMonth.objects.paid()
    assert sorted(paid.values_list("month", flat=True)) == [D(2021, 1, 1), D(2021, 2, 1), D(2021, 3, 1)]


def test_a_future_month_is_refused(users, living):
    next_year = D(datetime.date.today().year + 1, 1, 1)
    with pytest.raises(PayrollError, match="未来月份"):
        payroll_generate(scheme=living, month=next_year, user=users["admin"])


def test_a_person_who_moved_to_another_town_is_paid_under_that_town(users, living, poor, areas, award_for):
    award_for(poor, living, "2021-01")
    type(poor).objects.filter(pk=poor.pk).update(area=areas["hetang_a"])
    batch = payroll_generate(scheme=living, month=D(2021, 1, 1), user=users["admin"])
    assert [line["area_code"] for line in payment_lines(batch)] == [areas["hetang_a"].code]


def test_a_month_covered_by_an_ended_and_a_new_award_is_paid_once(users, living, poor, award_for):
    award_for(poor, living, "2021-01", end="2021-03")
    award_for(poor, living, "2021-02")
    batch = payroll_generate(scheme=living, month=D(2021, 4, 1), user=users["admin"])
    assert lines(batch) == {poor.id_number: (4 * 18100, 4)}


def test_a_scheme_not_paid_monthly_has_no_monthly_payroll(users):
    from benefits.models import Scheme

    with pytest.raises(PayrollError, match="不是按月发放"):
        payroll_generate(scheme=Scheme.objects.get(code="fuel"), month=D(2021, 1, 1), user=users["admin"])


def test_an_ended_award_paid_to_its_end_does_not_make_later_runs_look_back(users, living, poor, areas, award_for):
    award_for(poor, living, "2021-01", end="2021-02")
    draft = payroll_generate(scheme=living, month=D(2021, 2, 1), user=users["admin"])
    payroll_approve(batch=draft, user=users["reviewer"], version=draft.version)
    other = make_person(areas["baisha_b"], name="周新增", sequence=207, economic_status="dibao")
    award_for(other, living, "2021-06")
    steps = []
    payroll_generate(scheme=living, month=D(2021, 6, 1), user=users["admin"], progress=lambda d, t: steps.append(t))
    assert steps == [1]


def test_a_new_backdated_award_is_back_paid_beside_persons_paid_last_month(users, living, poor, areas, award_for):
    award_for(poor, living, "2021-01")
    draft = payroll_generate(scheme=living, month=D(2021, 2, 1), user=users["admin"])
    payroll_approve(batch=draft, user=users["reviewer"], version=draft.version)
    late = make_person(areas["baisha_b"], name="钱补发", sequence=206, economic_status="dibao")
    award_for(late, living, "2020-12")
    march = payroll_generate(scheme=living, month=D(2021, 3, 1), user=users["admin"])
    assert lines(march) == {poor.id_number: (18100, 1), late.id_number: (17500 + 3 * 18100, 4)}


# Approval: the version the reviewer saw, and the payees frozen ----------------------------


def test_every_generation_bumps_the_drafts_version(users, living, poor, award_for):
    award_for(poor, living, "2021-01")
    first = payroll_generate(scheme=living, month=D(2021, 3, 1), user=users["admin"])
    again = payroll_generate(scheme=living, month=D(2021, 3, 1), user=users["admin"])
    assert (first.pk, first.version, again.version) == (again.pk, 1, 2)


def test_a_draft_regenerated_after_a_rate_change_is_not_approved_at_the_version_seen(users, living, poor, award_for):
    award_for(poor, living, "2021-01")
    seen = payroll_generate(scheme=living, month=D(2021, 3, 1), user=users["admin"])
    living.rates.create(valid_from=D(2021, 3, 1), amount_fen=19000)
    regenerated = payroll_generate(scheme=living, month=D(2021, 3, 1), user=users["admin"])
    assert regenerated.total_fen != seen.total_fen
    with pytest.raises(PayrollError, match="已重新生成"):
        payroll_approve(batch=seen, user=users["reviewer"], version=seen.version)
    batch = PayrollBatch.objects.get(pk=seen.pk)
    assert (batch.state, batch.approved_by) == (PayrollBatch.State.DRAFT, None)
    assert not batch.payees.exists() and not PaymentMonth.objects.paid().exists()
    payroll_approve(batch=batch, user=users["reviewer"], version=regenerated.version)
    assert PayrollBatch.objects.get(pk=seen.pk).state == PayrollBatch.State.APPROVED


def test_approval_freezes_each_payees_name_bank_and_account(users, living, poor, areas, award_for):
    other = make_person(
        areas["hetang_a"],
        name="李荷塘",
        sequence=202,
        economic_status="dibao",
        bank_name="荷塘支行",
        bank_account="622848003333",
    )
    award_for(poor, living, "2021-01")
    award_for(other, living, "2021-03")
    draft = payroll_generate(scheme=living, month=D(2021, 3, 1), user=users["admin"])
    # Not before approval: a draft pays no one yet.
    assert not draft.payees.exists()
    payroll_approve(batch=draft, user=users["reviewer"], version=draft.version)
    frozen = {p.person_id: (p.name, p.bank_name, p.bank_account) for p in draft.payees.all()}
    assert frozen == {
        poor.pk: ("王低保", poor.bank_name, poor.bank_account),
        other.pk: ("李荷塘", "荷塘支行", "622848003333"),
    }
