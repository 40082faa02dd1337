"""Voiding (作废) a mental-health case, one of its follow-ups, a watch issue and a placement
entered by mistake: a written reason, audited, the record out of the lists, the figures
and the person's timeline, the right one enterable again; a blank reason or another
town's record writes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from benefits.models import Scheme
from benefits.selectors import eligible_persons
from canlian.models import AuditEntry
from canlian.scoping import OutOfScope
from canlian.timeline import person_timeline
from care.models import CareCase, CaseFollowUp, Institution, InstitutionKind, Placement, WatchIssue
from care.selectors_cases import eligible_without_watch, overdue_cases
from care.services.cases import case_open, case_void, followup_record, followup_void
from care.services.places import placement_create, placement_void
from care.services.watches import watch_issue, watch_void

TODAY = datetime.date.today()


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def open_case(users, person, *, risk="high", opened_on=None, by="admin"):
    return case_open(
        user=users[by],
        person=person,
        keyworker=users["centre"],
        risk=risk,
        plan="每月入户探访",
        opened_on=opened_on or TODAY - days(40),
    )


def follow(users, case, *, on, risk, by="admin", findings="情绪稳定"):
    return followup_record(user=users[by], case=case, followed_on=on, contact="home", findings=findings, risk=risk)


def titles(person, user) -> list[str]:
    return [entry.title for entry in person_timeline(person, user, kind="", show_all=True).entries]


# Cases -----------------------------------------------------------------------------------


def test_a_voided_case_leaves_the_overdue_list_and_the_timeline_and_another_can_open(users, member):
    case = open_case(users, member.person, opened_on=TODAY - days(40))  # due 26 days ago
    assert [c.pk for c in overdue_cases(users["officer"], TODAY)] == [case.pk]
    case_void(user=users["officer"], case=case, reason="开错人员")
    case.refresh_from_db()
    assert (case.voided_by, case.void_reason) == (users["officer"], "开错人员")
    entry = AuditEntry.objects.get(action="care.case.voided")
    assert (entry.person_id, entry.data["reason"]) == (member.person_id, "开错人员")
    assert not overdue_cases(users["officer"], TODAY).exists()
    assert not any(t.startswith("开设个案") for t in titles(member.person, users["officer"]))
    # The one open case a person may have is free again.
    again = open_case(users, member.person, opened_on=TODAY)
    assert CareCase.objects.standing().get() == again


def test_a_case_void_without_a_reason_or_twice_is_refused_and_writes_nothing(users, member):
    case = open_case(users, member.person)
    with pytest.raises(ValidationError, match="请填写作废原因"):
        case_void(user=users["officer"], case=case, reason="  ")
    case.refresh_from_db()
    assert case.voided_at is None and not AuditEntry.objects.filter(action="care.case.voided").exists()
    case_void(user=users["officer"], case=case, reason="重复开设")
    with pytest.raises(ValidationError, match="该记录已于 .* 作废"):
        case_void(user=users["officer"], case=case, reason="再次作废")
    assert AuditEntry.objects.filter(action="care.case.voided").count() == 1


def test_another_towns_officer_cannot_void_a_case(users, member):
    case = open_case(users, member.person)
    with pytest.raises(OutOfScope):
        case_void(user=users["other_officer"], case=case, reason="不是本镇的")
    case.refresh_from_db()
    assert case.voided_at is None


def test_the_case_page_voids_the_case_and_it_is_gone(login, users, member):
    case = open_case(users, member.person)
    client = login(users["officer"])
    page = client.get(reverse("care:case_detail", args=[case.pk])).content.decode()
    assert 'action="{}"'.format(reverse("care:case_void", args=[case.pk])) in page
    response = client.post(reverse("care:case_void", args=[case.pk]), {"reason": "开错人员"})
    assert response.url == reverse("registry:person_detail", args=[member.person_id])
    assert client.get(reverse("care:case_detail", args=[case.pk])).status_code == 404
    # Centre staff follow cases up but do not void them; another town's officer sees none.
    assert login(users["centre"]).post(reverse("care:case_void", args=[case.pk]), {"reason": "x"}).status_code == 403


def test_a_blank_reason_on_the_page_is_refused_in_chinese(login, users, member):
    case = open_case(users, member.person)
    client = login(users["officer"])
    response = client.post(reverse("care:case_void", args=[case.pk]), {"reason": ""}, follow=True)
    assert "未能作废个案：请填写作废原因" in response.content.decode()
    case.refresh_from_db()
    assert case.voided_at is None


# Follow-ups ------------------------------------------------------------------------------


def test_voiding_the_newest_follow_up_gives_the_case_the_previous_ones_risk_and_due_day(users, member):
    case = open_case(users, member.person, risk="high", opened_on=TODAY - days(40))
    first = follow(users, case, on=TODAY - days(30), risk="medium")  # due TODAY
    wrong = follow(users, case, on=TODAY - days(2), risk="low", findings="录入错误")  # due in 88 days
    case.refresh_from_db()
    assert (case.risk, case.next_due) == ("low", TODAY + days(88))
    followup_void(user=users["centre"], follow_up=wrong, reason="录错个案")
    case.refresh_from_db()
    assert (case.risk, case.next_due) == ("medium", first.next_due)
    wrong.refresh_from_db()
    assert (wrong.voided_by, wrong.void_reason) == (users["centre"], "录错个案")
    entry = AuditEntry.objects.get(action="care.followup.voided")
    assert (entry.person_id, entry.data["case"], entry.data["reason"]) == (member.person_id, case.pk, "录错个案")
    changed = AuditEntry.objects.filter(action="care.case.risk_changed").order_by("-id").first()
    assert (changed.data["from"], changed.data["to"]) == ("low", "medium")


def test_voiding_every_follow_up_returns_the_case_to_its_opening(users, member):
    case = open_case(users, member.person, risk="high", opened_on=TODAY - days(40))
    only = follow(users, case, on=TODAY - days(5), risk="low")
    followup_void(user=users["admin"], follow_up=only, reason="录入错误")
    case.refresh_from_db()
    # Opened high: the first follow-up was due 14 days after the opening, so it is overdue.
    assert (case.risk, case.next_due) == ("high", TODAY - days(26))
    assert [c.pk for c in overdue_cases(users["admin"], TODAY)] == [case.pk]


def test_a_voided_follow_up_is_struck_through_on_the_case_page_and_leaves_the_timeline(login, users, member):
    case = open_case(users, member.person)
    made = follow(users, case, on=TODAY - days(3), risk="high", findings="错误记录的情况")
    client = login(users["officer"])
    response = client.post(reverse("care:followup_void", args=[made.pk]), {"reason": "录错日期"})
    assert response.url == reverse("care:case_detail", args=[case.pk])
    page = client.get(reverse("care:case_detail", args=[case.pk])).content.decode()
    assert "<del>错误记录的情况</del>" in page and "作废：录错日期" in page
    assert "个案随访：入户探访" not in titles(member.person, users["officer"])
    # The person page counts the standing follow-ups only.
    person_page = client.get(reverse("registry:person_detail", args=[member.person_id])).content.decode()
    assert "<td>0</td>" in person_page
    # Voided already: the page answers 404 (it lists standing follow-ups only).
    assert client.post(reverse("care:followup_void", args=[made.pk]), {"reason": "再次"}).status_code == 404


def test_a_follow_up_void_without_a_reason_or_of_another_centre_writes_nothing(login, users, member, other_member):
    mine = open_case(users, member.person)
    theirs = open_case(users, other_member.person)
    made = follow(users, mine, on=TODAY - days(1), risk="high")
    other = follow(users, theirs, on=TODAY - days(1), risk="high")
    with pytest.raises(ValidationError, match="请填写作废原因"):
        followup_void(user=users["centre"], follow_up=made, reason="")
    client = login(users["centre"])
    assert client.post(reverse("care:followup_void", args=[other.pk]), {"reason": "别的中心"}).status_code == 404
    assert not CaseFollowUp.objects.exclude(voided_at=None).exists()
    assert not AuditEntry.objects.filter(action="care.followup.voided").exists()


def test_a_voided_follow_up_no_longer_bounds_the_closing_day(users, member):
    from care.services.cases import case_close

    case = open_case(users, member.person, opened_on=TODAY - days(40))
    wrong = follow(users, case, on=TODAY, risk="high")
    followup_void(user=users["admin"], follow_up=wrong, reason="日期错误")
    closed = case_close(user=users["admin"], case=case, closed_on=TODAY - days(10), reason="stable")
    assert closed.closed_on == TODAY - days(10)


# Watches ---------------------------------------------------------------------------------


def issue(users, person, serial="SW0001", *, by="admin"):
    return watch_issue(
        user=users[by],
        person=person,
        serial=serial,
        model_name="守护星 K2",
        sim_number="",
        monthly_fee_fen=3000,
        issued_on=TODAY - days(10),
    )


def test_a_voided_watch_frees_the_member_and_the_device(users, member, baisha_person):
    made = issue(users, member.person)
    watch_void(user=users["centre"], issue=made, reason="登记错了人")
    assert AuditEntry.objects.get(action="care.watch.voided").data["reason"] == "登记错了人"
    assert not any(t.startswith("发放定位手表") for t in titles(member.person, users["officer"]))
    # The same device goes to the right member; the member may have another one.
    issue(users, baisha_person("黄丽", 777))
    issue(users, member.person, "SW0002")
    assert WatchIssue.objects.standing().count() == 2


def test_a_voided_watch_puts_the_member_back_among_the_eligible(users, member):
    from care.models import WatchRule

    WatchRule.objects.update_or_create(kind=InstitutionKind.CENTRE, defaults={"categories": []})
    made = issue(users, member.person)
    assert not eligible_without_watch(users["admin"], TODAY).filter(person=member.person).exists()
    watch_void(user=users["admin"], issue=made, reason="重复登记")
    assert eligible_without_watch(users["admin"], TODAY).filter(person=member.person).exists()


def test_the_person_page_voids_a_watch_and_refuses_a_blank_reason(login, users, member):
    made = issue(users, member.person)
    client = login(users["officer"])
    url = reverse("care:watch_void", args=[made.pk])
    page = client.get(reverse("registry:person_detail", args=[member.person_id])).content.decode()
    assert f'action="{url}"' in page
    response = client.post(url, {"reason": "", "back": "person"}, follow=True)
    assert "未能作废：请填写作废原因" in response.content.decode()
    made.refresh_from_db()
    assert made.voided_at is None
    response = client.post(url, {"reason": "序列号录错", "back": "person"})
    assert response.url == reverse("registry:person_detail", args=[member.person_id])
    made.refresh_from_db()
    assert made.void_reason == "序列号录错"
    assert login(users["other_officer"]).post(url, {"reason": "x"}).status_code == 404


# Placements ------------------------------------------------------------------------------


@pytest.fixture
def boarding(areas):
    return Institution.objects.create(
        code="JS0101", name="蓬江区寄宿托养中心", kind=InstitutionKind.BOARDING, area=areas["baisha"], capacity=40
    )


def test_a_voided_placement_stops_counting_for_the_subsidy_and_leaves_the_timeline(users, person, boarding):
    scheme = Scheme.objects.get(code="care_placement")
    month = TODAY.replace(day=1)
    made = placement_create(
        user=users["officer"], person=person, kind="boarding", institution=boarding, started_on=month
    )
    assert eligible_persons(scheme, month).filter(pk=person.pk).exists()
    placement_void(user=users["officer"], placement=made, reason="不符合条件，误登记")
    assert not eligible_persons(scheme, month).filter(pk=person.pk).exists()
    entry = AuditEntry.objects.get(action="care.placement.voided")
    assert (entry.person_id, entry.data["reason"]) == (person.pk, "不符合条件，误登记")
    assert not any("寄宿型托养开始" in t for t in titles(person, users["officer"]))
    # The right placement can be entered again.
    placement_create(user=users["officer"], person=person, kind="boarding", institution=boarding, started_on=month)
    assert Placement.objects.standing().count() == 1


def test_the_person_page_voids_a_placement_and_another_town_cannot(login, users, person, boarding):
    made = placement_create(
        user=users["officer"], person=person, kind="home", provider="康乐居家养护服务社", started_on=TODAY
    )
    url = reverse("care:placement_void", args=[made.pk])
    other = login(users["other_officer"])
    assert other.post(url, {"reason": "别的镇"}).status_code == 404
    with pytest.raises(ValidationError, match="请填写作废原因"):
        placement_void(user=users["officer"], placement=made, reason="")
    client = login(users["officer"])
    assert f'action="{url}"' in client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    response = client.post(url, {"reason": "误登记", "back": "person"})
    assert response.url == reverse("registry:person_detail", args=[person.pk])
    made.refresh_from_db()
    assert (made.voided_by, made.void_reason) == (users["officer"], "误登记")
    # Gone from the list.
    assert "康乐居家养护服务社" not in client.get(reverse("care:placement_list")).content.decode()
