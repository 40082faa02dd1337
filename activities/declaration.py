"""What activities contributes: the activity pages, the five ones and the associations, each
role's permissions, the person page's block, the participations, five ones and memberships
of the timeline, the activity indicators and the demo's year of activities."""

import datetime

from django.core.management import call_command
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from accounts.roles import Role
from activities.imports import ParticipantImporter
from activities.models import CURRENT, Activity, Association, FiveOne, FiveOneRecord, Membership, Participation
from activities.panels import person_activities
from canlian.declarations import AppDeclaration, DemoStep, NavEntry, PersonPanel, ScopedUrl, TimelineEntry
from canlian.import_views import import_scoped_urls
from canlian.indicators import Indicator, Measure, Unit, distinct_years, in_year

READ = (
    "activities.view_activity",
    "activities.view_participation",
    "activities.view_fiveonerecord",
    "activities.view_association",
    "activities.view_membership",
    "activities.export_activities",
    "activities.export_participations",
    "activities.export_fiveonerecords",
)
WRITE = (
    "activities.add_activity",
    "activities.change_activity",
    "activities.add_participation",
    "activities.void_participation",
    "activities.add_fiveonerecord",
    "activities.void_fiveonerecord",
    "activities.add_membership",
    "activities.change_membership",
    "activities.void_membership",
)
EVENTS = "场"
# A participation's centre, for a centre's page (`targets.centre`): the activity's organiser.
CENTRE = "activity__centre"


# Indicators ------------------------------------------------------------------------------


def _participations_in(year: int):
    return Participation.objects.standing().filter(in_year("attended_on", year))


def activity_person_times(year: int) -> Measure:
    """Registered persons' participations in activities (人次), by the person's town and the
    month they took part; voided ones do not count."""
    return Measure(rows=_participations_in(year), area="area_code", month="attended_on", value=Count("id"))


def activity_persons(year: int) -> Measure:
    """Registered persons who took part in at least one activity in the year."""
    return Measure(
        rows=_participations_in(year), area="area_code", month="attended_on", value=Count("person", distinct=True)
    )


def activities_reaching(year: int) -> Measure:
    """Activities in which registered persons took part: per town, those its persons went
    to (a district activity counts in every town that sent someone); the district's figure
    counts each activity once."""
    return Measure(
        rows=_participations_in(year), area="area_code", month="attended_on", value=Count("activity", distinct=True)
    )


def five_ones_persons(year: int) -> Measure:
    """Persons who did at least one of the five ones in the year."""
    rows = FiveOneRecord.objects.standing().filter(year=year)
    return Measure(rows=rows, area="area_code", month="done_on", value=Count("person", distinct=True))


def five_ones_complete(year: int) -> Measure:
    """Persons who did all five in the year, counted in the month of the fifth: the rows
    are the latest record of each person who has every item (one of each: the key)."""
    of_person = FiveOneRecord.objects.standing().filter(year=year, person=OuterRef("person"))
    has_all = [Exists(of_person.filter(item=item)) for item in FiveOne.values]
    later = of_person.filter(Q(done_on__gt=OuterRef("done_on")) | Q(done_on=OuterRef("done_on"), pk__gt=OuterRef("pk")))
    rows = FiveOneRecord.objects.standing().filter(year=year).filter(*has_all).filter(~Exists(later))
    return Measure(rows=rows, area="area_code", month="done_on", value=Count("person", distinct=True))


INDICATORS = (
    Indicator(
        "activity_person_times",
        "持证残疾人参加活动人次",
        Unit.PERSON_TIMES,
        "activities",
        activity_person_times,
        "登记的活动参加记录（人次，作废的不计），按参加人员所在镇(街)",
        incremental=True,
        institution=CENTRE,
    ),
    Indicator(
        "activity_persons",
        "参加活动的持证残疾人",
        Unit.PERSONS,
        "activities",
        activity_persons,
        "当年至少参加一次活动的持证残疾人",
        incremental=True,
        institution=CENTRE,
    ),
    Indicator(
        "activities_reaching",
        "有持证残疾人参加的活动",
        EVENTS,
        "activities",
        activities_reaching,
        "有登记参加人员的活动场次；镇(街)的数字是本镇(街)人员参加的活动",
        incremental=True,
        institution=CENTRE,
    ),
    Indicator(
        "five_ones_persons",
        "参与“五个一”的持证残疾人",
        Unit.PERSONS,
        "activities",
        five_ones_persons,
        "当年至少完成“五个一”中一项的持证残疾人",
        incremental=True,
    ),
    Indicator(
        "five_ones_complete",
        "完成“五个一”的持证残疾人",
        Unit.PERSONS,
        "activities",
        five_ones_complete,
        "当年读一本书、看一次电影、游一次园、参观一次展览、参加一个文化活动五项全部完成的持证残疾人，计入完成第五项的月份",
    ),
)


# The person's timeline -------------------------------------------------------------------


def timeline(person, user):
    """Participations, five ones recorded directly (those from an activity are its
    participation's line) and memberships: three queries."""
    if not user.has_perm("activities.view_participation"):
        return
    for p in person.activity_participations.standing().select_related(
        "activity", "activity__area", "activity__association", "activity__centre"
    ):
        a = p.activity
        detail = "，".join(part for part in (a.get_kind_display(), a.organiser_label, a.place_label) if part)
        yield TimelineEntry(p.attended_on, "activity", "参加活动", a.name, detail)
    for f in person.five_ones.standing().filter(activity__isnull=True):
        yield TimelineEntry(f.done_on, "five_ones", "五个一", f"“五个一”：{f.get_item_display()}", f.note)
    if not user.has_perm("activities.view_membership"):
        return
    for m in person.association_memberships.standing().select_related("association"):
        yield TimelineEntry(
            m.joined_on, "association", "专门协会", f"加入{m.association.name}", m.get_position_display()
        )
        if m.left_on:
            yield TimelineEntry(m.left_on, "association", "专门协会", f"离开{m.association.name}")


def seed(stdout, options: dict) -> None:
    call_command("seed_activities", stdout=stdout)


# Scope test: an object of the home town and one of the other town -----------------------

DAYS_AGO = datetime.timedelta(days=5)


def _activities(world) -> tuple[Activity, Activity]:
    """A town activity of each town, by that town's officer."""
    from activities.services import activity_create

    made = []
    for key, town in (("officer", "baisha"), ("other_officer", "hetang")):
        made.append(
            activity_create(
                user=world.users[key],
                name="范围测试活动",
                kind="town_day",
                organiser="town",
                area=world.areas[town],
                starts_on=datetime.date.today() - DAYS_AGO,
                place="文化广场",
            )
        )
    return made[0], made[1]


def _activity_urls(name: str):
    return lambda world: tuple(reverse(name, args=[a.pk]) for a in _activities(world))


def _persons(name: str):
    return lambda world: tuple(reverse(name, args=[p.pk]) for p in (world.person, world.other_person))


def _participation_urls(world):
    from activities.services import participation_add

    urls = []
    for activity, person, key in zip(
        _activities(world), (world.person, world.other_person), ("officer", "other_officer"), strict=True
    ):
        record = participation_add(user=world.users[key], activity=activity, person=person)
        urls.append(reverse("activities:participation_void", args=[record.pk]))
    return tuple(urls)


def _five_ones(world):
    from activities.services import five_one_record

    urls = []
    for person, key in ((world.person, "officer"), (world.other_person, "other_officer")):
        record = five_one_record(user=world.users[key], person=person, item="book", done_on=datetime.date.today())
        urls.append(reverse("activities:five_one_void", args=[record.pk]))
    return tuple(urls)


def _memberships(name: str):
    def make(world):
        from activities.services import membership_add

        urls = []
        # 陈建国 (physical) joins 肢协, 李秀英 (intellectual) 智协.
        for person, key, code in (
            (world.person, "officer", "physical"),
            (world.other_person, "other_officer", "intellectual"),
        ):
            association = Association.objects.get(code=code)
            # Both membership pages are walked: the second finds the first's membership.
            membership = Membership.objects.filter(CURRENT, person=person, association=association).first()
            membership = membership or membership_add(
                user=world.users[key],
                association=association,
                person=person,
                position="member",
                joined_on=datetime.date.today() - DAYS_AGO,
            )
            urls.append(reverse(name, args=[membership.pk]))
        return tuple(urls)

    return make


def _association(name: str):
    return lambda world: (reverse(name, args=[Association.objects.get(code="physical").pk]), None)


def _written() -> int:
    return (
        Participation.objects.count()
        + Participation.objects.exclude(voided_at=None).count()
        + FiveOneRecord.objects.count()
        + FiveOneRecord.objects.exclude(voided_at=None).count()
        + Membership.objects.count()
        + Membership.objects.exclude(voided_at=None).count()
        + Membership.objects.exclude(left_on=None).count()
    )


def _today(world) -> dict:
    return {"query": world.person.id_number, "reason": "范围测试", "left_on": datetime.date.today().isoformat()}


PERSONAL = "registry.view_personal_data"

declaration = AppDeclaration(
    nav=(NavEntry("activities:activity_list", "文体活动", "activities.view_activity", 95),),
    role_permissions={
        Role.DISTRICT_ADMIN: (*READ, *WRITE, "activities.change_association"),
        Role.DISTRICT_REVIEWER: READ,
        Role.TOWN_OFFICER: (*READ, *WRITE),
        # Figures only: activities and counts, never a participant or a member by name.
        Role.LEADER: (
            "activities.view_activity",
            "activities.view_fiveonerecord",
            "activities.view_association",
            "activities.export_activities",
        ),
    },
    panels=(PersonPanel("activities/_person_activities.html", person_activities, 40),),
    timeline=timeline,
    timeline_kinds={"activity": "参加活动", "five_ones": "五个一", "association": "专门协会"},
    indicators=INDICATORS,
    # After care: a centre's demo activities name its centres.
    demo=DemoStep(run=seed, order=50, after=("registry", "care")),
    urls={
        "activities:activity_list": ScopedUrl("activities.view_activity"),
        "activities:activity_export": ScopedUrl("activities.export_activities"),
        "activities:activity_create": ScopedUrl("activities.add_activity"),
        "activities:figures": ScopedUrl("activities.view_activity"),
        "activities:activity_detail": ScopedUrl(
            "activities.view_activity", _activity_urls("activities:activity_detail")
        ),
        "activities:activity_edit": ScopedUrl("activities.change_activity", _activity_urls("activities:activity_edit")),
        "activities:participant_add": ScopedUrl.post(
            "activities.add_participation", _activity_urls("activities:participant_add"), written=_written, data=_today
        ),
        "activities:participant_export": ScopedUrl(
            ("activities.export_participations", PERSONAL, "activities.view_participation"),
            _activity_urls("activities:participant_export"),
        ),
        "activities:participation_void": ScopedUrl.post(
            "activities.void_participation", _participation_urls, written=_written, data=_today
        ),
        "activities:five_ones": ScopedUrl("activities.view_fiveonerecord"),
        "activities:five_ones_export": ScopedUrl(("activities.export_fiveonerecords", PERSONAL)),
        "activities:five_one_void": ScopedUrl.post(
            "activities.void_fiveonerecord", _five_ones, written=_written, data=_today
        ),
        "activities:five_one_create": ScopedUrl.post(
            "activities.add_fiveonerecord", _persons("activities:five_one_create"), written=_written
        ),
        "activities:association_list": ScopedUrl("activities.view_association"),
        "activities:association_detail": ScopedUrl(
            "activities.view_association", _association("activities:association_detail"), scope="none"
        ),
        "activities:member_add": ScopedUrl.post(
            "activities.add_membership", _association("activities:member_add"), written=_written, scope="none"
        ),
        "activities:membership_end": ScopedUrl.post(
            "activities.change_membership", _memberships("activities:membership_end"), written=_written, data=_today
        ),
        "activities:membership_void": ScopedUrl.post(
            "activities.void_membership", _memberships("activities:membership_void"), written=_written, data=_today
        ),
        **import_scoped_urls(ParticipantImporter, "activities:participants_import"),
    },
    sqlite_tests=(
        "tests/test_indicators.py",
        "tests/test_participation_add.py",
        "tests/test_import_participants.py",
    ),
    # Activities are few (a table of hundreds a year); the five ones are a records table,
    # read by their (year, area_code) index.
    record_years=lambda: (
        {day.year for day in Activity.objects.dates("starts_on", "year")}
        | distinct_years(FiveOneRecord.objects.standing())
    ),
)
