"""What child rehabilitation assistance (残疾儿童康复救助) adds to rehab's declaration
(`rehab/declaration.py` merges these): its navigation entry, the permissions of each role,
the person page's block and timeline entries of a linked child, and the scope test's URLs
with their objects. Kept apart so that rehab's own declaration reads as it did."""

import datetime

from django.db.models import Count, Sum
from django.urls import reverse

from canlian.declarations import NavEntry, PersonPanel, ScopedUrl, TimelineEntry
from canlian.indicators import Indicator, Measure, Unit, distinct_years
from canlian.scoping import in_scope
from rehab.models_children import (
    AssistanceKind,
    Child,
    ChildApplication,
    ChildAssessment,
    ChildRehabRecord,
    ChildRehabStandard,
    PriorityGroup,
    yuan,
)
from rehab.templatetags.rehab_child_tags import person_child_panel

PERSONAL = "registry.view_personal_data"
READ = (
    "rehab.view_child",
    "rehab.view_childassessment",
    "rehab.view_childapplication",
    "rehab.view_childrehabrecord",
    "rehab.view_childrehabstandard",
    "rehab.export_childapplications",
)
WRITE = (
    "rehab.add_child",
    "rehab.change_child",
    "rehab.add_childassessment",
    "rehab.change_childassessment",
    "rehab.add_childapplication",
    "rehab.add_childrehabrecord",
    "rehab.void_childrehabrecord",
)
DISTRICT_ADMIN = (
    *READ,
    *WRITE,
    "rehab.place_childapplication",
    "rehab.add_childrehabstandard",
    "rehab.change_childrehabstandard",
)
# The reviewer decides and places; registering children and their records is the towns'.
DISTRICT_REVIEWER = (*READ, "rehab.decide_childapplication", "rehab.place_childapplication")
TOWN_OFFICER = (*READ, *WRITE)
# Leaders: nothing here (rows per child); the children count in the coverage figures.

NAV = (NavEntry("rehab:child_list", "儿童康复救助", ("rehab.view_child", PERSONAL), 85, group="康复救助"),)
PANELS = (PersonPanel("rehab/children/_person_child.html", person_child_panel, 35),)
TIMELINE_KINDS = {"child_rehab": "儿童康复救助"}


def timeline(person, user):
    """A linked child's assessments, applications and standing records on the person's
    timeline: one query for a person with no child, four for one with a child. An entry
    links to the application's page when the child is in the user's scope."""
    if not (user.has_perm("rehab.view_child") and user.has_perm(PERSONAL)):
        return
    children = list(Child.objects.filter(person=person))
    if not children:
        return
    visible = {child.pk for child in children if in_scope(user, child)}
    kind, label = "child_rehab", TIMELINE_KINDS["child_rehab"]
    for a in ChildAssessment.objects.filter(child__in=children):
        title = f"{a.year}年儿童康复需求评估：{'有康复需求' if a.has_need else '无康复需求'}"
        yield TimelineEntry(a.assessed_on, kind, label, title)
    for a in ChildApplication.objects.filter(child__in=children).select_related("institution"):
        url = reverse("rehab:child_application_detail", args=[a.pk]) if a.child_id in visible else ""
        detail = "，".join(
            part
            for part in (
                a.get_priority_group_display(),
                f"申请 {yuan(a.requested_fen)} 元",
                f"批准 {yuan(a.approved_fen)} 元" if a.approved_fen is not None else "",
                a.institution.name if a.institution_id else "",
            )
            if part
        )
        title = f"{a.get_kind_display()}救助申请：{a.get_state_display()}"
        yield TimelineEntry(a.applied_on, kind, label, title, detail, url)
    records = ChildRehabRecord.objects.standing().filter(child__in=children).select_related("application")
    for r in records:
        url = reverse("rehab:child_application_detail", args=[r.application_id]) if r.child_id in visible else ""
        detail = f"{r.application.get_kind_display()}，{r.sessions} 次，{yuan(r.amount_fen)} 元"
        yield TimelineEntry(r.served_on, kind, label, r.content, detail, url)


# Scope test: each town's child with an application in every state that takes an action ---


def _children_world(world):
    """Once per walk: a designated institution, this year's standards, and for the home
    town's officer and the other town's: a child with a training application submitted, a
    device application approved, and a surgery application placed with one record."""
    if hasattr(world, "children"):
        return world.children
    from rehab.models import Provider
    from rehab.services_children import (
        child_application_decide,
        child_application_place,
        child_apply,
        child_record,
        child_register,
    )

    today = datetime.date.today()
    for kind in AssistanceKind.values:
        ChildRehabStandard.objects.get_or_create(year=today.year, kind=kind, defaults={"cap_fen": 3_000_000})
    institution = Provider.objects.create(name="范围测试儿童康复机构", area=world.areas["baisha"], serves_children=True)
    made = {}
    for which, key, area, number in (
        ("home", "officer", "baisha_a", "R440000001"),
        ("other", "other_officer", "hetang_a", "R440000002"),
    ):
        officer = world.users[key]
        child = child_register(
            user=officer,
            name="范围测试儿童" if which == "home" else "另镇测试儿童",
            gender="M",
            id_number="",
            birth_certificate=number,
            birth_date=today.replace(year=today.year - 3, day=1),
            disability="hearing",
            diagnosis="双耳极重度感音神经性耳聋",
            guardian_name="范围监护人",
            guardian_phone="13800000000",
            area=world.areas[area],
        )

        def apply(kind, officer=officer, child=child):
            return child_apply(
                user=officer,
                child=child,
                kind=kind,
                priority_group=PriorityGroup.OTHER_HARDSHIP,
                applied_on=today,
                requested_fen=100_000,
            )

        submitted = apply(AssistanceKind.TRAINING)
        approved = child_application_decide(
            user=world.users["reviewer"], application=apply(AssistanceKind.DEVICE), approve=True
        )
        placed = child_application_decide(
            user=world.users["reviewer"], application=apply(AssistanceKind.SURGERY), approve=True
        )
        placed = child_application_place(
            user=world.users["reviewer"], application=placed, institution=institution, placed_on=today
        )
        record = child_record(user=officer, application=placed, served_on=today, content="人工耳蜗植入", amount_fen=1)
        made[which] = {"child": child, "submitted": submitted, "approved": approved, "placed": placed, "record": record}
    world.children = made
    return made


def _urls(name: str, what: str):
    def make(world):
        made = _children_world(world)
        return tuple(reverse(name, args=[made[which][what].pk]) for which in ("home", "other"))

    return make


def _written() -> int:
    applications = ChildApplication.objects
    return (
        Child.objects.count()
        + Child.objects.filter(person__isnull=False).count()
        + ChildAssessment.objects.count()
        + applications.count()
        + applications.exclude(decided_by=None).count()
        + applications.exclude(placed_by=None).count()
        + applications.exclude(closed_by=None).count()
        + ChildRehabRecord.objects.count()
        + ChildRehabRecord.objects.exclude(voided_at=None).count()
    )


def _post(permission: str, name: str, what: str) -> ScopedUrl:
    return ScopedUrl.post((permission, PERSONAL), _urls(name, what), written=_written)


URLS = {
    "rehab:child_list": ScopedUrl(("rehab.view_child", PERSONAL)),
    "rehab:child_create": ScopedUrl(("rehab.add_child", PERSONAL)),
    "rehab:child_detail": ScopedUrl(("rehab.view_child", PERSONAL), _urls("rehab:child_detail", "child")),
    "rehab:child_edit": ScopedUrl(("rehab.change_child", PERSONAL), _urls("rehab:child_edit", "child")),
    "rehab:child_link": _post("rehab.change_child", "rehab:child_link", "child"),
    "rehab:child_assess": _post("rehab.add_childassessment", "rehab:child_assess", "child"),
    "rehab:child_apply": _post("rehab.add_childapplication", "rehab:child_apply", "child"),
    "rehab:child_application_list": ScopedUrl(("rehab.view_childapplication", PERSONAL)),
    "rehab:child_application_export": ScopedUrl(("rehab.export_childapplications", PERSONAL)),
    "rehab:child_application_detail": ScopedUrl(
        ("rehab.view_childapplication", PERSONAL), _urls("rehab:child_application_detail", "submitted")
    ),
    "rehab:child_application_decide": _post(
        "rehab.decide_childapplication", "rehab:child_application_decide", "submitted"
    ),
    "rehab:child_application_place": _post("rehab.place_childapplication", "rehab:child_application_place", "approved"),
    "rehab:child_application_close": _post("rehab.place_childapplication", "rehab:child_application_close", "placed"),
    "rehab:child_application_withdraw": _post(
        "rehab.add_childapplication", "rehab:child_application_withdraw", "submitted"
    ),
    "rehab:child_record_create": _post("rehab.add_childrehabrecord", "rehab:child_record_create", "placed"),
    "rehab:child_record_void": _post("rehab.void_childrehabrecord", "rehab:child_record_void", "record"),
}


def record_years() -> set[int]:
    return distinct_years(ChildAssessment.objects.all())


def children_assisted(year: int) -> Measure:
    """Children who received a service under child rehabilitation assistance in the year
    (standing records), each once, by the town and month of the service."""
    rows = ChildRehabRecord.objects.standing().filter(year=year)
    return Measure(rows=rows, area="area_code", month="served_on", value=Count("child", distinct=True))


def assistance_amount(year: int) -> Measure:
    """What the year's standing assistance records cost, in fen."""
    rows = ChildRehabRecord.objects.standing().filter(year=year)
    return Measure(rows=rows, area="area_code", month="served_on", value=Sum("amount_fen"))


INDICATORS = (
    Indicator(
        "child_rehab_children",
        "残疾儿童康复救助人数",
        Unit.PERSONS,
        "rehab",
        children_assisted,
        "当期接受残疾儿童康复救助服务（训练、辅具、手术）的儿童，一人多次只计一次；作废的记录不计",
        incremental=True,
    ),
    Indicator(
        "child_rehab_amount",
        "残疾儿童康复救助金额",
        Unit.YUAN,
        "rehab",
        assistance_amount,
        "当期残疾儿童康复救助服务记录的金额（作废的不计）",
        incremental=True,
    ),
)
