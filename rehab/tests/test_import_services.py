"""The bulk import of service records (a provider's list): each valid row passes the rules
of the one-at-a-time entry, every other row is rejected with its column and reason, a file
without a required column writes nothing, and the same list twice adds nothing."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from canlian.importing import ImportRefused
from canlian.models import AuditEntry
from registry.models import EventKind
from registry.services import person_event_record
from registry.tests.workbooks import rejected_reasons as reasons
from registry.tests.workbooks import write_workbook
from rehab.imports import ServiceRecordImporter
from rehab.models import ServiceRecord

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
HEADERS = ServiceRecordImporter.headers()


@pytest.fixture
def run(tmp_path, users, provider):
    def _run(rows, user="officer", headers=HEADERS):
        path = write_workbook(tmp_path / "服务名单.xlsx", rows, headers)
        return ServiceRecordImporter(user=users[user], source_name="服务名单.xlsx").run(path)

    return _run


def row(person, *, item="KF09", provider="蓬江区残疾人康复中心", day=None, sessions=4, note="", **cells):
    values = {
        "公民身份号码": person.id_number,
        "项目编号": item,
        "服务机构": provider,
        "服务日期": day or TODAY - 10 * DAY,
        "次数": sessions,
        "备注": note,
    }
    values.update(cells)
    return values


def test_a_good_file_creates_a_record_a_row(run, users, person, item, other_item, provider):
    result = run([row(person, note="首次"), row(person, item="kf22", sessions=None, day=TODAY - 3 * DAY)])
    assert result.counts() == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0, "total": 2}
    first, second = ServiceRecord.objects.order_by("served_on")
    assert (first.item, first.provider, first.sessions, first.note) == (item, provider, 4, "首次")
    assert (first.area_code, first.recorded_by) == (person.area_id, users["officer"])
    assert (second.item, second.sessions) == (other_item, 1)


def test_the_same_list_twice_adds_nothing(run, person):
    run([row(person)])
    result = run([row(person)])
    assert (result.created, result.unchanged) == (0, 1)
    assert ServiceRecord.objects.count() == 1


def test_a_different_record_of_the_same_item_and_day_is_rejected_not_changed(run, person):
    run([row(person)])
    result = run([row(person, sessions=6)])
    assert "请勿重复登记" in reasons(result)["服务日期"]
    assert ServiceRecord.objects.get().sessions == 4


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        ({"公民身份号码": "440703********123X"}, "公民身份号码", "脱敏"),
        ({"公民身份号码": 440703198001011234}, "公民身份号码", "存成了数字"),
        ({"公民身份号码": "440703198001011230"}, "公民身份号码", "校验位"),
        ({"项目编号": "KF99"}, "项目编号", "未知的项目编号“KF99”"),
        ({"服务机构": "不存在的机构"}, "服务机构", "不是系统中登记的定点康复机构"),
        ({"服务日期": "明天"}, "服务日期", ""),
        ({"服务日期": TODAY + DAY}, "服务日期", "不能晚于今天"),
        ({"服务日期": datetime.date(1979, 1, 1)}, "服务日期", "不能早于出生日期"),
        ({"次数": 0}, "次数", "至少为 1 次"),
        ({"次数": 400}, "次数", "不能超过 366 次"),
        ({"次数": 1.5}, "次数", "应为整数"),
        ({"项目编号": ""}, "项目编号", "项目编号不能为空"),
    ],
)
def test_each_kind_of_bad_row_is_rejected_with_its_column(run, person, cells, column, reason):
    result = run([row(person, **cells), row(person, item="KF10")])
    assert reason in reasons(result)[column]
    assert (result.created, result.rejected_count) == (1, 1)
    assert list(ServiceRecord.objects.values_list("item__code", flat=True)) == ["KF10"]


def test_an_unregistered_person_is_rejected(run, person):
    from registry.testing import make_id_number

    result = run([row(person, 公民身份号码=make_id_number(birth="19900101", sequence=77))])
    assert reasons(result)["公民身份号码"] == "系统中没有该身份证号的持证人员"


def test_an_inactive_item_or_provider_is_rejected(run, person, item, provider):
    item.is_active = False
    item.save()
    assert "已停用" in reasons(run([row(person)]))["项目编号"]
    item.is_active = True
    item.save()
    provider.is_active = False
    provider.save()
    assert "已停用" in reasons(run([row(person)]))["服务机构"]
    assert not ServiceRecord.objects.exists()


def test_a_day_after_the_persons_death_is_rejected(run, users, person):
    person_event_record(user=users["admin"], person=person, kind=EventKind.DEATH, date=TODAY - 20 * DAY)
    assert "不能晚于此日期" in reasons(run([row(person)]))["服务日期"]


def test_a_person_of_another_town_is_rejected_for_a_town_officer(run, person, other_person):
    result = run([row(other_person), row(person)])
    assert reasons(result)["公民身份号码"] == "该人员不在您的管辖范围内"
    assert list(ServiceRecord.objects.values_list("person", flat=True)) == [person.pk]


def test_the_district_administrator_imports_for_every_town(run, person, other_person):
    assert run([row(other_person), row(person)], user="admin").created == 2


def test_the_same_person_item_and_day_twice_in_a_file_rejects_both(run, person):
    result = run([row(person), row(person, sessions=2), row(person, item="KF10")])
    for number in (2, 3):
        assert "第 2、3 行" in reasons(result, number)["项目编号"]
    assert (result.created, result.rejected_count) == (1, 2)


def test_a_file_without_a_required_column_is_refused_and_writes_nothing(run, person):
    headers = [h for h in HEADERS if h != "服务日期"]
    with pytest.raises(ImportRefused, match="缺少必需的列：服务日期"):
        run([row(person)], headers=headers)
    assert not ServiceRecord.objects.exists()
    assert not AuditEntry.objects.filter(action="rehab.import").exists()


@pytest.mark.parametrize("who", ["leader", "reviewer", "centre"])
def test_users_who_only_look_may_not_import(run, person, who):
    with pytest.raises(ImportRefused, match="没有导入康复服务记录的权限"):
        run([row(person)], user=who)
    assert not ServiceRecord.objects.exists()


def test_the_import_is_one_audit_entry_with_its_counts(run, users, person):
    run([row(person), row(person, item="KF99")])
    entry = AuditEntry.objects.get(action="rehab.import")
    assert entry.user == users["officer"]
    assert entry.data == {
        "file": "服务名单.xlsx",
        "kind": "rehab.services",
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
        "total": 2,
    }


def test_a_failure_while_writing_writes_nothing(run, person, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("canlian.importing.audit_write", broken)
    with pytest.raises(RuntimeError):
        run([row(person)])
    assert not ServiceRecord.objects.exists()


def test_the_rejected_rows_workbook_holds_the_rows_and_reasons(run, person, tmp_path):
    from python_calamine import CalamineWorkbook

    result = run([row(person, item="KF99")])
    out = tmp_path / "rejected.xlsx"
    result.rejected_write(str(out))
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert rows[0] == [*HEADERS, "拒绝原因"]
    assert rows[1][1] == "KF99" and "未知的项目编号" in rows[1][-1]


def test_the_management_command_imports_and_reports(tmp_path, users, person, provider):
    from io import StringIO

    path = write_workbook(tmp_path / "服务.xlsx", [row(person), row(person, item="KF99")], HEADERS)
    out = StringIO()
    call_command("import_rehab_services", str(path), "--user", "officer", stdout=out, stderr=StringIO())
    assert "新增 1，更新 0，未变 0，拒绝 1" in out.getvalue()
    assert ServiceRecord.objects.count() == 1
    with pytest.raises(CommandError, match="缺少必需的列"):
        bad = write_workbook(tmp_path / "缺列.xlsx", [row(person)], HEADERS[:2])
        call_command("import_rehab_services", str(bad), "--user", "officer", stdout=StringIO(), stderr=StringIO())
