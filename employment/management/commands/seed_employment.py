"""Demo employment records for the demo district (`make demo`, after `seed_demo`):

- the N service points of the "1+3+N" network: a town point and a countryside point in
  each active town (the hub and the three platforms come from migration 0002);
- four training courses of this year (three free, one paid) with their enrolments,
  attendance and completions: 110 persons complete free skills training (the seed's
  figure);
- employment statuses and vocational assessments of working-age persons;
- 20 households given start-up or production support this year (approved by the
  district, each with its one-off award of the benefits scheme, waiting for the grant
  batch; those approved six months ago followed up), and three applications waiting;
- employers (four of them caring enterprises), vacancies, placements and quota records;
- the partner county's persons placed here and devices sent there.

Deterministic for the same registry, seed and day; run once: a second run changes nothing.
"""

import datetime
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from areas.models import Area, Level
from benefits.models import Award, Scheme
from benefits.months import month_start
from benefits.selectors import rate_for
from employment.benefit_rule import SCHEME_CODE
from employment.models import (
    Assessment,
    AssessmentResult,
    BusinessState,
    Course,
    CourseEnrolment,
    Employer,
    EmploymentEvent,
    EmploymentStatus,
    JobPlacement,
    PartnerDevice,
    PartnerPlacement,
    QuotaEmployment,
    RecommendedPath,
    ServicePoint,
    StartupFollowUp,
    StartupKind,
    StartupState,
    StartupSupport,
    Vacancy,
)
from employment.services import quota_required
from registry.models import Person, Status
from registry.testing import make_id_number

DAY = datetime.timedelta(days=1)
POINT_SERVICES = {
    "town": ["guidance", "placement", "training", "policy"],
    "countryside": ["guidance", "startup", "assisted", "policy"],
}
# (name, provider, platform code, free, fee fen, enrolled, completed, days long)
COURSES = [
    ("电子商务运营实务", "江门市蓬江区职业技能培训中心", "JY01", True, 0, 40, 37, 20),
    ("中式面点制作", "江门市蓬江区残疾人职业培训基地", "JY01", True, 0, 40, 37, 25),
    ("手工编织与非遗技艺", "蓬江区残疾人就业创业服务枢纽平台", "JY03", True, 0, 38, 36, 15),
    ("咖啡师技能提升", "江门市益杯咖啡培训室", "JY02", False, 80000, 20, 18, 10),
]
EMPLOYERS = [
    ("江门市蓬江区益杯咖啡有限公司", "enterprise", True),
    ("江门市爱心电子科技有限公司", "enterprise", True),
    ("蓬江区阳光洗车服务部", "individual", True),
    ("江门市美心食品有限公司", "enterprise", True),
    ("江门市蓬江区城市管理服务中心", "institution", False),
    ("江门市华粤物流有限公司", "enterprise", False),
    ("江门市新会纺织有限公司", "enterprise", False),
    ("蓬江区社工服务中心", "social", False),
]
JOBS = [("包装工", 260000), ("电商客服", 320000), ("咖啡师", 300000), ("保洁员", 240000), ("仓库管理员", 330000)]
BUSINESSES = {
    StartupKind.STARTUP: ["网店经营", "便利店", "理发店", "手机维修", "早餐店", "按摩推拿店"],
    StartupKind.PRODUCTION: ["养鸡", "种植蔬菜", "养鱼", "种植柑橘", "养鸭"],
}
DEVICES = ["轮椅", "助行器", "盲杖", "助听器", "坐便椅"]
PARTNER_REGION = "451425"  # 天等县
HOUSEHOLDS, WAITING = 20, 3


class Command(BaseCommand):
    help = "生成演示用的就业创业数据（服务网点、培训课程、创业扶持、就业安置、粤桂协作）"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, seed: int, **options):
        if not Person.objects.exists():
            raise CommandError("登记库中没有人员：请先运行 seed_demo")
        if Course.objects.exists():
            self.stdout.write("已有就业创业数据，未重复生成。")
            return
        admin = User.objects.filter(role=Role.DISTRICT_ADMIN).order_by("pk").first()
        if admin is None:
            raise CommandError("找不到区残联管理员账号：请先运行 seed_demo")
        officers = {
            u.area_id[:9]: u for u in User.objects.filter(role=Role.TOWN_OFFICER, is_active=True).order_by("pk")
        }
        generator = Generator(random.Random(seed), datetime.date.today(), admin, officers)
        with transaction.atomic():
            counts = generator.run()
        self.stdout.write(
            "就业创业：{points} 个服务点，{courses} 期培训（{enrolments} 人次报名，{trained} 人完成免费培训），"
            "{statuses} 条就业状态，{assessments} 次评估，{households} 户创业扶持，{employers} 个用人单位，"
            "{placements} 人次就业安置，粤桂协作就业 {partner} 人、辅助器具 {devices} 件".format(**counts)
        )


class Generator:
    def __init__(self, rng, today, admin, officers) -> None:
        self.rng, self.today, self.admin, self.officers = rng, today, admin, officers
        self.year_start = datetime.date(today.year, 1, 1)
        low = today.replace(year=today.year - 60) + DAY
        high = today.replace(year=today.year - 16)
        self.persons = list(
            Person.objects.filter(status=Status.ACTIVE, birth_date__gte=low, birth_date__lte=high)
            .order_by("pk")
            .only("pk", "area_id", "name", "birth_date", "certificate_issued", "id_number")
        )
        self.rng.shuffle(self.persons)
        self.taken = 0

    def _take(self, n: int) -> list[Person]:
        chosen = self.persons[self.taken : self.taken + n]
        self.taken += n
        return chosen

    def _officer(self, person) -> User:
        return self.officers.get(person.area_id[:9], self.admin)

    def _day(self, since: datetime.date, until: datetime.date) -> datetime.date:
        if until <= since:
            return until
        return since + datetime.timedelta(days=self.rng.randint(0, (until - since).days))

    def _after_certificate(self, person, day: datetime.date) -> datetime.date:
        issued = person.certificate_issued
        return max(day, issued) if issued else day

    def run(self) -> dict:
        points = self.points()
        platforms = {p.code: p for p in ServicePoint.objects.filter(level="platform")}
        all_points = [*platforms.values(), *points]
        courses, enrolments, trained = self.courses(platforms)
        statuses = self.statuses(all_points)
        assessments = self.assessments(all_points)
        households = self.startups(all_points)
        employers = self.employers()
        placements = self.placements(employers, all_points)
        partner, devices = self.partner(employers)
        return {
            "points": len(points),
            "courses": courses,
            "enrolments": enrolments,
            "trained": trained,
            "statuses": statuses,
            "assessments": assessments,
            "households": households,
            "employers": len(employers),
            "placements": placements,
            "partner": partner,
            "devices": devices,
        }

    def points(self) -> list[ServicePoint]:
        hub = ServicePoint.objects.get(code="JY00")
        made = []
        towns = Area.objects.filter(level=Level.TOWN, is_active=True).order_by("code")
        for n, town in enumerate(towns, start=1):
            for setting, label in (("town", "城镇"), ("countryside", "农村")):
                made.append(
                    ServicePoint(
                        code=f"FW{n:02d}{1 if setting == 'town' else 2}",
                        name=f"{town.name}{label}就业服务点",
                        level="point",
                        parent=hub,
                        area=town,
                        setting=setting,
                        services=POINT_SERVICES[setting],
                        address=f"{town.name}残联{'服务大厅' if setting == 'town' else '村(居)服务站'}",
                        order=100 + n,
                    )
                )
        return ServicePoint.objects.bulk_create(made)

    def courses(self, platforms) -> tuple[int, int, int]:
        made, enrolments, trained = 0, [], set()
        # Spread over the year up to a month ago, oldest first.
        latest = max(self.today - datetime.timedelta(days=30), self.year_start)
        span = max((latest - self.year_start).days, len(COURSES))
        for n, (name, provider, platform, free, fee, enrolled, completed, days) in enumerate(COURSES):
            starts = self.year_start + datetime.timedelta(days=span * n // len(COURSES))
            ends = min(starts + datetime.timedelta(days=days - 1), self.today)
            course = Course.objects.create(
                code=f"PX{self.today.year}{n + 1:03d}",
                name=name,
                provider=provider,
                point=platforms[platform],
                starts_on=starts,
                ends_on=ends,
                capacity=enrolled + 5,
                free=free,
                fee_fen=fee,
                hours=days * 6,
                description=f"{name}，理论与实操结合",
                created_by=self.admin,
            )
            made += 1
            persons = [p for p in self._take(enrolled * 2) if not p.certificate_issued or p.certificate_issued < starts]
            for i, person in enumerate(persons[:enrolled]):
                enrolled_on = max(starts - datetime.timedelta(days=self.rng.randint(3, 20)), self.year_start)
                enrolled_on = self._after_certificate(person, enrolled_on)
                done = i < completed
                enrolments.append(
                    CourseEnrolment(
                        person=person,
                        area_code=person.area_id,
                        recorded_by=self._officer(person),
                        course=course,
                        enrolled_on=enrolled_on,
                        attended_days=days if done else self.rng.randint(0, days - 1),
                        completed_on=ends if done else None,
                        certificate_number=f"{course.code}-{i + 1:03d}" if done else "",
                    )
                )
                if done and free:
                    trained.add(person.pk)
        CourseEnrolment.objects.bulk_create(enrolments)
        return made, len(enrolments), len(trained)

    def statuses(self, points) -> int:
        weights = [
            (EmploymentStatus.EMPLOYED, 30),
            (EmploymentStatus.SELF_EMPLOYED, 12),
            (EmploymentStatus.ASSISTED, 6),
            (EmploymentStatus.SEEKING, 15),
            (EmploymentStatus.UNABLE, 20),
            (EmploymentStatus.TRAINING, 4),
            (EmploymentStatus.STUDENT, 8),
            (EmploymentStatus.RETIRED, 5),
        ]
        values, counts = zip(*weights, strict=True)
        rows = []
        persons = self.persons[: min(len(self.persons), 1500)]
        two_years = self.today - datetime.timedelta(days=730)
        for person in persons:
            first = self._after_certificate(person, self._day(two_years, self.today - datetime.timedelta(days=200)))
            status = self.rng.choices(values, counts)[0]
            rows.append(self._event(person, status, first, points))
            if self.rng.random() < 0.25 and first < self.today - datetime.timedelta(days=30):
                later = self._day(first + DAY * 10, self.today)
                rows.append(self._event(person, self.rng.choice(values[:3]), later, points))
        EmploymentEvent.objects.bulk_create(rows)
        return len(rows)

    def _event(self, person, status, day, points) -> EmploymentEvent:
        return EmploymentEvent(
            person=person,
            area_code=person.area_id,
            recorded_by=self._officer(person),
            status=status,
            changed_on=day,
            point=self.rng.choice(points),
        )

    def assessments(self, points) -> int:
        rows = []
        for person in self.persons[:200]:
            day = self._after_certificate(person, self._day(self.today - datetime.timedelta(days=500), self.today))
            rows.append(
                Assessment(
                    person=person,
                    area_code=person.area_id,
                    recorded_by=self._officer(person),
                    assessed_on=day,
                    assessor=self.rng.choice(["李评估师", "陈评估师", "黄评估师"]),
                    result=self.rng.choice(AssessmentResult.values),
                    path=self.rng.choice(RecommendedPath.values),
                    point=self.rng.choice(points),
                )
            )
        Assessment.objects.bulk_create(rows)
        return len(rows)

    def startups(self, points) -> int:
        scheme = Scheme.objects.get(code=SCHEME_CODE)
        latest = max(self.today - datetime.timedelta(days=10), self.year_start)
        persons = [
            p
            for p in self._take(HOUSEHOLDS * 2 + WAITING)
            if not p.certificate_issued or p.certificate_issued < self.year_start
        ]
        incubation = [p for p in points if p.code in ("JY03", "JY00")] or points
        for n, person in enumerate(persons[: HOUSEHOLDS + WAITING]):
            kind = StartupKind.STARTUP if n % 3 else StartupKind.PRODUCTION
            waiting = n >= HOUSEHOLDS
            reviewed = None if waiting else self._day(self.year_start + DAY * 14, latest)
            applied = (
                self._day(max(self.today - datetime.timedelta(days=20), self.year_start), self.today)
                if waiting
                else max(reviewed - datetime.timedelta(days=self.rng.randint(7, 14)), self.year_start)
            )
            support = StartupSupport(
                person=person,
                area_code=person.area_id,
                recorded_by=self._officer(person),
                head_name=person.name,
                head_id_number=person.id_number,
                household_size=self.rng.randint(2, 6),
                kind=kind,
                business=self.rng.choice(BUSINESSES[kind]),
                applied_on=applied,
                point=self.rng.choice(incubation),
            )
            if not waiting:
                rate = rate_for(scheme, month_start(reviewed), support.get_kind_display())
                support.award = Award.objects.create(
                    person=person,
                    scheme=scheme,
                    area_code=person.area_id,
                    variant=support.get_kind_display(),
                    start_month=month_start(reviewed),
                    source=Award.Source.APPLICATION,
                    created_by=self.admin,
                )
                support.state, support.reviewed_on, support.reviewed_by = StartupState.APPROVED, reviewed, self.admin
                support.amount_fen = rate.amount_fen if rate else None
                support.opinion = "符合扶持条件，同意扶持"
            support.save()
            if not waiting and reviewed + datetime.timedelta(days=182) <= self.today - DAY * 5:
                StartupFollowUp.objects.create(
                    person=person,
                    area_code=person.area_id,
                    recorded_by=self._officer(person),
                    support=support,
                    milestone=6,
                    visited_on=reviewed + datetime.timedelta(days=182),
                    business_state=self.rng.choice([BusinessState.RUNNING, BusinessState.GROWING]),
                    monthly_income_fen=self.rng.randint(15, 60) * 10000,
                    note="经营正常",
                )
        return HOUSEHOLDS

    def employers(self) -> list[Employer]:
        towns = list(Area.objects.filter(level=Level.TOWN, is_active=True).order_by("code"))
        made = []
        for n, (name, kind, caring) in enumerate(EMPLOYERS):
            made.append(
                Employer.objects.create(
                    name=name,
                    kind=kind,
                    caring=caring,
                    area=towns[n % len(towns)],
                    contact="人事部",
                    phone="0750-3300000",
                )
            )
        point = ServicePoint.objects.get(code="JY02")
        for employer in made:
            staff = self.rng.randint(50, 600)
            for year in (self.today.year - 1, self.today.year):
                required = quota_required(staff)
                QuotaEmployment.objects.create(
                    employer=employer,
                    year=year,
                    staff=staff,
                    disabled_employed=max(0, required + self.rng.randint(-2, 3)),
                    recorded_by=self.admin,
                )
            title, wage = self.rng.choice(JOBS)
            Vacancy.objects.create(
                employer=employer,
                title=title,
                openings=self.rng.randint(1, 5),
                wage_fen=wage,
                posted_on=self._day(self.year_start, self.today),
                point=point,
            )
        return made

    def placements(self, employers, points) -> int:
        rows = []
        last_year = self.today - datetime.timedelta(days=540)
        for person in self._take(60):
            started = self._after_certificate(person, self._day(last_year, self.today - DAY * 7))
            if started > self.today:
                continue
            title, wage = self.rng.choice(JOBS)
            ended = None
            if self.rng.random() < 0.15 and started < self.today - DAY * 60:
                ended = self._day(started + DAY * 30, self.today)
            rows.append(
                JobPlacement(
                    person=person,
                    area_code=person.area_id,
                    recorded_by=self._officer(person),
                    employer=self.rng.choice(employers),
                    job_title=title,
                    started_on=started,
                    wage_fen=wage,
                    point=self.rng.choice(points),
                    ended_on=ended,
                    end_reason="合同到期" if ended else "",
                )
            )
        JobPlacement.objects.bulk_create(rows)
        return len(rows)

    def partner(self, employers) -> tuple[int, int]:
        surnames = "农黄李陆韦覃梁蒙"
        given = ["春梅", "志强", "海燕", "建华", "秀兰", "文军", "小红", "国庆"]
        placements = 0
        for n in range(12):
            birth = datetime.date(1975 + self.rng.randint(0, 25), self.rng.randint(1, 12), self.rng.randint(1, 28))
            title, wage = self.rng.choice(JOBS)
            PartnerPlacement.objects.create(
                name=self.rng.choice(surnames) + self.rng.choice(given),
                id_number=make_id_number(region=PARTNER_REGION, birth=f"{birth:%Y%m%d}", sequence=100 + n),
                employer=self.rng.choice(employers[:4]),
                job_title=title,
                started_on=self._day(self.today - datetime.timedelta(days=500), self.today),
                wage_fen=wage,
                recorded_by=self.admin,
            )
            placements += 1
        pieces = 0
        for n in range(30):
            birth = datetime.date(1940 + self.rng.randint(0, 60), self.rng.randint(1, 12), self.rng.randint(1, 28))
            quantity = self.rng.randint(1, 2)
            PartnerDevice.objects.create(
                name=self.rng.choice(surnames) + self.rng.choice(given),
                id_number=make_id_number(region=PARTNER_REGION, birth=f"{birth:%Y%m%d}", sequence=300 + n),
                device=self.rng.choice(DEVICES),
                quantity=quantity,
                sent_on=self._day(self.today - datetime.timedelta(days=500), self.today),
                recorded_by=self.admin,
            )
            pieces += quantity
        return placements, pieces
