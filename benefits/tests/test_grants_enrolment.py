"""The enrolment lists for the insurer and the social security office: who is on them on a
date, their columns, and what each user is shown of the identifiers (and that it is logged)."""

import datetime
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from benefits.grants import ENROLMENT_HEADERS
from canlian.models import AuditEntry
from conftest import make_person
from registry.models import EventKind
from registry.services import person_event_record

D = datetime.date


def download(client, code: str, day: str = "") -> list[list]:
    url = reverse("benefits:grant_enrolment_export", args=[code])
    response = client.get(url, {"date": day} if day else {})
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


@pytest.fixture
def registry(areas, users):
    """Holders of 白沙 and 荷塘, a deceased one, an expired certificate, a mild physical one."""
    made = {
        "severe": make_person(areas["baisha_a"], name="一级肢体", sequence=601, category=4, grade=1),
        "mental": make_person(areas["baisha_b"], name="四级精神", sequence=603, category=6, grade=4),
        "mild": make_person(areas["baisha_a"], name="三级视力", sequence=605, category=1, grade=3),
        "expired": make_person(
            areas["baisha_a"],
            name="证已过期",
            sequence=607,
            category=5,
            grade=3,
            certificate_valid_until=D(2023, 12, 31),
        ),
        "dead": make_person(areas["baisha_a"], name="已故者", sequence=609, category=5, grade=2),
        "hetang": make_person(areas["hetang_a"], name="荷塘智力", sequence=611, category=5, grade=3),
    }
    person_event_record(user=users["admin"], person=made["dead"], kind=EventKind.DEATH, date=D(2024, 3, 3))
    return made


def test_the_insurance_list_has_every_active_holder_on_the_date_with_full_identifiers(login, users, registry):
    rows = download(login(users["admin"]), "insurance", "2024-06-01")
    assert rows[0] == ENROLMENT_HEADERS
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"一级肢体", "四级精神", "三级视力", "荷塘智力"}
    severe = registry["severe"]
    assert by_name["一级肢体"] == [
        "一级肢体", "男", severe.id_number, severe.certificate_number, "肢体", "一级", "白沙街道", "紫沙社区"
    ]  # fmt: skip


def test_on_an_earlier_date_the_list_shows_that_days_holders_and_grades(login, users, registry):
    person_event_record(user=users["admin"], person=registry["mild"], kind=EventKind.GRADE, date=D(2024, 5, 2), value=2)
    rows = download(login(users["admin"]), "insurance", "2024-01-15")
    by_name = {row[0]: row for row in rows[1:]}
    assert {"已故者", "三级视力"} <= set(by_name) and "证已过期" not in by_name
    mild = registry["mild"]
    assert by_name["三级视力"][3:6] == [f"{mild.id_number}13", "视力", "三级"]


def test_the_basic_insurance_list_has_mental_intellectual_and_severe_persons(login, users, registry):
    rows = download(login(users["admin"]), "basic_insurance", "2024-06-01")
    assert {row[0] for row in rows[1:]} == {"一级肢体", "四级精神", "荷塘智力"}


def test_a_town_officer_gets_their_town_only(login, users, registry):
    rows = download(login(users["officer"]), "basic_insurance", "2024-06-01")
    assert {row[0] for row in rows[1:]} == {"一级肢体", "四级精神"}
    assert rows[1][2] == registry["severe"].id_number


def test_another_towns_officer_does_not_get_the_person(login, users, registry):
    rows = download(login(users["other_officer"]), "insurance", "2024-06-01")
    assert [row[0] for row in rows[1:]] == ["荷塘智力"]


def test_without_the_reveal_permission_identifiers_are_masked(login, users, registry):
    users["officer"].groups.first().permissions.remove(
        *users["officer"].groups.first().permissions.filter(codename="reveal_identifiers")
    )
    rows = download(login(users["officer"]), "insurance", "2024-06-01")
    severe = registry["severe"]
    row = next(r for r in rows if r[0] == "一级肢体")
    assert row[2] == f"{severe.id_number[:6]}********{severe.id_number[-4:]}"
    assert row[3] == row[2] + "41"
    assert not any(severe.id_number in cell for r in rows for cell in r)


def test_a_leader_may_not_download_a_list(login, users, registry):
    url = reverse("benefits:grant_enrolment_export", args=["insurance"])
    assert login(users["leader"]).get(url, {"date": "2024-06-01"}).status_code == 403
    assert not AuditEntry.objects.filter(action="benefits.export").exists()


def test_the_page_names_the_columns_of_the_file_it_gives(login, users, registry):
    url = reverse("benefits:grant_enrolment", args=["insurance"])
    for role in ("admin", "officer"):
        client = login(users[role])
        columns = download(client, "insurance", "2024-06-01")[0]
        page = client.get(url, {"date": "2024-06-01"}).content.decode()
        assert f'id="enrolment-columns">列：{"、".join(columns)}。' in page, role


def test_every_download_is_logged_with_what_it_revealed(login, users, registry):
    download(login(users["admin"]), "insurance", "2024-06-01")
    download(login(users["officer"]), "basic_insurance", "2024-06-01")
    logs = {log.user.username: log.data for log in AuditEntry.objects.filter(action="benefits.export")}
    digest = logs["admin"].pop("person_digest")
    assert logs["admin"] == {"list": "insurance", "date": "2024-06-01", "rows": 4, "revealed": True, "person_count": 4}
    assert len(digest) == 64 and int(digest, 16) >= 0  # sha256 of the persons' ids, hex
    assert logs["officer"]["revealed"] is True and logs["officer"]["list"] == "basic_insurance"


def test_the_page_shows_the_count_per_town_and_an_unknown_list_is_404(login, users, registry):
    client = login(users["admin"])
    page = client.get(reverse("benefits:grant_enrolment", args=["insurance"]), {"date": "2024-06-01"})
    html = page.content.decode()
    assert '<strong id="enrolment-total">4</strong>' in html and "荷塘镇" in html and "含完整证件号" in html
    assert client.get(reverse("benefits:grant_enrolment", args=["living"])).status_code == 404
    assert client.get(reverse("benefits:grant_enrolment_export", args=["nursing"])).status_code == 404


def test_an_enrolment_list_longer_than_a_worksheet_is_refused(login, users, registry, monkeypatch):
    monkeypatch.setattr("canlian.workbooks.MAX_ROWS", 2)
    response = login(users["officer"]).get(reverse("benefits:grant_enrolment_export", args=["insurance"]))
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="benefits.export").exists()
