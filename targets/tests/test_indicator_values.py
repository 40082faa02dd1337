"""Indicator values computed from the records: paid months of approved batches only, by the
town that paid them; a person counted once in the district and the year however many
towns and months paid them; the dead stop counting; certified persons from the counters."""

import datetime

from benefits.models import PayrollBatch
from targets.models import WHOLE_YEAR, IndicatorValue
from targets.services import indicators_refresh
from targets.tests.conftest import NURSING_FEN, YEAR

DISTRICT, BAISHA, HETANG = "440703000000", "440703002000", "440703102000"


def values(key: str, year: int = YEAR) -> dict[tuple[str, int], int]:
    rows = IndicatorValue.objects.filter(indicator=key, year=year)
    return {(v.area_code, v.month): v.value for v in rows}


def test_recipients_are_counted_per_town_and_month_from_approved_batches_only(paid_year):
    indicators_refresh(year=YEAR, keys=["nursing_recipients"])
    assert values("nursing_recipients") == {
        (BAISHA, 1): 1,
        (HETANG, 1): 1,
        (DISTRICT, 1): 2,
        (BAISHA, 2): 1,
        (HETANG, 2): 1,
        (DISTRICT, 2): 2,
        # March: the mover is paid by 荷塘; the dead woman no more.
        (HETANG, 3): 1,
        (DISTRICT, 3): 1,
        # April is a draft: no figure. The year: each town its own persons, the district
        # two persons, not the three that adding the towns would give.
        (BAISHA, WHOLE_YEAR): 1,
        (HETANG, WHOLE_YEAR): 2,
        (DISTRICT, WHOLE_YEAR): 2,
    }


def test_amounts_are_the_fen_of_approved_batches_by_the_town_that_paid(paid_year):
    indicators_refresh(year=YEAR, keys=["nursing_amount"])
    got = values("nursing_amount")
    assert got[(BAISHA, 1)] == got[(HETANG, 1)] == NURSING_FEN
    assert got[(DISTRICT, 2)] == 2 * NURSING_FEN
    assert got[(HETANG, 3)] == got[(DISTRICT, 3)] == NURSING_FEN
    assert (BAISHA, 3) not in got and (DISTRICT, 4) not in got
    assert got[(BAISHA, WHOLE_YEAR)] == 2 * NURSING_FEN
    assert got[(HETANG, WHOLE_YEAR)] == 3 * NURSING_FEN
    assert got[(DISTRICT, WHOLE_YEAR)] == 5 * NURSING_FEN


def test_approving_the_draft_adds_its_month(paid_year, users):
    batch = PayrollBatch.objects.get(pk=paid_year["draft"].pk)
    batch.state = PayrollBatch.State.APPROVED
    batch.approved_by = users["reviewer"]
    batch.save()
    indicators_refresh(year=YEAR, keys=["nursing_recipients", "nursing_amount"])
    assert values("nursing_recipients")[(HETANG, 4)] == 1
    assert values("nursing_amount")[(DISTRICT, WHOLE_YEAR)] == 6 * NURSING_FEN


def test_certified_persons_are_the_active_holders_today_per_town(paid_year):
    today = datetime.date.today()
    indicators_refresh(year=today.year, keys=["certified_persons"])
    # The mover is in 荷塘 now, the dead woman is not counted, the bystander is in 白沙.
    assert values("certified_persons", today.year) == {
        (BAISHA, today.month): 1,
        (HETANG, today.month): 1,
        (DISTRICT, today.month): 2,
        (BAISHA, WHOLE_YEAR): 1,
        (HETANG, WHOLE_YEAR): 1,
        (DISTRICT, WHOLE_YEAR): 2,
    }


def test_a_stock_is_not_recomputed_for_a_past_year(paid_year):
    assert indicators_refresh(year=YEAR, keys=["certified_persons"])[0].rows == 0
    assert not IndicatorValue.objects.filter(indicator="certified_persons").exists()


def test_an_annual_grant_counts_its_approved_batch_in_january(users, person):
    from benefits.grants import grant_batch_approve, grant_batch_generate
    from benefits.models import Award, Scheme

    insurance = Scheme.objects.get(code="insurance")
    Award.objects.create(
        person=person,
        scheme=insurance,
        area_code=person.area_id,
        start_month=datetime.date(YEAR, 1, 1),
        source=Award.Source.IMPORT,
    )
    batch = grant_batch_generate(insurance, YEAR, users["admin"])
    indicators_refresh(year=YEAR, keys=["insurance_insured"])
    assert values("insurance_insured") == {}  # a draft pays nobody
    grant_batch_approve(batch=batch, user=users["reviewer"], version=batch.version)
    indicators_refresh(year=YEAR, keys=["insurance_insured", "grants_amount"])
    assert values("insurance_insured") == {
        (BAISHA, 1): 1,
        (DISTRICT, 1): 1,
        (BAISHA, WHOLE_YEAR): 1,
        (DISTRICT, WHOLE_YEAR): 1,
    }
    assert values("grants_amount")[(DISTRICT, WHOLE_YEAR)] == batch.total_fen > 0
