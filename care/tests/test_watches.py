"""Smart location watches: one active watch per member and per device (the service's
Chinese refusal and the database key), return and loss (audited), the members eligible
for one but without it (a parameter), the export, and the centre scope."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from python_calamine import CalamineWorkbook

from canlian.models import AuditEntry
from care.models import WatchIssue, WatchRule
from care.selectors_cases import eligible_without_watch
from care.services.watches import watch_end, watch_issue

TODAY = datetime.date.today()


def issue(users, person, serial="SW0001", *, by="admin", on=None):
    return watch_issue(
        user=users[by],
        person=person,
        serial=serial,
        model_name="守护星 K2",
        sim_number="13800000000",
        monthly_fee_fen=3000,
        issued_on=on or TODAY - datetime.timedelta(days=10),
    )


def test_a_member_has_at_most_one_active_watch(users, member):
    first = issue(users, member.person)
    with pytest.raises(ValidationError, match="已有一只在用的定位手表（序列号 SW0001"):
        issue(users, member.person, "SW0002")
    assert WatchIssue.objects.count() == 1
    # The database holds it too, whatever writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        WatchIssue.objects.create(
            person=member.person,
            area_code=member.area_code,
            recorded_by=users["admin"],
            device=first.device,
            issued_on=TODAY,
            monthly_fee_fen=0,
        )


def test_a_device_with_another_member_is_refused(users, member, baisha_person):
    issue(users, member.person)
    with pytest.raises(ValidationError, match="正由其他会员使用"):
        issue(users, baisha_person("黄丽", 777))
    assert WatchIssue.objects.count() == 1


def test_a_returned_watch_goes_to_the_next_member(users, member, baisha_person):
    first = issue(users, member.person)
    with pytest.raises(ValidationError, match="不能早于发放日期"):
        watch_end(user=users["admin"], issue=first, ended_on=TODAY - datetime.timedelta(days=11), end="returned")
    watch_end(user=users["admin"], issue=first, ended_on=TODAY, end="returned", note="换新")
    entry = AuditEntry.objects.get(action="care.watch.returned")
    assert (entry.person_id, entry.data["serial"]) == (member.person_id, "SW0001")
    second = issue(users, baisha_person("黄丽", 777), on=TODAY)
    assert second.device_id == first.device_id
    with pytest.raises(ValidationError, match="已于 .* 已归还"):
        watch_end(user=users["admin"], issue=first, ended_on=TODAY, end="lost")


def test_the_eligible_members_without_a_watch_follow_the_rule(users, centre, enrol, member, baisha_person):
    mental = enrol(baisha_person("黄丽", 777), centre)
    other = enrol(baisha_person("梁敏", 779), centre)
    issue(users, other.person)
    # 陈建国 (physical) is not eligible; 梁敏 has a watch.
    assert [e.pk for e in eligible_without_watch(users["admin"], TODAY)] == [mental.pk]
    WatchRule.objects.filter(kind="centre").update(categories=[])
    assert {e.pk for e in eligible_without_watch(users["admin"], TODAY)} == {mental.pk, member.pk}
    WatchRule.objects.all().delete()
    assert not eligible_without_watch(users["admin"], TODAY).exists()


def test_the_list_and_export_show_watches_per_centre(login, users, centre, enrol, member, baisha_person):
    enrol(baisha_person("黄丽", 777), centre)
    issue(users, member.person)
    client = login(users["centre"])
    page = client.get(reverse("care:watch_list")).content.decode()
    assert "在用的定位手表 1 只，服务月费合计 30.00 元" in page and "符合发放条件但尚未配发的会员 1 人" in page
    assert "白沙紫沙康园中心（1 只）" in page and "黄丽" in page
    response = client.get(reverse("care:watch_export"))
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    rows = sheet.to_python()
    assert rows[1][:4] == ["白沙紫沙康园中心", "陈建国", rows[1][2], "SW0001"] and rows[1][7] == 30


def test_centre_staff_cannot_end_another_centres_watch(login, users, member, other_member):
    theirs = issue(users, other_member.person, "SW0009")
    client = login(users["centre"])
    posted = {"ended_on": f"{TODAY:%Y-%m-%d}", "end": "lost"}
    assert client.post(reverse("care:watch_end", args=[theirs.pk]), posted).status_code == 404
    theirs.refresh_from_db()
    assert theirs.ended_on is None and not AuditEntry.objects.filter(action="care.watch.lost").exists()
    mine = issue(users, member.person)
    assert client.post(reverse("care:watch_end", args=[mine.pk]), posted).status_code == 302
    mine.refresh_from_db()
    assert (mine.ended_on, mine.end) == (TODAY, "lost")


def test_the_person_page_issues_a_watch_and_refuses_a_second(login, users, member):
    client = login(users["officer"])
    url = reverse("care:watch_issue", args=[member.person_id])
    data = {
        "watch-serial": "SW0100",
        "watch-model_name": "安心宝 W5",
        "watch-monthly_fee": "45",
        "watch-issued_on": f"{TODAY:%Y-%m-%d}",
    }
    client.post(url, data)
    assert WatchIssue.objects.get().monthly_fee_fen == 4500
    page = client.post(url, {**data, "watch-serial": "SW0101"}, follow=True).content.decode()
    assert "未能发放定位手表：该人员已有一只在用的定位手表" in page
    assert WatchIssue.objects.count() == 1
    assert "发放定位手表：SW0100" in page  # the timeline
