"""python manage.py seed_demo --persons 9100 --seed 1 — a deterministic demo district.

With --all (`make demo`) it runs every app's declared demo step in order instead: this
command's own work, then benefits', rehab's, the targets and the first figures.

Loads the demo communities/villages through the real area import, makes one user per role
(and one town officer per town) with a shared demo password, and generates certified
persons with valid ID and certificate numbers, a plausible mix of categories, grades, ages
and economic status, and dated status events whose old/new chains match each person's
current state. The same arguments always give the same persons; everything is written
set-based (bulk inserts), so the district's ~9,100 persons seed in seconds.
"""

import datetime
import random
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_set_role
from areas.demo_data import TOWNS, DemoTown, demo_area_rows
from areas.models import Area
from areas.services import AreasImportError, areas_import_rows
from canlian import declarations
from registry.duplicates import duplicates_find
from registry.identifiers import id_number_from_15
from registry.models import (
    EVENT_FIELD,
    STATUS_OF_EVENT,
    ChangeRequest,
    DuplicatePair,
    EconomicStatus,
    EventKind,
    FamilyMember,
    Household,
    HouseholdLog,
    Person,
    PersonEvent,
    Relationship,
    Status,
)
from registry.testing import make_certificate, make_id_number

DEMO_PASSWORD = "canlian2026"
# Ages, certificate dates and event dates are counted from a fixed day, so that the same
# seed gives the same persons whenever it runs (and no event lies in the future).
DEMO_TODAY = datetime.date(2026, 11, 1)
EVENTS_FROM = datetime.date(2024, 1, 1)
SOURCE = "演示数据"
# One of each kind `plant_duplicates` makes.
PLANTED_DUPLICATES = 4

DISTRICT_CODE = "440703000000"

# (user name, role, area code or None for the district, display name, is_staff)
DEMO_USERS = [
    ("admin", Role.DISTRICT_ADMIN, DISTRICT_CODE, "梁志明", True),
    ("reviewer", Role.DISTRICT_REVIEWER, DISTRICT_CODE, "黄慧敏", False),
    *[
        (town.login, Role.TOWN_OFFICER, town.code, name, False)
        for town, name in zip(TOWNS, ["陈丽华", "卢嘉欣", "李国强", "吴少芬", "冯振东", "谭美玲"], strict=True)
    ],
    ("centre", Role.CENTRE_STAFF, "440703002000", "何秀英", False),
    ("leader", Role.LEADER, DISTRICT_CODE, "周建国", False),
    ("auditor", Role.AUDIT_ADMIN, DISTRICT_CODE, "邓子健", False),
    ("counsellor", Role.COUNSELLOR, DISTRICT_CODE, "区静怡", False),
    ("sysadmin", Role.SYSTEM_ADMIN, DISTRICT_CODE, "苏永强", True),
]

# Address codes of ID numbers: mostly Pengjiang, some the rest of Jiangmen, a few older or
# other codes (440702, the city's former 城区, is retired: a warning, not an error).
REGIONS = [
    ("440703", 78.0),
    ("440704", 4.0),  # 江海区
    ("440705", 4.0),  # 新会区
    ("440701", 2.0),  # 市辖区
    ("440781", 1.5),  # 台山市
    ("440783", 1.5),  # 开平市
    ("440784", 1.0),  # 鹤山市
    ("440785", 0.5),  # 恩平市
    ("451425", 0.5),  # 广西天等县 (the seed's partner county)
    ("440106", 0.5),  # 广州市天河区
]
OLD_REGIONS = [("440702", 6.0)]  # only for persons born before 1990

AGE_BANDS = [
    ((1, 6), 2),
    ((7, 17), 5),
    ((18, 44), 20),
    ((45, 59), 25),
    ((60, 79), 35),
    ((80, 95), 13),
]

CATEGORY_WEIGHTS = {1: 10, 2: 12, 3: 2, 4: 45, 5: 12, 6: 12, 7: 7}
CHILD_CATEGORY_WEIGHTS = {1: 5, 2: 15, 3: 10, 4: 20, 5: 35, 6: 3, 7: 12}
GRADE_WEIGHTS = {1: 15, 2: 30, 3: 30, 4: 25}
ECONOMIC_WEIGHTS = {
    EconomicStatus.NONE: 81,
    EconomicStatus.DIBAO: 12,
    EconomicStatus.NEAR_DIBAO: 5,
    EconomicStatus.TEKUN: 2,
}
BANKS = [
    ("江门农商银行", "6231360", 50),
    ("中国邮政储蓄银行", "6217996", 25),
    ("中国工商银行", "6222022", 25),
]

SURNAMES = {
    "陈": 12, "李": 8, "黄": 7, "梁": 7, "林": 4, "张": 4, "刘": 3, "吴": 3, "何": 3, "冯": 3,
    "谭": 3, "区": 2, "余": 2, "罗": 2, "周": 2, "邓": 2, "关": 2, "麦": 2, "钟": 2, "伍": 2,
    "胡": 2, "赵": 2, "郑": 2, "叶": 2, "莫": 2, "苏": 2, "杨": 2, "卢": 2, "甄": 1, "容": 1,
    "许": 1, "朱": 1, "马": 1, "蔡": 1, "潘": 1, "温": 1, "简": 1, "源": 1, "阮": 1, "袁": 1,
    "曾": 1, "司徒": 1, "欧阳": 0.5,
}  # fmt: skip
MALE_CHARS = "伟强国建华明志文荣耀锦辉俊杰家永健振海德炳添根财福祥新东平成林宏勇军达坚冠权浩嘉铭宇昌胜汉棠基培灿钊"
FEMALE_CHARS = "秀英丽芳玉兰凤美燕桂珍妹霞婷敏琼娟洁嘉欣慧颖雪金好彩群爱红梅莲惠珊琪怡诗晓月艳萍仪少翠笑娣"
MOBILE_PREFIXES = [
    *(f"13{d}" for d in range(10)),
    *("150", "151", "152", "153", "155", "156", "157", "158", "159"),
    *(f"18{d}" for d in range(10)),
]
ROADS = [
    "建设路", "东华路", "跃进路", "港口路", "白沙大道", "迎宾大道", "胜利路", "建德路", "丰乐路",
    "育德街", "堤中路", "长堤路", "农林路", "华园路", "紫沙路", "新华路", "兴宁路", "发展大道",
]  # fmt: skip
VILLAGE_PLACES = [
    "东便坊",
    "西便坊",
    "南坊",
    "北坊",
    "新村",
    "中心村",
    "大巷",
    "上街",
    "下街",
    "围仔",
]
REASONS = {
    EventKind.DEATH: "户籍注销（死亡）",
    EventKind.MOVED_OUT: "户籍迁出本区",
    EventKind.CANCELLED: "本人申请注销残疾人证",
    EventKind.GRADE: "复评定级",
    EventKind.ECONOMIC: "民政部门认定结果变更",
    EventKind.RENEWAL: "证件到期换发",
}


def _pad(text: str, width: int) -> str:
    """Left-align in a terminal column; a Chinese character takes two columns."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 1)


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _date_between(rng: random.Random, low: datetime.date, high: datetime.date) -> datetime.date:
    return low + datetime.timedelta(days=rng.randint(0, (high - low).days))


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class _Place:
    area: Area
    town: DemoTown
    village: bool


@dataclass
class _Event:
    kind: str
    date: datetime.date
    old_value: str
    new_value: str


class DemoGenerator:
    """Everything random comes from one `random.Random(seed)`, drawn in a fixed order."""

    def __init__(self, *, seed: int, places: list[_Place], today: datetime.date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.ids: set[str] = set()
        self.places = places
        # Towns by population; communities within a town unevenly, as in life.
        town_weight = {town.code: town.weight for town in TOWNS}
        self.place_weights = [
            town_weight[p.town.code] / sum(1 for q in places if q.town is p.town) * self.rng.uniform(0.5, 1.5)
            for p in places
        ]

    # -- small pieces --------------------------------------------------------------------

    def name(self, male: bool, surname: str = "") -> str:
        rng = self.rng
        surname = surname or _pick(rng, SURNAMES)
        chars = MALE_CHARS if male else FEMALE_CHARS
        length = 1 if rng.random() < 0.15 else 2
        return surname + "".join(rng.choice(chars) for _ in range(length))

    def mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def id_number(self, birth: datetime.date, male: bool) -> str:
        rng = self.rng
        regions = REGIONS + (OLD_REGIONS if birth.year < 1990 else [])
        region = rng.choices([r for r, _ in regions], weights=[w for _, w in regions])[0]
        while True:
            sequence = rng.randrange(0, 500) * 2 + 1 if male else rng.randrange(1, 500) * 2
            number = make_id_number(region=region, birth=f"{birth:%Y%m%d}", sequence=sequence)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def address(self, place: _Place) -> str:
        rng = self.rng
        if place.village:
            where = f"{rng.choice(VILLAGE_PLACES)}{rng.randint(1, 60)}号"
        else:
            where = f"{rng.choice(ROADS)}{rng.randint(1, 300)}号"
            if rng.random() < 0.6:
                where += f"{rng.randint(1, 12)}座{rng.randint(1, 9)}0{rng.randint(1, 8)}"
        return f"{place.town.name}{place.area.name}{where}"

    # -- one person ----------------------------------------------------------------------

    def person(self) -> tuple[Person, list[_Event]]:
        rng, today = self.rng, self.today
        place = rng.choices(self.places, weights=self.place_weights)[0]
        low, high = rng.choices([b for b, _ in AGE_BANDS], weights=[w for _, w in AGE_BANDS])[0]
        age = rng.randint(low, high)
        birth = _date_between(rng, _add_years(today, -age - 1) + datetime.timedelta(days=1), _add_years(today, -age))
        male = rng.random() < 0.56
        surname = _pick(rng, SURNAMES)
        name = self.name(male, surname)
        id_number = self.id_number(birth, male)
        child = age < 18
        category = _pick(rng, CHILD_CATEGORY_WEIGHTS if child else CATEGORY_WEIGHTS)
        grade = _pick(rng, GRADE_WEIGHTS)

        # The certificate in hand: first issued 2010 or later (second generation), renewed
        # after ten years by most; some elderly or severe holders have a long-term one.
        first_possible = max(datetime.date(2010, 1, 1), birth + datetime.timedelta(days=180))
        issued = _date_between(rng, first_possible, today)
        long_term = rng.random() < (0.25 if age >= 60 else 0.05)
        valid_until = None if long_term else _add_years(issued, 10) - datetime.timedelta(days=1)
        events: list[_Event] = []
        # A certificate lapsed over a year ago has been renewed (or the holder cancelled, and
        # not in the registry): only recent lapses, half of them, are still awaiting renewal.
        lapsed = valid_until is not None and valid_until < today
        if lapsed and (valid_until < today - datetime.timedelta(days=365) or rng.random() < 0.5):
            renewed = _date_between(rng, valid_until - datetime.timedelta(days=90), today)
            old_valid = valid_until
            issued, valid_until = renewed, _add_years(renewed, 10) - datetime.timedelta(days=1)
            if renewed >= EVENTS_FROM:
                events.append(_Event(EventKind.RENEWAL, renewed, old_valid.isoformat(), valid_until.isoformat()))

        guardian = child or category in (5, 6) or (category == 7 and grade <= 2)
        guardian_name = guardian_phone = ""
        if guardian:
            parent_male = rng.random() < 0.5
            if child or rng.random() < 0.5:  # a father or a brother shares the surname
                guardian_name = self.name(parent_male, surname if parent_male else "")
            else:  # a spouse or another relative
                guardian_name = self.name(parent_male)
            guardian_phone = self.mobile()
        phone = "" if rng.random() < (0.25 if age >= 80 else 0.04) or child else self.mobile()
        lives_alone = not guardian and age >= 45 and rng.random() < 0.065
        economic = _pick(rng, ECONOMIC_WEIGHTS)
        bank_name = bank_account = ""
        if not child and rng.random() < 0.92:
            bank_name, prefix, _ = rng.choices(BANKS, weights=[w for *_, w in BANKS])[0]
            bank_account = prefix + "".join(str(rng.randrange(10)) for _ in range(19 - len(prefix)))

        person = Person(
            name=name,
            gender="M" if male else "F",
            id_number=id_number,
            birth_date=birth,
            category=category,
            grade=grade,
            certificate_number=make_certificate(id_number, category, grade),
            certificate_issued=issued,
            certificate_valid_until=valid_until,
            area=place.area,
            address=self.address(place),
            phone=phone,
            guardian_name=guardian_name,
            guardian_phone=guardian_phone,
            economic_status=economic,
            lives_alone=lives_alone,
            bank_name=bank_name,
            bank_account=bank_account,
        )
        events += self.state_events(person, age)
        return person, events

    def state_events(self, person: Person, age: int) -> list[_Event]:
        """Events of 2024 onwards; the person's fields already hold the values after them,
        so each chain is built backwards from the current value."""
        rng, today = self.rng, self.today
        # After the certificate in hand was issued (and after birth), from 2024 on.
        low = max(EVENTS_FROM, person.certificate_issued + datetime.timedelta(days=1))
        events: list[_Event] = []
        if (today - low).days < 90:
            return events
        roll = rng.random()
        death_share = 0.05 if age >= 60 else 0.0115
        status_kind = None
        if roll < death_share:
            status_kind = EventKind.DEATH
        elif roll < death_share + 0.015:
            status_kind = EventKind.MOVED_OUT
        elif roll < death_share + 0.02:
            status_kind = EventKind.CANCELLED
        end = today
        if status_kind:
            date = _date_between(rng, low + datetime.timedelta(days=60), today)
            person.status, person.status_date = STATUS_OF_EVENT[status_kind], date
            events.append(_Event(status_kind, date, Status.ACTIVE, person.status))
            end = date - datetime.timedelta(days=1)  # the other changes came before
        if (end - low).days < 30:
            return events

        if rng.random() < 0.03:  # re-assessment: mostly more severe with age
            worse = rng.random() < 0.6
            old = person.grade + 1 if worse else person.grade - 1
            if 1 <= old <= 4:
                events.append(_Event(EventKind.GRADE, _date_between(rng, low, end), str(old), str(person.grade)))

        if rng.random() < 0.05:
            chain = [person.economic_status]  # newest first
            for _ in range(2 if rng.random() < 0.2 else 1):
                choices = [s for s in EconomicStatus.values if s not in (chain[0], EconomicStatus.TEKUN)]
                chain.insert(0, rng.choice(choices))
            dates = sorted({_date_between(rng, low, end) for _ in range(len(chain) - 1)})
            if len(dates) == len(chain) - 1:
                for date, old, new in zip(dates, chain, chain[1:], strict=False):
                    events.append(_Event(EventKind.ECONOMIC, date, old, new))
        return events


class Command(BaseCommand):
    help = "生成演示数据：村(居)、各角色账号和持证残疾人（可重复、结果确定）"

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, default=9100, help="人员数（默认 9100）")
        parser.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同数据）")
        parser.add_argument("--reset", action="store_true", help="先删除全部人员和状态事件再生成")
        parser.add_argument(
            "--all", action="store_true", help="依次运行各应用声明的演示数据步骤（人员、补贴、康复、目标与指标）"
        )

    def handle(self, *args, persons: int, seed: int, reset: bool, **options):
        if persons < 0:
            raise CommandError("--persons 不能为负数")
        if options["all"]:
            # Every app's step (its declaration), each after those it builds on; the
            # registry's own step is this command without --all.
            for label, step in declarations.demo_steps():
                self.stdout.write(f"== {label}")
                step.run(self.stdout, {"persons": persons, "seed": seed, "reset": reset})
            return
        started = time.perf_counter()
        self.load_areas()
        users = self.ensure_users()
        existing = Person.objects.count()
        if existing and not reset:
            self.stdout.write(f"已有 {existing} 名人员，未重复生成（如需重新生成请加 --reset）。")
        else:
            with transaction.atomic():
                if reset:
                    self.delete_persons()
                # A few of the persons are second registrations of others (疑似重复).
                plant = PLANTED_DUPLICATES if persons >= 100 else 0
                made, events = self.seed_persons(count=persons - plant, seed=seed, admin=users["admin"])
                made += self.plant_duplicates(plant)
                households, multi, family = self.seed_households(seed=seed, admin=users["admin"])
            self.stdout.write(f"疑似重复检查：{duplicates_find().message}")
            self.stdout.write(
                self.style.SUCCESS(
                    f"已生成 {made} 名持证残疾人、{events} 条状态事件，{households} 户（一户多残 {multi} 户）、"
                    f"{family} 名家庭成员，用时 {time.perf_counter() - started:.1f} 秒。"
                )
            )
        self.print_logins(users)

    # -- areas and users -----------------------------------------------------------------

    def load_areas(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            try:
                result = areas_import_rows(rows=demo_area_rows(), path=Path(folder) / "demo_areas.xlsx")
            except AreasImportError as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(f"村(居)：{result.summary()}")
        for row in result.rejected_rows:
            self.stdout.write(f"  第 {row.row} 行 {row.code} {row.name}：{row.reason}")

    def ensure_users(self) -> dict[str, User]:
        """One user per role (a town officer per town), all with the demo password. The
        password is hashed once: hashing is deliberately slow."""
        hashed = make_password(DEMO_PASSWORD)
        areas = Area.objects.in_bulk([code for _, _, code, _, _ in DEMO_USERS])
        users = {}
        for username, role, code, name, is_staff in DEMO_USERS:
            user = User.objects.filter(username=username).first() or User(username=username)
            user.last_name, user.first_name = name[:1], name[1:]
            user.password, user.is_active, user.is_staff = hashed, True, is_staff
            user.save()
            users[username] = user_set_role(user=user, role=role, area=areas[code])
        return users

    def print_logins(self, users: dict[str, User]) -> None:
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        lines = [("用户名", "角色", "所属区划", "姓名")]
        for username, role, *_ in DEMO_USERS:
            user = users[username]
            lines.append((username, Role(role).label, user.area.name, user.display_name))
        for line in lines:
            self.stdout.write(
                "  " + "".join(_pad(cell, width) for cell, width in zip(line, (12, 18, 10, 8), strict=True))
            )

    # -- persons -------------------------------------------------------------------------

    def delete_persons(self) -> None:
        """Remove the persons, their events and their history. History is off while the
        persons go, or each deletion would be recorded only to be deleted."""
        DuplicatePair.objects.all().delete()
        PersonEvent.objects.all().delete()
        ChangeRequest.objects.all().delete()
        HouseholdLog.objects.all().delete()
        FamilyMember.objects.all().delete()
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            Person.objects.all().delete()
        Person.history.model.objects.all().delete()
        Household.objects.all().delete()

    def plant_duplicates(self, wanted: int) -> int:
        """Second registrations of four persons, one of each kind the duplicate check finds
        (registry.duplicates): a wrong digit of the sequence, an old 15-digit number of
        another county converted, a certificate copied onto another ID, and a namesake at
        the same address (perhaps a father and son: for the reviewer to tell)."""
        planted = 0
        for kind, town in enumerate(TOWNS[:wanted]):
            source = (
                Person.objects.filter(
                    area__code__startswith=town.code[:9], status=Status.ACTIVE, birth_date__lt=datetime.date(1990, 1, 1)
                )
                .exclude(address="")
                .order_by("id")
                .first()
            )
            if source is None:
                continue
            birth, sequence = source.birth_date, int(source.id_number[14:17])
            name, category, grade = source.name, source.category, source.grade
            if kind == 0:
                id_number = make_id_number(
                    region=source.id_number[:6], birth=f"{birth:%Y%m%d}", sequence=(sequence + 2) % 1000
                )
            elif kind == 1:
                id_number = id_number_from_15(f"440702{birth:%y%m%d}{sequence:03d}")
            else:
                birth += datetime.timedelta(days=25 * 365 if kind == 3 else -3 * 365)
                id_number = make_id_number(region=source.id_number[:6], birth=f"{birth:%Y%m%d}", sequence=sequence)
                if kind == 2:
                    name = name[0] + ("明" if name[-1] != "明" else "鸣")
            if Person.objects.filter(id_number=id_number).exists():
                continue
            certificate = make_certificate(id_number, category, grade)
            if kind == 2:
                # The old certificate's number, with another grade after a re-assessment.
                grade = 1 if grade != 1 else 2
                certificate = make_certificate(source.id_number, category, grade)
            Person.objects.create(
                name=name,
                gender=source.gender,
                id_number=id_number,
                birth_date=birth,
                certificate_number=certificate,
                category=category,
                grade=grade,
                certificate_issued=source.certificate_issued,
                area=source.area,
                address=source.address,
                economic_status=source.economic_status,
            )
            planted += 1
        return planted

    def seed_persons(self, *, count: int, seed: int, admin: User) -> tuple[int, int]:
        today = min(DEMO_TODAY, datetime.date.today())
        codes = dict(demo_area_rows())
        by_code = Area.objects.in_bulk(list(codes))
        places = []
        for town in TOWNS:
            for code in sorted(c for c in codes if c[:9] == town.code[:9]):
                places.append(_Place(area=by_code[code], town=town, village=code[9:] >= "200"))
        generator = DemoGenerator(seed=seed, places=places, today=today)
        people, pending = [], []
        for _ in range(count):
            person, events = generator.person()
            people.append(person)
            pending.append(events)
        bulk_create_with_history(people, Person, batch_size=1000, default_user=admin, default_change_reason=SOURCE)
        pk_of = dict(Person.objects.values_list("id_number", "pk"))
        rows = [
            PersonEvent(
                person_id=pk_of[person.id_number],
                area_code=person.area_id,
                kind=event.kind,
                field=EVENT_FIELD[event.kind],
                date=event.date,
                old_value=event.old_value,
                new_value=event.new_value,
                reason=REASONS[event.kind],
                source=SOURCE,
                created_by=admin,
            )
            for person, events in zip(people, pending, strict=True)
            for event in sorted(events, key=lambda e: e.date)
        ]
        PersonEvent.objects.bulk_create(rows, batch_size=2000)
        return len(people), len(rows)

    # -- households ----------------------------------------------------------------------

    def seed_households(self, *, seed: int, admin: User) -> tuple[int, int, int]:
        """Every person in a household (户) of their community: most alone, ~4% of the
        households with two disabled persons of the same economic status (一户多残), and
        1–3 family members each (spouse, parent or child; a guardian for a child or a
        severe intellectual or mental disability, a carer for grade 1–2). A household's
        economic status is its persons'; its date, their last economic-status event's.
        Drawn from a random of its own, so the persons of a seed stay as they were."""
        rng = random.Random(seed * 7919 + 18)
        persons = list(
            Person.objects.order_by("pk").values_list(
                "pk", "area_id", "economic_status", "birth_date", "grade", "category", "name", "address"
            )
        )
        if not persons:
            return 0, 0, 0
        changed_on = dict(
            PersonEvent.objects.filter(field="economic_status")
            .order_by("person_id", "date")
            .values_list("person_id", "date")
        )
        by_group: dict[tuple[str, str], list[tuple]] = {}
        for row in persons:
            by_group.setdefault((row[1], row[2]), []).append(row)
        groups: list[list[tuple]] = []
        for _key, rows in sorted(by_group.items()):
            rng.shuffle(rows)
            while rows:
                take = 2 if len(rows) >= 2 and rng.random() < 0.04 else 1
                groups.append([rows.pop() for _ in range(take)])
        households, members_of = [], []
        serial: dict[str, int] = {}
        for group in groups:
            pk, area, economic, *_rest, address = group[0]
            serial[area] = serial.get(area, 0) + 1
            dates = [changed_on[p[0]] for p in group if p[0] in changed_on]
            households.append(
                Household(
                    number=f"{area[6:]}{serial[area]:04d}",
                    area_id=area,
                    address=address,
                    economic_status=economic,
                    economic_status_date=max(dates) if dates and economic != EconomicStatus.NONE else None,
                    created_by=admin,
                )
            )
            members_of.append(group)
        Household.objects.bulk_create(households, batch_size=2000)
        ids = dict(Household.objects.values_list("number", "pk"))
        updates, family, used = [], [], set(Person.objects.values_list("id_number", flat=True))
        for household, group in zip(households, members_of, strict=True):
            hid = ids[household.number]
            for index, (pk, *_rest) in enumerate(group):
                updates.append(
                    Person(pk=pk, household_id=hid, relationship_to_head="户主" if index == 0 else "兄弟姐妹")
                )
            _, _, _, birth, grade, category, name, _ = group[0]
            family += self._family_of(rng, hid, birth, grade, category, name[:1], used)
        Person.objects.bulk_update(updates, ["household", "relationship_to_head"], batch_size=2000)
        FamilyMember.objects.bulk_create(family, batch_size=2000)
        multi = sum(1 for group in members_of if len(group) > 1)
        return len(households), multi, len(family)

    def _family_of(self, rng, household_id: int, birth, grade: int, category: int, surname: str, used: set):
        """One to three family members of a household whose first disabled person was born on `birth`."""
        today = min(DEMO_TODAY, datetime.date.today())
        age = today.year - birth.year
        choices = []
        if age < 30:
            choices += [(Relationship.FATHER, 26, True), (Relationship.MOTHER, 24, False)]
        else:
            choices += [(Relationship.SPOUSE, 0, rng.random() < 0.5)]
            if age > 45:
                choices += [(Relationship.CHILD, -26, rng.random() < 0.5)]
        if age >= 30 and rng.random() < 0.3:
            choices += [(Relationship.SIBLING, rng.randint(-6, 6), rng.random() < 0.5)]
        needs_guardian = age < 18 or (category in (5, 6) and grade <= 2)
        made = []
        for index, (relation, older, male) in enumerate(choices[: rng.randint(1, 3)]):
            born = datetime.date(
                min(max(birth.year - older, 1930), today.year - 1), rng.randint(1, 12), rng.randint(1, 28)
            )
            while True:
                number = make_id_number(
                    region="440703", birth=f"{born:%Y%m%d}", sequence=rng.randrange(0, 499) * 2 + (1 if male else 2)
                )
                if number not in used:
                    used.add(number)
                    break
            given = "".join(rng.choice("明华国强建文秀英丽芳军平") for _ in range(rng.randint(1, 2)))
            made.append(
                FamilyMember(
                    household_id=household_id,
                    name=(surname if relation != Relationship.SPOUSE else rng.choice("陈李黄梁张吴")) + given,
                    id_number=number,
                    relationship=relation,
                    is_guardian=needs_guardian and index == 0,
                    is_carer=grade <= 2 and index == 0,
                )
            )
        return made
