"""Demo activities for the demo district (`make demo`, after `seed_demo`): a year of
activities as the seed's report describes them, with their participants, the five ones
and the five associations' members.

- about 30 activities in the twelve months up to today: the district's 助残日 launch (the
  third Sunday of May), its publicity, the 党建 activities, a centre open day, the 六一
  online live show, two 普法 lectures, ten 文化进家园 activities (two of each of the five
  ones), one activity of each association, each town's own 助残日 activity and two
  centres' open days (the first centre of 杜阮 and of 潮连 in the demo's care, linked);
- their participants: registered persons of the organiser's area (any town for the
  district's and the associations'), active on the day, children for 六一, the
  association's categories for its activity; volunteers, family members and online
  viewers besides;
- the five ones those participations give, and some recorded directly, so that a few dozen
  persons have done all five;
- members of each association (its categories), with a chair, a vice chair and committee
  members.

Deterministic for the same registry, seed and day; run once: a second run changes nothing.
"""

import datetime
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from accounts.roles import Role
from activities.models import (
    Activity,
    ActivityKind,
    Association,
    FiveOne,
    FiveOneRecord,
    Membership,
    Organiser,
    Participation,
    Position,
)
from activities.services import CODE_PREFIX
from areas.models import Area, Level
from care.models import Institution, InstitutionKind
from registry.models import Person, Status

DAY = datetime.timedelta(days=1)
# (name, kind, five one, online, place, registered participants (low, high), (volunteers, family, viewers))
DISTRICT = [
    (
        "“助残脱贫 决胜小康”全国助残日主题活动启动仪式",
        ActivityKind.DISABILITY_DAY,
        "",
        False,
        "区残联",
        (40, 70),
        (30, 20, 0),
    ),
    ("助残日主题宣传活动", ActivityKind.PUBLICITY, "", False, "江门市蓬江区文化广场", (10, 25), (40, 0, 0)),
    ("“学听跟”党建专题活动", ActivityKind.PARTY, "", False, "区残联会议室", (15, 30), (5, 0, 0)),
    ("“红心向党 惠民助残”六进巡演巡讲", ActivityKind.PARTY, "", True, "区残联视频号", (10, 20), (8, 0, 3500)),
    ("残疾人社区康园中心主题开放日", ActivityKind.OPEN_DAY, "", False, "白沙街道社区康园中心", (20, 40), (25, 15, 0)),
    (
        "“六一”儿童节线上直播：心理调适、康复技能训练与绘画创作",
        ActivityKind.CHILDRENS_DAY,
        "",
        True,
        "直播平台",
        (15, 30),
        (6, 40, 1200),
    ),
    ("“普法助残”知识讲座", ActivityKind.LEGAL, "", False, "残疾人法律援助站", (20, 35), (3, 10, 0)),
    ("“普法助残”知识讲座（第二期）", ActivityKind.LEGAL, "", True, "区残联视频号", (10, 20), (3, 0, 800)),
]
FIVE_ONES = [
    (FiveOne.BOOK, "读书分享会：好书伴我行", "蓬江区图书馆"),
    (FiveOne.FILM, "无障碍电影专场", "江门市无障碍影院"),
    (FiveOne.PARK, "游园活动", "白水带风景区"),
    (FiveOne.EXHIBITION, "参观残疾人书画作品展", "江门市博物馆"),
    (FiveOne.CULTURE, "残疾人文艺汇演", "蓬江区文化馆"),
]
ASSOCIATION_ACTIVITIES = {
    "blind": ("盲人定向行走体验活动", "盲人按摩培训基地"),
    "deaf": ("手语交流联谊会", "聋人之家"),
    "physical": ("轮椅健身操展示", "蓬江区体育馆"),
    "intellectual": ("智障人士亲子手工坊", "启智康复服务中心"),
    "mental": ("精神残疾人家属心理健康讲座", "社区精神康复站"),
}
CENTRES = [("440703103000", "杜阮镇社区康园中心"), ("440703005000", "潮连街道社区康园中心")]
CHILD_AGE = 18
COMPLETE_TARGET = 40  # persons who do all five in the year, counting those from activities
DIRECT_SHARE = 0.5


def third_sunday_of_may(year: int) -> datetime.date:
    first = datetime.date(year, 5, 1)
    return first + datetime.timedelta(days=(6 - first.weekday()) % 7 + 14)


def last(month_day, today: datetime.date) -> datetime.date:
    """The latest occurrence of a yearly day on or before today."""
    day = month_day(today.year)
    return day if day <= today else month_day(today.year - 1)


class Command(BaseCommand):
    help = "生成演示用的活动数据：近一年约 30 项活动及参加人员、“五个一”记录和专门协会会员"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同数据）")

    def handle(self, *args, seed: int, **options):
        if not Person.objects.exists():
            raise CommandError("登记库中没有人员：请先运行 seed_demo")
        if Activity.objects.exists():
            self.stdout.write("已有活动数据，未重复生成演示活动数据。")
            return
        admin = User.objects.filter(role=Role.DISTRICT_ADMIN).order_by("pk").first()
        if admin is None:
            raise CommandError("找不到区残联管理员账号：请先运行 seed_demo")
        officers = {
            u.area_id[:9]: u for u in User.objects.filter(role=Role.TOWN_OFFICER, is_active=True).order_by("pk")
        }
        persons = list(
            Person.objects.order_by("pk").only(
                "pk", "area_id", "birth_date", "category", "certificate_issued", "status", "status_date"
            )
        )
        generator = ActivityGenerator(
            rng=random.Random(seed), today=datetime.date.today(), admin=admin, officers=officers, persons=persons
        )
        with transaction.atomic():
            activities = generator.activities()
            for activity in activities:
                activity.code = generator.code(activity.starts_on.year)
            bulk_create_with_history(activities, Activity, batch_size=500, default_user=admin)
            activities = list(Activity.objects.order_by("starts_on", "id"))
            participations = generator.participations(activities)
            Participation.objects.bulk_create(participations, batch_size=2000)
            five_ones = generator.five_ones(participations)
            FiveOneRecord.objects.bulk_create(five_ones, batch_size=2000)
            memberships = generator.memberships()
            Membership.objects.bulk_create(memberships, batch_size=2000)
        self.stdout.write(
            f"活动：{len(activities)} 项活动，{len(participations)} 人次参加，"
            f"{len(five_ones)} 条“五个一”记录，{len(memberships)} 名协会会员"
        )


class ActivityGenerator:
    def __init__(self, *, rng, today, admin, officers, persons) -> None:
        self.rng, self.today, self.admin, self.officers = rng, today, admin, officers
        self.persons = persons
        self.district = Area.objects.get(level=Level.DISTRICT, is_active=True)
        self.towns = list(Area.objects.filter(level=Level.TOWN, is_active=True).order_by("code"))
        self.associations = {a.code: a for a in Association.objects.all()}
        self.numbers: dict[int, int] = {}

    def code(self, year: int) -> str:
        self.numbers[year] = self.numbers.get(year, 0) + 1
        return f"{CODE_PREFIX}{year}{self.numbers[year]:04d}"

    def day(self) -> datetime.date:
        """A day of the twelve months up to today."""
        return self.today - datetime.timedelta(days=self.rng.randrange(365))

    def activity(self, *, name, kind, organiser, area, day, place, online=False, others=(0, 0, 0), **extra):
        volunteers, family, viewers = others
        return Activity(
            name=name,
            kind=kind,
            organiser=organiser,
            area=area,
            starts_on=day,
            ends_on=day,
            online=online,
            place=place,
            volunteers=volunteers,
            family_members=family,
            online_viewers=viewers,
            created_by=self.officers.get(area.code[:9], self.admin),
            **extra,
        )

    def activities(self) -> list[Activity]:
        rng, made = self.rng, []
        fixed = {
            ActivityKind.DISABILITY_DAY: last(third_sunday_of_may, self.today),
            ActivityKind.CHILDRENS_DAY: last(lambda year: datetime.date(year, 6, 1), self.today),
        }
        # The publicity runs in the week before the day.
        fixed[ActivityKind.PUBLICITY] = max(fixed[ActivityKind.DISABILITY_DAY] - 3 * DAY, self.today - 364 * DAY)
        for name, kind, _five, online, place, _size, others in DISTRICT:
            day = fixed.get(kind) or self.day()
            made.append(
                self.activity(
                    name=name,
                    kind=kind,
                    organiser=Organiser.DISTRICT,
                    area=self.district,
                    day=day,
                    place=place,
                    online=online,
                    others=others,
                )
            )
        for round_ in (1, 2):
            for item, name, place in FIVE_ONES:
                # The district's first round, then a town's.
                town = self.district if round_ == 1 else rng.choice(self.towns)
                made.append(
                    self.activity(
                        name=name if round_ == 1 else f"{town.name}{name}",
                        kind=ActivityKind.FIVE_ONES,
                        five_one=item,
                        organiser=Organiser.DISTRICT if round_ == 1 else Organiser.TOWN,
                        area=town,
                        day=self.day(),
                        place=place,
                        others=(rng.randrange(5, 15), rng.randrange(0, 20), 0),
                    )
                )
        for code, (name, place) in ASSOCIATION_ACTIVITIES.items():
            made.append(
                self.activity(
                    name=name,
                    kind=ActivityKind.ASSOCIATION,
                    organiser=Organiser.ASSOCIATION,
                    association=self.associations[code],
                    area=self.district,
                    day=self.day(),
                    place=place,
                    others=(rng.randrange(3, 10), rng.randrange(5, 25), 0),
                )
            )
        disability_day = fixed[ActivityKind.DISABILITY_DAY]
        for town in self.towns:
            made.append(
                self.activity(
                    name=f"{town.name}助残日活动",
                    kind=ActivityKind.TOWN_DAY,
                    organiser=Organiser.TOWN,
                    area=town,
                    day=max(disability_day - rng.randrange(0, 7) * DAY, self.today - 364 * DAY),
                    place=f"{town.name}文化站",
                    others=(rng.randrange(10, 40), rng.randrange(5, 30), 0),
                )
            )
        towns = {town.code: town for town in self.towns}
        for code, name in CENTRES:
            if code in towns:
                centre = self.centre_of(towns[code])
                made.append(
                    self.activity(
                        name=f"{centre.name if centre else name}开放日",
                        kind=ActivityKind.OPEN_DAY,
                        organiser=Organiser.CENTRE,
                        # The town's first centre of the demo's care; without care, the text.
                        centre=centre,
                        centre_name="" if centre else name,
                        area=towns[code],
                        day=self.day(),
                        place=centre.name if centre else name,
                        others=(rng.randrange(5, 20), rng.randrange(10, 30), 0),
                    )
                )
        made.sort(key=lambda a: a.starts_on)
        return made

    @staticmethod
    def centre_of(town: Area) -> Institution | None:
        """The town's first active community centre (康园中心), if care has any."""
        return (
            Institution.objects.filter(kind=InstitutionKind.CENTRE, is_active=True, area__code__startswith=town.prefix)
            .order_by("code")
            .first()
        )

    def active_on(self, person: Person, day: datetime.date) -> bool:
        """The day lies in the person's certified life (canlian.records' rule)."""
        if day < person.birth_date or (person.certificate_issued and day < person.certificate_issued):
            return False
        return person.status == Status.ACTIVE or not person.status_date or day <= person.status_date

    def candidates(self, activity: Activity) -> list[Person]:
        day = activity.starts_on
        prefix = activity.area.prefix
        categories = activity.association.categories if activity.association_id else None
        chosen = []
        for person in self.persons:
            if not person.area_id.startswith(prefix) or not self.active_on(person, day):
                continue
            if categories and person.category not in categories and person.category != 7:
                continue
            if activity.kind == ActivityKind.CHILDRENS_DAY and person.age_on(day) >= CHILD_AGE:
                continue
            chosen.append(person)
        return chosen

    def participations(self, activities: list[Activity]) -> list[Participation]:
        sizes = {name: size for name, _k, _f, _o, _p, size, _x in DISTRICT}
        made = []
        for activity in activities:
            pool = self.candidates(activity)
            low, high = sizes.get(activity.name, (15, 45))
            count = min(len(pool), self.rng.randrange(low, high + 1))
            for person in self.rng.sample(pool, count):
                made.append(
                    Participation(
                        person_id=person.pk,
                        area_code=person.area_id,
                        activity=activity,
                        attended_on=activity.starts_on,
                        recorded_by=self.officers.get(person.area_id[:9], self.admin),
                    )
                )
        return made

    def five_ones(self, participations: list[Participation]) -> list[FiveOneRecord]:
        """The five ones the 文化进家园 participations give (once a person, year and item),
        then some recorded directly: most of those who did four, some of the others."""
        held: dict[tuple[int, int], dict[str, FiveOneRecord]] = {}
        by_pk = {person.pk: person for person in self.persons}
        for p in participations:
            activity = p.activity
            if activity.kind != ActivityKind.FIVE_ONES:
                continue
            items = held.setdefault((p.person_id, p.attended_on.year), {})
            if activity.five_one not in items:
                items[activity.five_one] = FiveOneRecord(
                    person_id=p.person_id,
                    area_code=p.area_code,
                    recorded_by=p.recorded_by,
                    item=activity.five_one,
                    year=p.attended_on.year,
                    done_on=p.attended_on,
                    activity=activity,
                )
        keys = sorted(held, key=lambda key: (-len(held[key]), key))
        completed = 0
        for person_id, year in keys:
            items = held[(person_id, year)]
            missing = [item for item in FiveOne.values if item not in items]
            if not missing:
                completed += 1
                continue
            if completed < COMPLETE_TARGET:
                add, completed = missing, completed + 1
            elif self.rng.random() < DIRECT_SHARE:
                add = self.rng.sample(missing, self.rng.randint(1, min(3, len(missing))))
            else:
                continue
            person = by_pk[person_id]
            for item in add:
                day = self._day_in(person, year)
                if day is None:
                    break
                items[item] = FiveOneRecord(
                    person_id=person_id,
                    area_code=person.area_id,
                    recorded_by=self.officers.get(person.area_id[:9], self.admin),
                    item=item,
                    year=year,
                    done_on=day,
                    note="社区登记",
                )
        return [record for items in held.values() for record in items.values()]

    def _day_in(self, person: Person, year: int) -> datetime.date | None:
        low = max(datetime.date(year, 1, 1), person.birth_date, person.certificate_issued or datetime.date.min)
        high = min(datetime.date(year, 12, 31), self.today)
        if person.status != Status.ACTIVE and person.status_date:
            high = min(high, person.status_date)
        if low > high:
            return None
        return low + datetime.timedelta(days=self.rng.randrange((high - low).days + 1))

    def memberships(self) -> list[Membership]:
        made = []
        leaders = [Position.CHAIR, Position.VICE_CHAIR, Position.SECRETARY, Position.COMMITTEE, Position.COMMITTEE]
        active = [p for p in self.persons if p.status == Status.ACTIVE and p.age_on(self.today) >= CHILD_AGE]
        for association in sorted(self.associations.values(), key=lambda a: a.order):
            pool = [p for p in active if p.category in association.categories]
            members = self.rng.sample(pool, min(len(pool), self.rng.randrange(25, 45)))
            for index, person in enumerate(members):
                joined = self._day_in(person, self.today.year - self.rng.randrange(0, 5))
                if joined is None:
                    continue
                made.append(
                    Membership(
                        person_id=person.pk,
                        area_code=person.area_id,
                        association=association,
                        position=leaders[index] if index < len(leaders) else Position.MEMBER,
                        joined_on=joined,
                        recorded_by=self.admin,
                    )
                )
        return made
