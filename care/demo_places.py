"""Demo reopening checks, drills and placements, part of `seed_care`: two boarding-care
institutions, a reopening checklist of every institution (all ready but one, whose
latest checklist has an item not done), a drill at each centre with some of its members
and its staff, and about 20 boarding and home care placements of grade 1–2 persons, half
of them with an award of the placement subsidy (the others show as 应享未享)."""

import datetime

from django.db.models import Q

from areas.models import Area
from benefits.models import Award, Scheme
from care.models import (
    CheckItem,
    Drill,
    Enrolment,
    Institution,
    InstitutionKind,
    Placement,
    PlacementKind,
    ReopenCheck,
    ReopenCheckItem,
)
from registry.models import Person, Status

BOARDING = [
    ("JS0101", "蓬江区残疾人寄宿托养中心", "440703002000", "白沙街道港口路20号", 40),
    ("JS0201", "蓬江区康宁寄宿托养院", "440703006000", "环市街道江华路8号", 30),
]
HOME_PROVIDERS = ["蓬江区康乐居家养护服务社", "江门市仁爱居家护理中心"]
PLACEMENTS = 20
DRILL_TOPICS = ["消防疏散演练", "疫情防控应急演练", "防台风应急演练"]


def generate(rng, today: datetime.date, admin, stdout) -> None:
    boarding = [
        Institution.objects.create(
            code=code, name=name, kind=InstitutionKind.BOARDING, area=Area.objects.get(code=area), address=address,
            capacity=capacity,
        )
        for code, name, area, address, capacity in BOARDING
    ]  # fmt: skip
    checks = checklists(rng, today, admin)
    drills = drill_days(rng, today, admin)
    placed, awarded = placements(rng, today, admin, boarding)
    stdout.write(
        f"开放检查和应急演练：{checks} 份检查表（1 家机构暂不具备开放条件），{drills} 次演练；"
        f"托养安置 {placed} 人（{awarded} 人已享受托养补贴）"
    )


def checklists(rng, today, admin) -> int:
    items = list(CheckItem.objects.filter(is_active=True))
    institutions = list(Institution.objects.order_by("code"))
    not_ready = rng.randrange(len(institutions))
    made = 0
    for index, institution in enumerate(institutions):
        checker = institution.staff.order_by("pk").first() or admin
        for back, last in ((rng.randint(60, 90), False), (rng.randint(3, 20), True)):
            done = {i.pk: True for i in items}
            if last and index == not_ready:
                done[rng.choice(items).pk] = False
            check = ReopenCheck.objects.create(
                institution=institution,
                checked_on=today - datetime.timedelta(days=back),
                checked_by=checker,
                complete=all(done.values()),
                result="合格" if all(done.values()) else "防疫物资不足，待补充后复查",
            )
            ReopenCheckItem.objects.bulk_create(
                ReopenCheckItem(checklist=check, item=i, done=done[i.pk]) for i in items
            )
            made += 1
    return made


def drill_days(rng, today, admin) -> int:
    made = 0
    for centre in Institution.objects.filter(kind=InstitutionKind.CENTRE).order_by("code"):
        held = today - datetime.timedelta(days=rng.randint(7, 60))
        members = list(
            Enrolment.objects.standing()
            .filter(institution=centre, started_on__lte=held)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=held))
            .values_list("person_id", flat=True)
        )
        drill = Drill.objects.create(
            institution=centre, held_on=held, topic=rng.choice(DRILL_TOPICS), recorded_by=admin
        )
        drill.members.set(rng.sample(members, min(len(members), rng.randint(8, 15))))
        drill.staff.set(centre.staff.all())
        made += 1
    return made


def placements(rng, today, admin, boarding) -> tuple[int, int]:
    scheme = Scheme.objects.filter(code="care_placement").first()
    taken = set(Enrolment.objects.standing().filter(ended_on__isnull=True).values_list("person_id", flat=True))
    candidates = [
        p
        for p in Person.objects.filter(grade__in=[1, 2], status=Status.ACTIVE).order_by("pk")[:400]
        if p.pk not in taken
    ]
    chosen = rng.sample(candidates, min(PLACEMENTS, len(candidates)))
    awarded = 0
    for n, person in enumerate(chosen):
        started = today - datetime.timedelta(days=rng.randint(40, 700))
        started = max(started, person.certificate_issued or started)
        kind = PlacementKind.BOARDING if n % 2 == 0 else PlacementKind.HOME
        placement = Placement.objects.create(
            person=person,
            area_code=person.area_id,
            kind=kind,
            institution=rng.choice(boarding) if kind == PlacementKind.BOARDING else None,
            provider="" if kind == PlacementKind.BOARDING else rng.choice(HOME_PROVIDERS),
            started_on=started,
            recorded_by=admin,
        )
        if n % 7 == 6:
            placement.ended_on = min(today, started + datetime.timedelta(days=rng.randint(20, 200)))
            placement.end_reason = "家庭原因"
            placement.save(update_fields=["ended_on", "end_reason"])
        if scheme is not None and n % 2 == 0 and placement.ended_on is None:
            Award.objects.create(
                person=person,
                scheme=scheme,
                area_code=person.area_id,
                variant=placement.get_kind_display(),
                start_month=started.replace(day=1),
                source=Award.Source.IMPORT,
                created_by=admin,
            )
            awarded += 1
    return len(chosen), awarded
