"""Assisted-employment workshops (辅助性就业车间): the workshops and their projects, who
works there, the work days and income of each member per month, the products they make
and what is sold.

- `Workshop`: a workshop of the district (the one at the 杜阮 station, ...), its town or
  community, its staff users (centre staff: they see their workshop's members and rows
  only, `workshops.scoping`) and its place of the employment network (a
  `employment.ServicePoint`: a text of the time before the link that named no point of the
  network is kept beside it, `service_point_note`).
- `Project`: a line of work of a workshop (自助售卖机, 公益咖啡馆 "益杯咖啡", 烘焙茶饮店,
  就业爱心车间); members, products and sales may name one.
- `Membership`: a person of the registry working at a workshop from `started_on` to
  `ended_on` (a `PersonRecord`: voided, never deleted; its area follows the person).
- `WorkMonth`: a member's work days and the income paid to them for one month, entered by
  the workshop a month at a time (`workshops.services.month_save`) or imported.
- `Product` (the catalogue, with price and stock) and `Sale` (by channel; a sale of a
  catalogue product takes it out of stock, which never goes below zero).

Money is integer fen.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from canlian.records import STANDING, PersonRecord, person_field
from canlian.scoping import ScopedManager, ScopedQuerySet


class ProjectKind(models.TextChoices):
    VENDING = "vending", "自助售卖机"
    CAFE = "cafe", "公益咖啡馆"
    BAKERY = "bakery", "烘焙茶饮店"
    WORKSHOP = "workshop", "就业爱心车间"
    OTHER = "other", "其他"


class Channel(models.TextChoices):
    """Where a sale was made. The two WeChat mini programs' names are the demo's
    (unverified): one orders the café's drinks, one sells the workshops' products."""

    SHOP = "shop", "线下门店"
    MINI_CAFE = "mini_cafe", "微信小程序（益杯咖啡）"
    MINI_MALL = "mini_mall", "微信小程序（助残爱心商城）"
    EVENT = "event", "活动义卖"


def month_end(month: datetime.date) -> datetime.date:
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


class Workshop(models.Model):
    """An assisted-employment workshop (辅助性就业车间)."""

    code = models.CharField("车间编号", max_length=20, unique=True)
    name = models.CharField("车间名称", max_length=100, unique=True)
    area = models.ForeignKey(
        "areas.Area",
        verbose_name="所在镇街",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # served by ws_workshop_area_idx
        help_text="车间所在的镇(街)，也可以是村(居)",
    )
    address = models.CharField("地址", max_length=200, blank=True)
    service_point = models.ForeignKey(
        "employment.ServicePoint",
        verbose_name="所属就业服务点",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="车间所属的就业服务网点（枢纽、平台或服务点）",
    )
    service_point_note = models.CharField(
        "原登记的服务点",
        max_length=100,
        blank=True,
        help_text="关联就业服务网点之前以文字登记、未能对应到网点的服务点；选定所属就业服务点后请清空",
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="工作人员",
        related_name="workshops",
        blank=True,
        help_text="车间工作人员账号（角色：康园中心工作人员）：只看到本车间的成员和记录",
    )
    is_active = models.BooleanField("启用", default=True, help_text="停用的车间不再登记成员、月报和销售")

    history = HistoricalRecords(m2m_fields=[staff])
    objects = ScopedManager()
    # Scoped by its area for officers; for its staff by itself (workshops.scoping).
    scope_field, scope_workshop_field = "area__code", "pk"

    class Meta:
        verbose_name = "辅助性就业车间"
        verbose_name_plural = "辅助性就业车间"
        ordering = ["code"]
        indexes = [models.Index(fields=["area"], name="ws_workshop_area_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def service_point_label(self) -> str:
        """The service point as the pages show it: the network's point by name; a text kept
        from before the link, marked as such; "" for none."""
        if self.service_point_id is not None:
            return self.service_point.name
        if self.service_point_note:
            return f"{self.service_point_note}（未关联就业服务网点）"
        return ""


class Project(models.Model):
    """A project (line of work) of a workshop."""

    workshop = models.ForeignKey(Workshop, verbose_name="车间", on_delete=models.PROTECT, related_name="projects")
    name = models.CharField("项目名称", max_length=100)
    kind = models.CharField("项目类型", max_length=20, choices=ProjectKind.choices)
    is_active = models.BooleanField("启用", default=True)

    objects = ScopedManager()
    scope_field, scope_workshop_field = "workshop__area__code", "workshop"

    class Meta:
        verbose_name = "车间项目"
        verbose_name_plural = "车间项目"
        ordering = ["workshop_id", "id"]
        constraints = [models.UniqueConstraint(fields=["workshop", "name"], name="workshops_project_name_once")]

    def __str__(self) -> str:
        return self.name


OPEN = Q(ended_on__isnull=True)


class Membership(PersonRecord):
    """A person working at a workshop from `started_on` to `ended_on` (the last day; none
    while a member)."""

    person = person_field(related_name="workshop_memberships")
    workshop = models.ForeignKey(
        Workshop,
        verbose_name="车间",
        on_delete=models.PROTECT,
        related_name="memberships",
        db_index=False,  # served by ws_membership_workshop_idx
    )
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_on = models.DateField("进入车间日期")
    ended_on = models.DateField("离开日期", null=True, blank=True)
    end_note = models.CharField("离开说明", max_length=200, blank=True)

    date_field, follows_person = "started_on", True
    scope_workshop_field = "workshop"
    void_action = "workshops.membership.voided"

    class Meta:
        verbose_name = "车间成员"
        verbose_name_plural = "车间成员"
        ordering = ["-started_on", "-id"]
        permissions = [("void_membership", "作废车间成员登记")]
        constraints = [
            # One open membership of a workshop per person (the service also refuses overlaps).
            models.UniqueConstraint(
                fields=["person", "workshop"], condition=STANDING & OPEN, name="workshops_one_open_membership"
            ),
            models.CheckConstraint(
                condition=OPEN | Q(ended_on__gte=models.F("started_on")), name="workshops_membership_period"
            ),
        ]
        indexes = [
            models.Index(fields=["person", "started_on"], name="ws_membership_person_idx"),
            models.Index(fields=["workshop", "started_on"], name="ws_membership_workshop_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.workshop_id} {self.started_on}"

    def duplicate_message(self) -> str:
        return "该人员已是本车间的在册成员，请勿重复登记"

    def overlaps(self, first: datetime.date, last: datetime.date) -> bool:
        """Whether the membership holds some day of [first, last]."""
        return self.started_on <= last and (self.ended_on is None or self.ended_on >= first)

    def clean(self) -> None:
        if self.project_id is not None and self.project.workshop_id != self.workshop_id:
            raise ValidationError("所选项目不属于该车间")
        if not self.workshop.is_active:
            raise ValidationError(f"“{self.workshop.name}”已停用，不能登记新成员")
        others = Membership.objects.standing().filter(person=self.person, workshop=self.workshop)
        if self.pk:
            others = others.exclude(pk=self.pk)
        for other in others:
            if other.overlaps(self.started_on, self.ended_on or datetime.date.max):
                since = f"{other.started_on:%Y-%m-%d}起" + (f"至{other.ended_on:%Y-%m-%d}" if other.ended_on else "")
                raise ValidationError(f"该人员{since}已是“{self.workshop.name}”的成员，期间不能重叠")


class WorkMonth(models.Model):
    """A member's work days and the income paid to them for one month at a workshop."""

    workshop = models.ForeignKey(
        Workshop,
        verbose_name="车间",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # served by workshops_workmonth_once
    )
    month = models.DateField("月份", help_text="该月的第一天")
    person = person_field(related_name="workshop_months")  # served by ws_workmonth_person_idx
    # The person's community when the month was entered; moves with the person (apps.py).
    area_code = models.CharField("区划代码", max_length=12, editable=False)
    work_days = models.PositiveSmallIntegerField("工作天数")
    income_fen = models.PositiveIntegerField("收入（分）")
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
    scope_field, scope_person_field, scope_workshop_field = "area_code", "person", "workshop"

    class Meta:
        verbose_name = "车间月报"
        verbose_name_plural = "车间月报"
        ordering = ["-month", "workshop_id", "person_id"]
        permissions = [("export_workmonth", "导出车间月报")]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "month", "person"], name="workshops_workmonth_once"),
            models.CheckConstraint(condition=Q(work_days__lte=31), name="workshops_workmonth_days"),
        ]
        indexes = [
            models.Index(fields=["person", "month"], name="ws_workmonth_person_idx"),
            models.Index(fields=["area_code", "month"], name="ws_workmonth_area_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.month:%Y-%m} {self.work_days}天"


class Product(models.Model):
    """A product made in a workshop (the catalogue): its price and what is in stock."""

    workshop = models.ForeignKey(Workshop, verbose_name="车间", on_delete=models.PROTECT, related_name="products")
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.PROTECT, null=True, blank=True, related_name="products"
    )
    name = models.CharField("产品名称", max_length=100)
    unit = models.CharField("单位", max_length=10, default="件")
    price_fen = models.PositiveIntegerField("单价（分）")
    stock = models.PositiveIntegerField("库存", default=0)
    is_active = models.BooleanField("在售", default=True)

    history = HistoricalRecords()
    objects = ScopedManager()
    scope_field, scope_workshop_field = "workshop__area__code", "workshop"

    class Meta:
        verbose_name = "车间产品"
        verbose_name_plural = "车间产品"
        ordering = ["workshop_id", "name"]
        permissions = [("restock_product", "产品入库")]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "name"], name="workshops_product_name_once"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="workshops_product_stock"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.project_id is not None and self.project.workshop_id != self.workshop_id:
            raise ValidationError({"project": "所选项目不属于该车间"})


class SaleQuerySet(ScopedQuerySet):
    def standing(self) -> "SaleQuerySet":
        """The sales not voided: every list, total and figure reads these."""
        return self.filter(voided_at__isnull=True)


class Sale(models.Model):
    """A sale of a workshop by channel: an amount, and for a catalogue product its quantity
    (taken out of stock)."""

    workshop = models.ForeignKey(
        Workshop,
        verbose_name="车间",
        on_delete=models.PROTECT,
        related_name="sales",
        db_index=False,  # served by ws_sale_workshop_idx
    )
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    product = models.ForeignKey(
        Product, verbose_name="产品", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.CharField("销售渠道", max_length=20, choices=Channel.choices)
    sold_on = models.DateField("销售日期")
    quantity = models.PositiveIntegerField("数量", default=0)
    amount_fen = models.PositiveIntegerField("金额（分）")
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name="登记人", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    # A sale entered by mistake is voided (its stock returned), never deleted.
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

    objects = SaleQuerySet.as_manager()
    scope_field, scope_workshop_field = "workshop__area__code", "workshop"

    class Meta:
        verbose_name = "销售记录"
        verbose_name_plural = "销售记录"
        ordering = ["-sold_on", "-id"]
        permissions = [("void_sale", "作废销售记录")]
        indexes = [models.Index(fields=["workshop", "sold_on"], name="ws_sale_workshop_idx")]

    def __str__(self) -> str:
        return f"{self.sold_on} {self.get_channel_display()} {self.amount_fen}"
