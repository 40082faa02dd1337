"""The forms posted on the start-up, employer and partner-county pages: a valid one calls
the service, says what it did and goes back to the page; an invalid one, or one the
service refuses, shows the page again (400) with the reason and writes nothing."""

import pytest
from django.contrib.messages import get_messages

from employment import services
from employment.models import (
    JobPlacement,
    PartnerDevice,
    PartnerPlacement,
    QuotaEmployment,
    StartupFollowUp,
    StartupState,
    StartupSupport,
    Vacancy,
)
from registry.testing import make_id_number

from .conftest import TODAY, days_ago


@pytest.fixture
def employer(users, areas):
    return services.employer_create(user=users["officer"], name="江门市益杯咖啡有限公司", kind="enterprise",
                                    area=areas["baisha"], caring=True)  # fmt: skip


def _said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _post(client, user, url, data):
    client.force_login(user)
    return client.post(url, data)


# Start-up support ---------------------------------------------------------------------


def test_an_officer_applies_for_start_up_support_from_the_persons_page(client, person, point, users):
    data = {
        "head_name": person.name, "head_id_number": person.id_number, "household_size": 3, "kind": "startup",
        "business": "网店经营", "applied_on": days_ago(2).isoformat(), "point": point.pk,
    }  # fmt: skip
    response = _post(client, users["officer"], f"/employment/persons/{person.pk}/startup/", data)
    support = StartupSupport.objects.get()
    assert response.status_code == 302 and response.url == f"/employment/startups/{support.pk}/"
    assert _said(response) == [f"已受理{person.name}户的创业扶持申请，待区残联审核"]


def test_a_refused_start_up_application_shows_the_form_again(client, person, point, users):
    data = {
        "head_name": person.name, "head_id_number": "4407031980", "household_size": 3, "kind": "startup",
        "business": "网店经营", "applied_on": days_ago(2).isoformat(), "point": point.pk,
    }  # fmt: skip
    response = _post(client, users["officer"], f"/employment/persons/{person.pk}/startup/", data)
    assert response.status_code == 400
    assert "户主公民身份号码：身份证号应为 18 位" in response.content.decode()
    assert not StartupSupport.objects.exists()


def test_an_empty_start_up_post_shows_the_blank_form(client, person, users):
    response = _post(client, users["officer"], f"/employment/persons/{person.pk}/startup/", {})
    assert response.status_code == 200
    assert not StartupSupport.objects.exists()


def test_a_reviewer_approves_from_the_support_page(client, apply, person, users):
    support = apply(person)
    response = _post(client, users["reviewer"], f"/employment/startups/{support.pk}/review/", {"decision": "approve"})
    support.refresh_from_db()
    assert response.status_code == 302 and response.url == f"/employment/startups/{support.pk}/"
    assert support.state == StartupState.APPROVED
    assert _said(response) == [f"已批准，扶持金额 {support.amount_fen / 100:.2f} 元，由一次性资助发放批次发放"]


def test_a_reviewer_rejects_from_the_support_page(client, apply, person, users):
    support = apply(person)
    url = f"/employment/startups/{support.pk}/review/"
    response = _post(client, users["reviewer"], url, {"decision": "reject", "opinion": "项目不符合扶持范围"})
    assert response.status_code == 302
    assert _said(response) == ["已审核：不予批准"]


def test_a_rejection_without_an_opinion_is_refused_on_the_page(client, apply, person, users):
    support = apply(person)
    response = _post(client, users["reviewer"], f"/employment/startups/{support.pk}/review/", {"decision": "reject"})
    assert response.status_code == 400
    assert "不予批准须填写审核意见" in response.content.decode()
    support.refresh_from_db()
    assert support.state == StartupState.SUBMITTED


def test_a_review_without_a_decision_shows_the_page_again(client, apply, person, users):
    support = apply(person)
    response = _post(client, users["reviewer"], f"/employment/startups/{support.pk}/review/", {})
    assert response.status_code == 400
    assert "请选择审核结论" in response.content.decode()
    support.refresh_from_db()
    assert support.state == StartupState.SUBMITTED


def test_a_second_review_is_refused_and_writes_nothing(client, apply, person, users):
    support = services.startup_review(user=users["reviewer"], support=apply(person), approve=True)
    url = f"/employment/startups/{support.pk}/review/"
    response = _post(client, users["reviewer"], url, {"decision": "reject", "opinion": "重新审核"})
    assert response.status_code == 400
    support.refresh_from_db()
    assert support.state == StartupState.APPROVED and support.opinion != "重新审核"


def test_a_follow_up_is_recorded_with_its_income_in_fen(client, apply, person, users):
    support = services.startup_review(user=users["reviewer"], support=apply(person), approve=True)
    data = {"milestone": 6, "visited_on": TODAY.isoformat(), "business_state": "running", "monthly_income": "1234.50"}
    response = _post(client, users["officer"], f"/employment/startups/{support.pk}/followup/", data)
    assert response.status_code == 302 and response.url == f"/employment/startups/{support.pk}/"
    record = StartupFollowUp.objects.get()
    assert record.monthly_income_fen == 123450
    assert _said(response) == [f"已登记{record.get_milestone_display()}：{record.get_business_state_display()}"]


def test_a_second_follow_up_of_a_milestone_is_refused_on_the_page(client, apply, person, users):
    support = services.startup_review(user=users["reviewer"], support=apply(person), approve=True)
    data = {"milestone": 6, "visited_on": TODAY.isoformat(), "business_state": "running"}
    _post(client, users["officer"], f"/employment/startups/{support.pk}/followup/", data)
    response = client.post(f"/employment/startups/{support.pk}/followup/", data)
    assert response.status_code == 400
    assert "该创业扶持已登记6 个月回访" in response.content.decode()
    assert StartupFollowUp.objects.count() == 1


def test_a_follow_up_of_a_waiting_support_writes_nothing(client, apply, person, users):
    support = apply(person)
    data = {"milestone": 6, "visited_on": TODAY.isoformat(), "business_state": "running"}
    response = _post(client, users["officer"], f"/employment/startups/{support.pk}/followup/", data)
    assert response.status_code == 400
    assert not StartupFollowUp.objects.exists()


# Employers, vacancies, quota, placements ----------------------------------------------


def test_an_officer_registers_an_employer(client, users, areas):
    data = {"name": "江门市美心食品有限公司", "kind": "enterprise", "area": areas["baisha"].pk}
    response = _post(client, users["officer"], "/employment/employers/new/", data)
    assert response.status_code == 302
    assert _said(response) == ["已登记用人单位“江门市美心食品有限公司”"]


def test_an_employer_registered_twice_is_refused_on_the_form(client, employer, users, areas):
    data = {"name": employer.name, "kind": "enterprise", "area": areas["baisha"].pk}
    response = _post(client, users["officer"], "/employment/employers/new/", data)
    assert response.status_code == 400
    assert "已登记" in response.content.decode()


def test_a_vacancy_is_posted_with_its_wage_in_fen(client, employer, point, users):
    data = {"title": "咖啡师", "openings": 2, "wage": "3000", "posted_on": TODAY.isoformat(), "point": point.pk}
    response = _post(client, users["officer"], f"/employment/employers/{employer.pk}/vacancy/", data)
    assert response.status_code == 302 and response.url == f"/employment/employers/{employer.pk}/"
    assert Vacancy.objects.get().wage_fen == 300000
    assert _said(response) == ["已发布岗位“咖啡师”"]


def test_a_vacancy_without_a_wage_shows_the_employers_page_again(client, employer, point, users):
    data = {"title": "咖啡师", "openings": 2, "posted_on": TODAY.isoformat(), "point": point.pk}
    response = _post(client, users["officer"], f"/employment/employers/{employer.pk}/vacancy/", data)
    assert response.status_code == 400
    assert employer.name in response.content.decode()
    assert not Vacancy.objects.exists()


def test_quota_employment_is_saved_and_refused_on_the_employers_page(client, employer, users):
    url = f"/employment/employers/{employer.pk}/quota/"
    response = _post(client, users["officer"], url, {"year": TODAY.year, "staff": 100, "disabled_employed": 2})
    assert response.status_code == 302 and response.url == f"/employment/employers/{employer.pk}/"
    assert _said(response) == [f"已登记 {TODAY.year} 年按比例就业情况"]
    response = client.post(url, {"year": TODAY.year, "staff": 1, "disabled_employed": 2})
    assert response.status_code == 400
    assert "不能超过在职职工人数" in response.content.decode()
    assert QuotaEmployment.objects.get().disabled_employed == 2


def test_a_placement_is_registered_from_the_persons_page(client, employer, person, point, users):
    data = {
        "employer": employer.pk, "job_title": "咖啡师", "started_on": days_ago(3).isoformat(), "wage": "3000",
        "quota": "on", "point": point.pk,
    }  # fmt: skip
    response = _post(client, users["officer"], f"/employment/persons/{person.pk}/placement/", data)
    assert response.status_code == 302 and response.url == f"/persons/{person.pk}/"
    assert JobPlacement.objects.get().wage_fen == 300000
    assert _said(response) == [f"已登记{person.name}在“{employer.name}”就业"]


def test_a_placement_with_no_wage_is_refused_on_the_form(client, employer, person, point, users):
    data = {
        "employer": employer.pk, "job_title": "咖啡师", "started_on": days_ago(3).isoformat(), "wage": "0",
        "point": point.pk,
    }  # fmt: skip
    response = _post(client, users["officer"], f"/employment/persons/{person.pk}/placement/", data)
    assert response.status_code == 400
    assert "月工资应大于 0" in response.content.decode()
    assert not JobPlacement.objects.exists()


# The partner county -------------------------------------------------------------------


def test_the_district_registers_a_partner_placement(client, employer, users):
    data = {
        "pp-name": "农春梅", "pp-id_number": make_id_number(region="451425", sequence=101), "pp-county": "天等县",
        "pp-employer": employer.pk, "pp-job_title": "包装工", "pp-started_on": days_ago(5).isoformat(),
        "pp-wage": "2600",
    }  # fmt: skip
    response = _post(client, users["admin"], "/employment/partner/placement/", data)
    assert response.status_code == 302 and response.url == "/employment/partner/"
    assert PartnerPlacement.objects.get().wage_fen == 260000
    assert _said(response) == [f"已登记农春梅（天等县）在“{employer.name}”就业"]


def test_a_partner_device_with_a_bad_id_number_is_refused_on_the_page(client, users):
    number = make_id_number(region="451425", sequence=301)
    data = {
        "pd-name": "黄志强", "pd-id_number": number[:17] + ("0" if number[17] != "0" else "1"), "pd-county": "天等县",
        "pd-device": "轮椅", "pd-quantity": 1, "pd-sent_on": days_ago(2).isoformat(),
    }  # fmt: skip
    response = _post(client, users["admin"], "/employment/partner/device/", data)
    assert response.status_code == 400
    assert "身份证号校验位错误" in response.content.decode()
    assert not PartnerDevice.objects.exists()
    data["pd-id_number"] = number
    response = client.post("/employment/partner/device/", data)
    assert response.status_code == 302 and response.url == "/employment/partner/"
    assert _said(response) == ["已登记向黄志强（天等县）发放轮椅 1 件"]
