"""The dashboard's charts and their tables: the numbers drawn (the page's #chart-data) are
the numbers printed in each chart's table — the progress by month (cumulative where the
months add up) against the target line, and on the district's page each town against its
target."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from targets.models import Target
from targets.services import indicators_refresh
from targets.tests.conftest import NURSING_FEN, YEAR


@pytest.fixture
def figures(paid_year, areas):
    indicators_refresh(year=YEAR, keys=["nursing_recipients", "nursing_amount"])
    Target.objects.create(year=YEAR, indicator="nursing_amount", area=areas["district"], value=12000)
    Target.objects.create(year=YEAR, indicator="nursing_amount", area=areas["baisha"], value=6000)
    return paid_year


def page_of(client, url: str) -> str:
    response = client.get(url, {"year": YEAR})
    assert response.status_code == 200
    return response.content.decode()


def charts(page: str) -> dict[str, dict]:
    data = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', page, re.S).group(1)
    return {spec["id"].removeprefix("chart-"): spec for spec in json.loads(data)}


def number(cell: str) -> float | None:
    text = re.sub(r"<[^>]+>", "", cell).strip()
    return None if text == "—" else float(Decimal(text.replace(",", "")))


def table(page: str, table_id: str) -> list[list]:
    body = re.search(rf'<table[^>]* id="{table_id}".*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        label = re.search(r"<th[^>]*>(.*?)</th>", row, re.S).group(1)
        rows.append([label, *[number(cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]])
    return rows


def test_the_progress_chart_is_its_table(login, users, figures):
    page = page_of(login(users["admin"]), reverse("targets:dashboard"))
    spec = charts(page)["nursing_amount"]
    assert spec["cumulative"] is True
    rows = table(page, "table-nursing_amount")
    # month, the month's figure, the cumulative the chart draws, the target line
    assert [row[2] for row in rows] == spec["values"]
    assert [row[3] for row in rows] == spec["target"]
    paid = NURSING_FEN / 100
    assert spec["values"][:4] == [2 * paid, 4 * paid, 5 * paid, 5 * paid]
    assert spec["target"][0] == 1000 and spec["target"][11] == 12000


def test_a_count_of_persons_is_drawn_month_by_month(login, users, figures):
    page = page_of(login(users["admin"]), reverse("targets:dashboard"))
    spec = charts(page)["nursing_recipients"]
    assert spec["cumulative"] is False
    assert [row[1] for row in table(page, "table-nursing_recipients")] == spec["values"]
    assert spec["values"][:4] == [2, 2, 1, 0]


def test_the_town_comparison_is_its_table(login, users, figures):
    page = page_of(login(users["admin"]), reverse("targets:dashboard"))
    towns = charts(page)["nursing_amount"]["towns"]
    rows = table(page, "towns-table-nursing_amount")
    assert [row[0] for row in rows] == towns["names"]
    assert [row[1] for row in rows] == towns["values"]
    assert [row[2] for row in rows] == towns["targets"]
    assert towns["targets"][towns["names"].index("白沙街道")] == 6000


def test_a_towns_page_has_no_comparison(login, users, figures):
    page = page_of(login(users["officer"]), reverse("targets:town", args=["440703002000"]))
    assert '"towns"' not in page and 'id="towns-table-' not in page
    assert 'id="table-nursing_amount"' in page


def test_an_indicator_not_computed_has_no_town_chart(login, users, figures):
    page = page_of(login(users["admin"]), reverse("targets:dashboard"))
    assert 'id="towns-rehab_person_times"' not in page
    assert "rehab_person_times" not in charts(page)
