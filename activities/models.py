"""Activities (活动) and who took part, the "five ones" (五个一) of each person's year, and the
five special associations (专门协会) with their members.

- An `Activity` is organised by the district, a town, a centre (in a town; `centre`, a care
  institution) or one of the associations. Its `area` is the organiser's: a town for a town's
  or a centre's activity (the centre's town),
  the district for the district's and the associations'. A town's activity is seen by that
  town and the district; the district's and the associations' by every user with an area
  (a scope provider of this app, `activities.apps`), since every town brings its persons.
- A `Participation` is a person record (`canlian.records.PersonRecord`): scoped by the
  person's community, so an officer sees the names of their own town's participants and
  only a count of the others.
- A `FiveOneRecord` is one of the five cultural things a person did in a year, from a
  文化进家园 activity (its `five_one` names which) or recorded directly; one of each a year.
- A `Membership` is a person's place in an association, with a position (主席…会员); it
  ends with a date when the person leaves.

Records are never edited: a mistaken one is voided (作废) with who, when and why.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from canlian.records import STANDING, PersonRecord, person_field
from canlian.scoping import ScopedManager
from care.models import InstitutionKind


class ActivityKind(models.TextChoices):
    DISABILITY_DAY = "disability_day", "助残日主题活动"
    PARTY = "party", "党建专题"
    FIVE_ONES = "five_ones", "文化进家园“五个一”"
    OPEN_DAY = "open_day", "康园中心开放日"
    CHILDRENS_DAY = "childrens_day", "六一儿童节"
    ASSOCIATION = "association", "专门协会活动"
    TOWN_DAY = "town_day", "镇街助残日活动"
    LEGAL = "legal", "普法讲座"
    PUBLICITY = "publicity", "宣传"
    OTHER = "other", "其他"


class Organiser(models.TextChoices):
    DISTRICT = "district", "区残联"
    TOWN = "town", "镇(街)残联"
    CENTRE = "centre", "康园中心"
    ASSOCIATION = "association", "专门协会"


# Organisers whose activities are the whole district's (their area is the district).
DISTRICT_WIDE = (Organiser.DISTRICT, Organiser.ASSOCIATION)
# The care institutions that organise a centre's activities (康园中心, and the adult day care
# for intellectual disability and autism); migration 0003 names them too.
CENTRE_KINDS = (InstitutionKind.CENTRE, InstitutionKind.ADULT_DAY_CARE)


class FiveOne(models.TextChoices):
    """The five ones (五个一) of 文化进家园: what a person does once in a year."""

    BOOK = "book", "读一本书"
    FILM = "film", "看一次电影"
    PARK = "park", "游一次园"
    EXHIBITION = "exhibition", "参观一次展览"
    CULTURE = "culture", "参加一个文化活动"


class Association(models.Model):
    """One of the five special associations of disabled persons (专门协会). Local data
    (migration 0002), edited in the admin: which disability categories its members have,
    and the leaders who are not registered persons (relatives, for 智协 and 精协)."""

    code = models.CharField("代码", max_length=16, unique=True)
    short_name = models.CharField("简称", max_length=10)
    name = models.CharField("名称", max_length=40)
    categories = models.JSONField(
        "会员残疾类别", default=list, help_text="残疾类别代码列表（1 视力 … 6 精神）；多重残疾可加入任一协会"
    )
    other_leaders = models.CharField(
        "其他负责人", max_length=200, blank=True, help_text="不是持证残疾人的负责人，如亲友代表：姓名及职务"
    )
    order = models.PositiveSmallIntegerField("排序", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "专门协会"
        verbose_name_plural = "专门协会"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.short_name

    @property
    def category_labels(self) -> list[str]:
        from registry.models import Category

        return [Category(code).label for code in self.categories]


class Activity(models.Model):
    """An activity: what, when, where, who organised it, and how many others (volunteers,
    family members, online viewers) took part besides the registered persons."""

    code = models.CharField("活动编号", max_length=12, unique=True, editable=False)
    name = models.CharField("活动名称", max_length=100)
    kind = models.CharField("活动类型", max_length=16, choices=ActivityKind.choices)
    five_one = models.CharField(
        "“五个一”项目", max_length=12, choices=FiveOne.choices, blank=True, help_text="文化进家园活动是五个一中的哪一项"
    )
    organiser = models.CharField("主办方", max_length=12, choices=Organiser.choices)
    area = models.ForeignKey(
        "areas.Area", verbose_name="主办区划", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    association = models.ForeignKey(
        Association,
        verbose_name="主办协会",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        db_index=False,
    )
    centre = models.ForeignKey(
        "care.Institution",
        verbose_name="主办康园中心",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        db_index=False,  # served by activity_centre_date_idx
        help_text="康园中心主办的活动：从托养机构中选择",
    )
    # The centre as text, from before the link (migration 0003): kept only where it named
    # no institution, shown marked until someone picks the centre.
    centre_name = models.CharField(
        "原登记的康园中心",
        max_length=60,
        blank=True,
        help_text="关联托养机构之前以文字登记、未能对应到机构的康园中心；选定主办康园中心后清空",
    )
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    online = models.BooleanField("线上活动", default=False)
    place = models.CharField("活动地点", max_length=100, blank=True)
    volunteers = models.PositiveIntegerField("志愿者人数", default=0)
    family_members = models.PositiveIntegerField("家属人数", default=0)
    online_viewers = models.PositiveIntegerField("线上观看人数", default=0)
    description = models.TextField("活动内容", blank=True, max_length=2000)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name="登记人", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = ScopedManager()
    # `area_id` is the code (the area's primary key): a prefix of it, no join.
    scope_field = "area__code"

    class Meta:
        verbose_name = "活动"
        verbose_name_plural = "活动"
        ordering = ["-starts_on", "-id"]
        permissions = [("export_activities", "导出活动列表")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="activity_ends_after_start"),
        ]
        indexes = [
            # A scope's list, newest first, and a year's figures per organiser area.
            models.Index(fields=["area", "starts_on"], name="activity_area_date_idx"),
            models.Index(fields=["starts_on", "id"], name="activity_date_idx"),
            # A centre's activities of a year (its page, targets.centre).
            models.Index(
                fields=["centre", "starts_on"], condition=Q(centre__isnull=False), name="activity_centre_date_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_district_wide(self) -> bool:
        return self.organiser in DISTRICT_WIDE

    @property
    def others(self) -> int:
        return self.volunteers + self.family_members + self.online_viewers

    @property
    def organiser_label(self) -> str:
        """Who organised it, as the pages say it: 区残联, 白沙街道残联, 盲协, 某康园中心."""
        if self.organiser == Organiser.ASSOCIATION and self.association_id:
            return self.association.name
        if self.organiser == Organiser.CENTRE:
            return self.centre_label
        if self.organiser == Organiser.TOWN:
            return f"{self.area.name}残联"
        return "区残联"

    @property
    def centre_label(self) -> str:
        """The organising centre's name, or the text registered before the link, marked."""
        if self.centre_id:
            return self.centre.name
        if self.centre_name:
            return f"{self.centre_name}（未关联康园中心）"
        return ""

    @property
    def dates_label(self) -> str:
        if self.ends_on == self.starts_on:
            return f"{self.starts_on:%Y-%m-%d}"
        return f"{self.starts_on:%Y-%m-%d} 至 {self.ends_on:%Y-%m-%d}"

    @property
    def place_label(self) -> str:
        if self.online:
            return f"线上（{self.place}）" if self.place else "线上"
        return self.place


class Participation(PersonRecord):
    """A registered person took part in an activity (one person-time, 人次), on a day of it.
    Scoped by the person's community, which it follows when the person moves: it is what
    the person did (their five ones and their history), not the work of a town — the
    activity's organiser says whose work it was."""

    person = person_field(related_name="activity_participations")  # served by the unique (person, activity)
    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.PROTECT, related_name="participations", db_index=False
    )
    attended_on = models.DateField("参加日期")
    note = models.CharField("备注", max_length=200, blank=True)

    date_field = "attended_on"
    void_action = "activities.participation.voided"

    class Meta:
        verbose_name = "活动参加记录"
        verbose_name_plural = "活动参加记录"
        ordering = ["-attended_on", "-id"]
        permissions = [
            ("void_participation", "作废活动参加记录"),
            ("export_participations", "导出活动参加人员"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "activity"], condition=STANDING, name="activities_participation_once"
            ),
        ]
        indexes = [
            # An activity's participants, those of a scope first.
            models.Index(fields=["activity", "area_code"], condition=STANDING, name="participation_activity_idx"),
            # A town's figures of a year.
            models.Index(fields=["area_code", "attended_on"], condition=STANDING, name="participation_area_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.activity_id}"

    def clean(self) -> None:
        activity = self.activity
        if not activity.starts_on <= self.attended_on <= activity.ends_on:
            raise ValidationError(f"参加日期应在活动日期（{activity.dates_label}）之内")

    def duplicate_message(self) -> str:
        return f"{self.person.name}已在本活动的参加人员中，请勿重复添加"


class FiveOneRecord(PersonRecord):
    """One of the five ones done by a person in a year: from a 文化进家园 activity (`activity`
    set, written with the participation and voided with it) or recorded directly."""

    person = person_field(related_name="five_ones")  # served by the unique (person, year, item)
    item = models.CharField("“五个一”项目", max_length=12, choices=FiveOne.choices)
    year = models.PositiveSmallIntegerField("年度")
    done_on = models.DateField("完成日期")
    activity = models.ForeignKey(
        Activity,
        verbose_name="来自活动",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    note = models.CharField("备注", max_length=200, blank=True)

    date_field = "done_on"
    void_action = "activities.fiveone.voided"

    class Meta:
        verbose_name = "“五个一”记录"
        verbose_name_plural = "“五个一”记录"
        ordering = ["-done_on", "-id"]
        permissions = [
            ("void_fiveonerecord", "作废“五个一”记录"),
            ("export_fiveonerecords", "导出“五个一”完成情况"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year", "item"], condition=STANDING, name="activities_five_one_once_a_year"
            ),
            models.CheckConstraint(condition=Q(done_on__year=models.F("year")), name="activities_five_one_in_year"),
        ]
        indexes = [
            models.Index(fields=["year", "area_code"], condition=STANDING, name="five_one_year_area_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year} {self.item}"

    def duplicate_message(self) -> str:
        return f"该人员 {self.year} 年已完成“{self.get_item_display()}”，请勿重复登记"


class Position(models.TextChoices):
    CHAIR = "chair", "主席"
    VICE_CHAIR = "vice_chair", "副主席"
    SECRETARY = "secretary", "秘书长"
    COMMITTEE = "committee", "委员"
    MEMBER = "member", "会员"


LEADING = (Position.CHAIR, Position.VICE_CHAIR, Position.SECRETARY, Position.COMMITTEE)
CURRENT = STANDING & Q(left_on__isnull=True)


class Membership(PersonRecord):
    """A person's membership of a special association, with their position; `left_on` ends
    it (a later membership can start again). Scoped by the person's community."""

    person = person_field(related_name="association_memberships")  # served by the unique (person, association)
    association = models.ForeignKey(
        Association, verbose_name="协会", on_delete=models.PROTECT, related_name="memberships", db_index=False
    )
    position = models.CharField("职务", max_length=12, choices=Position.choices, default=Position.MEMBER)
    joined_on = models.DateField("入会日期")
    left_on = models.DateField("离会日期", null=True, blank=True, editable=False)

    date_field = "joined_on"
    void_action = "activities.membership.voided"

    class Meta:
        verbose_name = "协会会员"
        verbose_name_plural = "协会会员"
        ordering = ["association_id", "-joined_on", "-id"]
        permissions = [("void_membership", "作废协会会员记录")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "association"], condition=CURRENT, name="activities_membership_current_once"
            ),
            models.UniqueConstraint(
                fields=["association"],
                condition=CURRENT & Q(position=Position.CHAIR),
                name="activities_membership_one_chair",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="activities_membership_left_after_joined",
            ),
        ]
        indexes = [
            models.Index(fields=["association", "area_code"], condition=STANDING, name="membership_association_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.association_id} {self.position}"

    def clean(self) -> None:
        """The person's disability fits the association (multiple disability fits any), and
        an association has one chair at a time."""
        association = self.association
        category = self.person.category
        if association.categories and category != 7 and category not in association.categories:
            raise ValidationError(f"该人员的残疾类别为{self.person.get_category_display()}，不能加入{association.name}")
        chairs = Membership.objects.filter(CURRENT, association=association, position=Position.CHAIR)
        # Not the chair's name: they may be a person of another town.
        if self.position == Position.CHAIR and chairs.exists():
            raise ValidationError(f"{association.name}已有主席，请先登记现任主席离任")

    def duplicate_message(self) -> str:
        return f"{self.person.name}已是{self.association.name}的会员，请勿重复登记"
