"""Precise rehabilitation services (精准康复服务): the catalogue of subsidised basic service
items, the designated providers, each person's yearly needs assessment, and the service
records against a person.

The catalogue and the providers are local data, edited in the admin by the district
administrator; items and providers are switched off (`is_active`), never deleted, since
records point at them. Assessments and service records carry `area_code`, the person's
community when assessed or served, as every large table does (docs/scaling.md): the lists
and figures of a town are a prefix of it, and a distributed database places the rows with
their person. Their person foreign key has no database constraint (the services write them
for an existing person, and persons are never deleted), like `benefits.PaymentMonth`.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from canlian.records import STANDING, PersonRecord, person_field
from canlian.scoping import ScopedManager


class ItemKind(models.TextChoices):
    PHYSICAL = "physical", "肢体"
    MENTAL = "mental", "精神"
    VISUAL = "visual", "视力"
    HEARING_SPEECH = "hearing_speech", "听力言语"
    INTELLECTUAL = "intellectual", "智力"
    AUTISM = "autism", "孤独症"
    ASSISTIVE = "assistive", "辅助器具"


class RehabItem(models.Model):
    """A subsidised basic rehabilitation service item (基本康复服务项目) of the district's catalogue."""

    code = models.CharField("项目编号", max_length=16, unique=True)
    name = models.CharField("项目名称", max_length=60)
    kind = models.CharField("康复类别", max_length=16, choices=ItemKind.choices)
    is_active = models.BooleanField("启用", default=True, help_text="停用的项目不能再登记新的服务记录")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "基本康复服务项目"
        verbose_name_plural = "基本康复服务项目"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Provider(models.Model):
    """A designated rehabilitation institution (定点康复服务机构)."""

    name = models.CharField("机构名称", max_length=100, unique=True)
    area = models.ForeignKey(
        "areas.Area", verbose_name="所在区划", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    is_active = models.BooleanField("启用", default=True, help_text="停用的机构不能再登记新的服务记录")
    serves_children = models.BooleanField(
        "残疾儿童康复救助定点", default=False, help_text="可安置获批残疾儿童康复救助的儿童"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "定点康复机构"
        verbose_name_plural = "定点康复机构"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NeedAssessment(models.Model):
    """Whether a person has a rehabilitation need in a year, and of which kinds (康复需求评估).
    One per person and year: a second assessment in the same year replaces the first, and
    the history keeps what it said before. The indicator's denominator is the persons
    assessed with a need in the year."""

    person = models.ForeignKey(
        "registry.Person",
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name="rehab_assessments",
        db_index=False,  # served by the unique (person, year)
        db_constraint=False,
    )
    area_code = models.CharField("区划代码", max_length=12, editable=False)
    year = models.PositiveSmallIntegerField("年度")
    has_need = models.BooleanField("有康复需求")
    kinds = models.JSONField("需求类别", default=list, blank=True, help_text="ItemKind 的代码列表")
    assessed_on = models.DateField("评估日期")
    note = models.CharField("备注", max_length=200, blank=True)
    assessed_by = models.ForeignKey(
        "accounts.User", verbose_name="评估登记人", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    updated_at = models.DateTimeField("登记时间", auto_now=True)
    # Whether the person has a standing basic service record in the year (a service year of
    # theirs exists): kept by database triggers (migration 0008), whatever writes the records
    # or the assessment, never by the application — a value Django writes is overwritten.
    # The work list's "assessed, not served" reads the unserved ones from a partial index.
    basic_served = models.BooleanField("当年已接受基本康复服务", default=False, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at", "basic_served"], no_db_index=["person", "assessed_by"])
    objects = ScopedManager()
    scope_field, scope_person_field = "area_code", "person"

    class Meta:
        verbose_name = "康复需求评估"
        verbose_name_plural = "康复需求评估"
        ordering = ["-year", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="rehab_assessment_once_a_year"),
            models.CheckConstraint(condition=Q(assessed_on__year=models.F("year")), name="rehab_assessed_in_year"),
        ]
        indexes = [
            # The indicator: persons assessed with a need in a year, per town of a scope.
            models.Index(fields=["year", "area_code"], name="rehab_assessment_year_area_idx"),
            # The work list: the year's assessments with a need and no basic service, per town.
            models.Index(
                fields=["year", "area_code"],
                condition=Q(has_need=True, basic_served=False),
                name="rehab_assessment_unserved_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year} {'有需求' if self.has_need else '无需求'}"

    @property
    def kind_labels(self) -> list[str]:
        labels = dict(ItemKind.choices)
        return [labels.get(kind, kind) for kind in self.kinds]


# One record is one service of one item on one day; a course of training is its sessions.
# More than one a day for a year is a typing error, not a course.
MAX_SESSIONS = 366


class ServiceRecord(PersonRecord):
    """One basic rehabilitation service given to a person (a person-time, 人次): which item,
    where, on which day, how many sessions. A `canlian.records.PersonRecord`: written only by
    `rehab.services.service_record`; the one change is voiding (作废) a mistaken record, with
    who, when and why, by `service_record_void`. So the row itself is its audit trail (no
    history table: at ten records per person a year it would double the largest table).

    `area_code` is the person's community on the day of the service and stays so when the
    person moves (`follows_person = False`): the service was the old town's work, as a paid
    month stays with the town that paid it."""

    person = person_field(related_name="rehab_records")  # served by the unique (person, served_on, item)
    # Catalogue and providers are small reference tables: constraints kept, no index of
    # their own on this table (a filter by item is always inside an area and a date range).
    item = models.ForeignKey(
        RehabItem, verbose_name="康复项目", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    provider = models.ForeignKey(
        Provider, verbose_name="服务机构", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    served_on = models.DateField("服务日期")
    sessions = models.PositiveSmallIntegerField("服务次数", default=1)
    note = models.CharField("备注", max_length=200, blank=True)

    date_field, follows_person = "served_on", False

    class Meta:
        verbose_name = "康复服务记录"
        verbose_name_plural = "康复服务记录"
        ordering = ["-served_on", "-id"]
        permissions = [
            ("export_servicerecords", "导出康复服务记录"),
            ("void_servicerecord", "作废康复服务记录"),
        ]
        constraints = [
            # The same item for the same person on the same day is one record (a double
            # entry; once voided, the right one can be entered), and the key serves every
            # read of a person's records by date.
            models.UniqueConstraint(
                fields=["person", "served_on", "item"], condition=STANDING, name="rehab_record_once_a_day"
            ),
            models.CheckConstraint(condition=Q(sessions__gte=1), name="rehab_record_sessions_positive"),
        ]
        indexes = [
            # A town's list and figures in a large registry: the town is a range of area
            # codes (a prefix), then a date range.
            models.Index(fields=["area_code", "served_on"], condition=STANDING, name="rehab_record_area_date_idx"),
            # The list's order (newest first) for a district-wide scope: page 1 is a backward
            # walk of this index, and its ids with the scope's area code come from the index
            # alone (canlian.pagination), instead of a sort of every record in scope.
            models.Index(fields=["served_on", "id", "area_code"], condition=STANDING, name="rehab_record_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.served_on} {self.item_id}"

    def clean(self) -> None:
        """Rehab's own rules, run by `record_create` after the person's: active item and
        provider, a plausible number of sessions."""
        if not self.item.is_active:
            raise ValidationError(f"康复项目“{self.item.name}”已停用，不能登记新的服务")
        if not self.provider.is_active:
            raise ValidationError(f"服务机构“{self.provider.name}”已停用，不能登记新的服务")
        if self.sessions is None or self.sessions < 1:
            raise ValidationError("服务次数至少为 1 次")
        if self.sessions > MAX_SESSIONS:
            raise ValidationError(f"一条记录的服务次数不能超过 {MAX_SESSIONS} 次，请检查是否输入有误")

    def duplicate_message(self) -> str:
        return f"该人员 {self.served_on:%Y-%m-%d} 已有“{self.item.name}”的服务记录，请勿重复登记"


class ServiceYear(models.Model):
    """A person's services in a year in one community: how many records (person-times) and
    sessions. The yearly figures read these (~one row per person served in the year) instead
    of every record. Not a cache: database triggers (migration 0004) change it in the same
    statement as every insert, update, delete or TRUNCATE of `rehab_servicerecord`, whatever
    wrote it (the service, `bulk_create`, the benchmark's INSERT … SELECT), as
    `registry.PersonCount` is kept. Never written by the application."""

    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,  # served by the unique (person, year, area_code)
        db_constraint=False,
    )
    year = models.PositiveSmallIntegerField("年度")
    area_code = models.CharField("区划代码", max_length=12)
    # Plain integers: an upsert's proposed row carries the negative change of a delete,
    # and PostgreSQL checks a CHECK constraint on it before it finds the conflict.
    records = models.IntegerField("服务人次")
    sessions = models.IntegerField("服务次数")

    objects = ScopedManager()
    scope_field, scope_person_field = "area_code", "person"

    class Meta:
        verbose_name = "年度服务汇总"
        verbose_name_plural = "年度服务汇总"
        constraints = [
            models.UniqueConstraint(fields=["person", "year", "area_code"], name="rehab_service_year_once"),
        ]
        indexes = [
            # The figures of a year, per town of a scope.
            models.Index(fields=["year", "area_code"], name="rehab_service_year_area_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year} {self.area_code}: {self.records}"


# Child rehabilitation assistance (残疾儿童康复救助): its models live in their own module.
from rehab.models_children import (  # noqa: E402, F401
    AssistanceKind,
    Child,
    ChildApplication,
    ChildAssessment,
    ChildDisability,
    ChildRehabRecord,
    ChildRehabStandard,
    CoverageNeed,
    PriorityGroup,
)
