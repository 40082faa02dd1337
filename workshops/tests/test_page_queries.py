"""The month's page, the list and the totals read a fixed number of statements, whatever
the number of members and sales (no query per row)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_person
from workshops.models import Channel
from workshops.services import Entry, membership_start, month_save, sale_record
from workshops.tests.conftest import JOINED, LAST_MONTH

pytestmark = pytest.mark.django_db


def _grow(workshop, users, areas, start: int, count: int) -> None:
    entries = {}
    for n in range(count):
        person = make_person(areas["baisha_a"], name=f"成员{start + n}", sequence=start + n)
        membership_start(user=users["admin"], workshop=workshop, person=person, started_on=JOINED)
        entries[person.pk] = Entry(20, 80000)
        sale_record(user=users["admin"], workshop=workshop, channel=Channel.SHOP, sold_on=LAST_MONTH, amount_fen=100)
    month_save(user=users["admin"], workshop=workshop, month=LAST_MONTH, entries=entries)


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("workshops:month_entry", {"month": f"{LAST_MONTH:%Y-%m}"}),
        ("workshops:month_totals", {}),
        ("workshops:sales", {"month": f"{LAST_MONTH:%Y-%m}"}),
        ("workshops:workshop_detail", {}),
    ],
)
def test_a_page_reads_as_many_statements_for_thirty_members_as_for_three(login, users, workshop, areas, name, params):
    client = login(users["centre"])
    url = reverse(name, args=[workshop.pk])
    _grow(workshop, users, areas, 800, 3)
    few = _count(client, url, params)
    _grow(workshop, users, areas, 810, 27)
    assert _count(client, url, params) == few
