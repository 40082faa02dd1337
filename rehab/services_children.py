"""Child rehabilitation assistance (残疾儿童康复救助): what changes its data. Each function is
atomic, checks the permission and the jurisdiction (the child's community), validates,
and refuses with a reason in Chinese, writing nothing; a step of an application writes an
audit entry. What only the district decides (approval, placement, closing) calls
`require_district` itself, so a page, a command and the API refuse a town user alike.

A child's changes take the child's row lock first (`_locked_child`): two clerks entering
applications or records for one child take turns, so the yearly cap and the approved
amount are checked against what the other one committed.
"""

import datetime
import unicodedata

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery, Sum
from django.utils import timezone

from areas.models import Area, Level
from canlian.audit import audit_write
from canlian.records import records_changed_once
from canlian.scoping import require_district, require_in_scope, scope_rechecked
from canlian.signals import records_changed
from registry.identifiers import IdentifierError, normalize, parse_id_number
from registry.models import Person
from registry.validators import FieldError, name_clean, phone_clean
from rehab.models import Provider
from rehab.models_children import (
    AssistanceKind,
    Child,
    ChildApplication,
    ChildAssessment,
    ChildDisability,
    ChildRehabRecord,
    ChildRehabStandard,
    PriorityGroup,
    yuan,
)

State = ChildApplication.State
MAX_SESSIONS = 366  # one a day for a year; more is a typing error
DISTRICT_DECIDES = "残疾儿童康复救助申请由区残联审批、安置和结案，镇(街)用户不能办理"


def _require(user, perm: str, what: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(f"您没有{what}的权限")


def _locked_child(user, child: Child) -> Child:
    """The child read again under its row lock, once known to be in the user's scope
    (before and after the lock, as `record_create` does for a person)."""
    require_in_scope(user, child)
    locked = Child.objects.select_for_update().get(pk=child.pk)
    require_in_scope(user, locked)
    return locked


def _not_future(day: datetime.date, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(f"{label}不能晚于今天")


# The child ------------------------------------------------------------------------------


def birth_certificate_clean(raw: object) -> str:
    """A birth certificate number (出生医学证明编号) in the configured form, upper case; ""
    for none."""
    number = normalize(raw)
    if number and not settings.CHILD_BIRTH_CERTIFICATE_PATTERN.match(number):
        raise FieldError(f"出生医学证明编号格式不正确：应为 1 个字母加 9 位数字（如 R440123456），“{number}”不符合")
    return number


def _identity(*, id_number: str, birth_certificate: str, birth_date, gender: str) -> dict:
    """The child's identifiers checked together: an ID number (its checksum and date, the
    project's rule) or a birth certificate number, and a birth date and gender that agree
    with the ID number. Raises a ValidationError by field."""
    errors: dict[str, str] = {}
    number = normalize(id_number)
    parsed = None
    if number:
        try:
            parsed = parse_id_number(number)
        except IdentifierError as exc:
            errors["id_number"] = str(exc)
    try:
        certificate = birth_certificate_clean(birth_certificate)
    except FieldError as exc:
        errors["birth_certificate"], certificate = str(exc), ""
    if not number and not certificate and "birth_certificate" not in errors:
        errors["id_number"] = "请填写身份证号；尚未办理身份证的，请填写出生医学证明编号"
    if parsed is not None:
        if birth_date is None:
            birth_date = parsed.birth_date
        elif birth_date != parsed.birth_date:
            errors["birth_date"] = f"出生日期与身份证号中的 {parsed.birth_date:%Y-%m-%d} 不一致"
        if gender and gender != parsed.gender:
            errors["gender"] = "性别与身份证号第 17 位不符（奇数为男，偶数为女）"
        gender = gender or parsed.gender
    if birth_date is None:
        errors.setdefault("birth_date", "请填写出生日期")
    elif birth_date > timezone.localdate():
        errors.setdefault("birth_date", "出生日期不能晚于今天")
    if gender not in ("M", "F"):
        errors.setdefault("gender", "请选择性别")
    if errors:
        raise ValidationError(errors)
    return {
        "id_number": parsed.number if parsed else "",
        "birth_certificate": certificate,
        "birth_date": birth_date,
        "gender": gender,
    }


def _details(*, user, disability: str, diagnosis: str, guardian_name: str, guardian_phone: str, area) -> dict:
    """The child's other required facts: disability, diagnosis, guardian (name and phone by
    the registry's rules), and a current community of the user's jurisdiction."""
    errors: dict[str, str] = {}
    if disability not in ChildDisability.values:
        errors["disability"] = "请选择残疾类别（视力、听力、言语、肢体、智力残疾或孤独症）"
    diagnosis = " ".join(str(diagnosis or "").split())
    if not diagnosis:
        errors["diagnosis"] = "请填写诊断（诊断结论或评估意见）"
    try:
        guardian_name = name_clean(guardian_name, label="监护人姓名")
    except FieldError as exc:
        errors["guardian_name"] = str(exc)
    try:
        guardian_phone = phone_clean(guardian_phone, label="监护人电话")
    except FieldError as exc:
        errors["guardian_phone"] = str(exc)
    else:
        if not guardian_phone:
            errors["guardian_phone"] = "请填写监护人电话，以便联系监护人"
    if not isinstance(area, Area) or area.level != Level.COMMUNITY or not area.is_active:
        errors["area"] = "请选择儿童所在的村(居)"
    if errors:
        raise ValidationError(errors)
    require_in_scope(user, area.code)
    return {
        "disability": disability,
        "diagnosis": diagnosis[:200],
        "guardian_name": guardian_name,
        "guardian_phone": guardian_phone,
        "area": area,
    }


def _unique_identity(identity: dict, exclude: int | None = None) -> None:
    others = Child.objects.exclude(pk=exclude)
    if identity["id_number"] and others.filter(id_number=identity["id_number"]).exists():
        raise ValidationError({"id_number": "该身份证号的儿童已登记，请勿重复登记（可能在其他镇街）"})
    if identity["birth_certificate"] and others.filter(birth_certificate=identity["birth_certificate"]).exists():
        raise ValidationError({"birth_certificate": "该出生医学证明编号的儿童已登记，请勿重复登记（可能在其他镇街）"})


@scope_rechecked
def child_register(
    *,
    user,
    name: str,
    gender: str,
    id_number: str,
    birth_certificate: str,
    birth_date: datetime.date | None,
    disability: str,
    diagnosis: str,
    diagnosed_by: str = "",
    guardian_name: str,
    guardian_phone: str,
    area,
    address: str = "",
) -> Child:
    """Record a child for the assistance, with or without a certificate. A child whose ID
    number a registered person has is linked to that person at once."""
    _require(user, "rehab.add_child", "登记康复救助儿童")
    errors = {}
    try:
        name = name_clean(name)
    except FieldError as exc:
        errors["name"] = str(exc)
    try:
        identity = _identity(
            id_number=id_number, birth_certificate=birth_certificate, birth_date=birth_date, gender=gender
        )
    except ValidationError as exc:
        errors.update({field: messages[0] for field, messages in exc.message_dict.items()})
    try:
        details = _details(
            user=user,
            disability=disability,
            diagnosis=diagnosis,
            guardian_name=guardian_name,
            guardian_phone=guardian_phone,
            area=area,
        )
    except ValidationError as exc:
        errors.update({field: messages[0] for field, messages in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    _unique_identity(identity)
    child = Child(
        name=name,
        **identity,
        **details,
        diagnosed_by=_text(diagnosed_by, 100),
        address=_text(address, 200),
        registered_by=user,
    )
    child._history_user = user
    try:
        with transaction.atomic():
            child.save(force_insert=True)
    except IntegrityError:  # registered by another clerk meanwhile
        raise ValidationError("该儿童已登记，请勿重复登记（可能在其他镇街）") from None
    audit_write(action="rehab.child.registered", user=user, obj=child)
    if child.id_number:
        person = Person.objects.filter(id_number=child.id_number).first()
        if person is not None and not Child.objects.filter(person=person).exists():
            _link(child, person, user=user, automatic=True)
    return child


def _text(value: object, length: int) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(value or "")).split())[:length]


@scope_rechecked
def child_update(
    *,
    user,
    child: Child,
    disability: str,
    diagnosis: str,
    diagnosed_by: str,
    guardian_name: str,
    guardian_phone: str,
    area,
    address: str,
    id_number: str = "",
) -> Child:
    """Edit what may change of a child: the disability and diagnosis, the guardian, the
    community and address; and the ID number of a child recorded by birth certificate, once
    issued (then linked if a registered person has it). A blank guardian phone keeps the one
    stored (the form shows it masked). A new community moves the child's applications and
    assessments with the child; the records keep the community they were given in."""
    _require(user, "rehab.change_child", "修改康复救助儿童信息")
    locked = _locked_child(user, child)
    details = _details(
        user=user,
        disability=disability,
        diagnosis=diagnosis,
        guardian_name=guardian_name,
        guardian_phone=guardian_phone or locked.guardian_phone,
        area=area,
    )
    if normalize(id_number) and not locked.id_number:
        identity = _identity(
            id_number=id_number,
            birth_certificate=locked.birth_certificate,
            birth_date=locked.birth_date,
            gender=locked.gender,
        )
        _unique_identity(identity, exclude=locked.pk)
        locked.id_number = identity["id_number"]
    moved = details["area"].code != locked.area_id
    for field, value in details.items():
        setattr(locked, field, value)
    locked.diagnosed_by, locked.address = _text(diagnosed_by, 100), _text(address, 200)
    locked._history_user = user
    locked.save()
    if moved:
        ChildApplication.objects.filter(child=locked).update(area_code=locked.area_id)
        ChildAssessment.objects.filter(child=locked).update(area_code=locked.area_id)
        records_changed.send(sender=ChildAssessment, source="rehab")
    if locked.person_id is None and locked.id_number:
        person = Person.objects.filter(id_number=locked.id_number).first()
        if person is not None and not Child.objects.filter(person=person).exists():
            _link(locked, person, user=user, automatic=True)
    return locked


# Linking to the registry ------------------------------------------------------------------


def _link(child: Child, person: Person, *, user, automatic: bool) -> None:
    child.person = person
    child.linked_at = timezone.now()
    if not child.id_number:
        child.id_number = person.id_number
    child._history_user = user
    child.save(update_fields=["person", "linked_at", "id_number", "updated_at"])
    audit_write(action="rehab.child.linked", user=user, obj=child, person=person, data={"automatic": automatic})
    # The child's assessments now count as the person (one subject): the coverage changes.
    records_changed.send(sender=ChildAssessment, source="rehab")


@transaction.atomic
def child_link(*, user, child: Child, person: Person) -> Child:
    """Link a child to the certified person they are (关联持证信息): the person must be one
    the user may see, with the child's ID number — or, for a child recorded by birth
    certificate, the same name and birth date (the child then takes the person's ID
    number). Neither may be linked already."""
    _require(user, "rehab.change_child", "关联持证信息")
    locked = _locked_child(user, child)
    require_in_scope(user, person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if locked.person_id is not None:
        raise ValidationError("该儿童已关联持证信息")
    if Child.objects.filter(person=person).exists():
        raise ValidationError("该持证人员已关联另一名救助儿童")
    if locked.id_number:
        if locked.id_number != person.id_number:
            raise ValidationError("该持证人员的身份证号与儿童登记的身份证号不一致，不能关联")
    elif (person.name, person.birth_date) != (locked.name, locked.birth_date):
        raise ValidationError("该持证人员的姓名或出生日期与儿童登记的不一致，不能关联")
    elif Child.objects.filter(id_number=person.id_number).exists():
        raise ValidationError("该持证人员的身份证号已登记为另一名救助儿童")
    _link(locked, person, user=user, automatic=False)
    return locked


@transaction.atomic
def children_link_registered() -> int:
    """Link every child not yet linked whose ID number a registered person now has: the
    registry's writes (a person registered or imported, an ID number corrected) call it
    through `records_changed`, in their own transaction, so a person and the link to the
    child commit together. One statement finds them (the children not linked are few:
    their ID numbers are looked up by the persons' unique index); each link is saved with
    its history and an audit entry, without a user."""
    same_number = Person.objects.filter(id_number=OuterRef("id_number"))
    taken = Child.objects.filter(person=OuterRef("found"))
    matches = (
        Child.objects.filter(person__isnull=True)
        .exclude(id_number="")
        .annotate(found=Subquery(same_number.values("pk")[:1]))
        .filter(found__isnull=False)
        .exclude(Exists(taken))
        .select_for_update(of=("self",))
    )
    linked = 0
    for child in matches:
        _link(child, Person.objects.get(pk=child.found), user=None, automatic=True)
        linked += 1
    return linked


def registry_changed_link(sender, *, source: str, ids_changed: bool = True, **kwargs) -> None:
    """Receiver of `records_changed`: after the registry's writes that may add a person or
    change an ID number (`ids_changed`; a status event does neither), link the children."""
    if source == "registry" and sender is Person and ids_changed:
        children_link_registered()


# Assessment -------------------------------------------------------------------------------


@transaction.atomic
def child_assess(
    *, user, child: Child, year: int, has_need: bool, assessed_on: datetime.date, note: str = ""
) -> tuple[ChildAssessment, bool]:
    """Record the child's rehabilitation needs assessment of a year; a second one in the
    same year replaces the first (kept in the history). Returns (assessment, created)."""
    _require(user, "rehab.add_childassessment", "登记儿童康复需求评估")
    locked = _locked_child(user, child)
    _not_future(assessed_on, "评估日期")
    if assessed_on < locked.birth_date:
        raise ValidationError(f"评估日期不能早于出生日期（{locked.birth_date:%Y-%m-%d}）")
    if assessed_on.year != year:
        raise ValidationError(f"评估日期应在 {year} 年内")
    existing = ChildAssessment.objects.select_for_update().filter(child=locked, year=year).first()
    if existing is not None and not user.has_perm("rehab.change_childassessment"):
        raise PermissionDenied("您没有修改儿童康复需求评估的权限")
    assessment = existing or ChildAssessment(child=locked, year=year)
    assessment.area_code = locked.area_id
    assessment.has_need = has_need
    assessment.assessed_on = assessed_on
    assessment.note = _text(note, 200)
    assessment.assessed_by = user
    assessment._history_user = user
    assessment.save()
    records_changed.send(sender=ChildAssessment, source="rehab", year=year)
    return assessment, existing is None


# Applications -----------------------------------------------------------------------------


def standard_for(year: int, kind: str) -> ChildRehabStandard:
    standard = ChildRehabStandard.objects.filter(year=year, kind=kind).first()
    if standard is None:
        label = AssistanceKind(kind).label
        raise ValidationError(f"尚未设定 {year} 年“{label}”的救助标准（年度限额和年龄上限），请联系区残联管理员设定")
    return standard


def year_used_fen(child: Child, kind: str, year: int, *, exclude: int | None = None) -> int:
    """What the child's applications of `kind` in `year` take of the cap: approved amounts of
    those approved or placed, settled amounts of those closed."""
    applications = ChildApplication.objects.filter(child=child, kind=kind, year=year).exclude(pk=exclude)
    running = applications.filter(state__in=[State.APPROVED, State.PLACED]).aggregate(total=Sum("approved_fen"))
    closed = applications.filter(state=State.CLOSED).aggregate(total=Sum("settled_fen"))
    return (running["total"] or 0) + (closed["total"] or 0)


def _check_cap(child: Child, standard: ChildRehabStandard, amount_fen: int, *, exclude: int | None = None) -> None:
    used = year_used_fen(child, standard.kind, standard.year, exclude=exclude)
    if used + amount_fen > standard.cap_fen:
        left = max(standard.cap_fen - used, 0)
        raise ValidationError(
            f"超出年度救助限额：{standard.year} 年“{standard.get_kind_display()}”每名儿童限额 "
            f"{yuan(standard.cap_fen)} 元，已使用 {yuan(used)} 元，尚可申请 {yuan(left)} 元，本次 {yuan(amount_fen)} 元"
        )


def _audit(application: ChildApplication, user, action: str, **data) -> None:
    audit_write(
        action=f"rehab.child_application.{action}",
        user=user,
        obj=application,
        person=application.child.person_id,
        data={"state": application.state, **data},
    )


@transaction.atomic
def child_apply(
    *,
    user,
    child: Child,
    kind: str,
    priority_group: str,
    applied_on: datetime.date,
    requested_fen: int,
    applicant_name: str = "",
    note: str = "",
) -> ChildApplication:
    """Take the guardian's application (受理) for one kind of assistance. Refused: a child
    past the kind's age limit on the day of application, an amount beyond what is left of
    the year's cap, a second open application of the kind in the year."""
    _require(user, "rehab.add_childapplication", "受理残疾儿童康复救助申请")
    locked = _locked_child(user, child)
    if kind not in AssistanceKind.values:
        raise ValidationError("请选择救助类别（手术、辅助器具或康复训练）")
    if priority_group not in PriorityGroup.values:
        raise ValidationError("请选择救助对象类别（低保/特困家庭、孤儿或其他困难家庭）")
    _not_future(applied_on, "申请日期")
    if applied_on < locked.birth_date:
        raise ValidationError(f"申请日期不能早于出生日期（{locked.birth_date:%Y-%m-%d}）")
    standard = standard_for(applied_on.year, kind)
    age = locked.age_on(applied_on)
    if age > standard.max_age:
        raise ValidationError(
            f"该儿童申请时已满 {age} 周岁，超过{standard.get_kind_display()}救助的年龄上限（0–{standard.max_age} 周岁）"
        )
    if requested_fen is None or requested_fen <= 0:
        raise ValidationError("申请金额应大于 0 元")
    open_one = ChildApplication.objects.filter(
        child=locked, kind=kind, year=applied_on.year, state__in=ChildApplication.OPEN
    ).first()
    if open_one is not None:
        raise ValidationError(
            f"该儿童 {applied_on.year} 年已有一份“{open_one.get_kind_display()}”救助申请在办理中"
            f"（{open_one.get_state_display()}），不能重复申请"
        )
    _check_cap(locked, standard, requested_fen)
    applicant = applicant_name.strip() or locked.guardian_name
    try:
        applicant = name_clean(applicant, label="申请人姓名")
    except FieldError as exc:
        raise ValidationError(str(exc)) from None
    try:
        with transaction.atomic():
            application = ChildApplication.objects.create(
                child=locked,
                area_code=locked.area_id,
                year=applied_on.year,
                kind=kind,
                priority_group=priority_group,
                applied_on=applied_on,
                applicant_name=applicant,
                requested_fen=requested_fen,
                note=_text(note, 200),
                submitted_by=user,
            )
    except IntegrityError:  # another clerk's, committed meanwhile
        raise ValidationError(f"该儿童 {applied_on.year} 年已有一份同类救助申请在办理中，不能重复申请") from None
    _audit(application, user, "submitted", requested_fen=requested_fen)
    return application


def _locked_application(user, application: ChildApplication, *, expected: tuple[str, ...]) -> ChildApplication:
    """The application locked (after its child: the order every writer takes), once known to
    be in the user's scope, and in one of the `expected` states."""
    require_in_scope(user, application)
    _locked_child(user, application.child)
    locked = ChildApplication.objects.select_for_update().select_related("child").get(pk=application.pk)
    require_in_scope(user, locked)
    if locked.state not in expected:
        raise ValidationError(f"申请当前状态为“{locked.get_state_display()}”，不能执行此操作")
    return locked


@transaction.atomic
def child_application_decide(
    *, user, application: ChildApplication, approve: bool, approved_fen: int | None = None, reason: str = ""
) -> ChildApplication:
    """The district's decision (区残联审核): approve with an amount (by default the one
    asked, never more, within what is left of the year's cap), or reject with a reason.
    Only a district user decides, and never an application they took themselves."""
    _require(user, "rehab.decide_childapplication", "审批残疾儿童康复救助申请")
    require_district(user, DISTRICT_DECIDES)
    locked = _locked_application(user, application, expected=(State.SUBMITTED,))
    if locked.submitted_by_id == user.pk:
        raise PermissionDenied("审批人不能审批自己受理的申请")
    reason = _text(reason, 200)
    if approve:
        amount = locked.requested_fen if approved_fen is None else approved_fen
        if amount <= 0:
            raise ValidationError("批准金额应大于 0 元")
        if amount > locked.requested_fen:
            raise ValidationError(f"批准金额不能高于申请金额（{yuan(locked.requested_fen)} 元）")
        age = locked.child.age_on(locked.applied_on)
        standard = standard_for(locked.year, locked.kind)
        if age > standard.max_age:  # the standard was changed since the application
            raise ValidationError(f"该儿童申请时已满 {age} 周岁，超过救助年龄上限（0–{standard.max_age} 周岁）")
        _check_cap(locked.child, standard, amount, exclude=locked.pk)
        locked.state, locked.approved_fen = State.APPROVED, amount
    else:
        if not reason:
            raise ValidationError("不予批准须填写原因")
        locked.state = State.REJECTED
    locked.decided_by, locked.decided_at, locked.decision_reason = user, timezone.now(), reason
    locked.save()
    _audit(locked, user, "approved" if approve else "rejected", approved_fen=locked.approved_fen, reason=reason)
    return locked


@transaction.atomic
def child_application_place(
    *, user, application: ChildApplication, institution: Provider, placed_on: datetime.date
) -> ChildApplication:
    """Place the approved child at a designated institution (安置到定点机构), in the year of
    the application; from then on the institution's services are recorded against it."""
    _require(user, "rehab.place_childapplication", "安置残疾儿童")
    require_district(user, DISTRICT_DECIDES)
    locked = _locked_application(user, application, expected=(State.APPROVED,))
    if not institution.is_active or not institution.serves_children:
        raise ValidationError(f"“{institution.name}”不是在用的残疾儿童康复救助定点机构")
    _not_future(placed_on, "安置日期")
    if placed_on.year != locked.year:
        raise ValidationError(f"安置日期应在申请年度 {locked.year} 年内")
    if placed_on < locked.applied_on:
        raise ValidationError(f"安置日期不能早于申请日期（{locked.applied_on:%Y-%m-%d}）")
    locked.state, locked.institution, locked.placed_on, locked.placed_by = State.PLACED, institution, placed_on, user
    locked.save()
    _audit(locked, user, "placed", institution=institution.name, placed_on=placed_on.isoformat())
    return locked


@transaction.atomic
def child_application_close(
    *, user, application: ChildApplication, closed_on: datetime.date, reason: str = ""
) -> ChildApplication:
    """Close a placement (结案): the amount settled is what its standing records cost, and
    from then on that, not the approved amount, is what the year's cap counts."""
    _require(user, "rehab.place_childapplication", "结案")
    require_district(user, DISTRICT_DECIDES)
    locked = _locked_application(user, application, expected=(State.PLACED,))
    _not_future(closed_on, "结案日期")
    records = ChildRehabRecord.objects.standing().filter(application=locked)
    last = records.order_by("-served_on").values_list("served_on", flat=True).first()
    if closed_on < (last or locked.placed_on):
        raise ValidationError(f"结案日期不能早于安置日期或最后一次服务（{(last or locked.placed_on):%Y-%m-%d}）")
    settled = records.aggregate(total=Sum("amount_fen"))["total"] or 0
    locked.state, locked.closed_on, locked.closed_by = State.CLOSED, closed_on, user
    locked.close_reason, locked.settled_fen = _text(reason, 200), settled
    locked.save()
    _audit(locked, user, "closed", settled_fen=settled)
    return locked


@transaction.atomic
def child_application_withdraw(*, user, application: ChildApplication, reason: str) -> ChildApplication:
    """The guardian withdraws an application not yet placed (撤回), with the reason."""
    _require(user, "rehab.add_childapplication", "撤回残疾儿童康复救助申请")
    locked = _locked_application(user, application, expected=(State.SUBMITTED, State.APPROVED))
    reason = _text(reason, 200)
    if not reason:
        raise ValidationError("撤回申请须填写原因")
    locked.state, locked.close_reason, locked.closed_by, locked.closed_on = (
        State.WITHDRAWN,
        reason,
        user,
        timezone.localdate(),
    )
    locked.save()
    _audit(locked, user, "withdrawn", reason=reason)
    return locked


# Records ----------------------------------------------------------------------------------


@transaction.atomic
def child_record(
    *,
    user,
    application: ChildApplication,
    served_on: datetime.date,
    content: str,
    amount_fen: int,
    sessions: int = 1,
    note: str = "",
) -> ChildRehabRecord:
    """Record a service the placed child received (a training period, a device, an
    operation), at the placement's institution, within the application's year and its
    approved amount."""
    _require(user, "rehab.add_childrehabrecord", "登记残疾儿童康复救助服务")
    locked = _locked_application(user, application, expected=(State.PLACED,))
    content = _text(content, 100)
    if not content:
        raise ValidationError("请填写服务内容（训练项目、器具名称或手术名称）")
    _not_future(served_on, "服务日期")
    if served_on < locked.placed_on:
        raise ValidationError(f"服务日期不能早于安置日期（{locked.placed_on:%Y-%m-%d}）")
    if served_on.year != locked.year:
        raise ValidationError(f"服务日期应在申请年度 {locked.year} 年内")
    if sessions is None or sessions < 1:
        raise ValidationError("服务次数至少为 1 次")
    if sessions > MAX_SESSIONS:
        raise ValidationError(f"一条记录的服务次数不能超过 {MAX_SESSIONS} 次，请检查是否输入有误")
    if amount_fen is None or amount_fen < 0:
        raise ValidationError("金额不能为负数")
    spent = ChildRehabRecord.objects.standing().filter(application=locked).aggregate(total=Sum("amount_fen"))
    spent = spent["total"] or 0
    if spent + amount_fen > locked.approved_fen:
        raise ValidationError(
            f"超出批准金额：批准 {yuan(locked.approved_fen)} 元，已登记 {yuan(spent)} 元，本次 {yuan(amount_fen)} 元"
        )
    record = ChildRehabRecord.objects.create(
        application=locked,
        child=locked.child,
        area_code=locked.child.area_id,
        year=locked.year,
        served_on=served_on,
        content=content,
        sessions=sessions,
        amount_fen=amount_fen,
        note=_text(note, 200),
        recorded_by=user,
    )
    records_changed_once(ChildRehabRecord, locked.year)
    return record


@transaction.atomic
def child_record_void(*, user, record: ChildRehabRecord, reason: str) -> ChildRehabRecord:
    """Void (作废) a mistaken record of an application still running: it stops counting in
    the coverage and the amounts, and keeps who voided it, when and why."""
    _require(user, "rehab.void_childrehabrecord", "作废残疾儿童康复救助服务记录")
    require_in_scope(user, record)
    locked = ChildRehabRecord.objects.select_for_update().select_related("application").get(pk=record.pk)
    require_in_scope(user, locked)
    if locked.voided_at is not None:
        raise ValidationError(f"该记录已于 {timezone.localtime(locked.voided_at):%Y-%m-%d %H:%M} 作废")
    if locked.application.state == State.CLOSED:
        raise ValidationError("该申请已结案，其服务记录不能再作废")
    reason = _text(reason, 200)
    if not reason:
        raise ValidationError("请填写作废原因")
    locked.voided_at, locked.voided_by, locked.void_reason = timezone.now(), user, reason
    locked.save(update_fields=["voided_at", "voided_by", "void_reason"])
    audit_write(action="rehab.child_record.voided", user=user, obj=locked, data={"reason": reason})
    records_changed_once(ChildRehabRecord, locked.year)
    return locked


def persons_moved_children(sender, *, moves: dict[int, str], **kwargs) -> None:
    """Receiver of `persons_moved`: a linked child moves with their person, and the child's
    applications and assessments with the child (records keep their community). The linked
    children are few, so they are read whole and matched here: an import's move of 100,000
    persons asks no query with 100,000 ids."""
    moved = [
        (pk, moves[person_id])
        for pk, person_id, area in Child.objects.filter(person__isnull=False).values_list("pk", "person_id", "area_id")
        if person_id in moves and moves[person_id] != area
    ]
    for pk, area_code in moved:
        child = Child.objects.select_for_update().get(pk=pk)
        child.area_id = area_code
        child.save(update_fields=["area", "updated_at"])
        ChildApplication.objects.filter(child=child).update(area_code=area_code)
        ChildAssessment.objects.filter(child=child).update(area_code=area_code)
    if moved:
        records_changed.send(sender=ChildAssessment, source="rehab")
