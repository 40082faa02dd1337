"""Enrolment: the admission rule with its override (written reason, recorded, audited), one
day-care membership at a time (the service and the database), leaving with a reason, the
void; every refusal says why in Chinese and writes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse

from canlian.models import AuditEntry
from care.models import Enrolment, InstitutionKind, WaitingEntry
from care.services.attendance import Mark, attendance_save
from care.services.membership import enrolment_end, enrolment_void
from care.tests.conftest import make_centre, open_day

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def test_an_officer_enrols_a_person_of_their_town(users, person, centre, enrol):
    enrolment = enrol(person, centre, by="officer")
    assert isinstance(enrolment, Enrolment)
    assert (enrolment.institution, enrolment.area_code, enrolment.day_care) == (centre, person.area_id, True)
    assert enrolment.recorded_by == users["officer"] and enrolment.override_reason == ""


def test_a_person_outside_the_rule_is_refused_with_the_reasons(baisha_person, centre, enrol):
    old = baisha_person("梁伯", 201, birth="19500101", category=4, grade=3)
    with pytest.raises(ValidationError) as refused:
        enrol(old, centre, by="officer")
    message = refused.value.messages[0]
    assert "不符合社区康园中心的入托条件" in message and "年龄为 76 岁" in message and "请填写破格入托理由" in message
    assert not Enrolment.objects.exists() and not AuditEntry.objects.filter(action__startswith="care.").exists()


def test_an_officer_overrides_the_rule_with_a_written_reason(users, baisha_person, centre, enrol):
    old = baisha_person("梁伯", 201, birth="19500101", category=4, grade=3)
    enrolment = enrol(old, centre, by="officer", override_reason="  家属无力照料，\n经区残联同意  ")
    assert enrolment.override_reason == "家属无力照料， 经区残联同意"
    entry = AuditEntry.objects.get(action="care.enrolment.overridden")
    assert (entry.user, entry.person_id, entry.object_id) == (users["officer"], old.pk, str(enrolment.pk))
    assert entry.data["reason"] == "家属无力照料， 经区残联同意" and len(entry.data["refusals"]) == 2


def test_no_override_is_recorded_for_a_person_who_meets_the_rule(person, centre, enrol):
    enrolment = enrol(person, centre, override_reason="不需要")
    assert enrolment.override_reason == ""
    assert not AuditEntry.objects.filter(action="care.enrolment.overridden").exists()


def test_an_override_needs_its_permission(users, baisha_person, centre, enrol):
    from django.contrib.auth.models import Permission

    officer = users["officer"]
    officer.groups.first().permissions.remove(Permission.objects.get(codename="override_admission"))
    old = baisha_person("梁伯", 201, birth="19500101", category=4, grade=3)
    with pytest.raises(PermissionDenied, match="没有破格批准入托的权限"):
        enrol(old, centre, by="officer", override_reason="家属无力照料")
    assert not Enrolment.objects.exists()


def test_a_second_day_care_membership_is_refused(areas, person, centre, member, enrol):
    second = make_centre(areas["baisha"], code="KY0102", name="白沙丰乐康园中心")
    with pytest.raises(ValidationError, match="同一时间只能在一家日间照料机构入托") as refused:
        enrol(person, second, started_on=TODAY)
    assert "白沙紫沙康园中心" in refused.value.messages[0]
    assert Enrolment.objects.count() == 1


def test_a_back_dated_membership_overlapping_a_past_one_is_refused(users, areas, person, centre, member, enrol):
    enrolment_end(user=users["admin"], enrolment=member, ended_on=TODAY - 10 * DAY, reason="family")
    second = make_centre(areas["baisha"], code="KY0102", name="白沙丰乐康园中心")
    with pytest.raises(ValidationError, match="时间重叠"):
        enrol(person, second, started_on=TODAY - 20 * DAY)
    assert enrol(person, second, started_on=TODAY - 9 * DAY).institution == second


def test_the_database_refuses_two_open_day_care_memberships(users, areas, person, member):
    second = make_centre(areas["baisha"], code="KY0102", name="白沙丰乐康园中心")
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(
            person=person, area_code=person.area_id, institution=second, started_on=TODAY, day_care=True,
            recorded_by=users["admin"],
        )  # fmt: skip


def test_boarding_care_beside_day_care_is_allowed(areas, person, member, enrol):
    boarding = make_centre(areas["baisha"], code="JS0101", name="蓬江区寄宿托养中心", kind=InstitutionKind.BOARDING)
    assert enrol(person, boarding, started_on=TODAY).day_care is False


def test_a_person_out_of_the_officers_town_is_not_found(other_person, centre, enrol):
    with pytest.raises(Http404):
        enrol(other_person, centre, by="officer")
    assert not Enrolment.objects.exists()


def test_an_institution_of_another_town_is_not_found(person, other_centre, enrol):
    with pytest.raises(Http404):
        enrol(person, other_centre, by="officer")


def test_an_enrolment_cannot_start_in_the_future(person, centre, enrol):
    with pytest.raises(ValidationError, match="入托日期不能晚于今天"):
        enrol(person, centre, started_on=TODAY + DAY)


def test_centre_staff_do_not_enrol(person, centre, enrol):
    with pytest.raises(PermissionDenied, match="没有办理入托的权限"):
        enrol(person, centre, by="centre")


def test_leaving_records_the_day_and_reason_and_is_audited(users, member):
    ended, offered = enrolment_end(
        user=users["officer"], enrolment=member, ended_on=TODAY, reason="employed", note="到辅助性就业车间"
    )
    assert (ended.ended_on, ended.leave_reason, ended.leave_note, ended.ended_by) == (
        TODAY, "employed", "到辅助性就业车间", users["officer"]
    )  # fmt: skip
    assert offered == []
    entry = AuditEntry.objects.get(action="care.enrolment.ended")
    assert entry.data["reason"] == "employed" and entry.person_id == member.person_id


@pytest.mark.parametrize(
    ("days_back", "reason", "message"),
    [(-1, "family", "不能晚于今天"), (61, "family", "不能早于入托日期"), (0, "", "请选择离开原因")],
)
def test_leaving_is_checked(users, member, days_back, reason, message):
    with pytest.raises(ValidationError, match=message):
        enrolment_end(user=users["officer"], enrolment=member, ended_on=TODAY - days_back * DAY, reason=reason)
    assert Enrolment.objects.get().ended_on is None


def test_leaving_before_a_day_already_attended_is_refused(users, centre, member):
    day = open_day()
    attendance_save(user=users["centre"], institution=centre, day=day, marks={member.person_id: Mark(True)})
    with pytest.raises(ValidationError, match=f"{day:%Y-%m-%d} 还有考勤记录"):
        enrolment_end(user=users["officer"], enrolment=member, ended_on=day - DAY, reason="family")


def test_a_mistaken_enrolment_is_voided_and_counts_no_more(users, member):
    voided, _offered = enrolment_void(user=users["officer"], enrolment=member, reason="录入错误")
    assert voided.voided_by == users["officer"] and voided.void_reason == "录入错误"
    assert not Enrolment.objects.standing().exists()
    assert AuditEntry.objects.filter(action="care.record.voided").count() == 1


def test_an_enrolment_with_attendance_is_not_voided(users, centre, member):
    attendance_save(user=users["centre"], institution=centre, day=open_day(), marks={member.person_id: Mark(True)})
    with pytest.raises(ValidationError, match="已有考勤记录"):
        enrolment_void(user=users["officer"], enrolment=member, reason="录入错误")


def test_the_person_page_enrols_and_shows_the_refusal(login, users, person, baisha_person, centre):
    client = login(users["officer"])
    url = reverse("care:enrol", args=[person.pk])
    data = {"enrol-institution": centre.pk, "enrol-started_on": f"{TODAY:%Y-%m-%d}", "enrol-override_reason": ""}
    response = client.post(url, data)
    assert response.status_code == 302 and Enrolment.objects.get().person == person
    old = baisha_person("梁伯", 201, birth="19500101", category=4, grade=3)
    response = client.post(reverse("care:enrol", args=[old.pk]), data)
    assert response.status_code == 400 and "请填写破格入托理由" in response.content.decode()
    assert Enrolment.objects.count() == 1 and not WaitingEntry.objects.exists()


def test_the_person_page_shows_the_care_block(login, users, member, person):
    page = login(users["officer"]).get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert "托养服务" in page and "白沙紫沙康园中心" in page and "办理入托" in page
