"""A person's employment status as dated events, and vocational ability assessments.

- `EmploymentEvent`: from `changed_on` the person's employment status is `status`, until
  their next standing event, as the registry's status events date a person's state. The
  status on any day is therefore that of the latest standing event on or before it (none:
  not recorded), one correlated subquery (`employment.selectors.status_on`), which the
  employed share of working-age persons reads for any month.
- `Assessment`: a vocational ability assessment (职业能力评估): when, by whom, the result
  and the recommended path.

Both are person records (`canlian.records.PersonRecord`): scoped by the person's community,
voided rather than edited, and each names the service point where it was done.
"""

from django.db import models

from canlian.records import STANDING, PersonRecord, person_field


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", "就业"
    SELF_EMPLOYED = "self_employed", "自主创业/灵活就业"
    ASSISTED = "assisted", "辅助性就业"
    SEEKING = "seeking", "求职中"
    UNABLE = "unable", "无就业能力"
    TRAINING = "training", "培训中"
    STUDENT = "student", "在校"
    RETIRED = "retired", "退休"


# The statuses counted as employed in the employed share.
EMPLOYED = (EmploymentStatus.EMPLOYED, EmploymentStatus.SELF_EMPLOYED, EmploymentStatus.ASSISTED)


def point_field(verbose_name: str = "服务网点") -> models.ForeignKey:
    """Where a record was delivered: a place of the 1+3+N network."""
    return models.ForeignKey(
        "employment.ServicePoint", verbose_name=verbose_name, on_delete=models.PROTECT, related_name="+", db_index=False
    )


class EmploymentEvent(PersonRecord):
    person = person_field(related_name="employment_events")
    status = models.CharField("就业状态", max_length=16, choices=EmploymentStatus.choices)
    changed_on = models.DateField("变更日期")
    point = point_field()
    note = models.CharField("说明", max_length=200, blank=True)

    date_field = "changed_on"

    class Meta:
        verbose_name = "就业状态"
        verbose_name_plural = "就业状态"
        ordering = ["-changed_on", "-id"]
        permissions = [("void_employmentevent", "作废就业状态登记")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "changed_on"], condition=STANDING, name="employment_event_once_a_day"
            ),
        ]
        indexes = [
            models.Index(fields=["person", "-changed_on", "-id"], condition=STANDING, name="employment_event_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.changed_on} {self.status}"

    def duplicate_message(self) -> str:
        return f"该人员 {self.changed_on:%Y-%m-%d} 已有一条就业状态登记，请先作废再重新登记"


class AssessmentResult(models.TextChoices):
    ABLE = "able", "具备就业能力"
    ABLE_WITH_SUPPORT = "supported", "经支持可就业"
    ASSISTED_ONLY = "assisted", "适合辅助性就业"
    NOT_YET = "not_yet", "暂不具备就业能力"


class RecommendedPath(models.TextChoices):
    QUOTA = "quota", "按比例就业"
    CONCENTRATED = "concentrated", "集中就业"
    SELF = "self", "自主创业/灵活就业"
    ASSISTED = "assisted", "辅助性就业"
    TRAINING = "training", "先参加职业技能培训"
    REHAB = "rehab", "先接受康复"


class Assessment(PersonRecord):
    person = person_field(related_name="employment_assessments")
    assessed_on = models.DateField("评估日期")
    assessor = models.CharField("评估人", max_length=40)
    result = models.CharField("评估结果", max_length=12, choices=AssessmentResult.choices)
    path = models.CharField("建议就业途径", max_length=14, choices=RecommendedPath.choices)
    point = point_field("评估网点")
    note = models.CharField("评估意见", max_length=300, blank=True)

    date_field = "assessed_on"
    void_action = "employment.assessment.voided"

    class Meta:
        verbose_name = "职业能力评估"
        verbose_name_plural = "职业能力评估"
        ordering = ["-assessed_on", "-id"]
        permissions = [("void_assessment", "作废职业能力评估")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "assessed_on"], condition=STANDING, name="employment_assessment_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.assessed_on}"

    def duplicate_message(self) -> str:
        return f"该人员 {self.assessed_on:%Y-%m-%d} 已有一次职业能力评估"
