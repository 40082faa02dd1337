"""The incremental refresh: a change recomputes only the towns and months it touched, and
the full refresh afterwards finds nothing to change."""

import datetime

from django.utils import timezone

from conftest import taken_from
from outreach.models import HomeVisit
from targets.indicators import INDICATORS
from targets.models import IndicatorValue
from targets.services import indicator_refresh, indicator_refresh_part, records_changed_refresh
from targets.tests.test_seed_figures import YEAR, data_set_kept  # noqa: F401 (the fixture)

BAISHA, HETANG, DISTRICT = "440703002000", "440703102000", "440703000000"
KEY = "outreach_households_visited"


def snapshot(key: str = KEY) -> dict[tuple[str, int], tuple[int, int | None]]:
    return {(v.area_code, v.month): (v.value, v.base) for v in IndicatorValue.objects.filter(indicator=key, year=YEAR)}


def snapshot_of(key, year):
    return {(v.area_code, v.month): v.value for v in IndicatorValue.objects.filter(indicator=key, year=year)}


class TestTheRefreshInPart:
    """The partial refreshes on the data set, made once for the class: each test's changes
    are rolled back with its savepoint."""

    data_set = taken_from("data_set_kept", "data_set")
    users = taken_from("data_set_kept", "users")

    def test_a_new_visit_recomputes_its_town_and_month_only(self, data_set, users):
        untouched = {
            (v.area_code, v.month): v.computed_at
            for v in IndicatorValue.objects.filter(indicator=KEY, year=YEAR, area_code=HETANG)
        }
        person = data_set["a"]
        HomeVisit.objects.create(
            person=person, area_code=person.area_id, visited_on=datetime.date(YEAR, 6, 5), recorded_by=users["admin"]
        )
        done = indicator_refresh_part(INDICATORS[KEY], YEAR, towns={BAISHA}, months={6})
        # 白沙's June and year, the district's June and year: four figures.
        assert done.rows == 4
        partial = snapshot()
        assert partial[(BAISHA, 6)] == (1, None) and partial[(DISTRICT, 6)] == (1, None)
        assert partial[(BAISHA, 0)] == (2, None) and partial[(DISTRICT, 0)] == (3, None)  # the same household
        # 荷塘's figures were not rewritten.
        assert {
            (v.area_code, v.month): v.computed_at
            for v in IndicatorValue.objects.filter(indicator=KEY, year=YEAR, area_code=HETANG)
        } == untouched
        indicator_refresh(INDICATORS[KEY], YEAR)
        assert snapshot() == partial

    def test_a_moved_persons_records_touch_both_towns(self, data_set, users):
        """A voided legal case of 王小明 (now in 荷塘): both towns named, every figure right."""
        from outreach.models import LegalCase

        LegalCase.objects.filter(person=data_set["c"]).update(voided_at=timezone.now())
        for key in ("legal_cases_opened", "legal_cases_closed"):
            indicator_refresh_part(INDICATORS[key], YEAR, towns={BAISHA, HETANG}, months={5, 6})
        partial = {key: snapshot(key) for key in ("legal_cases_opened", "legal_cases_closed")}
        assert (HETANG, 5) not in partial["legal_cases_opened"] and (HETANG, 0) not in partial["legal_cases_opened"]
        assert partial["legal_cases_opened"][(DISTRICT, 0)] == (1, None)
        for key in partial:
            indicator_refresh(INDICATORS[key], YEAR)
            assert snapshot(key) == partial[key]

    def test_a_stock_rewrites_its_current_month_for_the_towns(self, data_set, users):
        today = timezone.localdate()
        indicator_refresh(INDICATORS["certified_persons"], today.year)
        before = snapshot_of("certified_persons", today.year)
        indicator_refresh_part(INDICATORS["certified_persons"], today.year, towns={BAISHA})
        assert snapshot_of("certified_persons", today.year) == before
        assert indicator_refresh_part(INDICATORS["certified_persons"], YEAR, towns={BAISHA}).rows == 0  # a past year

    def test_a_sender_that_names_areas_and_days_queues_the_part(
        self,
        data_set,
        users,
        django_capture_on_commit_callbacks,
    ):
        person, day = data_set["a"], datetime.date(YEAR, 8, 8)
        with django_capture_on_commit_callbacks(execute=True):
            HomeVisit.objects.create(
                person=person, area_code=person.area_id, visited_on=day, recorded_by=users["admin"]
            )
            records_changed_refresh(None, source="outreach", year=YEAR, areas=[person.area_id], days=[day])
        assert snapshot()[(BAISHA, 8)] == (1, None) and snapshot()[(DISTRICT, 8)] == (1, None)

    def test_voiding_a_case_recomputes_its_opening_and_its_closing_month(
        self,
        data_set,
        users,
        django_capture_on_commit_callbacks,
    ):
        """Legal cases closed are dated by their closing day: voiding 王小明's case (opened in
        May, closed in June, in 荷塘) names both months (`LegalCase.figure_days`), so both
        indicators are refreshed in part and right; the full refresh then changes nothing."""
        from canlian.records import record_void
        from outreach.models import LegalCase

        case = LegalCase.objects.get(person=data_set["c"])
        with django_capture_on_commit_callbacks(execute=True):
            record_void(record=case, user=users["admin"], reason="重复登记")
        assert snapshot("legal_cases_closed") == {}  # June's closing is gone too
        opened = snapshot("legal_cases_opened")
        assert (HETANG, 5) not in opened and (HETANG, 0) not in opened and opened[(DISTRICT, 0)] == (1, None)
        for key in ("legal_cases_opened", "legal_cases_closed"):
            assert indicator_refresh(INDICATORS[key], YEAR).changed == 0

    def test_recorded_visits_refresh_their_towns_and_months_after_commit(
        self,
        data_set,
        users,
        django_capture_on_commit_callbacks,
    ):
        """Three writes of one transaction (two visits, one voided): one partial refresh at the
        commit covers the months of all three."""
        from canlian.records import record_create, record_void

        hetang = {v.pk: v.computed_at for v in IndicatorValue.objects.filter(indicator=KEY, area_code=HETANG)}
        person, day = data_set["a"], datetime.date(YEAR, 10, 10)
        with django_capture_on_commit_callbacks(execute=True):
            first = record_create(model=HomeVisit, user=users["officer"], person=person, visited_on=day)
            record_create(model=HomeVisit, user=users["officer"], person=person, visited_on=day.replace(month=11))
            record_void(record=first, user=users["officer"], reason="重复")
        got = snapshot()
        assert got[(BAISHA, 11)] == got[(DISTRICT, 11)] == (1, None)
        assert (BAISHA, 10) not in got and (DISTRICT, 10) not in got
        # 荷塘's rows are the same rows, not rewritten.
        assert {v.pk: v.computed_at for v in IndicatorValue.objects.filter(indicator=KEY, area_code=HETANG)} == hetang
        indicator_refresh(INDICATORS[KEY], YEAR)
        assert snapshot() == got

    def test_a_home_visit_leaves_alone_the_shares_that_read_other_models(
        self,
        data_set,
        users,
        django_capture_on_commit_callbacks,
    ):
        """The love-pack share reads campaigns, their lists and deliveries (`Indicator.reads`):
        a visit's partial refresh recomputes the visits, not it; a write naming no days does."""
        from canlian.records import record_create
        from targets.models import IndicatorRefresh

        def computed(key):
            return IndicatorRefresh.objects.get(indicator=key, year=YEAR).computed_at

        share, visits = computed("outreach_delivered_share"), computed(KEY)
        with django_capture_on_commit_callbacks(execute=True):
            record_create(
                model=HomeVisit, user=users["admin"], person=data_set["a"], visited_on=datetime.date(YEAR, 8, 1)
            )
        assert computed("outreach_delivered_share") == share and computed(KEY) > visits
        with django_capture_on_commit_callbacks(execute=True):
            records_changed_refresh(HomeVisit, source="outreach", year=YEAR)
        assert computed("outreach_delivered_share") > share
