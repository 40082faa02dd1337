"""The year's recipients after an approval, as the sum of the months' first-timers
(`FirstMonthCount`, `Indicator.year_by_first_months`): exact whatever order the approvals
and their refreshes run in, and equal to the full refresh's distinct count.

Last year's living subsidy (困难残疾人生活补贴), dated by the batches' months:

- 陈建国 (白沙) paid in January's batch, then in March's in 荷塘 (he moved): one recipient
  of each town's year, one of the district's;
- 李秀英 (荷塘) paid in January's batch (with last December's arrears) and in March's: one;
- 王小明 (白沙) first paid in February's batch and again in March's: the person the
  rejected "old figure + the month's persons paid in no other month" lost when the two
  approvals' refreshes both ran after both commits;
- 张丽 (荷塘) first paid in March's batch, with January's and February's arrears lines in it.

January's batch is approved and the year refreshed first; February's and March's are then
approved, and their queued refreshes run after both commits, in either order.
"""

import datetime

import pytest

from benefits.models import Award, PaymentMonth, PayrollBatch, Scheme
from benefits.payroll import payroll_approve
from conftest import make_person
from targets.indicators import INDICATORS
from targets.models import WHOLE_YEAR, FirstMonthCount, IndicatorValue
from targets.services import indicator_refresh, indicator_refresh_part, indicators_refresh

YEAR = datetime.date.today().year - 1
KEY = "living_recipients"
DISTRICT, BAISHA, HETANG = "440703000000", "440703002000", "440703102000"
FEN = 21700

# The figures once all three batches are approved: (area, month) -> persons.
EXPECTED = {
    (BAISHA, 1): 1,  # 陈建国
    (HETANG, 1): 1,  # 李秀英
    (DISTRICT, 1): 2,
    (BAISHA, 2): 1,  # 王小明
    (DISTRICT, 2): 1,
    (BAISHA, 3): 1,  # 王小明
    (HETANG, 3): 3,  # 陈建国 (moved), 李秀英, 张丽
    (DISTRICT, 3): 4,
    (BAISHA, WHOLE_YEAR): 2,  # 陈建国, 王小明
    (HETANG, WHOLE_YEAR): 3,  # 李秀英, 陈建国, 张丽
    (DISTRICT, WHOLE_YEAR): 4,
}
# The months' first-timers behind the years (the towns' and district's zeros left out).
FIRST = {
    (DISTRICT, 1): 2,  # 陈建国, 李秀英
    (DISTRICT, 2): 1,  # 王小明
    (DISTRICT, 3): 1,  # 张丽
    (BAISHA, 1): 1,  # 陈建国
    (BAISHA, 2): 1,  # 王小明
    (HETANG, 1): 1,  # 李秀英
    (HETANG, 3): 2,  # 陈建国, 张丽
}


def month(number: int, year: int = YEAR) -> datetime.date:
    return datetime.date(year, number, 1)


@pytest.fixture
def batches(users, areas):
    """January's batch approved and the year's figures computed; February's and March's
    drafts. Returns the drafts by month number."""
    living = Scheme.objects.get(code="living")
    chen = make_person(areas["baisha_a"], name="陈建国")
    li = make_person(areas["hetang_b"], name="李秀英", sequence=124)
    wang = make_person(areas["baisha_b"], name="王小明", sequence=125)
    zhang = make_person(areas["hetang_a"], name="张丽", sequence=126)
    awards = {
        who.pk: Award.objects.create(
            person=who, scheme=living, area_code=who.area_id, start_month=month(12, YEAR - 1), source="import"
        )
        for who in (chen, li, wang, zhang)
    }
    # (batch month, person, area of the line, the lines' months)
    lines = [
        (1, chen, areas["baisha_a"], [1]),
        (1, li, areas["hetang_b"], [1, (12, YEAR - 1)]),
        (2, wang, areas["baisha_b"], [2]),
        (3, chen, areas["hetang_a"], [3]),
        (3, li, areas["hetang_b"], [3]),
        (3, wang, areas["baisha_b"], [3]),
        (3, zhang, areas["hetang_a"], [1, 2, 3]),
    ]
    made = {}
    for number in (1, 2, 3):
        made[number] = PayrollBatch.objects.create(scheme=living, month=month(number), prepared_by=users["admin"])
    for number, who, area, months in lines:
        for paid in months:
            PaymentMonth.objects.create(
                batch=made[number],
                scheme=living,
                person=who,
                award=awards[who.pk],
                area_code=area.code,
                month=month(*paid) if isinstance(paid, tuple) else month(paid),
                amount_fen=FEN,
            )
    approve(made[1], users)
    indicators_refresh(year=YEAR, source="payroll")
    return {2: made[2], 3: made[3]}


def approve(batch: PayrollBatch, users) -> None:
    batch.refresh_from_db()
    payroll_approve(batch=batch, user=users["reviewer"], version=batch.version)


def figures(key: str = KEY) -> dict[tuple[str, int], int]:
    return {
        (v.area_code, v.month): v.value
        for v in IndicatorValue.objects.filter(indicator=key, year=YEAR, area_code__in=[DISTRICT, BAISHA, HETANG])
    }


def first_months() -> dict[tuple[str, int], int]:
    return {
        (f.area_code, f.month): f.value
        for f in FirstMonthCount.objects.filter(indicator=KEY, year=YEAR, area_code__in=[DISTRICT, BAISHA, HETANG])
        if f.value
    }


def full_refresh_changes_nothing() -> None:
    assert {r.indicator: r.changed for r in indicators_refresh(year=YEAR, source="payroll") if r.changed} == {}


def test_january_alone(batches):
    """After January: the full refresh's figures and first-timers."""
    assert figures() == {
        (BAISHA, 1): 1,
        (HETANG, 1): 1,
        (DISTRICT, 1): 2,
        (BAISHA, WHOLE_YEAR): 1,
        (HETANG, WHOLE_YEAR): 1,
        (DISTRICT, WHOLE_YEAR): 2,
    }
    assert first_months() == {(DISTRICT, 1): 2, (BAISHA, 1): 1, (HETANG, 1): 1}
    # Every month of every current town and the district has its row, 0 too.
    assert FirstMonthCount.objects.filter(indicator=KEY, year=YEAR, area_code=DISTRICT).count() == 12


@pytest.mark.parametrize("order", ["as_queued", "reversed"])
def test_two_approvals_whose_refreshes_run_after_both_commit(batches, users, order, django_capture_on_commit_callbacks):
    """February's and March's approvals commit, then their refreshes run (the queue runs
    them in either order): 王小明, first paid in both months, is one recipient."""
    with django_capture_on_commit_callbacks() as queued:
        approve(batches[2], users)
        approve(batches[3], users)
    assert len(queued) >= 2
    for callback in queued if order == "as_queued" else reversed(queued):
        callback()
    assert figures() == EXPECTED
    assert first_months() == FIRST
    full_refresh_changes_nothing()
    assert figures() == EXPECTED
    assert first_months() == FIRST  # the full refresh's, from each person's first month


def test_march_approved_before_february(batches, users, django_capture_on_commit_callbacks):
    """March first, refreshed; then February, refreshed: 王小明 moves from March's
    first-timers to February's, the year stays 4."""
    with django_capture_on_commit_callbacks(execute=True):
        approve(batches[3], users)
    assert figures()[(DISTRICT, WHOLE_YEAR)] == 4  # 王小明 first counted in March so far
    assert first_months()[(DISTRICT, 3)] == 2 and first_months()[(BAISHA, 3)] == 1
    with django_capture_on_commit_callbacks(execute=True):
        approve(batches[2], users)
    assert figures() == EXPECTED
    assert first_months() == FIRST
    full_refresh_changes_nothing()


def test_february_then_march_each_refreshed_before_the_next_approval(
    batches, users, django_capture_on_commit_callbacks
):
    """The usual order: each month approved and refreshed before the next."""
    with django_capture_on_commit_callbacks(execute=True):
        approve(batches[2], users)
    assert figures()[(DISTRICT, WHOLE_YEAR)] == 3 and figures()[(BAISHA, WHOLE_YEAR)] == 2
    with django_capture_on_commit_callbacks(execute=True):
        approve(batches[3], users)
    assert figures() == EXPECTED
    assert first_months() == FIRST
    full_refresh_changes_nothing()


def test_the_arrears_lines_count_in_their_batchs_month(batches, users, django_capture_on_commit_callbacks):
    """张丽's March batch pays her January, February and March: she is one first-timer of
    March (not of January, the month of her earliest line), of 荷塘's and the district's."""
    with django_capture_on_commit_callbacks(execute=True):
        approve(batches[3], users)
    values = figures()
    assert values[(HETANG, 3)] == 3 and values[(HETANG, WHOLE_YEAR)] == 3
    assert first_months()[(HETANG, 3)] == 2  # 陈建国 (moved in) and 张丽
    assert first_months()[(HETANG, 1)] == 1  # 李秀英 only
    full_refresh_changes_nothing()


def test_a_moved_person_is_a_recipient_of_both_towns_and_one_of_the_district(batches, users):
    approve(batches[3], users)  # no refresh queued outside a captured commit: run it here
    indicator_refresh_part(INDICATORS[KEY], YEAR, months={3})
    values = figures()
    assert values[(BAISHA, WHOLE_YEAR)] == 2  # 陈建国 (January), 王小明 (March)
    assert values[(HETANG, WHOLE_YEAR)] == 3  # 李秀英, 陈建国, 张丽
    assert values[(DISTRICT, WHOLE_YEAR)] == 4  # 陈建国 once
    assert indicator_refresh(INDICATORS[KEY], YEAR).changed == 0


def test_stored_first_timers_are_recomputed_not_trusted(batches, users):
    """A refresh recomputes the months from the batch's on from the records: a wrong stored
    number of a later month does not survive it; one of an earlier month is not read."""
    approve(batches[2], users)
    approve(batches[3], users)
    indicator_refresh_part(INDICATORS[KEY], YEAR, months={3})
    FirstMonthCount.objects.filter(indicator=KEY, year=YEAR, month=3).update(value=99)
    indicator_refresh_part(INDICATORS[KEY], YEAR, months={2})
    assert figures() == EXPECTED
    assert indicator_refresh(INDICATORS[KEY], YEAR).changed == 0


def test_a_year_refreshed_before_the_first_timers_were_stored(batches, users):
    """No first-timers stored (figures of a year computed before them): the partial
    refresh computes every month, not only March's."""
    approve(batches[2], users)
    approve(batches[3], users)
    indicator_refresh_part(INDICATORS[KEY], YEAR, months={2})
    FirstMonthCount.objects.all().delete()
    indicator_refresh_part(INDICATORS[KEY], YEAR, months={3})
    assert figures() == EXPECTED
    assert first_months() == FIRST
    assert indicator_refresh(INDICATORS[KEY], YEAR).changed == 0


# The partial refresh's candidates (`_first_timers_of_month`): the month's (person, town)
# pairs less the month before's, then probed against the months before that. Four months,
# each approved and refreshed in turn:
#
# - 周强 paid in 白沙 in January and March, not February: no first-timer of March; in April
#   in 荷塘, where he was never paid: a first-timer of 荷塘's April, not of the district's;
# - 刘洋 in 白沙, then 荷塘, then 白沙 again (January to March): back in 白沙 in March is no
#   first-timer there, though February's pairs do not have him in 白沙;
# - 孙伟 first in 白沙 in February, in 荷塘 in March (the month after): new to 荷塘 in March;
# - 赵敏 first paid in March (荷塘): a first-timer of 荷塘's and the district's March;
# - 钱芳 in 荷塘 in January and April only: no first-timer of April (January is two months
#   before the month before).
STEADY = [
    ("周强", "baisha_a", (1, 3)),
    ("周强", "hetang_a", (4,)),
    ("刘洋", "baisha_b", (1, 3)),
    ("刘洋", "hetang_b", (2,)),
    ("孙伟", "baisha_a", (2,)),
    ("孙伟", "hetang_b", (3,)),
    ("赵敏", "hetang_a", (3,)),
    ("钱芳", "hetang_b", (1, 4)),
]
STEADY_FIRST = {
    (BAISHA, 1): 2,  # 周强, 刘洋
    (HETANG, 1): 1,  # 钱芳
    (DISTRICT, 1): 3,
    (BAISHA, 2): 1,  # 孙伟
    (HETANG, 2): 1,  # 刘洋
    (DISTRICT, 2): 1,  # 孙伟
    (HETANG, 3): 2,  # 孙伟, 赵敏
    (DISTRICT, 3): 1,  # 赵敏
    (HETANG, 4): 1,  # 周强
}


@pytest.fixture
def steady(users, areas):
    """Four monthly drafts of the living subsidy, their lines as `STEADY` says."""
    living = Scheme.objects.get(code="living")
    made = {
        n: PayrollBatch.objects.create(scheme=living, month=month(n), prepared_by=users["admin"]) for n in range(1, 5)
    }
    persons = {}
    for sequence, name in enumerate(dict.fromkeys(name for name, _, _ in STEADY), start=130):
        person = make_person(areas["baisha_a"], name=name, sequence=sequence)
        award = Award.objects.create(
            person=person, scheme=living, area_code=person.area_id, start_month=month(1), source="import"
        )
        persons[name] = (person, award)
    for name, area, numbers in STEADY:
        person, award = persons[name]
        for number in numbers:
            PaymentMonth.objects.create(
                batch=made[number],
                scheme=living,
                person=person,
                award=award,
                area_code=areas[area].code,
                month=month(number),
                amount_fen=FEN,
            )
    return made


def test_each_month_approved_and_refreshed_in_turn(steady, users, django_capture_on_commit_callbacks):
    """A person paid two months before and not the month before is no first-timer; one
    back in a town of an earlier month neither; a move the month after is new to the town,
    not to the district; a person first paid this month is new to both."""
    for number in range(1, 5):
        with django_capture_on_commit_callbacks(execute=True):
            approve(steady[number], users)
        wanted = {k: v for k, v in STEADY_FIRST.items() if k[1] <= number}
        assert first_months() == wanted, f"after month {number}"
    values = figures()
    assert values[(BAISHA, WHOLE_YEAR)] == 3  # 周强, 刘洋, 孙伟
    assert values[(HETANG, WHOLE_YEAR)] == 5  # 钱芳, 刘洋, 孙伟, 赵敏, 周强
    assert values[(DISTRICT, WHOLE_YEAR)] == 5
    assert (values[(HETANG, 3)], values[(HETANG, 4)], values[(DISTRICT, 4)]) == (2, 2, 2)
    full_refresh_changes_nothing()
    assert first_months() == STEADY_FIRST  # the full refresh's, from each person's first month


def test_a_later_month_is_recomputed_after_an_earlier_one(steady, users):
    """All four approved, then the partial refresh of February alone: March's and April's
    first-timers follow from February's pairs again (months from the refreshed one on)."""
    for number in range(1, 5):
        approve(steady[number], users)
    indicators_refresh(year=YEAR, source="payroll")
    FirstMonthCount.objects.filter(indicator=KEY, year=YEAR, month__gte=2).update(value=7)
    indicator_refresh_part(INDICATORS[KEY], YEAR, months={2})
    assert first_months() == STEADY_FIRST
    assert indicator_refresh(INDICATORS[KEY], YEAR).changed == 0
