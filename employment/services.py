"""Recording employment: status events and assessments, courses and enrolments, start-up
support and its follow-ups, employers, vacancies, placements and quota employment, and the
partner county's records.

Each function is atomic, checks the user's permission and jurisdiction and refuses with a
reason in Chinese, writing nothing. Records about a person go through `canlian.records`
(`record_create`: the person locked and in the user's scope, the day within the person's
registered life, the model's `clean()`, a double entry refused by its unique key).
"""

import datetime
import math

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from benefits.models import Award, Scheme
from benefits.months import month_start
from benefits.selectors import rate_for
from canlian.audit import audit_write
from canlian.records import record_create, record_void, records_changed_once
from canlian.scoping import require_district, require_in_scope
from employment.benefit_rule import PERIOD_YEARS, SCHEME_CODE
from employment.models import (
    Assessment,
    Course,
    CourseEnrolment,
    Employer,
    EmploymentEvent,
    JobPlacement,
    Milestone,
    PartnerDevice,
    PartnerPlacement,
    QuotaEmployment,
    ServicePoint,
    StartupFollowUp,
    StartupState,
    StartupSupport,
    Vacancy,
)
from registry.identifiers import IdentifierError, parse_id_number

FIRST_YEAR = 2016
MAX_COURSE_DAYS = 366
MAX_CAPACITY = 1000
MAX_WAGE_FEN = 10_000_000  # 10 万元 a month
DISTRICT_COURSES = "培训课程由区残联职业训练平台登记"
DISTRICT_PARTNER = "粤桂协作记录由区残联登记"


def _require(user, perm: str, what: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(f"您没有{what}的权限")


def _not_future(day: datetime.date | None, what: str) -> datetime.date:
    if day is None:
        raise ValidationError(f"请填写{what}")
    if day > timezone.localdate():
        raise ValidationError(f"{what}不能晚于今天")
    if day.year < FIRST_YEAR:
        raise ValidationError(f"{what}不能早于 {FIRST_YEAR} 年")
    return day


def _point(point: ServicePoint | None) -> ServicePoint:
    if point is None:
        raise ValidationError("请选择服务网点")
    if not point.is_active:
        raise ValidationError(f"服务网点“{point.name}”已停用")
    return point


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def _wage(fen: int | None, what: str = "月工资") -> int:
    if fen is None:
        raise ValidationError(f"请填写{what}")
    if fen <= 0 or fen > MAX_WAGE_FEN:
        raise ValidationError(f"{what}应大于 0 且不超过 10 万元")
    return fen


# Status and assessment ----------------------------------------------------------------


def status_record(*, user, person, status: str, changed_on: datetime.date, point, note: str = "") -> EmploymentEvent:
    """From `changed_on` the person's employment status is `status` (a dated event)."""
    return record_create(
        model=EmploymentEvent,
        user=user,
        person=person,
        status=status,
        changed_on=changed_on,
        point=_point(point),
        note=_text(note)[:200],
    )


def assessment_record(
    *, user, person, assessed_on: datetime.date, assessor: str, result: str, path: str, point, note: str = ""
) -> Assessment:
    assessor = _text(assessor)
    if not assessor:
        raise ValidationError("请填写评估人")
    return record_create(
        model=Assessment,
        user=user,
        person=person,
        assessed_on=assessed_on,
        assessor=assessor[:40],
        result=result,
        path=path,
        point=_point(point),
        note=_text(note)[:300],
    )


def record_discard(*, user, record, reason: str):
    """Void (作废) a mistaken record of this app."""
    return record_void(record=record, user=user, reason=reason)


# Courses and enrolments ---------------------------------------------------------------


def _course_code(year: int) -> str:
    prefix = f"PX{year}"
    last = Course.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    number = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{number:03d}"


@transaction.atomic
def course_create(
    *,
    user,
    name: str,
    provider: str,
    point,
    starts_on: datetime.date,
    ends_on: datetime.date,
    capacity: int,
    free: bool = True,
    fee_fen: int = 0,
    hours: int = 0,
    description: str = "",
) -> Course:
    _require(user, "employment.add_course", "登记培训课程")
    require_district(user, DISTRICT_COURSES)
    name, provider = _text(name), _text(provider)
    if not name:
        raise ValidationError("请填写课程名称")
    if not provider:
        raise ValidationError("请填写培训机构")
    if starts_on is None or ends_on is None:
        raise ValidationError("请填写开课日期和结课日期")
    if ends_on < starts_on:
        raise ValidationError("结课日期不能早于开课日期")
    if (ends_on - starts_on).days >= MAX_COURSE_DAYS:
        raise ValidationError("一期课程不能超过一年")
    if starts_on.year < FIRST_YEAR:
        raise ValidationError(f"开课日期不能早于 {FIRST_YEAR} 年")
    if not capacity or capacity < 1 or capacity > MAX_CAPACITY:
        raise ValidationError(f"名额应为 1 至 {MAX_CAPACITY} 人")
    if free and fee_fen:
        raise ValidationError("免费培训不收取费用")
    if not free and not fee_fen:
        raise ValidationError("收费培训请填写收费金额")
    # The year's codes are numbered in turn: lock the year's last course.
    list(Course.objects.select_for_update().filter(code__startswith=f"PX{starts_on.year}"))
    return Course.objects.create(
        code=_course_code(starts_on.year),
        name=name[:100],
        provider=provider[:100],
        point=_point(point),
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
        free=free,
        fee_fen=0 if free else fee_fen,
        hours=hours or 0,
        description=_text(description)[:300],
        created_by=user,
    )


@transaction.atomic
def enrol(*, user, course: Course, person, enrolled_on: datetime.date) -> CourseEnrolment:
    """Enrol a person in a course: the course locked, so two officers cannot both take its
    last place; a full course, a second enrolment of the person, a day after the course
    ended are refused."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    _require(user, "employment.add_courseenrolment", "登记培训报名")
    require_in_scope(user, person)
    taken = CourseEnrolment.objects.standing().filter(course=course)
    if taken.filter(person_id=person.pk).exists():
        raise ValidationError(f"{person.name}已报名课程“{course.name}”，请勿重复报名")
    if taken.count() >= course.capacity:
        raise ValidationError(f"课程“{course.name}”名额已满（{course.capacity} 人），不能再报名")
    return record_create(model=CourseEnrolment, user=user, person=person, course=course, enrolled_on=enrolled_on)


def _locked_enrolment(user, enrolment: CourseEnrolment, perm: str, what: str) -> CourseEnrolment:
    _require(user, perm, what)
    locked = CourseEnrolment.objects.select_for_update().select_related("course", "person").get(pk=enrolment.pk)
    require_in_scope(user, locked)
    if locked.voided_at is not None:
        raise ValidationError("该报名已作废")
    return locked


@transaction.atomic
def attendance_record(*, user, enrolment: CourseEnrolment, attended_days: int | None) -> CourseEnrolment:
    """The days the person attended the course (出勤天数), at most the course's days."""
    enrolment = _locked_enrolment(user, enrolment, "employment.change_courseenrolment", "登记培训出勤")
    course = enrolment.course
    days = (course.ends_on - course.starts_on).days + 1
    if attended_days is None or attended_days < 0:
        raise ValidationError("请填写出勤天数")
    if attended_days > days:
        raise ValidationError(f"出勤天数不能超过课程天数（{days} 天）")
    enrolment.attended_days = attended_days
    enrolment.save(update_fields=["attended_days"])
    return enrolment


def completion_check(course: Course, enrolled_on: datetime.date, completed_on: datetime.date | None) -> None:
    """A completion lies in the course's time: not before it started, not before the
    enrolment, not after today. Shared with the import."""
    if completed_on is None:
        raise ValidationError("请填写结业日期")
    if completed_on < course.starts_on:
        raise ValidationError(f"结业日期不能早于课程开课日期（{course.starts_on:%Y-%m-%d}）")
    if completed_on < enrolled_on:
        raise ValidationError(f"结业日期不能早于报名日期（{enrolled_on:%Y-%m-%d}）")
    if completed_on > timezone.localdate():
        raise ValidationError("结业日期不能晚于今天")


@transaction.atomic
def enrolment_complete(
    *, user, enrolment: CourseEnrolment, completed_on: datetime.date, certificate_number: str = ""
) -> CourseEnrolment:
    """The person completed the course (结业) on `completed_on`, with the certificate's number."""
    enrolment = _locked_enrolment(user, enrolment, "employment.change_courseenrolment", "登记培训结业")
    if enrolment.completed_on is not None:
        raise ValidationError(f"{enrolment.person.name}已于 {enrolment.completed_on:%Y-%m-%d} 结业")
    completion_check(enrolment.course, enrolment.enrolled_on, completed_on)
    enrolment.completed_on = completed_on
    enrolment.certificate_number = _text(certificate_number)[:40]
    enrolment.save(update_fields=["completed_on", "certificate_number"])
    audit_write(
        action="employment.courseenrolment.completed",
        user=user,
        obj=enrolment,
        data={"course": enrolment.course.code, "completed_on": completed_on},
    )
    records_changed_once(CourseEnrolment, completed_on.year, area=enrolment.area_code, day=completed_on)
    return enrolment


# Start-up support ---------------------------------------------------------------------


def startup_scheme() -> Scheme:
    scheme = Scheme.objects.filter(code=SCHEME_CODE).first()
    if scheme is None or not scheme.is_active:
        raise ValidationError("创业扶持补贴项目未设置或已停用，请联系区残联管理员")
    return scheme


def period_years(scheme: Scheme) -> int:
    """The rule's period: one grant per household within this many years (a parameter of
    the scheme, in the admin)."""
    value = scheme.params.get("period_years", PERIOD_YEARS)
    return value if isinstance(value, int) and value > 0 else PERIOD_YEARS


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def household_refusal(
    *, person, head_id_number: str, day: datetime.date, years: int, exclude: int | None = None
) -> str:
    """Why the household (its head's ID number, or the person) may not have a start-up
    support on `day`: one waiting for review, or one approved within `years` before it."""
    same = StartupSupport.objects.standing().filter(Q(head_id_number=head_id_number) | Q(person_id=person.pk))
    if exclude is not None:
        same = same.exclude(pk=exclude)
    waiting = same.filter(state=StartupState.SUBMITTED).order_by("applied_on").first()
    if waiting is not None:
        return f"该户已有一份创业扶持申请（{waiting.applied_on:%Y-%m-%d} 申请）待审核，不能重复申请"
    granted = (
        same.filter(state=StartupState.APPROVED, reviewed_on__gt=_years_before(day, years))
        .order_by("-reviewed_on")
        .first()
    )
    if granted is not None:
        return (
            f"该户已于 {granted.reviewed_on:%Y-%m-%d} 获得创业扶持（{granted.get_kind_display()}），"
            f"{years} 年内不能再次获得"
        )
    return ""


@transaction.atomic
def startup_apply(
    *,
    user,
    person,
    head_name: str,
    head_id_number: str,
    household_size: int,
    kind: str,
    business: str,
    applied_on: datetime.date,
    point,
) -> StartupSupport:
    """Take a household's application for start-up or production support."""
    scheme = startup_scheme()
    head_name, business = _text(head_name), _text(business)
    if not head_name:
        raise ValidationError("请填写户主姓名")
    try:
        number = parse_id_number(head_id_number).number
    except IdentifierError as exc:
        raise ValidationError(f"户主公民身份号码：{exc}") from None
    if not household_size or household_size < 1 or household_size > 30:
        raise ValidationError("家庭人口应为 1 至 30 人")
    if not business:
        raise ValidationError("请填写创业或生产项目")
    _not_future(applied_on, "申请日期")
    require_in_scope(user, person)
    # Two applications of one household at once: the second waits for the first's commit.
    list(StartupSupport.objects.select_for_update().filter(head_id_number=number))
    refusal = household_refusal(person=person, head_id_number=number, day=applied_on, years=period_years(scheme))
    if refusal:
        raise ValidationError(refusal)
    return record_create(
        model=StartupSupport,
        user=user,
        person=person,
        head_name=head_name[:40],
        head_id_number=number,
        household_size=household_size,
        kind=kind,
        business=business[:200],
        applied_on=applied_on,
        point=_point(point),
    )


@transaction.atomic
def startup_review(
    *, user, support: StartupSupport, approve: bool, opinion: str = "", reviewed_on: datetime.date | None = None
) -> StartupSupport:
    """The district's review: approval fixes the grant (the scheme's rate of the kind) and
    opens its one-off award, which the grant batch pays; a refusal needs a reason. Never by
    the officer who took the application."""
    _require(user, "employment.review_startupsupport", "审核创业扶持申请")
    require_district(user, "创业扶持申请由区残联审核")
    support = StartupSupport.objects.select_for_update().select_related("person").get(pk=support.pk)
    require_in_scope(user, support)
    if support.voided_at is not None:
        raise ValidationError("该申请已作废")
    if support.state != StartupState.SUBMITTED:
        raise ValidationError(f"该申请已审核（{support.get_state_display()}）")
    if support.recorded_by_id == user.pk:
        raise PermissionDenied("审核人不能审核自己受理的申请")
    reviewed_on = _not_future(reviewed_on or timezone.localdate(), "审核日期")
    if reviewed_on < support.applied_on:
        raise ValidationError("审核日期不能早于申请日期")
    opinion = _text(opinion)[:200]
    scheme = startup_scheme()
    if approve:
        refusal = household_refusal(
            person=support.person,
            head_id_number=support.head_id_number,
            day=reviewed_on,
            years=period_years(scheme),
            exclude=support.pk,
        )
        if refusal:
            raise ValidationError(refusal)
        month = month_start(reviewed_on)
        label = support.get_kind_display()
        rate = rate_for(scheme, month, label)
        if rate is None:
            raise ValidationError(f"未设置{scheme.name}“{label}”的扶持标准，请联系区残联管理员")
        try:
            with transaction.atomic():
                award = Award.objects.create(
                    person=support.person,
                    scheme=scheme,
                    area_code=support.person.area_id,
                    variant=label,
                    start_month=month,
                    source=Award.Source.APPLICATION,
                    created_by=user,
                )
        except IntegrityError:
            raise ValidationError(f"该人员已有一项未发放的{scheme.name}") from None
        support.state, support.amount_fen, support.award = StartupState.APPROVED, rate.amount_fen, award
    else:
        if not opinion:
            raise ValidationError("不予批准须填写审核意见")
        support.state = StartupState.REJECTED
    support.reviewed_by, support.reviewed_on, support.opinion = user, reviewed_on, opinion
    support.save(update_fields=["state", "amount_fen", "award", "reviewed_by", "reviewed_on", "opinion"])
    audit_write(
        action="employment.startupsupport.reviewed",
        user=user,
        obj=support,
        data={"state": support.state, "amount_fen": support.amount_fen, "opinion": opinion},
    )
    records_changed_once(StartupSupport, reviewed_on.year, area=support.area_code, day=reviewed_on)
    return support


def followup_due(support: StartupSupport, milestone: int) -> datetime.date:
    return support.reviewed_on + datetime.timedelta(days=settings.EMPLOYMENT_FOLLOWUP_DAYS[milestone])


@transaction.atomic
def followup_record(
    *,
    user,
    support: StartupSupport,
    milestone: int,
    visited_on: datetime.date,
    business_state: str,
    monthly_income_fen: int | None = None,
    note: str = "",
) -> StartupFollowUp:
    """The follow-up of an approved support's business at 6 or 12 months."""
    support = StartupSupport.objects.select_for_update().select_related("person").get(pk=support.pk)
    require_in_scope(user, support)
    if support.voided_at is not None or support.state != StartupState.APPROVED:
        raise ValidationError("只有已批准的创业扶持才登记回访")
    if milestone not in Milestone.values:
        raise ValidationError("请选择回访节点")
    if visited_on is not None and visited_on < support.reviewed_on:
        raise ValidationError(f"回访日期不能早于批准日期（{support.reviewed_on:%Y-%m-%d}）")
    if monthly_income_fen is not None and monthly_income_fen > MAX_WAGE_FEN:
        raise ValidationError("月收入不能超过 10 万元")
    return record_create(
        model=StartupFollowUp,
        user=user,
        person=support.person,
        support=support,
        milestone=milestone,
        visited_on=visited_on,
        business_state=business_state,
        monthly_income_fen=monthly_income_fen,
        note=_text(note)[:300],
    )


# Employers, vacancies, placements, quota ----------------------------------------------


@transaction.atomic
def employer_create(
    *, user, name: str, kind: str, area, caring: bool = False, credit_code: str = "", address: str = "",
    contact: str = "", phone: str = "",
) -> Employer:  # fmt: skip
    _require(user, "employment.add_employer", "登记用人单位")
    name = _text(name)
    if not name:
        raise ValidationError("请填写单位名称")
    if area is None:
        raise ValidationError("请选择所在镇(街)")
    if Employer.objects.filter(name=name).exists():
        raise ValidationError(f"用人单位“{name}”已登记")
    credit_code = _text(credit_code).upper()
    if credit_code and len(credit_code) != 18:
        raise ValidationError("统一社会信用代码应为 18 位")
    return Employer.objects.create(
        name=name[:100],
        kind=kind,
        area=area,
        caring=bool(caring),
        credit_code=credit_code,
        address=_text(address)[:100],
        contact=_text(contact)[:40],
        phone=_text(phone)[:20],
    )


@transaction.atomic
def vacancy_create(
    *, user, employer: Employer, title: str, openings: int, wage_fen: int, posted_on: datetime.date, point,
    closes_on: datetime.date | None = None, requirements: str = "",
) -> Vacancy:  # fmt: skip
    _require(user, "employment.add_vacancy", "发布招聘岗位")
    title = _text(title)
    if not title:
        raise ValidationError("请填写岗位名称")
    if not openings or openings < 1:
        raise ValidationError("招聘人数至少 1 人")
    _not_future(posted_on, "发布日期")
    if closes_on is not None and closes_on < posted_on:
        raise ValidationError("截止日期不能早于发布日期")
    return Vacancy.objects.create(
        employer=employer,
        title=title[:60],
        openings=openings,
        wage_fen=_wage(wage_fen),
        posted_on=posted_on,
        closes_on=closes_on,
        requirements=_text(requirements)[:200],
        point=_point(point),
    )


@transaction.atomic
def placement_create(
    *, user, person, employer: Employer, job_title: str, started_on: datetime.date, wage_fen: int, point,
    vacancy: Vacancy | None = None, quota: bool = True,
) -> JobPlacement:  # fmt: skip
    """A person placed in a job at an employer from `started_on`."""
    if not employer.is_active:
        raise ValidationError(f"用人单位“{employer.name}”已停用")
    if vacancy is not None and vacancy.employer_id != employer.pk:
        raise ValidationError("所选岗位不属于该用人单位")
    job_title = _text(job_title) or (vacancy.title if vacancy else "")
    if not job_title:
        raise ValidationError("请填写岗位")
    return record_create(
        model=JobPlacement,
        user=user,
        person=person,
        employer=employer,
        vacancy=vacancy,
        job_title=job_title[:60],
        started_on=started_on,
        wage_fen=_wage(wage_fen),
        quota=bool(quota),
        point=_point(point),
    )


@transaction.atomic
def placement_end(*, user, placement: JobPlacement, ended_on: datetime.date, reason: str) -> JobPlacement:
    _require(user, "employment.change_jobplacement", "登记离职")
    placement = JobPlacement.objects.select_for_update().get(pk=placement.pk)
    require_in_scope(user, placement)
    if placement.voided_at is not None:
        raise ValidationError("该就业安置已作废")
    if placement.ended_on is not None:
        raise ValidationError(f"该就业安置已于 {placement.ended_on:%Y-%m-%d} 结束")
    _not_future(ended_on, "离职日期")
    if ended_on < placement.started_on:
        raise ValidationError(f"离职日期不能早于入职日期（{placement.started_on:%Y-%m-%d}）")
    reason = _text(reason)
    if not reason:
        raise ValidationError("请填写离职原因")
    placement.ended_on, placement.end_reason = ended_on, reason[:200]
    placement.save(update_fields=["ended_on", "end_reason"])
    audit_write(action="employment.jobplacement.ended", user=user, obj=placement, data={"ended_on": ended_on})
    records_changed_once(JobPlacement, ended_on.year, area=placement.area_code, day=ended_on)
    return placement


def quota_required(staff: int) -> int:
    """The disabled employees `staff` requires (按比例就业): the quota's share, rounded down
    (an employer of fewer than 67 staff at 1.5% owes none)."""
    return math.floor(staff * settings.EMPLOYMENT_QUOTA_PERMILLE / 1000)


@transaction.atomic
def quota_save(
    *, user, employer: Employer, year: int, staff: int, disabled_employed: int, note: str = ""
) -> QuotaEmployment:
    """The year's quota employment of an employer, as it declares it (one record a year;
    saving again corrects it)."""
    _require(user, "employment.add_quotaemployment", "登记按比例就业")
    today = timezone.localdate()
    if year is None or year < FIRST_YEAR or year > today.year:
        raise ValidationError(f"年度应在 {FIRST_YEAR} 至 {today.year} 年之间")
    if staff is None or staff < 1:
        raise ValidationError("请填写在职职工人数")
    if disabled_employed is None or disabled_employed < 0:
        raise ValidationError("请填写安排残疾人就业人数")
    if disabled_employed > staff:
        raise ValidationError("安排残疾人就业人数不能超过在职职工人数")
    quota, _ = QuotaEmployment.objects.update_or_create(
        employer=employer,
        year=year,
        defaults={
            "staff": staff,
            "disabled_employed": disabled_employed,
            "note": _text(note)[:200],
            "recorded_by": user,
        },
    )
    audit_write(
        action="employment.quota.saved",
        user=user,
        obj=quota,
        data={"year": year, "staff": staff, "disabled_employed": disabled_employed},
    )
    return quota


# The partner county -------------------------------------------------------------------


def _partner_person(name: str, id_number: str, county: str) -> tuple[str, str, str]:
    name, county = _text(name), _text(county)
    if not name:
        raise ValidationError("请填写姓名")
    if not county:
        raise ValidationError("请填写所在县")
    try:
        number = parse_id_number(id_number).number
    except IdentifierError as exc:
        raise ValidationError(f"公民身份号码：{exc}") from None
    return name[:40], number, county[:40]


@transaction.atomic
def partner_placement_create(
    *, user, name: str, id_number: str, county: str, employer: Employer, job_title: str,
    started_on: datetime.date, wage_fen: int, note: str = "",
) -> PartnerPlacement:  # fmt: skip
    _require(user, "employment.add_partnerplacement", "登记协作地区人员就业")
    require_district(user, DISTRICT_PARTNER)
    name, number, county = _partner_person(name, id_number, county)
    job_title = _text(job_title)
    if not job_title:
        raise ValidationError("请填写岗位")
    _not_future(started_on, "入职日期")
    if PartnerPlacement.objects.filter(id_number=number, employer=employer, started_on=started_on).exists():
        raise ValidationError(f"{name}在“{employer.name}”{started_on:%Y-%m-%d} 的入职已登记")
    record = PartnerPlacement.objects.create(
        name=name,
        id_number=number,
        county=county,
        employer=employer,
        job_title=job_title[:60],
        started_on=started_on,
        wage_fen=_wage(wage_fen),
        note=_text(note)[:200],
        recorded_by=user,
    )
    audit_write(action="employment.partner.recorded", user=user, obj=record, data={"kind": "placement"})
    return record


@transaction.atomic
def partner_device_create(
    *, user, name: str, id_number: str, county: str, device: str, quantity: int, sent_on: datetime.date,
    note: str = "",
) -> PartnerDevice:  # fmt: skip
    _require(user, "employment.add_partnerdevice", "登记协作地区辅助器具")
    require_district(user, DISTRICT_PARTNER)
    name, number, county = _partner_person(name, id_number, county)
    device = _text(device)
    if not device:
        raise ValidationError("请填写辅助器具名称")
    if not quantity or quantity < 1 or quantity > 100:
        raise ValidationError("数量应为 1 至 100")
    _not_future(sent_on, "发放日期")
    record = PartnerDevice.objects.create(
        name=name,
        id_number=number,
        county=county,
        device=device[:60],
        quantity=quantity,
        sent_on=sent_on,
        note=_text(note)[:200],
        recorded_by=user,
    )
    audit_write(action="employment.partner.recorded", user=user, obj=record, data={"kind": "device"})
    return record
