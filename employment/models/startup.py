"""Start-up and production support (自主创业及发展生产扶持) of a disabled person's household.

- `StartupSupport`: the application of a household (户: its head's name and ID number, the
  disabled person of the household it is for), what the business is, where it was taken;
  its review (approved or not, by a district user other than the one who recorded it);
  the grant is the one-off benefits scheme `employment_startup`: approval opens an award of
  it (`award`) whose amount is the scheme's rate of the support's kind (data, in the admin),
  frozen here at approval, and which the one-off grant batch of benefits pays once.
  A household gets one grant within the scheme's `period_years` (a parameter of the
  scheme, 3 by default): a second application within it is refused.
- `StartupFollowUp`: the follow-up of the business 6 and 12 months after approval, one of
  each; those due appear on the officers' work list.
"""

from django.db import models

from canlian.records import STANDING, PersonRecord, figure_days_of, person_field
from employment.models.status import point_field


class StartupKind(models.TextChoices):
    STARTUP = "startup", "自主创业"
    PRODUCTION = "production", "发展生产"


class StartupState(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "不予批准"


class StartupSupport(PersonRecord):
    person = person_field(related_name="startup_supports")
    head_name = models.CharField("户主姓名", max_length=40)
    head_id_number = models.CharField("户主公民身份号码", max_length=18)
    household_size = models.PositiveSmallIntegerField("家庭人口", default=1)
    kind = models.CharField("扶持类型", max_length=12, choices=StartupKind.choices)
    business = models.CharField("创业或生产项目", max_length=200)
    applied_on = models.DateField("申请日期")
    point = point_field("受理网点")
    state = models.CharField(
        "审核状态", max_length=12, choices=StartupState.choices, default=StartupState.SUBMITTED, editable=False
    )
    reviewed_by = models.ForeignKey(
        "accounts.User",
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        editable=False,
    )
    reviewed_on = models.DateField("审核日期", null=True, blank=True, editable=False)
    opinion = models.CharField("审核意见", max_length=200, blank=True, editable=False)
    amount_fen = models.PositiveIntegerField("扶持金额（分）", null=True, blank=True, editable=False)
    award = models.OneToOneField(
        "benefits.Award",
        verbose_name="补贴资格",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="startup_support",
        editable=False,
    )

    date_field = "applied_on"

    def figure_days(self) -> set:
        """Counted when approved (创业扶持家庭)."""
        return figure_days_of(self, "reviewed_on")

    void_action = "employment.startupsupport.voided"

    class Meta:
        verbose_name = "创业扶持申请"
        verbose_name_plural = "创业扶持申请"
        ordering = ["-applied_on", "-id"]
        permissions = [
            ("void_startupsupport", "作废创业扶持申请"),
            ("review_startupsupport", "审核创业扶持申请"),
            ("export_startupsupports", "导出创业扶持名单"),
        ]
        indexes = [
            models.Index(fields=["person", "applied_on"], name="employment_startup_person_idx"),
            models.Index(fields=["head_id_number", "applied_on"], condition=STANDING, name="employment_startup_head"),
            models.Index(fields=["state", "reviewed_on"], condition=STANDING, name="employment_startup_state"),
        ]

    def __str__(self) -> str:
        return f"{self.head_name}户 {self.get_kind_display()}"

    @property
    def amount_yuan(self):
        return None if self.amount_fen is None else self.amount_fen / 100


class Milestone(models.IntegerChoices):
    SIX = 6, "6 个月回访"
    TWELVE = 12, "12 个月回访"


class BusinessState(models.TextChoices):
    RUNNING = "running", "正常经营"
    GROWING = "growing", "扩大经营"
    STRUGGLING = "struggling", "经营困难"
    CLOSED = "closed", "已停业"


class StartupFollowUp(PersonRecord):
    person = person_field(related_name="startup_followups")
    support = models.ForeignKey(
        StartupSupport, verbose_name="创业扶持", on_delete=models.PROTECT, related_name="followups", db_index=False
    )
    milestone = models.PositiveSmallIntegerField("回访节点", choices=Milestone.choices)
    visited_on = models.DateField("回访日期")
    business_state = models.CharField("经营状况", max_length=12, choices=BusinessState.choices)
    monthly_income_fen = models.PositiveIntegerField("月收入（分）", null=True, blank=True)
    note = models.CharField("回访情况", max_length=300, blank=True)

    date_field = "visited_on"
    void_action = "employment.startupfollowup.voided"

    class Meta:
        verbose_name = "创业扶持回访"
        verbose_name_plural = "创业扶持回访"
        ordering = ["support_id", "milestone"]
        permissions = [("void_startupfollowup", "作废创业扶持回访")]
        constraints = [
            models.UniqueConstraint(
                fields=["support", "milestone"], condition=STANDING, name="employment_followup_once"
            ),
        ]
        indexes = [models.Index(fields=["person", "visited_on"], name="employment_followup_person_idx")]

    def __str__(self) -> str:
        return f"{self.support_id} {self.milestone}"

    def duplicate_message(self) -> str:
        return f"该创业扶持已登记{self.get_milestone_display()}"
