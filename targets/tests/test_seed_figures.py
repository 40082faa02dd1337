"""The seed's figures on a small hand-built data set with known answers, read the way a
federation reads them: `manage.py indicator_values` (指标代码,区划代码,月份,值).

Last year, three persons:

- 陈建国 (白沙): visited on 1 January and 31 December (and on 31 December of the year before
  and 1 January of this year: neither counts); a legal case opened on 31 December; a
  watch returned on 30 June (issued the year before) and another issued on 1 July;
- 李秀英 (荷塘, category 5): a case opened 10 January, followed up 20 January and 10
  February; visited 1 February (a second visit of 1 March is voided); a watch issue voided;
  a legal case voided; she dies on 15 March;
- 王小明 (白沙, category 5): a watch issued 1 February and a legal case opened 5 May and
  closed 20 June, both in 白沙; visited 10 March in 白沙; moves to 荷塘 on 1 July (his
  watch and his case follow him, the 白沙 visit stays 白沙's); visited 20 September in 荷塘.

荷塘 has a zero target for households visited.
"""

import csv
import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from care.models import CareCase, CaseFollowUp, WatchDevice, WatchIssue
from conftest import kept_for_the_class, make_people, make_person, taken_from
from outreach.models import HomeVisit, LegalCase
from registry.services import person_event_record, person_update
from targets.models import Target
from targets.services import indicators_refresh, stock_month_ends_record

YEAR = datetime.date.today().year - 1
D, BAISHA, HETANG = "440703", "440703002", "440703102"


def day(month: int, number: int, year: int = YEAR) -> datetime.date:
    return datetime.date(year, month, number)


@pytest.fixture
def data_set(users, areas, person, other_person):
    return make_data_set(users, areas, person, other_person)


@pytest.fixture(scope="class")
def data_set_kept(django_db_setup, django_db_blocker):
    """The data set made once for a class whose tests only read it (or change it in their
    own savepoint), with its areas, users and persons: the class takes them with
    `taken_from("data_set_kept", ...)`."""
    with kept_for_the_class(django_db_blocker):
        people = make_people()
        yield {**people, "data_set": make_data_set(**people)}


def make_data_set(users, areas, person, other_person):
    admin = users["admin"]
    a, b = person, other_person
    c = make_person(areas["baisha_b"], name="王小明", sequence=125, category=5, grade=1)
    common = {"recorded_by": admin}

    def visit(who, on, *, area=None, voided=False):
        return HomeVisit.objects.create(
            person=who,
            area_code=area or who.area_id,
            visited_on=on,
            voided_at=timezone.now() if voided else None,
            **common,
        )

    def legal(who, on, *, closed=None, voided=False):
        return LegalCase.objects.create(
            person=who,
            area_code=who.area_id,
            opened_on=on,
            applicant_name="本人",
            applicant_relation="self",
            matter="employment",
            handler="区法律援助站",
            closed_on=closed,
            outcome="调解成功" if closed else "",
            voided_at=timezone.now() if voided else None,
            **common,
        )

    devices = iter(WatchDevice.objects.create(serial=f"W{n}", model_name="定位手表") for n in range(10))

    def watch(who, on, *, ended=None, voided=False):
        return WatchIssue.objects.create(
            person=who,
            area_code=who.area_id,
            device=next(devices),
            issued_on=on,
            monthly_fee_fen=1000,
            ended_on=ended,
            end="returned" if ended else "",
            voided_at=timezone.now() if voided else None,
            **common,
        )

    for on in (day(1, 1), day(12, 31), day(12, 31, YEAR - 1), day(1, 1, YEAR + 1)):
        visit(a, on)
    visit(b, day(2, 1))
    visit(b, day(3, 1), voided=True)
    visit(c, day(3, 10))
    legal(a, day(12, 31))
    legal(b, day(1, 1), voided=True)
    legal(c, day(5, 5), closed=day(6, 20))
    watch(a, day(12, 31, YEAR - 1), ended=day(6, 30))
    watch(a, day(7, 1))
    watch(b, day(3, 1), voided=True)
    watch(c, day(2, 1))
    case = CareCase.objects.create(
        person=b,
        area_code=b.area_id,
        keyworker=admin,
        risk="high",
        plan="每两周随访",
        opened_on=day(1, 10),
        next_due=day(2, 24),
        **common,
    )
    for on in (day(1, 20), day(2, 10)):
        CaseFollowUp.objects.create(
            case=case,
            followed_on=on,
            contact="home",
            findings="情况稳定",
            risk="high",
            next_due=on + datetime.timedelta(days=14),
            recorded_by=admin,
        )
    person_event_record(user=admin, person=b, kind="death", date=day(3, 15))
    person_update(user=admin, person=c, data={"area": areas["hetang_b"]})
    visit(c, day(9, 20), area=areas["hetang_b"].code)
    Target.objects.create(year=YEAR, indicator="outreach_households_visited", area=areas["district"], value=170)
    Target.objects.create(year=YEAR, indicator="outreach_households_visited", area=areas["baisha"], value=2)
    Target.objects.create(year=YEAR, indicator="outreach_households_visited", area=areas["hetang"], value=0)
    indicators_refresh(year=YEAR)
    stock_month_ends_record(year=YEAR)
    return {"a": a, "b": b, "c": c}


def figures(tmp_path, *args) -> dict[tuple[str, str, str], str]:
    path = tmp_path / "figures.csv"
    call_command("indicator_values", "--year", str(YEAR), *args, "--csv", str(path))
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["指标代码", "区划代码", "月份", "值"]
    assert rows[1:] == sorted(rows[1:], key=lambda row: row[:3])
    return {(key, area, month): value for key, area, month, value in rows[1:]}


def of(got: dict, key: str) -> dict[tuple[str, str], str]:
    """One indicator's non-zero figures: (area, month) -> value."""
    return {(area, month): value for (k, area, month), value in got.items() if k == key and value not in ("0",)}


def m(number: int) -> str:
    return f"{YEAR}-{number:02d}"


class TestTheFigures:
    """The figures of the data set, made once for the class."""

    data_set = taken_from("data_set_kept", "data_set")
    users = taken_from("data_set_kept", "users")

    def test_households_visited_count_each_household_once_by_the_town_that_visited(self, data_set, tmp_path):
        got = figures(tmp_path)
        assert of(got, "outreach_households_visited") == {
            # 白沙: 陈建国 on 1 January and 31 December, 王小明 in March before he moved.
            (BAISHA, ""): "2",
            (BAISHA, m(1)): "1",
            (BAISHA, m(3)): "1",
            (BAISHA, m(12)): "1",
            # 荷塘: 李秀英 before she died (her voided visit not), 王小明 after he moved.
            (HETANG, ""): "2",
            (HETANG, m(2)): "1",
            (HETANG, m(9)): "1",
            # The district: three households, not the four the towns add up to.
            (D, ""): "3",
            (D, m(1)): "1",
            (D, m(2)): "1",
            (D, m(3)): "1",
            (D, m(9)): "1",
            (D, m(12)): "1",
        }
        # A month with nothing is a zero, as the dashboard shows it.
        assert got[("outreach_households_visited", BAISHA, m(2))] == "0"

    def test_legal_cases_watches_and_follow_ups(self, data_set, tmp_path):
        got = figures(tmp_path)
        # The voided case is not counted; 王小明's case followed him to 荷塘.
        assert of(got, "legal_cases_opened") == {
            (BAISHA, ""): "1",
            (BAISHA, m(12)): "1",
            (HETANG, ""): "1",
            (HETANG, m(5)): "1",
            (D, ""): "2",
            (D, m(5)): "1",
            (D, m(12)): "1",
        }
        assert of(got, "legal_cases_closed") == {(HETANG, ""): "1", (HETANG, m(6)): "1", (D, ""): "1", (D, m(6)): "1"}
        # Issued last year: 王小明's in February (moved with him), 陈建国's second in July; not
        # his first (the year before), nor the voided one.
        assert of(got, "care_watches_issued") == {
            (BAISHA, ""): "1",
            (BAISHA, m(7)): "1",
            (HETANG, ""): "1",
            (HETANG, m(2)): "1",
            (D, ""): "2",
            (D, m(2)): "1",
            (D, m(7)): "1",
        }
        assert of(got, "care_follow_ups") == {
            (HETANG, ""): "2",
            (HETANG, m(1)): "1",
            (HETANG, m(2)): "1",
            (D, ""): "2",
            (D, m(1)): "1",
            (D, m(2)): "1",
        }

    def test_a_person_who_died_in_march_leaves_the_month_end_counts_from_march(self, data_set, tmp_path):
        got = figures(tmp_path)
        certified = of(got, "certified_persons")
        category_5 = of(got, "certified_category_5")
        for number in (1, 2):
            assert certified[(D, m(number))] == "3" and category_5[(D, m(number))] == "2"
            # 王小明 is counted where he lives now (a move is not a dated event).
            assert category_5[(HETANG, m(number))] == "2"
        for number in range(3, 13):
            assert certified[(D, m(number))] == "2" and category_5[(D, m(number))] == "1"
            assert category_5[(HETANG, m(number))] == "1" and certified[(BAISHA, m(number))] == "1"
        assert (BAISHA, m(1)) not in category_5
        assert of(got, "certified_grade_1") == {
            **{(D, m(n)): "1" for n in range(1, 13)},
            **{(HETANG, m(n)): "1" for n in range(1, 13)},
        }

    def test_one_month_only_and_a_bad_month_refused(self, data_set, tmp_path):
        got = figures(tmp_path, "--month", m(12))
        assert {month for _, _, month in got} == {m(12)}
        assert got[("outreach_households_visited", D, m(12))] == "1"
        for bad in ("2026-13", "May", f"{YEAR + 1}-01"):
            with pytest.raises(CommandError, match="月份"):
                call_command("indicator_values", "--year", str(YEAR), "--month", bad, "--csv", str(tmp_path / "x.csv"))

    def test_the_zero_target_town_has_no_achievement_the_others_do(self, data_set, users):
        from targets import selectors

        board = selectors.board(users["admin"], YEAR)
        visited = next(i for i in board.indicators if i.key == "outreach_households_visited")
        by_code = {a.code: board.figure(visited, a) for a in board.areas}
        hetang, baisha, district = by_code["440703102000"], by_code["440703002000"], by_code["440703000000"]
        assert hetang.value == 2 and hetang.target == 0 and hetang.achievement is None and hetang.light is None
        assert baisha.achievement == Decimal("100.0") and baisha.light == "green"
        assert district.achievement == Decimal("1.8") and district.light == "red"
