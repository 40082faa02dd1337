"""Reopening checks and emergency drills of an institution, and the boarding and home care
placements of severely disabled persons.

- `CheckItem`: the items of the reopening checklist (防疫演练, 防疫物资, 应急预案…), data the
  district keeps in the admin; a checklist copies the active items when it is filled in.
- `ReopenCheck`: a dated checklist of an institution, each item done or not
  (`ReopenCheckItem`), who checked and the result. An institution is ready to reopen
  (可以开放) when its latest checklist has every item done.
- `Drill`: an emergency drill (应急演练) held at an institution on a day, with the members
  and staff who took part.
- `Placement`: a severely disabled person placed in boarding care (寄宿型托养, at an
  institution of kind 寄宿托养机构) or home care (居家养护, by a named provider), from a day
  to a day. Its monthly subsidy is the scheme `care_placement` of benefits (its rate of the
  placement's kind: data), paid through the payroll like the other schemes; the rule is
  `care.benefit_rule`.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from canlian.records import STANDING, PersonRecord, person_field
from canlian.scoping import ScopedManager

# The grades a placement is for (重度残疾人: 一级、二级).
SEVERE_GRADES = (1, 2)


class CheckSection(models.TextChoices):
    DRILL = "drill", "防疫演练"
    SUPPLIES = "supplies", "防疫物资"
    PROCEDURE = "procedure", "应急预案"
    OTHER = "other", "其他"


class CheckItem(models.Model):
    """An item of the reopening checklist (开放前检查项目)."""

    section = models.CharField("类别", max_length=20, choices=CheckSection.choices)
    title = models.CharField("检查项目", max_length=100, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True, help_text="停用的项目不再出现在新的检查表中")

    class Meta:
        verbose_name = "开放检查项目"
        verbose_name_plural = "开放检查项目"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class ReopenCheck(models.Model):
    """A dated reopening checklist of an institution (开放前检查)."""

    institution = models.ForeignKey(
        "care.Institution", verbose_name="机构", on_delete=models.PROTECT, related_name="checks", db_index=False
    )
    checked_on = models.DateField("检查日期")
    checked_by = models.ForeignKey(
        "accounts.User", verbose_name="检查人", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    result = models.CharField("检查结论", max_length=200, blank=True)
    # Every item done: written with the items, so the readiness page reads one row each.
    complete = models.BooleanField("全部完成", editable=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope_field, scope_institution_field = "institution__area__code", "institution"

    class Meta:
        verbose_name = "开放检查"
        verbose_name_plural = "开放检查"
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["institution", "-checked_on", "-id"], name="care_check_latest_idx")]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.checked_on}"


class ReopenCheckItem(models.Model):
    checklist = models.ForeignKey(ReopenCheck, verbose_name="检查", on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(CheckItem, verbose_name="检查项目", on_delete=models.PROTECT, related_name="+")
    done = models.BooleanField("已完成")
    note = models.CharField("说明", max_length=100, blank=True)

    class Meta:
        verbose_name = "检查项目结果"
        verbose_name_plural = "检查项目结果"
        ordering = ["item__order", "item_id"]
        constraints = [models.UniqueConstraint(fields=["checklist", "item"], name="care_check_item_once")]

    def __str__(self) -> str:
        return f"{self.item_id} {'已完成' if self.done else '未完成'}"


class Drill(models.Model):
    """An emergency drill (应急演练) at an institution, with who took part."""

    institution = models.ForeignKey(
        "care.Institution", verbose_name="机构", on_delete=models.PROTECT, related_name="drills", db_index=False
    )
    held_on = models.DateField("演练日期")
    topic = models.CharField("演练内容", max_length=100)
    members = models.ManyToManyField("registry.Person", verbose_name="参加会员", related_name="care_drills", blank=True)
    staff = models.ManyToManyField("accounts.User", verbose_name="参加工作人员", related_name="care_drills", blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name="登记人", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope_field, scope_institution_field = "institution__area__code", "institution"

    class Meta:
        verbose_name = "应急演练"
        verbose_name_plural = "应急演练"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["institution", "-held_on"], name="care_drill_inst_idx")]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.held_on} {self.topic}"


class PlacementKind(models.TextChoices):
    BOARDING = "boarding", "寄宿型托养"
    HOME = "home", "居家养护"


OPEN = Q(ended_on__isnull=True)


class Placement(PersonRecord):
    """A severely disabled person's boarding or home care placement (托养安置)."""

    person = person_field(related_name="care_placements")
    kind = models.CharField("托养方式", max_length=10, choices=PlacementKind.choices)
    institution = models.ForeignKey(
        "care.Institution",
        verbose_name="寄宿托养机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placements",
        db_index=False,
    )
    provider = models.CharField("居家养护服务机构", max_length=100, blank=True)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    end_reason = models.CharField("结束原因", max_length=200, blank=True)

    date_field, follows_person = "started_on", True
    scope_institution_field = "institution"
    void_action = "care.placement.voided"

    class Meta:
        verbose_name = "托养安置"
        verbose_name_plural = "托养安置"
        ordering = ["-started_on", "-id"]
        permissions = [("void_placement", "作废托养安置")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"], condition=STANDING & OPEN, name="care_one_open_placement_per_kind"
            ),
            models.CheckConstraint(
                condition=OPEN | Q(ended_on__gte=models.F("started_on")), name="care_placement_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(kind="boarding", institution__isnull=False) | Q(kind="home", institution__isnull=True),
                name="care_placement_provider_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "started_on"], name="care_placement_person_idx"),
            models.Index(fields=["area_code"], condition=STANDING, name="care_placement_area_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.get_kind_display()} {self.started_on}"

    def duplicate_message(self) -> str:
        return f"该人员已有进行中的{self.get_kind_display()}安置，请先办理结束"

    @property
    def provider_name(self) -> str:
        return self.institution.name if self.institution_id else self.provider

    @property
    def period_label(self) -> str:
        if self.ended_on is None:
            return f"{self.started_on:%Y-%m-%d} 起"
        return f"{self.started_on:%Y-%m-%d} 至 {self.ended_on:%Y-%m-%d}"

    def clean(self) -> None:
        """Run by `record_create` under the person's lock: a severe grade, the provider of
        the kind, and no other placement of the same kind in the same days."""
        from care.models import InstitutionKind
        from registry.models import Grade

        if self.person.grade not in SEVERE_GRADES:
            raise ValidationError(
                f"该人员为{Grade(self.person.grade).label}残疾；寄宿型托养和居家养护只安置一、二级重度残疾人"
            )
        if self.kind == PlacementKind.BOARDING:
            if self.institution is None:
                raise ValidationError("寄宿型托养请选择寄宿托养机构")
            if self.institution.kind != InstitutionKind.BOARDING:
                raise ValidationError(f"“{self.institution.name}”不是寄宿托养机构")
            if not self.institution.is_active:
                raise ValidationError(f"“{self.institution.name}”已停用")
            self.provider = ""
        else:
            self.institution = None
            self.provider = " ".join(self.provider.split())
            if not self.provider:
                raise ValidationError("居家养护请填写服务机构")
        if self.ended_on is not None and self.ended_on < self.started_on:
            raise ValidationError("结束日期不能早于开始日期")
        others = Placement.objects.standing().filter(person_id=self.person_id, kind=self.kind).exclude(pk=self.pk)
        others = others.filter(OPEN | Q(ended_on__gte=self.started_on))
        if self.ended_on is not None:
            others = others.filter(started_on__lte=self.ended_on)
        clash = others.order_by("started_on").first()
        if clash is not None:
            raise ValidationError(
                f"该人员 {clash.period_label} 已有{clash.get_kind_display()}安置，与本次时间重叠；同一时间只能有一个"
            )
