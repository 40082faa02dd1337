"""Demo cases and watches (`make demo`, after `seed_care`):

- a mental-health case for most current members with a mental disability and a few
  others, the centre's staff user their keyworker, each with a risk level, a plan and
  follow-ups every interval or so since it opened; about one in five is overdue (its last
  follow-up set a due day already past), high-risk ones among them; a few cases closed;
- a watch for about half the members eligible for one (`WatchRule`), a few returned or
  lost, each with a 30 or 45 yuan monthly contract.

Deterministic for the same data and seed; run once: a second run adds nothing.
"""

import datetime
import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from care.models import (
    CareCase,
    CaseFollowUp,
    CloseReason,
    ContactKind,
    Enrolment,
    RiskLevel,
    WatchDevice,
    WatchEnd,
    WatchIssue,
)
from care.models.membership import OPEN
from care.selectors_cases import eligible_without_watch
from care.services.cases import interval_days

FINDINGS = [
    "情绪稳定，按时服药，家属配合良好",
    "睡眠欠佳，已提醒家属督促服药并预约复诊",
    "近期情绪波动，与家属商定加强看护",
    "参加中心康复活动，社交有进步",
    "服药依从性一般，已联系社区医生跟进",
    "生活自理情况良好，未见异常",
]
PLANS = [
    "每月入户探访，督促规律服药，联系社区医生定期复诊，鼓励参加康园中心活动。",
    "加强家属沟通，制定危机应对预案，按风险等级定期随访。",
    "协助申请康复服务与补贴，逐步参与中心的职业康复训练。",
]
MODELS = ["守护星 K2", "安心宝 W5", "康途 T8"]


class Command(BaseCommand):
    help = "生成演示用的个案管理和定位手表数据"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同数据）")

    def handle(self, *args, seed: int, **options):
        if CareCase.objects.exists() or WatchIssue.objects.exists():
            self.stdout.write("已有个案或定位手表，未重复生成。")
            return
        with transaction.atomic():
            rng, today = random.Random(seed), timezone.localdate()
            admin = User.objects.filter(role=Role.DISTRICT_ADMIN).order_by("pk").first()
            if admin is None:
                self.stdout.write("找不到区残联管理员账号，未生成个案和定位手表。")
                return
            cases, follow_ups = self.cases(rng, today, admin)
            watches = self.watches(rng, today, admin)
        overdue = sum(1 for c in cases if c.closed_on is None and c.next_due < today)
        self.stdout.write(
            f"个案管理：{len(cases)} 个个案（{overdue} 个逾期随访），{follow_ups} 次随访；定位手表：{watches} 只"
        )

    def members(self, today: datetime.date):
        return (
            Enrolment.objects.standing()
            .filter(day_care=True, started_on__lte=today)
            .filter(OPEN)
            .select_related("person", "institution")
            .prefetch_related("institution__staff")
            .order_by("pk")
        )

    def cases(self, rng, today, admin) -> tuple[list[CareCase], int]:
        cases, follow_ups = [], []
        for enrolment in self.members(today):
            person = enrolment.person
            if not (person.category == 6 and rng.random() < 0.8 or rng.random() < 0.03):
                continue
            staff = sorted(enrolment.institution.staff.all(), key=lambda u: u.pk)
            keyworker = staff[0] if staff else admin
            risk = rng.choices(list(RiskLevel), weights=[2, 4, 4])[0]
            days = interval_days(risk)
            opened = max(enrolment.started_on, today - datetime.timedelta(days=rng.randint(60, 360)))
            case = CareCase(
                person=person,
                area_code=person.area_id,
                recorded_by=keyworker,
                keyworker=keyworker,
                risk=risk,
                opened_risk=risk,
                plan=rng.choice(PLANS),
                opened_on=opened,
                next_due=opened + datetime.timedelta(days=days),
            )
            overdue = rng.random() < 0.2
            day, mine = opened, []
            while True:
                gap = rng.randint(max(days // 2, 1), days)
                if day + datetime.timedelta(days=gap) > today:
                    break
                day += datetime.timedelta(days=gap)
                mine.append(
                    CaseFollowUp(
                        followed_on=day,
                        contact=rng.choice(list(ContactKind)),
                        findings=rng.choice(FINDINGS),
                        risk=risk,
                        next_due=day + datetime.timedelta(days=days),
                        recorded_by=keyworker,
                    )
                )
            if overdue and len(mine) > 1:
                # The follow-ups stopped a while ago: the due day has passed.
                while mine and mine[-1].next_due >= today:
                    mine.pop()
            if mine:
                case.next_due = mine[-1].next_due
            if not overdue and rng.random() < 0.08 and mine:
                case.closed_on, case.close_reason, case.closed_by = mine[-1].followed_on, CloseReason.STABLE, keyworker
            cases.append(case)
            follow_ups.append(mine)
        CareCase.objects.bulk_create(cases, batch_size=500)
        rows = []
        for case, mine in zip(cases, follow_ups, strict=True):
            for follow_up in mine:
                follow_up.case = case
                rows.append(follow_up)
        CaseFollowUp.objects.bulk_create(rows, batch_size=1000)
        return cases, len(rows)

    def watches(self, rng, today, admin) -> int:
        issues = []
        eligible = list(eligible_without_watch(admin, today))
        for n, enrolment in enumerate(e for e in eligible if rng.random() < 0.5):
            device = WatchDevice.objects.create(
                serial=f"SW{today.year}{n + 1:05d}",
                model_name=rng.choice(MODELS),
                sim_number=f"1{rng.randint(3000000000, 9999999999)}",
            )
            issued = max(enrolment.started_on, today - datetime.timedelta(days=rng.randint(10, 500)))
            issue = WatchIssue(
                person=enrolment.person,
                area_code=enrolment.person.area_id,
                recorded_by=admin,
                device=device,
                issued_on=issued,
                monthly_fee_fen=rng.choice([3000, 4500]),
            )
            if rng.random() < 0.08 and issued < today:
                issue.ended_on = issued + datetime.timedelta(days=rng.randint(0, (today - issued).days))
                issue.end = rng.choice(list(WatchEnd))
            issues.append(issue)
        WatchIssue.objects.bulk_create(issues, batch_size=500)
        return len(issues)
