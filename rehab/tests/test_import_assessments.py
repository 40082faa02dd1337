"""The bulk import of needs assessments: 需求项目 lists item codes (their kinds are the
assessment's) or says 无需求; each row goes through `need_assess`, so a second one in a
year replaces the first, and every other row is rejected with its column and reason."""

import datetime

import pytest

from canlian.importing import ImportRefused
from canlian.models import AuditEntry
from registry.tests.workbooks import rejected_reasons as reasons
from registry.tests.workbooks import write_workbook
from rehab.imports import NeedAssessmentImporter
from rehab.models import ItemKind, NeedAssessment

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
HEADERS = NeedAssessmentImporter.headers()
ASSESSED = datetime.date(TODAY.year, 1, 2) if TODAY.month > 1 or TODAY.day > 2 else TODAY


@pytest.fixture
def run(tmp_path, users):
    def _run(rows, user="officer", headers=HEADERS):
        path = write_workbook(tmp_path / "评估.xlsx", rows, headers)
        return NeedAssessmentImporter(user=users[user], source_name="评估.xlsx").run(path)

    return _run


def row(person, needs="KF09、KF28", day=ASSESSED, assessor="王医生"):
    return {"公民身份号码": person.id_number, "评估日期": day, "评估人": assessor, "需求项目": needs}


def test_item_codes_give_the_kinds_of_need(run, users, person):
    result = run([row(person, needs="KF28,kf09 、KF10")])
    assert result.created == 1
    assessment = NeedAssessment.objects.get()
    assert (assessment.year, assessment.has_need, assessment.assessed_on) == (ASSESSED.year, True, ASSESSED)
    assert assessment.kinds == [ItemKind.PHYSICAL, ItemKind.ASSISTIVE]
    assert (assessment.note, assessment.assessed_by, assessment.area_code) == (
        "评估人：王医生",
        users["officer"],
        person.area_id,
    )


def test_no_need(run, person):
    assert run([row(person, needs="无需求")]).created == 1
    assert (NeedAssessment.objects.get().has_need, NeedAssessment.objects.get().kinds) == (False, [])


def test_a_second_assessment_of_the_year_replaces_the_first_and_the_same_is_unchanged(run, person):
    run([row(person)])
    assert run([row(person)]).unchanged == 1
    result = run([row(person, needs="无需求")])
    assert (result.updated, result.created) == (1, 0)
    assert NeedAssessment.objects.get().has_need is False
    assert NeedAssessment.history.count() == 2


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        ({"需求项目": "KF99、KF09"}, "需求项目", "未知的项目编号：KF99"),
        ({"需求项目": "、"}, "需求项目", "请填写需要的项目编号"),
        ({"评估日期": TODAY + DAY}, "评估日期", "不能晚于今天"),
        ({"评估人": ""}, "评估人", "评估人不能为空"),
        ({"公民身份号码": "440703********123X"}, "公民身份号码", "脱敏"),
    ],
)
def test_each_kind_of_bad_row_is_rejected(run, person, other_person, cells, column, reason):
    result = run([{**row(person), **cells}, row(other_person)], user="admin")
    assert reason in reasons(result)[column]
    assert (result.created, result.rejected_count) == (1, 1)


def test_a_person_of_another_town_is_rejected_for_a_town_officer(run, person, other_person):
    result = run([row(other_person), row(person)])
    assert reasons(result)["公民身份号码"] == "该人员不在您的管辖范围内"
    assert list(NeedAssessment.objects.values_list("person", flat=True)) == [person.pk]


def test_the_same_person_and_year_twice_rejects_both(run, person):
    result = run([row(person), row(person, needs="无需求")])
    assert result.rejected_count == 2 and "第 2、3 行" in reasons(result, 3)["评估日期"]
    assert not NeedAssessment.objects.exists()


def test_a_missing_column_is_refused_and_writes_nothing(run, person):
    with pytest.raises(ImportRefused, match="缺少必需的列：需求项目"):
        run([row(person)], headers=HEADERS[:3])
    assert not NeedAssessment.objects.exists() and not AuditEntry.objects.exists()


def test_the_import_is_audited(run, users, person):
    run([row(person)])
    entry = AuditEntry.objects.get(action="rehab.import")
    assert (entry.user, entry.data["kind"], entry.data["created"]) == (users["officer"], "rehab.assessments", 1)
