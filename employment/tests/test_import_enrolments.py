"""The bulk enrolment list (公民身份号码, 课程编号, 报名日期, 结业): each row passes what the
page passes or is rejected with its column and reason, writing nothing of its own."""

import pytest

from employment.imports import EnrolmentImporter
from employment.models import CourseEnrolment
from registry.tests.workbooks import rejected_reasons as reasons
from registry.tests.workbooks import write_workbook

from .conftest import days_ago

HEADERS = EnrolmentImporter.headers()


@pytest.fixture
def run(tmp_path, users):
    def _run(rows, user="officer"):
        path = write_workbook(tmp_path / "报名.xlsx", rows, HEADERS)
        return EnrolmentImporter(user=users[user], source_name="报名.xlsx").run(path)

    return _run


def row(person, course, **cells):
    values = {"公民身份号码": person.id_number, "课程编号": course.code, "报名日期": days_ago(35).isoformat()}
    values.update(cells)
    return values


def test_a_list_enrols_and_completes(run, course, person, neighbour):
    result = run([row(person, course, 结业="是", 结业证书编号="ZS-9"), row(neighbour, course, 结业="否")])
    assert (result.created, result.rejected_count) == (2, 0)
    done = CourseEnrolment.objects.get(person=person)
    assert (done.completed_on, done.certificate_number) == (course.ends_on, "ZS-9")
    assert CourseEnrolment.objects.get(person=neighbour).completed_on is None
    again = run([row(person, course, 结业="是", 结业证书编号="ZS-9"), row(neighbour, course, 结业="是")])
    assert (again.unchanged, again.updated, again.created) == (1, 1, 0)


def test_bad_rows_are_rejected_and_write_nothing(run, make_course, person, neighbour, other_person, areas):
    from conftest import make_person

    course = make_course(capacity=1)
    third = make_person(areas["baisha_a"], name="赵三", sequence=126)
    result = run(
        [
            row(person, course),
            row(neighbour, course),  # over capacity
            row(third, course, 结业="是", 结业日期=days_ago(40).isoformat()),  # before the course started
            row(other_person, course),  # another town
            row(person, course, 课程编号="PX2099001"),
            row(person, course, 结业="也许"),
        ]
    )
    assert result.created == 1
    assert list(CourseEnrolment.objects.values_list("person", flat=True)) == [person.pk]
    assert "名额已满（1 人）" in reasons(result, 3)["报名日期"]
    assert reasons(result, 4) == {"结业日期": f"结业日期不能早于课程开课日期（{course.starts_on:%Y-%m-%d}）"}
    assert "公民身份号码" in reasons(result, 5)
    assert reasons(result, 6) == {"课程编号": "未知的课程编号“PX2099001”"}
    assert reasons(result, 7) == {"结业": "无法识别的结业情况“也许”，应填写 是 或 否"}
    assert result.rejected_count == 5


def test_the_command_imports_as_the_page_does(tmp_path, course, person, users, capsys):
    from django.core.management import call_command

    path = write_workbook(tmp_path / "报名.xlsx", [row(person, course, 结业="是")], HEADERS)
    call_command("import_enrolments", str(path), user="officer")
    assert CourseEnrolment.objects.get(person=person).completed_on == course.ends_on
