"""Demo care for the demo district (`make demo`, after `seed_demo`): the district's 18
community Kangyuan centres (社区康园中心, three per town), the sheltered workshop and the
adult day-care institution the seed names, one staff user per centre, about 400 members
and six months of their daily attendance.

- members are persons the admission rule admits (16–59 years old when they enrolled,
  intellectual, mental or grade 1–2 disability), of the centre's town, one centre each;
- most enrolled before the six months, some during them, a few left (with a reason);
- two centres are full, with a short waiting list;
- attendance on every open day (Monday to Friday) of the six months up to yesterday:
  today's is left for the staff to take; each member has an attendance habit of their own
  (most attend nine days in ten), and an absence sometimes has a reason.

Deterministic for the same registry, seed and day; run once: a second run adds nothing
but prints the logins again.
"""

import datetime
import random
import unicodedata

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_set_role
from areas.demo_data import TOWNS
from areas.models import Area
from care import demo_places
from care.models import Attendance, Enrolment, Institution, InstitutionKind, LeaveReason, WaitingEntry
from care.rules import age_on
from registry.models import Person, Status

DEMO_PASSWORD = "canlian2026"
CENTRES_PER_TOWN = 3
MEMBERS_PER_CENTRE = (19, 24)
FULL_CENTRES = 2
WAITING_PER_FULL = 3
ATTENDANCE_DAYS = 183
ABSENCE_REASONS = ["病假", "事假", "复诊", "家中有事", "天气原因", "", "", ""]
STAFF_NAMES = [
    "邝秀珍", "陈美华", "李少玲", "梁嘉敏", "黄丽娟", "吴淑贞", "冯小燕", "谭惠芳", "区美玲",
    "林桂英", "张慧琼", "刘婉婷", "麦翠红", "钟素珍", "伍洁仪", "周丽萍", "罗玉兰", "叶雪梅",
]  # fmt: skip
# The other institutions the seed names.
OTHERS = [
    ("GC0101", "蓬江区伍威权庇护工场", InstitutionKind.WORKSHOP, "440703002000", "白沙街道长堤路18号", 30),
    ("DL0101", "蓬江区大龄心智障碍人士日间托养中心", InstitutionKind.ADULT_DAY_CARE, "440703006000", "星河路6号", 25),
]


def _pad(text: str, width: int) -> str:
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 1)


def staff_username(town_login: str, number: int) -> str:
    return f"ky{town_login}{number}"


class Command(BaseCommand):
    help = "生成演示用的托养服务数据：18 家社区康园中心及工作人员账号、约 400 名会员和近六个月考勤"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同数据）")

    def handle(self, *args, seed: int, **options):
        if not Person.objects.exists():
            raise CommandError("登记库中没有人员：请先运行 seed_demo")
        if Institution.objects.exists():
            self.stdout.write("已有托养机构，未重复生成演示托养数据。")
        else:
            with transaction.atomic():
                self.generate(random.Random(seed), timezone.localdate())
        self.print_logins()

    # -- institutions and staff ----------------------------------------------------------

    def generate(self, rng: random.Random, today: datetime.date) -> None:
        admin = User.objects.filter(role=Role.DISTRICT_ADMIN).order_by("pk").first()
        if admin is None:
            raise CommandError("找不到区残联管理员账号：请先运行 seed_demo")
        officers = {u.area_id[:9]: u for u in User.objects.filter(role=Role.TOWN_OFFICER).order_by("pk")}
        hashed = make_password(DEMO_PASSWORD)
        towns = Area.objects.in_bulk([t.code for t in TOWNS])
        centres: list[tuple[Institution, User]] = []
        for number, town in enumerate(TOWNS, start=1):
            for n in range(1, CENTRES_PER_TOWN + 1):
                community = (*town.communities, *town.villages)[n - 1]
                centre = Institution.objects.create(
                    code=f"KY{number:02d}{n:02d}",
                    name=f"{town.name}{community.removesuffix('社区').removesuffix('村')}康园中心",
                    kind=InstitutionKind.CENTRE,
                    area=towns[town.code],
                    address=f"{town.name}{community}{rng.randint(1, 120)}号",
                    capacity=rng.randint(26, 32),
                    opens_at=datetime.time(8, 30),
                    closes_at=datetime.time(16, 30),
                )
                staff = self.staff_user(
                    staff_username(town.login, n), STAFF_NAMES[len(centres)], towns[town.code], hashed
                )
                centre.staff.add(staff)
                centres.append((centre, staff))
        # The registry's demo centre staff works at the first centre.
        first = User.objects.filter(username="centre").first()
        if first is not None:
            centres[0][0].staff.add(first)
        for code, name, kind, area, address, capacity in OTHERS:
            Institution.objects.create(
                code=code, name=name, kind=kind, area=Area.objects.get(code=area), address=address, capacity=capacity
            )
        enrolments, waiting = self.members(rng, today, centres, officers, admin)
        Enrolment.objects.bulk_create(enrolments, batch_size=1000)
        WaitingEntry.objects.bulk_create(waiting, batch_size=1000)
        staff_of = {centre.pk: staff for centre, staff in centres}
        marks = self.attendance(rng, today, enrolments, staff_of)
        Attendance.objects.bulk_create(marks, batch_size=2000)
        current = sum(1 for e in enrolments if e.ended_on is None)
        demo_places.generate(rng, today, admin, self.stdout)
        self.stdout.write(
            f"托养服务：{len(centres)} 家社区康园中心和 {len(OTHERS)} 家其他机构，"
            f"{current} 名在册会员（另有 {len(enrolments) - current} 名已离开），"
            f"{len(waiting)} 人轮候，{len(marks)} 条考勤记录"
        )

    def staff_user(self, username: str, name: str, area: Area, hashed: str) -> User:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.last_name, user.first_name = name[:1], name[1:]
        user.password, user.is_active = hashed, True
        user.save()
        return user_set_role(user=user, role=Role.CENTRE_STAFF, area=area)

    # -- members -------------------------------------------------------------------------

    @staticmethod
    def window(person: Person, today: datetime.date) -> tuple[datetime.date, datetime.date] | None:
        """The days on which the person may have enrolled: aged 16–59, certified, before a
        death or moving out, up to today."""
        sixteen = person.birth_date.replace(year=person.birth_date.year + 16, day=min(person.birth_date.day, 28))
        low = max(sixteen, person.certificate_issued or sixteen, today - datetime.timedelta(days=3 * 365))
        high = today
        if person.status != Status.ACTIVE and person.status_date:
            high = min(high, person.status_date - datetime.timedelta(days=30))
        while high > low and age_on(person.birth_date, high) > 59:
            high -= datetime.timedelta(days=365)
        return (low, high) if low < high else None

    def members(self, rng, today, centres, officers, admin) -> tuple[list[Enrolment], list[WaitingEntry]]:
        candidates = (
            Person.objects.filter(Q(category__in=[5, 6]) | Q(grade__lte=2))
            .filter(
                birth_date__gt=today - datetime.timedelta(days=60 * 366),
                birth_date__lt=today - datetime.timedelta(days=16 * 365),
            )
            .order_by("pk")
            .only("pk", "area_id", "birth_date", "certificate_issued", "status", "status_date")
        )
        by_town: dict[str, list[Person]] = {}
        for person in candidates:
            if self.window(person, today):
                by_town.setdefault(person.area_id[:9], []).append(person)
        for persons in by_town.values():
            rng.shuffle(persons)
        enrolments, waiting = [], []
        recent = today - datetime.timedelta(days=ATTENDANCE_DAYS)
        full = set(rng.sample(range(len(centres)), FULL_CENTRES))
        for index, (centre, _staff) in enumerate(centres):
            pool = by_town.get(centre.area_id[:9], [])
            officer = officers.get(centre.area_id[:9], admin)
            count = centre.capacity if index in full else rng.randint(*MEMBERS_PER_CENTRE)
            current = 0
            while current < count and pool:
                person = pool.pop()
                low, high = self.window(person, today)
                # Most members have been coming for a while; one in six joined lately.
                if rng.random() < 0.17 and high > recent:
                    started = max(low, recent) + datetime.timedelta(
                        days=rng.randrange(max((high - max(low, recent)).days, 1))
                    )
                else:
                    started = low + datetime.timedelta(days=rng.randrange(max((min(high, recent) - low).days, 1)))
                enrolment = Enrolment(
                    person_id=person.pk,
                    area_code=person.area_id,
                    institution=centre,
                    started_on=started,
                    day_care=True,
                    recorded_by=officer,
                )
                leaves = person.status != Status.ACTIVE or rng.random() < 0.07
                if leaves and (high - started).days > 20:
                    enrolment.ended_on = started + datetime.timedelta(days=rng.randrange(10, (high - started).days))
                    enrolment.leave_reason = (
                        LeaveReason.DECEASED
                        if person.status == Status.DECEASED
                        else rng.choice(
                            [LeaveReason.EMPLOYED, LeaveReason.FAMILY, LeaveReason.HEALTH, LeaveReason.MOVED]
                        )
                    )
                    enrolment.ended_by = officer
                else:
                    current += 1
                enrolments.append(enrolment)
            if index in full:
                centre.capacity = current
                centre.save(update_fields=["capacity"])
                for _ in range(WAITING_PER_FULL):
                    if pool:
                        person = pool.pop()
                        waiting.append(
                            WaitingEntry(
                                person_id=person.pk,
                                area_code=person.area_id,
                                institution=centre,
                                applied_on=today - datetime.timedelta(days=rng.randint(5, 90)),
                                recorded_by=officer,
                            )
                        )
        return enrolments, waiting

    # -- attendance ----------------------------------------------------------------------

    def attendance(self, rng, today, enrolments, staff_of) -> list[Attendance]:
        first = today - datetime.timedelta(days=ATTENDANCE_DAYS)
        marks = []
        for enrolment in enrolments:
            habit = rng.uniform(0.78, 0.98)
            day = max(first, enrolment.started_on)
            last = min(today - datetime.timedelta(days=1), enrolment.ended_on or today)
            while day <= last:
                if enrolment.institution.is_open_on(day):
                    present = rng.random() < habit
                    marks.append(
                        Attendance(
                            institution=enrolment.institution,
                            day=day,
                            person_id=enrolment.person_id,
                            area_code=enrolment.area_code,
                            present=present,
                            absence_reason="" if present else rng.choice(ABSENCE_REASONS),
                            recorded_by=staff_of[enrolment.institution.pk],
                        )
                    )
                day += datetime.timedelta(days=1)
        return marks

    # -- logins --------------------------------------------------------------------------

    def print_logins(self) -> None:
        self.stdout.write(f"\n康园中心工作人员账号（密码均为 {DEMO_PASSWORD}）：")
        lines = [("用户名", "所在机构", "姓名")]
        centres = Institution.objects.filter(kind=InstitutionKind.CENTRE).prefetch_related("staff").order_by("code")
        for centre in centres:
            for user in sorted(centre.staff.all(), key=lambda u: u.username):
                lines.append((user.username, centre.name, user.display_name))
        for line in lines:
            self.stdout.write("  " + "".join(_pad(cell, width) for cell, width in zip(line, (14, 30, 8), strict=True)))
