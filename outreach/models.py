"""Outreach and care (慰问+关爱): home visits to families in difficulty (走访慰问) with the
needs they find, gift campaigns such as the 生活爱心包, and the watch over persons living
alone without a carer (独居/无人照料).

Visits, the needs they raise, deliveries and watch contacts are `canlian.records.PersonRecord`s:
one dated fact about one person, written by `record_create`, never edited, voided (作废)
with a reason. A visit keeps the community of its day (`follows_person = False`: the visit
was that town's work, counted in its figures); an open need follows the person, since the
town now responsible closes it.
"""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from canlian.records import STANDING, PersonRecord, figure_days_of, person_field
from canlian.scoping import ScopedManager, ScopedQuerySet


class NeedKind(models.TextChoices):
    """The kinds of need a visit may find (发现需求)."""

    LIVING = "living", "生活"
    MEDICAL = "medical", "医疗"
    REHAB = "rehab", "康复"
    EMPLOYMENT = "employment", "就业"
    HOUSING = "housing", "住房"
    EDUCATION = "education", "教育"
    OTHER = "other", "其他"


# A gift of money at one visit above this is a typing error, not a gift (元).
MAX_VISIT_MONEY = Decimal("100000")


class HomeVisit(PersonRecord):
    """A home visit to a person's household (走访慰问): who went (users of the system, and
    others named in words, such as a district leader), what they found, the needs raised
    (each also an open `VisitNeed`), what was given (money in 元, gifts) and when to follow
    up. Photos are `VisitPhoto`s."""

    person = person_field(related_name="outreach_visits")  # served by the (person, visited_on) key
    visited_on = models.DateField("走访日期")
    visitors = models.ManyToManyField("accounts.User", verbose_name="走访人", related_name="+", blank=True)
    other_visitors = models.CharField("其他走访人", max_length=200, blank=True, help_text="如区领导、社区干部的姓名")
    findings = models.TextField("走访情况", max_length=2000, blank=True)
    needs = models.JSONField("发现需求", default=list, blank=True, help_text="NeedKind 的代码列表")
    money = models.DecimalField("慰问金额（元）", max_digits=9, decimal_places=2, default=Decimal("0"))
    gifts = models.CharField("慰问物品", max_length=200, blank=True)
    follow_up_on = models.DateField("下次跟进日期", null=True, blank=True)

    date_field, follows_person = "visited_on", False

    class Meta:
        verbose_name = "走访慰问记录"
        verbose_name_plural = "走访慰问记录"
        ordering = ["-visited_on", "-id"]
        permissions = [
            ("void_homevisit", "作废走访慰问记录"),
            ("export_homevisits", "导出走访慰问记录"),
        ]
        constraints = [
            # One visit of a person a day: a second is a double entry.
            models.UniqueConstraint(
                fields=["person", "visited_on"], condition=STANDING, name="outreach_visit_once_a_day"
            ),
            models.CheckConstraint(condition=Q(money__gte=0), name="outreach_visit_money_not_negative"),
        ]
        indexes = [
            models.Index(fields=["area_code", "visited_on"], condition=STANDING, name="outreach_visit_area_date_idx"),
            models.Index(fields=["visited_on", "id", "area_code"], condition=STANDING, name="outreach_visit_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.visited_on}"

    @property
    def need_labels(self) -> list[str]:
        labels = dict(NeedKind.choices)
        return [labels.get(kind, kind) for kind in self.needs]

    def clean(self) -> None:
        """The visit's own rules, after the person's (`record_create`)."""
        unknown = [kind for kind in self.needs if kind not in NeedKind.values]
        if unknown:
            raise ValidationError(f"未知的需求类别：{'、'.join(unknown)}")
        if self.money is None or self.money < 0:
            raise ValidationError("慰问金额不能为负数")
        if self.money > MAX_VISIT_MONEY:
            raise ValidationError(f"一次走访的慰问金额不能超过 {MAX_VISIT_MONEY:,.0f} 元，请检查是否输入有误")
        if self.money != self.money.quantize(Decimal("0.01")):
            raise ValidationError("慰问金额最多保留两位小数")
        if self.follow_up_on is not None and self.follow_up_on < self.visited_on:
            raise ValidationError("下次跟进日期不能早于走访日期")

    def duplicate_message(self) -> str:
        return f"该人员 {self.visited_on:%Y-%m-%d} 已有走访记录，请勿重复登记"


class VisitNeed(PersonRecord):
    """A need a visit found (发现需求), open until the town responsible for the person
    closes it with what was done. It follows the person: after a move the new town closes it."""

    person = person_field(related_name="outreach_needs")  # served by the (person, raised_on) index
    visit = models.ForeignKey(HomeVisit, verbose_name="走访记录", on_delete=models.PROTECT, related_name="need_items")
    kind = models.CharField("需求类别", max_length=16, choices=NeedKind.choices)
    raised_on = models.DateField("发现日期")
    closed_on = models.DateField("办结日期", null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User", verbose_name="办结人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField("办理结果", max_length=500, blank=True)

    date_field = "raised_on"
    void_action = "outreach.visitneed.voided"

    class Meta:
        verbose_name = "走访发现的需求"
        verbose_name_plural = "走访发现的需求"
        ordering = ["raised_on", "id"]
        permissions = [
            ("void_visitneed", "作废走访发现的需求"),
            ("close_visitneed", "办结走访发现的需求"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["visit", "kind"], name="outreach_need_once_a_visit"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | ~Q(outcome=""), name="outreach_closed_need_has_outcome"
            ),
        ]
        indexes = [
            models.Index(fields=["person", "raised_on"], name="outreach_need_person_idx"),
            # The town's open items.
            models.Index(
                fields=["area_code", "raised_on"],
                condition=STANDING & Q(closed_on__isnull=True),
                name="outreach_need_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None and self.voided_at is None


def photo_path(photo: "VisitPhoto", filename: str) -> str:
    """Under MEDIA_ROOT, by month, under a random name: the officer's file name is kept as
    data only, never as a path."""
    return f"outreach/visits/{photo.created_at:%Y/%m}/{uuid.uuid4().hex}.{photo.extension}"


class VisitPhoto(models.Model):
    """A photo of a visit, stored under MEDIA_ROOT and served only through the photo page,
    to users who may see the visit's person."""

    visit = models.ForeignKey(HomeVisit, verbose_name="走访记录", on_delete=models.PROTECT, related_name="photos")
    file = models.FileField("照片", upload_to=photo_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    content_type = models.CharField("类型", max_length=20)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        "accounts.User", verbose_name="上传人", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    created_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "走访照片"
        verbose_name_plural = "走访照片"
        ordering = ["visit_id", "id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg", "image/png": "png"}[self.content_type]


# Campaigns (生活爱心包 and others) ------------------------------------------------------


class TargetRule(models.TextChoices):
    """Who a campaign is for: a rule over the registry, evaluated once when the campaign
    starts (`outreach.campaigns.RULES`)."""

    CERTIFIED = "certified", "全体持证残疾人"
    DIBAO_TEKUN = "dibao_tekun", "低保和特困残疾人"
    LIVING_ALONE = "living_alone", "独居（无人照料）残疾人"


class Campaign(models.Model):
    """A gift campaign of the district (生活爱心包): what is given, in which period, to whom.
    Its target list is frozen when it starts (`CampaignTarget`); persons certified later
    can be added. A campaign is the district's: its page shows each user the towns and
    communities of their own scope."""

    class State(models.TextChoices):
        DRAFT = "draft", "未开始"
        STARTED = "started", "进行中"

    name = models.CharField("活动名称", max_length=60, unique=True)
    gift = models.CharField("发放内容", max_length=200, help_text="如米、油、日用品一份")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    rule = models.CharField("发放对象", max_length=16, choices=TargetRule.choices)
    # 每户一份: one gift per household (户) of the registry — a second member of a
    # household that received it is refused (a person without a household is their own).
    per_household = models.BooleanField("每户一份", default=False)
    state = models.CharField("状态", max_length=8, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey("accounts.User", verbose_name="创建人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_by = models.ForeignKey(
        "accounts.User", verbose_name="启动人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField("启动时间", null=True, blank=True)

    class Meta:
        verbose_name = "慰问发放活动"
        verbose_name_plural = "慰问发放活动"
        ordering = ["-starts_on", "-id"]
        permissions = [("start_campaign", "启动慰问发放活动并确定发放名单")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="outreach_campaign_period"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_started(self) -> bool:
        return self.state == self.State.STARTED


class CampaignTarget(models.Model):
    """A person on a campaign's list: frozen at the start (`added_by` empty) or added later
    (a person certified since). `area_code` is the person's community, kept with a person
    who moves (the town where they live now delivers), so the per-town counts and the
    remaining list are a prefix of it. Written only by set-based statements."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.PROTECT, related_name="targets", db_index=False
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # served by (person, campaign)
        db_constraint=False,
    )
    area_code = models.CharField("区划代码", max_length=12)
    added_on = models.DateField("列入日期")
    added_by = models.ForeignKey(
        "accounts.User", verbose_name="补充人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager()
    scope_field, scope_person_field = "area_code", "person"

    class Meta:
        verbose_name = "发放名单"
        verbose_name_plural = "发放名单"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="outreach_target_once"),
        ]
        indexes = [
            # A town's counts and its remaining list within a campaign.
            models.Index(fields=["campaign", "area_code", "person"], name="outreach_target_area_idx"),
            models.Index(fields=["person", "campaign"], name="outreach_target_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.person_id}"


class CampaignDelivery(PersonRecord):
    """One campaign's gift handed to a person on its list (发放记录): on which day and by
    whom (发放人, a name: often a community worker without an account). Once per person and
    campaign; a mistaken one is voided, then the right one can be recorded."""

    person = person_field(related_name="outreach_deliveries")  # served by (person, campaign)
    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.PROTECT, related_name="deliveries", db_index=False
    )
    delivered_on = models.DateField("发放日期")
    deliverer = models.CharField("发放人", max_length=40)

    date_field = "delivered_on"
    void_action = "outreach.delivery.voided"

    class Meta:
        verbose_name = "慰问品发放记录"
        verbose_name_plural = "慰问品发放记录"
        ordering = ["-delivered_on", "-id"]
        permissions = [
            ("void_campaigndelivery", "作废慰问品发放记录"),
            ("export_campaigntargets", "导出未发放名单"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "campaign"], condition=STANDING, name="outreach_delivery_once"),
        ]
        indexes = [
            models.Index(
                fields=["campaign", "area_code", "delivered_on"], condition=STANDING, name="outreach_delivery_area_idx"
            ),
            models.Index(fields=["delivered_on", "area_code"], condition=STANDING, name="outreach_delivery_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.person_id} {self.delivered_on}"

    def clean(self) -> None:
        """After the person's checks (`record_create`, under the person's lock): the
        campaign is running, the day is in its period, the person is on its list and has
        not received it yet."""
        refusal = delivery_refusal(self.campaign, self.person_id, self.delivered_on)
        if refusal:
            raise ValidationError(refusal)
        if not self.deliverer.strip():
            raise ValidationError("请填写发放人")

    def duplicate_message(self) -> str:
        return f"该人员已领取过“{self.campaign.name}”，不能重复发放"


UNREAD = object()


def delivery_refusal(
    campaign: Campaign,
    person_id: int,
    day,
    *,
    on_list: bool | None = None,
    held=UNREAD,
    household_held=UNREAD,
) -> str:
    """Why a delivery of `campaign` to the person on `day` is refused ("" if it is not). The
    import passes what it read for all its rows at once (`on_list`, `held`: the standing
    delivery or None; `household_held`: for a campaign of one gift per household, the
    standing delivery to another member of the person's household, or None); the form's
    delivery reads them here."""
    if not campaign.is_started:
        return f"“{campaign.name}”尚未启动，不能登记发放"
    if not campaign.starts_on <= day <= campaign.ends_on:
        return f"发放日期应在活动期间（{campaign.starts_on:%Y-%m-%d} 至 {campaign.ends_on:%Y-%m-%d}）"
    if on_list is None:
        on_list = CampaignTarget.objects.filter(campaign=campaign, person_id=person_id).exists()
    if not on_list:
        return f"该人员不在“{campaign.name}”的发放名单内，不能发放"
    if held is UNREAD:
        held = CampaignDelivery.objects.standing().filter(campaign=campaign, person_id=person_id).first()
    if held:
        return f"该人员已于 {held.delivered_on:%Y-%m-%d} 领取过“{campaign.name}”，不能重复发放"
    if campaign.per_household:
        if household_held is UNREAD:
            household_held = household_delivery(campaign, person_id)
        if household_held:
            return (
                f"“{campaign.name}”每户一份：同户的{household_held.person.name}已于 "
                f"{household_held.delivered_on:%Y-%m-%d} 领取，不能再发给本户其他成员"
            )
    return ""


def household_delivery(campaign: Campaign, person_id: int):
    """The standing delivery of `campaign` to another member of the person's household
    (户), or None (also when the person has no household)."""
    from registry.models import Person

    household_id = Person.objects.filter(pk=person_id).values_list("household_id", flat=True).first()
    if household_id is None:
        return None
    return (
        CampaignDelivery.objects.standing()
        .filter(campaign=campaign, person__household_id=household_id)
        .exclude(person_id=person_id)
        .select_related("person")
        .first()
    )


# The living-alone watch (独居/无人照料) ---------------------------------------------------


class WatchRule(models.Model):
    """How often a watched person must be contacted: every `interval_days`, or every
    `short_interval_days` for a severe grade (1 to `severe_grade`) or an age of
    `elderly_age` and above. Local practice (DOMAIN.md: unverified), so data: one row,
    edited by the district administrator in the admin."""

    interval_days = models.PositiveSmallIntegerField("联系间隔（天）", default=30)
    short_interval_days = models.PositiveSmallIntegerField("重度或高龄的联系间隔（天）", default=14)
    severe_grade = models.PositiveSmallIntegerField("重度：残疾等级不高于", default=2)
    elderly_age = models.PositiveSmallIntegerField("高龄：年龄不低于", default=80)

    class Meta:
        verbose_name = "独居关爱联系规则"
        verbose_name_plural = "独居关爱联系规则"
        constraints = [
            models.CheckConstraint(
                condition=Q(interval_days__gte=1, short_interval_days__gte=1), name="outreach_watch_rule_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"每 {self.interval_days} 天；重度或高龄每 {self.short_interval_days} 天"

    @classmethod
    def current(cls) -> "WatchRule":
        return cls.objects.order_by("pk").first() or cls()


class WatchAssignment(models.Model):
    """Who is responsible for contacting a watched person (责任人). Kept when the person
    leaves the list (and used again if they rejoin); the list itself comes from the
    registry's flags."""

    person = models.OneToOneField(
        "registry.Person",
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name="outreach_watch",
        db_constraint=False,
    )
    worker = models.ForeignKey("accounts.User", verbose_name="责任人", on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField("区划代码", max_length=12)
    assigned_by = models.ForeignKey(
        "accounts.User", verbose_name="指定人", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    assigned_at = models.DateTimeField("指定时间")

    objects = ScopedManager()
    scope_field, scope_person_field = "area_code", "person"

    class Meta:
        verbose_name = "独居关爱责任人"
        verbose_name_plural = "独居关爱责任人"

    def __str__(self) -> str:
        return f"{self.person_id} {self.worker_id}"


class ContactMethod(models.TextChoices):
    VISIT = "visit", "上门探访"
    PHONE = "phone", "电话联系"
    NEIGHBOUR = "neighbour", "邻里报告"


class WatchContact(PersonRecord):
    """A contact with a watched person (探访、电话、邻里报告): the day, how, and what was
    found. Only for a person on the watch list now (active, flagged as living alone)."""

    person = person_field(related_name="outreach_contacts")  # served by (person, contacted_on, method)
    contacted_on = models.DateField("联系日期")
    method = models.CharField("联系方式", max_length=12, choices=ContactMethod.choices)
    note = models.CharField("情况", max_length=500, blank=True)

    date_field = "contacted_on"
    void_action = "outreach.contact.voided"

    class Meta:
        verbose_name = "独居关爱联系记录"
        verbose_name_plural = "独居关爱联系记录"
        ordering = ["-contacted_on", "-id"]
        permissions = [("void_watchcontact", "作废独居关爱联系记录")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "contacted_on", "method"], condition=STANDING, name="outreach_contact_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.contacted_on} {self.method}"

    def clean(self) -> None:
        from registry.models import Status

        person = self.person
        if person.status != Status.ACTIVE or not person.lives_alone:
            raise ValidationError("该人员不在独居（无人照料）关爱名单内，不能登记联系记录")
        if self.method not in ContactMethod.values:
            raise ValidationError("请选择联系方式")

    def duplicate_message(self) -> str:
        return f"该人员 {self.contacted_on:%Y-%m-%d} 已有“{self.get_method_display()}”的联系记录，请勿重复登记"


# Legal aid and rights (法律救助) ---------------------------------------------------------


class LegalMatter(models.TextChoices):
    MAINTENANCE = "maintenance", "赡养、抚养"
    PROPERTY = "property", "财产"
    EMPLOYMENT = "employment", "就业"
    GUARDIANSHIP = "guardianship", "监护"
    VIOLENCE = "violence", "暴力侵害"
    OTHER = "other", "其他"


class ApplicantRelation(models.TextChoices):
    SELF = "self", "本人"
    GUARDIAN = "guardian", "监护人"
    FAMILY = "family", "家庭成员"
    OTHER = "other", "其他"


class LegalCase(PersonRecord):
    """A legal-aid case (法律救助) of a disabled person: who applied (the person, a
    guardian or a family member), the matter, the legal-aid station or lawyer, its steps,
    the outcome and when it closed. A case of an intellectually or mentally disabled girl
    or woman is `protected` (set at intake from the person): it is shown only to users
    with `outreach.view_protected_legalcase`, wherever it is listed."""

    person = person_field(related_name="outreach_legal_cases")  # served by (person, opened_on)
    opened_on = models.DateField("受理日期")
    applicant_name = models.CharField("申请人", max_length=40)
    applicant_relation = models.CharField("申请人与当事人关系", max_length=10, choices=ApplicantRelation.choices)
    matter = models.CharField("事项", max_length=16, choices=LegalMatter.choices)
    description = models.CharField("案情摘要", max_length=1000, blank=True)
    handler = models.CharField("法律援助站或律师", max_length=100)
    protected = models.BooleanField("受保护案件", default=False, editable=False)
    outcome = models.CharField("结果", max_length=500, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)

    date_field = "opened_on"
    void_action = "outreach.legalcase.voided"

    def figure_days(self) -> set:
        """Counted when opened and when closed (法律救助结案数)."""
        return figure_days_of(self, "closed_on")

    class Meta:
        verbose_name = "法律救助案件"
        verbose_name_plural = "法律救助案件"
        ordering = ["-opened_on", "-id"]
        permissions = [
            ("void_legalcase", "作废法律救助案件"),
            ("view_protected_legalcase", "查看受保护的法律救助案件（智力、精神残疾妇女儿童）"),
        ]
        indexes = [
            models.Index(fields=["person", "opened_on"], name="outreach_legal_person_idx"),
            models.Index(fields=["area_code", "opened_on"], condition=STANDING, name="outreach_legal_area_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | ~Q(outcome=""), name="outreach_closed_case_has_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.opened_on} {self.matter}"

    def clean(self) -> None:
        if not self.applicant_name.strip():
            raise ValidationError("请填写申请人")
        if not self.handler.strip():
            raise ValidationError("请填写法律援助站或律师")
        if self.matter not in LegalMatter.values:
            raise ValidationError("请选择事项")
        if self.applicant_relation not in ApplicantRelation.values:
            raise ValidationError("请选择申请人与当事人的关系")


class LegalStep(models.Model):
    """A step of a case (咨询、调解、起诉、开庭…), dated, in words."""

    case = models.ForeignKey(LegalCase, verbose_name="案件", on_delete=models.PROTECT, related_name="steps")
    taken_on = models.DateField("日期")
    what = models.CharField("办理情况", max_length=500)
    recorded_by = models.ForeignKey("accounts.User", verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "案件办理步骤"
        verbose_name_plural = "案件办理步骤"
        ordering = ["taken_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.taken_on}"


class Lecture(models.Model):
    """A legal-education lecture for disabled persons (普法助残讲座), organised by a town or
    the district (`area_code`: its scope)."""

    held_on = models.DateField("日期")
    topic = models.CharField("主题", max_length=100)
    place = models.CharField("地点", max_length=100)
    speaker = models.CharField("主讲人", max_length=60)
    attendance = models.PositiveIntegerField("参加人数")
    area_code = models.CharField("举办单位区划", max_length=12)
    recorded_by = models.ForeignKey("accounts.User", verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope_field = "area_code"

    class Meta:
        verbose_name = "普法助残讲座"
        verbose_name_plural = "普法助残讲座"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["area_code", "held_on"], name="outreach_lecture_area_idx")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"


# Family-doctor contracts (家庭医生签约) ----------------------------------------------------

OPEN_CONTRACT = Q(ended_on__isnull=True)


class FamilyDoctorContract(PersonRecord):
    """A person's signed family-doctor contract (家庭医生签约): the doctor's institution
    (签约机构) and the day it was signed, until it ended (解约). Written only from the
    health department's list through the registry's data comparison (数据比对: kinds
    家庭医生签约 and 家庭医生解约, `outreach.family_doctor`), never typed in; a person has at
    most one contract in force, a renewal or a change of institution ends the previous
    one on the new one's day. Follows a person who moves (the new town counts them)."""

    person = person_field(related_name="outreach_doctor_contracts")  # served by (person, signed_on)
    institution = models.CharField("签约机构", max_length=100)
    signed_on = models.DateField("签约日期")
    ended_on = models.DateField("解约日期", null=True, blank=True)
    source = models.CharField("来源名单", max_length=60, blank=True)

    date_field = "signed_on"
    void_action = "outreach.doctor.voided"

    class Meta:
        verbose_name = "家庭医生签约"
        verbose_name_plural = "家庭医生签约"
        ordering = ["-signed_on", "-id"]
        permissions = [("void_familydoctorcontract", "作废家庭医生签约记录")]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=STANDING & OPEN_CONTRACT, name="outreach_one_doctor_contract"
            ),
            models.CheckConstraint(
                condition=OPEN_CONTRACT | Q(ended_on__gte=models.F("signed_on")), name="outreach_contract_ends_after"
            ),
        ]
        indexes = [models.Index(fields=["person", "signed_on"], name="outreach_contract_person_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.institution} {self.signed_on}"


# Home services (上门服务) ---------------------------------------------------------------


class HomeServiceKind(models.TextChoices):
    """What a home service does (上门服务的类别)."""

    CLEANING = "cleaning", "保洁"
    REPAIR = "repair", "家电维修"
    COUNSELLING = "counselling", "心理疏导"
    OTHER = "other", "其他"


class HomeServiceRequest(PersonRecord):
    """A request for a service at a person's home (上门服务): asked for on a day by someone
    (the person, a relative, the community), with a day it should be done by; assigned to
    a user or to a named provider (a cleaning company, a repairman); done on a day with what
    was done; then the person's feedback. A request still not done after `due_on` is overdue
    and on the town's work list. It follows the person: after a move, the new town serves."""

    person = person_field(related_name="outreach_home_services")  # served by (person, requested_on)
    kind = models.CharField("服务类别", max_length=16, choices=HomeServiceKind.choices)
    requested_on = models.DateField("申请日期")
    requested_by = models.CharField("申请人", max_length=40, help_text="本人、家属或村(居)等")
    what = models.CharField("服务需求", max_length=500)
    due_on = models.DateField("应完成日期")
    assigned_to = models.ForeignKey(
        "accounts.User", verbose_name="服务人员", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider = models.CharField("服务机构或人员", max_length=100, blank=True)
    assigned_on = models.DateField("派单日期", null=True, blank=True)
    done_on = models.DateField("完成日期", null=True, blank=True)
    done_what = models.CharField("服务情况", max_length=500, blank=True)
    satisfied = models.BooleanField("是否满意", null=True, blank=True)
    feedback = models.CharField("服务对象意见", max_length=500, blank=True)
    feedback_on = models.DateField("反馈日期", null=True, blank=True)

    date_field = "requested_on"

    def figure_days(self) -> set:
        """Counted when done (上门服务完成人次)."""
        return figure_days_of(self, "done_on")

    void_action = "outreach.homeservice.voided"

    class Meta:
        verbose_name = "上门服务"
        verbose_name_plural = "上门服务"
        ordering = ["-requested_on", "-id"]
        permissions = [
            ("void_homeservicerequest", "作废上门服务"),
            ("export_homeservicerequests", "导出上门服务"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("requested_on")), name="outreach_home_service_due_after_request"
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | ~Q(done_what=""), name="outreach_home_service_done_says_what"
            ),
            models.CheckConstraint(
                condition=Q(satisfied__isnull=True) | Q(done_on__isnull=False),
                name="outreach_home_service_feedback_after_done",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "requested_on"], name="outreach_service_person_idx"),
            # The town's open requests, by the day they are due (the work list).
            models.Index(
                fields=["area_code", "due_on"],
                condition=STANDING & Q(done_on__isnull=True),
                name="outreach_service_open_idx",
            ),
            models.Index(fields=["done_on", "area_code"], condition=STANDING, name="outreach_service_done_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.requested_on} {self.kind}"

    @property
    def state(self) -> str:
        if self.voided_at is not None:
            return "已作废"
        if self.done_on is not None:
            return "已完成"
        return "已派单" if self.is_assigned else "待派单"

    @property
    def is_assigned(self) -> bool:
        return self.assigned_to_id is not None or bool(self.provider)

    @property
    def assignee(self) -> str:
        names = [self.assigned_to.display_name] if self.assigned_to_id else []
        return "、".join([*names, *([self.provider] if self.provider else [])])

    def overdue_days(self, today: datetime.date) -> int:
        """Days past the due day of a standing request not yet done (0 if not overdue)."""
        if self.voided_at is not None or self.done_on is not None:
            return 0
        return max((today - self.due_on).days, 0)

    def clean(self) -> None:
        if self.kind not in HomeServiceKind.values:
            raise ValidationError("请选择服务类别")
        if not self.requested_by.strip():
            raise ValidationError("请填写申请人")
        if not self.what.strip():
            raise ValidationError("请填写服务需求")
        if self.due_on is None:
            raise ValidationError("请填写应完成日期")
        if self.due_on < self.requested_on:
            raise ValidationError("应完成日期不能早于申请日期")


# Psychological services (心理服务) ---------------------------------------------------------


class ClientKind(models.TextChoices):
    """Who a psychological case is for: a registered person, or someone not in the registry."""

    PERSON = "person", "持证残疾人"
    FAMILY = "family", "残疾人家庭成员"
    STAFF = "staff", "残联工作人员"
    OTHER = "other", "其他人员"


class SessionKind(models.TextChoices):
    INDIVIDUAL = "individual", "个体"
    GROUP = "group", "团体"
    HOTLINE = "hotline", "热线"


class PsychCaseQuerySet(ScopedQuerySet):
    def standing(self) -> "PsychCaseQuerySet":
        return self.filter(STANDING)


class PsychCase(models.Model):
    """A psychological-service case (心理服务个案) of one client and the counsellor
    (心理咨询师) who serves them. The client is a registered person (`person`) or a named
    other: a family member of a registered person (`related_person`, `relationship`), a
    federation worker, someone else. Its `area_code` is its town: the person's, else the
    related person's, else the town of the user who opened it. Officers of that town see
    that the case exists; the counsellor sees it through the counsellor scope provider
    (`outreach.psych.counsellor_provider`); the sessions' notes only counsellors read.
    Voided, never deleted."""

    person = models.ForeignKey(
        "registry.Person",
        verbose_name="服务对象（持证残疾人）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outreach_psych_cases",
        db_index=False,  # served by (person, opened_on)
        db_constraint=False,
    )
    client_kind = models.CharField("服务对象类别", max_length=8, choices=ClientKind.choices)
    client_name = models.CharField("服务对象姓名", max_length=40, blank=True)
    related_person = models.ForeignKey(
        "registry.Person",
        verbose_name="相关残疾人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    relationship = models.CharField("与残疾人关系", max_length=20, blank=True)
    area_code = models.CharField("区划代码", max_length=12, editable=False)
    counsellor = models.ForeignKey(
        "accounts.User", verbose_name="心理咨询师", on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField("建档日期")
    closed_on = models.DateField("结案日期", null=True, blank=True)
    # Of the latest standing session, kept by the session service: the work list and the
    # lists read them without a subquery.
    last_session_on = models.DateField("最近会谈日期", null=True, blank=True, editable=False)
    at_risk = models.BooleanField("有风险", default=False, editable=False)
    recorded_by = models.ForeignKey("accounts.User", verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        "accounts.User", verbose_name="作废人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    void_reason = models.CharField("作废原因", max_length=200, blank=True)

    objects = PsychCaseQuerySet.as_manager()
    scope_field, scope_person_field, scope_counsellor_field = "area_code", "person", "counsellor"
    # What `canlian.records.record_void` reads of a record.
    date_field, void_action = "opened_on", "outreach.psychcase.voided"

    class Meta:
        verbose_name = "心理服务个案"
        verbose_name_plural = "心理服务个案"
        ordering = ["-opened_on", "-id"]
        permissions = [("void_psychcase", "作废心理服务个案")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(client_kind="person") | Q(person__isnull=False), name="outreach_psych_person_client"
            ),
            models.CheckConstraint(
                condition=Q(client_kind="person") | ~Q(client_name=""), name="outreach_psych_named_client"
            ),
        ]
        indexes = [
            models.Index(fields=["person", "opened_on"], name="outreach_psych_person_idx"),
            models.Index(fields=["area_code", "opened_on"], condition=STANDING, name="outreach_psych_area_idx"),
            models.Index(fields=["counsellor", "opened_on"], condition=STANDING, name="outreach_psych_counsel_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.client_kind} {self.opened_on}"

    def figure_days(self) -> set:
        """Its sessions stop counting with it (心理服务人次)."""
        return figure_days_of(self, related=("sessions", "held_on"))

    @property
    def client_label(self) -> str:
        """The client in words, for a user who may see the case (the registered person's
        name comes through the page's PersonView, not here)."""
        if self.client_kind == ClientKind.FAMILY and self.relationship:
            return f"{self.client_name}（{self.get_client_kind_display()}，{self.relationship}）"
        return f"{self.client_name}（{self.get_client_kind_display()}）"


class PsychSessionQuerySet(ScopedQuerySet):
    def standing(self) -> "PsychSessionQuerySet":
        return self.filter(STANDING)


class PsychSession(models.Model):
    """One session of a case (心理咨询记录): when, by which counsellor, individual, group or
    hotline, the notes (read only by users with `outreach.view_psychsession_notes`, which
    only the counsellor role holds), a risk flag and a referral (转介) in words."""

    case = models.ForeignKey(PsychCase, verbose_name="个案", on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField("会谈日期")
    counsellor = models.ForeignKey(
        "accounts.User", verbose_name="心理咨询师", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("服务方式", max_length=12, choices=SessionKind.choices)
    notes = models.TextField("咨询记录", max_length=4000, blank=True)
    at_risk = models.BooleanField("有风险", default=False)
    referral = models.CharField("转介", max_length=200, blank=True, help_text="如转介精神专科医院、社工机构")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        "accounts.User", verbose_name="作废人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    void_reason = models.CharField("作废原因", max_length=200, blank=True)

    objects = PsychSessionQuerySet.as_manager()
    scope_field, scope_person_field, scope_counsellor_field = "case__area_code", "case__person", "case__counsellor"

    class Meta:
        verbose_name = "心理咨询记录"
        verbose_name_plural = "心理咨询记录"
        ordering = ["held_on", "id"]
        permissions = [
            ("void_psychsession", "作废心理咨询记录"),
            ("view_psychsession_notes", "查看心理咨询记录的内容"),
        ]
        indexes = [models.Index(fields=["held_on"], condition=STANDING, name="outreach_session_date_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_on}"
