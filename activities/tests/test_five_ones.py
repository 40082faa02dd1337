"""The five ones of a person's year recorded directly (once each), and what the five ones
page reads: per town, persons by how many they did and each item's count; per person, the
five with their days — only persons of the user's scope."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.models import FiveOneRecord
from activities.selectors import five_ones_persons, five_ones_rows, five_ones_towns
from activities.services import five_one_record

from .conftest import TODAY, days_ago

ITEMS = ["book", "film", "park", "exhibition", "culture"]


@pytest.fixture
def record(users):
    def _record(person, item, *, by="officer", days=3, **extra):
        return five_one_record(user=users[by], person=person, item=item, done_on=days_ago(days), **extra)

    return _record


def test_an_officer_records_one_of_the_five_directly(record, person, users):
    made = record(person, "book", note="社区书屋")
    assert (made.year, made.item, made.activity, made.recorded_by, made.area_code) == (
        TODAY.year,
        "book",
        None,
        users["officer"],
        person.area_id,
    )


def test_the_same_one_twice_in_a_year_is_refused(record, person):
    record(person, "book")
    with pytest.raises(ValidationError, match=f"该人员 {TODAY.year} 年已完成“读一本书”，请勿重复登记"):
        record(person, "book", days=1)
    assert FiveOneRecord.objects.count() == 1


def test_the_same_one_next_year_is_another(users, person):
    last_year = datetime.date(TODAY.year - 1, 6, 1)
    five_one_record(user=users["officer"], person=person, item="book", done_on=last_year)
    five_one_record(user=users["officer"], person=person, item="book", done_on=days_ago(1))
    assert sorted(FiveOneRecord.objects.values_list("year", flat=True)) == [TODAY.year - 1, TODAY.year]


@pytest.mark.parametrize(
    ("item", "day", "message"),
    [
        ("", days_ago(1), "请选择“五个一”项目"),
        ("book", None, "请填写完成日期"),
        ("book", TODAY + datetime.timedelta(days=1), "完成日期不能晚于今天"),
        ("book", datetime.date(1979, 12, 31), "不能早于出生日期"),
    ],
)
def test_a_wrong_record_is_refused(users, person, item, day, message):
    with pytest.raises(ValidationError, match=message):
        five_one_record(user=users["officer"], person=person, item=item, done_on=day)
    assert not FiveOneRecord.objects.exists()


def test_the_towns_table_counts_persons_by_how_many_they_did(record, users, person, neighbour, other_person):
    for item in ITEMS:
        record(person, item)
    record(neighbour, "film")
    record(other_person, "film", by="other_officer")
    rows, total = five_ones_towns(users["admin"], TODAY.year)
    assert [(r.name, r.by_done, r.by_item) for r in rows] == [
        ("白沙街道", [1, 0, 0, 0, 1], [1, 2, 1, 1, 1]),
        ("荷塘镇", [1, 0, 0, 0, 0], [0, 1, 0, 0, 0]),
    ]
    assert (total.persons, total.complete, total.by_item) == (3, 1, [1, 3, 1, 1, 1])
    officer_rows, _ = five_ones_towns(users["officer"], TODAY.year)
    assert [r.name for r in officer_rows] == ["白沙街道"]


def test_the_person_list_holds_the_users_persons_with_their_five(record, users, person, neighbour, other_person):
    record(person, "book", days=4)
    record(person, "park", days=2)
    record(neighbour, "film")
    record(other_person, "film", by="other_officer")
    entries = list(five_ones_persons(users["officer"], year=TODAY.year))
    rows = five_ones_rows(entries, TODAY.year)
    assert [(r.person, r.done) for r in rows] == [(person, 2), (neighbour, 1)]
    assert [item.done_on if item else None for item in rows[0].items] == [days_ago(4), None, days_ago(2), None, None]
    only_two = five_ones_persons(users["officer"], year=TODAY.year, done=2)
    assert [e["person"] for e in only_two] == [person.pk]


def test_the_page_shows_the_towns_and_the_officers_persons(record, login, users, person, other_person):
    record(person, "book")
    record(other_person, "film", by="other_officer")
    url = reverse("activities:five_ones")
    page = login(users["officer"]).get(url, {"year": TODAY.year}).content.decode()
    assert "白沙街道" in page and "陈建国" in page and "李秀英" not in page and "共 1 人" in page
    leader = login(users["leader"]).get(url, {"year": TODAY.year}).content.decode()
    assert "荷塘镇" in leader and "陈建国" not in leader and "人员名单" not in leader
