"""The bulk list of participants (公民身份号码, 活动编号): each valid row passes what adding
the person one at a time passes, every other row is rejected with its column and reason (an
unknown activity code, another town's activity, a person not registered or not in scope, a
day the person was not active), a list imported twice adds nothing, and a file without a
required column writes nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.imports import ParticipantImporter
from activities.models import FiveOneRecord, Participation
from canlian.importing import ImportRefused
from canlian.models import AuditEntry, Job
from registry.models import EventKind
from registry.services import person_event_record
from registry.testing import make_id_number
from registry.tests.workbooks import rejected_reasons as reasons
from registry.tests.workbooks import write_workbook

HEADERS = ParticipantImporter.headers()


@pytest.fixture
def run(tmp_path, users):
    def _run(rows, user="officer", headers=HEADERS):
        path = write_workbook(tmp_path / "参加名单.xlsx", rows, headers)
        return ParticipantImporter(user=users[user], source_name="参加名单.xlsx").run(path)

    return _run


def row(person, activity, **cells):
    values = {"公民身份号码": person.id_number, "活动编号": activity.code}
    values.update(cells)
    return values


def test_a_good_list_adds_a_participant_a_row(run, district_activity, person, neighbour, users):
    result = run([row(person, district_activity), row(neighbour, district_activity, 备注="轮椅")])
    assert result.counts() == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0, "total": 2}
    first, second = Participation.objects.order_by("person__name")
    assert {first.person, second.person} == {person, neighbour}
    assert {p.attended_on for p in (first, second)} == {district_activity.starts_on}
    assert Participation.objects.get(person=neighbour).note == "轮椅"
    entry = AuditEntry.objects.get(action="activities.import")
    assert (entry.user, entry.data["kind"], entry.data["created"]) == (users["officer"], "活动参加人员", 2)


def test_a_code_is_read_whatever_its_case_and_spaces(run, activity, person):
    assert run([row(person, activity, 活动编号=f" {activity.code.lower()} ")]).created == 1


def test_an_unknown_activity_code_is_rejected_in_the_row_report(run, activity, person, neighbour):
    result = run([row(person, activity, 活动编号="HD20990001"), row(neighbour, activity)])
    assert reasons(result)["活动编号"] == "未知的活动编号“HD20990001”，或该活动不在您的管辖范围内"
    assert (result.created, result.rejected_count) == (1, 1)
    assert list(Participation.objects.values_list("person", flat=True)) == [neighbour.pk]


def test_another_towns_activity_is_answered_as_unknown(run, make_activity, areas, person):
    hetang = make_activity(by="other_officer", area=areas["hetang"], name="荷塘镇助残日活动")
    assert "未知的活动编号" in reasons(run([row(person, hetang)]))["活动编号"]
    assert not Participation.objects.exists()


def test_a_person_of_another_town_or_not_registered_is_rejected(run, district_activity, person, other_person):
    stranger = {"公民身份号码": make_id_number(birth="19900101", sequence=77), "活动编号": district_activity.code}
    result = run([row(other_person, district_activity), stranger, row(person, district_activity)])
    assert reasons(result, 2)["公民身份号码"] == "该人员不在您的管辖范围内"
    assert reasons(result, 3)["公民身份号码"] == "系统中没有该身份证号的持证人员"
    assert list(Participation.objects.values_list("person", flat=True)) == [person.pk]


def test_a_person_dead_before_the_activity_is_rejected(run, users, activity, person):
    day = activity.starts_on - datetime.timedelta(days=3)
    person_event_record(user=users["officer"], person=person, kind=EventKind.DEATH, date=day)
    assert "不能晚于此日期" in reasons(run([row(person, activity)]))["参加日期"]
    assert not Participation.objects.exists()


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        ({"公民身份号码": "440703********123X"}, "公民身份号码", "脱敏"),
        ({"公民身份号码": "440703198001011230"}, "公民身份号码", "校验位"),
        ({"活动编号": ""}, "活动编号", "活动编号不能为空"),
        ({"参加日期": "昨天"}, "参加日期", ""),
        ({"参加日期": datetime.date(2016, 1, 1)}, "参加日期", "参加日期应在活动日期"),
    ],
)
def test_each_kind_of_bad_row_is_rejected_with_its_column(run, activity, person, neighbour, cells, column, reason):
    result = run([row(person, activity, **cells), row(neighbour, activity)])
    assert reason in reasons(result)[column]
    assert (result.created, result.rejected_count) == (1, 1)


def test_the_same_person_twice_in_a_file_rejects_both_rows(run, activity, person, neighbour):
    result = run([row(person, activity), row(person, activity), row(neighbour, activity)])
    for number in (2, 3):
        assert "第 2、3 行" in reasons(result, number)["活动编号"]
    assert (result.created, result.rejected_count) == (1, 2)


def test_the_same_list_twice_adds_nothing_and_a_different_day_is_rejected(run, make_activity, person):
    two_days = make_activity(
        starts_on=datetime.date.today() - datetime.timedelta(days=9),
        ends_on=datetime.date.today() - datetime.timedelta(days=8),
    )
    run([row(person, two_days)])
    again = run([row(person, two_days)])
    assert (again.created, again.unchanged) == (0, 1)
    other_day = run([row(person, two_days, 参加日期=two_days.ends_on)])
    assert "与本行不同，未修改" in reasons(other_day)["参加日期"]
    assert Participation.objects.get().attended_on == two_days.starts_on


def test_a_five_ones_list_gives_each_person_the_five_one(run, five_ones_activity, person, neighbour):
    run([row(person, five_ones_activity), row(neighbour, five_ones_activity)])
    assert set(FiveOneRecord.objects.values_list("person", "item")) == {(person.pk, "film"), (neighbour.pk, "film")}


def test_a_file_without_a_required_column_is_refused_and_writes_nothing(run, activity, person):
    with pytest.raises(ImportRefused, match="缺少必需的列：活动编号"):
        run([row(person, activity)], headers=["公民身份号码", "参加日期"])
    assert not Participation.objects.exists()
    assert not AuditEntry.objects.filter(action="activities.import").exists()


def test_a_leader_may_not_import(run, activity, person):
    with pytest.raises(ImportRefused, match="没有导入活动参加人员的权限"):
        run([row(person, activity)], user="leader")


def test_the_upload_page_runs_the_job_and_reports(login, users, activity, person, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    path = write_workbook(
        tmp_path / "名单.xlsx", [row(person, activity), row(person, activity, 活动编号="HD1")], HEADERS
    )
    client = login(users["officer"])
    response = client.post(
        reverse("activities:participants_import"), {"file": SimpleUploadedFile("名单.xlsx", path.read_bytes())}
    )
    job = Job.objects.get()
    assert response["Location"] == reverse("activities:participants_import_status", args=[job.pk])
    assert (job.kind, job.state, job.message) == (
        "activities.participants",
        Job.State.DONE,
        "新增 1，更新 0，未变 0，拒绝 1",
    )
    page = client.get(response["Location"]).content.decode()
    assert "未知的活动编号“HD1”" in page
    assert login(users["other_officer"]).get(response["Location"]).status_code == 404
