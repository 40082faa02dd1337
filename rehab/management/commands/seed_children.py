"""Demo child rehabilitation assistance (`make demo`, after `seed_rehab`): this year's and
last year's standards, the designated institutions for children, about 40 children and
their assessments, applications in every state and the records of the placed ones.

- up to 15 of the 40 children are certified persons of the registry aged 0–6 (registered
  with their ID number, so the service links them), the others are uncertified: most with
  an ID number, the youngest with only a birth certificate number;
- applications in every state (submitted, approved, placed, closed, rejected, withdrawn),
  last year's all decided; training records month by month, one record for a device or an
  operation; every amount within the year's cap and the approved amount;
- everything goes through `rehab.services_children`, as the officers would have entered
  it, so every rule holds (age limit, cap, one open application a kind and year), then
  the decision and placement times are dated back to the days they stand for.

Deterministic for the same registry, seed and day; run once: a second run changes nothing.
"""

import datetime
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from areas.models import Area, Level
from registry.models import Person, Status
from registry.testing import make_id_number
from rehab.models import Provider
from rehab.models_children import (
    AssistanceKind,
    Child,
    ChildApplication,
    ChildDisability,
    ChildRehabStandard,
    PriorityGroup,
)
from rehab.services_children import (
    child_application_close,
    child_application_decide,
    child_application_place,
    child_application_withdraw,
    child_apply,
    child_assess,
    child_record,
    child_register,
)

# Yearly caps per child (元) and the age limit: local data, unverified — each city's
# 实施方案 sets its own; the district administrator edits them in the admin.
CAPS_YUAN = {AssistanceKind.SURGERY: 20_000, AssistanceKind.DEVICE: 10_000, AssistanceKind.TRAINING: 24_000}
MAX_AGE = 6
STANDARD_NOTE = "演示数据：请按《江门市残疾儿童康复救助工作实施方案》设定"
# Designated institutions for children among the demo providers (seed_rehab), and the
# district's special children's centre the seed names (蓬江区特殊儿童康复教育中心).
CHILD_PROVIDERS = [
    "蓬江区残疾人康复中心",
    "江门市中心医院康复医学科",
    "蓬江区启智康复服务中心",
    "江门市星语孤独症儿童康复中心",
]
CHILD_PROVIDERS += ["蓬江区康复辅助器具服务中心"]
NEW_CENTRE = ("蓬江区特殊儿童康复教育中心", "440703006000")
CHILDREN = 40
CERTIFIED = 15  # at most: the certified children 0–6 of the registry, the rest uncertified
DISABILITY_OF_CATEGORY = {1: "visual", 2: "hearing", 3: "speech", 4: "physical", 5: "intellectual", 6: "autism"}
DIAGNOSES = {
    "visual": ["先天性白内障术后低视力", "早产儿视网膜病变", "先天性眼球震颤伴低视力"],
    "hearing": ["双耳极重度感音神经性耳聋", "双耳中重度感音神经性听力损失", "大前庭水管综合征"],
    "speech": ["语言发育迟缓", "构音障碍", "腭裂术后构音障碍"],
    "physical": ["脑性瘫痪（痉挛型双瘫）", "先天性马蹄内翻足", "臂丛神经损伤", "脊柱裂术后下肢无力"],
    "intellectual": ["全面发育迟缓", "唐氏综合征", "智力发育障碍（中度）"],
    "autism": ["孤独症谱系障碍", "孤独症谱系障碍伴语言发育迟缓"],
}
DIAGNOSED_BY = ["江门市妇幼保健院", "江门市中心医院", "广东省妇幼保健院", "江门市第三人民医院"]
# What each kind of assistance delivers, by disability.
TRAINING = {
    "visual": "视功能训练",
    "hearing": "听觉言语康复训练",
    "speech": "言语语言康复训练",
    "physical": "运动功能康复训练",
    "intellectual": "认知与生活自理训练",
    "autism": "孤独症儿童行为干预训练",
}
DEVICES = {
    "visual": "助视器适配",
    "hearing": "助听器验配",
    "speech": "沟通辅助器具适配",
    "physical": "矫形器适配",
    "intellectual": "康复训练辅具",
    "autism": "感统训练辅具",
}
SURGERIES = {"hearing": "人工耳蜗植入手术", "physical": "矫治手术", "visual": "白内障手术"}
# Where each kind is given: operations in a hospital, devices at the device centre,
# training at the centres for children.
HOSPITAL, DEVICE_CENTRE = "江门市中心医院康复医学科", "蓬江区康复辅助器具服务中心"
SURNAMES = "陈李黄梁林张刘吴何冯谭余罗周邓关麦钟伍胡赵郑叶莫苏杨卢"
GIVEN = "子梓浩宇轩晨睿博欣怡诗琪嘉乐思雨彤悦涵俊杰晓铭"
MOBILE = ["138", "139", "135", "136", "137", "150", "158", "186", "188", "189"]


class Command(BaseCommand):
    help = "生成演示用的残疾儿童康复救助数据：救助标准、定点机构、约 40 名儿童及其评估、申请和服务记录"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同数据）")

    def handle(self, *args, seed: int, **options):
        if Child.objects.exists():
            self.stdout.write("已有康复救助儿童，未重复生成演示数据。")
            return
        officers = {
            u.area_id[:9]: u for u in User.objects.filter(role=Role.TOWN_OFFICER, is_active=True).order_by("pk")
        }
        reviewer = User.objects.filter(role=Role.DISTRICT_REVIEWER, is_active=True).order_by("pk").first()
        communities = list(Area.objects.filter(level=Level.COMMUNITY, is_active=True, code__startswith="440703"))
        communities = [a for a in communities if a.code[:9] in officers]
        if reviewer is None or not communities:
            raise CommandError("找不到区残联审核员或镇街专干账号：请先运行 seed_demo")
        with transaction.atomic():
            generator = ChildGenerator(
                rng=random.Random(seed),
                today=timezone.localdate(),
                officers=officers,
                reviewer=reviewer,
                communities=sorted(communities, key=lambda a: a.code),
            )
            generator.run()
        states = {label: 0 for label in ChildApplication.State.labels}
        for application in ChildApplication.objects.all():
            states[application.get_state_display()] += 1
        linked = Child.objects.filter(person__isnull=False).count()
        summary = "，".join(f"{label} {count}" for label, count in states.items())
        self.stdout.write(f"残疾儿童康复救助：{Child.objects.count()} 名儿童（{linked} 名已关联持证），申请 {summary}")


class ChildGenerator:
    def __init__(self, *, rng, today, officers, reviewer, communities) -> None:
        self.rng, self.today, self.officers, self.reviewer = rng, today, officers, reviewer
        self.communities = communities
        self.years = (today.year - 1, today.year)

    def run(self) -> None:
        self.standards()
        self.institutions = self.designated()
        certified = self.certified()
        children = certified + self.uncertified(CHILDREN - len(certified))
        for child in children:
            self.assessments(child)
        self.applications(children)

    # -- reference data ----------------------------------------------------------------

    def standards(self) -> None:
        for year in self.years:
            for kind, cap in CAPS_YUAN.items():
                ChildRehabStandard.objects.get_or_create(
                    year=year, kind=kind, defaults={"cap_fen": cap * 100, "max_age": MAX_AGE, "note": STANDARD_NOTE}
                )

    def designated(self) -> list[Provider]:
        Provider.objects.filter(name__in=CHILD_PROVIDERS).update(serves_children=True)
        name, code = NEW_CENTRE
        Provider.objects.get_or_create(name=name, defaults={"area_id": code, "serves_children": True})
        return list(Provider.objects.filter(serves_children=True, is_active=True).order_by("name"))

    # -- children ----------------------------------------------------------------------

    def officer(self, area_code: str) -> User:
        return self.officers[area_code[:9]]

    def day(self, low: datetime.date, high: datetime.date) -> datetime.date:
        return low + datetime.timedelta(days=self.rng.randrange((high - low).days + 1))

    def mobile(self) -> str:
        return self.rng.choice(MOBILE) + f"{self.rng.randrange(10**8):08d}"

    def certified(self) -> list[Child]:
        youngest = self.today.replace(year=self.today.year - MAX_AGE - 1) + datetime.timedelta(days=1)
        persons = Person.objects.filter(
            birth_date__gte=youngest, status=Status.ACTIVE, area__code__startswith="440703"
        ).order_by("pk")
        made = []
        for person in persons:
            if len(made) == CERTIFIED:
                break
            if person.area_id[:9] not in self.officers or not person.guardian_phone:
                continue
            disability = DISABILITY_OF_CATEGORY.get(person.category, "intellectual")
            child = child_register(
                user=self.officer(person.area_id),
                name=person.name,
                gender=person.gender,
                id_number=person.id_number,
                birth_certificate="",
                birth_date=person.birth_date,
                disability=disability,
                diagnosis=self.rng.choice(DIAGNOSES[disability]),
                diagnosed_by=self.rng.choice(DIAGNOSED_BY),
                guardian_name=person.guardian_name or person.name[0] + "建华",
                guardian_phone=person.guardian_phone,
                area=person.area,
                address=person.address,
            )
            made.append(child)
        return made

    def uncertified(self, count: int) -> list[Child]:
        rng = self.rng
        taken = set(
            Person.objects.filter(birth_date__year__gte=self.today.year - 8).values_list("id_number", flat=True)
        )
        made = []
        for number in range(count):
            area = rng.choice(self.communities)
            male = rng.random() < 0.6
            birth = self.today - datetime.timedelta(days=rng.randrange(60, 365 * 6 + 300))
            surname = rng.choice(SURNAMES)
            name = surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
            id_number = certificate = ""
            if number % 5 == 4 or birth > self.today - datetime.timedelta(days=200):
                certificate = f"{rng.choice('MNOPQR')}44{rng.randrange(10**7):07d}"
            while not certificate:
                sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)
                id_number = make_id_number(region="440703", birth=f"{birth:%Y%m%d}", sequence=sequence)
                if id_number not in taken:
                    taken.add(id_number)
                    break
            disability = rng.choice(ChildDisability.values)
            made.append(
                child_register(
                    user=self.officer(area.code),
                    name=name,
                    gender="M" if male else "F",
                    id_number=id_number,
                    birth_certificate=certificate,
                    birth_date=birth,
                    disability=disability,
                    diagnosis=rng.choice(DIAGNOSES[disability]),
                    diagnosed_by=rng.choice(DIAGNOSED_BY),
                    guardian_name=surname + rng.choice(["志强", "丽华", "国明", "秀珍", "家豪", "美玲"]),
                    guardian_phone=self.mobile(),
                    area=area,
                    address=f"{area.parent.name}{area.name}{rng.randint(1, 80)}号",
                )
            )
        return made

    def assessments(self, child: Child) -> None:
        for year in self.years:
            low = max(datetime.date(year, 1, 1), child.birth_date)
            high = min(datetime.date(year, 12, 31), self.today)
            if low > high or self.rng.random() > 0.85:
                continue
            child_assess(
                user=self.officer(child.area_id),
                child=child,
                year=year,
                has_need=self.rng.random() < 0.92,
                assessed_on=self.day(low, min(high, low + datetime.timedelta(days=60))),
            )

    # -- applications ------------------------------------------------------------------

    def kinds_for(self, child: Child) -> list[str]:
        kinds = [AssistanceKind.TRAINING]
        if child.disability in DEVICES and self.rng.random() < 0.5:
            kinds.append(AssistanceKind.DEVICE)
        if child.disability in SURGERIES and self.rng.random() < 0.25:
            kinds.append(AssistanceKind.SURGERY)
        return kinds

    def applications(self, children: list[Child]) -> None:
        rng = self.rng
        # This year's states in turn, so every state occurs; last year's all decided.
        this_year = ["placed", "submitted", "approved", "closed", "placed", "rejected", "withdrawn", "placed"]
        last_year = ["closed", "closed", "rejected", "closed"]
        turn = {self.years[0]: 0, self.years[1]: 0}
        for child in children:
            for year in self.years:
                if rng.random() > (0.7 if year == self.today.year else 0.35):
                    continue
                low = max(datetime.date(year, 1, 1), child.birth_date + datetime.timedelta(days=30))
                high = min(datetime.date(year, 12, 31), self.today)
                if year == self.today.year:
                    high = min(high, max(low, self.today - datetime.timedelta(days=20)))
                if low > high:
                    continue
                applied_on = self.day(low, min(high, low + datetime.timedelta(days=120)))
                if child.age_on(applied_on) > MAX_AGE:
                    continue
                for kind in self.kinds_for(child):
                    states = this_year if year == self.today.year else last_year
                    state = states[turn[year] % len(states)]
                    turn[year] += 1
                    self.application(child, kind, applied_on, state)

    def application(self, child: Child, kind: str, applied_on: datetime.date, state: str) -> None:
        rng, today = self.rng, self.today
        officer = self.officer(child.area_id)
        cap = CAPS_YUAN[kind] * 100
        requested = {
            AssistanceKind.TRAINING: rng.choice([12_000, 18_000, 24_000]) * 100,
            AssistanceKind.DEVICE: rng.choice([3_000, 6_000, 9_800]) * 100,
            AssistanceKind.SURGERY: rng.choice([15_000, 20_000]) * 100,
        }[kind]
        application = child_apply(
            user=officer,
            child=child,
            kind=kind,
            priority_group=rng.choices(PriorityGroup.values, weights=[45, 5, 50])[0],
            applied_on=applied_on,
            requested_fen=min(requested, cap),
        )
        self.date_back(application, "created_at", applied_on, 9)
        if state == "submitted":
            return
        if state == "withdrawn":
            child_application_withdraw(user=officer, application=application, reason="监护人改为自费到外地机构康复")
            return
        decided = min(applied_on + datetime.timedelta(days=rng.randint(3, 12)), today)
        if state == "rejected":
            child_application_decide(
                user=self.reviewer, application=application, approve=False, reason="经核查不属于本期救助对象范围"
            )
            self.date_back(application, "decided_at", decided, 10)
            return
        application = child_application_decide(user=self.reviewer, application=application, approve=True)
        self.date_back(application, "decided_at", decided, 10)
        if state == "approved":
            return
        placed_on = min(
            decided + datetime.timedelta(days=rng.randint(2, 10)), today, datetime.date(applied_on.year, 12, 31)
        )
        if kind == AssistanceKind.SURGERY:
            institution = self.institution(HOSPITAL)
        elif kind == AssistanceKind.DEVICE:
            institution = self.institution(DEVICE_CENTRE)
        else:
            institution = rng.choice([i for i in self.institutions if i.name not in (HOSPITAL, DEVICE_CENTRE)])
        application = child_application_place(
            user=self.reviewer, application=application, institution=institution, placed_on=placed_on
        )
        last = self.records(application, placed_on, closing=state == "closed")
        if state == "closed":
            closed_on = min(last + datetime.timedelta(days=rng.randint(1, 20)), today)
            child_application_close(user=self.reviewer, application=application, closed_on=closed_on, reason="服务完成")

    def institution(self, name: str) -> Provider:
        return next((i for i in self.institutions if i.name == name), self.institutions[0])

    def records(self, application: ChildApplication, placed_on: datetime.date, *, closing: bool) -> datetime.date:
        """Training month by month from the placement (to the year's end or today), a device
        or an operation once; returns the last day served."""
        rng, child = self.rng, application.child
        officer = self.officer(child.area_id)
        end = min(datetime.date(application.year, 12, 31), self.today)
        if application.kind != AssistanceKind.TRAINING:
            what = DEVICES if application.kind == AssistanceKind.DEVICE else SURGERIES
            content = what.get(child.disability, "康复辅助器具适配")
            served_on = min(placed_on + datetime.timedelta(days=rng.randint(0, 14)), end)
            amount = application.approved_fen - rng.choice([0, 0, 20_000])
            child_record(user=officer, application=application, served_on=served_on, content=content, amount_fen=amount)
            return served_on
        months = 3 if closing else 12
        monthly = application.approved_fen // 12
        day, spent, last = placed_on, 0, placed_on
        for _ in range(months):
            if day > end or spent + monthly > application.approved_fen:
                break
            child_record(
                user=officer,
                application=application,
                served_on=day,
                content=TRAINING[child.disability],
                sessions=rng.choice([8, 12, 16, 20]),
                amount_fen=monthly,
            )
            spent, last = spent + monthly, day
            day += datetime.timedelta(days=30)
        return last

    def date_back(self, application: ChildApplication, field: str, day: datetime.date, hour: int) -> None:
        """A time the service stamped now (taken, decided) as the day it stands for."""
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))
        ChildApplication.objects.filter(pk=application.pk).update(**{field: moment})
