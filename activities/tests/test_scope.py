"""Who sees what: a town's activity its town and the district; the district's and the
associations' every user with an area; participants, five ones and members by the person's
town; the app's scope provider grants nothing on any other model."""

import pytest

from activities.models import Activity, Participation
from activities.scoping import district_wide_activities
from activities.selectors import five_ones_visible_to
from activities.services import five_one_record
from canlian.scoping import in_scope, scoped_by_area_alone
from registry.models import Person

from .conftest import days_ago


@pytest.fixture
def hetang_activity(make_activity, areas):
    return make_activity(by="other_officer", name="荷塘镇助残日活动", area=areas["hetang"])


def _names(user) -> set[str]:
    return set(Activity.objects.visible_to(user).values_list("name", flat=True))


def test_each_role_sees_its_towns_activities_and_the_districts(activity, district_activity, hetang_activity, users):
    everything = {"白沙街道助残日活动", "全国助残日主题活动", "荷塘镇助残日活动"}
    assert _names(users["admin"]) == _names(users["leader"]) == _names(users["reviewer"]) == everything
    assert _names(users["officer"]) == {"白沙街道助残日活动", "全国助残日主题活动"}
    assert _names(users["other_officer"]) == {"全国助残日主题活动", "荷塘镇助残日活动"}
    assert _names(users["centre"]) == _names(users["auditor"]) == set()


def test_in_scope_asks_the_provider_for_a_district_activity(activity, district_activity, hetang_activity, users):
    officer = users["officer"]
    assert in_scope(officer, activity) and in_scope(officer, district_activity)
    assert not in_scope(officer, hetang_activity)


def test_the_provider_grants_nothing_on_other_models(users):
    assert district_wide_activities(users["officer"], Person) is None
    assert district_wide_activities(users["centre"], Activity) is None
    # The registry's counters still give the person list's total: persons are the area's alone.
    assert scoped_by_area_alone(users["officer"], Person)
    assert not scoped_by_area_alone(users["officer"], Activity)


def test_records_follow_the_persons_town(district_activity, person, other_person, join, users):
    join(district_activity, person)
    join(district_activity, other_person, by="other_officer")
    five_one_record(user=users["other_officer"], person=other_person, item="book", done_on=days_ago(1))
    seen = set(Participation.objects.visible_to(users["officer"]).values_list("person", flat=True))
    assert seen == {person.pk}
    assert not five_ones_visible_to(users["officer"]).exists()
    assert five_ones_visible_to(users["other_officer"]).get().person == other_person
