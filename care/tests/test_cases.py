"""Mental-health cases: the follow-up interval of each risk level (data), the refusals that
write nothing, the overdue list (high risk first, per town and per institution), the
pages and export, and the centre scope (another centre's case is 404)."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from python_calamine import CalamineWorkbook

from canlian.models import AuditEntry
from care.models import CareCase, CaseFollowUp, RiskInterval
from care.selectors_cases import overdue_by, overdue_cases, town_names, town_of
from care.services.cases import case_close, case_open, followup_record

TODAY = datetime.date.today()


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture
def open_case(users):
    def _open(person, *, risk="high", opened_on=None, by="admin"):
        return case_open(
            user=users[by],
            person=person,
            keyworker=users["centre"],
            risk=risk,
            plan="每月入户探访，督促服药",
            opened_on=opened_on or TODAY - days(40),
        )

    return _open


def follow(users, case, *, on=None, risk=None, by="admin", **extra):
    return followup_record(
        user=users[by],
        case=case,
        followed_on=on or TODAY - days(1),
        contact="home",
        findings="情绪稳定，按时服药",
        risk=risk or case.risk,
        **extra,
    )


def test_the_first_follow_up_is_due_after_the_risk_levels_interval(users, member, open_case):
    case = open_case(member.person, risk="high", opened_on=TODAY - days(40))
    assert case.next_due == TODAY - days(26)
    low = RiskInterval.objects.get(risk="low")
    assert (RiskInterval.objects.get(risk="medium").days, low.days) == (30, 90)


def test_a_follow_up_sets_the_next_due_day_and_the_risk(users, member, open_case):
    case = open_case(member.person, risk="high")
    made = follow(users, case, on=TODAY - days(2), risk="medium")
    case.refresh_from_db()
    assert made.next_due == TODAY + days(28) == case.next_due
    assert case.risk == "medium"
    entry = AuditEntry.objects.get(action="care.case.risk_changed")
    assert (entry.person_id, entry.data["from"], entry.data["to"]) == (member.person_id, "high", "medium")


def test_the_interval_is_data(users, member, open_case):
    RiskInterval.objects.filter(risk="high").update(days=7)
    case = open_case(member.person, risk="high", opened_on=TODAY - days(3))
    assert case.next_due == TODAY + days(4)
    with pytest.raises(ValidationError, match="至少每 7 天随访一次"):
        follow(users, case, on=TODAY, next_due=TODAY + days(8))
    assert follow(users, case, on=TODAY, next_due=TODAY + days(5)).next_due == TODAY + days(5)


@pytest.mark.parametrize(
    ("when", "message"),
    [(-41, "随访日期不能早于开案日期"), (1, "随访日期不能晚于今天")],
)
def test_a_follow_up_out_of_the_cases_days_is_refused_and_writes_nothing(users, member, open_case, when, message):
    case = open_case(member.person, opened_on=TODAY - days(40))
    with pytest.raises(ValidationError, match=message):
        follow(users, case, on=TODAY + days(when))
    case.refresh_from_db()
    assert not CaseFollowUp.objects.exists()
    assert case.next_due == TODAY - days(26)


def test_a_closed_case_takes_no_follow_up(users, member, open_case):
    case = open_case(member.person)
    follow(users, case, on=TODAY - days(5))
    with pytest.raises(ValidationError, match="结案日期不能早于"):
        case_close(user=users["admin"], case=case, closed_on=TODAY - days(6), reason="stable")
    case_close(user=users["admin"], case=case, closed_on=TODAY, reason="stable")
    assert AuditEntry.objects.filter(action="care.case.closed", person_id=member.person_id).count() == 1
    with pytest.raises(ValidationError, match="已于 .* 结案，不能再登记随访"):
        follow(users, case, on=TODAY)
    assert CaseFollowUp.objects.count() == 1


def test_a_second_open_case_is_refused(users, member, open_case):
    open_case(member.person)
    with pytest.raises(ValidationError, match="已有未结案的个案"):
        open_case(member.person)
    assert CareCase.objects.count() == 1


def test_overdue_cases_show_high_risk_first_per_town_and_institution(
    users, member, other_member, baisha_person, open_case
):
    low = open_case(member.person, risk="low", opened_on=TODAY - days(200))  # due 110 days ago
    stranger = baisha_person("黄丽", 777)  # no institution
    high = open_case(stranger, risk="high", opened_on=TODAY - days(15))  # due yesterday
    other = open_case(other_member.person, risk="medium", opened_on=TODAY - days(31))
    not_due = open_case(baisha_person("梁敏", 779), risk="high", opened_on=TODAY - days(3))
    rows = list(overdue_cases(users["admin"], TODAY))
    assert [c.pk for c in rows] == [high.pk, other.pk, low.pk]
    assert not_due.pk not in {c.pk for c in rows}
    assert rows[2].institution_name == member.institution.name and rows[0].institution_name is None
    towns = {
        g.label: (g.high, g.total) for g in overdue_by(overdue_cases(users["admin"], TODAY), town_of, town_names())
    }
    assert towns == {"白沙街道": (1, 2), "荷塘镇": (0, 1)}
    names = {member.institution_id: member.institution.name, other_member.institution_id: "荷塘"}
    by_institution = overdue_by(rows, lambda c: c.institution_id, names)
    assert [(g.label, g.high, g.total) for g in by_institution] == [
        ("未在托养机构", 1, 1),
        ("白沙紫沙康园中心", 0, 1),
        ("荷塘", 0, 1),
    ]
    # The officer of 白沙 sees 白沙's only.
    assert [c.pk for c in overdue_cases(users["officer"], TODAY)] == [high.pk, low.pk]


def test_centre_staff_see_their_members_case_and_not_another_centres(login, users, member, other_member, open_case):
    mine, theirs = open_case(member.person), open_case(other_member.person)
    client = login(users["centre"])
    assert client.get(reverse("care:case_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("care:case_detail", args=[theirs.pk])).status_code == 404
    page = client.get(reverse("care:case_list")).content.decode()
    assert member.person.name in page and other_member.person.name not in page
    posted = {"followed_on": f"{TODAY:%Y-%m-%d}", "contact": "phone", "risk": "high", "findings": "电话联系家属"}
    assert client.post(reverse("care:case_detail", args=[theirs.pk]), posted).status_code == 404
    assert not CaseFollowUp.objects.exists()
    response = client.post(reverse("care:case_detail", args=[mine.pk]), posted)
    assert response.status_code == 302
    assert CaseFollowUp.objects.get().case_id == mine.pk


def test_the_page_refuses_a_follow_up_before_the_case_opened_in_chinese(login, users, member, open_case):
    case = open_case(member.person, opened_on=TODAY - days(10))
    posted = {"followed_on": f"{TODAY - days(11):%Y-%m-%d}", "contact": "home", "risk": "high", "findings": "探访"}
    response = login(users["officer"]).post(reverse("care:case_detail", args=[case.pk]), posted)
    assert response.status_code == 400
    assert f"随访日期不能早于开案日期（{case.opened_on:%Y-%m-%d}）" in response.content.decode()
    assert not CaseFollowUp.objects.exists()


def test_the_person_page_opens_a_case_and_lists_it(login, users, member):
    client = login(users["officer"])
    data = {
        "case-keyworker": users["centre"].pk,
        "case-risk": "medium",
        "case-opened_on": f"{TODAY:%Y-%m-%d}",
        "case-plan": "每月随访",
    }
    response = client.post(reverse("care:case_open", args=[member.person_id]), data)
    case = CareCase.objects.get()
    assert response.url == reverse("care:case_detail", args=[case.pk])
    assert case.next_due == TODAY + days(30)
    page = client.get(reverse("registry:person_detail", args=[member.person_id])).content.decode()
    assert "个案管理与定位手表" in page and f"下次随访 {TODAY + days(30):%Y-%m-%d}" in page
    assert "开设个案（中风险）" in page  # the timeline


def test_the_overdue_export_lists_high_risk_first(login, users, member, baisha_person, open_case):
    open_case(member.person, risk="low", opened_on=TODAY - days(100))
    open_case(baisha_person("黄丽", 777), risk="high", opened_on=TODAY - days(20))
    response = login(users["officer"]).get(reverse("care:case_overdue_export"))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    rows = rows.to_python()
    assert rows[0][:2] == ["风险等级", "姓名"]
    assert [(r[0], r[1], int(r[7])) for r in rows[1:]] == [("高", "黄丽", 6), ("低", "陈建国", 10)]
