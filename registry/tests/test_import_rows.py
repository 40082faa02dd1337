"""Each kind of row ends as created, updated, unchanged or rejected with its column and reason."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from areas.models import Area, Level
from canlian.models import AuditEntry
from registry.excel import HEADERS
from registry.identifiers import CONVERTED_NOTE
from registry.imports import persons_import
from registry.models import EventKind, Person, PersonEvent, Status
from registry.testing import make_certificate, make_id_number
from registry.tests.workbooks import person_row, write_workbook

D = datetime.date


@pytest.fixture
def run(tmp_path):
    def _run(user, rows, headers=HEADERS, name="名单.xlsx"):
        path = write_workbook(tmp_path / name, rows, headers)
        return persons_import(user=user, path_or_file=path, source_name=name)

    return _run


def reasons_of(result, row=2) -> dict[str, str]:
    for rejected in result.rejected:
        if rejected.row == row:
            return {issue.column: issue.message for issue in rejected.reasons}
    raise AssertionError(f"row {row} was not rejected: {result.counts()}")


def row_of(person: Person, **cells) -> dict:
    """The row that describes `person` exactly as stored."""
    return person_row(
        name=person.name,
        birth=person.birth_date.strftime("%Y%m%d"),
        sequence=int(person.id_number[14:17]),
        category=person.category,
        grade=person.grade,
        **{
            "发证日期": "",
            "有效期至": "长期",
            "镇街": person.area.parent.name,
            "村居": person.area.name,
            "现住址": person.address,
            "联系电话": person.phone,
            "经济状况": person.get_economic_status_display(),
            "开户银行": person.bank_name,
            "银行账号": person.bank_account,
            **cells,
        },
    )


def test_a_valid_row_creates_a_person_with_history(users, areas, run):
    result = run(users["officer"], [person_row()])
    assert result.counts() == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 0, "total": 1}
    person = Person.objects.get(name="王小明")
    assert person.area == areas["baisha_a"]
    assert person.birth_date == D(1970, 3, 15) and person.gender == "M"
    assert person.category == 4 and person.grade == 2
    assert person.certificate_valid_until is None and person.certificate_issued == D(2019, 6, 1)
    assert person.economic_status == "dibao" and person.bank_account == "6228480099998888"
    assert person.history.count() == 1
    assert person.history.first().history_user == users["officer"]


def test_an_import_is_written_to_the_access_log_with_its_counts(users, run):
    run(users["officer"], [person_row(), person_row(sequence=137, **{"性别": "女"})], name="白沙.xlsx")
    log = AuditEntry.objects.get(action="registry.import")
    assert log.user == users["officer"]
    assert log.data == {"file": "白沙.xlsx", "created": 1, "updated": 0, "unchanged": 0, "rejected": 1, "total": 2}


def test_chinese_names_and_real_excel_dates_are_accepted(users, run):
    row = person_row(**{"残疾类别": "肢体", "残疾等级": "二级", "发证日期": D(2020, 5, 17), "有效期至": "2030/5/17"})
    result = run(users["officer"], [row])
    assert result.created == 1
    person = Person.objects.get()
    assert person.certificate_issued == D(2020, 5, 17)
    assert person.certificate_valid_until == D(2030, 5, 17)


def test_a_date_typed_as_digits_is_accepted(users, run):
    result = run(users["officer"], [person_row(**{"发证日期": "20200517", "有效期至": 20300517})])
    assert result.created == 1
    person = Person.objects.get()
    assert (person.certificate_issued, person.certificate_valid_until) == (D(2020, 5, 17), D(2030, 5, 17))


def test_full_width_characters_spaces_and_lower_case_x_are_normalised(users, run):
    id_number = make_id_number(birth="19650204", sequence=107)
    assert id_number.endswith("X"), "the test needs an ID whose check character is X"
    messy = " " + id_number[:6] + " " + id_number[6:].replace("X", "x")
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in id_number).replace("X", "ｘ")
    row = person_row(birth="19650204", sequence=107, **{"公民身份号码": messy, "残疾人证号": full_width + "４２"})
    result = run(users["officer"], [row])
    assert result.created == 1, result.rejected
    person = Person.objects.get()
    assert person.id_number == id_number
    assert person.certificate_number == id_number + "42"


def test_the_area_code_column_can_replace_town_and_community(users, areas, run):
    headers = [h for h in HEADERS if h not in ("镇街", "村居")]
    row = person_row(**{"区划代码": "440703002002"})
    result = run(users["officer"], [row], headers=headers)
    assert result.created == 1
    assert Person.objects.get().area == areas["baisha_b"]


def test_a_retired_town_name_maps_to_its_successor(users, areas, run):
    result = run(users["officer"], [person_row(**{"镇街": "仓后街道", "村居": "紫沙社区"})])
    assert result.created == 1, result.rejected
    assert Person.objects.get().area == areas["baisha_a"]


def test_a_retired_community_code_maps_to_its_successor(users, areas, run):
    Area.objects.create(
        code="440703001001",
        name="仓后旧社区",
        level=Level.COMMUNITY,
        parent_id="440703001000",
        is_active=False,
        successor=areas["baisha_b"],
    )
    headers = [h for h in HEADERS if h not in ("镇街", "村居")]
    result = run(users["officer"], [person_row(**{"区划代码": "440703001001"})], headers=headers)
    assert result.created == 1, result.rejected
    assert Person.objects.get().area == areas["baisha_b"]


def test_a_bad_checksum_is_rejected(users, run):
    id_number = make_id_number(sequence=135, birth="19700315")
    wrong = id_number[:17] + ("0" if id_number[17] != "0" else "1")
    result = run(users["officer"], [person_row(**{"公民身份号码": wrong})])
    assert result.created == 0
    assert "校验位错误" in reasons_of(result)["公民身份号码"]


def test_an_id_stored_as_a_number_is_rejected_saying_so(users, run):
    result = run(users["officer"], [person_row(**{"公民身份号码": 440703197003151350})])
    assert "存成了数字" in reasons_of(result)["公民身份号码"]
    assert not Person.objects.exists()


def test_a_fifteen_digit_id_is_converted_and_reported(users, run):
    result = run(users["officer"], [person_row(**{"公民身份号码": "440703700315135"})])
    assert result.created == 1
    assert Person.objects.get().id_number == make_id_number(birth="19700315", sequence=135)
    assert [(w.row, w.column, w.message) for w in result.warnings] == [(2, "公民身份号码", CONVERTED_NOTE)]


def test_a_fifteen_digit_id_with_an_impossible_date_is_rejected(users, run):
    result = run(users["officer"], [person_row(**{"公民身份号码": "440703700230135"})])
    assert "15 位旧身份证号中的出生日期 1970-02-30 不是有效日期" in reasons_of(result)["公民身份号码"]
    assert not Person.objects.exists()


def test_a_certificate_of_another_id_is_rejected(users, run):
    other = make_id_number(birth="19700315", sequence=137)
    result = run(users["officer"], [person_row(**{"残疾人证号": other + "42"})])
    assert "前 18 位与身份证号不一致" in reasons_of(result)["残疾人证号"]


def test_a_certificate_digit_that_disagrees_with_the_category_or_grade_is_rejected(users, run):
    id_number = make_id_number(birth="19700315", sequence=135)
    category = run(users["officer"], [person_row(**{"残疾人证号": id_number + "52"})], name="a.xlsx")
    assert "残疾类别" in reasons_of(category)["残疾人证号"]
    grade = run(users["officer"], [person_row(**{"残疾人证号": id_number + "43"})], name="b.xlsx")
    assert "残疾等级" in reasons_of(grade)["残疾人证号"]


def test_a_gender_that_disagrees_with_the_id_is_rejected(users, run):
    result = run(users["officer"], [person_row(**{"性别": "女"})])
    assert "第 17 位表示男" in reasons_of(result)["性别"]


def test_an_unknown_category_is_rejected_naming_the_value(users, run):
    result = run(users["officer"], [person_row(**{"残疾类别": "肢残"})])
    assert "肢残" in reasons_of(result)["残疾类别"]


def test_an_unknown_town_or_community_is_rejected(users, run):
    town = run(users["officer"], [person_row(**{"镇街": "火星街道"})], name="a.xlsx")
    assert "未知的镇街：火星街道" in reasons_of(town)["镇街"]
    community = run(users["officer"], [person_row(**{"村居": "不存在社区"})], name="b.xlsx")
    assert "不存在社区" in reasons_of(community)["村居"]


def test_a_community_of_another_town_is_rejected_for_a_town_officer(users, run):
    result = run(users["officer"], [person_row(**{"镇街": "荷塘镇", "村居": "塔岗村"})])
    assert "不在您的管辖范围内" in reasons_of(result)["村居"]
    assert not Person.objects.exists()


def test_a_district_administrator_may_import_any_town(users, areas, run):
    result = run(users["admin"], [person_row(**{"镇街": "荷塘镇", "村居": "塔岗村"})])
    assert result.created == 1
    assert Person.objects.get().area == areas["hetang_a"]


def test_a_bad_date_is_rejected(users, run):
    result = run(users["officer"], [person_row(**{"发证日期": "2020-02-30"})])
    assert "2020-02-30" in reasons_of(result)["发证日期"]


def test_a_death_without_a_status_date_is_rejected(users, run):
    result = run(users["officer"], [person_row(**{"人员状态": "死亡"})])
    assert "状态日期必填" in reasons_of(result)["状态日期"]


def test_an_unknown_status_is_rejected_naming_the_value(users, run):
    result = run(users["officer"], [person_row(**{"人员状态": "失联", "状态日期": "2024-01-01"})])
    assert "失联" in reasons_of(result)["人员状态"]


def test_a_new_person_who_died_is_created_with_that_status(users, run):
    result = run(users["officer"], [person_row(**{"人员状态": "死亡", "状态日期": "2024-03-05"})])
    assert result.created == 1
    person = Person.objects.get()
    assert (person.status, person.status_date) == (Status.DECEASED, D(2024, 3, 5))
    # The death is an event on its date, so the rules read the person as alive before it.
    event = PersonEvent.objects.get()
    assert (event.person, event.kind, event.date, event.old_value) == (person, "death", D(2024, 3, 5), "active")


def test_two_rows_with_the_same_id_are_both_rejected(users, run):
    rows = [person_row(), person_row(name="王小明二"), person_row(name="李四", sequence=137)]
    result = run(users["officer"], rows)
    assert result.created == 1
    assert {r.row for r in result.rejected} == {2, 3}
    assert "重复出现（第 2、3 行）" in reasons_of(result, 3)["公民身份号码"]
    assert list(Person.objects.values_list("name", flat=True)) == ["李四"]


def test_a_person_registered_in_another_town_is_rejected_without_details(users, other_person, run):
    row = row_of(other_person, **{"镇街": "白沙街道", "村居": "紫沙社区"})
    result = run(users["officer"], [row])
    reason = reasons_of(result)["公民身份号码"]
    assert "已在其他镇(街)登记" in reason
    assert "荷塘" not in reason and "塔岗" not in reason
    other_person.refresh_from_db()
    assert other_person.area_id == "440703102201"


def test_a_changed_plain_field_updates_the_person_with_history(users, person, run):
    result = run(users["officer"], [row_of(person, **{"联系电话": "13700002222", "现住址": "新地址1号"})])
    assert result.counts()["updated"] == 1
    person.refresh_from_db()
    assert person.phone == "13700002222" and person.address == "新地址1号"
    assert person.history.count() == 2
    assert not PersonEvent.objects.exists()


def test_a_changed_grade_is_recorded_as_an_event_dated_today(users, person, run):
    row = row_of(person, **{"残疾等级": "一级", "残疾人证号": person.id_number + "41"})
    result = run(users["officer"], [row], name="复评.xlsx")
    assert result.updated == 1, result.rejected
    event = PersonEvent.objects.get(person=person)
    assert (event.kind, event.old_value, event.new_value) == (EventKind.GRADE, "2", "1")
    assert event.date == timezone.localdate() and event.source == "复评.xlsx"
    person.refresh_from_db()
    assert person.grade == 1 and person.certificate_number == person.id_number + "41"


def test_a_death_of_a_registered_person_is_an_event_dated_by_the_status_date(users, person, run):
    # The economic status is a key field: a request, which a deceased person cannot have.
    row = row_of(person, **{"人员状态": "死亡", "状态日期": "2025-01-20", "经济状况": "特困"})
    result = run(users["officer"], [row])
    assert result.updated == 1 and result.requested == 0
    kinds = dict(PersonEvent.objects.filter(person=person).values_list("kind", "date"))
    assert kinds == {EventKind.DEATH: D(2025, 1, 20)}
    person.refresh_from_db()
    assert (person.status, person.status_date, person.economic_status) == (Status.DECEASED, D(2025, 1, 20), "none")
    assert [(w.column, w.message) for w in result.warnings] == [
        ("经济状况", "经济状况与系统登记的不同：该人员状态为“死亡”，不能申请变更，未修改")
    ]


def test_a_row_equal_to_the_stored_person_is_unchanged(users, person, run):
    result = run(users["officer"], [row_of(person)])
    assert result.counts()["unchanged"] == 1, result.rejected
    assert person.history.count() == 1


def test_empty_optional_cells_keep_the_stored_values(users, person, run):
    row = row_of(person, **{"联系电话": "", "银行账号": "", "经济状况": "", "人员状态": ""})
    result = run(users["officer"], [row])
    assert result.unchanged == 1
    person.refresh_from_db()
    assert person.phone == "13812345678" and person.bank_account == "6228480012345678"


def test_blank_rows_are_skipped_and_row_numbers_follow_excel(users, run):
    rows = [person_row(), {}, person_row(sequence=137, **{"性别": "女"})]
    result = run(users["officer"], rows)
    assert result.total == 2
    assert [r.row for r in result.rejected] == [4]


def test_an_unknown_address_code_is_a_warning_kept_in_the_flags(users, run):
    id_number = make_id_number(region="990000", birth="19700315", sequence=135)
    row = person_row(**{"公民身份号码": id_number, "残疾人证号": make_certificate(id_number, 4, 2)})
    result = run(users["officer"], [row])
    assert result.created == 1
    assert [w.column for w in result.warnings] == ["公民身份号码"]
    assert "地址码 990000" in Person.objects.get().flags[0]


def test_a_certificate_suffix_is_kept_and_flagged(users, run):
    id_number = make_id_number(birth="19700315", sequence=135)
    result = run(users["officer"], [person_row(**{"残疾人证号": id_number + "42B1"})])
    assert result.created == 1
    person = Person.objects.get()
    assert person.certificate_number == id_number + "42B1"
    assert any("B1" in flag for flag in person.flags)
    assert any("B1" in w.message for w in result.warnings)


def test_a_masked_identifier_is_rejected(users, person, run):
    row = row_of(person, **{"联系电话": "138****5678"})
    result = run(users["officer"], [row])
    assert "脱敏" in reasons_of(result)["联系电话"]
    person.refresh_from_db()
    assert person.phone == "13812345678"


def test_a_move_to_another_community_of_the_town_is_a_change_request(users, areas, person, run):
    result = run(users["officer"], [row_of(person, **{"村居": "丰乐社区"})])
    assert (result.updated, result.unchanged, result.requested) == (0, 1, 1)
    person.refresh_from_db()
    assert person.area == areas["baisha_a"]
    request = person.change_requests.get()
    assert (request.field, request.new_value) == ("area", {"area_id": areas["baisha_b"].code})


def test_a_deceased_person_marked_normal_is_restored_by_a_dated_event(users, person, run):
    person.status, person.status_date = Status.DECEASED, D(2024, 5, 1)
    person.save()
    result = run(users["officer"], [row_of(person, **{"人员状态": "正常", "状态日期": "2024-06-01"})])
    assert result.updated == 1, result.rejected
    event = PersonEvent.objects.get(person=person)
    assert (event.kind, event.date) == (EventKind.RESTORED, D(2024, 6, 1))
    person.refresh_from_db()
    assert person.status == Status.ACTIVE and person.status_date is None


@pytest.mark.parametrize("in_bulk", [False, True], ids=["one_by_one", "in_bulk"])
def test_a_row_whose_second_event_is_refused_is_rejected_and_keeps_none_of_its_events(
    users, person, run, in_bulk, monkeypatch
):
    from django.core.exceptions import ValidationError
    from django.db import connection

    from registry import imports

    if in_bulk and connection.vendor != "postgresql":
        in_bulk = False  # the bulk write is PostgreSQL's; elsewhere both cases are one by one
    monkeypatch.setattr(imports, "_events_in_bulk", lambda: in_bulk)
    real = imports.person_event_decide

    def refuse_renewal(**event):
        if event["kind"] == EventKind.RENEWAL:
            raise ValidationError("测试：拒绝换证")
        return real(**event)

    row = row_of(person, **{"残疾等级": "一级", "残疾人证号": person.id_number + "41", "有效期至": "2030-06-30"})
    with mock.patch.object(imports, "person_event_decide", side_effect=refuse_renewal):
        result = run(users["officer"], [row, person_row(name="新来", sequence=141)])
    assert (result.created, result.updated) == (1, 0)
    assert reasons_of(result) == {"有效期至": "测试：拒绝换证"}
    assert not PersonEvent.objects.exists()
    person.refresh_from_db()
    assert person.grade == 2 and person.history.count() == 1
