"""The yearly figures per town: person-times, persons served, and the indicator — of the
persons assessed with a need in the year, the share served at least once in the year."""

import datetime

import pytest
from django.urls import reverse

from conftest import make_person
from rehab.models import RehabItem
from rehab.selectors import town_figures
from rehab.services import need_assess

TODAY = datetime.date.today()
URL = reverse("rehab:figures")


def _assess(users, person, by="officer", has_need=True):
    need_assess(
        user=users[by],
        person=person,
        year=TODAY.year,
        has_need=has_need,
        kinds=["physical"] if has_need else [],
        assessed_on=TODAY,
    )


@pytest.fixture
def year_of_work(users, areas, person, other_person, record_for, other_item):
    """白沙: 3 assessed with a need, 2 of them served (one twice), 1 assessed without need,
    and one unassessed person served. 荷塘: 1 assessed with a need, served."""
    second = make_person(areas["baisha_b"], name="王小明", sequence=125)
    third = make_person(areas["baisha_b"], name="赵丽", sequence=126)
    no_need = make_person(areas["baisha_a"], name="孙强", sequence=127)
    walk_in = make_person(areas["baisha_a"], name="周芳", sequence=128)
    for p in (person, second, third):
        _assess(users, p)
    _assess(users, no_need, has_need=False)
    _assess(users, other_person, by="other_officer")
    days = min(TODAY.timetuple().tm_yday - 1, 5)  # this year's days, even on 2 January
    record_for(person, days_ago=days)
    record_for(person, days_ago=days, item=other_item)
    record_for(second, days_ago=0, sessions=10)
    record_for(walk_in, days_ago=0)
    record_for(other_person, days_ago=0, by="other_officer")
    # Last year's service does not count for this year's indicator.
    record_for(third, days_ago=TODAY.timetuple().tm_yday + 1)


def test_the_figures_per_town_and_in_total(users, year_of_work):
    rows, total = town_figures(users["admin"], TODAY.year)
    by_name = {r.name: r for r in rows}
    baisha, hetang = by_name["白沙街道"], by_name["荷塘镇"]
    assert (baisha.person_times, baisha.persons_served, baisha.sessions) == (4, 3, 22)
    assert (baisha.assessed_need, baisha.covered, baisha.coverage_percent) == (3, 2, 66.7)
    assert not baisha.meets_target
    assert (hetang.assessed_need, hetang.covered, hetang.coverage_percent, hetang.meets_target) == (1, 1, 100.0, True)
    assert (total.person_times, total.persons_served, total.assessed_need, total.covered) == (5, 4, 4, 3)
    assert total.coverage_percent == 75.0


def test_a_person_served_in_two_communities_of_a_town_is_one_person_of_it(users, areas, person, record_for):
    from registry.services import person_update

    record_for(person, days_ago=0)
    person_update(user=users["admin"], person=person, data={"area": areas["baisha_b"]})
    record_for(person, days_ago=0, item=RehabItem.objects.get(code="KF10"))
    rows, total = town_figures(users["officer"], TODAY.year)
    assert [(r.name, r.person_times, r.persons_served) for r in rows] == [("白沙街道", 2, 1)]
    assert total.persons_served == 1


def test_a_town_officer_gets_their_town_only(users, year_of_work):
    rows, total = town_figures(users["officer"], TODAY.year)
    assert [r.name for r in rows] == ["白沙街道"] and total.person_times == 4


def test_the_page_for_the_officer(login, users, year_of_work):
    response = login(users["officer"]).get(URL)
    html = response.content.decode()
    assert response.status_code == 200 and "白沙街道" in html and "荷塘镇" not in html
    assert "66.7%" in html and "未达 90%" in html


def test_the_page_for_an_officer_of_another_town(login, users, year_of_work):
    html = login(users["other_officer"]).get(URL).content.decode()
    assert "荷塘镇" in html and "白沙街道" not in html and "100.0%" in html


def test_the_page_for_a_leader_shows_counts_only(login, users, person, year_of_work):
    response = login(users["leader"]).get(URL)
    html = response.content.decode()
    assert response.status_code == 200 and "白沙街道" in html and "荷塘镇" in html and "75.0%" in html
    assert person.name not in html


def test_last_year_and_a_bad_year_parameter(login, users, year_of_work):
    client = login(users["admin"])
    assert "本年度暂无评估和服务记录" not in client.get(URL, {"year": TODAY.year - 1}).content.decode()
    html = client.get(URL, {"year": "abc"}).content.decode()
    assert f"（{TODAY.year} 年）" in html
