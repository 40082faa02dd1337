"""Demo outreach work for the demo district (`make demo`, after `seed_demo`):

- a year of home visits to about 200 households in difficulty (低保, 特困, living alone
  or severely disabled first), a few visited twice, by the town officers (the National
  Day for Helping the Disabled in May with a district leader along), with money, gifts and
  needs, some of the needs closed;
- the 生活爱心包 campaign for every certificate holder, started a month ago, about half
  delivered by the communities;
- the living-alone watch: a responsible worker for each watched person, contacts over the
  last months, a share of them overdue and a few never contacted;
- a few legal-aid cases (some of intellectually or mentally disabled women: protected),
  with steps, most closed, and a legal-education lecture in each town;
- the health department's family-doctor list (家庭医生签约) of about 60% of the active
  persons, each with their town's health centre, applied through the data comparison as
  an officer would upload it.
- home-service requests (cleaning, repairs, counselling) of the last three months: most
  done, many with the person's feedback, some overdue;
- a few psychological cases served by the demo counsellor: registered persons, a family
  member and a federation worker, with sessions (some flagged at risk, one referred).

Every record goes in as the services would write it (dates inside the person's life and
the campaign's period); the bulk inserts skip the per-row checks for speed. Deterministic
for the same registry, seed and day; run once: a second run changes nothing.
"""

import datetime
import random
import tempfile
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from areas.models import Area
from outreach.campaigns import campaign_create, campaign_start
from outreach.homeservices import request_assign, request_done, request_feedback, request_record
from outreach.legal import is_protected
from outreach.models import (
    Campaign,
    CampaignDelivery,
    CampaignTarget,
    ContactMethod,
    HomeServiceKind,
    HomeVisit,
    Lecture,
    LegalCase,
    LegalMatter,
    LegalStep,
    NeedKind,
    VisitNeed,
    WatchAssignment,
    WatchContact,
)
from outreach.psych import case_close, case_open, session_record
from registry.comparison import EVENT_COLUMNS, events_import
from registry.models import EconomicStatus, Person, Status

HOUSEHOLDS = 200
TWICE = 25
DELIVERED_SHARE = 0.5
NEVER_CONTACTED = 0.08
OVERDUE = 0.2
DOCTOR_SIGNED = 0.6
DOCTOR_LIST = "卫健局家庭医生签约名单（演示）.xlsx"
GIFTS = ["大米一袋、食用油一瓶", "慰问品一份", "棉被一床", "米、油、牛奶", ""]
MONEY = [Decimal("200"), Decimal("300"), Decimal("500"), Decimal("800"), Decimal("1000")]
FINDINGS = [
    "家中卫生状况一般，生活基本能自理",
    "老人行动不便，需要家人照顾",
    "房屋漏水，需要维修",
    "长期服药，医疗开支较大",
    "子女外出务工，家中只有老人",
    "希望得到就业帮助",
]
LEADER = "区领导"
NOTES = [
    "身体状况良好",
    "情绪稳定，生活正常",
    "反映药快吃完，已联系社区医生",
    "邻居反映近况良好",
    "需要帮忙购买生活用品",
]


class Command(BaseCommand):
    help = "生成演示用的慰问关爱数据：一年的走访慰问、生活爱心包发放、独居关爱联系"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同数据）")

    def handle(self, *args, seed: int, **options):
        if not Person.objects.exists():
            raise CommandError("登记库中没有人员：请先运行 seed_demo")
        if HomeVisit.objects.exists() or Campaign.objects.exists() or WatchContact.objects.exists():
            self.stdout.write("已有慰问关爱数据，未重复生成演示数据。")
            return
        admin = User.objects.filter(role=Role.DISTRICT_ADMIN, is_active=True).order_by("pk").first()
        if admin is None:
            raise CommandError("找不到区残联管理员账号：请先运行 seed_demo")
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.admin = admin
        self.officers = {
            u.area_id[:9]: u for u in User.objects.filter(role=Role.TOWN_OFFICER, is_active=True).order_by("pk")
        }
        with transaction.atomic():
            visits, needs = self.visits()
            delivered, targets = self.campaign()
            watched, contacts = self.watch()
            cases, lectures = self.legal()
            signed, active = self.family_doctor()
            services, overdue = self.home_services()
            psych_cases, sessions = self.psych()
        self.stdout.write(
            f"慰问关爱：{visits} 次走访（{needs} 项需求），生活爱心包名单 {targets} 人、已发放 {delivered} 人，"
            f"独居关爱 {watched} 人、{contacts} 次联系，法律救助 {cases} 件，普法讲座 {lectures} 场，"
            f"家庭医生签约 {signed} 人（在册 {active} 人），"
            f"上门服务 {services} 项（逾期 {overdue} 项），心理服务 {psych_cases} 案、{sessions} 次会谈"
        )

    def officer(self, area_code: str) -> User:
        return self.officers.get(area_code[:9], self.admin)

    def day_between(self, low: datetime.date, high: datetime.date) -> datetime.date:
        return low + datetime.timedelta(days=self.rng.randrange((high - low).days + 1))

    def window(self, person: Person, days: int) -> tuple[datetime.date, datetime.date] | None:
        low = max(self.today - datetime.timedelta(days=days), person.certificate_issued or person.birth_date)
        return (low, self.today) if low <= self.today else None

    def visits(self) -> tuple[int, int]:
        rng = self.rng
        active = Person.objects.filter(status=Status.ACTIVE).order_by("pk")
        poor = list(
            active.filter(economic_status__in=[EconomicStatus.DIBAO, EconomicStatus.TEKUN]).values_list("pk", flat=True)
        )
        others = list(active.filter(lives_alone=True).values_list("pk", flat=True))
        others += list(active.filter(grade__lte=2).values_list("pk", flat=True)[:2000])
        chosen = list(dict.fromkeys(rng.sample(poor, min(len(poor), 150)) + others))[:HOUSEHOLDS]
        persons = Person.objects.in_bulk(chosen)
        plans = [(pk, 1) for pk in chosen] + [(pk, 2) for pk in rng.sample(chosen, min(TWICE, len(chosen)))]
        helping_day = self.helping_day()
        visits, seen = [], set()
        for pk, _nth in plans:
            person = persons[pk]
            window = self.window(person, 365)
            if window is None:
                continue
            in_may = rng.random() < 0.4 and window[0] <= helping_day <= window[1]
            day = helping_day - datetime.timedelta(days=rng.randrange(7)) if in_may else self.day_between(*window)
            day = max(day, window[0])
            if (pk, day) in seen:
                continue
            seen.add((pk, day))
            officer = self.officer(person.area_id)
            needs = sorted(rng.sample(NeedKind.values, rng.choice([0, 0, 1, 1, 2])), key=NeedKind.values.index)
            follow = day + datetime.timedelta(days=rng.choice([30, 60, 90])) if needs else None
            visits.append(
                (
                    HomeVisit(
                        person_id=pk,
                        area_code=person.area_id,
                        recorded_by=officer,
                        visited_on=day,
                        other_visitors=LEADER if in_may and rng.random() < 0.3 else "",
                        findings=rng.choice(FINDINGS),
                        needs=needs,
                        money=rng.choice(MONEY),
                        gifts=rng.choice(GIFTS),
                        follow_up_on=follow,
                    ),
                    officer,
                )
            )
        HomeVisit.objects.bulk_create([v for v, _ in visits], batch_size=500)
        through = HomeVisit.visitors.through
        through.objects.bulk_create([through(homevisit_id=v.pk, user_id=u.pk) for v, u in visits], batch_size=1000)
        need_rows = []
        for visit, officer in visits:
            for kind in visit.needs:
                closed = rng.random() < 0.45 and visit.visited_on + datetime.timedelta(days=10) <= self.today
                need_rows.append(
                    VisitNeed(
                        person_id=visit.person_id,
                        area_code=visit.area_code,
                        recorded_by=officer,
                        visit=visit,
                        kind=kind,
                        raised_on=visit.visited_on,
                        closed_on=visit.visited_on + datetime.timedelta(days=10) if closed else None,
                        closed_by=officer if closed else None,
                        outcome="已协调相关部门解决" if closed else "",
                    )
                )
        VisitNeed.objects.bulk_create(need_rows, batch_size=1000)
        return len(visits), len(need_rows)

    def helping_day(self) -> datetime.date:
        """The third Sunday of May (全国助残日) of the last twelve months."""
        year = self.today.year if self.today >= datetime.date(self.today.year, 5, 21) else self.today.year - 1
        first = datetime.date(year, 5, 1)
        first_sunday = first + datetime.timedelta(days=(6 - first.weekday()) % 7)
        return first_sunday + datetime.timedelta(days=14)

    def campaign(self) -> tuple[int, int]:
        rng = self.rng
        campaign = campaign_create(
            user=self.admin,
            name=f"{self.today.year}年生活爱心包",
            gift="米、油、日用品一份",
            starts_on=self.today - datetime.timedelta(days=30),
            ends_on=self.today + datetime.timedelta(days=60),
            rule="certified",
        )
        targets = campaign_start(user=self.admin, campaign=campaign)
        rows = CampaignTarget.objects.filter(campaign=campaign).select_related("person").order_by("person_id")
        deliveries = []
        for target in rows.iterator(chunk_size=2000):
            if rng.random() >= DELIVERED_SHARE:
                continue
            low = max(campaign.starts_on, target.person.certificate_issued or campaign.starts_on)
            if low > self.today:
                continue
            deliveries.append(
                CampaignDelivery(
                    person_id=target.person_id,
                    area_code=target.area_code,
                    recorded_by=self.officer(target.area_code),
                    campaign=campaign,
                    delivered_on=self.day_between(low, self.today),
                    deliverer=rng.choice(["社区工作人员", "村委会", "网格员"]),
                )
            )
        CampaignDelivery.objects.bulk_create(deliveries, batch_size=2000)
        return len(deliveries), targets

    def watch(self) -> tuple[int, int]:
        rng = self.rng
        persons = list(Person.objects.filter(status=Status.ACTIVE, lives_alone=True).order_by("pk"))
        now = timezone.now()
        WatchAssignment.objects.bulk_create(
            WatchAssignment(
                person=p,
                worker=self.officer(p.area_id),
                area_code=p.area_id,
                assigned_by=self.admin,
                assigned_at=now,
            )
            for p in persons
        )
        contacts = []
        for person in persons:
            draw = rng.random()
            if draw < NEVER_CONTACTED:
                continue
            # On time: the last contact within the last 10 days; overdue: 35-70 days ago.
            latest = rng.randrange(35, 70) if draw < NEVER_CONTACTED + OVERDUE else rng.randrange(0, 10)
            window = self.window(person, 180)
            if window is None:
                continue
            day, days = self.today - datetime.timedelta(days=latest), set()
            while day >= window[0] and len(days) < 8:
                days.add(day)
                day -= datetime.timedelta(days=rng.randrange(10, 30))
            for contacted_on in sorted(days):
                contacts.append(
                    WatchContact(
                        person_id=person.pk,
                        area_code=person.area_id,
                        recorded_by=self.officer(person.area_id),
                        contacted_on=contacted_on,
                        method=rng.choice(ContactMethod.values),
                        note=rng.choice(NOTES),
                    )
                )
        WatchContact.objects.bulk_create(contacts, batch_size=2000)
        return len(persons), len(contacts)

    def legal(self) -> tuple[int, int]:
        rng = self.rng
        active = Person.objects.filter(
            status=Status.ACTIVE, certificate_issued__lte=self.today - datetime.timedelta(days=200)
        )
        women = list(active.filter(gender="F", category__in=[5, 6]).order_by("pk")[:200])
        others = list(active.filter(category__in=[1, 4]).order_by("pk")[:200])
        chosen = rng.sample(women, min(3, len(women))) + rng.sample(others, min(5, len(others)))
        matters = list(LegalMatter.values)
        cases = 0
        for person in chosen:
            opened = self.today - datetime.timedelta(days=rng.randrange(30, 180))
            case = LegalCase.objects.create(
                person=person,
                area_code=person.area_id,
                recorded_by=self.officer(person.area_id),
                opened_on=opened,
                applicant_name=person.guardian_name or person.name,
                applicant_relation="guardian" if person.guardian_name else "self",
                matter=rng.choice(matters),
                description="申请法律援助",
                handler=rng.choice(["蓬江区法律援助处", "白沙司法所", "广东某律师事务所 陈律师"]),
                protected=is_protected(person),
            )
            LegalStep.objects.create(
                case=case,
                taken_on=opened + datetime.timedelta(days=7),
                what="法律咨询并指派律师",
                recorded_by=case.recorded_by,
            )
            if rng.random() < 0.6:
                case.closed_on, case.outcome = opened + datetime.timedelta(days=25), "调解结案"
                case.save(update_fields=["closed_on", "outcome"])
            cases += 1
        lectures = 0
        for _town, officer in sorted(self.officers.items()):
            Lecture.objects.create(
                held_on=self.today - datetime.timedelta(days=rng.randrange(10, 300)),
                topic="《残疾人保障法》宣讲",
                place=f"{officer.area.name}残联活动室",
                speaker="区法律援助处律师",
                attendance=rng.randrange(20, 80),
                area_code=officer.area_id,
                recorded_by=officer,
            )
            lectures += 1
        return cases, lectures

    def family_doctor(self) -> tuple[int, int]:
        """The health department's list: about `DOCTOR_SIGNED` of the active persons, signed
        in the last year with their town's health centre, through the comparison."""
        rng = self.rng
        towns = dict(Area.objects.towns().values_list("code", "name"))
        active = list(
            Person.objects.filter(status=Status.ACTIVE).order_by("pk").values_list("id_number", "area_id", "birth_date")
        )
        chosen = [row for row in active if rng.random() < DOCTOR_SIGNED]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / DOCTOR_LIST
            book = xlsxwriter.Workbook(str(path))
            sheet = book.add_worksheet("数据比对")
            dates = book.add_format({"num_format": "yyyy-mm-dd"})
            for col, header in enumerate(EVENT_COLUMNS):
                sheet.write_string(0, col, header)
            for index, (number, area, born) in enumerate(chosen, start=1):
                town = towns.get(area[:9] + "000", "")
                centre = f"{town}社区卫生服务中心" if town.endswith("街道") else f"{town}卫生院"
                signed_on = max(born, self.today - datetime.timedelta(days=rng.randrange(1, 365)))
                sheet.write_string(index, 0, number)
                sheet.write_string(index, 1, "家庭医生签约")
                sheet.write_datetime(index, 2, datetime.datetime.combine(signed_on, datetime.time()), dates)
                sheet.write_string(index, 3, centre)
            book.close()
            result = events_import(user=self.admin, path=path, source_name=DOCTOR_LIST)
        return result.updated + result.unchanged, len(active)

    def home_services(self) -> tuple[int, int]:
        """Requests through the services (they are few): requested in the last 90 days,
        due a week or two later; most done, of those most with feedback; the rest open,
        some past their due day."""
        rng = self.rng
        persons = list(
            Person.objects.filter(
                status=Status.ACTIVE, certificate_issued__lte=self.today - datetime.timedelta(days=120)
            )
            .filter(grade__lte=2)
            .order_by("pk")[:400]
        )
        kinds = [
            (HomeServiceKind.CLEANING, "家居清洁", "已完成厨房、卫生间和卧室清洁", "蓬江区家政服务中心"),
            (HomeServiceKind.REPAIR, "热水器不能点火", "更换热水器点火器，已能正常使用", "江门市家电维修服务部 李师傅"),
            (HomeServiceKind.REPAIR, "电视机没有图像", "检修电源板，已恢复正常", "江门市家电维修服务部 李师傅"),
            (
                HomeServiceKind.COUNSELLING,
                "情绪低落，家属希望上门疏导",
                "上门谈心一次，情绪有所好转",
                "区残联心理服务站",
            ),
            (HomeServiceKind.OTHER, "代购生活用品", "已代购大米、食用油", ""),
        ]
        made = overdue = 0
        for person in rng.sample(persons, min(40, len(persons))):
            officer = self.officer(person.area_id)
            kind, what, done_what, provider = rng.choice(kinds)
            requested = self.today - datetime.timedelta(days=rng.randrange(3, 90))
            due = requested + datetime.timedelta(days=rng.choice([7, 10, 14]))
            item = request_record(
                user=officer,
                person=person,
                kind=kind,
                requested_on=requested,
                requested_by=rng.choice(["本人", "家属", "村(居)委会"]),
                what=what,
                due_on=due,
            )
            made += 1
            fate = rng.random()
            if fate < 0.1:
                overdue += due < self.today
                continue  # not assigned yet
            assigned = min(requested + datetime.timedelta(days=1), self.today)
            request_assign(
                user=officer,
                request=item,
                assigned_on=assigned,
                provider=provider,
                assigned_to=None if provider else officer,
            )
            if fate < 0.3:
                overdue += due < self.today
                continue  # assigned, not done
            done = min(assigned + datetime.timedelta(days=rng.randrange(0, 12)), self.today)
            request_done(user=officer, request=item, done_on=done, done_what=done_what)
            if rng.random() < 0.75:
                satisfied = rng.random() < 0.85
                request_feedback(
                    user=officer,
                    request=item,
                    satisfied=satisfied,
                    feedback_on=min(done + datetime.timedelta(days=2), self.today),
                    feedback="" if satisfied else "服务人员来得太晚",
                )
        return made, overdue

    def psych(self) -> tuple[int, int]:
        """A few cases of the demo counsellor, through the services."""
        counsellor = User.objects.filter(role=Role.COUNSELLOR, is_active=True).order_by("pk").first()
        if counsellor is None:
            return 0, 0
        rng = self.rng
        active = Person.objects.filter(
            status=Status.ACTIVE, certificate_issued__lte=self.today - datetime.timedelta(days=200)
        )
        mental = list(active.filter(category__in=[5, 6]).order_by("pk")[:100])
        chosen = rng.sample(mental, min(5, len(mental)))
        notes = [
            "来访者诉睡眠差、情绪低落，进行情绪疏导，布置放松练习",
            "情绪较上次平稳，继续支持性咨询",
            "谈及轻生念头，已评估风险并通知家属，约定一周内复访",
            "家属照护压力大，讨论照护分工和喘息服务",
        ]
        cases = sessions = 0
        plans = [("person", person) for person in chosen[:4]]
        if len(chosen) > 4:
            plans.append(("family", chosen[4]))
        plans.append(("staff", None))
        for kind, person in plans:
            anchor = person or next(iter(self.officers.values()), self.admin)
            officer = self.officer(anchor.area_id)
            opened = self.today - datetime.timedelta(days=rng.randrange(30, 150))
            fields = {"user": officer, "opened_on": opened, "counsellor": counsellor, "client_kind": kind}
            if kind == "person":
                fields["person"] = person
            elif kind == "family":
                fields.update(related_person=person, client_name=f"{person.name[:1]}母", relationship="母亲")
            else:
                fields.update(client_name="何社工", client_kind="staff")
            case = case_open(**fields)
            cases += 1
            day = opened
            for number in range(rng.randrange(1, 5)):
                day = min(day + datetime.timedelta(days=rng.randrange(5, 25)), self.today)
                risk = number == 0 and (cases == 1 or rng.random() < 0.4)
                session_record(
                    user=counsellor,
                    case=case,
                    held_on=day,
                    kind=rng.choice(["individual", "individual", "group", "hotline"]),
                    notes=notes[2] if risk else rng.choice([notes[0], notes[1], notes[3]]),
                    at_risk=risk,
                    referral="江门市第三人民医院精神科" if risk else "",
                )
                sessions += 1
            if kind == "staff":
                case_close(user=counsellor, case=case, closed_on=day)
        return cases, sessions
