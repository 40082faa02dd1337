"""Care's lines on the work list (我的待办): an open mental-health case whose next follow-up
is due within a week or overdue, high-risk cases a kind of their own shown first — for
the town officer of the case's town and for the staff of the person's centre only; a
follow-up, a closure or a void takes the line away."""

import datetime

import pytest
from django.urls import reverse

from canlian.worklist import Worklist
from care.services.cases import case_close, case_open, case_void, followup_record

TODAY = datetime.date.today()
KINDS = ("care_follow_up_high", "care_follow_up")


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def open_case(users, person, *, risk, opened_on):
    return case_open(
        user=users["admin"], person=person, keyworker=users["centre"], risk=risk, plan="随访", opened_on=opened_on
    )


def seen(user, key) -> tuple[tuple[int, int], list[tuple[str, int]]]:
    """The kind's (total, overdue) and its lines as (person, days to the date due)."""
    work = Worklist(user, TODAY, only=key)
    count = next((c.total, c.overdue) for c in work.counts if c.kind.key == key)
    return count, [(row.person.name, row.days) for row in work.page_rows(0, 100)]


@pytest.fixture
def cases(users, member, other_member, baisha_person):
    """白沙: the centre's member 陈建国 high risk, overdue 12 days; 黄丽 (no centre) medium
    risk, due in 4 days; 梁敏 low risk, due in 60 days (not yet). 荷塘: 李秀英 high risk,
    overdue."""
    stranger, later = baisha_person("黄丽", 777), baisha_person("梁敏", 779)
    return {
        "member": open_case(users, member.person, risk="high", opened_on=TODAY - days(26)),
        "stranger": open_case(users, stranger, risk="medium", opened_on=TODAY - days(26)),
        "later": open_case(users, later, risk="low", opened_on=TODAY - days(30)),
        "other": open_case(users, other_member.person, risk="high", opened_on=TODAY - days(20)),
    }


def test_the_town_officer_sees_the_towns_due_and_overdue_follow_ups_high_risk_first(users, cases):
    assert seen(users["officer"], "care_follow_up_high") == ((1, 1), [("陈建国", -12)])
    assert seen(users["officer"], "care_follow_up") == ((1, 0), [("黄丽", 4)])
    kinds = [c.kind.key for c in Worklist(users["officer"], TODAY).counts if c.kind.key in KINDS]
    assert kinds == list(KINDS)
    assert seen(users["other_officer"], "care_follow_up_high") == ((1, 1), [("李秀英", -6)])
    assert seen(users["admin"], "care_follow_up_high")[0] == (2, 2)


def test_centre_staff_see_their_members_cases_only(users, cases):
    assert seen(users["centre"], "care_follow_up_high") == ((1, 1), [("陈建国", -12)])
    # 黄丽 lives in the centre's town but is no member: not the centre's.
    assert seen(users["centre"], "care_follow_up") == ((0, 0), [])


def test_a_follow_up_a_closure_or_a_void_takes_the_line_away(users, cases):
    followup_record(
        user=users["centre"], case=cases["member"], followed_on=TODAY, contact="phone", findings="稳定", risk="high"
    )
    case_close(user=users["admin"], case=cases["stranger"], closed_on=TODAY, reason="stable")
    case_void(user=users["other_officer"], case=cases["other"], reason="开错人员")
    assert seen(users["admin"], "care_follow_up_high")[0] == (0, 0)
    assert seen(users["admin"], "care_follow_up")[0] == (0, 0)


def test_the_kinds_page_links_each_line_to_its_case_and_centre_staff_start_there(login, users, cases):
    client = login(users["centre"])
    assert client.get(reverse("home")).url == reverse("worklist:list")
    page = client.get(reverse("worklist:kind", args=["care_follow_up_high"])).content.decode()
    assert reverse("care:case_detail", args=[cases["member"].pk]) in page
    assert "高风险个案待随访" in page and "李秀英" not in page
    # The leader and the reviewer follow no case up.
    assert login(users["reviewer"]).get(reverse("worklist:kind", args=["care_follow_up"])).status_code == 403
