"""The institution import (机构编号, 机构名称, 类型, 镇街, 地址, 核定人数): created or updated by
code (history kept), unchanged when the same, refused rows with their reasons; a raised
capacity offers places to the waiting list."""

import pytest

from care.imports import InstitutionImporter
from care.models import Institution, InstitutionKind, WaitingEntry
from registry.imports import ImportRefused
from registry.tests.workbooks import write_workbook


def reasons(result) -> dict[int, list[tuple[str, str]]]:
    """Row -> (column, reason) of each rejected row."""
    return {r.row: [(i.column, i.message) for i in r.reasons] for r in result.rejected}


HEADERS = InstitutionImporter.headers()


@pytest.fixture
def run(tmp_path, users):
    def _run(rows, user="admin"):
        path = write_workbook(tmp_path / "机构.xlsx", rows, HEADERS)
        return InstitutionImporter(user=users[user], source_name="机构.xlsx").run(path)

    return _run


def row(code="KY0101", name="白沙紫沙康园中心", kind="社区康园中心", town="白沙街道", address="紫沙路1号", capacity=30):
    return {"机构编号": code, "机构名称": name, "类型": kind, "镇街": town, "地址": address, "核定人数": capacity}


def test_a_good_file_creates_the_institutions(run, areas):
    result = run([row(), row("GC0101", "蓬江区伍威权庇护工场", "庇护工场", "440703102000", "", 20)])
    assert result.counts() == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0, "total": 2}
    centre, workshop = Institution.objects.order_by("code").reverse()
    assert (centre.kind, centre.area, centre.capacity, centre.address) == (
        InstitutionKind.CENTRE,
        areas["baisha"],
        30,
        "紫沙路1号",
    )
    assert (workshop.kind, workshop.area, workshop.open_days) == (InstitutionKind.WORKSHOP, areas["hetang"], 0b0011111)


def test_a_known_code_is_updated_with_its_history_and_the_same_row_is_unchanged(run):
    run([row()])
    assert run([row()]).unchanged == 1
    result = run([row(name="白沙紫沙社区康园中心", capacity=35)])
    centre = Institution.objects.get()
    assert result.updated == 1 and (centre.name, centre.capacity) == ("白沙紫沙社区康园中心", 35)
    assert centre.history.first().history_change_reason == "导入：机构.xlsx"


def test_bad_rows_are_rejected_with_their_reasons(run):
    result = run(
        [row(kind="养老院"), row("KY0102", town="南山区"), row("KY0103", capacity=0), row("KY0104", capacity="很多")]
    )
    found = reasons(result)
    assert found[2] == [
        ("类型", "未知的机构类型“养老院”，应为社区康园中心、大龄心智障碍日间托养机构、寄宿托养机构、庇护工场之一")
    ]
    assert found[3] == [("镇街", "未知的镇(街)“南山区”")]
    assert found[4] == [("核定人数", "核定人数至少为 1")]
    assert found[5] == [("核定人数", "核定人数应为整数，不能是“很多”")]
    assert not Institution.objects.exists()


def test_a_name_held_by_another_code_is_refused(run):
    run([row()])
    result = run([row("KY0109")])
    assert reasons(result)[2] == [("机构名称", "机构名称“白沙紫沙康园中心”已被编号为 KY0101 的机构使用")]


def test_a_town_officer_may_not_import_institutions(run):
    with pytest.raises(ImportRefused, match="您没有导入托养机构的权限"):
        run([row()], user="officer")


def test_a_raised_capacity_offers_the_places(run, users, baisha_person, enrol):
    run([row(capacity=1)])
    centre = Institution.objects.get()
    enrol(baisha_person("周一", 301), centre)
    waiting = enrol(baisha_person("周二", 302), centre)
    assert isinstance(waiting, WaitingEntry)
    run([row(capacity=2)])
    waiting.refresh_from_db()
    assert waiting.state == WaitingEntry.State.OFFERED


def test_the_command_imports_the_same_rows(tmp_path, users):
    from io import StringIO

    from django.core.management import call_command

    path = write_workbook(
        tmp_path / "机构.xlsx", [row(), row("KY0102", name="白沙丰乐康园中心", kind="火星基地")], HEADERS
    )
    out = StringIO()
    call_command("import_care_institutions", str(path), "--user", "admin", stdout=out)
    assert Institution.objects.get().code == "KY0101"
    assert "新增 1" in out.getvalue() and "拒绝 1" in out.getvalue()
