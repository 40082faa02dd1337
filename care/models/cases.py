"""Mental-health case management (个案管理) and smart location watches (智能定位手表).

A case (`CareCase`) is a `canlian.records.PersonRecord`: a person with a mental disability
(or anyone the district opens one for), their keyworker, the risk level of the local
grading (低/中/高), the plan, and the dated follow-ups (`CaseFollowUp`). Each follow-up
says when the next one is due; the longest it may wait is the risk level's interval
(`RiskInterval`, data: by default high 14 days, medium 30, low 90). The case keeps the due
day of its next follow-up (`next_due`), so the overdue list is one indexed filter. A case
is closed with a reason; a person has at most one open case.

A watch is a device (`WatchDevice`: serial number, model, SIM number) issued to a member
(`WatchIssue`, a person record) from a day, with the service contract's monthly fee (fen), until
it is returned or lost. A member has at most one active watch, a device is with at most
one member: both partial unique keys. Who should have one is a parameter
(`WatchRule`: the kinds of institution and disability categories whose members are
eligible).
"""

import datetime

from django.db import models
from django.db.models import Q

from canlian.records import (
    STANDING,
    PersonRecord,
    PersonRecordQuerySet,
    VoidColumns,
    figure_days_of,
    person_field,
)
from care.models.institutions import InstitutionKind

OPEN_CASE = Q(closed_on__isnull=True)
ACTIVE_WATCH = Q(ended_on__isnull=True)


class RiskLevel(models.TextChoices):
    HIGH = "high", "高"
    MEDIUM = "medium", "中"
    LOW = "low", "低"


# Overdue lists show the riskiest first.
RISK_RANK = {RiskLevel.HIGH: 0, RiskLevel.MEDIUM: 1, RiskLevel.LOW: 2}


class RiskInterval(models.Model):
    """The longest wait between two follow-ups of a case of a risk level (days)."""

    risk = models.CharField("风险等级", max_length=10, choices=RiskLevel.choices, unique=True)
    days = models.PositiveSmallIntegerField("随访间隔（天）")

    class Meta:
        verbose_name = "随访间隔"
        verbose_name_plural = "随访间隔"
        ordering = ["days"]
        constraints = [models.CheckConstraint(condition=Q(days__gte=1), name="care_risk_interval_positive")]

    def __str__(self) -> str:
        return f"{self.get_risk_display()}风险：每 {self.days} 天"


class CloseReason(models.TextChoices):
    STABLE = "stable", "病情稳定"
    MOVED = "moved", "迁出本区"
    TRANSFERRED = "transferred", "转介其他机构"
    DECEASED = "deceased", "去世"
    DECLINED = "declined", "本人或家属拒绝服务"
    OTHER = "other", "其他"


class ContactKind(models.TextChoices):
    HOME = "home", "入户探访"
    CENTRE = "centre", "中心面谈"
    PHONE = "phone", "电话随访"
    HOSPITAL = "hospital", "医院探访"
    OTHER = "other", "其他"


class CareCase(PersonRecord):
    """A person's mental-health case from `opened_on` until it is closed."""

    person = person_field(related_name="care_cases")
    keyworker = models.ForeignKey(
        "accounts.User", verbose_name="个案负责人", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    risk = models.CharField("风险等级", max_length=10, choices=RiskLevel.choices)
    # The level the case opened at: what it falls back to when every follow-up is voided.
    opened_risk = models.CharField("开案风险等级", max_length=10, choices=RiskLevel.choices, editable=False)
    plan = models.TextField("服务计划", max_length=2000)
    opened_on = models.DateField("开案日期")
    next_due = models.DateField("下次随访日期")
    closed_on = models.DateField("结案日期", null=True, blank=True)
    close_reason = models.CharField("结案原因", max_length=20, choices=CloseReason.choices, blank=True)
    close_note = models.CharField("结案说明", max_length=200, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User",
        verbose_name="结案人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    date_field, follows_person = "opened_on", True

    def figure_days(self) -> set:
        """Its follow-ups stop counting with it (个案随访次数)."""
        return figure_days_of(self, related=("follow_ups", "followed_on"))

    void_action = "care.case.voided"

    class Meta:
        verbose_name = "个案"
        verbose_name_plural = "个案"
        ordering = ["-opened_on", "-id"]
        permissions = [("void_carecase", "作废个案"), ("close_carecase", "结案")]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=STANDING & OPEN_CASE, name="care_one_open_case"),
            models.CheckConstraint(
                condition=OPEN_CASE | Q(closed_on__gte=models.F("opened_on")), name="care_case_closes_after_open"
            ),
        ]
        indexes = [
            models.Index(fields=["person", "opened_on"], name="care_case_person_idx"),
            # The overdue list: open cases by their due day.
            models.Index(fields=["next_due"], condition=STANDING & OPEN_CASE, name="care_case_due_idx"),
            models.Index(fields=["area_code"], condition=STANDING, name="care_case_area_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.opened_on} {self.get_risk_display()}"

    def duplicate_message(self) -> str:
        return "该人员已有未结案的个案，请在原个案中随访"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None and self.voided_at is None

    def overdue_days(self, today: datetime.date) -> int:
        return (today - self.next_due).days if self.is_open and self.next_due < today else 0


class CaseFollowUp(VoidColumns):
    """A dated follow-up of a case: how the person was reached, what was found, the risk
    level assessed, and when the next follow-up is due. A mistaken one is voided (作废),
    with who, when and why, as a person record is: the case then takes its risk level and
    due day from the follow-ups still standing."""

    case = models.ForeignKey(
        CareCase, verbose_name="个案", on_delete=models.PROTECT, related_name="follow_ups", db_index=False
    )
    followed_on = models.DateField("随访日期")
    contact = models.CharField("随访方式", max_length=10, choices=ContactKind.choices)
    findings = models.TextField("随访情况", max_length=2000)
    risk = models.CharField("评估风险等级", max_length=10, choices=RiskLevel.choices)
    next_due = models.DateField("下次随访日期")
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name="登记人", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = PersonRecordQuerySet.as_manager()
    scope_field, scope_person_field = "case__area_code", "case__person"

    class Meta:
        verbose_name = "个案随访"
        verbose_name_plural = "个案随访"
        ordering = ["-followed_on", "-id"]
        permissions = [("void_casefollowup", "作废个案随访")]
        indexes = [models.Index(fields=["case", "followed_on"], name="care_followup_case_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(next_due__gt=models.F("followed_on")), name="care_followup_due_after")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.followed_on}"


# Smart location watches -----------------------------------------------------------------


class WatchDevice(models.Model):
    """A smart location watch (智能定位手表) of the district's stock."""

    serial = models.CharField("设备序列号", max_length=40, unique=True)
    model_name = models.CharField("型号", max_length=60)
    sim_number = models.CharField("电话卡号", max_length=20, blank=True)

    class Meta:
        verbose_name = "定位手表"
        verbose_name_plural = "定位手表"
        ordering = ["serial"]

    def __str__(self) -> str:
        return f"{self.serial} {self.model_name}"


class WatchEnd(models.TextChoices):
    RETURNED = "returned", "已归还"
    LOST = "lost", "已遗失"


class WatchIssue(PersonRecord):
    """A watch with a member from `issued_on` until returned or lost (`ended_on`)."""

    person = person_field(related_name="care_watches")
    device = models.ForeignKey(
        WatchDevice, verbose_name="定位手表", on_delete=models.PROTECT, related_name="issues", db_index=False
    )
    issued_on = models.DateField("发放日期")
    monthly_fee_fen = models.PositiveIntegerField("服务月费（分）")
    ended_on = models.DateField("归还或遗失日期", null=True, blank=True)
    end = models.CharField("结束情况", max_length=10, choices=WatchEnd.choices, blank=True)
    end_note = models.CharField("说明", max_length=200, blank=True)

    date_field, follows_person = "issued_on", True
    void_action = "care.watch.voided"

    class Meta:
        verbose_name = "手表发放登记"
        verbose_name_plural = "手表发放登记"
        ordering = ["-issued_on", "-id"]
        permissions = [("void_watchissue", "作废手表发放登记")]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=STANDING & ACTIVE_WATCH, name="care_one_active_watch"),
            models.UniqueConstraint(fields=["device"], condition=STANDING & ACTIVE_WATCH, name="care_watch_one_holder"),
            models.CheckConstraint(
                condition=ACTIVE_WATCH | Q(ended_on__gte=models.F("issued_on")), name="care_watch_ends_after_issue"
            ),
        ]
        indexes = [
            models.Index(fields=["person", "issued_on"], name="care_watch_person_idx"),
            models.Index(fields=["area_code"], condition=STANDING, name="care_watch_area_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.device_id} {self.issued_on}"

    @property
    def fee_label(self) -> str:
        return f"{self.monthly_fee_fen / 100:.2f} 元/月"

    def duplicate_message(self) -> str:
        return "该人员已有一只在用的定位手表（或该手表正由他人使用）；请先登记归还或遗失"


class WatchRule(models.Model):
    """Whose members should have a watch: the members of institutions of `kind` with a
    disability of one of `categories` (empty: any)."""

    kind = models.CharField("机构类型", max_length=20, unique=True, choices=InstitutionKind.choices)
    categories = models.JSONField("残疾类别", default=list, blank=True, help_text="填代码列表，如 [5, 6]（智力、精神）")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "定位手表发放条件"
        verbose_name_plural = "定位手表发放条件"
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}定位手表发放条件"
