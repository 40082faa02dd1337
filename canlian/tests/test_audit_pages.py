"""The audit log's page and export: newest first, filtered by user, action, dates and person,
paginated; for the district and audit administrators only; the export is audited itself."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from canlian.audit import audit_write, persons_digest
from canlian.audit_exports import AUDIT_COLUMNS
from canlian.models import AuditEntry

URL = reverse("audit:entry_list")
EXPORT = reverse("audit:entry_export")


def _at(day: str, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(day).replace(hour=hour))


@pytest.fixture
def entries(users, person, other_person):
    """Three entries on three days: a reveal of `person`, an award ended of `other_person`,
    a target change without a person."""
    made = {
        "reveal": audit_write(action="registry.identifiers.revealed", user=users["officer"], obj=person),
        "ended": audit_write(
            action="benefits.award.ended", user=users["reviewer"], person=other_person, data={"reason": "迁出本区"}
        ),
        "target": audit_write(action="targets.target.changed", user=users["admin"], data={"year": 2026}),
    }
    for key, day in [("reveal", "2026-03-01"), ("ended", "2026-03-05"), ("target", "2026-03-09")]:
        AuditEntry.objects.filter(pk=made[key].pk).update(created_at=_at(day))
    return made


def _listed(response) -> list[int]:
    assert response.status_code == 200
    return [row["entry"].pk for row in response.context["rows"]]


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_the_district_and_audit_administrators_see_the_log_newest_first(login, users, entries, role):
    response = login(users[role]).get(URL)
    assert _listed(response) == [entries["target"].pk, entries["ended"].pk, entries["reveal"].pk]
    html = response.content.decode()
    assert "终止享受资格" in html and "迁出本区" in html and 'aria-current="page" href="/audit/"' in html
    assert '<label class="form-label" for="id_person">' in html


@pytest.mark.parametrize("role", ["officer", "reviewer", "leader", "centre"])
def test_other_roles_are_refused_the_page_and_the_export_and_see_no_entry(login, users, entries, role):
    client = login(users[role])
    assert client.get(URL).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert 'href="/audit/"' not in client.get(reverse("registry:person_list")).content.decode()
    assert not AuditEntry.objects.filter(action="canlian.export").exists()


def test_the_filters_by_user_action_and_dates(login, users, entries):
    client = login(users["admin"])
    assert _listed(client.get(URL, {"user": users["reviewer"].pk})) == [entries["ended"].pk]
    assert _listed(client.get(URL, {"action": "targets.target.changed"})) == [entries["target"].pk]
    # Dates are whole local days, both ends included.
    dates = {"date_from": "2026-03-05", "date_to": "2026-03-09"}
    assert _listed(client.get(URL, dates)) == [entries["target"].pk, entries["ended"].pk]
    assert _listed(client.get(URL, {"date_to": "2026-03-01"})) == [entries["reveal"].pk]


def test_the_person_filter_takes_an_id_number_or_the_persons_number(login, users, entries, person, other_person):
    client = login(users["auditor"])
    assert _listed(client.get(URL, {"person": person.id_number.lower()})) == [entries["reveal"].pk]
    assert _listed(client.get(URL, {"person": str(other_person.pk)})) == [entries["ended"].pk]


def test_a_wrong_filter_lists_nothing_and_says_why(login, users, entries):
    client = login(users["admin"])
    unknown = client.get(URL, {"person": "440703198001019999"})
    assert _listed(unknown) == [] and "没有身份证号为 440703198001019999 的人员" in unknown.content.decode()
    reversed_dates = client.get(URL, {"date_from": "2026-03-09", "date_to": "2026-03-01"})
    assert _listed(reversed_dates) == [] and "起始日期不能晚于截止日期" in reversed_dates.content.decode()


def test_the_list_is_paginated(login, users):
    for year in range(2000, 2051):
        audit_write(action="targets.target.changed", user=users["admin"], data={"year": year})
    client = login(users["admin"])
    first = client.get(URL)
    assert len(_listed(first)) == 50 and "1 / 2" in first.content.decode()
    last = client.get(URL, {"page": 2})
    assert [row["entry"].data["year"] for row in last.context["rows"]] == [2000]


def _sheet(response) -> list[list]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return book.get_sheet_by_name("审计日志").to_python()


def test_the_export_holds_the_filtered_entries_and_is_audited_with_its_filter(login, users, entries, other_person):
    response = login(users["auditor"]).get(EXPORT, {"action": "benefits.award.ended"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    rows = _sheet(response)
    assert rows[0] == [title for title, _key in AUDIT_COLUMNS]
    assert len(rows) == 2
    cells = dict(zip(rows[0], rows[1], strict=True))
    assert (cells["用户"], cells["账号"], cells["操作"], cells["操作代码"]) == (
        users["reviewer"].display_name,
        "reviewer",
        "终止享受资格",
        "benefits.award.ended",
    )
    assert (
        cells["人员编号"] == other_person.pk
        and cells["详情"] == "原因：迁出本区"
        and cells["原始数据"] == '{"reason": "迁出本区"}'
    )
    assert cells["时间"] == datetime.datetime(2026, 3, 5, 12, 0)
    own = AuditEntry.objects.get(action="canlian.export")
    # The persons the export held (the entry's person), by count and digest.
    assert (own.user, own.data) == (
        users["auditor"],
        {
            "filters": {"action": "benefits.award.ended"},
            "rows": 1,
            "person_count": 1,
            "person_digest": persons_digest([other_person.pk]),
        },
    )
    assert own.ip_address == "127.0.0.1"
