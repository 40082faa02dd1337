"""New persons of an import: every column and one creation record each in the field history,
whether written by COPY (PostgreSQL) or by the ORM's bulk insert (SQLite)."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from registry import imports
from registry.imports import persons_import
from registry.models import Person, Status
from registry.testing import make_certificate, make_id_number
from registry.tests.workbooks import person_row, write_workbook

HistoricalPerson = Person.history.model
D = datetime.date
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's")


@pytest.fixture
def workbook(tmp_path):
    """A full row, a row with only the required columns, a moved-out person with an
    unknown address code in the ID number (a flag) and a certificate with a local suffix."""
    flagged = make_id_number(region="990000", birth="19611224", sequence=142)
    rows = [
        person_row(
            name="王小明", sequence=135, **{"是否独居": "是", "监护人姓名": "王大明", "监护人电话": "13700001234"}
        ),
        person_row(
            name="赵丽",
            sequence=136,
            category=5,
            grade=3,
            **{
                "残疾类别": "智力",
                "残疾等级": "三级",
                "发证日期": "",
                "有效期至": "",
                "现住址": "",
                "联系电话": "",
                "经济状况": "",
                "是否独居": "",
                "人员状态": "",
                "开户银行": "",
                "银行账号": "",
            },
        ),
        person_row(
            name="周强",
            birth="19611224",
            sequence=142,
            **{
                "公民身份号码": flagged,
                "残疾人证号": make_certificate(flagged, 4, 2) + "B1",
                "人员状态": "迁出",
                "状态日期": "2023-09-01",
                "有效期至": "2029-05-31",
            },
        ),
    ]
    return write_workbook(tmp_path / "新增.xlsx", rows)


def _import(users, workbook):
    return persons_import(user=users["officer"], path_or_file=workbook, source_name="新增.xlsx")


def test_every_column_of_a_new_person_is_written(users, areas, workbook):
    before = timezone.now()
    result = _import(users, workbook)
    assert result.counts() == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0, "total": 3}
    rows = {p["name"]: p for p in Person.objects.values()}
    full, bare, moved = rows["王小明"], rows["赵丽"], rows["周强"]
    assert {k: v for k, v in full.items() if k not in ("id", "created_at", "updated_at")} == {
        "name": "王小明",
        "gender": "M",
        "id_number": make_id_number(birth="19700315", sequence=135),
        "birth_date": D(1970, 3, 15),
        "certificate_number": make_certificate(make_id_number(birth="19700315", sequence=135), 4, 2),
        "category": 4,
        "grade": 2,
        "certificate_issued": D(2019, 6, 1),
        "certificate_valid_until": None,
        "area_id": areas["baisha_a"].code,
        "address": "白沙大道8号",
        "phone": "13900001111",
        "guardian_name": "王大明",
        "guardian_phone": "13700001234",
        "economic_status": "dibao",
        "lives_alone": True,
        "bank_name": "江门农商银行",
        "bank_account": "6228480099998888",
        "status": "active",
        "status_date": None,
        "flags": [],
        # No 户号 in the file: no household.
        "household_id": None,
        "relationship_to_head": "",
        # A merged duplicate points at the person kept (registry.duplicates); a new one at none.
        "merged_into_id": None,
    }
    # Optional cells left empty take the model's defaults.
    assert (bare["certificate_issued"], bare["certificate_valid_until"]) == (None, None)
    assert (bare["address"], bare["phone"], bare["bank_name"], bare["bank_account"]) == ("", "", "", "")
    assert (bare["economic_status"], bare["lives_alone"], bare["status"]) == ("none", False, "active")
    assert (bare["category"], bare["grade"], bare["gender"]) == (5, 3, "F")
    assert moved["status"] == Status.MOVED_OUT and moved["status_date"] == D(2023, 9, 1)
    assert moved["certificate_valid_until"] == D(2029, 5, 31)
    assert moved["certificate_number"].endswith("42B1")
    assert len(moved["flags"]) == 2 and "地址码 990000" in moved["flags"][0] and "B1" in moved["flags"][1]
    for row in rows.values():
        assert before <= row["created_at"] <= row["updated_at"] <= timezone.now()


def test_each_new_person_has_one_creation_record_by_the_importer(users, workbook):
    _import(users, workbook)
    tracked = [f.attname for f in HistoricalPerson.tracked_fields]
    for person in Person.objects.all():
        records = list(HistoricalPerson.objects.filter(id=person.pk))
        assert len(records) == 1
        record = records[0]
        assert record.history_type == "+"
        assert record.history_user == users["officer"]
        assert record.history_change_reason == "Excel 导入：新增.xlsx"
        assert abs(record.history_date - person.created_at) < datetime.timedelta(seconds=1)
        assert {name: getattr(record, name) for name in tracked} == {name: getattr(person, name) for name in tracked}
        # The history's own view of the record: what the person looked like when created.
        assert record.instance.certificate_number == person.certificate_number
    assert HistoricalPerson.objects.count() == 3


def test_ids_of_new_persons_are_taken_from_the_sequence(users, areas, workbook):
    _import(users, workbook)
    imported = set(Person.objects.values_list("pk", flat=True))
    later = Person.objects.create(
        name="后来者",
        gender="M",
        id_number=make_id_number(sequence=151),
        birth_date=D(1980, 1, 1),
        certificate_number=make_certificate(make_id_number(sequence=151), 4, 2),
        category=4,
        grade=2,
        area=areas["baisha_b"],
    )
    assert later.pk not in imported and later.pk > max(imported)


def test_reimporting_new_persons_leaves_them_and_their_history_alone(users, workbook):
    _import(users, workbook)
    persons = list(Person.objects.values())
    records = HistoricalPerson.objects.count()
    again = _import(users, workbook)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 0, "total": 3}
    assert list(Person.objects.values()) == persons
    assert HistoricalPerson.objects.count() == records


def test_the_import_writes_every_field_of_the_person_model():
    """A field added to Person must be given a value by the import (COPY names every column)."""
    parsed = imports.ParsedRow(row=2, raw=[], id_number="x")
    parsed.values = {name: imports.KEEP for name in imports.PLAIN_FIELDS + ["economic_status", "status"]}
    parsed.values.update(
        name="甲", gender="M", birth_date=D(1980, 1, 1), certificate_number="y", category=4, grade=2, area=mock.Mock()
    )
    parsed.values["certificate_valid_until"] = imports.KEEP
    written = set(imports._new_person_values(parsed, []))
    assert written | {"id", "created_at", "updated_at"} == {f.attname for f in Person._meta.concrete_fields}


@on_postgresql
def test_on_postgresql_new_persons_are_copied_not_inserted_by_the_orm(users, workbook):
    with mock.patch.object(imports, "bulk_create_with_history", side_effect=AssertionError("ORM path")):
        result = _import(users, workbook)
    assert result.created == 3
    assert HistoricalPerson.objects.filter(history_type="+").count() == 3


@on_postgresql
def test_a_failed_copy_leaves_nothing_behind(users, workbook):
    with (
        mock.patch.object(imports, "_history_insert", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        _import(users, workbook)
    assert Person.objects.count() == 0 and HistoricalPerson.objects.count() == 0


@on_postgresql
def test_creation_records_are_written_for_the_given_ids_only_when_another_session_drew_ids_between(users, areas):
    persons = [
        Person.objects.create(
            name=f"甲{n}",
            gender="M",
            id_number=make_id_number(sequence=160 + n),
            birth_date=D(1980, 1, 1),
            certificate_number=make_certificate(make_id_number(sequence=160 + n), 4, 2),
            category=4,
            grade=2,
            area=areas["baisha_b"],
        )
        for n in range(3)
    ]
    first, middle, last = (p.pk for p in persons)
    assert (middle, last) == (first + 1, first + 2)
    HistoricalPerson.objects.all().delete()
    # The import drew `first` and `last`; another session drew `middle` between them.
    imports._history_insert([first, last], user=users["officer"], reason="导入", date=timezone.now())
    assert sorted(HistoricalPerson.objects.values_list("id", flat=True)) == [first, last]
    # A run of the sequence with no gap: every id in it is the import's.
    HistoricalPerson.objects.all().delete()
    imports._history_insert([first, middle], user=users["officer"], reason="导入", date=timezone.now())
    assert sorted(HistoricalPerson.objects.values_list("id", flat=True)) == [first, middle]
