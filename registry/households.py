"""Changes to households (户): registering one, its members and family members, and its
economic status (低保, 特困), which every disabled member follows as a dated event.

Each function is atomic, checks jurisdiction (`require_in_scope`) before it writes, refuses
bad input with a Chinese `ValidationError` and writes nothing then, and leaves a trail: a
`HouseholdLog` line (the household page and the members' timelines) and an audit entry.
"""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from canlian.audit import audit_write
from canlian.scoping import require_in_scope
from canlian.signals import records_changed
from registry.identifiers import IdentifierError, parse_id_number
from registry.models import (
    EconomicStatus,
    EventKind,
    FamilyMember,
    Household,
    HouseholdLog,
    Person,
    Relationship,
    Status,
)
from registry.services import person_event_record
from registry.validators import FieldError, name_clean

NUMBER = re.compile(r"^[0-9A-Za-z\-]{4,30}$")
NUMBER_RULE = "户号应为 4–30 位数字或字母（可含“-”）"
IS_PERSON = "该身份证号是已登记的持证残疾人，请在其人员页面把他（她）加入本户，而不是登记为家庭成员"


def household_number_clean(value: object) -> str:
    """A household number as typed: full-width to half-width, no spaces, upper case."""
    text = "".join(unicodedata.normalize("NFKC", str(value or "")).split()).upper()
    if not text:
        raise ValidationError("请填写户号")
    if not NUMBER.match(text):
        raise ValidationError(f"{NUMBER_RULE}，“{text}”不符合")
    return text


def relationship_clean(value: object, *, label: str = "与残疾人关系", blank: bool = False) -> str:
    text = "".join(unicodedata.normalize("NFKC", str(value or "")).split())
    if not text and blank:
        return ""
    if text not in Relationship.values:
        raise ValidationError(f"{label}应为 {'、'.join(Relationship.values)}，“{text}”不符合")
    return text


def _log(household: Household, *, user: User | None, title: str, detail: str = "", person=None, date=None) -> None:
    HouseholdLog.objects.create(
        household=household,
        person=person,
        date=date or timezone.localdate(),
        title=title,
        detail=detail[:200],
        created_by=user if user is not None and user.is_authenticated else None,
    )


@transaction.atomic
def household_create(*, user: User, number: str, area, address: str = "") -> Household:
    """A new household of a community of the user's scope. A number already used anywhere
    is refused, saying whether it is in the same community (open it) or another one."""
    area_code = getattr(area, "code", area)
    require_in_scope(user, area_code)
    number = household_number_clean(number)
    existing = Household.objects.filter(number=number).first()
    if existing is not None:
        if existing.area_id == area_code:
            raise ValidationError(f"户号 {number} 已登记，请直接打开该户")
        raise ValidationError(f"户号 {number} 已在其他村(居)登记，不能重复使用")
    household = Household.objects.create(
        number=number, area_id=area_code, address=" ".join(address.split())[:200], created_by=user
    )
    _log(household, user=user, title="建户", detail=f"户号 {number}")
    audit_write(action="registry.household.created", user=user, obj=household, data={"number": number})
    return household


@transaction.atomic
def person_household_set(*, user: User, person: Person, household: Household, relationship: str) -> Person:
    """Register `person` as a member of `household` (同一户籍村(居)), with their relationship
    to its head; a member of another household leaves it. When the household has an
    economic status set, the person's follows it from today (a dated event)."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    require_in_scope(user, locked)
    household = Household.objects.select_for_update().get(pk=household.pk)
    require_in_scope(user, household)
    relationship = relationship_clean(relationship, label="与户主关系")
    if locked.area_id != household.area_id:
        raise ValidationError("该户的户籍村(居)与人员的户籍村(居)不同，不能加入")
    if locked.status != Status.ACTIVE:
        raise ValidationError(f"该人员状态为“{locked.get_status_display()}”，不能加入户")
    before = locked.household
    if before is not None and before.pk == household.pk and locked.relationship_to_head == relationship:
        raise ValidationError("该人员已是本户成员，关系未变")
    locked.household, locked.relationship_to_head = household, relationship
    locked._history_user = user
    locked._change_reason = f"加入户 {household.number}"
    locked.save(update_fields=["household", "relationship_to_head", "updated_at"])
    if before is not None and before.pk != household.pk:
        _log(before, user=user, title="成员迁出本户", detail=f"转入户 {household.number}", person=locked)
    _log(household, user=user, title="加入本户", detail=f"与户主关系：{relationship}", person=locked)
    if household.economic_status_date and locked.economic_status != household.economic_status:
        today = timezone.localdate()
        person_event_record(
            user=user,
            person=locked,
            kind=EventKind.ECONOMIC,
            date=max(today, household.economic_status_date),
            value=household.economic_status,
            reason=f"随户 {household.number} 的经济状况",
        )
    audit_write(
        action="registry.household.member_set",
        user=user,
        obj=household,
        person=locked,
        data={"relationship": relationship, "from": before.number if before else ""},
    )
    records_changed.send(sender=Household, source="registry")
    return locked


@transaction.atomic
def person_household_leave(*, user: User, person: Person) -> Person:
    """The person is no longer a member of their household (户籍迁出本户)."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    require_in_scope(user, locked)
    household = locked.household
    if household is None:
        raise ValidationError("该人员未登记在任何户中")
    locked.household, locked.relationship_to_head = None, ""
    locked._history_user = user
    locked._change_reason = f"离开户 {household.number}"
    locked.save(update_fields=["household", "relationship_to_head", "updated_at"])
    _log(household, user=user, title="离开本户", person=locked)
    audit_write(action="registry.household.member_left", user=user, obj=household, person=locked)
    records_changed.send(sender=Household, source="registry")
    return locked


def persons_moved_leave_households(sender, *, moves: dict[int, str], **kwargs) -> None:
    """Receiver of `registry.signals.persons_moved`: a household's members share its 户籍村(居),
    so a person moved to another community (an edit, an import, an approved change) leaves
    their household, which its log says; the household stays where it is. Two statements
    and the log rows, however many moved."""
    leaving = list(
        Person.objects.filter(pk__in=list(moves), household__isnull=False)
        .exclude(household__area_id=F("area_id"))
        .select_related("household", "area")
    )
    if not leaving:
        return
    today = timezone.localdate()
    HouseholdLog.objects.bulk_create(
        HouseholdLog(
            household=p.household,
            person=p,
            date=today,
            title="成员迁出本户",
            detail=f"户籍迁至{p.area.name}，不再是本户成员"[:200],
        )
        for p in leaving
    )
    Person.objects.filter(pk__in=[p.pk for p in leaving]).update(
        household=None, relationship_to_head="", updated_at=timezone.now()
    )
    records_changed.send(sender=Household, source="registry")


def family_member_check(
    *, household: Household, name: object, id_number: object, relationship: object, member: FamilyMember | None = None
) -> dict:
    """The cleaned fields of a family member, or a ValidationError naming every problem:
    the name's and ID number's rules, the relationship, a registered disabled person's
    number (they are a member, not a family member) and a number already in the household."""
    errors, data = {}, {}
    try:
        data["name"] = name_clean(name)
    except FieldError as exc:
        errors["name"] = str(exc)
    try:
        data["id_number"] = parse_id_number(id_number).number
    except IdentifierError as exc:
        errors["id_number"] = f"身份证号有误：{exc}"
    else:
        if Person.objects.filter(id_number=data["id_number"]).exists():
            errors["id_number"] = IS_PERSON
        else:
            same = FamilyMember.objects.filter(household=household, id_number=data["id_number"])
            if member is not None:
                same = same.exclude(pk=member.pk)
            if same.exists():
                errors["id_number"] = "该身份证号已是本户的家庭成员"
    try:
        data["relationship"] = relationship_clean(relationship)
    except ValidationError as exc:
        errors["relationship"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def family_member_add(
    *,
    user: User,
    household: Household,
    name: str,
    id_number: str,
    relationship: str,
    is_carer: bool = False,
    is_guardian: bool = False,
) -> FamilyMember:
    """A family member (not a disabled person) of a household of the user's scope."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    require_in_scope(user, household)
    data = family_member_check(household=household, name=name, id_number=id_number, relationship=relationship)
    member = FamilyMember.objects.create(
        household=household, is_carer=is_carer, is_guardian=is_guardian, created_by=user, **data
    )
    roles = "、".join(r for r, on in (("照料人", is_carer), ("监护人", is_guardian)) if on)
    _log(household, user=user, title="登记家庭成员", detail=f"{data['name']}（{data['relationship']}）{roles}")
    audit_write(action="registry.household.family_added", user=user, obj=household, data={"member": member.pk})
    return member


@transaction.atomic
def family_member_update(
    *,
    user: User,
    member: FamilyMember,
    name: str,
    id_number: str,
    relationship: str,
    is_carer: bool,
    is_guardian: bool,
) -> FamilyMember:
    locked = FamilyMember.objects.select_for_update().select_related("household").get(pk=member.pk)
    require_in_scope(user, locked.household)
    data = family_member_check(
        household=locked.household, name=name, id_number=id_number, relationship=relationship, member=locked
    )
    for field, value in {**data, "is_carer": is_carer, "is_guardian": is_guardian}.items():
        setattr(locked, field, value)
    locked.save()
    _log(locked.household, user=user, title="修改家庭成员", detail=f"{locked.name}（{locked.relationship}）")
    audit_write(action="registry.household.family_changed", user=user, obj=locked.household, data={"member": locked.pk})
    return locked


@transaction.atomic
def household_economic_status_set(
    *, user: User, household: Household, status: str, date: datetime.date, reason: str = "", source: str = "手工录入"
) -> int:
    """Set the household's economic status from `date`: a dated economic-status event of
    each of its active disabled members whose status that day differs (the members already
    in it are left as they are). Returns how many members changed. A date in the future,
    before a member's birth, or an unknown status is refused, and nothing is written."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    require_in_scope(user, household)
    if status not in EconomicStatus.values:
        raise ValidationError("经济状况应为 无、低保、低保边缘 或 特困")
    if date > timezone.localdate():
        raise ValidationError("生效日期不能晚于今天")
    members = list(Person.objects.select_for_update().filter(household=household, status=Status.ACTIVE).order_by("pk"))
    label = EconomicStatus(status).label
    changed = 0
    for person in members:
        try:
            _, created = person_event_record(
                user=user,
                person=person,
                kind=EventKind.ECONOMIC,
                date=date,
                value=status,
                reason=(reason or f"户 {household.number} 经济状况为{label}")[:200],
                source=source,
            )
        except ValidationError as exc:
            if "无需登记" in " ".join(exc.messages):
                continue
            raise ValidationError(f"{person.name}：{'；'.join(exc.messages)}") from None
        changed += created
    if household.economic_status_date is None or date >= household.economic_status_date:
        household.economic_status, household.economic_status_date = status, date
        household.save(update_fields=["economic_status", "economic_status_date", "updated_at"])
    _log(household, user=user, title="经济状况变更", detail=f"{label}，{changed} 名残疾人随户登记", date=date)
    audit_write(
        action="registry.household.economic_set",
        user=user,
        obj=household,
        data={"status": status, "date": date, "members": changed},
    )
    records_changed.send(sender=Household, source="registry")
    return changed
