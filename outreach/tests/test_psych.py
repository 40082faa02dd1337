"""Psychological services (心理服务): cases for registered persons and for named others
(family members, federation workers), sessions recorded by the counsellor who serves the
case; bad input refused with a Chinese message and nothing written; a counsellor sees their
own cases only; the notes are read by the counsellor role alone — officers see that a case
exists, a leader sees the figures; risk on the counsellor's work list; the figures."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from accounts.roles import Role
from accounts.services import user_create
from canlian.timeline import person_timeline
from canlian.worklist import Worklist
from outreach.models import PsychCase, PsychSession
from outreach.psych import case_close, case_open, case_void, cases_visible_to, session_record, sessions_of
from targets.models import WHOLE_YEAR, IndicatorValue
from targets.services import indicators_refresh

from .conftest import DAY, TODAY

DISTRICT, BAISHA, HETANG = "440703000000", "440703002000", "440703102000"
NOTE = "来访者谈及失眠与家庭矛盾，情绪低落"


@pytest.fixture
def other_counsellor(areas):
    return user_create(username="counsellor2", password="-", role=Role.COUNSELLOR, area=areas["district"])


@pytest.fixture
def open_case(users):
    def _open(person=None, by="officer", counsellor=None, **fields):
        values = {
            "opened_on": TODAY - 10 * DAY,
            "counsellor": counsellor or users["counsellor"],
            "client_kind": "person" if person else "staff",
            "person": person,
        }
        values.update(fields)
        return case_open(user=users[by], **values)

    return _open


def test_a_counsellor_records_sessions_of_a_case_an_officer_opened(users, person, open_case):
    case = open_case(person)
    assert (case.area_code, case.counsellor, case.last_session_on) == (person.area_id, users["counsellor"], None)
    session_record(
        user=users["counsellor"], case=case, held_on=TODAY - 5 * DAY, kind="individual", notes=NOTE, at_risk=True
    )
    case.refresh_from_db()
    assert (case.last_session_on, case.at_risk) == (TODAY - 5 * DAY, True)
    session_record(user=users["counsellor"], case=case, held_on=TODAY, kind="hotline", referral="江门市第三人民医院")
    case.refresh_from_db()
    assert (case.last_session_on, case.at_risk) == (TODAY, False)
    closed = case_close(user=users["counsellor"], case=case, closed_on=TODAY)
    assert closed.closed_on == TODAY
    with pytest.raises(ValidationError, match="已于 .* 结案"):
        session_record(user=users["counsellor"], case=case, held_on=TODAY, kind="group")


def test_a_case_for_a_family_member_belongs_to_the_persons_town(users, person, open_case):
    case = open_case(client_kind="family", related_person=person, client_name="陈母", relationship="母亲")
    assert (case.person, case.related_person, case.area_code) == (None, person, person.area_id)
    assert case.client_label == "陈母（残疾人家庭成员，母亲）"
    assert list(cases_visible_to(users["officer"])) == [case]
    assert not cases_visible_to(users["other_officer"]).exists()


def test_a_counsellor_opens_a_case_for_a_federation_worker_of_a_town_they_choose(users, open_case):
    with pytest.raises(ValidationError, match="请选择服务对象所在镇\\(街\\)"):
        open_case(by="counsellor", client_kind="staff", client_name="梁社工", counsellor=None)
    case = open_case(by="counsellor", client_kind="staff", client_name="梁社工", counsellor=None, town=HETANG)
    assert (case.counsellor, case.area_code, case.person) == (users["counsellor"], HETANG, None)
    assert list(cases_visible_to(users["admin"])) == list(cases_visible_to(users["other_officer"])) == [case]
    assert not cases_visible_to(users["officer"]).exists()
    # A town officer files a named other's case under their own town.
    own = open_case(client_kind="other", client_name="志愿者小林")
    assert own.area_code == BAISHA
    with pytest.raises(Http404):
        open_case(client_kind="other", client_name="志愿者小林", town=HETANG)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"client_kind": "staff", "client_name": " "}, "请选择登记在册的残疾人，或填写服务对象姓名"),
        ({"client_kind": "person"}, "请选择登记在册的残疾人，或填写服务对象姓名"),
        ({"client_kind": "family", "client_name": "陈父"}, "请填写该家庭成员与残疾人的关系"),
        ({"client_kind": "staff", "client_name": "梁社工", "opened_on": TODAY + DAY}, "建档日期不能晚于今天"),
        ({"client_kind": "unknown", "client_name": "某人"}, "请选择服务对象类别"),
    ],
)
def test_a_bad_case_is_refused_and_nothing_is_written(open_case, fields, message):
    with pytest.raises(ValidationError) as refused:
        open_case(**fields)
    assert refused.value.messages == [message]
    assert not PsychCase.objects.exists()


def test_a_case_needs_a_counsellor_of_the_counsellor_role(users, person, open_case):
    with pytest.raises(ValidationError, match="所选人员不是在岗的心理咨询师"):
        open_case(person, counsellor=users["officer"])
    with pytest.raises(ValidationError, match="建档日期不能早于出生日期"):
        open_case(person, opened_on=person.birth_date - DAY)
    with pytest.raises(Http404):
        open_case(person, by="other_officer")
    with pytest.raises(PermissionDenied):
        open_case(person, by="leader")
    assert not PsychCase.objects.exists()


@pytest.mark.parametrize(
    ("day", "kind", "message"),
    [
        (TODAY - 11 * DAY, "individual", f"会谈日期不能早于建档日期（{TODAY - 10 * DAY:%Y-%m-%d}）"),
        (TODAY + DAY, "individual", "会谈日期不能晚于今天"),
        (None, "individual", "请填写会谈日期"),
        (TODAY, "letter", "请选择服务方式"),
    ],
)
def test_a_bad_session_is_refused_and_nothing_is_written(users, person, open_case, day, kind, message):
    case = open_case(person)
    with pytest.raises(ValidationError) as refused:
        session_record(user=users["counsellor"], case=case, held_on=day, kind=kind, notes=NOTE)
    assert refused.value.messages == [message]
    assert not PsychSession.objects.exists()
    case.refresh_from_db()
    assert case.last_session_on is None


def test_a_counsellor_sees_and_serves_only_their_own_cases(users, person, other_person, open_case, other_counsellor):
    mine = open_case(person)
    theirs = open_case(other_person, by="other_officer", counsellor=other_counsellor)
    assert list(cases_visible_to(users["counsellor"])) == [mine]
    assert list(cases_visible_to(other_counsellor)) == [theirs]
    with pytest.raises(Http404):
        session_record(user=users["counsellor"], case=theirs, held_on=TODAY, kind="individual")
    with pytest.raises(PermissionDenied):
        session_record(user=users["officer"], case=mine, held_on=TODAY, kind="individual")
    assert not PsychSession.objects.exists()


def test_the_notes_are_read_by_the_counsellor_only(login, client, users, person, open_case):
    case = open_case(person)
    session_record(user=users["counsellor"], case=case, held_on=TODAY, kind="individual", notes=NOTE, at_risk=True)
    detail = reverse("outreach:psych_detail", args=[case.pk])

    counsellor_page = login(users["counsellor"]).get(detail).content.decode()
    assert NOTE in counsellor_page and "陈建国" in counsellor_page
    assert sessions_of(users["counsellor"], case)[0].notes == NOTE

    for key in ("officer", "admin"):
        page = login(users[key]).get(detail).content.decode()
        assert "陈建国" in page and "有风险" in page and NOTE not in page
        assert "咨询记录的内容仅心理咨询师可见" in page
        person_page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
        assert "心理服务个案" in person_page and NOTE not in person_page
        assert "notes" in sessions_of(users[key], case)[0].get_deferred_fields()
        entries = person_timeline(person, users[key]).entries
        assert [e.title for e in entries if e.kind == "outreach_psych"] == ["心理服务会谈（个体）", "心理服务建档"]
        assert not [e for e in entries if NOTE in e.detail]

    leader = login(users["leader"])
    assert leader.get(detail).status_code == 403
    assert leader.get(reverse("outreach:psych_list")).status_code == 403
    assert login(users["other_officer"]).get(detail).status_code == 404


def test_the_counsellor_posts_a_session_on_the_case_page_and_bad_input_writes_nothing(login, users, person, open_case):
    case = open_case(person)
    client = login(users["counsellor"])
    url = reverse("outreach:psych_session", args=[case.pk])
    early = client.post(url, {"held_on": (TODAY - 30 * DAY).isoformat(), "kind": "group", "notes": NOTE}, follow=True)
    assert f"会谈日期不能早于建档日期（{TODAY - 10 * DAY:%Y-%m-%d}）" in early.content.decode()
    assert not PsychSession.objects.exists()
    client.post(url, {"held_on": TODAY.isoformat(), "kind": "group", "notes": NOTE, "at_risk": "on"})
    session = PsychSession.objects.get()
    assert (session.counsellor, session.kind, session.at_risk) == (users["counsellor"], "group", True)


def test_a_counsellor_starts_on_the_work_list_of_their_cases_at_risk(login, users, person, open_case):
    case = open_case(person)
    client = login(users["counsellor"])
    assert client.get(reverse("home"))["Location"] == reverse("worklist:list")
    session_record(user=users["counsellor"], case=case, held_on=TODAY - 9 * DAY, kind="hotline", at_risk=True)
    work = Worklist(users["counsellor"], TODAY, only="psych_risk")
    [row] = work.page_rows(0, 10)
    assert (row.person.name, row.days) == ("陈建国", -2)
    assert not Worklist(users["officer"], TODAY).by_key.get("psych_risk")
    session_record(user=users["counsellor"], case=case, held_on=TODAY, kind="individual")
    assert Worklist(users["counsellor"], TODAY, only="psych_risk").page_rows(0, 10) == []


def test_a_voided_case_counts_nowhere(users, person, open_case):
    case = open_case(person)
    case_void(user=users["officer"], case=case, reason="误建")
    assert not cases_visible_to(users["officer"]).exists()
    with pytest.raises(ValidationError, match="该个案已作废"):
        session_record(user=users["counsellor"], case=case, held_on=TODAY, kind="individual")


def test_the_figures_count_cases_opened_and_sessions_by_town(users, person, other_person, open_case):
    case = open_case(person, opened_on=TODAY)
    open_case(by="counsellor", client_kind="staff", client_name="梁社工", counsellor=None, opened_on=TODAY, town=BAISHA)
    for kind in ("individual", "hotline"):
        session_record(user=users["counsellor"], case=case, held_on=TODAY, kind=kind)
    voided = open_case(other_person, by="other_officer", opened_on=TODAY)
    case_void(user=users["other_officer"], case=voided, reason="误建")
    keys = ["outreach_psych_cases", "outreach_psych_sessions"]
    indicators_refresh(year=TODAY.year, keys=keys)
    values = {
        (v.indicator, v.area_code): v.value
        for v in IndicatorValue.objects.filter(indicator__in=keys, year=TODAY.year, month=WHOLE_YEAR)
    }
    assert values[("outreach_psych_cases", BAISHA)] == values[("outreach_psych_cases", DISTRICT)] == 2
    assert values[("outreach_psych_sessions", BAISHA)] == 2
    assert ("outreach_psych_cases", HETANG) not in values


def test_the_list_names_the_town_of_a_case_filed_under_a_town_not_its_code(login, users, open_case):
    """A worker's case lives in no community: the list shows its town's name, no bare code."""
    open_case(client_kind="other", client_name="志愿者小林")
    page = login(users["officer"]).get(reverse("outreach:psych_list")).content.decode()
    assert "志愿者小林" in page and "白沙街道 / —" in page
    assert BAISHA not in page
