"""Certified disabled persons (持证残疾人) and the events that change them.

A person's row holds their *current* state. Every change that matters for benefits —
death, moving out, cancellation, grade or category change on re-assessment, economic
status, certificate renewal — is a `PersonEvent` with the date it took effect and the
value before and after, so the state on any past date can be read back (the value of a
field on day D is the `old_value` of its earliest event after D, else the current one).
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from canlian.scoping import ScopedManager, ScopedQuerySet
from registry.identifiers import CATEGORY_NAMES, GRADE_NAMES


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Category(models.IntegerChoices):
    VISUAL = 1, CATEGORY_NAMES[1]
    HEARING = 2, CATEGORY_NAMES[2]
    SPEECH = 3, CATEGORY_NAMES[3]
    PHYSICAL = 4, CATEGORY_NAMES[4]
    INTELLECTUAL = 5, CATEGORY_NAMES[5]
    MENTAL = 6, CATEGORY_NAMES[6]
    MULTIPLE = 7, CATEGORY_NAMES[7]


class Grade(models.IntegerChoices):
    ONE = 1, GRADE_NAMES[1]
    TWO = 2, GRADE_NAMES[2]
    THREE = 3, GRADE_NAMES[3]
    FOUR = 4, GRADE_NAMES[4]


class EconomicStatus(models.TextChoices):
    NONE = "none", "无"
    DIBAO = "dibao", "低保"
    NEAR_DIBAO = "near_dibao", "低保边缘"
    TEKUN = "tekun", "特困"


class Status(models.TextChoices):
    ACTIVE = "active", "正常"
    DECEASED = "deceased", "死亡"
    MOVED_OUT = "moved_out", "迁出"
    CANCELLED = "cancelled", "证件注销"
    # A second registration of someone registered already, merged into that row
    # (`registry.duplicates.persons_merge`): kept, with its history, never listed as active.
    MERGED = "merged", "已合并"


class PersonQuerySet(ScopedQuerySet):
    """Persons; `visible_to(user)`: those registered in the user's area and below, and
    whom another scope provider grants."""


class Person(models.Model):
    name = models.CharField("姓名", max_length=40)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    id_number = models.CharField("公民身份号码", max_length=18, unique=True)
    birth_date = models.DateField("出生日期")
    certificate_number = models.CharField("残疾人证号", max_length=22, unique=True)
    category = models.PositiveSmallIntegerField("残疾类别", choices=Category.choices)
    grade = models.PositiveSmallIntegerField("残疾等级", choices=Grade.choices)
    certificate_issued = models.DateField("发证日期", null=True, blank=True)
    certificate_valid_until = models.DateField("有效期至", null=True, blank=True, help_text="留空表示长期有效")
    # The area foreign key is the 12-digit code itself, so scoping is a prefix match. The
    # database checks it by triggers of our own (registry 0014), one set-based check per
    # statement, not a constraint: a constraint checks each of an import's 100,000 rows
    # again by itself at the commit (0.6 s at 10^6).
    area = models.ForeignKey(
        "areas.Area",
        verbose_name="户籍村(居)",
        on_delete=models.PROTECT,
        related_name="persons",
        db_index=False,
        db_constraint=False,
    )
    address = models.CharField("现住址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    guardian_name = models.CharField("监护人姓名", max_length=40, blank=True)
    guardian_phone = models.CharField("监护人电话", max_length=20, blank=True)
    economic_status = models.CharField(
        "经济状况", max_length=16, choices=EconomicStatus.choices, default=EconomicStatus.NONE
    )
    lives_alone = models.BooleanField("独居/无人照料", default=False)
    bank_name = models.CharField("开户银行", max_length=60, blank=True)
    bank_account = models.CharField("银行账号", max_length=32, blank=True)
    status = models.CharField("人员状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)
    status_date = models.DateField("状态日期", null=True, blank=True)
    flags = models.JSONField("提示", default=list, blank=True)
    # Set on a person merged as a duplicate: the row their records moved to. No index (a
    # handful of rows, read from the merged person's page) and no constraint, like the
    # records' person: persons are never deleted.
    merged_into = models.ForeignKey(
        "self",
        verbose_name="已合并到",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # The household (户) the person is registered in, and their relationship to its head.
    household = models.ForeignKey(
        "registry.Household",
        verbose_name="户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    relationship_to_head = models.CharField("与户主关系", max_length=20, blank=True, default="", db_default="")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # The history is read by person (its `id`) and date only: the copies of the person's
    # unique and area indexes would cost every import row six index writes for nothing.
    # Its user is an audit note, not a relation to keep (users are deactivated, never
    # deleted): a constraint would check the same user again for every row of an import
    # when it commits (100,000 rows: 0.4 s).
    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        no_db_index=["id_number", "certificate_number", "area"],
        user_db_constraint=False,
    )
    objects = PersonQuerySet.as_manager()
    # "area__code", not "area_id": the filter the person list's indexes were tuned on.
    scope_field = "area__code"
    scope_person_field = "pk"

    class Meta:
        verbose_name = "持证残疾人"
        verbose_name_plural = "持证残疾人"
        ordering = ["area_id", "name", "id"]
        permissions = [
            ("view_personal_data", "查看姓名、住址等个人信息"),
            ("reveal_identifiers", "查看完整身份证号、电话和银行账号"),
            ("export_persons", "导出人员名单"),
            ("import_persons", "导入人员名单"),
        ]
        indexes = [
            models.Index(fields=["name"], name="person_name_prefix_idx", opclasses=["varchar_pattern_ops"]),
            # The list's default order: the first page and page 1,000 are index walks, and
            # with the filtered columns after the order's, a filtered deep page picks its
            # ids from the index alone (canlian.pagination). Key columns, not INCLUDE: SQLite
            # has no INCLUDE. The jurisdiction (an area-code prefix) is also written as a
            # range (canlian.prefix), which this index seeks to under any collation; so is
            # the prefix search on the ID and certificate numbers, served by their unique
            # indexes (migration 0010 drops the `_like` twins Django makes on PostgreSQL).
            models.Index(
                fields=["area", "name", "id", "status", "category", "grade", "economic_status", "lives_alone"],
                name="person_list_idx",
            ),
            # Eligibility of the persons unchanged since the day (benefits.rules) under a
            # rule that selects by economic status (living: ~15% of the registry): an
            # index-only range scan of the rule's columns instead of the whole, wide table.
            # Partial: the ~80% with no economic status are in no such rule's range (a rule
            # that takes half the registry, nursing, reads the table in parallel anyway),
            # and left out the index is a sixth of the size, so an import's new persons,
            # each written into it at its own random place, no longer push the other
            # indexes out of the buffer cache (10^6: 91 -> 14 MB; 100,000 new rows 0.9 s less).
            models.Index(
                fields=[
                    "status",
                    "economic_status",
                    "grade",
                    "category",
                    "certificate_issued",
                    "certificate_valid_until",
                    "area",
                    "id",
                ],
                name="person_eligibility_idx",
                condition=~Q(economic_status=EconomicStatus.NONE),
            ),
            # The work list's certificate renewals (registry.selectors.certificates_for_renewal),
            # on every officer's home page: a range of end dates, read from the index alone
            # instead of two scans of the whole registry. Partial: long-term certificates
            # (no end date) and inactive persons are never due.
            models.Index(
                fields=["certificate_valid_until", "area", "id"],
                name="person_renewal_idx",
                condition=Q(status=Status.ACTIVE, certificate_valid_until__isnull=False),
            ),
            # The living-alone watch (outreach.watch: the watch page, the work list's
            # contacts due): the scope's watched persons with what their contact interval
            # needs, from the index alone, instead of the scope's whole range of the list
            # index and its rows (10^6, largest town: 185 -> 49 ms). Partial: ~3% of persons.
            models.Index(
                fields=["area", "id", "grade", "birth_date"],
                name="person_watch_idx",
                condition=Q(status=Status.ACTIVE, lives_alone=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(category__gte=1, category__lte=7), name="person_category_1_7"),
            models.CheckConstraint(condition=Q(grade__gte=1, grade__lte=4), name="person_grade_1_4"),
            models.CheckConstraint(
                condition=Q(status="active") | Q(status_date__isnull=False),
                name="person_inactive_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def town_code(self) -> str:
        return self.area_id[:9] + "000"

    @property
    def is_severe(self) -> bool:
        return self.grade in (1, 2)

    def age_on(self, day: datetime.date) -> int:
        """Full years of age on `day`."""
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class PersonCount(models.Model):
    """How many persons each community holds, by status, category, grade, economic status
    and living alone: the list's total (共 N 人) without counting a million rows. Not a cache: database triggers
    (migrations 0006, 0008) change it in the same statement as every insert, update, delete, COPY
    or TRUNCATE of `registry_person`, whatever wrote it (a service, `bulk_create`, `update()`,
    the import's COPY, raw SQL). Never written by the application."""

    area = models.ForeignKey(
        "areas.Area",
        verbose_name="村(居)",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    status = models.CharField("人员状态", max_length=16, choices=Status.choices)
    category = models.PositiveSmallIntegerField("残疾类别", choices=Category.choices)
    grade = models.PositiveSmallIntegerField("残疾等级", choices=Grade.choices)
    economic_status = models.CharField(
        "经济状况", max_length=16, choices=EconomicStatus.choices, default=EconomicStatus.NONE
    )
    lives_alone = models.BooleanField("独居/无人照料", default=False)
    persons = models.IntegerField("人数", default=0)

    objects = ScopedManager()
    scope_field = "area__code"

    # The person list's filters that these columns answer (registry.selectors): all but
    # the search.
    COUNTED_FILTERS = frozenset({"town", "community", "status", "category", "grade", "economic_status", "lives_alone"})

    class Meta:
        verbose_name = "人数统计"
        verbose_name_plural = "人数统计"
        constraints = [
            models.UniqueConstraint(
                fields=["area", "status", "category", "grade", "economic_status", "lives_alone"],
                name="person_count_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.status} {self.category} {self.grade} {self.economic_status}: {self.persons}"


class EventKind(models.TextChoices):
    DEATH = "death", "死亡"
    MOVED_OUT = "moved_out", "迁出"
    CANCELLED = "cancelled", "证件注销"
    RESTORED = "restored", "恢复正常"
    GRADE = "grade", "等级变更"
    CATEGORY = "category", "类别变更"
    ECONOMIC = "economic", "经济状况变更"
    RENEWAL = "renewal", "证件换发"
    # Recorded by a merge only (`registry.duplicates`), never by a form or a list.
    MERGED = "merged", "合并"


# Which field of Person each kind of event changes.
EVENT_FIELD = {
    EventKind.DEATH: "status",
    EventKind.MOVED_OUT: "status",
    EventKind.CANCELLED: "status",
    EventKind.RESTORED: "status",
    EventKind.GRADE: "grade",
    EventKind.CATEGORY: "category",
    EventKind.ECONOMIC: "economic_status",
    EventKind.RENEWAL: "certificate_valid_until",
    EventKind.MERGED: "status",
}
STATUS_OF_EVENT = {
    EventKind.DEATH: Status.DECEASED,
    EventKind.MOVED_OUT: Status.MOVED_OUT,
    EventKind.CANCELLED: Status.CANCELLED,
    EventKind.RESTORED: Status.ACTIVE,
    EventKind.MERGED: Status.MERGED,
}


class PersonEvent(models.Model):
    """A dated change of one field of a person. `old_value` and `new_value` are the field's
    value before and after, as text; the chain per (person, field) is kept consistent by
    `registry.services.person_event_record`."""

    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.CASCADE, related_name="events")
    # The person's area when the event was recorded: every large table carries the area
    # code, so that a distributed database can place events with their person (docs/scaling.md).
    area_code = models.CharField("区划代码", max_length=12, editable=False)
    kind = models.CharField("事件", max_length=16, choices=EventKind.choices)
    field = models.CharField("字段", max_length=32, editable=False)
    date = models.DateField("生效日期")
    old_value = models.CharField("原值", max_length=32, blank=True)
    new_value = models.CharField("新值", max_length=32, blank=True)
    reason = models.CharField("原因", max_length=200, blank=True)
    source = models.CharField("来源", max_length=60, blank=True, help_text="如：手工录入、数据比对文件名")
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "状态事件"
        verbose_name_plural = "状态事件"
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["person", "field", "date"], name="event_person_field_date_idx"),
            # "Who changed since day D" for reading the state on D (benefits.rules).
            models.Index(fields=["date", "person"], name="event_date_person_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "date", "new_value"],
                name="event_once_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"

    def value_label(self, text: str) -> str:
        """A stored value as users name it: 三级 for "3", 低保 for "dibao", 长期 for no
        expiry date; the codes are for the rules, never for a page or a file."""
        if self.field == "certificate_valid_until":
            return text or "长期"
        choices = dict(Person._meta.get_field(self.field).choices or ())
        return str(next((label for code, label in choices.items() if str(code) == text), text or "—"))

    @property
    def old_value_label(self) -> str:
        return self.value_label(self.old_value)

    @property
    def new_value_label(self) -> str:
        return self.value_label(self.new_value)


class ChangeRequest(models.Model):
    """A request to change a key field of a person (变更申请): the bank account, the
    household registration area (户籍), the guardian, or the economic status outside a
    comparison list. Made by a town officer with evidence, decided by a district reviewer
    who is not the requester, applied on approval (`registry.changes`); until then the old
    value is in force. `old_value` and `new_value` hold the fields of the request's `field`
    (e.g. {"bank_name": …, "bank_account": …}) as text."""

    class Field(models.TextChoices):
        BANK = "bank", "银行账户"
        AREA = "area", "户籍村(居)"
        GUARDIAN = "guardian", "监护人"
        ECONOMIC = "economic", "经济状况"

    class State(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "不予批准"

    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="change_requests")
    field = models.CharField("变更事项", max_length=16, choices=Field.choices)
    old_value = models.JSONField("原值", default=dict)
    new_value = models.JSONField("新值", default=dict)
    effective_on = models.DateField("生效日期", null=True, blank=True, help_text="经济状况变更的生效日期")
    reason = models.CharField("申请理由", max_length=200)
    evidence = models.FileField("证明材料", upload_to="change_requests/%Y/%m/")
    evidence_name = models.CharField("材料文件名", max_length=120)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey("accounts.User", verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    # The day, for the work list's date due (a date plus the review days).
    requested_on = models.DateField("申请日期", default=timezone.localdate)
    decided_by = models.ForeignKey(
        "accounts.User", verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_reason = models.CharField("审核意见", max_length=200, blank=True)

    objects = ScopedManager()
    # The person's area of today: a request follows its person when an approved move
    # takes them to another town, as their other records do.
    scope_field, scope_person_field = "person__area__code", "person"

    class Meta:
        verbose_name = "变更申请"
        verbose_name_plural = "变更申请"
        ordering = ["-requested_at", "-id"]
        permissions = [("decide_changerequest", "审核变更申请")]
        indexes = [models.Index(fields=["state", "requested_at"], name="change_request_state_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "field"], condition=Q(state="pending"), name="change_request_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_field_display()}变更"


class DuplicateReason(models.IntegerChoices):
    """Why two registrations look like one person; bits of `DuplicatePair.reasons`."""

    NAME_BIRTH = 1, "姓名和出生日期相同，身份证号不同"
    CERTIFICATE = 2, "残疾人证号前 18 位相同或与对方身份证号相同"
    ADDRESS_NAME = 4, "同一住址同名"


class DuplicatePairQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DuplicatePairQuerySet":
        """The pairs both of whose persons the user sees (`Person.objects.visible_to`): a
        town officer never learns of a pair half outside their town."""
        persons = Person.objects.visible_to(user).values("pk")
        return self.filter(person_a__in=persons, person_b__in=persons)


class DuplicatePair(models.Model):
    """Two persons the duplicate check (`registry.duplicates.duplicates_find`) found alike,
    and what a reviewer decided. `person_a` is the lower id, so a pair is stored once and
    its decision survives every later run: a pair marked not a duplicate is never listed
    again, a merged one stays as the record of the merge."""

    class Decision(models.TextChoices):
        OPEN = "open", "待核实"
        NOT_DUPLICATE = "not_duplicate", "不是重复"
        MERGED = "merged", "已合并"

    # person_a is served by the unique (person_a, person_b), person_b by its own index.
    person_a = models.ForeignKey(
        Person, verbose_name="人员甲", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    person_b = models.ForeignKey(Person, verbose_name="人员乙", on_delete=models.PROTECT, related_name="+")
    reasons = models.PositiveSmallIntegerField("疑似原因", help_text="DuplicateReason 的位")
    found_at = models.DateTimeField("发现时间")
    # The last run that found the pair: an open pair a run no longer finds (a name
    # corrected) is dropped.
    seen_at = models.DateTimeField("最近检出时间")
    decision = models.CharField("处理结果", max_length=16, choices=Decision.choices, default=Decision.OPEN)
    decided_by = models.ForeignKey(
        "accounts.User", verbose_name="处理人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    kept = models.ForeignKey(
        Person, verbose_name="保留人员", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = DuplicatePairQuerySet.as_manager()

    class Meta:
        verbose_name = "疑似重复人员"
        verbose_name_plural = "疑似重复人员"
        ordering = ["-found_at", "id"]
        permissions = [
            ("check_duplicates", "运行疑似重复检查"),
            ("merge_persons", "合并重复登记的人员"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(person_a__lt=models.F("person_b")), name="duplicate_pair_ordered"),
            # Also the key the check's upsert (ON CONFLICT) names.
            models.UniqueConstraint(fields=["person_a", "person_b"], name="duplicate_pair_once"),
        ]
        indexes = [
            models.Index(fields=["decision", "found_at"], name="duplicate_pair_decision_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} / {self.person_b_id}"

    @property
    def reason_labels(self) -> list[str]:
        return [reason.label for reason in DuplicateReason if self.reasons & reason.value]


class HouseholdQuerySet(ScopedQuerySet):
    """Households; `visible_to(user)`: those registered in the user's area and below."""


class Household(models.Model):
    """A household (户): the persons registered at one address (户籍), under one household
    number (户号). Its disabled members are `Person` rows (`Person.household`); the others
    it lists are `FamilyMember`s. 低保 and 特困 are facts of the household: its economic
    status is set here (`registry.households.household_economic_status_set`) and recorded
    as a dated event of every disabled member, so each member's status follows it."""

    number = models.CharField("户号", max_length=30, unique=True)
    # The community, like the person's: a code, so scoping is a prefix match.
    area = models.ForeignKey(
        "areas.Area", verbose_name="户籍村(居)", on_delete=models.PROTECT, related_name="households"
    )
    address = models.CharField("户籍地址", max_length=200, blank=True)
    economic_status = models.CharField(
        "经济状况", max_length=16, choices=EconomicStatus.choices, default=EconomicStatus.NONE
    )
    economic_status_date = models.DateField("经济状况生效日期", null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = HouseholdQuerySet.as_manager()
    scope_field = "area__code"

    class Meta:
        verbose_name = "户"
        verbose_name_plural = "户"
        ordering = ["area_id", "number"]
        indexes = [models.Index(fields=["area", "number"], name="household_area_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def town_code(self) -> str:
        return self.area_id[:9] + "000"


class Relationship(models.TextChoices):
    """A family member's relationship to the disabled person (与残疾人关系), and a person's
    to the head of the household (与户主关系)."""

    HEAD = "户主", "户主"
    SPOUSE = "配偶", "配偶"
    FATHER = "父亲", "父亲"
    MOTHER = "母亲", "母亲"
    CHILD = "子女", "子女"
    SIBLING = "兄弟姐妹", "兄弟姐妹"
    GRANDPARENT = "祖父母/外祖父母", "祖父母/外祖父母"
    GRANDCHILD = "孙子女/外孙子女", "孙子女/外孙子女"
    OTHER = "其他", "其他"


class FamilyMember(models.Model):
    """A member of a household who is not a registered disabled person: a spouse, parent or
    child, with whether they care for (照料人) or are the guardian (监护人) of the disabled
    member. A registered disabled person is a member through `Person.household`, never a
    family member (the services refuse their ID number)."""

    household = models.ForeignKey(Household, verbose_name="户", on_delete=models.CASCADE, related_name="family_members")
    name = models.CharField("姓名", max_length=40)
    id_number = models.CharField("公民身份号码", max_length=18)
    relationship = models.CharField("与残疾人关系", max_length=20, choices=Relationship.choices)
    is_carer = models.BooleanField("照料人", default=False)
    is_guardian = models.BooleanField("监护人", default=False)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()
    scope_field = "household__area__code"

    class Meta:
        verbose_name = "家庭成员"
        verbose_name_plural = "家庭成员"
        ordering = ["household_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["household", "id_number"], name="family_member_once"),
        ]

    def __str__(self) -> str:
        return self.name


class HouseholdLog(models.Model):
    """A dated line of a household's story — a person joined or left, a family member
    added or changed, the economic status set — read by the household page and by the
    timeline of its members (`person` the one it concerns, empty for the whole household)."""

    household = models.ForeignKey(Household, verbose_name="户", on_delete=models.CASCADE, related_name="logs")
    person = models.ForeignKey(
        Person, verbose_name="人员", null=True, blank=True, on_delete=models.CASCADE, related_name="household_logs"
    )
    date = models.DateField("日期")
    title = models.CharField("事项", max_length=60)
    detail = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "户变动记录"
        verbose_name_plural = "户变动记录"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.household_id} {self.title}"
