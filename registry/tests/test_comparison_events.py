"""Data comparison: each event of a department's list is recorded from its date, the
registry's state before it is unchanged, bad rows are rejected with their reasons, and the
same file twice changes nothing the second time."""

import datetime

import pytest
import xlsxwriter

from benefits.models import Award, Scheme
from benefits.rules import persons_as_of
from benefits.selectors import receiving_not_eligible
from canlian.importing import ImportRefused
from conftest import make_person
from registry.comparison import EVENT_COLUMNS, events_import
from registry.models import EventKind, Person, PersonEvent, Status
from registry.tests.workbooks import write_workbook

D = datetime.date


@pytest.fixture
def run(tmp_path, users):
    def _run(rows, *, user="officer", headers=EVENT_COLUMNS, name="民政名单.xlsx"):
        path = write_workbook(tmp_path / name, rows, headers)
        return events_import(user=users[user], path=path, source_name=name)

    return _run


def row(person, event, date, value=""):
    return {"公民身份号码": person.id_number, "事件": event, "日期": date, "新值": value}


def test_a_death_is_recorded_from_its_date(run, person):
    result = run([row(person, "死亡", D(2024, 7, 20))])
    assert (result.updated, result.unchanged, result.rejected_count) == (1, 0, 0)
    person.refresh_from_db()
    assert (person.status, person.status_date) == (Status.DECEASED, D(2024, 7, 20))
    event = PersonEvent.objects.get(person=person)
    assert (event.kind, event.old_value, event.source) == (EventKind.DEATH, "active", "民政名单.xlsx")
    # The state at the start of a day: unchanged up to and including the day of death.
    assert persons_as_of(D(2024, 7, 20)).get(pk=person.pk).st_status == "active"
    assert persons_as_of(D(2024, 7, 21)).get(pk=person.pk).st_status == "deceased"


@pytest.mark.parametrize(
    ("event", "value", "field", "expected"),
    [
        ("等级变更", "一级", "grade", 1),
        ("等级变更", 3, "grade", 3),
        ("类别变更", "精神", "category", 6),
        ("类别变更", "5", "category", 5),
        ("经济状况变更", "低保边缘", "economic_status", "near_dibao"),
        ("证件换发", D(2034, 3, 1), "certificate_valid_until", D(2034, 3, 1)),
        ("证件换发", "长期", "certificate_valid_until", None),
        ("迁出", "", "status", Status.MOVED_OUT),
        ("证件注销", "", "status", Status.CANCELLED),
    ],
)
def test_each_kind_of_event_sets_its_field(run, person, event, value, field, expected):
    if field == "certificate_valid_until" and expected is None:
        person.certificate_valid_until = D(2025, 1, 1)
        person.save()
    result = run([row(person, event, D(2024, 3, 5), value)])
    assert result.updated == 1, result.rejected and result.rejected[0].reason_text
    person.refresh_from_db()
    assert getattr(person, field) == expected


def test_a_grade_change_reissues_the_certificate(run, person):
    run([row(person, "等级变更", D(2024, 3, 5), "一级")])
    person.refresh_from_db()
    assert person.certificate_number == f"{person.id_number}41"


def test_the_same_file_twice_changes_nothing_the_second_time(run, person, areas):
    second = make_person(
        areas["baisha_b"], name="刘明", sequence=301, economic_status="dibao", certificate_valid_until=D(2025, 1, 1)
    )
    rows = [
        row(person, "迁出", D(2023, 2, 1)),
        row(person, "死亡", D(2024, 7, 20)),
        row(second, "经济状况变更", D(2024, 1, 10), "无"),
        row(second, "等级变更", D(2024, 5, 6), "3"),
        row(second, "证件换发", D(2024, 6, 1), "长期"),
    ]
    first = run(rows)
    assert (first.updated, first.unchanged, first.rejected_count) == (5, 0, 0)
    events = PersonEvent.objects.count()
    again = run(rows)
    assert (again.updated, again.unchanged, again.rejected_count) == (0, 5, 0)
    assert PersonEvent.objects.count() == events


def test_an_event_the_registry_already_shows_is_unchanged(run, areas):
    poor = make_person(areas["baisha_a"], name="黄低保", sequence=303, economic_status="dibao")
    result = run([row(poor, "经济状况变更", D(2024, 1, 10), "低保")])
    assert (result.updated, result.unchanged) == (0, 1)
    assert not PersonEvent.objects.exists()


def test_rows_that_change_nothing_are_decided_without_a_query_each(run, areas, django_assert_max_num_queries):
    poor = [make_person(areas["baisha_a"], name="黄低保", sequence=n, economic_status="dibao") for n in range(401, 441)]
    poor[0].events.create(
        kind=EventKind.ECONOMIC, field="economic_status", date=D(2020, 3, 1), old_value="none", new_value="dibao"
    )
    with django_assert_max_num_queries(20):
        result = run([row(p, "经济状况变更", D(2024, 1, 10), "低保") for p in poor])
    assert (result.updated, result.unchanged, result.rejected_count) == (0, 40, 0)


def test_a_later_row_of_a_person_sees_what_an_earlier_row_recorded(run, person):
    result = run(
        [
            row(person, "经济状况变更", D(2024, 1, 10), "低保"),
            row(person, "经济状况变更", D(2024, 6, 1), "低保"),  # still 低保 since January
            row(person, "经济状况变更", D(2024, 9, 1), "无"),
        ]
    )
    assert (result.updated, result.unchanged, result.rejected_count) == (2, 1, 0), result.rejected
    chain = list(person.events.order_by("date").values_list("date", "old_value", "new_value"))
    assert chain == [(D(2024, 1, 10), "none", "dibao"), (D(2024, 9, 1), "dibao", "none")]
    person.refresh_from_db()
    assert person.economic_status == "none"


def test_a_back_dated_row_after_a_later_one_of_the_same_person_goes_before_it(run, person):
    result = run(
        [
            row(person, "经济状况变更", D(2024, 9, 1), "低保"),
            row(person, "经济状况变更", D(2024, 1, 10), "特困"),  # earlier, listed after
        ]
    )
    assert (result.updated, result.unchanged, result.rejected_count) == (2, 0, 0), result.rejected
    chain = list(person.events.order_by("date").values_list("date", "old_value", "new_value"))
    assert chain == [(D(2024, 1, 10), "none", "tekun"), (D(2024, 9, 1), "tekun", "dibao")]
    person.refresh_from_db()
    assert person.economic_status == "dibao"


def test_rows_the_registry_cannot_take_are_rejected_with_reasons(run, person, other_person):
    future = datetime.date.today() + datetime.timedelta(days=3)
    bad_check_digit = person.id_number[:17] + ("0" if person.id_number[17] != "0" else "1")
    rows = [
        {"公民身份号码": bad_check_digit, "事件": "死亡", "日期": D(2024, 1, 2)},
        {"公民身份号码": "440703********123X", "事件": "死亡", "日期": D(2024, 1, 2)},
        row(other_person, "死亡", D(2024, 1, 2)),  # another town's person
        row(person, "结婚", D(2024, 1, 2)),
        row(person, "死亡", future),
        row(person, "死亡", ""),
        row(person, "死亡", "2024-13-01"),
        row(person, "等级变更", D(2024, 1, 2), "五级"),
        row(person, "等级变更", D(2024, 1, 2), ""),
        row(person, "类别变更", D(2024, 1, 2), "8"),
        row(person, "经济状况变更", D(2024, 1, 2), "富裕"),
        row(person, "证件换发", D(2024, 1, 2), "不详"),
        row(person, "证件换发", D(2024, 1, 2), D(2023, 1, 1)),
        row(person, "死亡", D(1970, 1, 1)),
    ]
    result = run(rows)
    assert [r.row for r in result.rejected] == list(range(2, len(rows) + 2))
    assert (result.updated, result.unchanged, result.rejected_count) == (0, 0, len(rows))
    reasons = {r.row: r.reason_text for r in result.rejected}
    assert "校验位" in reasons[2]
    assert "脱敏" in reasons[3]
    assert reasons[4] == "公民身份号码：在您的管辖范围内没有该身份证号的持证人员"
    assert "无法识别的事件“结婚”" in reasons[5]
    assert "晚于今天" in reasons[6]
    assert "日期不能为空" in reasons[7]
    assert "不是有效的日期" in reasons[8] or "无法识别的日期" in reasons[8]
    assert "五级" in reasons[9]
    assert "须填写新值" in reasons[10]
    assert "残疾类别" in reasons[11]
    assert "富裕" in reasons[12]
    assert "不详" in reasons[13]
    assert "早于换发日期" in reasons[14]
    assert "早于该人员的出生日期" in reasons[15]
    assert not PersonEvent.objects.exists()
    assert result.rejected[0].values[:2] == [bad_check_digit, "死亡"]


def test_an_unknown_id_gets_the_same_answer_as_another_towns_person(run, other_person):
    unknown = {"公民身份号码": "11010519491231002X", "事件": "死亡", "日期": D(2024, 1, 2)}
    result = run([unknown, row(other_person, "死亡", D(2024, 1, 2))])
    assert result.rejected[0].reason_text == result.rejected[1].reason_text


def test_the_district_may_record_events_of_any_town(run, person, other_person):
    result = run([row(person, "死亡", D(2024, 1, 2)), row(other_person, "死亡", D(2024, 1, 2))], user="admin")
    assert result.updated == 2


def test_a_death_on_another_day_than_the_registrys_is_rejected_not_overwritten(run, person):
    run([row(person, "死亡", D(2024, 7, 20))])
    result = run([row(person, "死亡", D(2024, 8, 2))])
    assert result.rejected_count == 1 and "2024-07-20" in result.rejected[0].reason_text
    person.refresh_from_db()
    assert person.status_date == D(2024, 7, 20)


def test_two_rows_that_contradict_each_other_are_both_rejected(run, person):
    result = run([row(person, "等级变更", D(2024, 3, 5), "1"), row(person, "等级变更", D(2024, 3, 5), "3")])
    assert result.rejected_count == 2 and "第 2、3 行" in result.rejected[0].reason_text
    assert not PersonEvent.objects.exists()


def test_a_value_for_a_status_event_is_ignored_with_a_warning(run, person):
    result = run([row(person, "死亡", D(2024, 7, 20), "是")])
    assert result.updated == 1 and "已忽略" in result.warnings[0].message


def test_headers_from_older_sheets_and_a_title_row_are_accepted(tmp_path, users, person):
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["2024 年死亡人员名单"])
    sheet.write_row(1, 0, ["身份证号", "事件", "日期", "新值"])
    sheet.write_row(2, 0, [person.id_number, " 死 亡 ", "2024/7/20", ""])
    book.close()
    result = events_import(user=users["officer"], path=path, source_name="a.xlsx")
    assert result.updated == 1


def test_a_file_without_a_column_is_refused_and_nothing_is_written(run, person):
    with pytest.raises(ImportRefused, match="缺少必需的列：新值"):
        run([row(person, "死亡", D(2024, 7, 20))], headers=["公民身份号码", "事件", "日期"])
    assert not PersonEvent.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path, users):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(ImportRefused, match="不是可读取的 Excel"):
        events_import(user=users["officer"], path=path, source_name="x.xlsx")


def test_a_user_who_may_not_import_is_refused(run, person):
    with pytest.raises(ImportRefused, match="权限"):
        run([row(person, "死亡", D(2024, 7, 20))], user="leader")
    assert Person.objects.get().status == Status.ACTIVE


def test_after_a_death_the_award_shows_as_not_eligible_from_the_next_month(run, areas):
    poor = make_person(areas["baisha_a"], name="王低保", sequence=305, economic_status="dibao")
    living = Scheme.objects.get(code="living")
    Award.objects.create(
        person=poor, scheme=living, area_code=poor.area_id, start_month=D(2024, 1, 1), source=Award.Source.IMPORT
    )
    assert not receiving_not_eligible(living, D(2024, 8, 1)).exists()
    run([row(poor, "死亡", D(2024, 7, 20))])
    assert list(receiving_not_eligible(living, D(2024, 8, 1)).values_list("pk", flat=True)) == [poor.pk]
    assert not receiving_not_eligible(living, D(2024, 7, 1)).exists()
