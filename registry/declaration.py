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
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from canlian.declarations import (
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
from canlian.import_views import import_scoped_urls
from canlian.indicators import Indicator, Measure, Unit
from canlian.worklist import DaysAfter
from registry.comparison import EventsImporter
from registry.household_imports import FamilyMemberImporter
from registry.household_selectors import multi_disabled_households
from registry.imports import PersonImporter
from registry.models import (
    Category,
    ChangeRequest,
    DuplicatePair,
    FamilyMember,
    Grade,
    Household,
    HouseholdLog,
    Person,
    PersonCount,
    PersonEvent,
    Relationship,
    Status,
)
from registry.selectors import certificates_for_renewal, change_requests_for_review
from registry.testing import make_certificate, make_id_number

SEE_PAIRS = ("registry.view_duplicatepair", "registry.view_personal_data")
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
# Change requests (变更申请, registry.changes): the towns (and the district office) ask, the
# district reviewer decides.
CHANGES_ASK = ("registry.view_changerequest", "registry.add_changerequest")
CHANGES_DECIDE = ("registry.view_changerequest", "registry.decide_changerequest")
# Duplicates: a town officer settles the pairs of their town, the district the rest and
# runs the check over every town.
DUPLICATES = ("registry.view_duplicatepair", "registry.change_duplicatepair", "registry.merge_persons")
DUPLICATES_CHECK = ("registry.check_duplicates",)


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
                    incremental=True,
                    records=certified_persons_listed(**{field: value}),
                )
            )
    return tuple(made)


def households_with_disabled(year: int) -> Measure:
    """Households (户) with at least one active disabled member, by the household's
    community: a stock, counted as of now."""
    rows = Household.objects.filter(
        pk__in=Person.objects.filter(status=Status.ACTIVE, household__isnull=False).values("household")
    )
    return Measure(rows=rows, area="area_id", month=None, value=Count("pk"))


def households_multi_disabled(year: int) -> Measure:
    """一户多残: households with two or more active disabled members."""
    rows = Household.objects.filter(pk__in=multi_disabled_households())
    return Measure(rows=rows, area="area_id", month=None, value=Count("pk"))


def person_household(request, person) -> dict:
    """The person page's household block: the household, its figures and 一户多残 flag,
    and the join/leave forms for a user who may change persons."""
    from registry.household_selectors import MULTI_DISABLED

    household = None
    if person.household_id:
        household = (
            Household.objects.filter(pk=person.household_id)
            .annotate(
                disabled=Count("members", filter=Q(members__status=Status.ACTIVE), distinct=True),
                family=Count("family_members", distinct=True),
            )
            .first()
        )
    return {
        "show": request.user.has_perm("registry.view_personal_data"),
        "household": household,
        "person_pk": person.pk,
        "relationship": person.relationship_to_head,
        "disabled": household.disabled if household else 0,
        "family": household.family if household else 0,
        "multi": bool(household and household.disabled >= MULTI_DISABLED),
        "may_change": request.user.has_perm("registry.change_person"),
        "relationships": Relationship.choices,
    }


def timeline(person, user):
    """The person's status events (death, moving out, grade change…), on the day each took
    effect, their change requests (the day asked, and the day decided), the duplicates
    merged into them, and the changes of their household (joined, left, economic status)."""
    if user.has_perm("registry.view_changerequest"):
        yield from _change_entries(person)
    if not user.has_perm("registry.view_personevent"):
        return
    merges = DuplicatePair.objects.filter(decision=DuplicatePair.Decision.MERGED, kept=person)
    for pair in merges.order_by("-decided_at"):
        merged = pair.person_b_id if pair.person_a_id == person.pk else pair.person_a_id
        yield TimelineEntry(
            date=timezone.localdate(pair.decided_at),
            kind="status",
            kind_label="状态事件",
            title="合并重复登记",
            detail=f"编号 {merged} 的重复登记已合并到本人，其记录已转入",
        )
    logs = HouseholdLog.objects.filter(person=person)
    if person.household_id:
        logs = logs | HouseholdLog.objects.filter(household_id=person.household_id, person__isnull=True)
    for log in logs.select_related("household").order_by("-date", "-id")[:100]:
        yield TimelineEntry(
            date=log.date,
            kind="household",
            kind_label="户籍",
            title=f"{log.title}（户号 {log.household.number}）",
            detail=log.detail,
            url=reverse("registry:household_detail", args=[log.household_id]),
        )
    for event in person.events.order_by("-date", "-id"):
        change = f"{event.old_value_label} → {event.new_value_label}"
        yield TimelineEntry(
            date=event.date,
            kind="status",
            kind_label="状态事件",
            title=event.get_kind_display(),
            detail="，".join(part for part in (change, event.reason) if part),
        )


def _change_entries(person):
    for item in person.change_requests.select_related("requested_by", "decided_by").order_by("-id"):
        url = reverse("registry:change_request_detail", args=[item.pk])
        label = item.get_field_display()
        if item.decided_at is not None:
            yield TimelineEntry(
                date=item.decided_at.date(),
                kind="change",
                kind_label="变更申请",
                title=f"{label}变更申请{item.get_state_display()}",
                detail="，".join(p for p in (item.decided_by.display_name, item.decision_reason) if p),
                url=url,
            )
        yield TimelineEntry(
            date=item.requested_on,
            kind="change",
            kind_label="变更申请",
            title=f"申请变更{label}",
            detail=f"{item.requested_by.display_name}：{item.reason}",
            url=url,
        )


def change_panel(request, person) -> dict:
    """The person page's block of change requests: pending first, then the decided ones."""
    user = request.user
    if not user.has_perm("registry.view_changerequest"):
        return {"show": False}
    requests = sorted(
        person.change_requests.select_related("requested_by", "decided_by"),
        key=lambda r: (r.state != ChangeRequest.State.PENDING, -r.pk),
    )
    return {
        "show": True,
        "requests": requests,
        "person_pk": person.pk,
        "may_request": user.has_perm("registry.add_changerequest") and person.status == Status.ACTIVE,
        "fields": ChangeRequest.Field.choices,
    }


def _change_line(item: ChangeRequest) -> WorkLine:
    url = reverse("registry:change_request_detail", args=[item.pk])
    text = f"{item.get_field_display()}变更申请待审核（{item.requested_by.display_name}提出）"
    return WorkLine(text, url, item.person)


def work_change_review(user, today):
    """Due `CHANGE_REQUEST_REVIEW_DAYS` after the request: until decided, the old value
    (a bank account the next payroll would pay) stays in force."""
    return WorkItems(
        rows=change_requests_for_review(user),
        due=DaysAfter("requested_on", settings.CHANGE_REQUEST_REVIEW_DAYS),
        line=_change_line,
        related=("person__area__parent", "requested_by"),
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


def _duplicate_line(pair: DuplicatePair) -> WorkLine:
    url = reverse("registry:duplicate_compare", args=[pair.pk])
    return WorkLine(f"疑似重复登记：{'；'.join(pair.reason_labels)}，请核实", url, pair.person_a)


def work_duplicates(user, today):
    """The open pairs of the user's scope, due the day the check found them."""
    return WorkItems(
        rows=DuplicatePair.objects.visible_to(user).filter(decision=DuplicatePair.Decision.OPEN),
        due=TruncDate("found_at"),
        line=_duplicate_line,
        related=("person_a__area",),
    )


def seed(stdout, options: dict) -> None:
    from registry.demo_changes import seed_change_requests

    call_command("seed_demo", persons=options["persons"], seed=options["seed"], reset=options["reset"], stdout=stdout)
    seed_change_requests(stdout)


# Scope test: an object of the home town and one of the other town -----------------------


def _person_urls(name: str):
    return lambda world: tuple(reverse(name, args=[p.pk]) for p in (world.person, world.other_person))


def _events_written() -> int:
    return PersonEvent.objects.count()


def _reveals_written() -> int:
    from canlian.models import AuditEntry

    return AuditEntry.objects.count()


def _duplicate_pairs(world) -> tuple[DuplicatePair, DuplicatePair]:
    """A pair in the home town (the home person and a second registration of them) and one
    in the other town, made once per world."""
    if not hasattr(world, "duplicate_pairs"):
        pairs = []
        for person, area, sequence in (
            (world.person, world.areas["baisha_b"], 321),
            (world.other_person, world.areas["hetang_b"], 322),
        ):
            id_number = make_id_number(birth=f"{person.birth_date:%Y%m%d}", sequence=sequence)
            twin = Person.objects.create(
                name=person.name,
                gender="M" if sequence % 2 else "F",
                id_number=id_number,
                birth_date=person.birth_date,
                certificate_number=make_certificate(id_number, person.category, person.grade),
                category=person.category,
                grade=person.grade,
                area=area,
            )
            now = timezone.now()
            pairs.append(
                DuplicatePair.objects.create(person_a=person, person_b=twin, reasons=1, found_at=now, seen_at=now)
            )
        world.duplicate_pairs = tuple(pairs)
    return world.duplicate_pairs


def _pair_urls(name: str):
    return lambda world: tuple(reverse(name, args=[pair.pk]) for pair in _duplicate_pairs(world))


def _pairs_decided() -> int:
    return DuplicatePair.objects.exclude(decision=DuplicatePair.Decision.OPEN).count()


def _duplicate_jobs(world):
    from canlian.models import Job
    from registry.tasks import DUPLICATES_JOB

    urls = []
    for key in ("officer", "other_officer"):
        job = Job.objects.create(kind=DUPLICATES_JOB, title="疑似重复检查", created_by=world.users[key])
        urls.append(reverse("registry:duplicate_job", args=[job.pk]))
    return tuple(urls)


def _merge(world) -> dict:
    return {"kept": str(world.person.pk)}


def _households(world) -> tuple[Household, Household]:
    """A household of the home person's community and one of the other town's, each with a
    family member and its person a member (made once per world)."""
    made = getattr(world, "_households", None)
    if made is None:
        made = []
        for number, person in (("WALK0001", world.person), ("WALK0002", world.other_person)):
            household = Household.objects.create(number=number, area_id=person.area_id, address="范围测试路1号")
            Person.objects.filter(pk=person.pk).update(household=household, relationship_to_head="户主")
            FamilyMember.objects.create(
                household=household, name="范围测", id_number=_family_id(number), relationship="配偶"
            )
            made.append(household)
        world._households = made = tuple(made)
    return made


def _family_id(number: str) -> str:
    from registry.testing import make_id_number

    return make_id_number(birth="19700101", sequence=900 + int(number[-1]))


def _household_urls(name: str, *, member: bool = False):
    def objects(world) -> tuple[str, str]:
        urls = []
        for household in _households(world):
            args = [household.pk]
            if member:
                args.append(household.family_members.first().pk)
            urls.append(reverse(name, args=args))
        return tuple(urls)

    return objects


def _person_household_urls(name: str):
    def objects(world) -> tuple[str, str]:
        _households(world)
        return tuple(reverse(name, args=[p.pk]) for p in (world.person, world.other_person))

    return objects


def _households_written() -> int:
    return Household.objects.count() + FamilyMember.objects.count() + HouseholdLog.objects.count()


def _family_data(world) -> dict:
    from registry.testing import make_id_number

    return {"name": "范围新", "id_number": make_id_number(birth="19720101", sequence=951), "relationship": "子女"}


def _economic_data(world) -> dict:
    return {"status": "dibao", "date": "2025-07-15"}


def _join_data(world) -> dict:
    return {"number": "WALK0001", "relationship": "配偶"}


def _death(world) -> dict:
    return {"kind": "death", "date": "2025-07-15", "reason": "范围测试"}


def _change_requests(world) -> tuple[ChangeRequest, ChangeRequest]:
    """A pending bank-account request of the home person (by the home officer) and of the
    other town's person (by its officer), made once per world."""
    if not hasattr(world, "change_requests"):
        from django.core.files.base import ContentFile

        from registry.changes import change_request_create

        made = []
        for person, officer, account in (
            (world.person, world.users["officer"], "6228480055550001"),
            (world.other_person, world.users["other_officer"], "6228480055550002"),
        ):
            made.append(
                change_request_create(
                    user=officer,
                    person=person,
                    field=ChangeRequest.Field.BANK,
                    values={"bank_name": "范围测试银行", "bank_account": account},
                    reason="范围测试",
                    evidence=ContentFile(b"%PDF-1.4\n", name="card.pdf"),
                )
            )
        world.change_requests = tuple(made)
    return world.change_requests


def _change_urls(name: str):
    return lambda world: tuple(reverse(name, args=[r.pk]) for r in _change_requests(world))


def _change_create_urls(world):
    persons = (world.person, world.other_person)
    return tuple(reverse("registry:change_request_create", args=[p.pk, "bank"]) for p in persons)


def _changes_decided() -> int:
    return ChangeRequest.objects.exclude(state=ChangeRequest.State.PENDING).count()


def _rejection(world) -> dict:
    return {"decision": "reject", "reason": "范围测试"}


CHANGE_VIEW = ("registry.view_changerequest", "registry.view_personal_data")


declaration = AppDeclaration(
    nav=(
        NavEntry("registry:person_list", "持证残疾人", "registry.view_person", 10, group="人员管理"),
        NavEntry("registry:persons_import", "数据导入", "registry.import_persons", 20, group="人员管理"),
        NavEntry("registry:comparison_import", "数据比对", "registry.import_persons", 30, group="人员管理"),
        NavEntry("registry:change_request_list", "变更申请", CHANGE_VIEW, 31, group="人员管理"),
        NavEntry(
            "registry:duplicate_list",
            "疑似重复",
            ("registry.view_duplicatepair", "registry.view_personal_data"),
            35,
            group="人员管理",
        ),
        NavEntry(
            "registry:household_list",
            "家庭户",
            ("registry.view_person", "registry.view_personal_data"),
            15,
            group="人员管理",
        ),
    ),
    role_permissions={
        Role.DISTRICT_ADMIN: (*READ, *WRITE, *OFFICE, *CHANGES_ASK, *DUPLICATES, *DUPLICATES_CHECK),
        Role.DISTRICT_REVIEWER: (*READ, *OFFICE, *CHANGES_DECIDE, *DUPLICATES, *DUPLICATES_CHECK),
        Role.TOWN_OFFICER: (*READ, *WRITE, *OFFICE, *CHANGES_ASK, *DUPLICATES),
        Role.CENTRE_STAFF: READ,
        # Leaders see counts and lists without personal identifiers, never reveal them.
        # Leaders see figures and tables of counts, never a row per person, a name (not even
        # masked) or a note: without registry.view_personal_data the person list is a table
        # of counts and every page of persons answers 403. registry.view_person sets the
        # area their counts and dashboards cover; they export nothing and never write.
        Role.LEADER: ("registry.view_person",),
    },
    panels=(
        PersonPanel("registry/_person_household.html", person_household, 5),
        PersonPanel("registry/_person_changes.html", change_panel, 6),
    ),
    timeline=timeline,
    timeline_kinds={"status": "状态事件", "change": "变更申请", "household": "户籍"},
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
            incremental=True,
        ),
        *_certified_indicators(),
        Indicator(
            "households_with_disabled",
            "有残疾人的户数",
            Unit.HOUSEHOLDS,
            "registry",
            households_with_disabled,
            "登记了至少一名状态正常的持证残疾人的户（按户籍村(居)计）",
        ),
        Indicator(
            "households_multi_disabled",
            "一户多残户数",
            Unit.HOUSEHOLDS,
            "registry",
            households_multi_disabled,
            "登记了两名及以上状态正常的持证残疾人的户",
        ),
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
        "registry:change_request_create": ScopedUrl((*CHANGE_VIEW, "registry.add_changerequest"), _change_create_urls),
        "registry:change_request_list": ScopedUrl(CHANGE_VIEW),
        "registry:change_request_detail": ScopedUrl(CHANGE_VIEW, _change_urls("registry:change_request_detail")),
        "registry:change_request_evidence": ScopedUrl(CHANGE_VIEW, _change_urls("registry:change_request_evidence")),
        "registry:change_request_reveal": ScopedUrl(
            (*CHANGE_VIEW, "registry.reveal_identifiers"),
            _change_urls("registry:change_request_reveal"),
            method="POST",
            written=_reveals_written,
        ),
        "registry:change_request_decide": ScopedUrl(
            (*CHANGE_VIEW, "registry.decide_changerequest"),
            _change_urls("registry:change_request_decide"),
            method="POST",
            data=_rejection,
            written=_changes_decided,
        ),
        "registry:duplicate_list": ScopedUrl(SEE_PAIRS),
        "registry:duplicate_check": ScopedUrl(
            "registry.check_duplicates", method="POST", ok=302, written=_pairs_decided
        ),
        "registry:duplicate_job": ScopedUrl("registry.check_duplicates", _duplicate_jobs, scope="owner"),
        "registry:duplicate_compare": ScopedUrl(SEE_PAIRS, _pair_urls("registry:duplicate_compare")),
        "registry:duplicate_merge": ScopedUrl(
            (*SEE_PAIRS, "registry.merge_persons"),
            _pair_urls("registry:duplicate_merge"),
            method="POST",
            ok=302,
            data=_merge,
            written=_pairs_decided,
        ),
        "registry:duplicate_dismiss": ScopedUrl(
            (*SEE_PAIRS, "registry.change_duplicatepair"),
            _pair_urls("registry:duplicate_dismiss"),
            method="POST",
            ok=302,
            written=_pairs_decided,
        ),
        "registry:household_list": ScopedUrl(("registry.view_person", "registry.view_personal_data")),
        "registry:household_create": ScopedUrl(("registry.view_personal_data", "registry.change_person")),
        "registry:household_detail": ScopedUrl(
            ("registry.view_person", "registry.view_personal_data"), _household_urls("registry:household_detail")
        ),
        "registry:household_reveal": ScopedUrl(
            ("registry.view_personal_data", "registry.reveal_identifiers"),
            _household_urls("registry:household_reveal"),
            method="POST",
            written=_reveals_written,
        ),
        "registry:family_member_add": ScopedUrl.post(
            ("registry.view_personal_data", "registry.change_person"),
            _household_urls("registry:family_member_add"),
            data=_family_data,
            written=_households_written,
        ),
        "registry:family_member_edit": ScopedUrl(
            ("registry.view_personal_data", "registry.change_person"),
            _household_urls("registry:family_member_edit", member=True),
        ),
        "registry:household_economic": ScopedUrl.post(
            ("registry.view_personal_data", "registry.change_person", "registry.add_personevent"),
            _household_urls("registry:household_economic"),
            data=_economic_data,
            written=_events_written,
        ),
        "registry:person_household": ScopedUrl(
            ("registry.view_personal_data", "registry.change_person"),
            _person_household_urls("registry:person_household"),
            method="POST",
            ok=302,
            data=_join_data,
            written=_households_written,
        ),
        "registry:person_household_leave": ScopedUrl(
            ("registry.view_personal_data", "registry.change_person"),
            _person_household_urls("registry:person_household_leave"),
            method="POST",
            ok=302,
            written=_households_written,
        ),
        **import_scoped_urls(FamilyMemberImporter, "registry:family_import"),
        **import_scoped_urls(PersonImporter, "registry:persons_import"),
        **import_scoped_urls(EventsImporter, "registry:comparison_import"),
    },
    sqlite_tests=(
        "tests/test_area_check_flush.py",
        "tests/test_duplicates_find.py",
        "tests/test_import_changes.py",
        "tests/test_import_status_events.py",
        # Households: the migration that rebuilds the person table there, and the imports'
        # and the comparison's statements.
        "tests/test_households.py",
        "tests/test_household_imports.py",
        "tests/test_household_comparison.py",
    ),
    worklist=(
        WorkItemKind(
            "certificate_renewal",
            "证件到期换证",
            50,
            ("registry.add_personevent", "registry.view_personal_data"),
            work_renewal,
        ),
        WorkItemKind(
            "change_review",
            "变更申请待审核",
            55,
            ("registry.decide_changerequest", "registry.view_personal_data"),
            work_change_review,
        ),
        WorkItemKind(
            "duplicates",
            "疑似重复登记",
            56,
            ("registry.merge_persons", "registry.view_personal_data"),
            work_duplicates,
        ),
    ),
)
