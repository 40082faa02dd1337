"""What rehab contributes: the records, their list and figures, the rehabilitation
permissions of each role, the person page's rehabilitation block, the assessments and
services of the timeline, the two rehabilitation indicators, the demo's year of work, the
work list's persons with a need still unserved this year; and, from
`rehab.declaration_children`, child rehabilitation assistance (残疾儿童康复救助)."""

import datetime

from django.core.management import call_command
from django.db.models import Count, DateField, Q, Value
from django.urls import reverse

from accounts.roles import Role
from canlian.declarations import (
    AppDeclaration,
    DemoStep,
    NavEntry,
    PersonPanel,
    Place,
    ScopedUrl,
    TimelineEntry,
    WorkItemKind,
    WorkItems,
    WorkLine,
)
from canlian.import_views import import_scoped_urls
from canlian.indicators import Indicator, Measure, Unit, distinct_years, in_year
from registry.scoping import Privacy, areas_visible_to
from rehab import declaration_children as children
from rehab.imports import NeedAssessmentImporter, ServiceRecordImporter
from rehab.models import CoverageNeed, NeedAssessment, Provider, RehabItem, ServiceRecord, ServiceYear
from rehab.selectors import needs_unserved
from rehab.templatetags.rehab_tags import person_rehab

READ = (
    "rehab.view_rehabitem",
    "rehab.view_provider",
    "rehab.view_needassessment",
    "rehab.view_servicerecord",
    "rehab.export_servicerecords",
)
WRITE = (
    "rehab.add_servicerecord",
    "rehab.void_servicerecord",
    "rehab.add_needassessment",
    "rehab.change_needassessment",
)


def rehab_person_times(year: int) -> Measure:
    """Basic rehabilitation services of the year (人次), by the town that gave them; voided
    records do not count."""
    records = ServiceRecord.objects.standing().filter(in_year("served_on", year))
    return Measure(rows=records, area="area_code", month="served_on", value=Count("id"))


def rehab_coverage(year: int) -> Measure:
    """Of the certified persons and the children assessed with a need in the year (by the
    town of the assessment, in the month assessed), those served at least once in the
    year, anywhere: a basic service record (the service years the records' triggers keep)
    or a child rehabilitation record. Read from the `CoverageNeed` view, where a child
    linked to a person is that person, counted once."""
    return Measure(
        rows=CoverageNeed.objects.filter(year=year),
        area="area_code",
        month="assessed_on",
        value=Count("subject", distinct=True, filter=Q(served=True)),
        base=Count("subject", distinct=True),
    )


def timeline_with_children(person, user):
    yield from timeline(person, user)
    yield from children.timeline(person, user)


def timeline(person, user):
    """Needs assessments and standing service records (two queries). The record list is the
    records' page; a record has none of its own."""
    if not user.has_perm("rehab.view_servicerecord"):
        return
    personal = Privacy.for_user(user).personal
    for a in person.rehab_assessments.all():
        detail = "、".join(a.kind_labels) if a.has_need else ""
        title = f"{a.year}年康复需求评估：{'有康复需求' if a.has_need else '无康复需求'}"
        yield TimelineEntry(a.assessed_on, "rehab_assessment", "康复评估", title, detail)
    for r in person.rehab_records.standing().select_related("item", "provider"):
        detail = "，".join(part for part in (r.provider.name, f"{r.sessions} 次", r.note if personal else "") if part)
        yield TimelineEntry(r.served_on, "rehab_service", "康复服务", r.item.name, detail)


def _unserved_line(assessment: NeedAssessment) -> WorkLine:
    kinds = "、".join(assessment.kind_labels)
    need = f"康复需求（{kinds}）" if kinds else "康复需求"
    url = reverse("registry:person_detail", args=[assessment.person_id]) + "#h-rehab"
    return WorkLine(f"{assessment.assessed_on:%Y-%m-%d}评估有{need}，本年度尚未接受康复服务", url, assessment.person)


def work_unserved(user, today):
    """Due by the end of the year: the coverage indicator counts a service given in the
    year of the assessment."""
    return WorkItems(
        rows=needs_unserved(user, today.year),
        due=Value(datetime.date(today.year, 12, 31), output_field=DateField()),
        line=_unserved_line,
        related=("person__area",),
    )


def seed(stdout, options: dict) -> None:
    call_command("seed_rehab", stdout=stdout)
    call_command("seed_children", stdout=stdout)


# Scope test: an object of the home town and one of the other town -----------------------


def _persons(name: str):
    return lambda world: tuple(reverse(name, args=[p.pk]) for p in (world.person, world.other_person))


def _records(world):
    """A record of each town's person, by that town's officer."""
    from rehab.services import service_record

    item = RehabItem.objects.filter(is_active=True).order_by("code").first()
    provider = Provider.objects.create(name="范围测试康复机构", area=world.areas["baisha"])
    urls = []
    for person, key in ((world.person, "officer"), (world.other_person, "other_officer")):
        record = service_record(
            user=world.users[key],
            person=person,
            item=item,
            provider=provider,
            served_on=datetime.date.today() - datetime.timedelta(days=3),
            sessions=1,
            note="",
        )
        urls.append(reverse("rehab:record_void", args=[record.pk]))
    return tuple(urls)


def _written() -> int:
    return (
        ServiceRecord.objects.count()
        + ServiceRecord.objects.exclude(voided_at=None).count()
        + NeedAssessment.objects.count()
    )


def map_places(user) -> list[Place]:
    """The active designated providers in the user's area, for the district's map."""
    areas = areas_visible_to(user).values("code")
    rows = Provider.objects.filter(is_active=True, area__in=areas).values_list("name", "area_id")
    return [Place(name, "定点康复机构", area) for name, area in rows]


declaration = AppDeclaration(
    nav=(
        NavEntry(
            "rehab:record_list",
            "康复服务",
            ("rehab.view_servicerecord", "registry.view_personal_data"),
            80,
            group="康复救助",
        ),
        NavEntry("rehab:figures", "康复统计", "rehab.view_servicerecord", 90, group="康复救助"),
        *children.NAV,
    ),
    role_permissions={
        Role.DISTRICT_ADMIN: (
            *READ,
            *WRITE,
            "rehab.add_rehabitem",
            "rehab.change_rehabitem",
            "rehab.add_provider",
            "rehab.change_provider",
            *children.DISTRICT_ADMIN,
        ),
        Role.DISTRICT_REVIEWER: (*READ, *children.DISTRICT_REVIEWER),
        Role.TOWN_OFFICER: (*READ, *WRITE, *children.TOWN_OFFICER),
        # The figures only: a record is a row per person-time, even masked; never a write.
        Role.LEADER: ("rehab.view_rehabitem", "rehab.view_provider", "rehab.view_servicerecord"),
    },
    panels=(PersonPanel("rehab/_person_rehab.html", person_rehab, 30), *children.PANELS),
    timeline=timeline_with_children,
    timeline_kinds={"rehab_assessment": "康复评估", "rehab_service": "康复服务", **children.TIMELINE_KINDS},
    indicators=(
        Indicator(
            "rehab_person_times",
            "基本康复服务人次",
            Unit.PERSON_TIMES,
            "rehab",
            rehab_person_times,
            "登记的基本康复服务记录（人次，作废的不计）",
            incremental=True,
        ),
        Indicator(
            "rehab_coverage",
            "有需求者基本康复服务覆盖率",
            Unit.SHARE,
            "rehab",
            rehab_coverage,
            "当年评估有康复需求的持证残疾人和残疾儿童中，当年至少接受一次基本康复服务（含残疾儿童康复救助）的比例",
        ),
        *children.INDICATORS,
    ),
    demo=DemoStep(run=seed, order=30, after=("registry", "benefits")),
    urls={
        "rehab:figures": ScopedUrl("rehab.view_servicerecord"),
        "rehab:record_list": ScopedUrl(("rehab.view_servicerecord", "registry.view_personal_data")),
        "rehab:record_export": ScopedUrl("rehab.export_servicerecords"),
        "rehab:record_void": ScopedUrl.post(
            "rehab.void_servicerecord", _records, data=lambda world: {"reason": "范围测试"}, written=_written
        ),
        "rehab:record_create": ScopedUrl.post(
            "rehab.add_servicerecord", _persons("rehab:record_create"), written=_written
        ),
        "rehab:assessment_save": ScopedUrl.post(
            "rehab.add_needassessment", _persons("rehab:assessment_save"), written=_written
        ),
        **import_scoped_urls(ServiceRecordImporter, "rehab:services_import"),
        **import_scoped_urls(NeedAssessmentImporter, "rehab:assessments_import"),
        **children.URLS,
    },
    sqlite_tests=(
        "tests/test_service_years.py",
        "tests/test_indicators.py",
        "tests/test_import_services.py",
        "tests/test_child_coverage.py",
    ),
    record_years=lambda: (
        distinct_years(ServiceYear.objects.all())
        | distinct_years(NeedAssessment.objects.all())
        | children.record_years()
    ),
    worklist=(
        WorkItemKind(
            "rehab_unserved",
            "康复需求未服务",
            60,
            ("rehab.add_servicerecord", "registry.view_personal_data"),
            work_unserved,
        ),
    ),
    places=map_places,
)
