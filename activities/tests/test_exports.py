"""The activity workbooks: the activity list (counts only, for leaders too), an activity's
participants and the year's five ones (masked ID numbers, only persons of the user's
scope, not for a leader); each export is an audit entry with its filters in words."""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from activities.services import five_one_record
from canlian.models import AuditEntry
from registry.identifiers import mask_id

from .conftest import TODAY, days_ago


def _rows(response, sheet: str) -> list[list]:
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return book.get_sheet_by_name(sheet).to_python()


@pytest.fixture
def joined(district_activity, activity, person, neighbour, other_person, join):
    join(district_activity, person, note="家属陪同")
    join(district_activity, other_person, by="other_officer")
    join(activity, neighbour)


def test_the_activity_list_exports_with_its_counts(login, users, district_activity, activity, joined):
    rows = _rows(
        login(users["leader"]).get(reverse("activities:activity_export"), {"kind": "disability_day"}), "活动列表"
    )
    header, *body = rows
    assert len(body) == 1
    cells = dict(zip(header, body[0], strict=True))
    assert (cells["活动编号"], cells["主办方"], cells["登记参加人数"], cells["形式"]) == (
        district_activity.code,
        "区残联",
        2,
        "线下",
    )
    entry = AuditEntry.objects.get(action="activities.export")
    assert entry.data["what"] == "活动列表" and entry.data["filters"] == {"活动类型": "助残日主题活动"}


def test_the_participants_export_holds_the_officers_persons_masked(login, users, district_activity, person, joined):
    url = reverse("activities:participant_export", args=[district_activity.pk])
    header, *body = _rows(login(users["officer"]).get(url), "参加人员")
    assert len(body) == 1
    cells = dict(zip(header, body[0], strict=True))
    assert (cells["姓名"], cells["公民身份号码"], cells["镇街"], cells["备注"]) == (
        "陈建国",
        mask_id(person.id_number),
        "白沙街道",
        "家属陪同",
    )
    assert "李秀英" not in str(body)
    assert len(_rows(login(users["admin"]).get(url), "参加人员")) == 3
    assert login(users["leader"]).get(url).status_code == 403


def test_the_five_ones_export_follows_the_page_and_the_scope(login, users, person, other_person):
    five_one_record(user=users["officer"], person=person, item="park", done_on=days_ago(2))
    five_one_record(user=users["other_officer"], person=other_person, item="book", done_on=days_ago(2))
    url = reverse("activities:five_ones_export")
    header, *body = _rows(login(users["officer"]).get(url, {"year": TODAY.year}), "五个一完成情况")
    assert len(body) == 1
    cells = dict(zip(header, body[0], strict=True))
    assert (cells["姓名"], cells["游一次园"], cells["读一本书"], cells["完成项数"]) == ("陈建国", days_ago(2), "", 1)
    assert AuditEntry.objects.get(action="activities.export").data["filters"] == {"年度": str(TODAY.year)}
    assert login(users["leader"]).get(url).status_code == 403


def test_a_filter_the_list_would_not_use_refuses_the_export(login, users, activity):
    client = login(users["officer"])
    response = client.get(reverse("activities:activity_export"), {"kind": "没有这种类型"})
    assert response.status_code == 302 and response.url == reverse("activities:activity_list")
    page = client.get(response.url).content.decode()
    assert "未导出" in page
    refused = client.get(reverse("activities:five_ones_export"), {"done": "9"})
    assert refused.url == reverse("activities:five_ones")
    assert not AuditEntry.objects.filter(action="activities.export").exists()
