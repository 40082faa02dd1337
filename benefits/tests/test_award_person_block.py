"""The benefits block of a person's page: awards, applications, recent paid months, and
the 申请补贴 button; nothing of it for a leader."""

import datetime

from django.urls import reverse

from benefits.payroll import payroll_approve, payroll_generate
from benefits.services import application_submit
from registry.models import EventKind
from registry.services import person_event_record

D = datetime.date


def page(client, person):
    response = client.get(reverse("registry:person_detail", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_block_lists_awards_with_months_and_source(login, users, person, nursing, living, award_for):
    award_for(person, nursing, "2021-03")
    award_for(person, living, "2020-01", "2020-12")
    html = page(login(users["officer"]), person)
    assert "重度残疾人护理补贴" in html and "2021-03" in html and "在享" in html
    assert "2020-01" in html and "2020-12" in html and "旧系统导入" in html


def test_the_block_lists_applications_with_state_and_a_link(login, users, person, nursing):
    application = application_submit(
        user=users["officer"], person=person, scheme=nursing, applied_on=D(2024, 3, 15), applicant="self"
    )
    html = page(login(users["officer"]), person)
    assert reverse("benefits:application_detail", args=[application.pk]) in html
    assert "已受理，待镇街初审" in html


def test_the_block_shows_the_recent_paid_months_per_scheme(login, users, person, nursing, award_for):
    award_for(person, nursing, "2024-01")
    draft = payroll_generate(scheme=nursing, month=D(2024, 3, 1), user=users["admin"])
    payroll_approve(batch=draft, user=users["reviewer"], version=draft.version)
    html = page(login(users["officer"]), person)
    assert "2024-03（243.00）" in html and "2024-01（243.00）" in html


def test_a_draft_payroll_is_not_shown_as_paid(login, users, person, nursing, award_for):
    award_for(person, nursing, "2024-01")
    payroll_generate(scheme=nursing, month=D(2024, 3, 1), user=users["admin"])
    assert "尚无发放记录" in page(login(users["officer"]), person)


def test_the_apply_button_shows_for_users_who_take_applications(login, users, person):
    url = reverse("benefits:application_create") + f"?person={person.pk}"
    assert url in page(login(users["officer"]), person)
    assert url not in page(login(users["reviewer"]), person)


def test_a_leader_gets_no_person_page_and_so_no_awards(login, users, person, nursing, award_for):
    award_for(person, nursing, "2021-03")
    response = login(users["leader"]).get(reverse("registry:person_detail", args=[person.pk]))
    assert response.status_code == 403 and "2021-03" not in response.content.decode()


def _stop_notice(html: str) -> str:
    assert 'id="awards-stop"' in html
    return html.split('id="awards-stop"')[1].split("</div>")[0]


def test_after_a_death_the_awards_stop_from_the_next_month_with_a_link_to_the_stop_list(
    login, users, person, nursing, living, award_for
):
    award_for(person, nursing, "2024-01")
    award_for(person, living, "2020-01", "2020-12")  # ended long ago: not concerned
    person_event_record(user=users["officer"], person=person, kind=EventKind.DEATH, date=D(2024, 3, 10))
    april = payroll_generate(scheme=nursing, month=D(2024, 4, 1), user=users["admin"])
    client = login(users["officer"])
    html = page(client, person)
    notice = _stop_notice(html)
    assert "已于 2024-03-10 死亡" in notice and "2024-03 当月照发" in notice and "自 2024-04 起停发" in notice
    link = reverse("benefits:batch_detail", args=[april.pk]) + "#h-stop"
    assert f'href="{link}"' in notice and "重度残疾人护理补贴" in notice and "困难残疾人生活补贴" not in notice
    awards = html.split("<caption>享受资格</caption>")[1].split("</table>")[0]
    assert "应终止" in awards and "在享" not in awards
    # The link leads to a list that names the person.
    stop_list = client.get(link.split("#")[0]).content.decode().split('id="to-stop"')[1].split("</table>")[0]
    assert person.name in stop_list


def test_a_death_on_the_first_still_pays_that_month(login, users, person, nursing, award_for):
    award_for(person, nursing, "2024-01")
    person_event_record(user=users["officer"], person=person, kind=EventKind.DEATH, date=D(2024, 4, 1))
    notice = _stop_notice(page(login(users["officer"]), person))
    assert "自 2024-05 起停发" in notice
    # No batch from May yet: the link is to the batch list, to generate it.
    assert f'href="{reverse("benefits:batch_list")}"' in notice and "生成 2024-05 起的发放批次后" in notice


def test_an_active_persons_awards_show_no_stop(login, users, person, nursing, award_for):
    award_for(person, nursing, "2024-01")
    html = page(login(users["officer"]), person)
    assert 'id="awards-stop"' not in html and "在享" in html
