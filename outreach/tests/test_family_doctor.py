"""Family-doctor contracts (家庭医生签约) from the health department's list, through the
registry's data comparison (数据比对): a signing recorded with the institution and the day,
the same list twice unchanged, a renewal or an ending, bad rows rejected in Chinese with
nothing written, the person page and timeline, and the share signed per town."""

import datetime

import pytest
from django.urls import reverse

from canlian.timeline import person_timeline
from conftest import make_person
from outreach.models import FamilyDoctorContract
from registry.comparison import EVENT_COLUMNS, NOT_FOUND, EventsImporter, events_import
from registry.models import PersonEvent
from registry.services import person_event_record
from registry.tests.workbooks import write_workbook
from targets.models import WHOLE_YEAR, IndicatorValue
from targets.services import indicators_refresh

D = datetime.date
TODAY = datetime.date.today()
CENTRE = "白沙街道社区卫生服务中心"


@pytest.fixture
def run(tmp_path, users):
    def _run(rows, *, user="officer", name="卫健局家庭医生签约名单.xlsx"):
        path = write_workbook(tmp_path / name, rows, EVENT_COLUMNS)
        return events_import(user=users[user], path=path, source_name=name)

    return _run


def row(person, event, date, value=""):
    return {"公民身份号码": person.id_number, "事件": event, "日期": date, "新值": value}


def held(person) -> list[tuple[str, datetime.date, datetime.date | None]]:
    return list(
        FamilyDoctorContract.objects.filter(person=person)
        .order_by("signed_on")
        .values_list("institution", "signed_on", "ended_on")
    )


def test_a_signing_is_recorded_and_the_same_list_twice_changes_nothing(run, person):
    first = run([row(person, "家庭医生签约", D(2025, 3, 1), f" {CENTRE} ")])
    assert (first.updated, first.unchanged, first.rejected_count) == (1, 0, 0)
    contract = FamilyDoctorContract.objects.get()
    assert (contract.institution, contract.signed_on, contract.ended_on) == (CENTRE, D(2025, 3, 1), None)
    assert (contract.area_code, contract.source) == (person.area_id, "卫健局家庭医生签约名单.xlsx")
    again = run([row(person, "家庭医生签约", D(2025, 3, 1), CENTRE)])
    assert (again.updated, again.unchanged) == (0, 1)
    assert FamilyDoctorContract.objects.count() == 1
    # The registry's own events are not touched.
    assert not PersonEvent.objects.exists()


def test_a_renewal_ends_the_contract_in_force_and_an_ending_closes_it(run, person):
    run([row(person, "家庭医生签约", D(2024, 3, 1), CENTRE)])
    result = run(
        [
            row(person, "家庭医生解约", D(2025, 12, 31)),
            row(person, "家庭医生签约", D(2025, 3, 1), "白沙街道社区卫生服务中心紫沙站"),
        ]
    )
    assert (result.updated, result.rejected_count) == (2, 0)
    assert held(person) == [
        (CENTRE, D(2024, 3, 1), D(2025, 3, 1)),
        ("白沙街道社区卫生服务中心紫沙站", D(2025, 3, 1), D(2025, 12, 31)),
    ]


def test_a_signing_and_its_ending_in_one_list_are_both_recorded(run, person):
    result = run([row(person, "家庭医生解约", D(2025, 6, 1)), row(person, "家庭医生签约", D(2025, 1, 1), CENTRE)])
    assert (result.updated, result.rejected_count) == (2, 0)
    assert held(person) == [(CENTRE, D(2025, 1, 1), D(2025, 6, 1))]


def test_a_list_mixing_registry_events_and_contracts_records_both(run, person, other_person):
    result = run(
        [row(person, "经济状况变更", D(2025, 1, 1), "低保"), row(person, "家庭医生签约", D(2025, 2, 1), CENTRE)],
        user="admin",
    )
    assert (result.updated, result.rejected_count) == (2, 0)
    person.refresh_from_db()
    assert person.economic_status == "dibao" and held(person) == [(CENTRE, D(2025, 2, 1), None)]


def test_bad_rows_are_rejected_in_chinese_and_nothing_is_written(run, person, other_person, areas, users):
    dead = make_person(areas["baisha_b"], name="林故", sequence=141)
    person_event_record(user=users["admin"], person=dead, kind="death", date=D(2025, 1, 10), reason="民政名单")
    signed = make_person(areas["baisha_b"], name="王已签", sequence=143)
    run([row(signed, "家庭医生签约", D(2025, 5, 1), CENTRE)])
    before = held(signed)
    rows = [
        row(person, "家庭医生签约", D(2025, 3, 1)),  # no institution
        row(person, "家庭医生解约", D(2025, 3, 1)),  # nothing to end
        row(other_person, "家庭医生签约", D(2025, 3, 1), CENTRE),  # another town
        row(dead, "家庭医生签约", D(2025, 3, 1), CENTRE),  # after the death
        row(signed, "家庭医生签约", D(2025, 4, 1), CENTRE),  # before the contract held
        row(signed, "家庭医生解约", D(2025, 4, 15)),  # before it was signed
        row(person, "家庭医生签约", TODAY + datetime.timedelta(days=2), CENTRE),
        row(person, "家庭医生签约", D(2025, 6, 1), "甲卫生院"),  # two institutions on one day
        row(person, "家庭医生签约", D(2025, 6, 1), "乙卫生院"),
        row(person, "家庭医生签约", D(2025, 7, 1), "卫" * 101),
    ]
    result = run(rows)
    assert (result.updated, result.unchanged, result.rejected_count) == (0, 0, len(rows))
    reasons = {r.row: r.reason_text for r in result.rejected}
    assert "家庭医生签约须填写新值" in reasons[2]
    assert "没有家庭医生签约记录，无法登记解约" in reasons[3]
    assert reasons[4] == f"公民身份号码：{NOT_FOUND}"
    assert "已于 2025-01-10 死亡，签约日期不能晚于此日期" in reasons[5]
    assert "2025-05-01 已签约" in reasons[6]
    assert "解约日期早于签约日期（2025-05-01" in reasons[7]
    assert "晚于今天" in reasons[8]
    assert "同一人同一天的同一项有不同的事件" in reasons[9] and "同一人同一天" in reasons[10]
    assert "签约机构名称不能超过 100 字" in reasons[11]
    assert held(signed) == before
    assert FamilyDoctorContract.objects.count() == 1


def test_the_comparison_page_names_the_contract_kinds(login, users):
    page = login(users["officer"]).get(reverse("registry:comparison_import")).content.decode()
    assert "家庭医生签约" in page and "家庭医生解约" in page and "签约机构名称" in page
    assert ("家庭医生签约", "签约机构名称（家庭医生所在的社区卫生服务中心、卫生院等）") in (
        EventsImporter.start_context()["kinds"]
    )


def test_the_person_page_and_timeline_show_the_contract(run, login, users, person, other_person):
    run([row(person, "家庭医生签约", D(2025, 3, 1), CENTRE)])
    client = login(users["officer"])
    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert f"已签约，{CENTRE}（2025-03-01 签约）" in page
    entries = person_timeline(person, users["officer"], kind="outreach_doctor", show_all=True).entries
    assert [(e.date, e.title) for e in entries] == [(D(2025, 3, 1), f"家庭医生签约：{CENTRE}")]
    other = login(users["other_officer"]).get(reverse("registry:person_detail", args=[other_person.pk]))
    assert "家庭医生签约：</strong>未签约" in other.content.decode()


def test_the_share_signed_per_town(run, users, person, other_person, areas):
    make_person(areas["baisha_b"], name="王未签", sequence=151)
    run([row(person, "家庭医生签约", D(2025, 3, 1), CENTRE)])
    indicators_refresh(year=TODAY.year, keys=["outreach_family_doctor_signed"])
    values = {
        (v.area_code, v.month): (v.value, v.base)
        for v in IndicatorValue.objects.filter(indicator="outreach_family_doctor_signed", year=TODAY.year)
    }
    assert values[("440703002000", WHOLE_YEAR)] == (1, 2)
    assert values[("440703102000", WHOLE_YEAR)] == (0, 1)
    assert values[("440703000000", WHOLE_YEAR)] == (1, 3)
    # An ended contract no longer counts.
    run([row(person, "家庭医生解约", D(2025, 9, 1))])
    indicators_refresh(year=TODAY.year, keys=["outreach_family_doctor_signed"])
    value = IndicatorValue.objects.get(
        indicator="outreach_family_doctor_signed", year=TODAY.year, area_code="440703002000", month=WHOLE_YEAR
    )
    assert (value.value, value.base) == (0, 2)
