"""Schemes with effective-dated rates, applications and their review, awards, and the
monthly payroll.

Money is integer fen. A paid month is a row of `PaymentMonth` in an approved (or
exported) batch. A unique constraint on (person, scheme, month) over all rows, drafts
included, puts a month in one batch only: paying a month twice is impossible, whatever
code path tries, and approving a batch is one row's state, not a rewrite of its lines.
"""

from django.db import models
from django.db.models import Q

from canlian.scoping import ScopedManager, ScopedQuerySet


class SchemeKind(models.TextChoices):
    MONTHLY = "monthly", "按月发放"
    ANNUAL = "annual", "按年发放"
    ONE_OFF = "one_off", "一次性"


class Scheme(models.Model):
    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=60)
    short_name = models.CharField("简称", max_length=20, blank=True, help_text="如：生活补贴、护理补贴")
    kind = models.CharField("发放方式", max_length=16, choices=SchemeKind.choices)
    rule = models.CharField("认定规则", max_length=32, help_text="benefits.rules 中的规则名")
    params = models.JSONField("规则参数", default=dict, blank=True)
    notice_days = models.PositiveSmallIntegerField("公示天数", default=7)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "补贴项目"
        verbose_name_plural = "补贴项目"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Rate(models.Model):
    """The amount of a scheme from a month on, until the next rate of the same variant."""

    scheme = models.ForeignKey(Scheme, verbose_name="补贴项目", on_delete=models.CASCADE, related_name="rates")
    valid_from = models.DateField("起始月份", help_text="该月 1 日")
    variant = models.CharField("档次", max_length=32, blank=True, help_text="如教育资助的学段；无档次留空")
    amount_fen = models.PositiveIntegerField("金额（分）")
    note = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = "补贴标准"
        verbose_name_plural = "补贴标准"
        ordering = ["scheme", "variant", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "variant", "valid_from"], name="rate_once_per_month"),
            models.CheckConstraint(condition=Q(valid_from__day=1), name="rate_starts_on_first"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.valid_from:%Y-%m} {self.amount_fen / 100:.2f} 元"


class Application(models.Model):
    class Applicant(models.TextChoices):
        SELF = "self", "本人"
        GUARDIAN = "guardian", "监护人"
        COMMUNITY = "community", "村(居)代办"

    class State(models.TextChoices):
        SUBMITTED = "submitted", "已受理，待镇街初审"
        RETURNED = "returned", "已退回"
        NOTICE = "notice", "公示中"
        DISTRICT_REVIEW = "district_review", "待区残联审核"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "不予批准"
        WITHDRAWN = "withdrawn", "已撤回"

    person = models.ForeignKey(
        "registry.Person", verbose_name="申请人", on_delete=models.PROTECT, related_name="applications"
    )
    scheme = models.ForeignKey(Scheme, verbose_name="补贴项目", on_delete=models.PROTECT, related_name="applications")
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    applied_on = models.DateField("申请日期")
    applicant = models.CharField("申请方式", max_length=16, choices=Applicant.choices)
    variant = models.CharField("档次", max_length=32, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.SUBMITTED)
    submitted_by = models.ForeignKey("accounts.User", verbose_name="受理人", on_delete=models.PROTECT, related_name="+")
    town_reviewed_by = models.ForeignKey(
        "accounts.User", verbose_name="初审人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notice_from = models.DateField("公示开始", null=True, blank=True)
    notice_until = models.DateField("公示结束", null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", verbose_name="审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_reason = models.CharField("审批意见", max_length=200, blank=True)
    created_at = models.DateTimeField("受理时间", auto_now_add=True)

    objects = ScopedManager()
    scope_field, scope_person_field = "area_code", "person"

    class Meta:
        verbose_name = "补贴申请"
        verbose_name_plural = "补贴申请"
        ordering = ["-applied_on", "-id"]
        permissions = [
            ("town_review_application", "镇街初审补贴申请"),
            ("decide_application", "区残联审批补贴申请"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "scheme"],
                condition=Q(state__in=["submitted", "notice", "district_review"]),
                name="application_one_open_per_scheme",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.scheme}"


class ApplicationAttachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("附件", upload_to="applications/%Y/%m/")
    title = models.CharField("说明", max_length=100)
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "申请附件"
        verbose_name_plural = "申请附件"

    def __str__(self) -> str:
        return self.title


class ApplicationStep(models.Model):
    """The log of an application: each step with who, when and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField("操作", max_length=32)
    from_state = models.CharField("原状态", max_length=20, blank=True)
    to_state = models.CharField("新状态", max_length=20)
    reason = models.CharField("意见", max_length=200, blank=True)
    user = models.ForeignKey("accounts.User", verbose_name="操作人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "审批记录"
        verbose_name_plural = "审批记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class Award(models.Model):
    """A decision that a person receives a scheme from `start_month`, until `end_month`
    (inclusive) when ended."""

    class Source(models.TextChoices):
        APPLICATION = "application", "申请审批"
        IMPORT = "import", "旧系统导入"
        # The insurances are bought for everyone their rule selects: no application.
        RULE = "rule", "按规则参保"

    # Indexed by `award_person_scheme_idx` (person first).
    person = models.ForeignKey(
        "registry.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="awards", db_index=False
    )
    scheme = models.ForeignKey(Scheme, verbose_name="补贴项目", on_delete=models.PROTECT, related_name="awards")
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    variant = models.CharField("档次", max_length=32, blank=True)
    start_month = models.DateField("起始月份")
    end_month = models.DateField("终止月份", null=True, blank=True, help_text="最后一个发放月份")
    end_reason = models.CharField("终止原因", max_length=200, blank=True)
    ended_by = models.ForeignKey(
        "accounts.User", verbose_name="终止人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField("终止时间", null=True, blank=True)
    source = models.CharField("来源", max_length=16, choices=Source.choices)
    application = models.OneToOneField(
        Application, verbose_name="申请", null=True, blank=True, on_delete=models.PROTECT, related_name="award"
    )
    created_by = models.ForeignKey(
        "accounts.User", verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope_field, scope_person_field = "area_code", "person"

    class Meta:
        verbose_name = "享受资格"
        verbose_name_plural = "享受资格"
        ordering = ["scheme", "start_month"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "scheme"], condition=Q(end_month__isnull=True), name="award_one_open_per_scheme"
            ),
            models.CheckConstraint(condition=Q(start_month__day=1), name="award_starts_on_first"),
            models.CheckConstraint(
                condition=Q(end_month__isnull=True) | Q(end_month__gte=models.F("start_month")),
                name="award_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["scheme", "start_month", "end_month"], name="award_scheme_months_idx"),
            # A person's awards of a scheme (the payroll's "earlier award covering the
            # month"): without it SQLite probed every award of the scheme per award.
            models.Index(fields=["person", "scheme", "start_month"], name="award_person_scheme_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.scheme} {self.start_month:%Y-%m}起"


class PayrollBatch(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        APPROVED = "approved", "已审核"
        EXPORTED = "exported", "已导出"

    scheme = models.ForeignKey(Scheme, verbose_name="补贴项目", on_delete=models.PROTECT, related_name="batches")
    month = models.DateField("发放月份")
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.DRAFT)
    prepared_by = models.ForeignKey("accounts.User", verbose_name="制表人", on_delete=models.PROTECT, related_name="+")
    generated_at = models.DateTimeField("生成时间", null=True, blank=True)
    approved_by = models.ForeignKey(
        "accounts.User", verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField("审核时间", null=True, blank=True)
    exported_at = models.DateTimeField("导出时间", null=True, blank=True)
    person_count = models.PositiveIntegerField("人数", default=0)
    month_count = models.PositiveIntegerField("月数合计", default=0)
    total_fen = models.BigIntegerField("金额合计（分）", default=0)
    # Bumped by every (re)generation: an approval names the version its reviewer saw, so a
    # draft regenerated in between (after a rate change, say) is not approved unseen.
    version = models.PositiveIntegerField("草稿版本", default=0)

    class Meta:
        verbose_name = "发放批次"
        verbose_name_plural = "发放批次"
        permissions = [
            ("prepare_payroll", "编制发放批次"),
            ("approve_payroll", "审核发放批次"),
            ("export_payroll", "导出银行发放文件"),
            ("view_eligibility", "查看资格认定与比对名单"),
        ]
        ordering = ["-month", "scheme"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "month"], name="batch_once_per_scheme_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="batch_month_on_first"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.month:%Y-%m}"


class PaymentMonthQuerySet(ScopedQuerySet):
    def paid(self):
        """Months of approved or exported batches: the months paid."""
        return self.exclude(batch__state=PayrollBatch.State.DRAFT)


class PaymentMonth(models.Model):
    """One person, one month of a scheme, in a batch; paid once the batch is approved.

    The unique (person, scheme, month) holds over drafts too: a month is in one batch at a
    time, and a later batch cannot take a month a draft holds. It also serves every look-up
    of a person's months, so the foreign keys carry no indexes of their own. Nor do they
    carry database constraints: a line is only ever written by the payroll's INSERT … SELECT
    from existing awards and persons, which are never deleted (PROTECT), and the per-row
    checks cost more than the insert itself (docs/performance.md, payroll).
    """

    batch = models.ForeignKey(
        PayrollBatch, on_delete=models.CASCADE, related_name="months", db_index=False, db_constraint=False
    )
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False)
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="payments", db_index=False, db_constraint=False
    )
    award = models.ForeignKey(
        Award, on_delete=models.PROTECT, related_name="payments", db_index=False, db_constraint=False
    )
    area_code = models.CharField(max_length=12)
    month = models.DateField("月份")
    amount_fen = models.PositiveIntegerField("金额（分）")

    objects = PaymentMonthQuerySet.as_manager()
    # A line is seen by the town of the person's area when it was generated.
    scope_field, scope_person_field = "area_code", "person"

    class Meta:
        verbose_name = "发放明细"
        verbose_name_plural = "发放明细"
        constraints = [
            models.UniqueConstraint(fields=["person", "scheme", "month"], name="payment_month_once"),
        ]
        indexes = [
            # A batch's lines by town (every batch page, the bank file), with the person and
            # the amount in the index: what the dashboard's month figures read of the month's
            # lines (recipients, first-timers, money) and approval's payees, from the index
            # alone where its pages are all-visible.
            models.Index(
                fields=["batch", "area_code"], include=["person", "amount_fen"], name="payment_batch_area_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.month:%Y-%m} {self.amount_fen}"


class Payee(models.Model):
    """A person paid by an approved batch as the bank is told to pay them: the name, bank
    and account of the person frozen at approval. The bank file reads these, so editing a
    person's account after approval does not redirect an approved payment; the batch page
    lists the payees whose live account has changed since.

    One row per person of the batch (not a copy on each `PaymentMonth` line): approval
    inserts them with one INSERT … SELECT and leaves the lines untouched. The key (batch,
    person) is the primary key, the table's only index; like the lines', its foreign keys
    carry no database constraints: rows are only written by that statement from existing
    persons, which are never deleted.
    """

    pk = models.CompositePrimaryKey("batch", "person")
    batch = models.ForeignKey(
        PayrollBatch, on_delete=models.CASCADE, related_name="payees", db_index=False, db_constraint=False
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="payees", db_index=False, db_constraint=False
    )
    name = models.CharField("姓名", max_length=40)
    bank_name = models.CharField("开户银行", max_length=60, blank=True)
    bank_account = models.CharField("银行账号", max_length=32, blank=True)

    class Meta:
        verbose_name = "收款人"
        verbose_name_plural = "收款人"

    def __str__(self) -> str:
        return f"{self.batch_id} {self.person_id}"


class Vehicle(models.Model):
    """A motorised wheelchair vehicle (机动轮椅车) of a person, for the fuel subsidy."""

    person = models.ForeignKey(
        "registry.Person", verbose_name="车主", on_delete=models.CASCADE, related_name="vehicles"
    )
    plate = models.CharField("车牌号", max_length=16)
    lower_limb = models.BooleanField("下肢残疾（已核实）", default=True)
    registered_on = models.DateField("登记日期")
    retired_on = models.DateField("报废/注销日期", null=True, blank=True)

    objects = ScopedManager()
    scope_field, scope_person_field = "person__area__code", "person"

    class Meta:
        verbose_name = "机动轮椅车"
        verbose_name_plural = "机动轮椅车"
        constraints = [models.UniqueConstraint(fields=["plate"], name="vehicle_plate_unique")]

    def __str__(self) -> str:
        return self.plate


class GrantProject(models.Model):
    """The project record of a one-off grant — temporary hardship assistance (临时困难救助),
    dangerous-house repair (危房改造), home accessibility adaptation (居家无障碍改造): what is
    done, for how much, by whom, and how far it has got. Its budget is the amount paid."""

    class Kind(models.TextChoices):
        HARDSHIP = "hardship", "临时困难救助"
        HOUSE_REPAIR = "house_repair", "危房改造"
        HOME_ADAPTATION = "home_adaptation", "居家无障碍改造"

    class Status(models.TextChoices):
        PENDING = "pending", "待实施"
        IN_PROGRESS = "in_progress", "实施中"
        COMPLETED = "completed", "已完工"
        ACCEPTED = "accepted", "已验收"

    application = models.OneToOneField(
        Application, verbose_name="申请", on_delete=models.PROTECT, related_name="project"
    )
    kind = models.CharField("项目类型", max_length=20, choices=Kind.choices)
    description = models.CharField("项目内容", max_length=500)
    budget_fen = models.PositiveIntegerField("资助金额（分）")
    contractor = models.CharField("实施单位", max_length=100, blank=True)
    status = models.CharField("进度", max_length=16, choices=Status.choices, default=Status.PENDING)
    started_on = models.DateField("开工日期", null=True, blank=True)
    completed_on = models.DateField("完工日期", null=True, blank=True)
    accepted_on = models.DateField("验收日期", null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()
    scope_field, scope_person_field = "application__area_code", "application__person"

    class Meta:
        verbose_name = "资助项目"
        verbose_name_plural = "资助项目"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending") | Q(started_on__isnull=False), name="project_started_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.application.person}"
