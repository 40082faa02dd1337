"""Demo rehabilitation work for the demo district (`make demo`, after `seed_demo` and
`seed_benefits`): designated providers, the yearly needs assessments of last year and this
year, and the services given, as the town officers would have recorded them.

- the catalogue of 32 items comes with the migrations (rehab 0002);
- about 1,300 persons assessed a year (children far more often than adults), four in five
  of them with a need whose kinds follow the person's disability category;
- about 2,000 service records a year (≥ 1,800 person-times, the seed's target): most
  persons with a need served one to four times, a town or two below the 90% coverage
  target so the figures page shows the difference; a few persons served without an
  assessment;
- every date inside the person's certified life (after the certificate, before a death or
  moving out, not after today), as `rehab.services` requires.

Deterministic for the same registry, seed and day; run once: a second run changes nothing.
"""

import datetime
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from accounts.roles import Role
from areas.models import Area
from registry.models import Person, Status
from rehab.models import ItemKind, NeedAssessment, Provider, RehabItem, ServiceRecord

# (name, town code, the kinds it serves)
PROVIDERS = [
    ("蓬江区残疾人康复中心", "440703002000", ["physical", "intellectual", "hearing_speech", "visual"]),
    ("江门市中心医院康复医学科", "440703006000", ["physical", "visual", "hearing_speech"]),
    ("江门市第三人民医院", "440703101000", ["mental"]),
    ("蓬江区启智康复服务中心", "440703005000", ["intellectual", "autism"]),
    ("江门市星语孤独症儿童康复中心", "440703002000", ["autism", "hearing_speech"]),
    ("蓬江区康复辅助器具服务中心", "440703006000", ["assistive"]),
    ("荷塘镇社区康复站", "440703102000", ["physical", "mental"]),
    ("杜阮镇社区康复站", "440703103000", ["physical", "mental"]),
]
# The kinds of need that each disability category (GB/T 26341) calls for.
KINDS_OF_CATEGORY = {
    1: ["visual"],
    2: ["hearing_speech"],
    3: ["hearing_speech"],
    4: ["physical"],
    5: ["intellectual"],
    6: ["mental"],
}
ASSESSED_SHARE = {"child": 0.7, "adult": 0.12}
NEED_SHARE = 0.8
# The share of persons with a need who were served, per town: most above the 90% target.
SERVED_SHARE = {"440703002": 0.95, "440703005": 0.93, "440703006": 0.91, "440703101": 0.86, "440703102": 0.94}
DEFAULT_SERVED_SHARE = 0.9
ASSESSMENT_DAYS = datetime.timedelta(days=100)
UNASSESSED_SERVED = 60  # persons a year served without an assessment
SOURCE = "演示数据"


class Command(BaseCommand):
    help = "生成演示用的精准康复数据：定点康复机构、近两年的康复需求评估和康复服务记录"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同数据）")

    def handle(self, *args, seed: int, **options):
        if not Person.objects.exists():
            raise CommandError("登记库中没有人员：请先运行 seed_demo")
        if ServiceRecord.objects.exists() or NeedAssessment.objects.exists():
            self.stdout.write("已有康复数据，未重复生成演示康复数据。")
            return
        officers = {
            u.area_id[:9]: u for u in User.objects.filter(role=Role.TOWN_OFFICER, is_active=True).order_by("pk")
        }
        admin = User.objects.filter(role=Role.DISTRICT_ADMIN).order_by("pk").first()
        if admin is None:
            raise CommandError("找不到区残联管理员账号：请先运行 seed_demo")
        with transaction.atomic():
            providers = self.providers()
            generator = RehabGenerator(
                rng=random.Random(seed),
                today=datetime.date.today(),
                items=list(RehabItem.objects.filter(is_active=True).order_by("code")),
                providers=providers,
                officers=officers,
                admin=admin,
            )
            persons = Person.objects.order_by("pk").only(
                "pk", "area_id", "birth_date", "category", "certificate_issued", "status", "status_date"
            )
            assessments, records = generator.generate(list(persons))
            bulk_create_with_history(
                assessments, NeedAssessment, batch_size=1000, default_user=admin, default_change_reason=SOURCE
            )
            ServiceRecord.objects.bulk_create(records, batch_size=2000)
        years = sorted({r.served_on.year for r in records})
        per_year = "，".join(f"{y} 年 {sum(1 for r in records if r.served_on.year == y)} 人次" for y in years)
        made = f"{len(providers)} 家定点机构，{len(assessments)} 份需求评估，{len(records)} 条服务记录"
        self.stdout.write(f"精准康复：{made}（{per_year}）")

    def providers(self) -> list[tuple[Provider, list[str]]]:
        areas = Area.objects.in_bulk([code for _, code, _ in PROVIDERS])
        made = []
        for name, code, kinds in PROVIDERS:
            provider, _ = Provider.objects.get_or_create(name=name, defaults={"area": areas[code]})
            made.append((provider, kinds))
        return made


class RehabGenerator:
    def __init__(self, *, rng, today, items, providers, officers, admin) -> None:
        self.rng, self.today, self.admin, self.officers = rng, today, admin, officers
        self.items_of: dict[str, list[RehabItem]] = {}
        for item in items:
            self.items_of.setdefault(item.kind, []).append(item)
        self.providers_of: dict[str, list[Provider]] = {}
        for provider, kinds in providers:
            for kind in kinds:
                self.providers_of.setdefault(kind, []).append(provider)

    def window(self, person: Person, year: int) -> tuple[datetime.date, datetime.date] | None:
        """The days of `year` on which the person may be served (rehab.services' rules)."""
        low = max(datetime.date(year, 1, 1), person.birth_date, person.certificate_issued or datetime.date.min)
        high = min(datetime.date(year, 12, 31), self.today)
        if person.status != Status.ACTIVE and person.status_date:
            high = min(high, person.status_date)
        return (low, high) if low <= high else None

    def day(self, low: datetime.date, high: datetime.date) -> datetime.date:
        return low + datetime.timedelta(days=self.rng.randrange((high - low).days + 1))

    def kinds(self, person: Person, age: int) -> list[str]:
        rng = self.rng
        if person.category == 7:  # multiple: two of the kinds
            kinds = rng.sample(["physical", "intellectual", "visual", "hearing_speech", "mental"], 2)
        else:
            kinds = list(KINDS_OF_CATEGORY[person.category])
        if person.category == 5 and age < 14 and rng.random() < 0.35:
            kinds.append("autism")
        if person.category in (1, 4, 7) and rng.random() < 0.3:
            kinds.append(ItemKind.ASSISTIVE)
        return [kind for kind in ItemKind.values if kind in kinds]

    def officer(self, area_code: str) -> User:
        return self.officers.get(area_code[:9], self.admin)

    def generate(self, persons: list[Person]) -> tuple[list[NeedAssessment], list[ServiceRecord]]:
        rng = self.rng
        assessments, records, seen = [], [], set()
        for year in (self.today.year - 1, self.today.year):
            served_anyway = []
            for person in persons:
                window = self.window(person, year)
                if window is None:
                    continue
                age = year - person.birth_date.year
                if rng.random() >= ASSESSED_SHARE["child" if age < 18 else "adult"]:
                    if rng.random() < UNASSESSED_SERVED / len(persons):
                        served_anyway.append((person, window))
                    continue
                has_need = rng.random() < NEED_SHARE
                kinds = self.kinds(person, age) if has_need else []
                served = []
                share = SERVED_SHARE.get(person.area_id[:9], DEFAULT_SERVED_SHARE)
                if has_need and rng.random() < share:
                    times = rng.choices([1, 2, 3, 4], weights=[25, 35, 25, 15])[0]
                    served = self.services(person, kinds, window, times, seen)
                # Assessed early in the year (or soon after the certificate), and before the
                # first service; services spread over the year.
                latest = min([window[1], window[0] + ASSESSMENT_DAYS, *(r.served_on for r in served)])
                assessments.append(
                    NeedAssessment(
                        person_id=person.pk,
                        area_code=person.area_id,
                        year=year,
                        has_need=has_need,
                        kinds=kinds,
                        assessed_on=self.day(window[0], latest),
                        assessed_by=self.officer(person.area_id),
                    )
                )
                records += served
            for person, window in served_anyway:
                records += self.services(person, self.kinds(person, year - person.birth_date.year), window, 1, seen)
        records.sort(key=lambda r: (r.served_on, r.person_id))
        return assessments, records

    def services(self, person, kinds, window, times, seen) -> list[ServiceRecord]:
        rng = self.rng
        made = []
        for _ in range(times):
            kind = rng.choice(kinds)
            item = rng.choice(self.items_of[kind])
            served_on = self.day(*window)
            if (person.pk, served_on, item.pk) in seen:
                continue
            seen.add((person.pk, served_on, item.pk))
            sessions = 1 if kind == ItemKind.ASSISTIVE else rng.choice([1, 4, 8, 10, 12, 20])
            made.append(
                ServiceRecord(
                    person_id=person.pk,
                    area_code=person.area_id,
                    item=item,
                    provider=rng.choice(self.providers_of[kind]),
                    served_on=served_on,
                    sessions=sessions,
                    recorded_by=self.officer(person.area_id),
                )
            )
        return made
