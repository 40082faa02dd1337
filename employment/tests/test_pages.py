"""Every page of the app opens for the users who may read it and shows Chinese only (no
template leftover, no English word)."""

import pytest

from employment import services
from employment.models import Employer
from registry.testing import make_id_number
from tests_browser.visible_text import html_text, text_problems

from .conftest import days_ago


@pytest.fixture
def filled(course, person, point, apply, users, areas):
    officer = users["officer"]
    services.status_record(user=officer, person=person, status="employed", changed_on=days_ago(3), point=point)
    services.enrol(user=officer, course=course, person=person, enrolled_on=days_ago(35))
    support = services.startup_review(user=users["reviewer"], support=apply(person), approve=True)
    employer = Employer.objects.create(
        name="江门市美心食品有限公司", kind="enterprise", caring=True, area=areas["baisha"]
    )
    services.placement_create(
        user=officer, person=person, employer=employer, job_title="包装工", started_on=days_ago(30), wage_fen=260000,
        point=point,
    )  # fmt: skip
    services.quota_save(user=officer, employer=employer, year=days_ago(0).year, staff=100, disabled_employed=1)
    services.partner_device_create(
        user=users["admin"], name="黄志强", id_number=make_id_number(region="451425", sequence=301), county="天等县",
        device="轮椅", quantity=1, sent_on=days_ago(2),
    )  # fmt: skip
    return {"course": course, "support": support, "employer": employer, "person": person}


@pytest.mark.parametrize("role", ["admin", "officer", "reviewer"])
def test_every_page_reads_in_chinese(client, filled, users, role):
    client.force_login(users[role])
    urls = [
        "/employment/",
        "/employment/figures/",
        "/employment/courses/",
        f"/employment/courses/{filled['course'].pk}/",
        "/employment/startups/",
        f"/employment/startups/{filled['support'].pk}/",
        "/employment/employers/",
        f"/employment/employers/{filled['employer'].pk}/",
        "/employment/placements/",
        f"/persons/{filled['person'].pk}/",
    ]
    if role != "reviewer":
        pk = filled["person"].pk
        urls += [
            f"/employment/persons/{pk}/startup/",
            f"/employment/persons/{pk}/placement/",
            "/employment/employers/new/",
        ]
    if role != "officer":
        urls.append("/employment/partner/")
    if role == "admin":
        urls.append("/employment/courses/new/")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        # The signed-in user's name (测试admin) is the suite's, not the page's.
        text = html_text(response.content.decode())
        for name in sorted(users, key=len, reverse=True):
            text = text.replace(name, "")
        assert text_problems(text) == [], url


def test_the_leader_reads_figures_and_no_names(client, filled, users):
    client.force_login(users["leader"])
    for url in ("/employment/", "/employment/figures/", f"/employment/courses/{filled['course'].pk}/",
                f"/employment/employers/{filled['employer'].pk}/"):  # fmt: skip
        page = client.get(url).content.decode()
        assert "陈建国" not in page, url
    assert client.get("/employment/startups/").status_code == 403
    assert client.get("/employment/placements/").status_code == 403
    figures = client.get("/employment/figures/").content.decode()
    assert "获得创业扶持的家庭" in figures and "100.0%" in figures
