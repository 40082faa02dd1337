"""The export is the current filtered list in the template's columns: with full identifiers it
imports back unchanged; otherwise identifiers are masked; it never leaves the user's scope."""

import datetime
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from canlian.audit import persons_digest
from canlian.models import AuditEntry
from conftest import make_person
from registry.excel import HEADERS
from registry.imports import persons_import
from registry.models import Person, PersonEvent

D = datetime.date


def _workbook(response) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return b"".join(response.streaming_content)


def _sheet(response) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(_workbook(response))).get_sheet_by_index(0).to_python()


@pytest.fixture
def registry(areas, person, other_person):
    make_person(
        areas["baisha_b"],
        name="黄美玲",
        birth="19551120",
        sequence=246,
        category=6,
        grade=1,
        certificate_issued=D(2018, 4, 2),
        certificate_valid_until=D(2028, 4, 2),
        guardian_name="黄志强",
        guardian_phone="0750-3123456",
        economic_status="near_dibao",
        lives_alone=True,
        bank_account="",
    )
    make_person(
        areas["baisha_a"],
        name="刘大海",
        birth="19400705",
        sequence=357,
        category=1,
        grade=4,
        status="deceased",
        status_date=D(2024, 12, 30),
        phone="",
    )
    return Person.objects.all()


def test_an_export_with_full_identifiers_imports_back_unchanged(users, registry, login, tmp_path):
    data = _workbook(login(users["admin"]).get(reverse("registry:person_export"), {"reveal": "1"}))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[0] == HEADERS
    assert len(rows) == 1 + registry.count()
    path = tmp_path / "export.xlsx"
    path.write_bytes(data)
    history_before = Person.history.model.objects.count()

    result = persons_import(user=users["admin"], path_or_file=path, source_name="export.xlsx")

    assert result.counts() == {"created": 0, "updated": 0, "unchanged": 4, "rejected": 0, "total": 4}
    assert Person.history.model.objects.count() == history_before
    assert not PersonEvent.objects.exists()


def test_the_export_follows_the_list_filters(users, registry, login):
    rows = _sheet(login(users["admin"]).get(reverse("registry:person_export"), {"category": "5", "reveal": "1"}))
    assert [r[0] for r in rows[1:]] == ["李秀英"]


def test_a_leader_may_not_export_the_list(users, registry, person, login):
    # A row per person, even with masked names, is not a figure: a leader reads the counts.
    response = login(users["leader"]).get(reverse("registry:person_export"), {"reveal": "1"})
    assert response.status_code == 403 and not AuditEntry.objects.exists()


def test_an_officer_without_reveal_gets_masked_identifiers(users, registry, person, login):
    rows = _sheet(login(users["officer"]).get(reverse("registry:person_export")))
    row = next(r for r in rows[1:] if r[0] == person.name)
    assert row[2] != person.id_number and "*" in row[2]
    assert "*" in row[3] and row[3].endswith("42")
    assert row[12] == "138****5678"
    assert row[20] == "************5678"


def test_an_officer_exports_none_of_another_towns_persons(users, registry, other_person, login):
    rows = _sheet(login(users["officer"]).get(reverse("registry:person_export"), {"reveal": "1"}))
    names = [r[0] for r in rows[1:]]
    assert other_person.name not in names
    assert sorted(names) == sorted(["陈建国", "黄美玲", "刘大海"])
    assert all(r[8] == "白沙街道" for r in rows[1:])


def test_every_export_is_written_to_the_access_log(users, registry, login):
    login(users["officer"]).get(reverse("registry:person_export"), {"grade": "1", "reveal": "1"})
    log = AuditEntry.objects.get(action="registry.export")
    assert log.user == users["officer"]
    exported = Person.objects.visible_to(users["officer"]).filter(grade=1).values_list("pk", flat=True)
    assert log.data == {
        "filters": {"grade": "1"},
        "rows": 1,
        "revealed": True,
        "person_count": 1,
        "person_digest": persons_digest(exported),
    }


def test_a_user_without_the_export_permission_gets_403(users, login):
    response = login(users["centre"]).get(reverse("registry:person_export"))
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="registry.export").exists()


def test_a_list_longer_than_a_worksheet_is_refused_not_cut_off(login, users, person, areas, monkeypatch):
    """Excel holds 1,048,575 rows under the header; here the limit is made 2 (one row)."""
    monkeypatch.setattr("canlian.workbooks.MAX_ROWS", 2)
    client = login(users["officer"])
    back = reverse("registry:person_list") + "?category=4"
    assert client.get(reverse("registry:person_export"), {"category": "4"}).status_code == 200
    make_person(areas["baisha_b"], name="李四", sequence=125)
    response = client.get(reverse("registry:person_export"), {"category": "4"}, HTTP_REFERER=back)
    assert response.status_code == 302 and response["Location"] == back
    page = client.get(back).content.decode()
    assert "名单超过 Excel 一个工作表的行数上限（1 行），未导出" in page
    assert AuditEntry.objects.filter(action="registry.export").count() == 1  # the first only
