"""Demo workshops for the demo district (`seed_demo --all`, after the registry and the
employment network): the workshop at the 杜阮 station and one in 白沙, each belonging to
its town's urban service point, their projects (自助售卖机, 公益咖啡馆 "益杯咖啡",
烘焙茶饮店, 就业爱心车间), one staff user each (role centre staff, logins printed), about
a dozen members each from the workshop's town, twelve months of work days and income up
to last month, a catalogue of products with stock, and a year of sales through the shop,
the two WeChat mini programs and events.

Deterministic for the same registry, seed and day; run once: a second run adds nothing
but prints the logins again.
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_set_role
from areas.models import Area
from benefits.months import add_months
from canlian.prefix import prefix_filter
from employment.models import ServicePoint
from registry.management.commands.seed_demo import DEMO_PASSWORD, _pad
from registry.models import Person, Status
from workshops.models import (
    Channel,
    Membership,
    Product,
    Project,
    ProjectKind,
    Sale,
    WorkMonth,
    Workshop,
    month_end,
)

MONTHS = 12
MEMBERS = (11, 14)
# (code, name, town, address, staff login, staff name, projects, products); the service
# point is the town's urban point of the employment network (seed_employment's), if seeded.
WORKSHOPS = [
    (
        "CJ0101",
        "杜阮镇辅助性就业车间",
        "440703103000",
        "杜阮镇杜阮社区杜阮北路8号",
        "cjduruan1",
        "梁志强",
        [
            ("自助售卖机", ProjectKind.VENDING),
            ("公益咖啡馆“益杯咖啡”", ProjectKind.CAFE),
            ("就业爱心车间", ProjectKind.WORKSHOP),
        ],
        [
            ("公益咖啡馆“益杯咖啡”", "挂耳咖啡礼盒", "盒", 3800),
            ("公益咖啡馆“益杯咖啡”", "咖啡豆（250克）", "袋", 6800),
            ("就业爱心车间", "手工香皂", "块", 1800),
            ("就业爱心车间", "串珠钥匙扣", "个", 1200),
        ],
    ),
    (
        "CJ0201",
        "白沙街道辅助性就业车间",
        "440703002000",
        "白沙街道长堤路26号",
        "cjbaisha1",
        "何丽芬",
        [("烘焙茶饮店", ProjectKind.BAKERY), ("就业爱心车间", ProjectKind.WORKSHOP)],
        [
            ("烘焙茶饮店", "手工曲奇", "盒", 2800),
            ("烘焙茶饮店", "蛋黄酥", "盒", 3600),
            ("就业爱心车间", "编织杯垫", "个", 1500),
        ],
    ),
]
# Made to order (no catalogue stock): what each kind of project sells by the day.
DAILY = {ProjectKind.VENDING: (3000, 12000), ProjectKind.CAFE: (8000, 30000), ProjectKind.BAKERY: (6000, 25000)}


class Command(BaseCommand):
    help = "生成演示用的辅助性就业车间：两个车间及项目、工作人员账号、成员、一年的月报和销售"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同数据）")

    def handle(self, *args, seed: int, **options):
        if not Person.objects.exists():
            raise CommandError("登记库中没有人员：请先运行 seed_demo")
        if Workshop.objects.exists():
            self.stdout.write("已有辅助性就业车间，未重复生成演示车间数据。")
        else:
            with transaction.atomic():
                self.generate(random.Random(seed), timezone.localdate())
        self.print_logins()

    def generate(self, rng: random.Random, today: datetime.date) -> None:
        admin = User.objects.filter(role=Role.DISTRICT_ADMIN).order_by("pk").first()
        if admin is None:
            raise CommandError("找不到区残联管理员账号：请先运行 seed_demo")
        hashed = make_password(DEMO_PASSWORD)
        first_month = add_months(today.replace(day=1), -MONTHS)
        counts = {"members": 0, "months": 0, "sales": 0}
        for code, name, town, address, login, staff_name, projects, products in WORKSHOPS:
            area = Area.objects.get(code=town)
            point = ServicePoint.objects.filter(level="point", area=area, setting="town", is_active=True).first()
            workshop = Workshop.objects.create(code=code, name=name, area=area, address=address, service_point=point)
            workshop.staff.add(self.staff_user(login, staff_name, area, hashed))
            made = {p: Project.objects.create(workshop=workshop, name=p, kind=kind) for p, kind in projects}
            memberships = self.members(rng, today, first_month, workshop, list(made.values()), admin)
            counts["members"] += len(memberships)
            counts["months"] += self.months(rng, today, first_month, workshop, memberships)
            catalogue = [
                Product.objects.create(
                    workshop=workshop, project=made[project], name=product, unit=unit, price_fen=price, stock=0
                )
                for project, product, unit, price in products
            ]
            counts["sales"] += self.sales(rng, today, first_month, workshop, made.values(), catalogue, admin)
        self.stdout.write(
            f"辅助性就业车间：{len(WORKSHOPS)} 个车间，{counts['members']} 名成员，"
            f"{counts['months']} 条月报，{counts['sales']} 条销售记录"
        )

    def staff_user(self, username: str, name: str, area: Area, hashed: str) -> User:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.last_name, user.first_name = name[:1], name[1:]
        user.password, user.is_active = hashed, True
        user.save()
        return user_set_role(user=user, role=Role.CENTRE_STAFF, area=area)

    def members(self, rng, today, first_month, workshop, projects, admin) -> list[Membership]:
        """Working-age, active persons of the workshop's town, most there the whole year."""
        candidates = list(
            Person.objects.filter(
                prefix_filter("area__code", workshop.area_id[:9]),
                status=Status.ACTIVE,
                birth_date__gt=today - datetime.timedelta(days=59 * 366),
                birth_date__lt=today - datetime.timedelta(days=18 * 366),
                category__in=[1, 2, 4, 5, 6],
            )
            .exclude(workshop_memberships__isnull=False)
            .order_by("pk")[:400]
        )
        chosen = rng.sample(candidates, min(len(candidates), rng.randint(*MEMBERS)))
        made = []
        for person in chosen:
            joined = first_month - datetime.timedelta(days=rng.randint(0, 400))
            if rng.random() < 0.25:  # some joined during the year
                joined = first_month + datetime.timedelta(days=rng.randint(0, 300))
            if person.certificate_issued and joined < person.certificate_issued:
                joined = person.certificate_issued
            if joined > today - datetime.timedelta(days=45):
                continue
            ended, note = None, ""
            if rng.random() < 0.12:
                ended = min(today - datetime.timedelta(days=10), joined + datetime.timedelta(days=rng.randint(60, 300)))
                note = rng.choice(["转到企业就业", "家庭原因", "身体原因"])
                if ended <= joined:
                    ended = None
            made.append(
                Membership(
                    person=person,
                    area_code=person.area_id,
                    recorded_by=admin,
                    workshop=workshop,
                    project=rng.choice(projects),
                    started_on=joined,
                    ended_on=ended,
                    end_note=note if ended else "",
                )
            )
        return Membership.objects.bulk_create(made)

    def months(self, rng, today, first_month, workshop, memberships) -> int:
        """Each member's work days and income of the months up to last month."""
        staff = workshop.staff.first()
        rows = []
        for m in memberships:
            daily = rng.choice([3000, 3500, 4000, 4500, 5000])
            month = first_month
            while month < today.replace(day=1):
                last = month_end(month)
                if m.started_on <= last and (m.ended_on is None or m.ended_on >= month):
                    share = (min(last, m.ended_on or last) - max(month, m.started_on)).days + 1
                    days = round(rng.randint(15, 22) * share / last.day)
                    bonus = rng.choice([0, 0, 0, 5000, 10000]) if days else 0
                    rows.append(
                        WorkMonth(
                            workshop=workshop,
                            month=month,
                            person_id=m.person_id,
                            area_code=m.area_code,
                            work_days=days,
                            income_fen=days * daily + bonus,
                            recorded_by=staff,
                        )
                    )
                month = add_months(month, 1)
        WorkMonth.objects.bulk_create(rows, batch_size=1000)
        return len(rows)

    def sales(self, rng, today, first_month, workshop, projects, catalogue, admin) -> int:
        """Made-to-order sales of the café, bakery and vending machines a few days a week;
        catalogue products through the mall mini program and events, from a stock made
        each month (what is left is the stock today)."""
        staff = workshop.staff.first() or admin
        rows, made = [], {p.pk: 0 for p in catalogue}
        day = first_month
        while day <= today:
            for project in projects:
                low_high = DAILY.get(project.kind)
                if low_high and day.weekday() < 6 and rng.random() < 0.6:
                    channel = (
                        Channel.MINI_CAFE if project.kind == ProjectKind.CAFE and rng.random() < 0.35 else Channel.SHOP
                    )
                    rows.append(self.sale(workshop, project, None, channel, day, 0, rng.randint(*low_high), staff))
            if day.day == 1:
                for product in catalogue:
                    made[product.pk] += rng.randint(30, 60)
            for product in catalogue:
                if rng.random() < 0.15:
                    event = (day.month, day.day) in {(5, 19), (5, 20), (9, 20), (12, 3)} or rng.random() < 0.2
                    quantity = min(rng.randint(1, 6), made[product.pk])
                    if quantity:
                        made[product.pk] -= quantity
                        channel = Channel.EVENT if event else Channel.MINI_MALL
                        rows.append(
                            self.sale(
                                workshop, product.project, product, channel, day, quantity,
                                quantity * product.price_fen, staff,
                            )
                        )  # fmt: skip
            day += datetime.timedelta(days=1)
        Sale.objects.bulk_create(rows, batch_size=1000)
        for product in catalogue:
            product.stock = made[product.pk]
            product.save(update_fields=["stock"])
        return len(rows)

    @staticmethod
    def sale(workshop, project, product, channel, day, quantity, amount, staff) -> Sale:
        return Sale(
            workshop=workshop,
            project=project,
            product=product,
            channel=channel,
            sold_on=day,
            quantity=quantity,
            amount_fen=amount,
            recorded_by=staff,
        )

    def print_logins(self) -> None:
        self.stdout.write(f"\n辅助性就业车间工作人员账号（密码均为 {DEMO_PASSWORD}）：")
        lines = [("用户名", "所在车间", "姓名")]
        for workshop in Workshop.objects.prefetch_related("staff").order_by("code"):
            for user in sorted(workshop.staff.all(), key=lambda u: u.username):
                lines.append((user.username, workshop.name, user.display_name))
        for line in lines:
            self.stdout.write("  " + "".join(_pad(cell, width) for cell, width in zip(line, (14, 30, 8), strict=True)))
