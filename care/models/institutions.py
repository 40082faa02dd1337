"""Care institutions and who works there.

An institution is data the district administrator keeps (the admin, and the import of
机构编号, 机构名称, 类型, 镇街, 地址, 核定人数): a community Kangyuan centre (社区康园中心),
an adult day-care institution for intellectual disability and autism, a boarding-care
institution or a sheltered workshop. Its staff users (centre staff, 康园中心工作人员) see
its members and records and nothing else (`care.scoping`); a staff user may work at more
than one. Institutions are switched off (`is_active`), never deleted: enrolments and
attendance point at them.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from canlian.scoping import ScopedManager


class InstitutionKind(models.TextChoices):
    CENTRE = "centre", "社区康园中心"
    ADULT_DAY_CARE = "adult_day_care", "大龄心智障碍日间托养机构"
    BOARDING = "boarding", "寄宿托养机构"
    WORKSHOP = "workshop", "庇护工场"


# The kinds a member attends by day: one of them at a time (a person cannot spend the same
# days at two centres), with daily attendance. Boarding care is a placement, not a day.
DAY_CARE_KINDS = frozenset({InstitutionKind.CENTRE, InstitutionKind.ADULT_DAY_CARE, InstitutionKind.WORKSHOP})

# ISO weekdays (Monday = 1) with their Chinese names; an institution's open days are a
# bit set, bit (weekday - 1), so "open on day D" is one AND in SQL as in Python.
WEEKDAYS = ((1, "周一"), (2, "周二"), (3, "周三"), (4, "周四"), (5, "周五"), (6, "周六"), (7, "周日"))
MONDAY_TO_FRIDAY = 0b0011111


def weekday_bit(day: datetime.date) -> int:
    return 1 << (day.isoweekday() - 1)


class Institution(models.Model):
    """A care institution (托养机构) of the district: where members enrol and attend."""

    code = models.CharField("机构编号", max_length=20, unique=True)
    name = models.CharField("机构名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=20, choices=InstitutionKind.choices)
    area = models.ForeignKey(
        "areas.Area",
        verbose_name="所在镇街",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # served by care_institution_area_idx
        help_text="机构所在的镇(街)，也可以是村(居)",
    )
    address = models.CharField("地址", max_length=200, blank=True)
    capacity = models.PositiveIntegerField("核定人数", help_text="同时在册会员的上限；满员后新的申请进入轮候名单")
    open_days = models.PositiveSmallIntegerField(
        "开放日", default=MONDAY_TO_FRIDAY, help_text="每周开放的日子；不开放的日子不能登记考勤"
    )
    opens_at = models.TimeField("开放时间", null=True, blank=True)
    closes_at = models.TimeField("关闭时间", null=True, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="工作人员",
        related_name="care_institutions",
        blank=True,
        help_text="康园中心工作人员账号：只看到本机构的会员和记录",
    )
    is_active = models.BooleanField("启用", default=True, help_text="停用的机构不再接收新的入托和考勤")

    history = HistoricalRecords(m2m_fields=[staff])
    objects = ScopedManager()
    # Scoped by its area for officers; for its staff by itself (care.scoping).
    scope_field, scope_institution_field = "area__code", "pk"

    class Meta:
        verbose_name = "托养机构"
        verbose_name_plural = "托养机构"
        ordering = ["code"]
        permissions = [("import_institutions", "导入托养机构")]
        constraints = [
            models.CheckConstraint(condition=Q(open_days__lte=0b1111111), name="care_institution_open_days_week"),
        ]
        indexes = [models.Index(fields=["area"], name="care_institution_area_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_day_care(self) -> bool:
        return self.kind in DAY_CARE_KINDS

    def is_open_on(self, day: datetime.date) -> bool:
        return bool(self.open_days & weekday_bit(day))

    @property
    def open_weekdays(self) -> list[int]:
        return [number for number, _ in WEEKDAYS if self.open_days & (1 << (number - 1))]

    @property
    def open_days_label(self) -> str:
        """周一至周五, or the days one by one (周一、周三、周六)."""
        days = self.open_weekdays
        names = dict(WEEKDAYS)
        if not days:
            return "不开放"
        if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
            return f"{names[days[0]]}至{names[days[-1]][1:]}"
        return "、".join(names[d] for d in days)

    @property
    def hours_label(self) -> str:
        if self.opens_at and self.closes_at:
            return f"{self.opens_at:%H:%M}–{self.closes_at:%H:%M}"
        return ""

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            raise ValidationError({"closes_at": "关闭时间应晚于开放时间"})
        if self.kind in DAY_CARE_KINDS and not self.open_days:
            raise ValidationError({"open_days": "日间照料机构每周至少开放一天"})


class AdmissionRule(models.Model):
    """Who may enrol at an institution of a kind (入托条件), as parameters, not code: an age
    range on the day of enrolment, and the disability categories or grades of which the
    person must have one (both empty: any disability). The defaults (migration 0002) are
    the local practice for 社区康园中心: working age 16–59, intellectual, mental or a severe
    (grade 1–2) disability. An officer may enrol someone outside the rule with a written
    reason (`care.override_admission`)."""

    kind = models.CharField("机构类型", max_length=20, choices=InstitutionKind.choices, unique=True)
    min_age = models.PositiveSmallIntegerField("最低年龄", default=16)
    max_age = models.PositiveSmallIntegerField("最高年龄", default=59)
    categories = models.JSONField(
        "残疾类别", default=list, blank=True, help_text="符合其中任一类别即可，填代码列表，如 [5, 6]（智力、精神）"
    )
    grades = models.JSONField(
        "残疾等级", default=list, blank=True, help_text="符合其中任一等级即可，填代码列表，如 [1, 2]（一级、二级）"
    )
    note = models.CharField("说明", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "入托条件"
        verbose_name_plural = "入托条件"
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(condition=Q(min_age__lte=models.F("max_age")), name="care_rule_age_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}入托条件"

    def clean(self) -> None:
        for field, allowed in (("categories", range(1, 8)), ("grades", range(1, 5))):
            values = getattr(self, field)
            if not isinstance(values, list) or any(not isinstance(v, int) or v not in allowed for v in values):
                raise ValidationError({field: f"请填写 {allowed.start}–{allowed.stop - 1} 之间的代码列表"})
        if self.min_age > self.max_age:
            raise ValidationError({"max_age": "最高年龄不能小于最低年龄"})
