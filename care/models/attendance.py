"""Daily attendance of day-care members (考勤), its corrections, and the member-days.

One `Attendance` row per member, institution and day the day was taken: present or absent
(with an optional reason). A day is saved as a whole (`care.services.attendance`); saving
it again with a different mark is a correction, kept as an `AttendanceChange` row (who,
when, the mark before and after) — only corrections, so the largest table of the app gets
no history twin.

`MemberDay` is a database view (migration 0003): one row per enrolment and day on which
the member was enrolled and the institution open (or attended anyway), with the day's mark
if any. The attendance rate is its present rows over all its rows, grouped by the targets
app like any other measure. The view expands the periods over `care_calendar`, a plain
table of the days 2000–2060 with their weekday's bit, made by the same migration: not a
model, so the tests' snapshot of migrated rows (serialized before each committing test)
and `flush` leave its 22,000 rows alone.
"""

from django.db import models

from canlian.records import person_field
from canlian.scoping import ScopedManager


class Attendance(models.Model):
    """A member's attendance at an institution on a day."""

    institution = models.ForeignKey(
        "care.Institution",
        verbose_name="机构",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # served by care_attendance_once
    )
    day = models.DateField("日期")
    person = person_field(related_name="care_attendance")  # served by care_attendance_person_idx
    # The person's community when the day was taken; moves with the person (care.apps).
    area_code = models.CharField("区划代码", max_length=12, editable=False)
    present = models.BooleanField("出勤")
    absence_reason = models.CharField("缺勤原因", max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name="登记人", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    changed_by = models.ForeignKey(
        "accounts.User",
        verbose_name="更正人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    changed_at = models.DateTimeField("更正时间", null=True, blank=True)

    objects = ScopedManager()
    scope_field, scope_person_field, scope_institution_field = "area_code", "person", "institution"

    class Meta:
        verbose_name = "考勤记录"
        verbose_name_plural = "考勤记录"
        ordering = ["-day", "institution_id", "person_id"]
        permissions = [("export_attendance", "导出考勤表")]
        constraints = [
            # A member has one mark a day; the key serves the day's page and the month's sheet.
            models.UniqueConstraint(fields=["institution", "day", "person"], name="care_attendance_once"),
        ]
        indexes = [
            models.Index(fields=["person", "day"], name="care_attendance_person_idx"),
            models.Index(fields=["area_code", "day"], name="care_attendance_area_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.day} {'出勤' if self.present else '缺勤'}"

    @property
    def mark_label(self) -> str:
        if self.present:
            return "出勤"
        return f"缺勤（{self.absence_reason}）" if self.absence_reason else "缺勤"


class AttendanceChange(models.Model):
    """A correction of a saved mark: what it was, what it became, who changed it and when."""

    attendance = models.ForeignKey(
        Attendance, verbose_name="考勤记录", on_delete=models.PROTECT, related_name="changes", db_index=False
    )
    institution = models.ForeignKey(
        "care.Institution", verbose_name="机构", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    day = models.DateField("日期")
    was_present = models.BooleanField("原为出勤")
    was_reason = models.CharField("原缺勤原因", max_length=100, blank=True)
    present = models.BooleanField("改为出勤")
    absence_reason = models.CharField("改后缺勤原因", max_length=100, blank=True)
    changed_by = models.ForeignKey(
        "accounts.User", verbose_name="更正人", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    changed_at = models.DateTimeField("更正时间", auto_now_add=True)

    class Meta:
        verbose_name = "考勤更正"
        verbose_name_plural = "考勤更正"
        ordering = ["-changed_at", "-id"]
        indexes = [
            models.Index(fields=["institution", "day"], name="care_change_day_idx"),
            models.Index(fields=["attendance"], name="care_change_attendance_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.before_label} → {self.after_label}"

    @staticmethod
    def _label(present: bool, reason: str) -> str:
        if present:
            return "出勤"
        return f"缺勤（{reason}）" if reason else "缺勤"

    @property
    def before_label(self) -> str:
        return self._label(self.was_present, self.was_reason)

    @property
    def after_label(self) -> str:
        return self._label(self.present, self.absence_reason)


class MemberDay(models.Model):
    """A day on which a member was enrolled at a day-care institution and it was open (or
    the member was marked anyway), with the mark of the day (`present`: None when the day
    was not taken). A database view (migration 0003), never written."""

    pk = models.CompositePrimaryKey("enrolment", "day")
    enrolment = models.ForeignKey("care.Enrolment", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False)
    day = models.DateField("日期")
    person = models.ForeignKey("registry.Person", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False)
    institution = models.ForeignKey(
        "care.Institution", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    area_code = models.CharField("区划代码", max_length=12)
    present = models.BooleanField("出勤", null=True)

    class Meta:
        managed = False
        db_table = "care_memberday"
        verbose_name = "会员在册日"
        verbose_name_plural = "会员在册日"

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.day}"
