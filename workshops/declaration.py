"""What workshops contribute: the workshop pages in the navigation (group 就业), each role's
permissions (a workshop's staff, of the role centre staff, enter its months and sales), the
person page's block and timeline entries, three indicators, the demo's two workshops and
the scope test's URLs."""

import datetime
from types import SimpleNamespace

from django.core.management import call_command
from django.db.models import Count, Min, Q, Sum
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from canlian.declarations import AppDeclaration, DemoStep, NavEntry, PersonPanel, Place, ScopedUrl
from canlian.import_views import import_scoped_urls
from canlian.indicators import Indicator, Measure, Unit, in_year
from workshops.imports import WorkMonthImporter
from workshops.models import OPEN, Channel, Membership, Product, ProjectKind, Sale, WorkMonth, Workshop
from workshops.panels import person_workshops, timeline

PERSONAL = "registry.view_personal_data"
GROUP = "就业"

READ = (
    "workshops.view_workshop",
    "workshops.view_project",
    "workshops.view_membership",
    "workshops.view_workmonth",
    "workshops.export_workmonth",
    "workshops.view_product",
    "workshops.view_sale",
)
MONTH_WRITE = ("workshops.add_workmonth", "workshops.change_workmonth")
SALES_WRITE = ("workshops.add_sale", "workshops.restock_product", "workshops.void_sale")
MEMBERSHIP_WRITE = ("workshops.add_membership", "workshops.change_membership", "workshops.void_membership")
CATALOGUE_WRITE = (
    "workshops.add_workshop",
    "workshops.change_workshop",
    "workshops.add_project",
    "workshops.change_project",
    "workshops.add_product",
    "workshops.change_product",
)


# Indicators ------------------------------------------------------------------------------


def _members_on(day: datetime.date, *, at_start: bool):
    started = Q(started_on__lt=day) if at_start else Q(started_on__lte=day)
    return Membership.objects.standing().filter(started).filter(OPEN | Q(ended_on__gte=day))


def workshop_members(year: int) -> Measure:
    """Members of the workshops today (a stock: its monthly series is the figure at each
    month's last refresh, 月末数), by the member's community."""
    rows = _members_on(timezone.localdate(), at_start=False)
    return Measure(rows=rows, area="area_code", month=None, value=Count("person", distinct=True))


def workshop_members_on(day: datetime.date) -> Measure:
    rows = _members_on(day, at_start=True)
    return Measure(rows=rows, area="area_code", month=None, value=Count("person", distinct=True))


def workshop_income(year: int) -> Measure:
    """Income paid to members, by the month it was paid for."""
    rows = WorkMonth.objects.filter(in_year("month", year))
    return Measure(rows=rows, area="area_code", month="month", value=Sum("income_fen"))


def workshop_sales(year: int) -> Measure:
    """Sales of the workshops, by the workshop's area and the day of the sale."""
    rows = Sale.objects.standing().filter(in_year("sold_on", year))
    return Measure(rows=rows, area="workshop__area_id", month="sold_on", value=Sum("amount_fen"))


def record_years() -> set[int]:
    first = Membership.objects.standing().aggregate(first=Min("started_on"))["first"]
    return set(range(first.year, timezone.localdate().year + 1)) if first else set()


def seed(stdout, options: dict) -> None:
    call_command("seed_workshops", seed=options["seed"], stdout=stdout)


# Scope test: a workshop in each town, each with its town's person as a member ------------


def scope_world(world) -> None:
    """The suite's centre staff user is staff of a 白沙 workshop whose member is the home
    person; 荷塘 has one whose member is the other person. Each has a project, a product in
    stock, a sale and last month's row."""
    from workshops import services

    admin = world.users["admin"]
    today = timezone.localdate()
    start = (today.replace(day=1) - datetime.timedelta(days=40)).replace(day=1)
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    made = {}
    for key, area, person in (("home", "baisha", world.person), ("other", "hetang", world.other_person)):
        workshop = Workshop.objects.create(code=f"WALK-{key}", name=f"范围测试{key}车间", area=world.areas[area])
        project = workshop.projects.create(name=f"范围测试{key}咖啡", kind=ProjectKind.CAFE)
        product = Product.objects.create(workshop=workshop, project=project, name="挂耳咖啡", price_fen=1500, stock=10)
        membership = services.membership_start(
            user=admin, workshop=workshop, person=person, started_on=start, project=project
        )
        services.month_save(
            user=admin, workshop=workshop, month=last_month, entries={person.pk: services.Entry(20, 80000)}
        )
        sale = services.sale_record(
            user=admin, workshop=workshop, channel=Channel.SHOP, sold_on=today, amount_fen=3000, product=product,
            quantity=2,
        )  # fmt: skip
        made[key] = SimpleNamespace(workshop=workshop, product=product, membership=membership, sale=sale)
    made["home"].workshop.staff.add(world.users["centre"])
    world.workshops = SimpleNamespace(**made)


def _urls(name: str, of):
    return lambda world: tuple(reverse(name, args=[of(getattr(world.workshops, key))]) for key in ("home", "other"))


def _workshops(name: str):
    return _urls(name, lambda made: made.workshop.pk)


def _persons(name: str):
    return lambda world: tuple(reverse(name, args=[p.pk]) for p in (world.person, world.other_person))


def _written() -> int:
    return (
        Membership.objects.count()
        + Membership.objects.exclude(ended_on=None).count()
        + Membership.objects.exclude(voided_at=None).count()
        + WorkMonth.objects.count()
        + Sale.objects.count()
        + Sale.objects.exclude(voided_at=None).count()
        + (Product.objects.aggregate(s=Sum("stock"))["s"] or 0)
    )


def _today(world) -> dict:
    return {"ended_on": f"{timezone.localdate():%Y-%m-%d}", "note": "范围测试"}


def map_places(user) -> list[Place]:
    """The active workshops in the user's scope, for the district's map."""
    rows = Workshop.objects.visible_to(user).filter(is_active=True).values_list("name", "area_id")
    return [Place(name, "辅助性就业车间", area) for name, area in rows]


declaration = AppDeclaration(
    nav=(
        NavEntry("workshops:workshop_list", "就业车间", "workshops.view_workshop", 97, group=GROUP),
        NavEntry("workshops:month_start", "车间月报", "workshops.add_workmonth", 98, group=GROUP),
    ),
    role_permissions={
        Role.DISTRICT_ADMIN: (*READ, *MONTH_WRITE, *SALES_WRITE, *MEMBERSHIP_WRITE, *CATALOGUE_WRITE),
        Role.DISTRICT_REVIEWER: READ,
        Role.TOWN_OFFICER: (*READ, *MEMBERSHIP_WRITE),
        # Their workshops' members (workshops.scoping): the month and the sales are theirs.
        Role.CENTRE_STAFF: (*READ, *MONTH_WRITE, *SALES_WRITE),
        # The workshops and their figures only: never a member's name.
        Role.LEADER: ("workshops.view_workshop",),
    },
    panels=(PersonPanel("workshops/_person_workshops.html", person_workshops, 45),),
    timeline=timeline,
    timeline_kinds={"workshop_member": "辅助性就业", "workshop_month": "车间月报"},
    indicators=(
        Indicator(
            "workshop_members",
            "辅助性就业车间在册成员",
            Unit.PERSONS,
            "workshops",
            workshop_members,
            "在辅助性就业车间工作的持证残疾人（各月为月末人数）",
            measure_on=workshop_members_on,
            incremental=True,
        ),
        Indicator(
            "workshop_income",
            "辅助性就业车间发放成员收入",
            Unit.YUAN,
            "workshops",
            workshop_income,
            "车间月报中发给成员的收入之和，按收入所属月份",
            incremental=True,
        ),
        Indicator(
            "workshop_sales",
            "辅助性就业车间产品销售额",
            Unit.YUAN,
            "workshops",
            workshop_sales,
            "车间各渠道（线下门店、微信小程序、活动义卖）的销售额，按车间所在镇街",
            incremental=True,
        ),
    ),
    # After employment: a workshop belongs to its town's point of the employment network.
    demo=DemoStep(run=seed, order=45, after=("registry", "employment")),
    scope_world=scope_world,
    urls={
        "workshops:workshop_list": ScopedUrl("workshops.view_workshop"),
        "workshops:month_start": ScopedUrl("workshops.add_workmonth"),
        "workshops:workshop_detail": ScopedUrl(
            ("workshops.view_workshop", "workshops.view_membership", PERSONAL), _workshops("workshops:workshop_detail")
        ),
        "workshops:month_entry": ScopedUrl(("workshops.view_workmonth", PERSONAL), _workshops("workshops:month_entry")),
        "workshops:month_export": ScopedUrl(
            ("workshops.export_workmonth", PERSONAL), _workshops("workshops:month_export")
        ),
        "workshops:month_totals": ScopedUrl("workshops.view_workshop", _workshops("workshops:month_totals")),
        "workshops:sales": ScopedUrl("workshops.view_sale", _workshops("workshops:sales")),
        "workshops:restock": ScopedUrl.post(
            "workshops.restock_product",
            _urls("workshops:restock", lambda made: made.product.pk),
            data=lambda world: {"quantity": "5"},
            written=_written,
        ),
        "workshops:sale_void": ScopedUrl.post(
            "workshops.void_sale",
            _urls("workshops:sale_void", lambda made: made.sale.pk),
            data=lambda world: {"reason": "范围测试"},
            written=_written,
        ),
        "workshops:join": ScopedUrl.post("workshops.add_membership", _persons("workshops:join"), written=_written),
        "workshops:membership_end": ScopedUrl.post(
            "workshops.change_membership",
            _urls("workshops:membership_end", lambda made: made.membership.pk),
            data=_today,
            written=_written,
        ),
        "workshops:membership_void": ScopedUrl.post(
            "workshops.void_membership",
            _urls("workshops:membership_void", lambda made: made.membership.pk),
            data=lambda world: {"reason": "范围测试"},
            written=_written,
        ),
        **import_scoped_urls(WorkMonthImporter, "workshops:months_import"),
    },
    sqlite_tests=("tests/test_month_save.py", "tests/test_bad_input.py"),
    record_years=record_years,
    places=map_places,
)
