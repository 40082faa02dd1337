"""Vocational training courses (职业技能培训) and who enrolled, attended and completed.

- `Course`: a course of a provider, delivered at a place of the network, with its dates,
  capacity and whether it is free. Its code (课程编号, PX + year + number) is what the
  enrolment import names. Courses are the district's: every officer sees every course and
  enrols the persons of their own town.
- `CourseEnrolment`: a person's enrolment (a person record: scoped by the person's
  community), the days attended and the completion (结业) with its certificate number.
  One standing enrolment per person and course; at most `capacity` standing enrolments
  per course (checked under the course's lock); a completion lies within the course's
  dates, never before it started.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from canlian.records import STANDING, PersonRecord, figure_days_of, person_field
from employment.models.status import point_field


class Course(models.Model):
    code = models.CharField("课程编号", max_length=12, unique=True, editable=False)
    name = models.CharField("课程名称", max_length=100)
    provider = models.CharField("培训机构", max_length=100)
    point = point_field("培训网点")
    starts_on = models.DateField("开课日期")
    ends_on = models.DateField("结课日期")
    capacity = models.PositiveIntegerField("名额")
    free = models.BooleanField("免费培训", default=True)
    fee_fen = models.PositiveIntegerField("收费（分）", default=0)
    hours = models.PositiveSmallIntegerField("课时", default=0)
    description = models.CharField("培训内容", max_length=300, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name="登记人", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "培训课程"
        verbose_name_plural = "培训课程"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="employment_course_dates"),
            models.CheckConstraint(condition=Q(free=False) | Q(fee_fen=0), name="employment_course_free_no_fee"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def dates_label(self) -> str:
        return f"{self.starts_on:%Y-%m-%d} 至 {self.ends_on:%Y-%m-%d}"


class CourseEnrolment(PersonRecord):
    person = person_field(related_name="course_enrolments")
    course = models.ForeignKey(
        Course, verbose_name="课程", on_delete=models.PROTECT, related_name="enrolments", db_index=False
    )
    enrolled_on = models.DateField("报名日期")
    attended_days = models.PositiveSmallIntegerField("出勤天数", default=0)
    completed_on = models.DateField("结业日期", null=True, blank=True, editable=False)
    certificate_number = models.CharField("结业证书编号", max_length=40, blank=True, editable=False)

    date_field = "enrolled_on"

    def figure_days(self) -> set:
        """Counted when completed (完成免费职业技能培训)."""
        return figure_days_of(self, "completed_on")

    void_action = "employment.courseenrolment.voided"

    class Meta:
        verbose_name = "培训报名"
        verbose_name_plural = "培训报名"
        ordering = ["course_id", "-enrolled_on", "-id"]
        permissions = [
            ("void_courseenrolment", "作废培训报名"),
            ("export_courseenrolments", "导出培训人员名单"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "course"], condition=STANDING, name="employment_enrol_once"),
        ]
        indexes = [
            models.Index(fields=["course", "area_code"], condition=STANDING, name="employment_enrol_course_idx"),
            models.Index(fields=["completed_on"], condition=STANDING, name="employment_enrol_done_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.course_id}"

    @property
    def completed(self) -> bool:
        return self.completed_on is not None

    def clean(self) -> None:
        if self.enrolled_on > self.course.ends_on:
            raise ValidationError(f"报名日期不能晚于课程结课日期（{self.course.ends_on:%Y-%m-%d}）")

    def duplicate_message(self) -> str:
        return f"{self.person.name}已报名课程“{self.course.name}”，请勿重复报名"
