"""What the registry contributes: the person pages, the imports and the comparison, the
registry permissions of each role, the status events of the timeline, the certified-persons
indicator, the demo district itself (`seed_demo`) and the work list's certificates due for
renewal."""

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, Q, Sum
from django.urls import reverse

from accounts.roles import Role
from canlian.declarations import (
    AppDeclaration,
    DemoStep,
    NavEntry,
    ScopedUrl,
    TimelineEntry,
    WorkItemKind,
    WorkItems,
    WorkLine,
)
from canlian.import_views import import_scoped_urls
from canlian.indicators import Indicator, Measure, Unit
from registry.comparison import EventsImporter
from registry.imports import PersonImporter
from registry.models import Category, Grade, Person, PersonCount, PersonEvent, Status
from registry.selectors import certificates_for_renewal

READ = (
    "registry.view_person",
    "registry.view_personevent",
    "registry.view_personal_data",
)
WRITE = (
    "registry.add_person",
    "registry.change_person",
    "registry.add_personevent",
    "registry.import_persons",
)
OFFICE = ("registry.reveal_identifiers", "registry.export_persons")


def certified_persons(year: int) -> Measure:
    """Active certificate holders, summed from the counters the database keeps per
    community (`registry_personcount`): milliseconds at 10^6 persons."""
    return Measure(
        rows=PersonCount.objects.filter(status=Status.ACTIVE), area="area_id", month=None, value=Sum("persons")
    )


def certified_persons_listed(**fields) -> Callable[[int], Measure]:
    """The persons the counters count (active, of a category or grade): what a click on a
    certified-persons figure lists. The same filter as the counters' rows, so the list's
    length is the figure."""

    def records(year: int) -> Measure:
        rows = Person.objects.filter(status=Status.ACTIVE, **fields)
        return Measure(rows=rows, area="area_id", month=None, value=Count("pk"))

    return records


def certified_persons_on(day: datetime.date) -> Measure:
    """Certificate holders at the start of `day`: certified before it and active then (a
    later death or moving out read back from their status events). Counted in their
    community of today: a move is not a dated event."""
    from benefits.rules import persons_as_of

    rows = persons_as_of(day).filter(
        Q(certificate_issued__lt=day) | Q(certificate_issued__isnull=True), st_status=Status.ACTIVE
    )
    return Measure(rows=rows, area="area_id", month=None, value=Count("pk"))


def certified_of(field: str, value: int):
    """Active certificate holders of one category or one grade: the measure (from the
    counters) and its month-end reading (the category or grade as of that day, read back
    from the event chain), for `Indicator` and `Indicator.measure_on`."""

    def measure(year: int) -> Measure:
        rows = PersonCount.objects.filter(status=Status.ACTIVE, **{field: value})
        return Measure(rows=rows, area="area_id", month=None, value=Sum("persons"))

    def measure_on(day: datetime.date) -> Measure:
        base = certified_persons_on(day)
        return Measure(
            rows=base.rows.filter(**{f"st_{field}": str(value)}), area="area_id", month=None, value=Count("pk")
        )

    return measure, measure_on


def _certified_indicators() -> tuple[Indicator, ...]:
    """Certified persons by category (GB/T 26341-2010) and by grade: one stock each."""
    made = []
    for field, choices, noun in (("category", Category, "类别"), ("grade", Grade, "等级")):
        for value, label in choices.choices:
            measure, measure_on = certified_of(field, value)
            made.append(
                Indicator(
                    f"certified_{field}_{value}",
                    f"持证残疾人数（{label}）",
                    Unit.PERSONS,
                    "registry",
                    measure,
                    f"状态正常的持证残疾人中残疾{noun}为{label}的人数（各月为月末人数）",
                    measure_on=measure_on,
                    records=certified_persons_listed(**{field: value}),
                )
            )
    return tuple(made)


def timeline(person, user):
    """The person's status events (death, moving out, grade change…), on the day each took
    effect."""
    if not user.has_perm("registry.view_personevent"):
        return
    for event in person.events.order_by("-date", "-id"):
        change = f"{event.old_value_label} → {event.new_value_label}"
        yield TimelineEntry(
            date=event.date,
            kind="status",
            kind_label="状态事件",
            title=event.get_kind_display(),
            detail="，".join(part for part in (change, event.reason) if part),
        )


def _renewal_line(person: Person) -> WorkLine:
    certificate = f"{person.get_grade_display()}{person.get_category_display()}残疾人证"
    until = f"{person.certificate_valid_until:%Y-%m-%d}"
    url = reverse("registry:person_detail", args=[person.pk]) + "#event-form"
    return WorkLine(f"{certificate}有效期至 {until}，需办理换证", url, person)


def work_renewal(user, today):
    """Due the day the certificate's validity ends; the renewal is registered as a status
    event (证件换发) on the person's page."""
    return WorkItems(
        rows=certificates_for_renewal(user, today, settings.CERTIFICATE_RENEWAL_DAYS),
        due="certificate_valid_until",
        line=_renewal_line,
        related=("area",),
    )


def seed(stdout, options: dict) -> None:
    call_command("seed_demo", persons=options["persons"], seed=options["seed"], reset=options["reset"], stdout=stdout)


# Scope test: an object of the home town and one of the other town -----------------------


def _person_urls(name: str):
    return lambda world: tuple(reverse(name, args=[p.pk]) for p in (world.person, world.other_person))


def _events_written() -> int:
    return PersonEvent.objects.count()


def _reveals_written() -> int:
    from canlian.models import AuditEntry

    return AuditEntry.objects.count()


def _death(world) -> dict:
    return {"kind": "death", "date": "2025-07-15", "reason": "范围测试"}


declaration = AppDeclaration(
    nav=(
        NavEntry("registry:person_list", "持证残疾人", "registry.view_person", 10, group="人员管理"),
        NavEntry("registry:persons_import", "数据导入", "registry.import_persons", 20, group="人员管理"),
        NavEntry("registry:comparison_import", "数据比对", "registry.import_persons", 30, group="人员管理"),
    ),
    role_permissions={
        Role.DISTRICT_ADMIN: (*READ, *WRITE, *OFFICE),
        Role.DISTRICT_REVIEWER: (*READ, *OFFICE),
        Role.TOWN_OFFICER: (*READ, *WRITE, *OFFICE),
        Role.CENTRE_STAFF: READ,
        # Leaders see counts and lists without personal identifiers, never reveal them.
        # Leaders see figures and tables of counts, never a row per person, a name (not even
        # masked) or a note: without registry.view_personal_data the person list is a table
        # of counts and every page of persons answers 403. registry.view_person sets the
        # area their counts and dashboards cover; they export nothing and never write.
        Role.LEADER: ("registry.view_person",),
    },
    timeline=timeline,
    timeline_kinds={"status": "状态事件"},
    indicators=(
        Indicator(
            "certified_persons",
            "持证残疾人数",
            Unit.PERSONS,
            "registry",
            certified_persons,
            "登记库中状态正常的持证残疾人（各月为当月最后一次计算时的人数）",
            measure_on=certified_persons_on,
            records=certified_persons_listed(),
            seed_target=(Decimal(9100), "全区9100多名持证残疾人"),
        ),
        *_certified_indicators(),
    ),
    demo=DemoStep(run=seed, order=10),
    urls={
        "registry:person_list": ScopedUrl("registry.view_person"),
        "registry:person_export": ScopedUrl("registry.export_persons"),
        "registry:person_create": ScopedUrl("registry.add_person"),
        "registry:person_detail": ScopedUrl(
            ("registry.view_person", "registry.view_personal_data"), _person_urls("registry:person_detail")
        ),
        "registry:person_edit": ScopedUrl("registry.change_person", _person_urls("registry:person_edit")),
        "registry:person_reveal": ScopedUrl(
            "registry.reveal_identifiers",
            _person_urls("registry:person_reveal"),
            method="POST",
            written=_reveals_written,
        ),
        "registry:person_event": ScopedUrl(
            "registry.add_personevent",
            _person_urls("registry:person_event"),
            method="POST",
            data=_death,
            written=_events_written,
        ),
        **import_scoped_urls(PersonImporter, "registry:persons_import"),
        **import_scoped_urls(EventsImporter, "registry:comparison_import"),
    },
    sqlite_tests=(
        "tests/test_area_check_flush.py",
        "tests/test_import_changes.py",
        "tests/test_import_status_events.py",
    ),
    worklist=(
        WorkItemKind(
            "certificate_renewal",
            "证件到期换证",
            50,
            ("registry.add_personevent", "registry.view_personal_data"),
            work_renewal,
        ),
    ),
)
