"""What benefits contributes: the application, eligibility, payroll and grant pages, the
benefits permissions of each role, the person page's benefits block, the applications,
awards and paid months of the timeline, the payroll indicators, the demo payrolls, and the
work list's applications and batches waiting for the user's step."""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from benefits.grants import batch_label
from benefits.models import (
    Application,
    ApplicationAttachment,
    ApplicationStep,
    Award,
    GrantProject,
    PaymentMonth,
    PayrollBatch,
    Scheme,
    Vehicle,
)
from benefits.selectors import (
    applications_for_decision,
    applications_for_town_review,
    awards_overlapping,
    batches_for_approval,
    notices_ended,
    paid_lines,
)
from benefits.tasks import JOB_KIND
from benefits.templatetags.benefits_tags import person_benefits
from canlian.declarations import (
    AnyOf,
    AppDeclaration,
    DemoStep,
    NavEntry,
    PersonPanel,
    ScopedUrl,
    TimelineEntry,
    WorkItemKind,
    WorkItems,
    WorkLine,
)
from canlian.indicators import Indicator, Measure, Unit
from canlian.models import Job
from canlian.scoping import is_district_user
from canlian.worklist import DaysAfter, MonthEnd
from registry.scoping import Privacy

READ = (
    "benefits.view_scheme",
    "benefits.view_rate",
    "benefits.view_application",
    "benefits.view_award",
    "benefits.view_payrollbatch",
    "benefits.view_eligibility",
)


def paid_years() -> set[int]:
    """The years of approved batches."""
    return {d.year for d in PayrollBatch.objects.exclude(state=PayrollBatch.State.DRAFT).dates("month", "year")}


def paid_persons(*scheme_codes: str) -> Callable[[int], Measure]:
    """Persons paid by the year's approved batches of the schemes (each once per area and
    period, however many months a line of back pay covers)."""

    def measure(year: int) -> Measure:
        return Measure(
            rows=paid_lines(scheme_codes, year),
            area="area_code",
            month="batch__month",
            value=Count("person", distinct=True),
        )

    return measure


def paid_times(*scheme_codes: str) -> Callable[[int], Measure]:
    """Payments (person-times) of the year's approved batches of the schemes."""

    def measure(year: int) -> Measure:
        return Measure(rows=paid_lines(scheme_codes, year), area="area_code", month="batch__month", value=Count("id"))

    return measure


def paid_amount(*scheme_codes: str) -> Callable[[int], Measure]:
    """Fen paid by the year's approved batches of the schemes."""

    def measure(year: int) -> Measure:
        return Measure(
            rows=paid_lines(scheme_codes, year), area="area_code", month="batch__month", value=Sum("amount_fen")
        )

    return measure


ONE_OFF_GRANTS = ("hardship", "house_repair", "home_adaptation")


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d} 元"


def timeline(person, user):
    """Applications and each of their steps, awards (start and end) and paid months; each
    part only for a user who may view it; the free-text reasons only for a user who sees
    personal data. Four queries, however long the history."""
    may_applications = user.has_perm("benefits.view_application")
    personal = Privacy.for_user(user).personal
    if may_applications:
        for app in person.applications.select_related("scheme"):
            url = reverse("benefits:application_detail", args=[app.pk])
            yield TimelineEntry(
                app.applied_on, "application", "补贴申请", f"申请{app.scheme.name}", app.get_state_display(), url
            )
        steps = ApplicationStep.objects.filter(application__person=person).select_related("application__scheme")
        for step in steps:
            url = reverse("benefits:application_detail", args=[step.application_id])
            title = f"{step.application.scheme.name}：{step.action}"
            reason = step.reason if personal else ""
            yield TimelineEntry(timezone.localdate(step.at), "application", "补贴申请", title, reason, url)
    if not user.has_perm("benefits.view_award"):
        return
    for award in person.awards.select_related("scheme"):
        url = (
            reverse("benefits:application_detail", args=[award.application_id])
            if award.application_id and may_applications
            else ""
        )
        yield TimelineEntry(
            award.start_month, "award", "享受资格", f"开始享受{award.scheme.name}", award.get_source_display(), url
        )
        if award.end_month:
            yield TimelineEntry(
                award.end_month,
                "award",
                "享受资格",
                f"{award.scheme.name}终止（最后发放月份）",
                award.end_reason if personal else "",
                url,
            )
    may_batches = user.has_perm("benefits.view_payrollbatch")
    for line in PaymentMonth.objects.paid().filter(person=person).select_related("scheme"):
        url = reverse("benefits:batch_detail", args=[line.batch_id]) if may_batches else ""
        yield TimelineEntry(
            line.month, "payment", "补贴发放", f"{line.scheme.name} {line.month:%Y-%m}", _yuan(line.amount_fen), url
        )


# The work list: applications waiting for the user's step, batches for approval ----------

APPLICATION_ROW = ("person__area", "scheme")


def _application_line(describe: Callable[[Application], str]) -> Callable[[Application], WorkLine]:
    def line(application: Application) -> WorkLine:
        url = reverse("benefits:application_detail", args=[application.pk])
        return WorkLine(describe(application), url, application.person)

    return line


def work_town_review(user, today):
    """Due the town's time limit after the day of application."""
    return WorkItems(
        rows=applications_for_town_review(user),
        due=DaysAfter("applied_on", settings.BENEFITS_TOWN_REVIEW_DAYS),
        line=_application_line(lambda a: f"{a.scheme.name}申请待初审（{a.applied_on:%Y-%m-%d}受理）"),
        related=APPLICATION_ROW,
    )


def work_notice_ended(user, today):
    """Due the day the notice ends: from then it may be closed."""
    return WorkItems(
        rows=notices_ended(user, today),
        due="notice_until",
        line=_application_line(lambda a: f"{a.scheme.name}公示期满，待结束公示"),
        related=APPLICATION_ROW,
    )


def work_district_review(user, today):
    """Due the district's time limit after the notice ended (the earliest the district
    could have it)."""
    return WorkItems(
        rows=applications_for_decision(user),
        due=DaysAfter("notice_until", settings.BENEFITS_DISTRICT_REVIEW_DAYS),
        line=_application_line(lambda a: f"{a.scheme.name}申请待区残联审批"),
        related=APPLICATION_ROW,
    )


def work_batch_approval(user, today):
    """Due by the end of the batch's month: a month's payments are approved in it."""
    if not is_district_user(user):
        return None

    def line(batch: PayrollBatch) -> WorkLine:
        text = f"{batch_label(batch)}发放批次待审核（{batch.person_count} 人，{_yuan(batch.total_fen)}）"
        return WorkLine(text, reverse("benefits:batch_detail", args=[batch.pk]))

    return WorkItems(rows=batches_for_approval(user), due=MonthEnd("month"), line=line, related=("scheme",))


WORKLIST = (
    WorkItemKind(
        "town_review",
        "补贴申请待初审",
        10,
        ("benefits.town_review_application", "registry.view_personal_data"),
        work_town_review,
    ),
    WorkItemKind(
        "notice_ended",
        "公示期满待处理",
        20,
        ("benefits.town_review_application", "registry.view_personal_data"),
        work_notice_ended,
    ),
    WorkItemKind(
        "district_review",
        "补贴申请待审批",
        30,
        ("benefits.decide_application", "registry.view_personal_data"),
        work_district_review,
    ),
    WorkItemKind("batch_approval", "发放批次待审核", 40, "benefits.approve_payroll", work_batch_approval),
)


def seed(stdout, options: dict) -> None:
    call_command("seed_benefits", stdout=stdout)


# Scope test: an object of the home town and one of the other town -----------------------


def _application(world, person, code: str = "living") -> Application:
    """The person's open application of the scheme (one may be open at a time)."""
    scheme = Scheme.objects.get(code=code)
    return Application.objects.filter(person=person, scheme=scheme).first() or Application.objects.create(
        person=person,
        scheme=scheme,
        area_code=person.area_id,
        applied_on=datetime.date(2026, 1, 5),
        applicant=Application.Applicant.SELF,
        submitted_by=world.users["admin"],
    )


def _per_person(name: str, make):
    """URLs of `name` for an object `make(world, person)` of each town's person."""

    def objects(world):
        return tuple(reverse(name, args=[make(world, p).pk]) for p in (world.person, world.other_person))

    return objects


def _attachments(world):
    urls = []
    for person in (world.person, world.other_person):
        application = _application(world, person)
        attachment = ApplicationAttachment(application=application, title="身份证", uploaded_by=world.users["admin"])
        attachment.file.save("id.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
        urls.append(reverse("benefits:application_attachment", args=[application.pk, attachment.pk]))
    return tuple(urls)


def _award(world, person) -> Award:
    """The person's open living-subsidy award (one may be open at a time)."""
    scheme = Scheme.objects.get(code="living")
    return Award.objects.filter(person=person, scheme=scheme).first() or Award.objects.create(
        person=person,
        scheme=scheme,
        area_code=person.area_id,
        start_month=datetime.date(2025, 1, 1),
        source=Award.Source.IMPORT,
    )


def _batch(world, code: str, state: str) -> PayrollBatch:
    """A batch of a month of 2025 paying both towns' persons (the pages show each user the
    lines of their own scope only); each call takes the next month."""
    scheme = Scheme.objects.get(code=code)
    month = datetime.date(2025, PayrollBatch.objects.filter(scheme=scheme).count() + 1, 1)
    batch = PayrollBatch.objects.create(scheme=scheme, month=month, state=state, prepared_by=world.users["admin"])
    for person in (world.person, world.other_person):
        award = _award(world, person)
        PaymentMonth.objects.create(
            batch=batch,
            scheme=scheme,
            person=person,
            award=award,
            area_code=person.area_id,
            month=batch.month,
            amount_fen=21700,
        )
    return batch


def _batch_urls(name: str, code: str = "living", state: str = PayrollBatch.State.APPROVED):
    return lambda world: (reverse(name, args=[_batch(world, code, state).pk]), None)


def _runs(world):
    urls = []
    for key in ("officer", "other_officer"):
        run = Job.objects.create(kind=JOB_KIND, title="生成发放批次", created_by=world.users[key])
        urls.append(reverse("benefits:run_status", args=[run.pk]))
    return tuple(urls)


def _vehicle(world, person) -> Vehicle:
    return Vehicle.objects.create(person=person, plate=f"粤J{person.pk:05d}", registered_on=datetime.date(2025, 3, 1))


def _project(world, person) -> GrantProject:
    application = _application(world, person, "house_repair")
    return GrantProject.objects.create(
        application=application,
        kind="house_repair",
        description="屋顶修缮",
        budget_fen=500000,
        created_by=world.users["admin"],
    )


def _project_create(world, person) -> Application:
    """An application still waiting for its project record (another scheme than
    `_project`'s, whose application has one)."""
    return _application(world, person, "home_adaptation")


def _apply_urls(world):
    return tuple(reverse("benefits:application_create") + f"?person={p.pk}" for p in (world.person, world.other_person))


PROJECT_EDITOR = ("benefits.view_application", AnyOf("benefits.town_review_application", "benefits.change_award"))


def _changes() -> int:
    """What a refused POST could have changed: steps, ended awards, approvals, retirements,
    project progress."""
    return (
        ApplicationStep.objects.count()
        + Award.objects.exclude(end_month=None).count()
        + PayrollBatch.objects.exclude(approved_at=None).count()
        + Vehicle.objects.exclude(retired_on=None).count()
        + GrantProject.objects.exclude(status=GrantProject.Status.PENDING).count()
    )


declaration = AppDeclaration(
    nav=(
        NavEntry(
            "benefits:application_list",
            "补贴申请",
            ("benefits.view_application", "registry.view_personal_data"),
            40,
            group="补贴资助",
        ),
        NavEntry("benefits:eligibility", "资格比对", "benefits.view_eligibility", 50, group="补贴资助"),
        NavEntry("benefits:batch_list", "补贴发放", "benefits.view_payrollbatch", 60, group="补贴资助"),
        NavEntry("benefits:grant_list", "其他资助", "benefits.view_award", 70, group="补贴资助"),
    ),
    role_permissions={
        Role.DISTRICT_ADMIN: (
            *READ,
            "benefits.add_scheme",
            "benefits.change_scheme",
            "benefits.add_rate",
            "benefits.change_rate",
            "benefits.change_award",
            "benefits.prepare_payroll",
            "benefits.export_payroll",
            "benefits.add_vehicle",
            "benefits.change_vehicle",
            "benefits.view_vehicle",
        ),
        Role.DISTRICT_REVIEWER: (
            *READ,
            "benefits.decide_application",
            "benefits.approve_payroll",
            "benefits.export_payroll",
            "benefits.change_award",
        ),
        Role.TOWN_OFFICER: (
            *READ,
            "benefits.add_application",
            "benefits.town_review_application",
            "benefits.view_vehicle",
            "benefits.add_vehicle",
        ),
        Role.LEADER: ("benefits.view_scheme", "benefits.view_payrollbatch", "benefits.view_award"),
    },
    panels=(PersonPanel("benefits/_person_benefits.html", person_benefits, 20),),
    timeline=timeline,
    timeline_kinds={"application": "补贴申请", "award": "享受资格", "payment": "补贴发放"},
    indicators=(
        Indicator(
            "living_recipients",
            "生活补贴发放人数",
            Unit.PERSONS,
            "payroll",
            paid_persons("living"),
            "已审核发放批次中的困难残疾人生活补贴人数",
            incremental=True,
            year_by_first_months=True,
        ),
        Indicator(
            "living_amount",
            "生活补贴发放金额",
            Unit.YUAN,
            "payroll",
            paid_amount("living"),
            "已审核发放批次的困难残疾人生活补贴金额（含补发）",
            incremental=True,
        ),
        Indicator(
            "nursing_recipients",
            "护理补贴发放人数",
            Unit.PERSONS,
            "payroll",
            paid_persons("nursing"),
            "已审核发放批次中的重度残疾人护理补贴人数",
            incremental=True,
            year_by_first_months=True,
        ),
        Indicator(
            "nursing_amount",
            "护理补贴发放金额",
            Unit.YUAN,
            "payroll",
            paid_amount("nursing"),
            "已审核发放批次的重度残疾人护理补贴金额（含补发）",
            incremental=True,
        ),
        Indicator(
            "fuel_recipients",
            "燃油补贴发放人数",
            Unit.PERSONS,
            "payroll",
            paid_persons("fuel"),
            "已审核的机动轮椅车燃油补贴年度批次人数",
            incremental=True,
            year_by_first_months=True,
        ),
        Indicator(
            "education_students",
            "教育资助学生人数",
            Unit.PERSONS,
            "payroll",
            paid_persons("education"),
            "已审核的残疾学生教育资助年度批次人数",
            incremental=True,
            year_by_first_months=True,
        ),
        Indicator(
            "insurance_insured",
            "重大疾病和意外伤害保险参保人数",
            Unit.PERSONS,
            "payroll",
            paid_persons("insurance"),
            "已审核的保险年度批次（保费已付）人数",
            incremental=True,
            year_by_first_months=True,
        ),
        Indicator(
            "basic_insurance_insured",
            "基本医疗和养老保险代缴人数",
            Unit.PERSONS,
            "payroll",
            paid_persons("basic_insurance"),
            "已审核的城乡居民基本医疗和养老保险代缴批次人数",
            incremental=True,
            year_by_first_months=True,
        ),
        Indicator(
            "one_off_grants",
            "临时救助、危房改造和无障碍改造资助人次",
            Unit.PERSON_TIMES,
            "payroll",
            paid_times(*ONE_OFF_GRANTS),
            "已审核的一次性资助批次人次",
            incremental=True,
        ),
        *(
            Indicator(
                f"{code}_grants",
                name,
                Unit.PERSON_TIMES,
                "payroll",
                paid_times(code),
                f"已审核的{name.removesuffix('人次')}批次人次",
                incremental=True,
            )
            for code, name in (
                ("hardship", "临时困难救助人次"),
                ("house_repair", "危房改造资助人次"),
                ("home_adaptation", "居家无障碍改造资助人次"),
            )
        ),
        Indicator(
            "grants_amount",
            "其他资助发放金额",
            Unit.YUAN,
            "payroll",
            paid_amount("fuel", "education", "insurance", "basic_insurance", *ONE_OFF_GRANTS),
            "已审核的年度和一次性资助批次金额",
            incremental=True,
        ),
    ),
    demo=DemoStep(run=seed, order=20, after=("registry",)),
    urls={
        "benefits:application_list": ScopedUrl("benefits.view_application"),
        "benefits:application_create": ScopedUrl("benefits.add_application", _apply_urls),
        "benefits:application_detail": ScopedUrl(
            "benefits.view_application", _per_person("benefits:application_detail", _application)
        ),
        "benefits:application_town_review": ScopedUrl.post(
            "benefits.view_application", _per_person("benefits:application_town_review", _application), written=_changes
        ),
        "benefits:application_end_notice": ScopedUrl.post(
            "benefits.view_application", _per_person("benefits:application_end_notice", _application), written=_changes
        ),
        "benefits:application_decide": ScopedUrl.post(
            "benefits.view_application", _per_person("benefits:application_decide", _application), written=_changes
        ),
        # Attachments are personal data, checked after the scope.
        "benefits:application_attachment": ScopedUrl(
            ("benefits.view_application", "registry.view_personal_data"), _attachments
        ),
        "benefits:award_end": ScopedUrl.post(
            "benefits.change_award",
            _per_person("benefits:award_end", _award),
            data=lambda world: {"end_month": "2026-02", "reason": "范围测试"},
            written=_changes,
        ),
        "benefits:batch_list": ScopedUrl("benefits.view_payrollbatch"),
        "benefits:batch_generate": ScopedUrl("benefits.prepare_payroll", method="POST"),
        "benefits:run_status": ScopedUrl("benefits.prepare_payroll", _runs, scope="owner"),
        "benefits:batch_detail": ScopedUrl(
            "benefits.view_payrollbatch", _batch_urls("benefits:batch_detail"), scope="none"
        ),
        "benefits:batch_approve": ScopedUrl(
            "benefits.approve_payroll",
            _batch_urls("benefits:batch_approve", state=PayrollBatch.State.DRAFT),
            scope="none",
            method="POST",
            written=_changes,
        ),
        "benefits:batch_export": ScopedUrl(
            "benefits.export_payroll",
            _batch_urls("benefits:batch_export"),
            scope="none",
            method="POST",
            written=lambda: PayrollBatch.objects.exclude(exported_at=None).count(),
        ),
        "benefits:batch_summary": ScopedUrl(
            "benefits.view_payrollbatch", _batch_urls("benefits:batch_summary"), scope="none"
        ),
        "benefits:eligibility": ScopedUrl("benefits.view_eligibility"),
        "benefits:eligibility_export": ScopedUrl("benefits.view_eligibility"),
        "benefits:grant_list": ScopedUrl("benefits.view_scheme"),
        "benefits:grant_batches": ScopedUrl(
            ("benefits.view_payrollbatch", AnyOf("benefits.prepare_payroll", "benefits.approve_payroll"))
        ),
        "benefits:grant_batch_approve": ScopedUrl(
            "benefits.approve_payroll",
            _batch_urls("benefits:grant_batch_approve", "insurance", PayrollBatch.State.DRAFT),
            scope="none",
            method="POST",
            written=_changes,
        ),
        "benefits:grant_vehicles": ScopedUrl("benefits.view_vehicle"),
        "benefits:grant_vehicle_retire": ScopedUrl.post(
            "benefits.change_vehicle",
            _per_person("benefits:grant_vehicle_retire", _vehicle),
            data=lambda world: {"retired_on": "2026-01-10"},
            written=_changes,
        ),
        "benefits:grant_fuel": ScopedUrl("benefits.view_eligibility"),
        "benefits:grant_education": ScopedUrl("benefits.view_award"),
        "benefits:grant_enrolment": ScopedUrl(
            "benefits.view_award",
            lambda world: (reverse("benefits:grant_enrolment", args=["insurance"]), None),
            scope="none",
        ),
        "benefits:grant_enrolment_export": ScopedUrl(
            "registry.export_persons",
            lambda world: (reverse("benefits:grant_enrolment_export", args=["insurance"]), None),
            scope="none",
        ),
        "benefits:grant_projects": ScopedUrl("benefits.view_application"),
        "benefits:grant_project_create": ScopedUrl(
            PROJECT_EDITOR, _per_person("benefits:grant_project_create", _project_create)
        ),
        "benefits:grant_project_advance": ScopedUrl.post(
            PROJECT_EDITOR,
            _per_person("benefits:grant_project_advance", _project),
            data=lambda world: {"status": "in_progress", "on": "2026-01-10"},
            written=_changes,
        ),
    },
    sqlite_tests=("tests/test_payroll.py", "tests/test_rules_table.py", "tests/test_worklist_benefits.py"),
    record_years=paid_years,
    worklist=WORKLIST,
    merge_checks=(awards_overlapping,),
)
