"""The bulk list of a course's enrolments (公民身份号码, 课程编号, 报名日期, 结业 是/否) on the
import framework (`canlian.importing`). Each valid row goes through the services the page
uses (`enrol`, then `enrolment_complete` when 结业 is 是) inside a savepoint of its own, so a
row writes what entering it on the page would, or nothing: the person's scope, the course's
capacity, a second enrolment of the person, a completion before the course started are
refused with the page's message. A row the system already holds as it is (the same person
and course, enrolment day and completion) is unchanged, so a list imported twice adds
nothing; completing an enrolment held without completion is an update."""

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from canlian.importing import (
    ID_HEADER,
    CellError,
    Column,
    Importer,
    ImportResult,
    Row,
    id_column,
    reject_error,
    row_numbers,
    row_person,
    row_persons,
    rows_held,
)
from employment.models import Course, CourseEnrolment
from employment.services import completion_check, enrol, enrolment_complete
from registry import excel

CODE, ENROLLED_ON, COMPLETED, COMPLETED_ON, CERTIFICATE = "课程编号", "报名日期", "结业", "结业日期", "结业证书编号"
UNKNOWN_COURSE = "未知的课程编号“{code}”"
YES_NO = {"是": True, "否": False, "Y": True, "N": False, "TRUE": True, "FALSE": False}


def _yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = "".join(excel.cell_text(value).split()).upper()
    if text in YES_NO:
        return YES_NO[text]
    raise CellError(f"无法识别的结业情况“{excel.cell_text(value)}”，应填写 是 或 否")


def _code(value: object) -> str:
    return "".join(excel.cell_text(value).split()).upper()


class EnrolmentImporter(Importer):
    """A course's enrolment list: one row per person and course."""

    kind = "employment.enrolments"
    title = "培训报名"
    permission = "employment.add_courseenrolment"
    sheet_name = "培训报名"
    template_name = "培训报名导入模板"
    columns = (
        id_column(),
        Column(CODE, required=True, parse=_code, guide="课程页面上的课程编号，如 PX2026001", width=14),
        Column(ENROLLED_ON, required=True, parse=excel.parse_date, guide="如 2026-03-02；不能晚于今天", width=14),
        Column(COMPLETED, parse=_yes_no, guide="是 或 否；不填为否", width=10, values="是、否"),
        Column(
            COMPLETED_ON,
            parse=excel.parse_date,
            guide="结业为“是”时填写；不填为课程结课日期（未到结课日期则为今天）",
            width=14,
        ),
        Column(
            CERTIFICATE,
            parse=partial(excel.parse_text, max_length=40, what="结业证书编号"),
            guide="有证书的填写，不超过 40 字",
            width=20,
        ),
    )

    def audit_data(self, result: ImportResult) -> dict:
        return {**super().audit_data(result), "kind": self.title}

    def prepare(self) -> None:
        # Courses are the district's: at most a few hundred over the years.
        self.courses = {c.code: c for c in Course.objects.all()}

    def parse_row(self, row: Row) -> None:
        code, enrolled_on, completed, completed_on, certificate = (
            row.values.get(name) for name in (CODE, ENROLLED_ON, COMPLETED, COMPLETED_ON, CERTIFICATE)
        )
        course = self.courses.get(code) if code else None
        if code and course is None:
            row.reject(CODE, UNKNOWN_COURSE.format(code=code))
        if not completed and (completed_on or certificate):
            row.reject(COMPLETED, "填写了结业日期或证书编号，“结业”应为“是”")
        if course is not None and completed:
            completed_on = completed_on or min(course.ends_on, timezone.localdate())
            if enrolled_on is not None:
                try:
                    completion_check(course, enrolled_on, completed_on)
                except ValidationError as exc:
                    reject_error(row, COMPLETED_ON, exc)
        row.value = {
            "course": course,
            "enrolled_on": enrolled_on,
            "completed_on": completed_on if completed else None,
            "certificate_number": certificate or "",
        }

    def key(self, row: Row):
        return (row.id_number, row.value["course"].pk)

    def duplicate_message(self, row: Row, same: list[Row]) -> tuple[str, str]:
        code = row.value["course"].code
        return CODE, f"同一人员报名课程 {code} 在本文件中重复出现（第 {row_numbers(same)} 行），这些行都未导入"

    def apply(self, rows: list[Row], result: ImportResult) -> None:
        persons = row_persons(rows)
        held = rows_held(CourseEnrolment.objects.standing(), persons, rows, "course")
        for row in rows:
            person = row_person(row, persons, self.user)
            if person is None:
                continue
            fields = row.value
            before = held.get((person.pk, fields["course"].pk))
            if before is not None and before.enrolled_on != fields["enrolled_on"]:
                row.reject(
                    ENROLLED_ON, f"该人员已报名本课程（报名日期 {before.enrolled_on:%Y-%m-%d}），与本行不同，未修改"
                )
                continue
            if before is not None and (fields["completed_on"] is None or before.completed_on is not None):
                if before.completed_on == fields["completed_on"] or fields["completed_on"] is None:
                    result.unchanged += 1
                else:
                    row.reject(COMPLETED_ON, f"该人员已于 {before.completed_on:%Y-%m-%d} 结业，与本行不同，未修改")
                continue
            try:
                with transaction.atomic():
                    enrolment = before or enrol(
                        user=self.user, course=fields["course"], person=person, enrolled_on=fields["enrolled_on"]
                    )
                    if fields["completed_on"] is not None:
                        enrolment_complete(
                            user=self.user,
                            enrolment=enrolment,
                            completed_on=fields["completed_on"],
                            certificate_number=fields["certificate_number"],
                        )
            except (ValidationError, PermissionDenied, Http404) as exc:
                reject_error(row, ENROLLED_ON if isinstance(exc, ValidationError) else ID_HEADER, exc)
                continue
            if before is None:
                result.created += 1
            else:
                result.updated += 1
