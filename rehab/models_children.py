"""Child rehabilitation assistance (残疾儿童康复救助, 国发〔2018〕20号): children 0–6 with a
visual, hearing, speech, physical or intellectual disability or autism, with or without a
disability certificate; the guardian's applications for surgery, an assistive device or
training, decided by the district, placed at a designated institution and paid against a
yearly cap; and the records of what the child received.

- A `Child` is recorded whether or not the child is certified: an uncertified child has
  no registry person, so the child is the subject of everything here, and `person` links
  the child to the registry once a certificate exists (the same ID number). Linking moves
  nothing: the assessments, applications and records stay the child's and reach the
  person's page through the link.
- The standards (救助标准: the yearly cap and the age limit of each kind) are data per year,
  edited by the district administrator in the admin.
- Applications, assessments and records carry `area_code`, the child's community, as every
  scoped table does. Applications and assessments follow the child when the community
  changes; a record keeps the community it was given in (as `ServiceRecord` does).
- `CoverageNeed` is a database view (migration 0007), not a table: the rows of the
  rehabilitation coverage indicator, persons' and children's assessed needs together.
"""

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from canlian.records import STANDING
from canlian.scoping import ScopedManager, ScopedQuerySet


class ChildDisability(models.TextChoices):
    VISUAL = "visual", "视力残疾"
    HEARING = "hearing", "听力残疾"
    SPEECH = "speech", "言语残疾"
    PHYSICAL = "physical", "肢体残疾"
    INTELLECTUAL = "intellectual", "智力残疾"
    AUTISM = "autism", "孤独症"


class AssistanceKind(models.TextChoices):
    SURGERY = "surgery", "手术"
    DEVICE = "device", "辅助器具"
    TRAINING = "training", "康复训练"


class PriorityGroup(models.TextChoices):
    """The order in which the policy serves children (国发〔2018〕20号)."""

    DIBAO_TEKUN = "dibao_tekun", "低保/特困家庭"
    ORPHAN = "orphan", "孤儿"
    OTHER_HARDSHIP = "other_hardship", "其他困难家庭"


class ChildRehabStandard(models.Model):
    """A year's standard of one kind of assistance (救助标准): the most a child may receive in
    the year (the cap, in fen) and the oldest age at application. Local data: the
    district administrator sets each year's figures in the admin."""

    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("救助类别", max_length=16, choices=AssistanceKind.choices)
    cap_fen = models.PositiveIntegerField("年度限额（分）", help_text="每名儿童本年度本类别救助金额上限，单位：分")
    max_age = models.PositiveSmallIntegerField("年龄上限（周岁）", default=6, help_text="申请时不超过此周岁")
    note = models.CharField("依据", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "残疾儿童康复救助标准"
        verbose_name_plural = "残疾儿童康复救助标准"
        ordering = ["-year", "kind"]
        constraints = [models.UniqueConstraint(fields=["year", "kind"], name="rehab_child_standard_once")]

    def __str__(self) -> str:
        return f"{self.year} 年{self.get_kind_display()}"

    @property
    def cap_yuan(self) -> str:
        return yuan(self.cap_fen)


def yuan(fen: int | None) -> str:
    """Fen as 元 with two decimals and thousands separators (12,000.00)."""
    if fen is None:
        return "—"
    return f"{fen // 100:,}.{fen % 100:02d}"


class Child(models.Model):
    """A child of the assistance programme (康复救助儿童), certified or not. Identified by the
    ID number, or for a child who has none yet by the birth certificate number (出生医学证明
    编号); `person` is the registry's certified person with the same ID number, once linked."""

    name = models.CharField("姓名", max_length=40)
    gender = models.CharField("性别", max_length=1, choices=[("M", "男"), ("F", "女")])
    id_number = models.CharField("公民身份号码", max_length=18, blank=True)
    birth_certificate = models.CharField("出生医学证明编号", max_length=20, blank=True)
    birth_date = models.DateField("出生日期")
    disability = models.CharField("残疾类别", max_length=16, choices=ChildDisability.choices)
    diagnosis = models.CharField("诊断", max_length=200)
    diagnosed_by = models.CharField("诊断机构", max_length=100, blank=True)
    guardian_name = models.CharField("监护人姓名", max_length=40)
    guardian_phone = models.CharField("监护人电话", max_length=20)
    area = models.ForeignKey(
        "areas.Area", verbose_name="所在村(居)", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    address = models.CharField("现住址", max_length=200, blank=True)
    person = models.ForeignKey(
        "registry.Person",
        verbose_name="持证人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rehab_children",
        db_constraint=False,  # persons are never deleted; the unique key below serves look-ups
        db_index=False,
    )
    linked_at = models.DateTimeField("关联时间", null=True, blank=True)
    registered_by = models.ForeignKey(
        "accounts.User", verbose_name="登记人", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], no_db_index=["area", "person", "registered_by"])
    objects = ScopedManager()
    scope_field = "area__code"

    class Meta:
        verbose_name = "康复救助儿童"
        verbose_name_plural = "康复救助儿童"
        ordering = ["area_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["id_number"], condition=~Q(id_number=""), name="rehab_child_id_once"),
            models.UniqueConstraint(
                fields=["birth_certificate"], condition=~Q(birth_certificate=""), name="rehab_child_birth_cert_once"
            ),
            # One child record per certified person; the key also finds a person's child.
            models.UniqueConstraint(
                fields=["person"], condition=Q(person__isnull=False), name="rehab_child_person_once"
            ),
            models.CheckConstraint(
                condition=~Q(id_number="") | ~Q(birth_certificate=""), name="rehab_child_identified"
            ),
        ]
        indexes = [
            # The list of a town (a prefix of the community code) in its order.
            models.Index(fields=["area", "name", "id"], name="rehab_child_area_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def age_on(self, day) -> int:
        """Full years of age on `day`."""
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class ChildAssessment(models.Model):
    """Whether a child has a rehabilitation need in a year (康复需求评估), as `NeedAssessment`
    is for a certified person: one per child and year (a second replaces the first, the
    history keeps it). The coverage indicator counts the children assessed with a need."""

    child = models.ForeignKey(Child, verbose_name="儿童", on_delete=models.PROTECT, related_name="assessments")
    area_code = models.CharField("区划代码", max_length=12, editable=False)
    year = models.PositiveSmallIntegerField("年度")
    has_need = models.BooleanField("有康复需求")
    assessed_on = models.DateField("评估日期")
    note = models.CharField("备注", max_length=200, blank=True)
    assessed_by = models.ForeignKey(
        "accounts.User", verbose_name="评估登记人", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    updated_at = models.DateTimeField("登记时间", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], no_db_index=["child", "assessed_by"])
    objects = ScopedManager()
    scope_field = "area_code"

    class Meta:
        verbose_name = "儿童康复需求评估"
        verbose_name_plural = "儿童康复需求评估"
        ordering = ["-year", "child_id"]
        constraints = [
            models.UniqueConstraint(fields=["child", "year"], name="rehab_child_assessment_once"),
            models.CheckConstraint(condition=Q(assessed_on__year=F("year")), name="rehab_child_assessed_in_year"),
        ]
        indexes = [models.Index(fields=["year", "area_code"], name="rehab_child_assess_year_idx")]

    def __str__(self) -> str:
        return f"{self.child_id} {self.year} {'有需求' if self.has_need else '无需求'}"


class ChildApplication(models.Model):
    """A guardian's application for one kind of assistance in a year (救助申请), taken by the
    town and decided by the district: submitted → approved (with the amount) → placed at a
    designated institution → closed (settled: the amount of its records); or rejected, or
    withdrawn before placement. One open application per child, kind and year."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "待区残联审核"
        APPROVED = "approved", "已批准，待安置"
        PLACED = "placed", "已安置，接受服务中"
        CLOSED = "closed", "已结案"
        REJECTED = "rejected", "不予批准"
        WITHDRAWN = "withdrawn", "已撤回"

    OPEN = ("submitted", "approved", "placed")

    child = models.ForeignKey(Child, verbose_name="儿童", on_delete=models.PROTECT, related_name="applications")
    area_code = models.CharField("区划代码", max_length=12, editable=False)
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("救助类别", max_length=16, choices=AssistanceKind.choices)
    priority_group = models.CharField("救助对象类别", max_length=16, choices=PriorityGroup.choices)
    applied_on = models.DateField("申请日期")
    applicant_name = models.CharField("申请人（监护人）", max_length=40)
    requested_fen = models.PositiveIntegerField("申请金额（分）")
    note = models.CharField("备注", max_length=200, blank=True)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.SUBMITTED)
    submitted_by = models.ForeignKey("accounts.User", verbose_name="受理人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("受理时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        "accounts.User", verbose_name="审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_reason = models.CharField("审批意见", max_length=200, blank=True)
    approved_fen = models.PositiveIntegerField("批准金额（分）", null=True, blank=True)
    institution = models.ForeignKey(
        "rehab.Provider",
        verbose_name="定点康复机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    placed_on = models.DateField("安置日期", null=True, blank=True)
    placed_by = models.ForeignKey(
        "accounts.User", verbose_name="安置经办人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField("结案日期", null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User", verbose_name="结案经办人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_reason = models.CharField("结案或撤回说明", max_length=200, blank=True)
    settled_fen = models.PositiveIntegerField("结算金额（分）", null=True, blank=True)

    objects = ScopedManager()
    scope_field = "area_code"

    class Meta:
        verbose_name = "残疾儿童康复救助申请"
        verbose_name_plural = "残疾儿童康复救助申请"
        ordering = ["-applied_on", "-id"]
        permissions = [
            ("decide_childapplication", "区残联审批残疾儿童康复救助申请"),
            ("place_childapplication", "安置残疾儿童到定点机构并结案"),
            ("export_childapplications", "导出残疾儿童康复救助名单"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "kind", "year"],
                condition=Q(state__in=["submitted", "approved", "placed"]),
                name="rehab_child_application_one_open",
            ),
            models.CheckConstraint(condition=Q(applied_on__year=F("year")), name="rehab_child_applied_in_year"),
        ]
        indexes = [
            models.Index(fields=["area_code", "applied_on"], name="rehab_child_app_area_idx"),
            models.Index(fields=["state", "applied_on"], name="rehab_child_app_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} {self.year} {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN

    @property
    def committed_fen(self) -> int:
        """What the application takes of the year's cap: the approved amount while it runs,
        what was settled once closed, nothing if it was never approved or was withdrawn."""
        if self.state == self.State.CLOSED:
            return self.settled_fen or 0
        if self.state in (self.State.APPROVED, self.State.PLACED):
            return self.approved_fen or 0
        return 0


class ChildRehabRecordQuerySet(ScopedQuerySet):
    def standing(self) -> "ChildRehabRecordQuerySet":
        return self.filter(STANDING)


class ChildRehabRecord(models.Model):
    """One service a placed child received under an application (a training period, a
    device fitted, an operation), with what it cost. The shape of `canlian.records.
    PersonRecord` (area code copied, who recorded it, voided never deleted) keyed on the
    child instead of a registry person, since most children here have none; a linked
    child's records reach the person's timeline through the child. `year` is the
    application's (a record's day lies in it), so the coverage view compares years
    without date arithmetic."""

    application = models.ForeignKey(
        ChildApplication, verbose_name="救助申请", on_delete=models.PROTECT, related_name="records"
    )
    child = models.ForeignKey(
        Child, verbose_name="儿童", on_delete=models.PROTECT, related_name="records", db_index=False
    )
    area_code = models.CharField("区划代码", max_length=12, editable=False)
    year = models.PositiveSmallIntegerField("年度")
    served_on = models.DateField("服务日期")
    content = models.CharField("服务内容", max_length=100, help_text="训练项目、器具名称或手术名称")
    sessions = models.PositiveSmallIntegerField("服务次数", default=1)
    amount_fen = models.PositiveIntegerField("金额（分）")
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name="登记人", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        "accounts.User",
        verbose_name="作废人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    void_reason = models.CharField("作废原因", max_length=200, blank=True)

    objects = ChildRehabRecordQuerySet.as_manager()
    scope_field = "area_code"

    class Meta:
        verbose_name = "残疾儿童康复救助服务记录"
        verbose_name_plural = "残疾儿童康复救助服务记录"
        ordering = ["-served_on", "-id"]
        permissions = [("void_childrehabrecord", "作废残疾儿童康复救助服务记录")]
        constraints = [
            models.CheckConstraint(condition=Q(served_on__year=F("year")), name="rehab_child_record_in_year"),
            models.CheckConstraint(condition=Q(sessions__gte=1), name="rehab_child_record_sessions"),
        ]
        indexes = [
            # The coverage view: a child's standing records of a year.
            models.Index(fields=["child", "year"], condition=STANDING, name="rehab_child_record_year_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} {self.served_on} {self.content}"


class CoverageNeed(models.Model):
    """A row of the coverage indicator (有康复需求的残疾儿童和持证残疾人): a person's or a
    child's assessment with a need in a year, whether they received a basic service in
    that year, and whom it counts (`subject`: the person, or for an uncertified child the
    child's id negated, so a linked child assessed both as a person and as a child counts
    once). A view (migration 0007) over the assessments, the service years and the
    children's records: never written, always current."""

    key = models.CharField(max_length=24, primary_key=True)
    subject = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    area_code = models.CharField(max_length=12)
    assessed_on = models.DateField()
    served = models.BooleanField()

    objects = ScopedManager()
    scope_field = "area_code"

    class Meta:
        managed = False
        db_table = "rehab_coverageneed"
        verbose_name = "康复需求覆盖"
        verbose_name_plural = "康复需求覆盖"

    def __str__(self) -> str:
        return f"{self.key} {self.year} {'已服务' if self.served else '未服务'}"
