"""Home services (上门服务): a request recorded for a person, assigned to a user or a named
provider, done, and the person's feedback; bad input refused with a Chinese message and
nothing written; overdue requests on the town's work list until done or voided; the figure
of services done; the pages, the export and the timeline of the person's town only."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from python_calamine import CalamineWorkbook

from canlian.timeline import person_timeline
from canlian.worklist import Worklist
from outreach.homeservices import (
    request_assign,
    request_done,
    request_feedback,
    request_record,
    request_void,
    requests_visible_to,
)
from outreach.models import HomeServiceRequest
from targets.models import WHOLE_YEAR, IndicatorValue
from targets.services import indicators_refresh

from .conftest import DAY, TODAY

BAISHA, HETANG = "440703002000", "440703102000"


@pytest.fixture
def ask(users):
    def _ask(person, by="officer", **fields):
        values = {
            "kind": "cleaning",
            "requested_on": TODAY - 10 * DAY,
            "requested_by": "本人",
            "what": "厨房和卫生间清洁",
            "due_on": TODAY - 3 * DAY,
        }
        values.update(fields)
        return request_record(user=users[by], person=person, **values)

    return _ask


def served(users, item, by="officer"):
    """Assigned to a provider and done today."""
    request_assign(user=users[by], request=item, assigned_on=TODAY - 5 * DAY, provider="蓬江区家政服务中心")
    return request_done(user=users[by], request=item, done_on=TODAY, done_what="已完成全屋清洁")


def test_a_request_is_assigned_done_and_given_feedback(users, person, ask):
    item = ask(person)
    assert (item.area_code, item.state, item.overdue_days(TODAY)) == (person.area_id, "待派单", 3)
    assigned = request_assign(user=users["officer"], request=item, assigned_on=TODAY, assigned_to=users["officer"])
    assert (assigned.state, assigned.assignee) == ("已派单", "测试officer")
    done = request_done(user=users["officer"], request=item, done_on=TODAY, done_what="清洁完毕")
    assert (done.state, done.overdue_days(TODAY)) == ("已完成", 0)
    fed = request_feedback(user=users["officer"], request=item, satisfied=False, feedback_on=TODAY, feedback="不够仔细")
    assert (fed.satisfied, fed.feedback) == (False, "不够仔细")
    with pytest.raises(ValidationError, match="已于 .* 登记过反馈"):
        request_feedback(user=users["officer"], request=item, satisfied=True, feedback_on=TODAY)


def test_the_due_day_defaults_to_a_week_after_the_request(person, ask):
    item = ask(person, due_on=None, requested_on=TODAY - 2 * DAY)
    assert item.due_on == TODAY + 5 * DAY


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"due_on": TODAY - 11 * DAY}, "应完成日期不能早于申请日期"),
        ({"requested_on": TODAY + DAY, "due_on": TODAY + 5 * DAY}, "申请日期不能晚于今天"),
        ({"what": "  "}, "请填写服务需求"),
        ({"requested_by": ""}, "请填写申请人"),
        ({"kind": "gardening"}, "请选择服务类别"),
    ],
)
def test_a_bad_request_is_refused_and_nothing_is_written(person, ask, fields, message):
    with pytest.raises(ValidationError) as refused:
        ask(person, **fields)
    assert refused.value.messages == [message]
    assert not HomeServiceRequest.objects.exists()


def test_feedback_on_a_request_not_done_is_refused(users, person, ask):
    item = ask(person)
    with pytest.raises(ValidationError) as refused:
        request_feedback(user=users["officer"], request=item, satisfied=True, feedback_on=TODAY)
    assert refused.value.messages == ["该上门服务尚未完成，不能登记服务对象的反馈"]
    item.refresh_from_db()
    assert (item.satisfied, item.feedback_on) == (None, None)


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("done_unassigned", "该上门服务尚未派单，请先派单"),
        ("done_future", "完成日期不能晚于今天"),
        ("done_early", f"完成日期不能早于申请日期（{TODAY - 10 * DAY:%Y-%m-%d}）"),
        ("done_blank", "请填写服务情况"),
        ("assign_nobody", "请选择服务人员，或填写服务机构或人员"),
        ("assign_stranger", "所选服务人员不在可派单的人员范围内"),
        ("unhappy_silent", "服务对象不满意时，请填写其意见"),
        ("feedback_before_done", f"反馈日期不能早于完成日期（{TODAY:%Y-%m-%d}）"),
    ],
)
def test_a_bad_step_is_refused_and_changes_nothing(users, person, ask, step, message):
    item = ask(person)
    officer = users["officer"]
    if step not in ("done_unassigned", "assign_nobody", "assign_stranger"):
        request_assign(user=officer, request=item, assigned_on=TODAY - 8 * DAY, provider="维修师傅")
    if step in ("unhappy_silent", "feedback_before_done"):
        request_done(user=officer, request=item, done_on=TODAY, done_what="已修好")
    before = HomeServiceRequest.objects.values().get(pk=item.pk)
    actions = {
        "done_unassigned": lambda: request_done(user=officer, request=item, done_on=TODAY, done_what="好"),
        "done_future": lambda: request_done(user=officer, request=item, done_on=TODAY + DAY, done_what="好"),
        "done_early": lambda: request_done(user=officer, request=item, done_on=TODAY - 11 * DAY, done_what="好"),
        "done_blank": lambda: request_done(user=officer, request=item, done_on=TODAY, done_what=" "),
        "assign_nobody": lambda: request_assign(user=officer, request=item, assigned_on=TODAY),
        "assign_stranger": lambda: request_assign(
            user=officer, request=item, assigned_on=TODAY, assigned_to=users["other_officer"]
        ),
        "unhappy_silent": lambda: request_feedback(user=officer, request=item, satisfied=False, feedback_on=TODAY),
        "feedback_before_done": lambda: request_feedback(
            user=officer, request=item, satisfied=True, feedback_on=TODAY - DAY
        ),
    }
    with pytest.raises(ValidationError) as refused:
        actions[step]()
    assert refused.value.messages == [message]
    assert HomeServiceRequest.objects.values().get(pk=item.pk) == before


def test_another_towns_officer_can_neither_record_nor_work_a_request(users, person, ask):
    with pytest.raises(Http404):
        ask(person, by="other_officer")
    item = ask(person)
    with pytest.raises(Http404):
        request_assign(user=users["other_officer"], request=item, assigned_on=TODAY, provider="某公司")
    with pytest.raises(PermissionDenied):
        request_assign(user=users["reviewer"], request=item, assigned_on=TODAY, provider="某公司")
    assert list(requests_visible_to(users["officer"])) == [item]
    assert not requests_visible_to(users["other_officer"]).exists()
    assert HomeServiceRequest.objects.get().assigned_on is None


def test_a_voided_request_needs_a_reason_and_counts_nowhere(users, person, ask):
    item = ask(person)
    with pytest.raises(ValidationError, match="请填写作废原因"):
        request_void(user=users["officer"], request=item, reason=" ")
    request_void(user=users["officer"], request=item, reason="重复登记")
    assert not requests_visible_to(users["officer"]).exists()
    with pytest.raises(ValidationError, match="该上门服务已作废"):
        request_assign(user=users["officer"], request=item, assigned_on=TODAY, provider="某公司")


def _work(user):
    work = Worklist(user, TODAY, only="home_service")
    count = next(((c.total, c.overdue) for c in work.counts if c.kind.key == "home_service"), None)
    return count, [(row.person.name, row.days) for row in work.page_rows(0, 50)]


def test_an_overdue_request_is_on_its_towns_work_list_until_done(users, person, other_person, ask):
    overdue = ask(person)
    ask(person, kind="repair", due_on=TODAY + 30 * DAY)  # not due for a month
    ask(other_person, by="other_officer", due_on=TODAY + 2 * DAY)
    assert _work(users["officer"]) == ((1, 1), [("陈建国", -3)])
    assert _work(users["other_officer"]) == ((1, 0), [("李秀英", 2)])
    served(users, overdue)
    assert _work(users["officer"]) == ((0, 0), [])


def test_the_figure_counts_services_done_by_town_voided_left_out(users, person, other_person, ask):
    served(users, ask(person))
    ask(person, kind="repair")  # not done
    voided = served(users, ask(other_person, by="other_officer"), by="other_officer")
    request_void(user=users["other_officer"], request=voided, reason="录错人员")
    indicators_refresh(year=TODAY.year, keys=["outreach_home_services_done"])
    rows = IndicatorValue.objects.filter(indicator="outreach_home_services_done", year=TODAY.year)
    values = {(v.area_code, v.month): v.value for v in rows}
    assert values[(BAISHA, WHOLE_YEAR)] == 1
    assert (HETANG, WHOLE_YEAR) not in values


# Pages --------------------------------------------------------------------------------


def test_an_officer_records_a_request_on_the_page_and_bad_input_writes_nothing(login, users, person):
    client = login(users["officer"])
    url = reverse("outreach:service_create", args=[person.pk])
    data = {
        "kind": "repair",
        "requested_on": TODAY.isoformat(),
        "requested_by": "家属",
        "what": "冰箱不制冷",
        "due_on": (TODAY - DAY).isoformat(),
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "应完成日期不能早于申请日期" in refused.content.decode()
    assert not HomeServiceRequest.objects.exists()
    data["due_on"] = (TODAY + 3 * DAY).isoformat()
    response = client.post(url, data)
    item = HomeServiceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("outreach:service_detail", args=[item.pk])
    page = client.get(response["Location"]).content.decode()
    assert "冰箱不制冷" in page and "派单" in page


def test_feedback_posted_before_the_service_is_done_is_refused_on_the_page(login, users, person, ask):
    item = ask(person)
    client = login(users["officer"])
    response = client.post(
        reverse("outreach:service_feedback", args=[item.pk]),
        {"satisfied": "yes", "feedback_on": TODAY.isoformat()},
        follow=True,
    )
    assert "该上门服务尚未完成，不能登记服务对象的反馈" in response.content.decode()
    item.refresh_from_db()
    assert item.satisfied is None


def test_the_list_export_and_timeline_show_the_towns_requests_only(login, users, person, other_person, ask):
    item = served(users, ask(person))
    request_feedback(user=users["officer"], request=item, satisfied=True, feedback_on=TODAY)
    ask(other_person, by="other_officer", what="洗衣机维修")
    client = login(users["officer"])
    page = client.get(reverse("outreach:service_list")).content.decode()
    assert "陈建国" in page and "李秀英" not in page
    overdue = client.get(reverse("outreach:service_list"), {"state": "overdue"}).content.decode()
    assert "陈建国" not in overdue
    workbook = client.get(reverse("outreach:service_export"))
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(workbook.streaming_content)))
    rows = book.get_sheet_by_name("上门服务").to_python()
    assert [row[2] for row in rows[1:]] == ["陈建国"]
    assert rows[1][4:5] == ["保洁"] and rows[1][12] == "满意"
    entries = person_timeline(person, users["officer"]).entries
    assert [e.title for e in entries if e.kind == "outreach_service"] == ["上门服务：保洁"]
    assert not [e for e in person_timeline(person, users["leader"]).entries if e.kind == "outreach_service"]
