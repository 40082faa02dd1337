"""Legal aid: cases taken in for a person, with steps and an outcome; a case of an
intellectually or mentally disabled girl or woman is protected — hidden, wherever cases
show, from everyone without the specific permission; the lectures of a town."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from outreach.legal import case_close, case_open, case_step_add, cases_visible_to, lecture_record
from outreach.models import Lecture, LegalCase

from .conftest import DAY, TODAY


@pytest.fixture
def open_case(users):
    def _open(person, by="officer", **fields):
        values = {
            "opened_on": TODAY - 10 * DAY,
            "applicant_name": "陈母",
            "applicant_relation": "guardian",
            "matter": "maintenance",
            "handler": "蓬江区法律援助处",
            "description": "赡养费纠纷",
        }
        values.update(fields)
        return case_open(user=users[by], person=person, **values)

    return _open


def test_a_case_is_taken_in_stepped_and_closed(users, person, open_case):
    case = open_case(person)
    assert (case.protected, case.area_code, case.get_matter_display()) == (False, person.area_id, "赡养、抚养")
    case_step_add(user=users["officer"], case=case, taken_on=TODAY - 5 * DAY, what="组织调解")
    closed = case_close(user=users["officer"], case=case, closed_on=TODAY, outcome="调解成功，按月支付赡养费")
    assert (closed.closed_on, closed.outcome) == (TODAY, "调解成功，按月支付赡养费")
    assert list(case.steps.values_list("what", flat=True)) == ["组织调解"]
    with pytest.raises(ValidationError, match="已于 .* 结案"):
        case_step_add(user=users["officer"], case=case, taken_on=TODAY, what="再次调解")


@pytest.mark.parametrize(
    ("day", "what", "message"),
    [
        (TODAY - 11 * DAY, "调解", f"日期不能早于受理日期（{TODAY - 10 * DAY:%Y-%m-%d}）"),
        (TODAY + DAY, "调解", "日期不能晚于今天"),
        (TODAY, "  ", "请填写办理情况"),
    ],
)
def test_a_bad_step_is_refused(users, person, open_case, day, what, message):
    case = open_case(person)
    with pytest.raises(ValidationError) as refused:
        case_step_add(user=users["officer"], case=case, taken_on=day, what=what)
    assert refused.value.messages == [message]
    assert not case.steps.exists()


def test_a_case_before_birth_or_without_a_handler_or_of_another_town_is_refused(users, person, open_case):
    with pytest.raises(ValidationError, match="受理日期不能早于出生日期"):
        open_case(person, opened_on=datetime.date(1979, 1, 1))
    with pytest.raises(ValidationError, match="请填写法律援助站或律师"):
        open_case(person, handler=" ")
    with pytest.raises(Http404):
        open_case(person, by="other_officer")
    assert not LegalCase.objects.exists()


def test_the_case_of_an_intellectually_disabled_woman_is_hidden_without_the_permission(
    client, users, other_person, open_case
):
    """李秀英 is a woman with an intellectual disability (category 5) of 荷塘镇."""
    case = open_case(other_person, by="other_officer", matter="violence")
    assert case.protected
    officer = users["other_officer"]
    assert not cases_visible_to(officer).exists()
    client.force_login(officer)
    assert client.get(reverse("outreach:case_detail", args=[case.pk])).status_code == 404
    page = client.get(reverse("registry:person_detail", args=[other_person.pk])).content.decode()
    assert "暴力侵害" not in page and "法律救助：" not in page
    assert "暴力侵害" not in client.get(reverse("outreach:case_list")).content.decode()
    with pytest.raises(PermissionDenied, match="受保护的案件"):
        case_close(user=officer, case=case, closed_on=TODAY, outcome="已结")
    # The district administrator holds the permission; any user can be granted it.
    assert list(cases_visible_to(users["admin"])) == [case]
    officer.user_permissions.add(Permission.objects.get(codename="view_protected_legalcase"))
    officer = type(officer).objects.get(pk=officer.pk)
    assert list(cases_visible_to(officer)) == [case]
    client.force_login(officer)
    page = client.get(reverse("outreach:case_detail", args=[case.pk])).content.decode()
    assert "受保护" in page and "暴力侵害" in page


def test_an_officer_who_takes_in_a_protected_case_is_told_it_is_protected(client, users, other_person):
    client.force_login(users["other_officer"])
    response = client.post(
        reverse("outreach:case_create", args=[other_person.pk]),
        {
            "opened_on": TODAY.isoformat(),
            "applicant_name": "李父",
            "applicant_relation": "guardian",
            "matter": "property",
            "handler": "区法律援助处",
        },
        follow=True,
    )
    assert "这是受保护的案件，仅限有专门权限的人员查看和办理" in response.content.decode()
    assert LegalCase.objects.get().protected


def test_a_lecture_belongs_to_its_town(users):
    lecture = lecture_record(
        user=users["officer"],
        held_on=TODAY,
        topic="残疾人权益保障法",
        place="白沙街道办",
        speaker="王律师",
        attendance=45,
    )
    assert lecture.area_code == users["officer"].area_id
    assert list(Lecture.objects.visible_to(users["officer"])) == [lecture]
    assert not Lecture.objects.visible_to(users["other_officer"]).exists()
    with pytest.raises(ValidationError, match="参加人数至少为 1 人"):
        lecture_record(user=users["officer"], held_on=TODAY, topic="讲座", place="室", speaker="王", attendance=0)
    with pytest.raises(ValidationError, match="讲座日期不能晚于今天"):
        lecture_record(user=users["officer"], held_on=TODAY + DAY, topic="讲座", place="室", speaker="王", attendance=9)
    with pytest.raises(Http404):
        lecture_record(
            user=users["officer"],
            held_on=TODAY,
            topic="讲座",
            place="室",
            speaker="王",
            attendance=9,
            area_code=users["other_officer"].area_id,
        )
    with pytest.raises(PermissionDenied):
        lecture_record(user=users["reviewer"], held_on=TODAY, topic="讲座", place="室", speaker="王", attendance=9)
    assert Lecture.objects.count() == 1
