"""The per-community person counts (PersonCount) follow every write to the registry, however
it is made: the list's total (共 N 人) is read from them."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.urls import reverse

from conftest import make_person
from registry import services
from registry.imports import persons_import
from registry.models import Person, PersonCount, Status
from registry.testing import make_certificate, make_id_number
from registry.tests.workbooks import person_row, write_workbook

KEY = ("area_id", "status", "category", "grade", "economic_status", "lives_alone")


def _counted() -> dict[tuple, int]:
    return {
        tuple(row[k] for k in KEY): row["n"]
        for row in PersonCount.objects.values(*KEY).annotate(n=Sum("persons"))
        if row["n"]
    }


def _actual() -> dict[tuple, int]:
    return {tuple(row[k] for k in KEY): row["n"] for row in Person.objects.values(*KEY).annotate(n=Count("id"))}


def _assert_counts_match() -> None:
    assert _counted() == _actual()


def _total_shown(client, **params) -> str:
    html = client.get(reverse("registry:person_list"), params).content.decode()
    return html.split("共 ", 1)[1].split(" 人", 1)[0]


def test_counts_follow_a_registration_by_the_service(users, areas):
    services.person_create(
        user=users["officer"],
        data={
            "name": "王小明",
            "gender": "M",
            "id_number": make_id_number(sequence=135),
            "birth_date": datetime.date(1980, 1, 1),
            "certificate_number": make_certificate(make_id_number(sequence=135), 4, 2),
            "category": 4,
            "grade": 2,
            "area": areas["baisha_a"],
        },
    )
    assert _counted() == {("440703002001", "active", 4, 2, "none", False): 1}


def test_counts_follow_an_import(users, tmp_path, person):
    rows = [
        person_row(name="王小明", sequence=135),
        person_row(name="赵丽", sequence=136, category=5, grade=3, **{"残疾类别": "智力", "残疾等级": "三级"}),
        person_row(name="周强", sequence=137, **{"人员状态": "迁出", "状态日期": "2023-09-01"}),
    ]
    result = persons_import(
        user=users["admin"], path_or_file=write_workbook(tmp_path / "new.xlsx", rows), source_name="new.xlsx"
    )
    assert result.created == 3
    assert sum(_counted().values()) == Person.objects.count() == 4
    _assert_counts_match()


def test_counts_follow_a_move_to_another_community(users, areas, person):
    services.person_update(user=users["officer"], person=person, data={"area": areas["baisha_b"]})
    assert _counted() == {("440703002002", "active", 4, 2, "none", False): 1}


def test_counts_follow_a_death_and_a_grade_change(users, person):
    services.person_event_record(user=users["officer"], person=person, kind="death", date=datetime.date(2025, 3, 1))
    assert _counted() == {("440703002001", "deceased", 4, 2, "none", False): 1}
    services.person_event_record(
        user=users["officer"], person=person, kind="grade", date=datetime.date(2025, 1, 1), value=1
    )
    _assert_counts_match()
    assert _counted() == {("440703002001", "deceased", 4, 1, "none", False): 1}


def test_counts_follow_a_deletion(person, other_person):
    person.delete()
    assert _counted() == {("440703102201", "active", 5, 3, "none", False): 1}
    Person.objects.all().delete()
    assert _counted() == {}


def test_counts_follow_bulk_writes_that_bypass_the_models(areas, person, other_person):
    """bulk_create, update() and raw SQL never call save(): the database keeps the counts."""
    Person.objects.bulk_create(
        [
            Person(
                name=f"批量{i}",
                gender="F",
                id_number=make_id_number(sequence=200 + i),
                birth_date=datetime.date(1980, 1, 1),
                certificate_number=make_certificate(make_id_number(sequence=200 + i), 1, 4),
                category=1,
                grade=4,
                area=areas["hetang_b"],
            )
            for i in range(5)
        ]
    )
    Person.objects.filter(area=areas["hetang_b"], name__in=["批量0", "批量1"]).update(
        status=Status.CANCELLED, status_date=datetime.date(2025, 1, 1)
    )
    Person.objects.filter(pk=person.pk).update(phone="13900000000")  # no counted column changed
    Person.objects.filter(pk=other_person.pk).update(economic_status="tekun", lives_alone=True)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_person SET area_id = %s WHERE name = %s", ["440703002002", "批量4"])
        cursor.execute("DELETE FROM registry_person WHERE name = %s", ["批量3"])
    _assert_counts_match()
    assert _counted()[("440703102202", "cancelled", 1, 4, "none", False)] == 2
    assert _counted()[("440703102201", "active", 5, 3, "tekun", True)] == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and TRUNCATE are PostgreSQL's")
def test_counts_follow_copy_and_truncate(areas, person):
    id_number = make_id_number(sequence=300)
    with connection.cursor() as cursor:
        columns = "name, gender, id_number, birth_date, certificate_number, category, grade, area_id, address, "
        columns += "phone, guardian_name, guardian_phone, economic_status, lives_alone, bank_name, bank_account, "
        columns += "status, flags, created_at, updated_at"
        with cursor.cursor.copy(f"COPY registry_person ({columns}) FROM STDIN") as copy:
            copy.write_row(
                ["复制", "M", id_number, "1980-01-01", make_certificate(id_number, 6, 1), 6, 1, "440703102201"]
                + ["", "", "", "", "none", False, "", "", "active", "[]", "2026-01-01T00:00Z", "2026-01-01T00:00Z"]
            )
        _assert_counts_match()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending foreign-key checks
        cursor.execute("TRUNCATE registry_person CASCADE")
    assert _counted() == {}


def test_the_list_total_comes_from_the_counts_and_is_right_for_every_scope(login, users, areas, person, other_person):
    make_person(areas["baisha_b"], name="黄伟", sequence=125, category=1, grade=1)
    services.person_event_record(user=users["officer"], person=person, kind="death", date=datetime.date(2025, 3, 1))
    assert _total_shown(login(users["admin"])) == "3"
    assert _total_shown(login(users["officer"])) == "2"
    assert _total_shown(login(users["officer"]), status="active") == "1"
    assert _total_shown(login(users["other_officer"])) == "1"
    assert _total_shown(login(users["leader"]), town="440703002000", grade="1") == "1"
    assert _total_shown(login(users["centre"])) == "0"
