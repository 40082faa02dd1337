"""Gift campaigns (生活爱心包 and others): the rules that define a target list, and the
services that create and start a campaign, add persons certified since, and record each
delivery.

A target list is frozen when the campaign starts, in one `INSERT … SELECT` of the persons
the rule selects (the registry can hold 10^6 persons: no row goes through Python); persons
certified later are added by the same statement, which skips those already on the list."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models import fields as model_fields
from django.utils import timezone

from accounts.models import User
from canlian.audit import audit_write
from canlian.records import MOVE_CHUNK, record_create, record_void
from canlian.scoping import require_district
from outreach.models import Campaign, CampaignDelivery, CampaignTarget, TargetRule
from registry.identifiers import IdentifierError, parse_id_number
from registry.models import EconomicStatus, Person, Status

NOT_FOUND = "系统中没有该身份证号的持证人员，或该人员不在您的管辖范围内"


def certified_on(day: datetime.date) -> Q:
    """Active persons whose certificate is valid on `day` (持证: no expiry, or not yet expired)."""
    return Q(status=Status.ACTIVE) & (Q(certificate_valid_until__isnull=True) | Q(certificate_valid_until__gte=day))


RULES = {
    TargetRule.CERTIFIED: lambda day: certified_on(day),
    TargetRule.DIBAO_TEKUN: lambda day: (
        certified_on(day) & Q(economic_status__in=[EconomicStatus.DIBAO, EconomicStatus.TEKUN])
    ),
    TargetRule.LIVING_ALONE: lambda day: certified_on(day) & Q(lives_alone=True),
}


def rule_persons(campaign: Campaign, day: datetime.date) -> QuerySet:
    """The persons the campaign's rule selects on `day`."""
    return Person.objects.filter(RULES[TargetRule(campaign.rule)](day))


def _insert_targets(campaign: Campaign, day: datetime.date, added_by: User | None) -> int:
    """INSERT INTO the target list SELECT the rule's persons not on it yet: one statement."""
    persons = (
        rule_persons(campaign, day)
        .exclude(pk__in=CampaignTarget.objects.filter(campaign=campaign).values("person_id"))
        .order_by()
        .annotate(
            _campaign=Value(campaign.pk, output_field=model_fields.BigIntegerField()),
            _person=F("pk"),
            _area_code=F("area_id"),
            _added_on=Value(day, output_field=model_fields.DateField()),
            _added_by=Value(added_by.pk if added_by else None, output_field=model_fields.BigIntegerField()),
        )
        .values("_campaign", "_person", "_area_code", "_added_on", "_added_by")
    )
    sql, params = persons.query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(CampaignTarget._meta.get_field(name).column)
        for name in ("campaign", "person", "area_code", "added_on", "added_by")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(CampaignTarget._meta.db_table)} ({columns}) {sql} ON CONFLICT DO NOTHING", params
        )
        return cursor.rowcount


def _require(user: User, perm: str, what: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(f"您没有{what}的权限")


@transaction.atomic
def campaign_create(
    *,
    user: User,
    name: str,
    gift: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    rule: str,
    per_household: bool = False,
) -> Campaign:
    """A campaign of the district, not started yet (its list is empty until it starts)."""
    _require(user, "outreach.add_campaign", "创建慰问发放活动")
    require_district(user, "慰问发放活动覆盖全区，只有区级用户可以创建")
    name, gift = " ".join(name.split()), " ".join(gift.split())
    if not name:
        raise ValidationError("请填写活动名称")
    if not gift:
        raise ValidationError("请填写发放内容")
    if rule not in TargetRule.values:
        raise ValidationError("请选择发放对象")
    if ends_on < starts_on:
        raise ValidationError("结束日期不能早于开始日期")
    if Campaign.objects.filter(name=name).exists():
        raise ValidationError(f"已有名为“{name}”的活动")
    campaign = Campaign.objects.create(
        name=name,
        gift=gift,
        starts_on=starts_on,
        ends_on=ends_on,
        rule=rule,
        per_household=per_household,
        created_by=user,
    )
    audit_write(
        action="outreach.campaign.created",
        user=user,
        obj=campaign,
        data={"name": name, "rule": rule, "per_household": per_household},
    )
    return campaign


@transaction.atomic
def campaign_start(*, user: User, campaign: Campaign) -> int:
    """Start the campaign: its target list is the rule's persons today, frozen. Returns how
    many persons are on it."""
    _require(user, "outreach.start_campaign", "启动慰问发放活动")
    require_district(user, "启动活动会确定全区的发放名单，只有区级用户可以执行")
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.is_started:
        raise ValidationError(f"“{locked.name}”已于 {timezone.localtime(locked.started_at):%Y-%m-%d} 启动")
    today = timezone.localdate()
    if today > locked.ends_on:
        raise ValidationError("活动已过结束日期，不能再启动")
    count = _insert_targets(locked, today, None)
    locked.state, locked.started_by, locked.started_at = Campaign.State.STARTED, user, timezone.now()
    locked.save(update_fields=["state", "started_by", "started_at"])
    audit_write(action="outreach.campaign.started", user=user, obj=locked, data={"targets": count})
    campaign.state, campaign.started_at = locked.state, locked.started_at
    return count


@transaction.atomic
def campaign_targets_add(*, user: User, campaign: Campaign) -> int:
    """Add to a running campaign's list the persons its rule selects today who are not on
    it (certified since it started). Nobody already on the list is removed: a person who
    died since keeps the row, and a delivery to them is refused by the day's checks."""
    _require(user, "outreach.start_campaign", "补充发放名单")
    require_district(user, "补充发放名单覆盖全区，只有区级用户可以执行")
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not locked.is_started:
        raise ValidationError("活动尚未启动：启动时会按发放对象生成名单")
    count = _insert_targets(locked, timezone.localdate(), user)
    if count:
        audit_write(action="outreach.campaign.targets_added", user=user, obj=locked, data={"added": count})
    return count


def person_by_id_number(user: User, text: str) -> Person:
    """The person of a typed or scanned ID number, among those the user may see; the same
    refusal for a number not registered and one outside the scope (scope never leaks)."""
    text = "".join(str(text).split()).upper()
    if not text:
        raise ValidationError("请输入或扫描身份证号")
    try:
        number = parse_id_number(text).number
    except IdentifierError as exc:
        raise ValidationError(f"身份证号有误：{exc}") from None
    person = Person.objects.visible_to(user).filter(id_number=number).first()
    if person is None:
        raise ValidationError(NOT_FOUND)
    return person


def delivery_record(
    *, user: User, campaign: Campaign, person: Person, delivered_on: datetime.date, deliverer: str
) -> CampaignDelivery:
    """Record that the person received the campaign's gift: the record base's checks (the
    permission, the scope, the day against the person's life), then the campaign's (running,
    in its period, on the list, not received yet) under the person's lock."""
    return record_create(
        model=CampaignDelivery,
        user=user,
        person=person,
        campaign=campaign,
        delivered_on=delivered_on,
        deliverer=" ".join(deliverer.split())[:40],
    )


def delivery_void(*, user: User, delivery: CampaignDelivery, reason: str) -> CampaignDelivery:
    return record_void(record=delivery, user=user, reason=reason)


def persons_moved_follow(sender, *, moves: dict[int, str], **kwargs) -> None:
    """A person on a list who moves is the new town's to deliver to."""
    by_area: dict[str, list[int]] = {}
    for person_id, area_code in moves.items():
        by_area.setdefault(area_code, []).append(person_id)
    for area_code, person_ids in by_area.items():
        for start in range(0, len(person_ids), MOVE_CHUNK):
            chunk = person_ids[start : start + MOVE_CHUNK]
            CampaignTarget.objects.filter(person_id__in=chunk).exclude(area_code=area_code).update(area_code=area_code)
