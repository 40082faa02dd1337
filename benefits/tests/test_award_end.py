"""Ending an award from the person's page: last month and reason, for users who may change
awards, inside their scope; refusals shown in Chinese."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.roles import Role
from accounts.services import user_create
from benefits.payroll import payroll_approve, payroll_generate

D = datetime.date


@pytest.fixture
def award(person, nursing, award_for):
    return award_for(person, nursing, "2024-01")


def end(client, award, **data):
    return client.post(reverse("benefits:award_end", args=[award.pk]), data, follow=True)


def test_a_reviewer_ends_an_award_with_its_last_month_and_reason(login, users, award):
    response = end(login(users["reviewer"]), award, end_month="2024-06", reason="迁出本区")
    award.refresh_from_db()
    assert (award.end_month, award.end_reason) == (D(2024, 6, 1), "迁出本区")
    assert award.ended_by == users["reviewer"] and award.ended_at is not None
    assert users["reviewer"].display_name in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("registry:person_detail", args=[award.person_id])
    assert "已终止，最后发放月份 2024-06" in response.content.decode()


def test_the_month_may_be_written_with_a_slash(login, users, award):
    end(login(users["admin"]), award, end_month="2024/6", reason="死亡")
    award.refresh_from_db()
    assert award.end_month == D(2024, 6, 1)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"end_month": "2024-06", "reason": ""}, "终止原因"),
        ({"end_month": "", "reason": "死亡"}, "最后发放月份"),
        ({"end_month": "六月", "reason": "死亡"}, "月份格式不正确"),
        ({"end_month": "2023-12", "reason": "死亡"}, "终止月份不能早于起始月份"),
    ],
)
def test_a_refused_end_is_shown_in_chinese_and_changes_nothing(login, users, award, data, message):
    response = end(login(users["reviewer"]), award, **data)
    assert response.status_code == 200 and message in response.content.decode()
    award.refresh_from_db()
    assert award.end_month is None


def test_an_award_already_ended_cannot_be_ended_again(login, users, award):
    client = login(users["reviewer"])
    end(client, award, end_month="2024-06", reason="死亡")
    response = end(client, award, end_month="2024-08", reason="再次")
    assert "该享受资格已终止" in response.content.decode()
    award.refresh_from_db()
    assert award.end_month == D(2024, 6, 1)


def test_a_town_officer_may_not_end_an_award(login, users, award):
    response = login(users["officer"]).post(
        reverse("benefits:award_end", args=[award.pk]), {"end_month": "2024-06", "reason": "死亡"}
    )
    assert response.status_code == 403


def test_an_award_outside_the_scope_answers_404(login, users, areas, other_person, nursing, award_for):
    town_reviewer = user_create(username="tr", password="x-Canlian-2026", role=Role.TOWN_OFFICER, area=areas["baisha"])
    town_reviewer.user_permissions.add(Permission.objects.get(codename="change_award"))
    other_award = award_for(other_person, nursing, "2024-01")
    response = login(town_reviewer).post(
        reverse("benefits:award_end", args=[other_award.pk]), {"end_month": "2024-06", "reason": "死亡"}
    )
    assert response.status_code == 404
    other_award.refresh_from_db()
    assert other_award.end_month is None


def test_a_leader_may_not_end_an_award(login, users, award):
    response = login(users["leader"]).post(
        reverse("benefits:award_end", args=[award.pk]), {"end_month": "2024-06", "reason": "死亡"}
    )
    assert response.status_code == 403


def test_ending_before_months_already_paid_warns_about_the_overpayment(login, users, award, nursing):
    batch = payroll_generate(scheme=nursing, month=D(2024, 3, 1), user=users["admin"])
    payroll_approve(batch=batch, user=users["reviewer"], version=batch.version)
    response = end(login(users["reviewer"]), award, end_month="2024-01", reason="死亡")
    assert "已发放至 2024-03" in response.content.decode()


def test_the_end_form_is_on_the_person_page_only_for_users_who_may_end_awards(login, users, award):
    url = reverse("registry:person_detail", args=[award.person_id])
    action = reverse("benefits:award_end", args=[award.pk])
    assert action in login(users["reviewer"]).get(url).content.decode()
    assert action not in login(users["officer"]).get(url).content.decode()
