"""The person list's pages (deferred join) and totals: the right persons in the right order on
a deep page, a total equal to the filtered list's size for every filter, and the scope and
masking of each user kept on every page."""

import datetime

import pytest
from django.urls import reverse

from conftest import make_person
from registry import views
from registry.models import Person
from registry.selectors import SORTS
from registry.testing import make_certificate, make_id_number

PAGE_SIZE = 3
PERSONS = 3 * 1000 + 2  # page 1,000 is full, page 1,001 holds two


@pytest.fixture
def registry(areas, monkeypatch):
    """3,002 persons over the four communities (1,501 in each town), varied in every
    filtered column; pages of 3, so that page 1,000 is a deep page."""
    monkeypatch.setattr(views, "PAGE_SIZE", PAGE_SIZE)
    communities = [areas[k] for k in ("baisha_a", "baisha_b", "hetang_a", "hetang_b")]
    persons = []
    for i in range(PERSONS):
        birth = datetime.date(1950 + i // 1000, 1 + i % 12, 1)
        id_number = make_id_number(birth=birth.strftime("%Y%m%d"), sequence=i % 1000)
        category, grade = 1 + i % 7, 1 + i % 4
        persons.append(
            Person(
                name=f"{'陈李王张'[i % 4]}{i:04d}",
                gender="MF"[i % 2],
                id_number=id_number,
                birth_date=birth,
                certificate_number=make_certificate(id_number, category, grade),
                category=category,
                grade=grade,
                area=communities[(i // 7) % 4],
                phone="13812345678",
                economic_status=["none", "dibao", "near_dibao", "tekun"][i % 3],
                lives_alone=i % 5 == 0,
                status="active" if i % 11 else "deceased",
                status_date=None if i % 11 else datetime.date(2024, 1, 1),
            )
        )
    Person.objects.bulk_create(persons, batch_size=1000)
    return persons


def _names_on_page(client, **params) -> list[str]:
    html = client.get(reverse("registry:person_list"), params).content.decode()
    rows = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [part.split('">', 1)[1].split("</a>", 1)[0] for part in rows.split('<a href="/persons/')[1:]]


def _total(client, **params) -> int:
    html = client.get(reverse("registry:person_list"), params).content.decode()
    return int(html.split("共 ", 1)[1].split(" 人", 1)[0].replace(",", ""))


@pytest.mark.parametrize("sort", ["area", "-name", "category", "-birth"])
def test_page_1000_shows_the_right_persons_in_the_order_asked(login, users, registry, sort):
    expected = list(Person.objects.order_by(*SORTS[sort]).values_list("name", flat=True)[2997:3000])
    assert _names_on_page(login(users["admin"]), page=1000, sort=sort) == expected
    last = list(Person.objects.order_by(*SORTS[sort]).values_list("name", flat=True)[3000:])
    assert _names_on_page(login(users["admin"]), page=1001, sort=sort) == last


def test_a_town_officers_deep_page_holds_their_town_only(login, users, registry):
    client = login(users["officer"])
    own = list(
        Person.objects.filter(area_id__in=["440703002001", "440703002002"])
        .order_by(*SORTS["area"])
        .values_list("name", flat=True)
    )
    assert _total(client) == len(own) and 1400 < len(own) < 1600
    assert _names_on_page(client, page=450) == own[1347:1350]
    last = own[(len(own) - 1) // PAGE_SIZE * PAGE_SIZE :]
    assert _names_on_page(client, page=900) == last  # out of range: the last page
    other = login(users["other_officer"])
    assert not set(_names_on_page(other, page=450)) & set(own)


def test_a_leader_gets_counts_on_any_page(login, users, registry):
    html = login(users["leader"]).get(reverse("registry:person_list"), {"page": 1000}).content.decode()
    names = list(Person.objects.order_by(*SORTS["area"]).values_list("name", flat=True)[2997:3000])
    for name in names:
        assert name not in html and f"{name[0]}**" not in html
    assert _total(login(users["leader"]), page=1000) == Person.objects.count()
    assert "13812345678" not in html and "1381" not in html and "身份证号" not in html


FILTERS = [
    {},
    {"town": "440703002000"},
    {"community": "440703102202"},
    {"status": "deceased"},
    {"category": "3"},
    {"grade": "2", "town": "440703102000"},
    {"economic_status": "dibao"},
    {"lives_alone": "1", "status": "active"},
    {"q": "陈"},
    {"q": "王00"},
    {"category": "9"},  # invalid: ignored, as the form says
]


@pytest.mark.parametrize("params", FILTERS, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()) or "none")
def test_the_total_is_the_size_of_the_filtered_list(login, users, registry, params):
    from django.test import RequestFactory

    from registry.selectors import filtered_persons

    for user in ("admin", "officer", "leader"):
        request = RequestFactory().get("/persons/", params)
        request.user = users[user]
        persons, _ = filtered_persons(request)
        client = login(users[user])
        assert _total(client, **params) == persons.count(), user
        last_page = (persons.count() + PAGE_SIZE - 1) // PAGE_SIZE
        expected = list(persons.values_list("pk", flat=True)[(last_page - 1) * PAGE_SIZE :])
        if user != "leader":  # a leader's names are masked
            shown = _names_on_page(client, page=last_page, **params)
            assert shown == [Person.objects.get(pk=pk).name for pk in expected], user


def test_an_empty_list_says_so(login, users, areas):
    make_person(areas["hetang_a"], name="李秀英")
    html = login(users["officer"]).get(reverse("registry:person_list"), {"page": 7}).content.decode()
    assert "共 0 人" in html and "没有符合条件的人员" in html
