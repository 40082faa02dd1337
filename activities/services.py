"""Recording activities and who took part, the five ones and the associations' members.

Each function is atomic, checks the user's permission and jurisdiction, and refuses with a
reason in Chinese, writing nothing. The person records go through `canlian.records`
(`record_create`: the person's scope, locked; the day against the person's life — not in
the future, not after a death or moving out; the model's `clean()`; a double entry refused
by its unique key), so a participation, a five-one and a membership pass the same checks
as every other record against a person.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from activities.models import (
    CENTRE_KINDS,
    DISTRICT_WIDE,
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
from areas.models import Area, Level
from canlian.audit import audit_write
from canlian.records import record_create, record_void, records_changed_once
from canlian.scoping import in_scope, is_district_user, require_district, require_in_scope, scope_rechecked
from care.models import Institution
from registry.models import Person

FIRST_YEAR = 2016
MAX_DAYS = 366
MAX_COUNT = 10_000_000
CODE_PREFIX = "HD"
DISTRICT_ONLY = "区残联和专门协会主办的活动只能由区级用户登记"

# The fields of an activity that its form and `activity_save` take.
ACTIVITY_FIELDS = (
    "name",
    "kind",
    "five_one",
    "organiser",
    "area",
    "association",
    "centre",
    "centre_name",
    "starts_on",
    "ends_on",
    "online",
    "place",
    "volunteers",
    "family_members",
    "online_viewers",
    "description",
)


# Activities ------------------------------------------------------------------------------


def centres_to_name(user: User):
    """The centres (康园中心, adult day care) `user` may name as an activity's organiser: those
    of their towns, and the district's own, which run activities in any town. A name only:
    choosing one shows none of the centre's members."""
    district = Q(area__level=Level.DISTRICT)
    return Institution.objects.filter(Q(pk__in=Institution.objects.visible_to(user).values("pk")) | district).filter(
        kind__in=CENTRE_KINDS
    )


def _centre_check(user: User, fields: dict, *, kept_note: str, current_centre: int | None) -> None:
    """A centre's activity names a centre the user sees (an active 康园中心 or adult day
    care), whose town becomes the activity's (a centre of the district itself takes the town
    chosen); an activity registered before the link may keep its unmatched text
    (`kept_note`) until someone picks the centre. Any other organiser has neither."""
    centre = fields.setdefault("centre", None)
    if fields["organiser"] != Organiser.CENTRE:
        fields["centre"], fields["centre_name"] = None, ""
        return
    if centre is None:
        if kept_note and fields["centre_name"] == kept_note:
            return
        raise ValidationError("请选择主办康园中心")
    kept = centre.pk == current_centre  # the centre the activity already names stays
    if centre.kind not in CENTRE_KINDS:
        raise ValidationError(f"{centre.name}不是康园中心或日间托养机构，不能作为活动的主办康园中心")
    if not kept and not centres_to_name(user).filter(pk=centre.pk).exists():
        raise ValidationError("不能选择该康园中心：该机构不在您的管辖范围内")
    if not centre.is_active and not kept:
        raise ValidationError(f"{centre.name}已停用，不能主办新的活动")
    fields["centre_name"] = ""
    town = centre.area.town
    if town is not None and not town.is_active:
        raise ValidationError(f"{centre.name}所在的{town.name}已撤销，请先在托养机构中更正该中心的所属区划")
    if town is not None:
        fields["area"] = town


def _activity_check(fields: dict, *, user: User, kept_note: str = "", current_centre: int | None = None) -> dict:
    """The activity's own rules; returns the fields as they are stored. `kept_note` and
    `current_centre`: what the activity being corrected names (its text before the link,
    its centre even if since switched off)."""
    fields = dict(fields)
    for name in ("name", "centre_name", "place", "description"):
        fields[name] = (fields.get(name) or "").strip()
    if not fields["name"]:
        raise ValidationError("请填写活动名称")
    kind, organiser = fields["kind"], fields["organiser"]
    if kind not in ActivityKind.values:
        raise ValidationError("请选择活动类型")
    if organiser not in Organiser.values:
        raise ValidationError("请选择主办方")
    five_one = fields.get("five_one") or ""
    if kind == ActivityKind.FIVE_ONES and five_one not in FiveOne.values:
        raise ValidationError("文化进家园“五个一”活动请选择是五个一中的哪一项")
    if kind != ActivityKind.FIVE_ONES and five_one:
        raise ValidationError("只有文化进家园“五个一”活动才选择“五个一”项目")
    fields["five_one"] = five_one
    if kind == ActivityKind.ASSOCIATION and organiser != Organiser.ASSOCIATION:
        raise ValidationError("专门协会活动的主办方应为专门协会")
    if kind == ActivityKind.TOWN_DAY and organiser != Organiser.TOWN:
        raise ValidationError("镇街助残日活动的主办方应为镇(街)残联")
    if organiser == Organiser.ASSOCIATION:
        if fields.get("association") is None:
            raise ValidationError("请选择主办协会")
    else:
        fields["association"] = None
    _centre_check(user, fields, kept_note=kept_note, current_centre=current_centre)
    area: Area | None = fields.get("area")
    if organiser in DISTRICT_WIDE:
        fields["area"] = Area.objects.get(level=Level.DISTRICT, is_active=True)
    elif area is None or area.level != Level.TOWN or not area.is_active:
        raise ValidationError("请选择主办镇(街)" if organiser == Organiser.TOWN else "请选择康园中心所在的镇(街)")
    starts, ends = fields.get("starts_on"), fields.get("ends_on") or fields.get("starts_on")
    if starts is None:
        raise ValidationError("请填写活动开始日期")
    if ends < starts:
        raise ValidationError("结束日期不能早于开始日期")
    if (ends - starts).days >= MAX_DAYS:
        raise ValidationError("一次活动的时间不能超过一年，请分别登记")
    if starts.year < FIRST_YEAR:
        raise ValidationError(f"活动日期不能早于 {FIRST_YEAR} 年")
    if starts > datetime.date.today() + datetime.timedelta(days=MAX_DAYS):
        raise ValidationError("开始日期不能晚于一年之后")
    fields["ends_on"] = ends
    fields["online"] = bool(fields.get("online"))
    if not fields["online"] and not fields["place"]:
        raise ValidationError("请填写活动地点；线上活动请勾选“线上活动”")
    for name, label in (("volunteers", "志愿者"), ("family_members", "家属"), ("online_viewers", "线上观看")):
        count = fields.get(name) or 0
        if count < 0:
            raise ValidationError(f"{label}人数不能为负数")
        if count > MAX_COUNT:
            raise ValidationError(f"{label}人数过大，请检查是否输入有误")
        fields[name] = count
    return {name: fields[name] for name in ACTIVITY_FIELDS}


def _require_organiser_scope(user: User, fields: dict) -> None:
    """A town's (or a centre's) activity by a user of that town or the district; the
    district's and the associations' by a district user only."""
    if fields["organiser"] in DISTRICT_WIDE:
        require_district(user, DISTRICT_ONLY)
    require_in_scope(user, fields["area"].code)


def may_change(user: User, activity: Activity) -> bool:
    """Whether the user's jurisdiction covers the activity's organiser (the pages' check
    before they offer the edit; `activity_update` checks again)."""
    if activity.organiser in DISTRICT_WIDE:
        return is_district_user(user)
    return in_scope(user, activity.area_id)


def _next_code(year: int) -> str:
    """HD20250001: the year of the start and the next number of that year."""
    stem = f"{CODE_PREFIX}{year}"
    last = Activity.objects.filter(code__startswith=stem).order_by("-code").values_list("code", flat=True).first()
    return f"{stem}{int(last[len(stem) :]) + 1 if last else 1:04d}"


@scope_rechecked
def activity_create(*, user: User, **fields) -> Activity:
    """Register an activity; it gets the next code of its year (活动编号, which the bulk
    participant lists name)."""
    if not user.has_perm("activities.add_activity"):
        raise PermissionDenied("您没有登记活动的权限")
    fields = _activity_check(fields, user=user)
    _require_organiser_scope(user, fields)
    activity = Activity(created_by=user, **fields)
    activity._history_user = user
    # Two clerks saving at once may take the same number: the unique code refuses the
    # second, which takes the next one.
    for _attempt in range(5):
        activity.code = _next_code(activity.starts_on.year)
        try:
            with transaction.atomic():
                activity.save(force_insert=True)
        except IntegrityError:
            activity.pk = None
            continue
        return activity
    raise ValidationError("活动编号生成冲突，请重试")


@scope_rechecked
def activity_update(*, user: User, activity: Activity, **fields) -> Activity:
    """Correct an activity. Its participants must still fall within its dates, and the kind
    or five-one of an activity with participants stays (their five ones come from it)."""
    if not user.has_perm("activities.change_activity"):
        raise PermissionDenied("您没有修改活动的权限")
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.organiser in DISTRICT_WIDE:
        require_district(user, DISTRICT_ONLY)
    require_in_scope(user, locked.area_id)
    fields = _activity_check(fields, user=user, kept_note=locked.centre_name, current_centre=locked.centre_id)
    _require_organiser_scope(user, fields)
    participations = Participation.objects.standing().filter(activity=locked)
    if (fields["kind"], fields["five_one"]) != (locked.kind, locked.five_one) and participations.exists():
        raise ValidationError("本活动已有参加人员，不能修改活动类型或“五个一”项目")
    outside = participations.exclude(attended_on__range=(fields["starts_on"], fields["ends_on"])).count()
    if outside:
        raise ValidationError(f"已有 {outside} 名参加人员的参加日期不在新的活动日期内，请先作废或改正这些参加记录")
    for name, value in fields.items():
        setattr(locked, name, value)
    locked._history_user = user
    locked.save()
    if participations.exists():
        # Their organiser's figures moved with the activity's dates or area.
        records_changed_once(Participation, locked.starts_on.year)
    return locked


# Participants ----------------------------------------------------------------------------


def participation_add(
    *, user: User, activity: Activity, person: Person, attended_on: datetime.date | None = None, note: str = ""
) -> Participation:
    """A registered person took part in `activity` (one the user sees), on its first day
    unless told. A 文化进家园 activity also gives the person its five-one of the year, if
    they have not done that one yet."""
    with transaction.atomic():
        require_in_scope(user, activity)
        participation = record_create(
            model=Participation,
            user=user,
            person=person,
            activity=activity,
            attended_on=attended_on or activity.starts_on,
            note=(note or "").strip()[:200],
        )
        _five_one_derive(participation.person, activity, participation.attended_on, user)
        return participation


def _five_one_derive(person: Person, activity: Activity, day: datetime.date, user: User) -> FiveOneRecord | None:
    """The five-one that taking part in `activity` on `day` gives the person, unless they
    already have it for that year. Written with the participation (its checks passed)."""
    if activity.kind != ActivityKind.FIVE_ONES or not activity.five_one:
        return None
    held = FiveOneRecord.objects.standing().filter(person=person, year=day.year, item=activity.five_one)
    if held.exists():
        return None
    record = FiveOneRecord(
        person=person,
        area_code=person.area_id,
        recorded_by=user,
        item=activity.five_one,
        year=day.year,
        done_on=day,
        activity=activity,
    )
    record.save(force_insert=True)
    records_changed_once(FiveOneRecord, day.year)
    return record


def _five_one_rederive(person: Person, year: int, item: str, user: User) -> None:
    """After a five-one was voided: another standing participation of the person in a
    文化进家园 activity of the same item and year gives it again (the earliest)."""
    if FiveOneRecord.objects.standing().filter(person=person, year=year, item=item).exists():
        return
    other = (
        Participation.objects.standing()
        .filter(
            person=person,
            attended_on__year=year,
            activity__kind=ActivityKind.FIVE_ONES,
            activity__five_one=item,
        )
        .select_related("activity")
        .order_by("attended_on", "id")
        .first()
    )
    if other is not None:
        _five_one_derive(person, other.activity, other.attended_on, user)


def _void_derived(record: FiveOneRecord, *, user: User, reason: str) -> None:
    record.voided_at = timezone.now()
    record.voided_by = user
    record.void_reason = reason[:200]
    record.save(update_fields=["voided_at", "voided_by", "void_reason"])
    audit_write(action=FiveOneRecord.void_action, user=user, obj=record, data={"reason": record.void_reason})
    records_changed_once(FiveOneRecord, record.year)


@transaction.atomic
def participation_void(*, user: User, record: Participation, reason: str) -> Participation:
    """Void (作废) a mistaken participation, and the five-one it gave; another participation
    of the person in an activity of the same five-one that year then gives it."""
    voided = record_void(record=record, user=user, reason=reason)
    derived = (
        FiveOneRecord.objects.standing()
        .select_for_update()
        .filter(person_id=voided.person_id, activity_id=voided.activity_id)
        .first()
    )
    if derived is not None:
        _void_derived(derived, user=user, reason=f"随活动参加记录作废：{voided.void_reason}")
        _five_one_rederive(voided.person, derived.year, derived.item, user)
    return voided


# The five ones ---------------------------------------------------------------------------


def five_one_record(
    *, user: User, person: Person, item: str, done_on: datetime.date | None, note: str = ""
) -> FiveOneRecord:
    """Record directly that a person did one of the five ones (once a year each)."""
    if item not in FiveOne.values:
        raise ValidationError("请选择“五个一”项目")
    if done_on is None:
        raise ValidationError("请填写完成日期")
    return record_create(
        model=FiveOneRecord,
        user=user,
        person=person,
        item=item,
        year=done_on.year,
        done_on=done_on,
        note=(note or "").strip()[:200],
    )


@transaction.atomic
def five_one_void(*, user: User, record: FiveOneRecord, reason: str) -> FiveOneRecord:
    """Void a five-one recorded directly. One that came from an activity goes with its
    participation, so it is voided there."""
    if record.activity_id is not None:
        activity = Activity.objects.get(pk=record.activity_id)
        raise ValidationError(f"该记录来自活动“{activity.name}”，请作废此人在该活动中的参加记录")
    voided = record_void(record=record, user=user, reason=reason)
    _five_one_rederive(voided.person, voided.year, voided.item, user)
    return voided


# Associations ----------------------------------------------------------------------------


def membership_add(
    *, user: User, association: Association, person: Person, position: str, joined_on: datetime.date | None
) -> Membership:
    """A person joins an association (the categories it takes; one chair at a time)."""
    if position not in Position.values:
        raise ValidationError("请选择职务")
    return record_create(
        model=Membership, user=user, person=person, association=association, position=position, joined_on=joined_on
    )


@transaction.atomic
def membership_end(*, user: User, membership: Membership, left_on: datetime.date | None) -> Membership:
    """A member leaves (离会) on `left_on`; the membership stays in the person's history."""
    if not user.has_perm("activities.change_membership"):
        raise PermissionDenied("您没有登记会员离会的权限")
    locked = Membership.objects.select_for_update().select_related("association").get(pk=membership.pk)
    require_in_scope(user, locked)
    if locked.voided_at is not None:
        raise ValidationError("该会员记录已作废")
    if locked.left_on is not None:
        raise ValidationError(f"该会员已于 {locked.left_on:%Y-%m-%d} 离会")
    if left_on is None:
        raise ValidationError("请填写离会日期")
    if left_on > datetime.date.today():
        raise ValidationError("离会日期不能晚于今天")
    if left_on < locked.joined_on:
        raise ValidationError(f"离会日期不能早于入会日期（{locked.joined_on:%Y-%m-%d}）")
    locked.left_on = left_on
    locked.save(update_fields=["left_on"])
    audit_write(
        action="activities.membership.ended",
        user=user,
        obj=locked,
        data={"name": locked.association.name, "date": left_on.isoformat()},
    )
    return locked


def membership_void(*, user: User, membership: Membership, reason: str) -> Membership:
    """Void a membership entered by mistake."""
    return record_void(record=membership, user=user, reason=reason)
