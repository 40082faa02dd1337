"""The application pages: list, taking an application, detail and its review actions,
with the scoping matrix — the officer of the person's town 200, another town's officer
404, a leader 200 without names or IDs, and a user who may see
applications but not personal data gets no name or ID."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.roles import Role
from accounts.services import user_create
from benefits.models import Application, Award
from benefits.services import application_end_notice, application_submit, application_town_review
from conftest import make_person

D = datetime.date
APPLIED_ON = D(2024, 3, 15)
State = Application.State


def html(response):
    return response.content.decode()


def submit(user, person, scheme, applied_on=APPLIED_ON):
    return application_submit(user=user, person=person, scheme=scheme, applied_on=applied_on, applicant="self")


@pytest.fixture
def masked_viewer(areas):
    """A leader who was also given the view of applications: still no row per person."""
    user = user_create(username="leader2", password="x-Canlian-2026", role=Role.LEADER, area=areas["district"])
    user.user_permissions.add(Permission.objects.get(codename="view_application"))
    return user


@pytest.fixture
def application(users, person, nursing):
    return submit(users["officer"], person, nursing)


@pytest.fixture
def at_district(users, application):
    application = application_town_review(
        user=users["officer"], application=application, approve=True, today=D(2024, 3, 20)
    )
    return application_end_notice(user=users["officer"], application=application, today=application.notice_until)


# The list ------------------------------------------------------------------------------


def test_the_list_shows_the_officer_the_applications_of_their_town_only(
    login, users, application, other_person, living
):
    other = submit(users["other_officer"], other_person, living)
    page = html(login(users["officer"]).get(reverse("benefits:application_list")))
    assert "共 1 份申请" in page and application.person.name in page and other.person.name not in page
    assert application.person.id_number not in page


def test_the_list_of_another_town_does_not_show_the_application(login, users, application):
    page = html(login(users["other_officer"]).get(reverse("benefits:application_list")))
    assert "共 0 份申请" in page and application.person.name not in page


def test_the_list_for_a_district_reviewer_shows_every_town(login, users, application, other_person, living):
    submit(users["other_officer"], other_person, living)
    assert "共 2 份申请" in html(login(users["reviewer"]).get(reverse("benefits:application_list")))


def test_a_leader_gets_403_for_the_list(login, users, application):
    response = login(users["leader"]).get(reverse("benefits:application_list"))
    assert response.status_code == 403 and "陈**" not in html(response)


def test_the_list_is_403_for_a_user_without_personal_data(login, masked_viewer, application):
    # A row per application, even with the name masked, is not a figure.
    response = login(masked_viewer).get(reverse("benefits:application_list"))
    assert response.status_code == 403 and "陈**" not in html(response)


def test_the_list_filters_by_scheme_state_and_town(login, users, application, other_person, living, nursing):
    submit(users["other_officer"], other_person, living)
    client = login(users["reviewer"])
    url = reverse("benefits:application_list")
    assert "共 1 份申请" in html(client.get(url, {"scheme": nursing.pk}))
    assert "共 1 份申请" in html(client.get(url, {"town": "440703102000"}))
    assert "共 2 份申请" in html(client.get(url, {"state": State.SUBMITTED}))
    assert "共 0 份申请" in html(client.get(url, {"state": State.APPROVED}))


def test_the_list_is_paginated(login, users, areas, nursing):
    for sequence in range(301, 353):
        submit(users["officer"], make_person(areas["baisha_a"], name="王二", sequence=sequence), nursing)
    client = login(users["officer"])
    first = html(client.get(reverse("benefits:application_list")))
    assert "共 52 份申请，第 1/2 页" in first and "下一页" in first
    assert "第 2/2 页" in html(client.get(reverse("benefits:application_list"), {"page": 2}))


def test_a_filter_on_a_town_outside_the_scope_does_not_widen_it(login, users, application, other_person, living):
    submit(users["other_officer"], other_person, living)
    page = html(login(users["officer"]).get(reverse("benefits:application_list"), {"town": "440703102000"}))
    assert other_person.name not in page


# Taking an application -----------------------------------------------------------------


def test_the_new_application_page_answers_the_officer_of_the_persons_town(login, users, person):
    url = reverse("benefits:application_create") + f"?person={person.pk}"
    response = login(users["officer"]).get(url)
    assert response.status_code == 200
    page = html(response)
    assert person.name in page and datetime.date.today().isoformat() in page
    assert login(users["other_officer"]).get(url).status_code == 404
    assert login(users["leader"]).get(url).status_code == 403
    assert login(users["reviewer"]).get(url).status_code == 403


def test_the_new_application_page_without_a_person_answers_404(login, users):
    client = login(users["officer"])
    assert client.get(reverse("benefits:application_create")).status_code == 404
    assert client.get(reverse("benefits:application_create") + "?person=abc").status_code == 404


def test_an_officer_takes_an_application_and_lands_on_its_page(login, users, person, nursing):
    response = login(users["officer"]).post(
        reverse("benefits:application_create") + f"?person={person.pk}",
        {"scheme": nursing.pk, "applied_on": "2024-03-15", "applicant": "guardian", "variant": ""},
    )
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "benefits:application_detail", args=[application.pk]
    )
    assert (application.person, application.scheme, application.applicant) == (person, nursing, "guardian")
    assert application.submitted_by == users["officer"]


def test_another_towns_officer_cannot_post_an_application_for_the_person(login, users, person, nursing):
    response = login(users["other_officer"]).post(
        reverse("benefits:application_create") + f"?person={person.pk}",
        {"scheme": nursing.pk, "applied_on": "2024-03-15", "applicant": "self"},
    )
    assert response.status_code == 404 and not Application.objects.exists()


def test_a_second_open_application_is_refused_on_the_page_in_chinese(login, users, application, nursing):
    response = login(users["officer"]).post(
        reverse("benefits:application_create") + f"?person={application.person_id}",
        {"scheme": nursing.pk, "applied_on": "2024-03-16", "applicant": "self"},
    )
    assert response.status_code == 400 and "已有一份重度残疾人护理补贴申请在办理中" in html(response)
    assert Application.objects.count() == 1


def test_a_future_application_date_and_a_missing_scheme_are_refused(login, users, person):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    response = login(users["officer"]).post(
        reverse("benefits:application_create") + f"?person={person.pk}",
        {"applied_on": tomorrow, "applicant": "self"},
    )
    page = html(response)
    assert response.status_code == 400 and "申请日期不能晚于今天" in page and "这个字段是必填项" in page


def test_a_scheme_with_levels_needs_one_of_its_levels(login, users, person):
    from benefits.models import Scheme

    education = Scheme.objects.get(code="education")
    url = reverse("benefits:application_create") + f"?person={person.pk}"
    client = login(users["officer"])
    response = client.post(url, {"scheme": education.pk, "applied_on": "2024-03-15", "applicant": "self"})
    assert response.status_code == 400 and "须选择档次" in html(response)
    response = client.post(
        url, {"scheme": education.pk, "applied_on": "2024-03-15", "applicant": "self", "variant": "小学"}
    )
    assert response.status_code == 302 and Application.objects.get().variant == "小学"


# Detail --------------------------------------------------------------------------------


def test_the_detail_answers_200_in_the_town_404_outside_and_403_to_a_leader(login, users, application):
    url = reverse("benefits:application_detail", args=[application.pk])
    response = login(users["officer"]).get(url)
    assert response.status_code == 200 and application.person.name in html(response)
    assert application.person.id_number not in html(response)
    assert login(users["other_officer"]).get(url).status_code == 404
    leader = login(users["leader"]).get(url)
    assert leader.status_code == 403 and application.person.name not in html(leader)
    assert login(users["officer"]).get(reverse("benefits:application_detail", args=[999999])).status_code == 404


def test_the_detail_is_403_for_a_user_without_personal_data(login, masked_viewer, application):
    response = login(masked_viewer).get(reverse("benefits:application_detail", args=[application.pk]))
    assert response.status_code == 403 and "陈**" not in html(response)


def test_the_detail_shows_the_steps_with_who_and_why(login, users, application):
    application_town_review(user=users["officer"], application=application, approve=False, reason="缺户口簿")
    page = html(login(users["officer"]).get(reverse("benefits:application_detail", args=[application.pk])))
    assert "受理" in page and "初审退回" in page and "缺户口簿" in page and users["officer"].display_name in page


def test_the_officer_sees_the_town_review_and_the_reviewer_does_not(login, users, application):
    url = reverse("benefits:application_detail", args=[application.pk])
    assert "初审通过，开始公示" in html(login(users["officer"]).get(url))
    reviewer_page = html(login(users["reviewer"]).get(url))
    assert "初审通过，开始公示" not in reviewer_page and "没有可办理的操作" in reviewer_page


# Actions -------------------------------------------------------------------------------


def test_the_officer_approves_at_the_town_from_the_page(login, users, application):
    response = login(users["officer"]).post(
        reverse("benefits:application_town_review", args=[application.pk]), {"decision": "approve"}, follow=True
    )
    application.refresh_from_db()
    assert application.state == State.NOTICE and "初审通过，已开始公示" in html(response)


def test_returning_without_a_reason_shows_the_error_on_the_page(login, users, application):
    response = login(users["officer"]).post(
        reverse("benefits:application_town_review", args=[application.pk]), {"decision": "return", "reason": ""}
    )
    assert response.status_code == 400 and "退回申请须填写原因" in html(response)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_another_towns_officer_cannot_act_on_the_application(login, users, application):
    for name in ("application_town_review", "application_end_notice", "application_decide"):
        response = login(users["other_officer"]).post(
            reverse(f"benefits:{name}", args=[application.pk]), {"decision": "approve"}
        )
        assert response.status_code == 404, name
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_actions_answer_only_to_post(login, users, application):
    response = login(users["officer"]).get(reverse("benefits:application_town_review", args=[application.pk]))
    assert response.status_code == 405


def test_the_notice_cannot_be_closed_early_from_the_page(login, users, application):
    application_town_review(user=users["officer"], application=application, approve=True)
    client = login(users["officer"])
    page = html(client.get(reverse("benefits:application_detail", args=[application.pk])))
    assert "期满后方可结束公示" in page and "结束公示（无异议）" not in page
    response = client.post(reverse("benefits:application_end_notice", args=[application.pk]), {"decision": "end"})
    assert response.status_code == 400 and "公示期未满" in html(response)


def test_a_notice_past_its_end_is_closed_from_the_page(login, users, application):
    application_town_review(user=users["officer"], application=application, approve=True, today=D(2024, 3, 20))
    client = login(users["officer"])
    assert "结束公示（无异议）" in html(client.get(reverse("benefits:application_detail", args=[application.pk])))
    client.post(reverse("benefits:application_end_notice", args=[application.pk]), {"decision": "end"})
    application.refresh_from_db()
    assert application.state == State.DISTRICT_REVIEW


def test_an_objection_from_the_page_needs_its_content_and_returns_the_application(login, users, application):
    application_town_review(user=users["officer"], application=application, approve=True)
    client = login(users["officer"])
    url = reverse("benefits:application_end_notice", args=[application.pk])
    response = client.post(url, {"decision": "objection", "reason": ""})
    assert response.status_code == 400 and "须填写异议内容" in html(response)
    client.post(url, {"decision": "objection", "reason": "群众反映不符合条件"})
    application.refresh_from_db()
    assert application.state == State.RETURNED
    assert application.steps.last().reason == "群众反映不符合条件"


def test_the_reviewer_approves_from_the_page_and_the_award_starts_in_the_month_of_application(
    login, users, at_district
):
    response = login(users["reviewer"]).post(
        reverse("benefits:application_decide", args=[at_district.pk]), {"decision": "approve"}, follow=True
    )
    assert "已批准，自 2024-03 起发放" in html(response)
    assert Award.objects.get(application=at_district).start_month == D(2024, 3, 1)


def test_rejecting_from_the_page_without_a_reason_shows_the_error(login, users, at_district):
    response = login(users["reviewer"]).post(
        reverse("benefits:application_decide", args=[at_district.pk]), {"decision": "reject"}
    )
    assert response.status_code == 400 and "不予批准须填写原因" in html(response)


def test_a_reviewer_who_took_the_application_is_told_so_not_served_a_500(login, users, areas, person, nursing):
    clerk = user_create(
        username="clerk", password="x-Canlian-2026", role=Role.DISTRICT_REVIEWER, area=areas["district"]
    )
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["add_application", "town_review_application"]))
    application = submit(clerk, person, nursing)
    application = application_town_review(
        user=users["officer"], application=application, approve=True, today=D(2024, 3, 20)
    )
    application_end_notice(user=users["officer"], application=application, today=application.notice_until)
    client = login(clerk)
    assert "须由其他审核员审批" in html(client.get(reverse("benefits:application_detail", args=[application.pk])))
    response = client.post(reverse("benefits:application_decide", args=[application.pk]), {"decision": "approve"})
    assert response.status_code == 403 and "不能审批自己受理或初审的申请" in html(response)
    assert not Award.objects.exists()


def test_a_town_officer_posting_a_decision_is_refused_in_chinese(login, users, at_district):
    response = login(users["officer"]).post(
        reverse("benefits:application_decide", args=[at_district.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403 and "您没有审批权限" in html(response)


def test_a_leader_cannot_act(login, users, application):
    response = login(users["leader"]).post(
        reverse("benefits:application_town_review", args=[application.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
