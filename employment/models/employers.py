"""Employers (用人单位, including the caring enterprises 爱心企业), their vacancies, the
placements of persons in jobs, and quota employment (按比例就业) per employer and year.

Employers and vacancies are the district's (every officer sees them and places the persons
of their own town); a placement is a person record, scoped by the person's community. The
quota (the share of staff that must be disabled persons, `EMPLOYMENT_QUOTA_PERMILLE`, 15‰
in Guangdong) is a setting; a year's record of an employer holds its staff and the
disabled persons it employs, as the employer declares them.
"""

from django.db import models
from django.db.models import Q

from canlian.records import STANDING, PersonRecord, person_field
from employment.models.status import point_field


class EmployerKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    INSTITUTION = "institution", "机关事业单位"
    SOCIAL = "social", "社会组织"
    INDIVIDUAL = "individual", "个体工商户"


class Employer(models.Model):
    name = models.CharField("单位名称", max_length=100, unique=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    kind = models.CharField("单位类型", max_length=12, choices=EmployerKind.choices)
    caring = models.BooleanField("爱心企业", default=False)
    area = models.ForeignKey("areas.Area", verbose_name="所在镇(街)", on_delete=models.PROTECT, related_name="+")
    address = models.CharField("地址", max_length=100, blank=True)
    contact = models.CharField("联系人", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "用人单位"
        verbose_name_plural = "用人单位"
        ordering = ["-caring", "name"]

    def __str__(self) -> str:
        return self.name


class Vacancy(models.Model):
    employer = models.ForeignKey(Employer, verbose_name="用人单位", on_delete=models.PROTECT, related_name="vacancies")
    title = models.CharField("岗位名称", max_length=60)
    openings = models.PositiveSmallIntegerField("招聘人数", default=1)
    wage_fen = models.PositiveIntegerField("月工资（分）")
    posted_on = models.DateField("发布日期")
    closes_on = models.DateField("截止日期", null=True, blank=True)
    requirements = models.CharField("岗位要求", max_length=200, blank=True)
    point = point_field("发布网点")

    class Meta:
        verbose_name = "招聘岗位"
        verbose_name_plural = "招聘岗位"
        ordering = ["-posted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.employer} {self.title}"


OPEN = Q(ended_on__isnull=True)


class JobPlacement(PersonRecord):
    person = person_field(related_name="job_placements")
    employer = models.ForeignKey(
        Employer, verbose_name="用人单位", on_delete=models.PROTECT, related_name="placements", db_index=False
    )
    vacancy = models.ForeignKey(
        Vacancy,
        verbose_name="招聘岗位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placements",
        db_index=False,
    )
    job_title = models.CharField("岗位", max_length=60)
    started_on = models.DateField("入职日期")
    wage_fen = models.PositiveIntegerField("月工资（分）")
    quota = models.BooleanField("计入按比例就业", default=True)
    point = point_field("推荐网点")
    ended_on = models.DateField("离职日期", null=True, blank=True, editable=False)
    end_reason = models.CharField("离职原因", max_length=200, blank=True, editable=False)

    date_field = "started_on"
    void_action = "employment.jobplacement.voided"

    class Meta:
        verbose_name = "就业安置"
        verbose_name_plural = "就业安置"
        ordering = ["-started_on", "-id"]
        permissions = [
            ("void_jobplacement", "作废就业安置"),
            ("export_jobplacements", "导出就业安置名单"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "employer"], condition=STANDING & OPEN, name="employment_placement_open_once"
            ),
            models.CheckConstraint(
                condition=OPEN | Q(ended_on__gte=models.F("started_on")), name="employment_placement_dates"
            ),
        ]
        indexes = [
            models.Index(fields=["employer", "started_on"], condition=STANDING, name="employment_placement_employer"),
            models.Index(fields=["area_code", "started_on"], condition=STANDING, name="employment_placement_area"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.employer_id} {self.started_on}"

    def duplicate_message(self) -> str:
        return f"该人员已在“{self.employer.name}”就业，请先登记离职"


class QuotaEmployment(models.Model):
    employer = models.ForeignKey(Employer, verbose_name="用人单位", on_delete=models.PROTECT, related_name="quotas")
    year = models.PositiveSmallIntegerField("年度")
    staff = models.PositiveIntegerField("在职职工人数")
    disabled_employed = models.PositiveIntegerField("安排残疾人就业人数")
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey("accounts.User", verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "按比例就业"
        verbose_name_plural = "按比例就业"
        ordering = ["-year", "employer_id"]
        constraints = [models.UniqueConstraint(fields=["employer", "year"], name="employment_quota_once_a_year")]

    def __str__(self) -> str:
        return f"{self.employer} {self.year}"
