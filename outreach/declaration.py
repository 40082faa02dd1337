"""What outreach contributes: home visits and the needs they find, the outreach
permissions of each role, the person page's block, the visits of the timeline, the
outreach indicators, the demo's year of work, every page for the scope test, and the
family-doctor contracts' kinds of the registry's data comparison."""

import datetime
import itertools

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import BigIntegerField, Count, Exists, F, Min, OuterRef, Q, Sum
from django.db.models.functions import Cast, Round
from django.urls import reverse

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
from canlian.indicators import Indicator, Measure, Unit, in_year
from canlian.worklist import DaysAfter
from outreach import family_doctor
from outreach.imports import DeliveryImporter, VisitImporter
from outreach.models import (
    Campaign,
    CampaignDelivery,
    CampaignTarget,
    HomeServiceRequest,
    HomeVisit,
    PsychCase,
    PsychSession,
    TargetRule,
    VisitNeed,
    VisitPhoto,
    WatchAssignment,
    WatchContact,
    WatchRule,
)
from outreach.panels import person_outreach
from outreach.selectors import DUE_SOON_DAYS, follow_ups_due, needs_open
from outreach.watch import contacts_due
from registry.household_selectors import household_key
from registry.models import Person
from registry.scoping import Privacy

PERSONAL = "registry.view_personal_data"
READ = (
    "outreach.view_homevisit",
    "outreach.view_visitneed",
    "outreach.view_campaign",
    "outreach.view_campaigndelivery",
    "outreach.export_campaigntargets",
    "outreach.view_watchcontact",
    "outreach.view_legalcase",
    "outreach.view_lecture",
    "outreach.view_familydoctorcontract",
    "outreach.view_homeservicerequest",
    "outreach.export_homeservicerequests",
)
WRITE = (
    "outreach.add_homevisit",
    "outreach.void_homevisit",
    "outreach.close_visitneed",
    "outreach.add_campaigndelivery",
    "outreach.void_campaigndelivery",
    "outreach.add_watchcontact",
    "outreach.void_watchcontact",
    "outreach.change_watchassignment",
    "outreach.add_legalcase",
    "outreach.change_legalcase",
    "outreach.void_legalcase",
    "outreach.add_lecture",
    "outreach.add_homeservicerequest",
    "outreach.change_homeservicerequest",
    "outreach.void_homeservicerequest",
)
# Psychological services: officers see that a case exists and open cases; counsellors
# serve them and alone read the sessions' notes (`outreach.psych`).
PSYCH_OFFICER = (
    "outreach.view_psychcase",
    "outreach.view_psychsession",
    "outreach.add_psychcase",
    "outreach.void_psychcase",
)
COUNSELLOR = (
    *PSYCH_OFFICER,
    "outreach.change_psychcase",
    "outreach.add_psychsession",
    "outreach.view_psychsession_notes",
    # The names of their clients (`registry.scoping.Privacy`); the registry itself they
    # do not see (no `registry.view_person`): their scope is their cases.
    "registry.view_personal_data",
)
# The protected legal cases (intellectually or mentally disabled girls and women): the
# district administrator, and users granted the permission one by one.
DISTRICT_ONLY = ("outreach.add_campaign", "outreach.start_campaign", "outreach.view_protected_legalcase")
# The smallest valid PNG (1×1), for the scope test's photos.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63d0cadff01f0004590249e8e12fd10000000049454e44ae426082"
)


def households_visited(year: int) -> Measure:
    """Households visited in the year (standing visits), by the town that visited them: the
    registry's household (户) of the visited person, or the person alone when they have
    none (`registry.household_selectors.household_key`)."""
    visits = HomeVisit.objects.standing().filter(in_year("visited_on", year))
    return Measure(rows=visits, area="area_code", month="visited_on", value=Count(household_key(), distinct=True))


def visit_money(year: int) -> Measure:
    """Money given at visits in the year, in fen (the figures' unit for money)."""
    visits = HomeVisit.objects.standing().filter(in_year("visited_on", year))
    return Measure(
        rows=visits,
        area="area_code",
        month="visited_on",
        value=Cast(Round(Sum(F("money") * 100)), BigIntegerField()),
    )


def deliveries_in_year(year: int) -> Measure:
    """Campaign gifts handed out in the year (人次), by the town and month of delivery."""
    deliveries = CampaignDelivery.objects.standing().filter(in_year("delivered_on", year))
    return Measure(rows=deliveries, area="area_code", month="delivered_on", value=Count("id"))


def delivered_share(year: int) -> Measure:
    """Of the target lists of the campaigns that started in the year, the share delivered
    so far, per town of the persons on the lists and month the campaign started."""
    delivered = CampaignDelivery.objects.standing().filter(campaign=OuterRef("campaign"), person=OuterRef("person"))
    return Measure(
        rows=CampaignTarget.objects.filter(in_year("campaign__starts_on", year)),
        area="area_code",
        month="campaign__starts_on",
        value=Count("id", filter=Q(Exists(delivered))),
        base=Count("id"),
    )


def watch_on_time(year: int) -> Measure:
    """Of the persons on the living-alone watch now, the share contacted within their
    interval: a stock, counted as of now, per town of the persons."""
    from django.utils import timezone

    from outreach.watch import ON_WATCH, overdue, watched_persons

    rule, today = WatchRule.current(), timezone.localdate()
    return Measure(
        rows=watched_persons().filter(ON_WATCH),
        area="area_id",
        month=None,
        value=Count("id", filter=~overdue(rule, today)),
        base=Count("id"),
    )


def home_services_done(year: int) -> Measure:
    """Home services done in the year (人次), by the town and month they were done."""
    done = HomeServiceRequest.objects.standing().filter(in_year("done_on", year))
    return Measure(rows=done, area="area_code", month="done_on", value=Count("id"))


def psych_cases_opened(year: int) -> Measure:
    """Psychological cases opened in the year (one client each), registered or not."""
    cases = PsychCase.objects.standing().filter(in_year("opened_on", year))
    return Measure(rows=cases, area="area_code", month="opened_on", value=Count("id"))


def psych_sessions(year: int) -> Measure:
    """Sessions held in the year (人次), of standing cases, by the case's town."""
    sessions = PsychSession.objects.standing().filter(in_year("held_on", year), case__voided_at__isnull=True)
    return Measure(rows=sessions, area="case__area_code", month="held_on", value=Count("id"))


def _outreach_services_timeline(person, user):
    """The person's home services, and their psychological cases and sessions: that they
    happened, never the notes."""
    if user.has_perm("outreach.view_homeservicerequest"):
        from outreach.homeservices import requests_visible_to

        for s in requests_visible_to(user).filter(person=person).select_related("assigned_to"):
            state = f"{s.done_on:%Y-%m-%d} 完成" if s.done_on else f"应于 {s.due_on:%Y-%m-%d} 前完成"
            detail = "；".join(part for part in (s.what, s.assignee, state) if part)
            url = reverse("outreach:service_detail", args=[s.pk])
            yield TimelineEntry(
                s.requested_on, "outreach_service", "上门服务", f"上门服务：{s.get_kind_display()}", detail, url
            )
    if user.has_perm("outreach.view_psychcase"):
        from outreach.psych import cases_visible_to

        cases = list(cases_visible_to(user).filter(person=person).select_related("counsellor"))
        for case in cases:
            url = reverse("outreach:psych_detail", args=[case.pk])
            detail = f"心理咨询师：{case.counsellor.display_name}"
            yield TimelineEntry(case.opened_on, "outreach_psych", "心理服务", "心理服务建档", detail, url)
        if cases and user.has_perm("outreach.view_psychsession"):
            # The notes are not read: the timeline is no place for them, whoever looks.
            sessions = (
                PsychSession.objects.standing().filter(case__in=cases).select_related("counsellor").defer("notes")
            )
            for session in sessions:
                url = reverse("outreach:psych_detail", args=[session.case_id])
                risk = "；有风险" if session.at_risk else ""
                detail = f"心理咨询师：{session.counsellor.display_name}{risk}"
                title = f"心理服务会谈（{session.get_kind_display()}）"
                yield TimelineEntry(session.held_on, "outreach_psych", "心理服务", title, detail, url)


def legal_cases_opened(year: int) -> Measure:
    """Legal-aid cases accepted in the year (standing), by the person's community and the
    month accepted; a protected case counts like any other (a figure names no one)."""
    from outreach.models import LegalCase

    rows = LegalCase.objects.standing().filter(in_year("opened_on", year))
    return Measure(rows=rows, area="area_code", month="opened_on", value=Count("pk"))


def legal_cases_closed(year: int) -> Measure:
    """Legal-aid cases closed in the year, by the month closed."""
    from outreach.models import LegalCase

    rows = LegalCase.objects.standing().filter(in_year("closed_on", year))
    return Measure(rows=rows, area="area_code", month="closed_on", value=Count("pk"))


def timeline(person, user):
    """Standing visits of the person, in two queries (the visits, their visitors), and the
    campaign gifts received, the watch's contacts, the legal cases, the home services and
    the psychological cases and sessions the user may see (one query each)."""
    yield from _outreach_services_timeline(person, user)
    if user.has_perm("outreach.view_legalcase"):
        from outreach.legal import cases_visible_to

        for case in cases_visible_to(user).filter(person=person):
            state = f"{case.closed_on:%Y-%m-%d} 结案" if case.closed_on else "办理中"
            yield TimelineEntry(
                case.opened_on,
                "outreach_legal",
                "法律救助",
                f"法律救助：{case.get_matter_display()}",
                f"{case.handler}；{state}",
                reverse("outreach:case_detail", args=[case.pk]),
            )
    if user.has_perm("outreach.view_familydoctorcontract"):
        for contract in family_doctor.person_contracts(person):
            kind, label = "outreach_doctor", "家庭医生签约"
            source = f"来源：{contract.source}" if contract.source else ""
            yield TimelineEntry(contract.signed_on, kind, label, f"家庭医生签约：{contract.institution}", source)
            if contract.ended_on:
                yield TimelineEntry(contract.ended_on, kind, label, f"家庭医生解约：{contract.institution}")
    if user.has_perm("outreach.view_watchcontact"):
        for c in person.outreach_contacts.standing():
            yield TimelineEntry(c.contacted_on, "outreach_contact", "独居关爱", c.get_method_display(), c.note)
    if user.has_perm("outreach.view_campaigndelivery"):
        for d in person.outreach_deliveries.standing().select_related("campaign"):
            detail = f"{d.campaign.gift}；发放人：{d.deliverer}"
            yield TimelineEntry(d.delivered_on, "outreach_delivery", "慰问发放", f"领取“{d.campaign.name}”", detail)
    if not user.has_perm("outreach.view_homevisit"):
        return
    personal = Privacy.for_user(user).personal
    visits = person.outreach_visits.standing().prefetch_related("visitors")
    for visit in visits:
        names = [u.display_name for u in visit.visitors.all()]
        if visit.other_visitors:
            names.append(visit.other_visitors)
        given = [f"慰问金 {visit.money:,.2f} 元"] if visit.money else []
        given += [visit.gifts] if visit.gifts else []
        needs = f"发现需求：{'、'.join(visit.need_labels)}" if visit.needs else ""
        detail = "；".join(part for part in ("、".join(names), *given, needs) if part)
        url = reverse("outreach:visit_detail", args=[visit.pk]) if personal else ""
        yield TimelineEntry(visit.visited_on, "outreach_visit", "走访慰问", "走访慰问", detail, url)


def dated_years(rows, field: str) -> set[int]:
    """The years of a date column, one index probe per year found (a loose index scan, as
    `canlian.indicators.distinct_years` does for a year column): the dashboard asks on
    every request, and a DISTINCT would read every delivery of the registry."""
    rows = rows.order_by()
    years: set[int] = set()
    first = rows.aggregate(first=Min(field))["first"]
    while first is not None:
        years.add(first.year)
        after = datetime.date(first.year + 1, 1, 1)
        first = rows.filter(**{f"{field}__gte": after}).aggregate(next=Min(field))["next"]
    return years


def _follow_up_line(visit: HomeVisit) -> WorkLine:
    url = reverse("outreach:visit_create", args=[visit.person_id])
    return WorkLine(f"{visit.visited_on:%Y-%m-%d}走访时约定跟进，尚未再次走访", url, visit.person)


def work_follow_up(user, today):
    """Due the visit's follow-up day (下次跟进日期), from `DUE_SOON_DAYS` ahead; the next
    visit of the person, on any later day, is the follow-up."""
    return WorkItems(
        rows=follow_ups_due(user, today + datetime.timedelta(days=DUE_SOON_DAYS)),
        due="follow_up_on",
        line=_follow_up_line,
        related=("person__area",),
    )


def _need_line(need: VisitNeed) -> WorkLine:
    url = reverse("outreach:visit_detail", args=[need.visit_id]) + "#h-needs"
    return WorkLine(f"{need.raised_on:%Y-%m-%d}走访发现{need.get_kind_display()}需求，尚未办结", url, need.person)


def work_need_open(user, today):
    """Due `OUTREACH_NEED_CLOSE_DAYS` after the visit that raised it; closed on the visit's
    page."""
    return WorkItems(
        rows=needs_open(user),
        due=DaysAfter("raised_on", settings.OUTREACH_NEED_CLOSE_DAYS),
        line=_need_line,
        related=("person__area",),
    )


def _contact_line(person: Person) -> WorkLine:
    url = reverse("outreach:contact_create", args=[person.pk])
    if person.last_contact is None:
        return WorkLine("独居（无人照料）关爱：尚未联系过", url, person)
    text = f"独居（无人照料）关爱：上次联系 {person.last_contact:%Y-%m-%d}，应每 {person.interval} 天联系一次"
    return WorkLine(text, url, person)


def work_watch_contact(user, today):
    """Due the watch list's next contact day (today for a person never contacted), from
    `DUE_SOON_DAYS` ahead: the persons of the watch page's overdue and due-soon filters."""
    rule = WatchRule.current()
    return WorkItems(
        rows=contacts_due(user, rule, today),
        due="watch_due",
        line=_contact_line,
        related=("area",),
    )


def _service_line(item: HomeServiceRequest) -> WorkLine:
    url = reverse("outreach:service_detail", args=[item.pk])
    who = f"，服务人员：{item.assignee}" if item.is_assigned else "，尚未派单"
    return WorkLine(
        f"{item.requested_on:%Y-%m-%d}申请的上门服务（{item.get_kind_display()}）尚未完成{who}", url, item.person
    )


def work_home_service(user, today):
    """Due the request's due day (应完成日期), from `DUE_SOON_DAYS` ahead; done on its page."""
    from outreach.homeservices import requests_due

    return WorkItems(
        rows=requests_due(user, today + datetime.timedelta(days=DUE_SOON_DAYS)),
        due="due_on",
        line=_service_line,
        related=("person__area", "assigned_to"),
    )


def _psych_line(case: PsychCase) -> WorkLine:
    url = reverse("outreach:psych_detail", args=[case.pk])
    who = "" if case.person_id else f"{case.client_label}："
    text = f"{who}{case.last_session_on:%Y-%m-%d}会谈发现风险，请及时跟进"
    return WorkLine(text, url, case.person)


def work_psych_risk(user, today):
    """An open case whose latest session was flagged at risk: due `RISK_FOLLOW_UP_DAYS`
    after that session, until a session without risk (or the close)."""
    from outreach.psych import RISK_FOLLOW_UP_DAYS, risk_cases

    return WorkItems(
        rows=risk_cases(user),
        due=DaysAfter("last_session_on", RISK_FOLLOW_UP_DAYS),
        line=_psych_line,
        related=("person__area",),
    )


def seed(stdout, options: dict) -> None:
    call_command("seed_outreach", stdout=stdout)


# Scope test: an object of the home town and one of the other town -----------------------


def _persons(name: str):
    return lambda world: tuple(reverse(name, args=[p.pk]) for p in (world.person, world.other_person))


_days_back = itertools.count(1)


def _visits(world, *, photo: bool = False) -> list[HomeVisit]:
    """A visit of each town's person by that town's officer, with a need (and a photo),
    each call on a day of its own (a person has one visit a day)."""
    from outreach.services import visit_record

    day = datetime.date.today() - datetime.timedelta(days=next(_days_back) % 3000)
    made = []
    for person, key in ((world.person, "officer"), (world.other_person, "other_officer")):
        photos = [SimpleUploadedFile("走访.png", TINY_PNG, content_type="image/png")] if photo else []
        made.append(
            visit_record(
                user=world.users[key],
                person=person,
                visited_on=day,
                visitors=[world.users[key]],
                needs=["medical"],
                photos=photos,
            )
        )
    return made


def _visit_urls(name: str):
    return lambda world: tuple(reverse(name, args=[v.pk]) for v in _visits(world))


def _photo_urls(world):
    return tuple(reverse("outreach:photo", args=[v.photos.get().pk]) for v in _visits(world, photo=True))


def _need_urls(world):
    return tuple(reverse("outreach:need_close", args=[v.need_items.get().pk]) for v in _visits(world))


def _campaign(world) -> Campaign:
    """A started campaign with both test persons on its list."""
    from outreach.campaigns import campaign_create, campaign_start

    today = datetime.date.today()
    campaign = campaign_create(
        user=world.users["admin"],
        name=f"范围测试爱心包{next(_days_back)}",
        gift="米、油",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=30),
        rule=TargetRule.CERTIFIED,
    )
    campaign_start(user=world.users["admin"], campaign=campaign)
    return campaign


def _campaign_url(name: str):
    return lambda world: (reverse(name, args=[_campaign(world).pk]), None)


def _campaign_written() -> int:
    return Campaign.objects.count() + CampaignTarget.objects.count() + CampaignDelivery.objects.count()


def _delivery_urls(world):
    """A delivery of a fresh campaign to each town's person, by that town's officer."""
    from outreach.campaigns import delivery_record

    campaign = _campaign(world)
    urls = []
    for person, key in ((world.person, "officer"), (world.other_person, "other_officer")):
        made = delivery_record(
            user=world.users[key],
            campaign=campaign,
            person=person,
            delivered_on=datetime.date.today(),
            deliverer="范围测试",
        )
        urls.append(reverse("outreach:delivery_void", args=[made.pk]))
    return tuple(urls)


def _contact_urls(world):
    """A contact with each town's (watched) person, by that town's officer, each call on a
    day of its own."""
    from outreach.watch import contact_record

    _watched(world)
    day = datetime.date.today() - datetime.timedelta(days=next(_days_back) % 300)
    urls = []
    for person, key in ((world.person, "officer"), (world.other_person, "other_officer")):
        made = contact_record(user=world.users[key], person=person, contacted_on=day, method="phone")
        urls.append(reverse("outreach:contact_void", args=[made.pk]))
    return tuple(urls)


def _void_written() -> int:
    return (
        CampaignDelivery.objects.exclude(voided_at=None).count() + WatchContact.objects.exclude(voided_at=None).count()
    )


def _watched(world) -> None:
    """Both towns' persons on the watch, flagged as an officer would (the registry's edit,
    which also queues the watch share's refresh of their towns)."""
    from registry.services import person_update

    for person in (world.person, world.other_person):
        if not person.lives_alone:
            person_update(user=world.users["admin"], person=person, data={"lives_alone": True})
            person.lives_alone = True


def _watched_urls(name: str):
    def make(world):
        _watched(world)
        return tuple(reverse(name, args=[p.pk]) for p in (world.person, world.other_person))

    return make


def _watch_written() -> int:
    return WatchContact.objects.count() + WatchAssignment.objects.count()


def _legal_written() -> int:
    from outreach.models import Lecture, LegalCase, LegalStep

    return LegalCase.objects.exclude(closed_on=None).count() + LegalStep.objects.count() + Lecture.objects.count()


def _case_urls(name: str):
    """A case of a man of each town (a protected case is the permission's own test)."""

    def make(world):
        from outreach.legal import case_open
        from registry.models import Person
        from registry.testing import make_certificate, make_id_number

        urls = []
        for area, key in ((world.areas["baisha_a"], "officer"), (world.areas["hetang_a"], "other_officer")):
            id_number = make_id_number(birth="19700101", sequence=(2 * next(_days_back) + 1) % 1000)
            person = Person.objects.create(
                name="范围测试",
                gender="M",
                id_number=id_number,
                birth_date=datetime.date(1970, 1, 1),
                certificate_number=make_certificate(id_number, 4, 3),
                category=4,
                grade=3,
                area=area,
            )
            case = case_open(
                user=world.users[key],
                person=person,
                opened_on=datetime.date.today(),
                applicant_name="本人",
                applicant_relation="self",
                matter="employment",
                handler="区法律援助站",
            )
            urls.append(reverse(name, args=[case.pk]))
        return tuple(urls)

    return make


def _service_written() -> int:
    return (
        HomeServiceRequest.objects.count()
        + HomeServiceRequest.objects.exclude(voided_at=None).count()
        + HomeServiceRequest.objects.exclude(assigned_on=None).count()
        + HomeServiceRequest.objects.exclude(done_on=None).count()
        + HomeServiceRequest.objects.exclude(satisfied=None).count()
    )


def _service_urls(name: str, *, done: bool = False):
    """A request of each town's person by that town's officer (assigned and done, for the
    feedback's page)."""

    def make(world):
        from outreach.homeservices import request_assign, request_done, request_record

        today = datetime.date.today()
        urls = []
        for person, key in ((world.person, "officer"), (world.other_person, "other_officer")):
            user = world.users[key]
            item = request_record(
                user=user,
                person=person,
                kind="cleaning",
                requested_on=today - datetime.timedelta(days=3),
                requested_by="本人",
                what="范围测试",
            )
            if done:
                request_assign(user=user, request=item, assigned_on=today, provider="家政公司")
                request_done(user=user, request=item, done_on=today, done_what="已打扫")
            urls.append(reverse(name, args=[item.pk]))
        return tuple(urls)

    return make


def _psych_written() -> int:
    return (
        PsychCase.objects.count()
        + PsychCase.objects.exclude(voided_at=None).count()
        + PsychCase.objects.exclude(closed_on=None).count()
        + PsychSession.objects.count()
    )


def _counsellor(world, key: str):
    """The world's counsellor serves the home town's case; another counsellor the other's."""
    if key in world.users:
        return world.users[key]
    from accounts.services import user_create

    world.users[key] = user_create(username=key, password="-", role=Role.COUNSELLOR, area=world.areas["district"])
    return world.users[key]


def _psych_urls(name: str):
    """A case of each town's person, opened by that town's officer, with a session."""

    def make(world):
        from outreach.psych import case_open, session_record

        today = datetime.date.today()
        urls = []
        for person, key, counsellor in (
            (world.person, "officer", "counsellor"),
            (world.other_person, "other_officer", "other_counsellor"),
        ):
            serving = _counsellor(world, counsellor)
            case = case_open(
                user=world.users[key],
                person=person,
                client_kind="person",
                opened_on=today - datetime.timedelta(days=5),
                counsellor=serving,
            )
            session_record(user=serving, case=case, held_on=today, kind="individual", notes="范围测试记录")
            urls.append(reverse(name, args=[case.pk]))
        return tuple(urls)

    return make


def _written() -> int:
    return (
        HomeVisit.objects.count()
        + HomeVisit.objects.exclude(voided_at=None).count()
        + VisitNeed.objects.exclude(closed_on=None).count()
        + VisitNeed.objects.exclude(voided_at=None).count()
        + VisitPhoto.objects.count()
    )


declaration = AppDeclaration(
    nav=(
        NavEntry("outreach:visit_list", "走访慰问", ("outreach.view_homevisit", PERSONAL), 91, group="走访关爱"),
        NavEntry("outreach:campaign_list", "慰问发放", "outreach.view_campaign", 92, group="走访关爱"),
        NavEntry("outreach:watch_list", "独居关爱", ("outreach.view_watchcontact", PERSONAL), 93, group="走访关爱"),
        NavEntry("outreach:case_list", "法律救助", ("outreach.view_legalcase", PERSONAL), 94, group="走访关爱"),
        NavEntry(
            "outreach:service_list", "上门服务", ("outreach.view_homeservicerequest", PERSONAL), 95, group="走访关爱"
        ),
        NavEntry("outreach:psych_list", "心理服务", "outreach.view_psychcase", 96, group="走访关爱"),
    ),
    role_permissions={
        Role.DISTRICT_ADMIN: (*READ, *WRITE, *DISTRICT_ONLY, *PSYCH_OFFICER),
        Role.DISTRICT_REVIEWER: READ,
        Role.TOWN_OFFICER: (*READ, *WRITE, *PSYCH_OFFICER),
        Role.COUNSELLOR: COUNSELLOR,
        # Counts only (a campaign's progress per town, the dashboard): a visit or a
        # delivery is a row per person.
        Role.LEADER: ("outreach.view_campaign",),
    },
    panels=(PersonPanel("outreach/_person_outreach.html", person_outreach, 40),),
    timeline=timeline,
    timeline_kinds={
        "outreach_visit": "走访慰问",
        "outreach_delivery": "慰问发放",
        "outreach_contact": "独居关爱",
        "outreach_legal": "法律救助",
        "outreach_doctor": "家庭医生签约",
        "outreach_service": "上门服务",
        "outreach_psych": "心理服务",
    },
    indicators=(
        Indicator(
            "outreach_households_visited",
            "走访慰问户数",
            Unit.HOUSEHOLDS,
            "outreach",
            households_visited,
            "当期走访慰问的困难残疾人家庭（按被走访人所在的户计，未登记户的按人计；一户多次只计一次；作废的不计）",
            incremental=True,
        ),
        Indicator(
            "outreach_visit_money",
            "走访慰问金额",
            Unit.YUAN,
            "outreach",
            visit_money,
            "走访时送出的慰问金（作废的走访不计）",
            incremental=True,
        ),
        Indicator(
            "outreach_deliveries",
            "慰问品发放人次",
            Unit.PERSON_TIMES,
            "outreach",
            deliveries_in_year,
            "当期登记的慰问发放活动（如生活爱心包）发放记录，作废的不计",
            incremental=True,
        ),
        Indicator(
            "outreach_delivered_share",
            "慰问品发放完成率",
            Unit.SHARE,
            "outreach",
            delivered_share,
            "当年启动的慰问发放活动名单中已发放人员的比例",
            reads=("outreach.Campaign", "outreach.CampaignTarget", "outreach.CampaignDelivery"),
        ),
        Indicator(
            "outreach_watch_on_time",
            "独居关爱按期联系率",
            Unit.SHARE,
            "outreach",
            watch_on_time,
            "独居（无人照料）关爱名单中，在联系间隔内有联系记录的人员比例",
            reads=("outreach.WatchContact", "outreach.WatchRule", "registry.Person"),
        ),
        Indicator(
            "outreach_family_doctor_signed",
            "家庭医生签约率",
            Unit.SHARE,
            "outreach",
            family_doctor.signed_share,
            "正常状态的持证残疾人中，家庭医生签约在约的比例（卫健部门的签约名单经数据比对导入）",
            reads=("outreach.FamilyDoctorContract", "registry.Person"),
        ),
        Indicator(
            "outreach_home_services_done",
            "上门服务完成人次",
            Unit.PERSON_TIMES,
            "outreach",
            home_services_done,
            "当期完成的保洁、家电维修、心理疏导等上门服务（按完成日期计，作废的不计）",
            incremental=True,
        ),
        Indicator(
            "outreach_psych_cases",
            "心理服务新建个案",
            Unit.PERSONS,
            "outreach",
            psych_cases_opened,
            "当期新建的心理服务个案（残疾人、家属及残联工作人员，每案一人；作废的不计）",
            section="权益与心理",
            incremental=True,
        ),
        Indicator(
            "outreach_psych_sessions",
            "心理服务人次",
            Unit.PERSON_TIMES,
            "outreach",
            psych_sessions,
            "当期的心理咨询会谈（个体、团体、热线），按个案所在镇街计",
            section="权益与心理",
            incremental=True,
        ),
        Indicator(
            "legal_cases_opened",
            "法律救助受理案件数",
            "件",
            "outreach",
            legal_cases_opened,
            "当期受理的残疾人法律救助案件（作废的不计）",
            section="权益与心理",
            incremental=True,
        ),
        Indicator(
            "legal_cases_closed",
            "法律救助结案数",
            "件",
            "outreach",
            legal_cases_closed,
            "当期结案的残疾人法律救助案件（作废的不计）",
            section="权益与心理",
            incremental=True,
        ),
    ),
    demo=DemoStep(run=seed, order=40, after=("registry", "rehab")),
    urls={
        "outreach:visit_list": ScopedUrl(("outreach.view_homevisit", PERSONAL)),
        "outreach:visit_detail": ScopedUrl(("outreach.view_homevisit", PERSONAL), _visit_urls("outreach:visit_detail")),
        "outreach:visit_void": ScopedUrl.post(
            "outreach.void_homevisit",
            _visit_urls("outreach:visit_void"),
            data=lambda world: {"reason": "范围测试"},
            written=_written,
        ),
        "outreach:visit_create": ScopedUrl("outreach.add_homevisit", _persons("outreach:visit_create")),
        "outreach:photo": ScopedUrl(("outreach.view_homevisit", PERSONAL), _photo_urls),
        "outreach:need_list": ScopedUrl(("outreach.view_visitneed", PERSONAL)),
        "outreach:need_close": ScopedUrl.post(
            "outreach.close_visitneed",
            _need_urls,
            data=lambda world: {"outcome": "范围测试", "closed_on": datetime.date.today().isoformat()},
            written=_written,
        ),
        **import_scoped_urls(VisitImporter, "outreach:visits_import"),
        "outreach:campaign_list": ScopedUrl("outreach.view_campaign"),
        "outreach:campaign_create": ScopedUrl("outreach.add_campaign"),
        "outreach:campaign_detail": ScopedUrl(
            "outreach.view_campaign", _campaign_url("outreach:campaign_detail"), scope="none"
        ),
        "outreach:campaign_start": ScopedUrl.post(
            "outreach.start_campaign",
            _campaign_url("outreach:campaign_start"),
            scope="none",
            written=_campaign_written,
        ),
        "outreach:campaign_targets_add": ScopedUrl.post(
            "outreach.start_campaign",
            _campaign_url("outreach:campaign_targets_add"),
            scope="none",
            written=_campaign_written,
        ),
        "outreach:delivery_entry": ScopedUrl(
            ("outreach.add_campaigndelivery", PERSONAL), _campaign_url("outreach:delivery_entry"), scope="none"
        ),
        "outreach:delivery_void": ScopedUrl.post(
            "outreach.void_campaigndelivery",
            _delivery_urls,
            data=lambda world: {"reason": "范围测试"},
            written=_void_written,
        ),
        "outreach:remaining_export": ScopedUrl(
            ("outreach.export_campaigntargets", PERSONAL), _campaign_url("outreach:remaining_export"), scope="none"
        ),
        **import_scoped_urls(DeliveryImporter, "outreach:deliveries_import"),
        "outreach:watch_list": ScopedUrl(("outreach.view_watchcontact", PERSONAL)),
        "outreach:watch_export": ScopedUrl(("outreach.view_watchcontact", PERSONAL)),
        "outreach:contact_create": ScopedUrl("outreach.add_watchcontact", _watched_urls("outreach:contact_create")),
        "outreach:contact_void": ScopedUrl.post(
            "outreach.void_watchcontact",
            _contact_urls,
            data=lambda world: {"reason": "范围测试"},
            written=_void_written,
        ),
        "outreach:watch_assign": ScopedUrl.post(
            "outreach.change_watchassignment",
            _watched_urls("outreach:watch_assign"),
            data=lambda world: {"worker": world.users["officer"].pk},
            written=_watch_written,
        ),
        "outreach:case_list": ScopedUrl(("outreach.view_legalcase", PERSONAL)),
        "outreach:case_detail": ScopedUrl(("outreach.view_legalcase", PERSONAL), _case_urls("outreach:case_detail")),
        "outreach:case_step": ScopedUrl.post(
            "outreach.change_legalcase",
            _case_urls("outreach:case_step"),
            data=lambda world: {"taken_on": datetime.date.today().isoformat(), "what": "范围测试"},
            written=_legal_written,
        ),
        "outreach:case_close": ScopedUrl.post(
            "outreach.change_legalcase",
            _case_urls("outreach:case_close"),
            data=lambda world: {"closed_on": datetime.date.today().isoformat(), "outcome": "范围测试"},
            written=_legal_written,
        ),
        "outreach:case_create": ScopedUrl("outreach.add_legalcase", _persons("outreach:case_create")),
        "outreach:lecture_list": ScopedUrl("outreach.view_lecture"),
        "outreach:lecture_create": ScopedUrl("outreach.add_lecture", method="POST", ok=302, written=_legal_written),
        "outreach:service_list": ScopedUrl(("outreach.view_homeservicerequest", PERSONAL)),
        "outreach:service_export": ScopedUrl(("outreach.export_homeservicerequests", PERSONAL)),
        "outreach:service_create": ScopedUrl("outreach.add_homeservicerequest", _persons("outreach:service_create")),
        "outreach:service_detail": ScopedUrl(
            ("outreach.view_homeservicerequest", PERSONAL), _service_urls("outreach:service_detail")
        ),
        "outreach:service_assign": ScopedUrl.post(
            "outreach.change_homeservicerequest",
            _service_urls("outreach:service_assign"),
            data=lambda world: {"provider": "范围测试", "assigned_on": datetime.date.today().isoformat()},
            written=_service_written,
        ),
        "outreach:service_done": ScopedUrl.post(
            "outreach.change_homeservicerequest",
            _service_urls("outreach:service_done"),
            data=lambda world: {"done_what": "范围测试", "done_on": datetime.date.today().isoformat()},
            written=_service_written,
        ),
        "outreach:service_feedback": ScopedUrl.post(
            "outreach.change_homeservicerequest",
            _service_urls("outreach:service_feedback", done=True),
            data=lambda world: {"satisfied": "yes", "feedback_on": datetime.date.today().isoformat()},
            written=_service_written,
        ),
        "outreach:service_void": ScopedUrl.post(
            "outreach.void_homeservicerequest",
            _service_urls("outreach:service_void"),
            data=lambda world: {"reason": "范围测试"},
            written=_service_written,
        ),
        "outreach:psych_list": ScopedUrl("outreach.view_psychcase"),
        "outreach:psych_create_other": ScopedUrl("outreach.add_psychcase"),
        "outreach:psych_create": ScopedUrl(
            ("outreach.add_psychcase", "registry.view_person"), _persons("outreach:psych_create")
        ),
        "outreach:psych_detail": ScopedUrl("outreach.view_psychcase", _psych_urls("outreach:psych_detail")),
        "outreach:psych_session": ScopedUrl.post(
            "outreach.add_psychsession",
            _psych_urls("outreach:psych_session"),
            data=lambda world: {"held_on": datetime.date.today().isoformat(), "kind": "hotline", "notes": "范围测试"},
            written=_psych_written,
        ),
        "outreach:psych_close": ScopedUrl.post(
            "outreach.change_psychcase",
            _psych_urls("outreach:psych_close"),
            data=lambda world: {"closed_on": datetime.date.today().isoformat()},
            written=_psych_written,
        ),
        "outreach:psych_void": ScopedUrl.post(
            "outreach.void_psychcase",
            _psych_urls("outreach:psych_void"),
            data=lambda world: {"reason": "范围测试"},
            written=_psych_written,
        ),
    },
    sqlite_tests=(
        "tests/test_visit_indicators.py",
        "tests/test_campaign_indicators.py",
        "tests/test_campaign_start.py",
        "tests/test_delivery_import.py",
        "tests/test_watch.py",
        "tests/test_worklist_outreach.py",
        # Their work-list kinds compute the date due in SQL, each database its way.
        "tests/test_home_services.py",
        "tests/test_psych.py",
    ),
    worklist=(
        WorkItemKind("visit_follow_up", "走访待跟进", 70, ("outreach.add_homevisit", PERSONAL), work_follow_up),
        WorkItemKind(
            "need_open",
            "走访需求待办结",
            80,
            ("outreach.close_visitneed", "outreach.view_homevisit", PERSONAL),
            work_need_open,
        ),
        WorkItemKind(
            "watch_contact", "独居关爱待联系", 90, ("outreach.add_watchcontact", PERSONAL), work_watch_contact
        ),
        WorkItemKind(
            "home_service",
            "上门服务待完成",
            85,
            ("outreach.change_homeservicerequest", PERSONAL),
            work_home_service,
        ),
        WorkItemKind("psych_risk", "心理服务风险待跟进", 95, "outreach.add_psychsession", work_psych_risk),
    ),
    comparison_kinds=family_doctor.COMPARISON_KINDS,
    record_years=lambda: (
        dated_years(HomeVisit.objects.standing(), "visited_on")
        | dated_years(CampaignDelivery.objects.standing(), "delivered_on")
        | dated_years(HomeServiceRequest.objects.standing(), "done_on")
        | dated_years(PsychCase.objects.standing(), "opened_on")
    ),
)
