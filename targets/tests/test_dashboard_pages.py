"""The dashboard, a town's page and the workbook, for the officer of a town (their town
only), the officer of another town (the first town's rows absent, its page 404), a leader
(every town and the district, no identifiers) and roles without access."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from conftest import taken_from
from targets.tests.conftest import YEAR, personal_strings

BAISHA, HETANG, DISTRICT = "440703002000", "440703102000", "440703000000"


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def dashboard(client, year: int = YEAR) -> str:
    return html(client.get(reverse("targets:dashboard"), {"year": year}))


def assert_nothing_personal(text: str, computed) -> None:
    for value in personal_strings(computed["person"], computed["other_person"], computed["bystander"]):
        assert value not in text


def workbook(client) -> list[list]:
    response = client.get(reverse("targets:export"), {"year": YEAR})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return book.get_sheet_by_index(0).to_python() + book.get_sheet_by_index(1).to_python()


class TestTheDashboard:
    """The pages and workbooks on the paid year's figures, computed once for the class."""

    users = taken_from("computed_kept", "users")
    computed = taken_from("computed_kept", "computed")

    def test_the_town_officer_sees_their_town_only(self, login, users, computed):
        page = dashboard(login(users["officer"]))
        assert f'id="row-{BAISHA}"' in page
        assert f'id="row-{HETANG}"' not in page and f'id="row-{DISTRICT}"' not in page
        # 白沙's year: one nursing recipient (before the move), against its own target of 4.
        assert '<span id="figure-nursing_recipients">1</span>' in page
        assert '<span id="target-nursing_recipients">4</span>' in page
        assert 'aria-valuenow="25"' in page
        assert_nothing_personal(page, computed)

    def test_another_towns_officer_does_not_see_the_town(self, login, users, computed):
        client = login(users["other_officer"])
        page = dashboard(client)
        assert f'id="row-{HETANG}"' in page and f'id="row-{BAISHA}"' not in page
        assert '<span id="figure-nursing_recipients">2</span>' in page
        assert client.get(reverse("targets:town", args=[BAISHA])).status_code == 404
        assert client.get(reverse("targets:town", args=[HETANG])).status_code == 200

    def test_a_leader_sees_every_town_and_the_district_without_identifiers(self, login, users, computed):
        client = login(users["leader"])
        page = dashboard(client)
        for code in (BAISHA, HETANG, DISTRICT):
            assert f'id="row-{code}"' in page
        # The district's year: two recipients, not the three the towns add up to.
        assert '<span id="figure-nursing_recipients">2</span>' in page
        assert_nothing_personal(page, computed)
        town = html(client.get(reverse("targets:town", args=[BAISHA]), {"year": YEAR}))
        assert 'id="month-table"' in town
        assert_nothing_personal(town, computed)

    def test_this_year_shows_certified_persons_against_the_seed_target(self, login, users, computed):
        page = html(login(users["leader"]).get(reverse("targets:dashboard")))
        assert '<span id="figure-certified_persons">2</span>' in page
        assert '<span id="target-certified_persons">9,100</span>' in page
        assert "计算于" in page and 'id="chart-data"' in page

    def test_a_town_that_does_not_exist_is_404(self, login, users, computed):
        assert login(users["leader"]).get(reverse("targets:town", args=["440703999000"])).status_code == 404

    @pytest.mark.parametrize("name", ["dashboard", "export"])
    def test_centre_staff_have_no_access(self, login, users, computed, name):
        assert login(users["centre"]).get(reverse(f"targets:{name}")).status_code == 403

    def test_a_visitor_is_sent_to_the_login(self, client, computed):
        response = client.get(reverse("targets:dashboard"))
        assert response.status_code == 302 and reverse("login") in response["Location"]

    def test_the_officers_workbook_holds_their_town_only(self, login, users, computed):
        rows = workbook(login(users["officer"]))
        areas = {row[2] for row in rows[1:] if row[0] != "指标"}
        assert areas == {"白沙街道"}
        nursing = next(r for r in rows if r[0] == "护理补贴发放人数")
        assert nursing[3:6] == [1.0, 4.0, 25.0]

    def test_the_leaders_workbook_holds_every_town_and_the_district_and_nothing_personal(self, login, users, computed):
        rows = workbook(login(users["leader"]))
        areas = {row[2] for row in rows[1:] if row[0] != "指标"}
        assert {"白沙街道", "荷塘镇", "蓬江区"} <= areas
        text = repr(rows)
        assert_nothing_personal(text, computed)

    def test_another_towns_officer_gets_no_row_of_the_town_in_the_workbook(self, login, users, computed):
        rows = workbook(login(users["other_officer"]))
        assert "白沙街道" not in {row[2] for row in rows}

    def test_a_batch_approved_after_the_figures_is_announced_until_they_are_recomputed(self, login, users, computed):
        from benefits.models import PayrollBatch
        from targets.services import indicators_refresh

        client = login(users["leader"])
        assert 'id="money-pending"' not in dashboard(client)
        # Approved, but its refresh (queued on commit) has not run yet.
        PayrollBatch.objects.filter(pk=computed["draft"].pk).update(
            state=PayrollBatch.State.APPROVED, approved_by=users["reviewer"], approved_at=timezone.now()
        )
        assert 'id="money-pending"' in dashboard(client)
        indicators_refresh(year=YEAR, source="payroll")
        assert 'id="money-pending"' not in dashboard(client)
