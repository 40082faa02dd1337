"""A person import does not write a registered person's key fields: where its row differs,
it asks for the change (a pending change request with the workbook as evidence), and a
second import of the same file asks nothing again. A row of a merged person is refused."""

import datetime

import pytest
from django.utils import timezone

from conftest import make_person
from registry.changes import change_request_decide
from registry.identifiers import mask_id
from registry.imports import persons_import
from registry.models import ChangeRequest, EventKind, Person, PersonEvent, Status
from registry.tests.test_import_rows import reasons_of, row_of
from registry.tests.workbooks import person_row, write_workbook

KEY_CELLS = {
    "开户银行": "中国农业银行江门分行",
    "银行账号": "6228480099990001",
    "村居": "丰乐社区",
    "监护人姓名": "陈大明",
    "经济状况": "低保",
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def run(tmp_path):
    def _run(user, rows, name="名单.xlsx"):
        path = tmp_path / name
        if not path.exists():
            write_workbook(path, rows)
        return persons_import(user=user, path_or_file=path, source_name=name)

    return _run


def _warnings(result, row=2) -> dict[str, str]:
    return {w.column: w.message for w in result.warnings if w.row == row}


def test_key_fields_of_a_registered_person_are_requested_not_written(users, areas, person, run):
    result = run(users["officer"], [row_of(person, **KEY_CELLS, **{"联系电话": "13700002222"})])
    assert (result.updated, result.requested, result.rejected) == (1, 4, [])
    person.refresh_from_db()
    # The old values stay in force; the plain field changed as before.
    assert (person.bank_name, person.bank_account) == ("江门农商银行", "6228480012345678")
    assert (person.area, person.guardian_name, person.economic_status) == (areas["baisha_a"], "", "none")
    assert person.phone == "13700002222"
    assert not PersonEvent.objects.filter(person=person).exists()

    requests = {r.field: r for r in ChangeRequest.objects.filter(person=person)}
    assert set(requests) == {"bank", "area", "guardian", "economic"}
    assert all(r.state == ChangeRequest.State.PENDING and r.requested_by == users["officer"] for r in requests.values())
    bank = requests["bank"]
    assert bank.old_value == {"bank_name": "江门农商银行", "bank_account": "6228480012345678"}
    assert bank.new_value == {"bank_name": "中国农业银行江门分行", "bank_account": "6228480099990001"}
    assert requests["area"].old_value == {"area_id": areas["baisha_a"].code}
    assert requests["area"].new_value == {"area_id": areas["baisha_b"].code}
    assert requests["guardian"].new_value == {"guardian_name": "陈大明", "guardian_phone": ""}
    economic = requests["economic"]
    assert (economic.old_value, economic.new_value) == ({"economic_status": "none"}, {"economic_status": "dibao"})
    assert economic.effective_on == timezone.localdate()
    # The workbook is the evidence, stored once for all of them.
    assert bank.evidence_name == "名单.xlsx" and bank.reason == "Excel 导入：名单.xlsx"
    assert len({r.evidence.name for r in requests.values()}) == 1
    assert bank.evidence.read(4) == b"PK\x03\x04"

    assert _warnings(result) == {
        "银行账号": "银行账户与系统登记的不同：已提交变更申请，待审核",
        "村居": "户籍村(居)与系统登记的不同：已提交变更申请，待审核",
        "监护人姓名": "监护人与系统登记的不同：已提交变更申请，待审核",
        "经济状况": "经济状况与系统登记的不同：已提交变更申请，待审核",
    }
    assert ("requested", "提交变更申请", 4) in result.count_cells()
    assert result.summary().endswith("提交变更申请 4")


def test_a_second_import_of_the_same_file_asks_nothing_again(users, person, run):
    rows = [row_of(person, **{"开户银行": "中国农业银行江门分行", "银行账号": "6228480099990001"})]
    first = run(users["officer"], rows)
    second = run(users["officer"], rows)
    assert (first.requested, second.requested) == (1, 0)
    assert (second.unchanged, second.rejected) == (1, [])
    assert ChangeRequest.objects.filter(person=person).count() == 1
    assert _warnings(second) == {"银行账号": "银行账户与系统登记的不同：已有相同的变更申请待审核，未重复提交"}


def test_another_pending_value_of_the_field_is_reported_not_asked(users, person, run):
    run(users["officer"], [row_of(person, **{"银行账号": "6228480099990001"})], name="一.xlsx")
    result = run(users["officer"], [row_of(person, **{"银行账号": "6228480099990002"})], name="二.xlsx")
    assert result.requested == 0
    assert "已有一项待审核的银行账户变更申请，本次未提交" in _warnings(result)["银行账号"]
    request = ChangeRequest.objects.get(person=person)
    assert request.new_value["bank_account"] == "6228480099990001"


def test_an_approved_import_request_applies_the_change(users, person, run):
    run(users["officer"], [row_of(person, **{"经济状况": "特困"})])
    request = ChangeRequest.objects.get(person=person)
    change_request_decide(user=users["reviewer"], request=request, approve=True)
    person.refresh_from_db()
    assert person.economic_status == "tekun"
    event = PersonEvent.objects.get(person=person)
    assert (event.kind, event.date, event.source) == (EventKind.ECONOMIC, timezone.localdate(), "变更申请")


def test_a_new_person_takes_the_key_fields_directly(users, areas, run):
    result = run(users["officer"], [person_row(**{"银行账号": "6228480099990001", "经济状况": "低保"})])
    assert (result.created, result.requested) == (1, 0)
    person = Person.objects.get()
    assert (person.bank_account, person.economic_status) == ("6228480099990001", "dibao")
    assert not ChangeRequest.objects.exists()


def test_a_row_of_a_merged_person_is_refused_naming_the_kept_one_masked(users, areas, person, run):
    kept = make_person(areas["baisha_a"], name="陈建国", sequence=211)
    Person.objects.filter(pk=person.pk).update(
        status=Status.MERGED, status_date=datetime.date(2026, 1, 5), merged_into=kept
    )
    person.refresh_from_db()
    before = person.history.count()
    result = run(users["officer"], [row_of(person, **{"联系电话": "13700002222", "银行账号": "6228480099990001"})])
    assert (result.updated, result.requested, result.rejected_count) == (0, 0, 1)
    assert reasons_of(result) == {
        "公民身份号码": "该身份证号的登记是重复登记（状态：已合并），已合并到陈建国"
        f"（公民身份号码 {mask_id(kept.id_number)}）的登记，本行未导入；请按保留的登记填写身份证号"
    }
    person.refresh_from_db()
    assert person.phone == "13812345678" and person.history.count() == before
    assert not ChangeRequest.objects.exists()


def test_a_merged_person_kept_outside_the_officers_town_is_not_named(users, areas, person, run):
    kept = make_person(areas["hetang_a"], name="陈建国", sequence=213)
    Person.objects.filter(pk=person.pk).update(
        status=Status.MERGED, status_date=datetime.date(2026, 1, 5), merged_into=kept
    )
    person.refresh_from_db()
    result = run(users["officer"], [row_of(person)])
    reason = reasons_of(result)["公民身份号码"]
    assert "已合并到另一条登记" in reason and mask_id(kept.id_number) not in reason and kept.name not in reason


def test_a_reimport_of_many_key_changes_asks_in_a_few_statements(users, areas, run):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    persons = [make_person(areas["baisha_a"], name="李四", sequence=n) for n in range(431, 451)]
    rows = [row_of(p, **{"银行账号": f"62284800999{n:05d}"}) for n, p in enumerate(persons)]
    with CaptureQueriesContext(connection) as queries:
        result = run(users["officer"], rows)
    assert result.requested == 20
    inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "registry_changerequest"')]
    reads = [q["sql"] for q in queries if 'FROM "registry_changerequest"' in q["sql"]]
    assert len(inserts) == 1 and len(reads) == 1
    assert datetime.date.today() == ChangeRequest.objects.first().requested_on
