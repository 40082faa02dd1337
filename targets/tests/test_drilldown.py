"""A click on a figure lists the persons or records behind it (`targets.drilldown`): the
list is exactly what the figure counts, for every indicator that has one, every area and
every month of the small data sets; a leader sees the figure and no link (the list answers
403); a town officer gets 404 for another town's list and for the district's."""

import datetime
import re

import pytest
from django.urls import reverse

from conftest import kept_for_the_class, make_people, taken_from
from registry.identifiers import mask_id
from targets import drilldown, selectors
from targets.indicators import INDICATORS
from targets.services import indicators_refresh
from targets.tests.conftest import YEAR, make_paid_year
from targets.tests.test_seed_figures import data_set  # noqa: F401 (a fixture)

BAISHA, HETANG, DISTRICT = "440703002000", "440703102000", "440703000000"


def records_url(key: str, area: str, year: int = YEAR, month: int | None = None) -> str:
    query = f"?area={area}&year={year}" + (f"&month={month}" if month else "")
    return reverse("targets:records", args=[key]) + query


@pytest.fixture(scope="class")
def paid_kept(django_db_setup, django_db_blocker):
    """The paid year (`paid_year`) and its figures, made once for a class, with its areas,
    users and persons (`conftest.taken_from`)."""
    with kept_for_the_class(django_db_blocker):
        people = make_people()
        yield {**people, "paid": make_paid(make_paid_year(**people))}


def make_paid(paid_year):
    """The payroll's figures of last year and this year's certified persons: only those
    computed, so the fixture stays small."""
    payroll = [i.key for i in drilldown.drillable_indicators() if i.source == "payroll"]
    indicators_refresh(year=YEAR, keys=[*payroll, "nursing_amount"])
    stocks = [i.key for i in drilldown.drillable_indicators() if i.source == "registry"]
    indicators_refresh(year=datetime.date.today().year, keys=stocks)
    return paid_year


def assert_lists_match_figures(user, year: int) -> int:
    """Each drillable figure of the board (every area, the year and each month) against
    the length of its list; returns how many figures were not zero."""
    board = selectors.board(user, year)
    nonzero = 0
    for indicator in drilldown.drillable_indicators():
        for area in board.areas:
            figure = board.figure(indicator, area)
            for month, shown in [(None, figure.value), *enumerate(figure.months, start=1)]:
                if shown is None or not drilldown.drillable(indicator, year, month):
                    continue
                listed = drilldown.listing(indicator, area=area, year=year, month=month).rows.count()
                assert listed == shown, (indicator.key, area.code, month, listed, shown)
                nonzero += bool(listed)
    return nonzero


def test_most_indicators_have_a_list_and_money_and_shares_none():
    keys = {i.key for i in drilldown.drillable_indicators()}
    assert len(keys) >= 40
    assert {"certified_persons", "certified_grade_1", "nursing_recipients", "rehab_person_times"} <= keys
    assert {"care_follow_ups", "outreach_psych_sessions", "workshop_members"} <= keys
    for key in ("nursing_amount", "rehab_coverage", "outreach_visit_money", "employment_employed_share"):
        assert key not in keys
        assert INDICATORS[key].is_money or INDICATORS[key].is_share


def test_the_lists_of_the_seed_figures_are_the_figures(users, data_set):  # noqa: F811
    assert assert_lists_match_figures(users["admin"], YEAR) >= 20


class TestThePaidYearsLists:
    """The lists behind the paid year's figures, made once for the class."""

    users = taken_from("paid_kept", "users")
    paid = taken_from("paid_kept", "paid")

    def test_the_lists_of_payments_and_of_certified_persons_are_the_figures(self, users, paid):
        assert assert_lists_match_figures(users["admin"], YEAR) >= 5
        # This year's stocks (certified persons by category and grade): today's persons.
        assert assert_lists_match_figures(users["admin"], datetime.date.today().year) >= 3

    def test_certified_persons_are_listed_as_persons_masked(self, login, users, paid):
        this_year = datetime.date.today().year
        bystander, moved = paid["bystander"], paid["person"]  # 陈建国 moved to 荷塘
        listing = drilldown.listing(
            INDICATORS["certified_persons"], area=bystander.area.town, year=this_year, month=None
        )
        assert listing.of_persons and list(listing.rows) == [bystander]
        text = login(users["officer"]).get(records_url("certified_persons", BAISHA, this_year)).content.decode()
        assert mask_id(bystander.id_number) in text and bystander.id_number not in text
        assert moved.name not in text

    def test_the_officer_reads_the_persons_behind_their_towns_figure_masked(self, login, users, paid):
        person = paid["person"]
        page = login(users["officer"]).get(records_url("nursing_recipients", BAISHA))
        assert page.status_code == 200
        text = page.content.decode()
        assert "共 1 人" in text
        assert person.name in text and mask_id(person.id_number) in text
        assert person.id_number not in text
        assert paid["other_person"].name not in text
        # January alone: the payment of January, dated by its batch.
        january = login(users["officer"]).get(records_url("nursing_recipients", BAISHA, month=1)).content.decode()
        assert "共 1 人" in january

    def test_the_dashboard_links_a_figure_to_its_records_for_an_officer(self, login, users, paid):
        page = login(users["officer"]).get(reverse("targets:dashboard"), {"year": YEAR}).content.decode()
        url = records_url("nursing_recipients", BAISHA).replace("&", "&amp;")
        assert f'href="{url}"' in page
        # Money has no list: its figure is not a link.
        assert "/targets/nursing_amount/records/" not in page

    def test_a_leader_sees_the_figure_and_no_link_and_the_list_is_403(self, login, users, paid):
        client = login(users["leader"])
        page = client.get(reverse("targets:dashboard"), {"year": YEAR}).content.decode()
        assert '<span id="figure-nursing_recipients">2</span>' in page
        assert "/records/" not in page
        town = client.get(reverse("targets:town", args=[BAISHA]), {"year": YEAR}).content.decode()
        assert "/records/" not in town
        assert client.get(records_url("nursing_recipients", DISTRICT)).status_code == 403

    def test_another_towns_list_and_the_districts_are_404_for_a_town_officer(self, login, users, paid):
        client = login(users["other_officer"])
        assert client.get(records_url("nursing_recipients", BAISHA)).status_code == 404
        assert client.get(records_url("nursing_recipients", DISTRICT)).status_code == 404
        assert client.get(records_url("nursing_recipients", HETANG)).status_code == 200

    def test_a_figure_without_a_list_is_404(self, login, users, paid):
        client = login(users["admin"])
        assert client.get(records_url("nursing_amount", DISTRICT)).status_code == 404
        assert client.get(records_url("no_such_indicator", DISTRICT)).status_code == 404
        # A stock's past year: its persons of today are not last year's figure.
        assert client.get(records_url("certified_persons", DISTRICT)).status_code == 404

    def test_the_district_admin_reads_the_districts_list_paged(self, login, users, paid):
        text = login(users["admin"]).get(records_url("nursing_recipients", DISTRICT)).content.decode()
        assert "共 2 人" in text
        assert len(re.findall(r'<td class="masked">', text)) == 2


def test_every_list_opens_for_the_officers_town_only_and_never_for_a_leader(users, areas):
    """Every figure with a list (the scope walk asks one of them): a town officer opens their
    town's, another town's and the district's answer 404, a leader's is 403."""
    from django.test import Client
    from django.utils import timezone

    year = timezone.localdate().year
    officer, leader = Client(), Client()
    officer.force_login(users["officer"])
    leader.force_login(users["leader"])
    keys = [i.key for i in drilldown.drillable_indicators()]
    assert len(keys) >= 40
    answers = {
        key: (
            officer.get(records_url(key, BAISHA, year)).status_code,
            officer.get(records_url(key, HETANG, year)).status_code,
            officer.get(records_url(key, DISTRICT, year)).status_code,
            leader.get(records_url(key, BAISHA, year)).status_code,
        )
        for key in keys
    }
    assert {key: a for key, a in answers.items() if a != (200, 404, 404, 403)} == {}
