"""Who belongs to an institution: enrolments (入托) and the waiting list (轮候).

An enrolment is a `canlian.records.PersonRecord`: the person, their community copied at
write time (its scope for officers; it follows a person who moves, as the membership is
the new town's to look after), who recorded it, and the void (作废) of one entered by
mistake. Unlike a service record it has a second step: it is ended (离开) on a day, with
the reason, by `care.services.membership.enrolment_end` — a state change, audited.

A person is a member of at most one day-care institution at a time: the service checks
the periods under the person's lock, and a partial unique key on the open day-care
enrolment holds it in the database too, whatever writes.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from canlian.records import STANDING, PersonRecord, person_field
from canlian.scoping import ScopedManager


class LeaveReason(models.TextChoices):
    EMPLOYED = "employed", "就业"
    TRANSFERRED = "transferred", "转入其他机构"
    HEALTH = "health", "身体原因"
    FAMILY = "family", "家庭原因"
    MOVED = "moved", "迁居"
    AGE = "age", "超出年龄"
    DECEASED = "deceased", "去世"
    OTHER = "other", "其他"


OPEN = Q(ended_on__isnull=True)
# The waiting entries still in the queue (waiting, or offered a place not yet taken up).
OPEN_STATES = ("waiting", "offered")


class Enrolment(PersonRecord):
    """A person's membership of an institution from `started_on` to `ended_on` (the last
    day; none while a member), with the reason for leaving."""

    person = person_field(related_name="care_enrolments")
    institution = models.ForeignKey(
        "care.Institution",
        verbose_name="机构",
        on_delete=models.PROTECT,
        related_name="enrolments",
        db_index=False,  # served by care_enrolment_institution_idx
    )
    started_on = models.DateField("入托日期")
    ended_on = models.DateField("离开日期", null=True, blank=True)
    leave_reason = models.CharField("离开原因", max_length=20, choices=LeaveReason.choices, blank=True)
    leave_note = models.CharField("离开说明", max_length=200, blank=True)
    ended_by = models.ForeignKey(
        "accounts.User",
        verbose_name="办理离开",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # The institution's kind at enrolment, for the key below (a key cannot join).
    day_care = models.BooleanField("日间照料", editable=False)
    override_reason = models.CharField(
        "破格入托理由", max_length=200, blank=True, help_text="不符合入托条件而经批准入托时的书面理由"
    )

    date_field, follows_person = "started_on", True
    scope_institution_field = "institution"

    class Meta:
        verbose_name = "入托登记"
        verbose_name_plural = "入托登记"
        ordering = ["-started_on", "-id"]
        permissions = [
            ("void_enrolment", "作废入托登记"),
            ("override_admission", "破格批准入托"),
        ]
        constraints = [
            # One day-care membership at a time: two open ones are refused by the database.
            models.UniqueConstraint(
                fields=["person"], condition=STANDING & OPEN & Q(day_care=True), name="care_one_open_day_care"
            ),
            models.CheckConstraint(
                condition=OPEN | Q(ended_on__gte=models.F("started_on")), name="care_enrolment_ends_after_start"
            ),
        ]
        indexes = [
            # A person's memberships, for the overlap check and the person page.
            models.Index(fields=["person", "started_on"], name="care_enrolment_person_idx"),
            # An institution's members on a day.
            models.Index(fields=["institution", "started_on"], condition=STANDING, name="care_enrolment_inst_idx"),
            models.Index(fields=["area_code"], condition=STANDING, name="care_enrolment_area_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.institution_id} {self.started_on}"

    def duplicate_message(self) -> str:
        return "该人员已是另一家日间照料机构的在册会员；同一时间只能在一家日间照料机构入托，请先办理离开"

    def clean(self) -> None:
        """Run by `record_create` under the person's lock: an active institution, and no
        other membership in the same days — at any day-care institution for a day-care
        one, at the same institution otherwise."""
        institution = self.institution
        if not institution.is_active:
            raise ValidationError(f"“{institution.name}”已停用，不能办理入托")
        others = Enrolment.objects.standing().filter(person_id=self.person_id).exclude(pk=self.pk)
        others = others.filter(OPEN | Q(ended_on__gte=self.started_on))
        if self.ended_on is not None:
            others = others.filter(started_on__lte=self.ended_on)
        same = others.filter(Q(day_care=True) if self.day_care else Q(institution=institution))
        clash = same.select_related("institution").order_by("started_on").first()
        if clash is not None:
            raise ValidationError(
                f"该人员 {clash.period_label} 在“{clash.institution.name}”入托，与本次入托时间重叠；"
                + ("同一时间只能在一家日间照料机构入托，请先办理离开" if self.day_care else "请勿重复登记")
            )

    def is_member_on(self, day) -> bool:
        return self.voided_at is None and self.started_on <= day and (self.ended_on is None or day <= self.ended_on)

    @property
    def period_label(self) -> str:
        if self.ended_on is None:
            return f"{self.started_on:%Y-%m-%d} 起"
        return f"{self.started_on:%Y-%m-%d} 至 {self.ended_on:%Y-%m-%d}"


class WaitingEntry(models.Model):
    """A place asked for at a full institution (轮候): first come, first offered. When a
    place frees, the first waiting entry is offered it (`offered_on`); the offer is taken
    up (an enrolment) or declined, and the next one is offered."""

    class State(models.TextChoices):
        WAITING = "waiting", "轮候中"
        OFFERED = "offered", "已通知入托"
        ENROLLED = "enrolled", "已入托"
        WITHDRAWN = "withdrawn", "已撤回"

    person = person_field(related_name="care_waiting")
    institution = models.ForeignKey(
        "care.Institution", verbose_name="机构", on_delete=models.PROTECT, related_name="waiting", db_index=False
    )
    area_code = models.CharField("区划代码", max_length=12, editable=False)
    applied_on = models.DateField("申请日期")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.WAITING)
    offered_on = models.DateField("通知入托日期", null=True, blank=True)
    closed_on = models.DateField("结束日期", null=True, blank=True)
    close_reason = models.CharField("撤回原因", max_length=200, blank=True)
    enrolment = models.OneToOneField(
        Enrolment, verbose_name="入托登记", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    override_reason = models.CharField("破格入托理由", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name="登记人", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope_field, scope_person_field, scope_institution_field = "area_code", "person", "institution"

    class Meta:
        verbose_name = "轮候登记"
        verbose_name_plural = "轮候登记"
        ordering = ["institution_id", "id"]
        constraints = [
            # One open place in the queue of an institution per person.
            models.UniqueConstraint(
                fields=["person", "institution"],
                condition=Q(state__in=OPEN_STATES),
                name="care_waiting_once",
            ),
        ]
        indexes = [
            models.Index(
                fields=["institution", "id"],
                condition=Q(state__in=OPEN_STATES),
                name="care_waiting_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.institution_id} {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.WAITING, self.State.OFFERED)
