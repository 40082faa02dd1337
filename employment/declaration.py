"""What employment contributes: the network, courses, start-up support, employers and the
partner county's pages under the group 就业, each role's permissions, the person page's
block, the records of the timeline, the indicators (free skills training completed, start-up
households, placements, the employed share of working-age persons), the follow-ups of
start-up support on the work list and the demo's network, courses and households."""

import datetime
from types import SimpleNamespace

from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from canlian.declarations import (
    AppDeclaration,
    DemoStep,
    NavEntry,
    PersonPanel,
    ScopedUrl,
    WorkItemKind,
    WorkItems,
    WorkLine,
)
from canlian.import_views import import_scoped_urls
from canlian.indicators import Indicator, Measure, Unit, in_year
from canlian.worklist import DaysAfter
from employment import selectors
from employment.imports import EnrolmentImporter
from employment.models import (
    EMPLOYED,
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
from employment.panels import person_employment, timeline

PERSONAL = "registry.view_personal_data"
GROUP = "就业"
REFERENCE = (
    "employment.view_servicepoint",
    "employment.view_course",
    "employment.view_employer",
    "employment.view_vacancy",
    "employment.view_quotaemployment",
    "employment.view_figures",
)
PERSONS = (
    "employment.view_employmentevent",
    "employment.view_assessment",
    "employment.view_courseenrolment",
    "employment.view_startupsupport",
    "employment.view_startupfollowup",
    "employment.view_jobplacement",
)
EXPORTS = (
    "employment.export_courseenrolments",
    "employment.export_startupsupports",
    "employment.export_jobplacements",
)
TOWN_WRITE = (
    "employment.add_employmentevent",
    "employment.void_employmentevent",
    "employment.add_assessment",
    "employment.void_assessment",
    "employment.add_courseenrolment",
    "employment.change_courseenrolment",
    "employment.void_courseenrolment",
    "employment.add_startupsupport",
    "employment.void_startupsupport",
    "employment.add_startupfollowup",
    "employment.void_startupfollowup",
    "employment.add_jobplacement",
    "employment.change_jobplacement",
    "employment.void_jobplacement",
    "employment.add_employer",
    "employment.add_vacancy",
    "employment.add_quotaemployment",
)
PARTNER_READ = ("employment.view_partnerplacement", "employment.view_partnerdevice")
DISTRICT_WRITE = (
    "employment.add_course",
    "employment.change_course",
    "employment.review_startupsupport",
    "employment.add_partnerplacement",
    "employment.add_partnerdevice",
)
HOUSEHOLDS = "户"


# Indicators ------------------------------------------------------------------------------


def trained(year: int) -> Measure:
    """Persons who completed a free skills course in the year (the month of completion),
    by the person's community."""
    rows = CourseEnrolment.objects.standing().filter(in_year("completed_on", year), course__free=True)
    return Measure(rows=rows, area="area_code", month="completed_on", value=Count("person", distinct=True))


def startup_households(year: int) -> Measure:
    """Households whose start-up support was approved in the year (the month of approval)."""
    rows = StartupSupport.objects.standing().filter(in_year("reviewed_on", year), state=StartupState.APPROVED)
    return Measure(rows=rows, area="area_code", month="reviewed_on", value=Count("head_id_number", distinct=True))


def placed(year: int) -> Measure:
    """Persons placed in a job in the year (the month they started)."""
    rows = JobPlacement.objects.standing().filter(in_year("started_on", year))
    return Measure(rows=rows, area="area_code", month="started_on", value=Count("person", distinct=True))


def _share(day: datetime.date) -> Measure:
    rows = selectors.working_age_status(day)
    return Measure(
        rows=rows,
        area="area_id",
        month=None,
        value=Count("pk", filter=Q(employment_status__in=EMPLOYED)),
        base=Count("pk"),
    )


def employed_share(year: int) -> Measure:
    """Working-age (16–59) active persons whose employment status today is employed,
    self-employed or assisted, over all working-age active persons (a stock: its monthly
    series is the figure at each month's last refresh)."""
    return _share(timezone.localdate() + datetime.timedelta(days=1))


def employed_share_on(day: datetime.date) -> Measure:
    """The same share at the start of `day` (a month-end of a month no refresh ran in)."""
    return _share(day)


INDICATORS = (
    Indicator(
        "employment_trained",
        "完成免费职业技能培训的持证残疾人",
        Unit.PERSONS,
        "employment",
        trained,
        "当年在免费职业技能培训课程中结业的持证残疾人，计入结业月份",
        incremental=True,
    ),
    Indicator(
        "employment_startup_households",
        "获得自主创业及发展生产扶持的家庭",
        HOUSEHOLDS,
        "employment",
        startup_households,
        "当年批准创业扶持的家庭（按户主公民身份号码计），计入批准月份",
        incremental=True,
    ),
    Indicator(
        "employment_placed",
        "新就业安置的持证残疾人",
        Unit.PERSONS,
        "employment",
        placed,
        "当年入职的就业安置人数",
        incremental=True,
    ),
    Indicator(
        "employment_employed_share",
        "就业年龄段持证残疾人就业比例",
        Unit.SHARE,
        "employment",
        employed_share,
        "16–59 岁状态正常的持证残疾人中，就业状态为就业、自主创业/灵活就业或辅助性就业的比例"
        "（各月为当月最后一次计算时的比例）",
        measure_on=employed_share_on,
    ),
)


def record_years() -> set[int]:
    years = {d.year for d in Course.objects.dates("starts_on", "year")}
    years |= {d.year for d in StartupSupport.objects.standing().exclude(reviewed_on=None).dates("reviewed_on", "year")}
    years |= {d.year for d in JobPlacement.objects.standing().dates("started_on", "year")}
    return years


# The work list: follow-ups of start-up support --------------------------------------------


def _followup_kind(milestone: int):
    label = Milestone(milestone).label

    def line(support) -> WorkLine:
        url = reverse("employment:startup_detail", args=[support.pk]) + "#followups"
        return WorkLine(f"{support.head_name}户创业扶持（{support.business}）{label}", url, support.person)

    def items(user, today):
        days = settings.EMPLOYMENT_FOLLOWUP_DAYS[milestone]
        rows = selectors.followups_due(
            user, milestone, today, days=days, notice=settings.EMPLOYMENT_FOLLOWUP_NOTICE_DAYS
        )
        return WorkItems(rows=rows, due=DaysAfter("reviewed_on", days), line=line, related=("person__area",))

    return items


WORKLIST = (
    WorkItemKind(
        "startup_followup_6",
        "创业扶持 6 个月回访",
        100,
        ("employment.add_startupfollowup", PERSONAL),
        _followup_kind(6),
    ),
    WorkItemKind(
        "startup_followup_12",
        "创业扶持 12 个月回访",
        101,
        ("employment.add_startupfollowup", PERSONAL),
        _followup_kind(12),
    ),
)


def seed(stdout, options: dict) -> None:
    call_command("seed_employment", seed=options["seed"], stdout=stdout)


# Scope test: an object of the home town and one of the other town -----------------------


def scope_world(world) -> None:
    """A service point, a course and an employer (the district's: every officer's), and for
    each town's person, by that town's officer: a status, an assessment, an enrolment, a
    start-up application and a placement."""
    from employment import services

    point = ServicePoint.objects.get(code="JY02")
    today = timezone.localdate()
    start = today - datetime.timedelta(days=20)
    course = services.course_create(
        user=world.users["admin"],
        name="范围测试课程",
        provider="范围测试机构",
        point=point,
        starts_on=start,
        ends_on=today,
        capacity=10,
    )
    employer = Employer.objects.create(name="范围测试单位", kind="enterprise", area=world.areas["baisha"])
    made = {}
    for key, officer, person in (("home", "officer", world.person), ("other", "other_officer", world.other_person)):
        user = world.users[officer]
        made[key] = SimpleNamespace(
            status=services.status_record(user=user, person=person, status="seeking", changed_on=start, point=point),
            assessment=services.assessment_record(
                user=user,
                person=person,
                assessed_on=start,
                assessor="范围测试",
                result="able",
                path="quota",
                point=point,
            ),
            enrolment=services.enrol(user=user, course=course, person=person, enrolled_on=start),
            startup=services.startup_apply(
                user=user,
                person=person,
                head_name="范围测试户主",
                head_id_number=person.id_number,
                household_size=3,
                kind="startup",
                business="范围测试项目",
                applied_on=start,
                point=point,
            ),
            placement=services.placement_create(
                user=user,
                person=person,
                employer=employer,
                job_title="范围测试岗位",
                started_on=start,
                wage_fen=300000,
                point=point,
            ),
        )
    world.employment = SimpleNamespace(point=point, course=course, employer=employer, **made)


def _records(name: str, attribute: str):
    return lambda world: tuple(
        reverse(name, args=[getattr(getattr(world.employment, key), attribute).pk]) for key in ("home", "other")
    )


def _persons(name: str):
    return lambda world: tuple(reverse(name, args=[p.pk]) for p in (world.person, world.other_person))


def _course(name: str):
    return lambda world: (reverse(name, args=[world.employment.course.pk]), None)


def _employer(name: str):
    return lambda world: (reverse(name, args=[world.employment.employer.pk]), None)


def _written() -> int:
    total = 0
    for model in (EmploymentEvent, Assessment, CourseEnrolment, StartupSupport, StartupFollowUp, JobPlacement):
        total += model.objects.count() + model.objects.exclude(voided_at=None).count()
    return (
        total
        + CourseEnrolment.objects.exclude(completed_on=None).count()
        + CourseEnrolment.objects.filter(attended_days__gt=0).count()
        + StartupSupport.objects.exclude(state=StartupState.SUBMITTED).count()
        + JobPlacement.objects.exclude(ended_on=None).count()
        + Course.objects.count()
        + Employer.objects.count()
        + Vacancy.objects.count()
        + QuotaEmployment.objects.count()
        + PartnerPlacement.objects.count()
        + PartnerDevice.objects.count()
    )


def _today(world) -> dict:
    day = f"{timezone.localdate():%Y-%m-%d}"
    return {"reason": "范围测试", "ended_on": day, "completed_on": day, "decision": "approve"}


def _post(permission, objects, **kwargs) -> ScopedUrl:
    return ScopedUrl.post(permission, objects, written=_written, data=_today, **kwargs)


declaration = AppDeclaration(
    nav=(
        NavEntry("employment:network", "就业服务网络", "employment.view_servicepoint", 99, group=GROUP),
        NavEntry("employment:course_list", "职业技能培训", "employment.view_course", 99, group=GROUP),
        NavEntry("employment:startup_list", "创业扶持", ("employment.view_startupsupport", PERSONAL), 99, group=GROUP),
        NavEntry("employment:employer_list", "用人单位与安置", "employment.view_employer", 99, group=GROUP),
        NavEntry("employment:partner", "粤桂协作", "employment.view_partnerplacement", 99, group=GROUP),
        NavEntry("employment:figures", "就业统计", "employment.view_figures", 99, group=GROUP),
    ),
    role_permissions={
        Role.DISTRICT_ADMIN: (
            *REFERENCE,
            *PERSONS,
            *EXPORTS,
            *TOWN_WRITE,
            *PARTNER_READ,
            *DISTRICT_WRITE,
            "employment.change_employer",
        ),
        Role.DISTRICT_REVIEWER: (*REFERENCE, *PERSONS, *EXPORTS, *PARTNER_READ, "employment.review_startupsupport"),
        Role.TOWN_OFFICER: (*REFERENCE, *PERSONS, *EXPORTS, *TOWN_WRITE),
        # Figures only: the network, courses and employers with their counts, never a name.
        Role.LEADER: (
            "employment.view_servicepoint",
            "employment.view_course",
            "employment.view_employer",
            "employment.view_figures",
        ),
    },
    panels=(PersonPanel("employment/_person_employment.html", person_employment, 45),),
    timeline=timeline,
    timeline_kinds={
        "employment_status": "就业状态",
        "employment_assessment": "职业能力评估",
        "employment_training": "职业培训",
        "employment_startup": "创业扶持",
        "employment_job": "就业安置",
    },
    indicators=INDICATORS,
    demo=DemoStep(run=seed, order=60, after=("registry", "benefits")),
    scope_world=scope_world,
    worklist=WORKLIST,
    urls={
        "employment:network": ScopedUrl("employment.view_servicepoint"),
        "employment:figures": ScopedUrl("employment.view_figures"),
        "employment:status_add": _post("employment.add_employmentevent", _persons("employment:status_add")),
        "employment:assessment_add": _post("employment.add_assessment", _persons("employment:assessment_add")),
        "employment:startup_create": ScopedUrl("employment.add_startupsupport", _persons("employment:startup_create")),
        "employment:placement_create": ScopedUrl(
            "employment.add_jobplacement", _persons("employment:placement_create")
        ),
        "employment:status_void": _post(
            "employment.void_employmentevent", _records("employment:status_void", "status")
        ),
        "employment:assessment_void": _post(
            "employment.void_assessment", _records("employment:assessment_void", "assessment")
        ),
        "employment:course_list": ScopedUrl("employment.view_course"),
        "employment:course_create": ScopedUrl("employment.add_course"),
        "employment:course_detail": ScopedUrl(
            "employment.view_course", _course("employment:course_detail"), scope="none"
        ),
        "employment:enrol": _post("employment.add_courseenrolment", _course("employment:enrol"), scope="none"),
        "employment:enrolment_export": ScopedUrl(
            ("employment.export_courseenrolments", PERSONAL, "employment.view_courseenrolment"),
            _course("employment:enrolment_export"),
            scope="none",
        ),
        "employment:enrolment_attendance": _post(
            "employment.change_courseenrolment", _records("employment:enrolment_attendance", "enrolment")
        ),
        "employment:enrolment_complete": _post(
            "employment.change_courseenrolment", _records("employment:enrolment_complete", "enrolment")
        ),
        "employment:enrolment_void": _post(
            "employment.void_courseenrolment", _records("employment:enrolment_void", "enrolment")
        ),
        "employment:startup_list": ScopedUrl(("employment.view_startupsupport", PERSONAL)),
        "employment:startup_export": ScopedUrl(
            ("employment.export_startupsupports", PERSONAL, "employment.view_startupsupport")
        ),
        "employment:startup_detail": ScopedUrl(
            ("employment.view_startupsupport", PERSONAL), _records("employment:startup_detail", "startup")
        ),
        "employment:startup_review": _post(
            "employment.review_startupsupport", _records("employment:startup_review", "startup")
        ),
        "employment:followup_add": _post(
            "employment.add_startupfollowup", _records("employment:followup_add", "startup")
        ),
        "employment:startup_void": _post(
            "employment.void_startupsupport", _records("employment:startup_void", "startup")
        ),
        "employment:employer_list": ScopedUrl("employment.view_employer"),
        "employment:employer_create": ScopedUrl("employment.add_employer"),
        "employment:employer_detail": ScopedUrl(
            "employment.view_employer", _employer("employment:employer_detail"), scope="none"
        ),
        "employment:vacancy_add": _post("employment.add_vacancy", _employer("employment:vacancy_add"), scope="none"),
        "employment:quota_save": _post(
            "employment.add_quotaemployment", _employer("employment:quota_save"), scope="none"
        ),
        "employment:placement_list": ScopedUrl(("employment.view_jobplacement", PERSONAL)),
        "employment:placement_export": ScopedUrl(
            ("employment.export_jobplacements", PERSONAL, "employment.view_jobplacement")
        ),
        "employment:placement_end": _post(
            "employment.change_jobplacement", _records("employment:placement_end", "placement")
        ),
        "employment:placement_void": _post(
            "employment.void_jobplacement", _records("employment:placement_void", "placement")
        ),
        "employment:partner": ScopedUrl("employment.view_partnerplacement"),
        "employment:partner_placement_add": _post("employment.add_partnerplacement", None, scope="none"),
        "employment:partner_device_add": _post("employment.add_partnerdevice", None, scope="none"),
        "employment:partner_export": ScopedUrl("employment.view_partnerplacement"),
        **import_scoped_urls(EnrolmentImporter, "employment:enrolments_import"),
    },
    sqlite_tests=("tests/test_indicators.py", "tests/test_training.py"),
    record_years=record_years,
)
