"""The other grants of the seed (其他资助), on the machinery of the two subsidies: schemes
with rules and rates, applications, awards and payroll batches.

- Annual schemes (fuel subsidy 燃油补贴, education grants 教育资助, the insurances) pay each
  active, eligible award once a year. The payment's month is January of the year, so the
  database's "paid once" constraint on (scheme, person, month) makes paying a year twice
  impossible. The amount is the year's rate of the award's variant (for education, the
  school level). The insurances need no application: their batch first enrols, as an
  award from the month (`Award.Source.RULE`), everyone their rule selects who has none.
- One-off schemes (temporary hardship 临时救助, dangerous-house repair 危房改造, home
  accessibility adaptation 无障碍改造) pay an award once, in its start month; approving
  the batch closes the award. The amount is the budget of its project record
  (`GrantProject`) or else the scheme's rate.
- Vehicles (机动轮椅车) are recorded here for the fuel rule; the insurances' enrolment
  lists are workbooks for the insurer and the social security office; one-off grants keep
  a project record with its status.

Generation reuses the monthly payroll's pieces (`benefits.payroll`): one INSERT … SELECT per
month considered, never a loop over persons; approval is `payroll_approve` (four eyes).
"""

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, DateTimeField, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from benefits.models import (
    Application,
    ApplicationStep,
    Award,
    GrantProject,
    PaymentMonth,
    PayrollBatch,
    Scheme,
    SchemeKind,
    Vehicle,
)
from benefits.months import month_label, month_range, month_start
from benefits.payroll import DISTRICT_ONLY, PayrollError, batch_regenerate, insert_select, payroll_approve, rate_case
from benefits.selectors import eligible_count, eligible_persons
from canlian.audit import audit_write
from canlian.exporting import Column, ExportRefused, ListExporter, rows_of
from canlian.scoping import require_district, require_in_scope, scope_rechecked
from registry.identifiers import CATEGORY_NAMES, GRADE_NAMES, mask_id
from registry.models import Person, Status
from registry.presenters import PersonView
from registry.scoping import Privacy

GRANT_KINDS = (SchemeKind.ANNUAL, SchemeKind.ONE_OFF)
# Display order of the education grant's school levels; the levels themselves are the
# variants of its rates (data), and a level not listed here is shown after these.
SCHOOL_LEVEL_ORDER = ("学前", "小学", "初中", "高中", "中职", "高中/中职", "大学")
# The enrolment lists and the scheme whose rule selects each.
ENROLMENT_SCHEMES = {
    "insurance": "重大疾病和意外伤害保险参保名单",
    "basic_insurance": "城乡居民基本医疗和养老保险代缴名单",
}
ENROLMENT_HEADERS = ["姓名", "性别", "公民身份号码", "残疾人证号", "类别", "等级", "镇街", "村居"]
# Left out of the list of a user without access to personal data.
ENROLMENT_PERSONAL = ("姓名", "公民身份号码", "残疾人证号")
# Who may record and update project records: the town (which runs them) and the district.
PROJECT_EDITOR_PERMS = ("benefits.town_review_application", "benefits.change_award")
PROJECT_NEXT = {
    GrantProject.Status.PENDING: GrantProject.Status.IN_PROGRESS,
    GrantProject.Status.IN_PROGRESS: GrantProject.Status.COMPLETED,
    GrantProject.Status.COMPLETED: GrantProject.Status.ACCEPTED,
}
PROJECT_DATE_FIELD = {
    GrantProject.Status.IN_PROGRESS: "started_on",
    GrantProject.Status.COMPLETED: "completed_on",
    GrantProject.Status.ACCEPTED: "accepted_on",
}

Progress = Callable[[int, int], None]


# Batches: annual and one-off payments ---------------------------------------------------


def grant_batch_generate(
    scheme: Scheme, year_or_month: int | datetime.date, user, *, progress: Progress | None = None
) -> PayrollBatch:
    """Generate (or regenerate) the draft batch of an annual scheme for a year (an int, or
    any date in it) or of a one-off scheme for a month, prepared by `user`.

    Annual: an award is paid for year Y when, on the first day of some month of Y in which
    it was active (up to the current month), its person was eligible; once, at the year's
    rate of its variant (the last rate set on or before Y's December). One-off: every open
    award started by the batch month and never paid is paid once, in its start month, if
    the person was eligible on that month's first day.
    """
    if not user.has_perm("benefits.prepare_payroll"):
        raise PermissionDenied("您没有编制发放批次的权限")
    require_district(user, DISTRICT_ONLY)
    this_month = month_start(timezone.localdate())
    if scheme.kind == SchemeKind.ANNUAL:
        year = year_or_month if isinstance(year_or_month, int) else year_or_month.year
        month = datetime.date(year, 1, 1)
        if month > this_month:
            raise PayrollError(f"不能编制未来年度 {year} 年的发放批次")
        months = month_range(month, min(datetime.date(year, 12, 1), this_month))

        def fill(batch: PayrollBatch) -> None:
            _fill_annual(batch, months, progress, user)

    elif scheme.kind == SchemeKind.ONE_OFF:
        if isinstance(year_or_month, int):
            raise PayrollError(f"{scheme.name} 为一次性资助，请按月份编制发放批次")
        month = month_start(year_or_month)
        if month > this_month:
            raise PayrollError(f"不能编制未来月份 {month_label(month)} 的发放批次")

        def fill(batch: PayrollBatch) -> None:
            _fill_one_off(batch, progress)

    else:
        raise PayrollError(f"{scheme.name} 按月发放，请编制月度发放批次")

    label = batch_label(PayrollBatch(scheme=scheme, month=month))
    return batch_regenerate(scheme=scheme, month=month, user=user, label=label, fill=fill)


def batch_label(batch: PayrollBatch) -> str:
    """A batch's name for officers: 燃油补贴 2025 年度, 临时救助 2025-03."""
    name = batch.scheme.short_name or batch.scheme.name
    if batch.scheme.kind == SchemeKind.ANNUAL:
        return f"{name} {batch.month.year} 年度"
    return f"{name} {month_label(batch.month)}"


def _covering(month: datetime.date) -> Q:
    return Q(start_month__lte=month) & (Q(end_month__isnull=True) | Q(end_month__gte=month))


def _insert_payments(
    batch: PayrollBatch, persons: QuerySet, awards: QuerySet, paid_month: datetime.date, amount
) -> int:
    """INSERT … SELECT one payment row per person of `persons` (eligible persons) that has
    an award in `awards` (correlated to the person by `OuterRef("pk")`), under the earliest
    such award. `amount` may use the award's `variant` and `award_application`.

    The SELECT starts from the persons: the eligibility filter is a set of correlated
    subqueries the planner cannot estimate, and starting from the awards let it choose a
    nested loop of every award against every eligible person."""
    # In the order of the person's awards index (person, scheme, start month): SQLite
    # otherwise walks every award of the scheme for each person to find the lowest id.
    first = awards.order_by("start_month", "pk")
    rows = (
        persons.annotate(
            _award=Subquery(first.values("pk")[:1]),
            variant=Subquery(first.values("variant")[:1]),
            award_application=Subquery(first.values("application_id")[:1]),
        )
        .filter(_award__isnull=False)
        .annotate(_amount=amount)
        .filter(_amount__gt=0)
    )
    columns = ["batch", "scheme", "person", "award", "area_code", "month", "amount_fen"]
    selected = rows.annotate(
        _batch=Value(batch.pk, output_field=IntegerField()),
        _scheme=Value(batch.scheme_id, output_field=IntegerField()),
        _person=F("pk"),
        # The person's area today, as in the monthly payroll: the town they live in pays.
        _area_code=F("area_id"),
        _month=Value(paid_month),
        _amount_fen=F("_amount"),
    ).values(*[f"_{c}" for c in columns])
    return insert_select(PaymentMonth, columns, selected)


def _enrol_by_rule(scheme: Scheme, persons: QuerySet, month: datetime.date, user) -> int:
    """Enrol in an insurance (`ENROLMENT_SCHEMES`) every person of `persons` (eligible in
    `month`) with no award covering it: an award from `month`, without an application —
    the insurance is bought for everyone its rule selects, a new certificate holder too.
    One INSERT … SELECT; a person with an open award keeps it (the unique key skips them)."""
    covered = Award.objects.filter(_covering(month), scheme=scheme, person=OuterRef("pk"))
    columns = ["person", "scheme", "area_code", "variant", "start_month", "end_reason", "source", "created_by"]
    selected = (
        persons.filter(~Exists(covered))
        .order_by("pk")
        .annotate(
            _person=F("pk"),
            _scheme=Value(scheme.pk, output_field=IntegerField()),
            _area_code=F("area_id"),
            _variant=Value(""),
            _start_month=Value(month),
            _end_reason=Value(""),
            _source=Value(Award.Source.RULE.value),
            _created_by=Value(user.pk, output_field=IntegerField()),
            _created_at=Value(timezone.now(), output_field=DateTimeField()),
        )
        .values(*[f"_{c}" for c in columns], "_created_at")
    )
    return insert_select(Award, [*columns, "created_at"], selected)


def _fill_annual(batch: PayrollBatch, months: list[datetime.date], progress: Progress | None, user) -> None:
    scheme, year_month = batch.scheme, batch.month
    # Matches the award's variant (annotated by `_insert_payments`) to the year's rate.
    amount = rate_case(scheme, datetime.date(year_month.year, 12, 1))
    if amount is None:
        return
    # The year is in one batch only, this one or another (draft or approved).
    taken = PaymentMonth.objects.filter(scheme=scheme, person=OuterRef("pk"), month=year_month)
    for done, month in enumerate(months, start=1):
        persons = eligible_persons(scheme, month).filter(~Exists(taken))
        if scheme.code in ENROLMENT_SCHEMES:
            _enrol_by_rule(scheme, persons, month, user)
        # Two awards of one person covering the month (a new level after an ended one):
        # the year is paid once, under the earliest.
        awards = Award.objects.filter(_covering(month), scheme=scheme, person=OuterRef("pk"))
        _insert_payments(batch, persons, awards, year_month, amount)
        if progress:
            progress(done, len(months))


def _fill_one_off(batch: PayrollBatch, progress: Progress | None) -> None:
    scheme = batch.scheme
    never_paid = ~Exists(PaymentMonth.objects.filter(person=OuterRef("person_id"), scheme=scheme, award=OuterRef("pk")))
    due = Award.objects.filter(scheme=scheme, start_month__lte=batch.month, end_month__isnull=True).filter(never_paid)
    budget = Subquery(
        GrantProject.objects.filter(application_id=OuterRef("award_application")).values("budget_fen")[:1],
        output_field=IntegerField(),
    )
    starts = sorted(set(due.values_list("start_month", flat=True)))
    for done, start in enumerate(starts, start=1):
        rate = rate_case(scheme, start)
        amount = Coalesce(budget, rate, output_field=IntegerField()) if rate is not None else budget
        taken = PaymentMonth.objects.filter(scheme=scheme, person=OuterRef("pk"), month=start)
        persons = eligible_persons(scheme, start).filter(~Exists(taken))
        awards = due.filter(start_month=start, person=OuterRef("pk"))
        _insert_payments(batch, persons, awards, start, amount)
        if progress:
            progress(done, len(starts))


@transaction.atomic
def grant_batch_approve(*, batch: PayrollBatch, user, version: int) -> PayrollBatch:
    """Approve the draft `version` of a grant batch (`payroll_approve`: never by its
    preparer). A one-off award paid by it is closed: its end month is its start month."""
    batch = payroll_approve(batch=batch, user=user, version=version)
    if batch.scheme.kind == SchemeKind.ONE_OFF:
        Award.objects.filter(payments__batch=batch, end_month__isnull=True).update(
            end_month=F("start_month"), end_reason=f"一次性资助已发放（{batch_label(batch)} 批次）"
        )
    return batch


def grant_schemes() -> QuerySet:
    return Scheme.objects.filter(kind__in=GRANT_KINDS, is_active=True).order_by("id")


def scheme_variants(scheme: Scheme) -> list[str]:
    """The variants of a scheme's rates (the education grant's school levels), in order."""
    variants = set(scheme.rates.exclude(variant="").values_list("variant", flat=True))

    def key(variant: str) -> tuple[int, str]:
        order = SCHOOL_LEVEL_ORDER.index(variant) if variant in SCHOOL_LEVEL_ORDER else len(SCHOOL_LEVEL_ORDER)
        return order, variant

    return sorted(variants, key=key)


# Vehicles (机动轮椅车) ------------------------------------------------------------------


def vehicles_visible_to(user) -> QuerySet:
    return Vehicle.objects.visible_to(user)


def vehicle_plate(raw: str) -> str:
    """粤J·12345 → 粤J12345: half-width, upper case, no spaces or separators."""
    text = unicodedata.normalize("NFKC", raw or "").upper()
    return re.sub(r"[\s·.\-]", "", text)


@scope_rechecked
def vehicle_register(
    *, user, person: Person, plate: str, registered_on: datetime.date, lower_limb: bool = True
) -> Vehicle:
    """Record a person's motorised wheelchair vehicle, from `registered_on`."""
    if not user.has_perm("benefits.add_vehicle"):
        raise PermissionDenied("您没有登记机动轮椅车的权限")
    person = Person.objects.select_for_update().get(pk=person.pk)
    require_in_scope(user, person)
    plate = vehicle_plate(plate)
    if not plate or len(plate) > 16:
        raise ValidationError("请填写车牌号（不超过 16 个字符）")
    if registered_on > timezone.localdate():
        raise ValidationError("登记日期不能晚于今天")
    if person.status != Status.ACTIVE:
        raise ValidationError(f"该人员状态为“{person.get_status_display()}”，不能登记车辆")
    if Vehicle.objects.filter(plate=plate).exists():
        raise ValidationError(f"车牌号 {plate} 已登记")
    try:
        with transaction.atomic():
            vehicle = Vehicle.objects.create(
                person=person, plate=plate, registered_on=registered_on, lower_limb=lower_limb
            )
    except IntegrityError:
        raise ValidationError(f"车牌号 {plate} 已登记") from None
    audit_write(action="benefits.vehicle.registered", user=user, obj=vehicle, data={"plate": plate})
    return vehicle


@transaction.atomic
def vehicle_retire(*, user, vehicle: Vehicle, retired_on: datetime.date) -> Vehicle:
    """Record that a vehicle was scrapped or deregistered; the fuel rule stops counting it
    from the day after `retired_on`."""
    if not user.has_perm("benefits.change_vehicle"):
        raise PermissionDenied("您没有注销机动轮椅车的权限")
    vehicle = Vehicle.objects.select_for_update().select_related("person").get(pk=vehicle.pk)
    require_in_scope(user, vehicle)
    if vehicle.retired_on is not None:
        raise ValidationError(f"车辆 {vehicle.plate} 已于 {vehicle.retired_on:%Y-%m-%d} 注销")
    if retired_on > timezone.localdate():
        raise ValidationError("注销日期不能晚于今天")
    if retired_on < vehicle.registered_on:
        raise ValidationError(f"注销日期不能早于登记日期 {vehicle.registered_on:%Y-%m-%d}")
    vehicle.retired_on = retired_on
    vehicle.save(update_fields=["retired_on"])
    audit_write(action="benefits.vehicle.retired", user=user, obj=vehicle, data={"retired_on": retired_on})
    return vehicle


def fuel_eligible(user, scheme: Scheme, month: datetime.date) -> QuerySet:
    """Persons the user may see who meet the fuel rule on the first day of `month`
    (lower-limb physical disability and a vehicle in use), with `receiving`: whether an
    award of the scheme covers the month."""
    award = Award.objects.filter(_covering(month), scheme=scheme, person=OuterRef("pk"))
    return (
        eligible_persons(scheme, month, Person.objects.visible_to(user))
        .annotate(receiving=Exists(award))
        .select_related("area", "area__parent")
        .order_by("area_id", "name", "id")
    )


# Education grants (教育资助) ------------------------------------------------------------


def awards_visible_to(user) -> QuerySet:
    return Award.objects.visible_to(user)


def awards_active_in_year(user, scheme: Scheme, year: int) -> QuerySet:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 1)
    return (
        awards_visible_to(user)
        .filter(scheme=scheme, start_month__lte=last)
        .filter(Q(end_month__isnull=True) | Q(end_month__gte=first))
    )


def education_levels(user, scheme: Scheme, year: int) -> list[dict]:
    """Per school level: the year's amount and the user's students holding an award."""
    counts = dict(
        awards_active_in_year(user, scheme, year).values("variant").annotate(n=Count("id")).values_list("variant", "n")
    )
    rates = {}
    for rate in scheme.rates.filter(valid_from__lte=datetime.date(year, 12, 1)).order_by("valid_from"):
        rates[rate.variant] = rate.amount_fen
    levels = scheme_variants(scheme)
    levels += sorted(v for v in counts if v not in levels)
    return [
        {
            "level": level or "（未填学段）",
            "amount_fen": rates.get(level),
            "students": counts.get(level, 0),
            "total_fen": (rates.get(level) or 0) * counts.get(level, 0),
        }
        for level in levels
    ]


# Enrolment lists for the insurer and the social security office -------------------------


@dataclass(frozen=True)
class EnrolmentFilter:
    """What an enrolment list's GET parameters ask for: the list's scheme and its day, the
    day being today where the parameter is blank or not taken; `errors` says in Chinese why
    it was not taken. The page shows today's list with the reason; an export refuses."""

    code: str
    scheme: Scheme
    day: datetime.date
    errors: tuple[str, ...] = ()


def enrolment_scheme(code: str) -> Scheme:
    """The scheme of the enrolment list `code`; 404 for a name that is no list."""
    if code not in ENROLMENT_SCHEMES:
        raise Http404("没有这个名单")
    return get_object_or_404(Scheme, code=code)


def enrolment_filter(code: str, params) -> EnrolmentFilter:
    """The enrolment list `code` on the day `params` names (`date`, as 2024-06-01): a list
    is drawn for today or an earlier day, never for a day not yet come."""
    scheme = enrolment_scheme(code)
    today = timezone.localdate()
    raw = (params.get("date") or "").strip()
    if not raw:
        return EnrolmentFilter(code, scheme, today)
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        return EnrolmentFilter(code, scheme, today, (f"日期“{raw[:20]}”无法识别（应为 2024-06-01 这样的日期）",))
    if day > today:
        return EnrolmentFilter(code, scheme, today, (f"日期 {day:%Y-%m-%d} 晚于今天：名单只能按今天或以前的日期生成",))
    return EnrolmentFilter(code, scheme, day)


def enrolment_persons(user, scheme: Scheme, day: datetime.date) -> QuerySet:
    """The persons the user may see whom the scheme's rule selects on `day`, annotated
    with their state on that day (`st_category`, `st_grade`, ...)."""
    return (
        eligible_persons(scheme, day, Person.objects.visible_to(user))
        .select_related("area", "area__parent")
        .order_by("area_id", "id_number")
    )


def enrolment_headers(privacy: Privacy) -> list[str]:
    """The columns of an enrolment list for this user: without access to personal data (a
    leader) no name and no identifier column at all, not masked ones (the page names these
    same columns)."""
    if privacy.personal:
        return ENROLMENT_HEADERS
    return [header for header in ENROLMENT_HEADERS if header not in ENROLMENT_PERSONAL]


def enrolment_cells(person: Person, privacy: Privacy) -> list[str]:
    """One row of an enrolment list, in the columns of `enrolment_headers`. Category, grade
    and certificate number are those of the list's day. Full identifiers only for a user
    who may reveal them."""
    category, grade = int(person.st_category), int(person.st_grade)
    area = person.area
    situation = [
        CATEGORY_NAMES.get(category, str(category)),
        GRADE_NAMES.get(grade, str(grade)),
        area.parent.name if area.parent_id else "",
        area.name,
    ]
    if not privacy.personal:
        return [person.get_gender_display(), *situation]
    view = PersonView(person, privacy, revealed=privacy.may_reveal)
    certificate = f"{person.id_number}{category}{grade}{person.certificate_number[20:]}"
    if not view.revealed:
        certificate = mask_id(certificate[:18]) + certificate[18:]
    return [view.name, person.get_gender_display(), view.id_number, certificate, *situation]


class EnrolmentExporter(ListExporter):
    """The enrolment list for the insurer or the social security office, one row a person
    (`enrolment_cells`). A long list runs as a background job, rebuilt there from the
    list's name and its query (`for_params`)."""

    job_kind = "benefits.enrolment"

    def __init__(
        self, persons: QuerySet, *, privacy: Privacy, title: str, code: str, day: datetime.date, counter=None, query=""
    ) -> None:
        self.persons = persons
        self.privacy = privacy
        self.sheet_name = title[:31]
        self.title = title
        self.filename = title
        self.code = code
        self.day = day
        self.counter = counter
        self.query = query

    @classmethod
    def for_params(cls, user, code: str, params) -> "EnrolmentExporter":
        """The list `code` for `user` on the day of the GET parameters `params`; a day that
        is not taken refuses the export (`ExportRefused`, back to the list's page)."""
        found = enrolment_filter(code, params)
        if found.errors:
            page = reverse("benefits:grant_enrolment", args=[code])
            raise ExportRefused.bad_filter(found.errors, f"{page}?{urlencode({'date': params.get('date', '')})}")
        scheme, day = found.scheme, found.day
        return cls(
            enrolment_persons(user, scheme, day),
            privacy=Privacy.for_user(user),
            title=ENROLMENT_SCHEMES[code],
            code=code,
            day=day,
            counter=lambda: eligible_count(scheme, day, Person.objects.visible_to(user)),
            query=params.urlencode(),
        )

    def params(self) -> dict:
        return {"query": self.query, "code": self.code}

    @classmethod
    def from_params(cls, user, params: dict) -> "EnrolmentExporter":
        return cls.for_params(user, params["code"], QueryDict(params["query"]))

    def count(self) -> int:
        return self.counter() if self.counter else 0

    def columns(self) -> list[Column]:
        widths = dict(zip(ENROLMENT_HEADERS, [10, 6, 22, 24, 8, 8, 12, 14], strict=True))
        return [Column(name, widths[name]) for name in enrolment_headers(self.privacy)]

    def iterate_list(self):
        for person in rows_of(self.persons):
            yield enrolment_cells(person, self.privacy)

    def log_detail(self) -> dict:
        return {
            "list": self.code,
            "date": self.day.isoformat(),
            "revealed": self.privacy.personal and self.privacy.may_reveal,
        }

    def download_name(self) -> str:
        return f"{self.title}_{self.day:%Y%m%d}.xlsx"


# Project records of one-off grants -------------------------------------------------------


def projects_visible_to(user) -> QuerySet:
    return GrantProject.objects.visible_to(user)


def may_edit_projects(user) -> bool:
    return any(user.has_perm(perm) for perm in PROJECT_EDITOR_PERMS)


def applications_awaiting_project(user) -> QuerySet:
    """Applications of the project schemes, in the user's scope and still going or
    approved, that have no project record yet."""
    return (
        Application.objects.visible_to(user)
        .filter(scheme__code__in=GrantProject.Kind.values, project__isnull=True)
        .exclude(state__in=[Application.State.REJECTED, Application.State.WITHDRAWN])
    )


def _log(application: Application, user, action: str, reason: str = "") -> None:
    ApplicationStep.objects.create(
        application=application,
        action=action[:32],
        from_state=application.state,
        to_state=application.state,
        reason=reason[:200],
        user=user,
    )


@transaction.atomic
def grant_project_create(
    *, user, application: Application, description: str, budget_fen: int, contractor: str = ""
) -> GrantProject:
    """Open the project record of a hardship, house-repair or adaptation application."""
    if not may_edit_projects(user):
        raise PermissionDenied("您没有登记资助项目的权限")
    application = Application.objects.select_for_update().select_related("scheme").get(pk=application.pk)
    require_in_scope(user, application)
    if application.scheme.code not in GrantProject.Kind.values:
        raise ValidationError(f"{application.scheme.name} 不需要登记资助项目")
    if application.state in (Application.State.REJECTED, Application.State.WITHDRAWN):
        raise ValidationError(f"申请已{application.get_state_display()}，不能登记项目")
    if not description.strip():
        raise ValidationError("请填写项目内容")
    if budget_fen <= 0:
        raise ValidationError("资助金额应大于 0")
    try:
        with transaction.atomic():
            project = GrantProject.objects.create(
                application=application,
                kind=application.scheme.code,
                description=description.strip(),
                budget_fen=budget_fen,
                contractor=contractor.strip(),
                created_by=user,
            )
    except IntegrityError:
        raise ValidationError("该申请已有项目记录") from None
    _log(application, user, "登记资助项目", f"{project.description}；资助 {budget_fen / 100:.2f} 元")
    audit_write(action="benefits.project.created", user=user, obj=project, person=application.person_id)
    return project


@transaction.atomic
def grant_project_advance(*, user, project: GrantProject, status: str, on: datetime.date) -> GrantProject:
    """Move a project one step on (待实施 → 实施中 → 已完工 → 已验收), dated `on`; the step is
    written to its application's log. Work starts only once the application is approved."""
    if not may_edit_projects(user):
        raise PermissionDenied("您没有更新资助项目的权限")
    project = GrantProject.objects.select_for_update().select_related("application").get(pk=project.pk)
    require_in_scope(user, project)
    expected = PROJECT_NEXT.get(project.status)
    if status != expected:
        now = project.get_status_display()
        raise ValidationError(
            f"项目当前为“{now}”，下一步应为“{GrantProject.Status(expected).label}”" if expected else "项目已验收"
        )
    if project.application.state != Application.State.APPROVED:
        raise ValidationError("申请尚未批准，项目不能开始实施")
    if on > timezone.localdate():
        raise ValidationError("日期不能晚于今天")
    previous = [getattr(project, f) for f in PROJECT_DATE_FIELD.values() if getattr(project, f)]
    if previous and on < max(previous):
        raise ValidationError(f"日期不能早于上一步的日期 {max(previous):%Y-%m-%d}")
    before = project.get_status_display()
    project.status = status
    setattr(project, PROJECT_DATE_FIELD[status], on)
    project.save()
    _log(project.application, user, f"资助项目：{before}→{project.get_status_display()}", f"{on:%Y-%m-%d}")
    audit_write(
        action="benefits.project.advanced",
        user=user,
        obj=project,
        person=project.application.person_id,
        data={"status": status, "on": on},
    )
    return project
