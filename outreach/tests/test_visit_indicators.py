"""The visit indicators of the dashboard: households visited (distinct persons) and money
given, by the town and month that visited, voided visits left out."""

from decimal import Decimal

from outreach.services import visit_void
from targets.models import WHOLE_YEAR, IndicatorValue
from targets.services import indicators_refresh

from .conftest import TODAY

DISTRICT, BAISHA, HETANG = "440703000000", "440703002000", "440703102000"


def values(key: str) -> dict[tuple[str, int], tuple[int, int | None]]:
    rows = IndicatorValue.objects.filter(indicator=key, year=TODAY.year)
    return {(v.area_code, v.month): (v.value, v.base) for v in rows}


def test_households_visited_count_each_person_once_and_money_is_in_fen(users, person, other_person, visit_for):
    visit_for(person, days_ago=0, money=Decimal("300.10"))
    new_year = TODAY.replace(month=1, day=1)
    if new_year != TODAY:  # a second visit of the same household in the year
        visit_for(person, visited_on=new_year, money=Decimal("0.20"))
    voided = visit_for(other_person, by="other_officer", days_ago=0, money=Decimal("999"))
    visit_void(user=users["other_officer"], visit=voided, reason="录错人员")
    indicators_refresh(year=TODAY.year, keys=["outreach_households_visited", "outreach_visit_money"])
    households, money = values("outreach_households_visited"), values("outreach_visit_money")
    assert households[(BAISHA, WHOLE_YEAR)] == households[(DISTRICT, WHOLE_YEAR)] == (1, None)
    expected = 30010 + (20 if new_year != TODAY else 0)
    assert money[(DISTRICT, WHOLE_YEAR)] == (expected, None)
    assert (HETANG, WHOLE_YEAR) not in households


def test_the_years_with_visits_or_deliveries_are_the_dashboards(users, person, visit_for):
    from outreach.declaration import declaration

    assert declaration.record_years() == set()
    visit_for(person, visited_on=TODAY.replace(year=TODAY.year - 2, day=1))
    visit_for(person, days_ago=0)
    assert declaration.record_years() == {TODAY.year - 2, TODAY.year}
