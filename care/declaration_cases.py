"""What cases and watches add to care's declaration (`care.declaration`): their
permissions per role, navigation, person-page block, timeline, scope-test world and URLs."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from canlian.declarations import NavEntry, PersonPanel, ScopedUrl, WorkItemKind, WorkItems, WorkLine
from canlian.indicators import Indicator, Measure, Unit, in_year
from care.models import CareCase, CaseFollowUp, WatchDevice, WatchIssue
from care.panels_cases import cases_timeline, person_cases_panel
from care.selectors_cases import DUE_SOON_DAYS, follow_ups_due

PERSONAL = "registry.view_personal_data"
CASES_READ = ("care.view_carecase", "care.view_casefollowup")
CASES_WRITE = (
    "care.add_carecase",
    "care.close_carecase",
    "care.void_carecase",
    "care.add_casefollowup",
    "care.void_casefollowup",
)
WATCHES_READ = ("care.view_watchissue", "care.view_watchdevice")
WATCHES_WRITE = ("care.add_watchissue", "care.change_watchissue", "care.void_watchissue")
PARAMETERS = ("care.view_riskinterval", "care.change_riskinterval", "care.view_watchrule", "care.change_watchrule")

ROLE_PERMISSIONS = {
    Role.DISTRICT_ADMIN: (*CASES_READ, *CASES_WRITE, *WATCHES_READ, *WATCHES_WRITE, *PARAMETERS),
    Role.DISTRICT_REVIEWER: (*CASES_READ, *WATCHES_READ),
    Role.TOWN_OFFICER: (*CASES_READ, *CASES_WRITE, *WATCHES_READ, *WATCHES_WRITE),
    # Their members' cases: centre social workers follow them up (and void their own
    # mistaken follow-ups); watches they hand out.
    Role.CENTRE_STAFF: (
        *CASES_READ,
        "care.add_casefollowup",
        "care.void_casefollowup",
        *WATCHES_READ,
        *WATCHES_WRITE,
    ),
}

NAV = (
    NavEntry("care:case_list", "个案管理", ("care.view_carecase", PERSONAL), 97, group="托养服务"),
    NavEntry("care:watch_list", "定位手表", ("care.view_watchissue", PERSONAL), 98, group="托养服务"),
)
PANEL = PersonPanel("care/cases/_person_cases.html", person_cases_panel, 42)
TIMELINE_KINDS = {"care_case": "个案管理", "care_watch": "定位手表"}


def with_cases(timeline):
    """Care's timeline, then the cases' and watches' entries."""

    def both(person, user):
        yield from timeline(person, user)
        yield from cases_timeline(person, user)

    return both


def _follow_up_line(case: CareCase) -> WorkLine:
    url = reverse("care:case_detail", args=[case.pk])
    text = f"{case.get_risk_display()}风险个案待随访（个案负责人：{case.keyworker.display_name}）"
    return WorkLine(text, url, case.person)


def _work_follow_ups(high: bool):
    """Open cases whose next follow-up (下次随访日期) is due within `DUE_SOON_DAYS` or past,
    due that day; high-risk cases are a kind of their own, counted and listed first."""

    def items(user, today):
        return WorkItems(
            rows=follow_ups_due(user, today + datetime.timedelta(days=DUE_SOON_DAYS), high=high),
            due="next_due",
            line=_follow_up_line,
            related=("person__area", "keyworker"),
        )

    return items


FOLLOW_UP = ("care.add_casefollowup", "care.view_carecase", PERSONAL)
WORKLIST = (
    WorkItemKind("care_follow_up_high", "高风险个案待随访", 100, FOLLOW_UP, _work_follow_ups(True)),
    WorkItemKind("care_follow_up", "个案待随访（中、低风险）", 101, FOLLOW_UP, _work_follow_ups(False)),
)


def scope_world(world) -> None:
    """A case and a watch for the home and the other town's person (care's world made the
    home person a member of the centre staff's centre)."""
    from care.services.cases import case_open, followup_record
    from care.services.watches import watch_issue

    admin = world.users["admin"]
    opened = timezone.localdate() - datetime.timedelta(days=20)
    for key, person in (("home", world.person), ("other", world.other_person)):
        made = getattr(world.care, key)
        made.case = case_open(
            user=admin, person=person, keyworker=admin, risk="high", plan="范围测试计划", opened_on=opened
        )
        made.follow_up = followup_record(
            user=admin, case=made.case, followed_on=opened, contact="phone", findings="范围测试随访", risk="high"
        )
        made.watch = watch_issue(
            user=admin,
            person=person,
            serial=f"WALK-{key}",
            model_name="范围测试手表",
            sim_number="",
            monthly_fee_fen=3000,
            issued_on=opened,
        )


def _written() -> int:
    return (
        CareCase.objects.count()
        + CareCase.objects.exclude(closed_on=None).count()
        + CareCase.objects.exclude(voided_at=None).count()
        + CaseFollowUp.objects.count()
        + CaseFollowUp.objects.exclude(voided_at=None).count()
        + WatchDevice.objects.count()
        + WatchIssue.objects.count()
        + WatchIssue.objects.exclude(ended_on=None).count()
        + WatchIssue.objects.exclude(voided_at=None).count()
    )


def _of(name: str, attr: str):
    return lambda world: tuple(
        reverse(name, args=[getattr(getattr(world.care, key), attr).pk]) for key in ("home", "other")
    )


def _persons(name: str):
    return lambda world: tuple(reverse(name, args=[p.pk]) for p in (world.person, world.other_person))


def _today(**data):
    return lambda world: {k: f"{timezone.localdate():%Y-%m-%d}" if v is None else v for k, v in data.items()}


def _reason(world) -> dict:
    return {"reason": "范围测试"}


URLS = {
    "care:case_list": ScopedUrl(("care.view_carecase", PERSONAL)),
    "care:case_overdue_export": ScopedUrl(("care.view_carecase", PERSONAL)),
    "care:case_detail": ScopedUrl(("care.view_carecase", PERSONAL), _of("care:case_detail", "case")),
    "care:case_close": ScopedUrl.post(
        "care.close_carecase", _of("care:case_close", "case"), data=_today(closed_on=None, reason="stable"),
        written=_written,
    ),
    "care:case_void": ScopedUrl.post(
        "care.void_carecase", _of("care:case_void", "case"), data=_reason, written=_written
    ),
    "care:followup_void": ScopedUrl.post(
        "care.void_casefollowup", _of("care:followup_void", "follow_up"), data=_reason, written=_written
    ),
    "care:case_open": ScopedUrl.post("care.add_carecase", _persons("care:case_open"), written=_written),
    "care:watch_list": ScopedUrl(("care.view_watchissue", PERSONAL)),
    "care:watch_export": ScopedUrl(("care.view_watchissue", PERSONAL)),
    "care:watch_end": ScopedUrl.post(
        "care.change_watchissue", _of("care:watch_end", "watch"), data=_today(ended_on=None, end="returned"),
        written=_written,
    ),
    "care:watch_void": ScopedUrl.post(
        "care.void_watchissue", _of("care:watch_void", "watch"), data=_reason, written=_written
    ),
    "care:watch_issue": ScopedUrl.post("care.add_watchissue", _persons("care:watch_issue"), written=_written),
}  # fmt: skip


# Indicators: cases, their follow-ups and the watches -------------------------------------


def _open_cases(day: datetime.date):
    return (
        CareCase.objects.standing().filter(opened_on__lte=day).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))
    )


def cases_open(year: int) -> Measure:
    """Mental-health cases open today (a stock), by the person's community."""
    return Measure(rows=_open_cases(timezone.localdate()), area="area_code", month=None, value=Count("pk"))


def cases_overdue(year: int) -> Measure:
    """Open cases whose next follow-up day has passed today (a stock: the case keeps only
    its current due day, so a past month's figure is the one its last refresh stored)."""
    today = timezone.localdate()
    rows = CareCase.objects.standing().filter(closed_on__isnull=True, next_due__lt=today)
    return Measure(rows=rows, area="area_code", month=None, value=Count("pk"))


def follow_ups_done(year: int) -> Measure:
    """Follow-ups of standing cases in the year, by the case's community and the month."""
    rows = CaseFollowUp.objects.filter(
        in_year("followed_on", year), voided_at__isnull=True, case__voided_at__isnull=True
    )
    return Measure(rows=rows, area="case__area_code", month="followed_on", value=Count("pk"))


def watches_issued(year: int) -> Measure:
    """Smart location watches issued to members in the year (standing issues), by the
    member's community and the month issued."""
    rows = WatchIssue.objects.standing().filter(in_year("issued_on", year))
    return Measure(rows=rows, area="area_code", month="issued_on", value=Count("pk"))


def watches_worn(year: int) -> Measure:
    """Members with a watch today (a stock)."""
    rows = WatchIssue.objects.standing().filter(ended_on__isnull=True)
    return Measure(rows=rows, area="area_code", month=None, value=Count("person", distinct=True))


INDICATORS = (
    Indicator(
        "care_cases_open",
        "精神康复个案在管数",
        "个",
        "care",
        cases_open,
        "未结案的个案（各月为月末数）",
        incremental=True,
    ),
    Indicator(
        "care_cases_overdue",
        "个案随访逾期数",
        "个",
        "care",
        cases_overdue,
        "未结案且已过下次随访日期的个案（按风险等级的随访间隔；各月为当月最后一次计算时的数）",
        incremental=True,
    ),
    Indicator(
        "care_follow_ups",
        "个案随访次数",
        "次",
        "care",
        follow_ups_done,
        "当期登记的个案随访（作废的随访和作废个案的随访不计）",
        incremental=True,
    ),
    Indicator(
        "care_watches_issued",
        "智能定位手表发放数",
        "只",
        "care",
        watches_issued,
        "当期发放给康园中心学员的智能定位手表（作废的不计）",
        incremental=True,
    ),
    Indicator(
        "care_watches_worn",
        "佩戴智能定位手表人数",
        Unit.PERSONS,
        "care",
        watches_worn,
        "目前持有未归还的智能定位手表的学员",
        incremental=True,
    ),
)
