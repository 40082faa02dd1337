"""Change requests (变更申请) of a person's key fields: the bank account, the household
registration area (户籍), the guardian, and the economic status outside a comparison list.

A town officer asks with evidence (`change_request_create`); a district reviewer who did
not ask decides (`change_request_decide`, the payroll's "prepared by one, approved by
another"). Until then the old value is in force: the edit form no longer changes these
fields. On approval the change is applied as a dated change: the economic status as a
`PersonEvent` (`person_event_record`), the other fields through `person_update`, so the
person's history keeps who changed it (the reviewer) and why (the request). Every step is
an audit entry; the request itself is the person's timeline entry.
"""

import datetime
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from areas.models import Area, Level
from canlian.audit import audit_write
from canlian.scoping import require_in_scope
from registry.identifiers import mask_account, mask_phone
from registry.models import ChangeRequest, EconomicStatus, EventKind, Person, Status
from registry.services import person_event_record, person_update
from registry.validators import FieldError, bank_account_clean, name_clean, phone_clean

Field = ChangeRequest.Field

# The person's fields each kind of request changes (their attribute names on Person).
REQUEST_FIELDS: dict[str, tuple[str, ...]] = {
    Field.BANK: ("bank_name", "bank_account"),
    Field.AREA: ("area_id",),
    Field.GUARDIAN: ("guardian_name", "guardian_phone"),
    Field.ECONOMIC: ("economic_status",),
}
# The person form's fields that change only by a request once a person is registered.
FORM_FIELDS_BY_REQUEST = ("area", "guardian_name", "guardian_phone", "bank_name", "bank_account")

VALUE_LABELS = {
    "bank_name": "开户银行",
    "bank_account": "银行账号",
    "area_id": "户籍村(居)",
    "guardian_name": "监护人姓名",
    "guardian_phone": "监护人电话",
    "economic_status": "经济状况",
}
# Identifiers among the values: shown masked unless revealed (a logged reveal).
VALUE_MASKS = {"bank_account": mask_account, "guardian_phone": mask_phone}

# Evidence: a scan or photo of the bank card, the household register, the court's or the
# civil-affairs decision, or the civil-affairs workbook; each type by its first bytes.
EVIDENCE_TYPES = {
    ".pdf": b"%PDF",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".xlsx": b"PK\x03\x04",
}
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024


def evidence_check(upload) -> None:
    """Refuse (ValidationError, in Chinese) a file that is not a PDF, JPG, PNG or xlsx by
    its name and its first bytes, or is larger than `EVIDENCE_MAX_BYTES`."""
    if upload is None:
        raise ValidationError("请上传证明材料（PDF、JPG、PNG 或 Excel 文件）")
    name = upload.name or ""
    extension = Path(name).suffix.lower()
    if extension not in EVIDENCE_TYPES:
        raise ValidationError(f"“{name}”不是 PDF、JPG、PNG 或 Excel（xlsx）文件，请上传这几种格式的证明材料")
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(f"“{name}”超过 {EVIDENCE_MAX_BYTES // (1024 * 1024)} MB，请压缩后再上传")
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(EVIDENCE_TYPES[extension]):
        raise ValidationError(f"“{name}”的内容与扩展名 {extension} 不符，请上传原始文件")


def current_values(person: Person, field: str) -> dict[str, str]:
    return {name: str(getattr(person, name) or "") for name in REQUEST_FIELDS[field]}


def _rule(rule, value, label: str) -> str:
    try:
        return rule(value, label=label)
    except FieldError as exc:
        raise ValidationError(str(exc)) from None


def _new_values(person: Person, field: str, values: dict) -> dict[str, str]:
    """The requested values of `field`, checked by the fields' own rules."""
    if field == Field.BANK:
        bank_name = " ".join(str(values.get("bank_name") or "").split())
        account = _rule(bank_account_clean, values.get("bank_account"), "银行账号")
        if not bank_name or not account:
            raise ValidationError("请填写新的开户银行和银行账号")
        return {"bank_name": bank_name[:60], "bank_account": account}
    if field == Field.GUARDIAN:
        name = str(values.get("guardian_name") or "").strip()
        return {
            "guardian_name": _rule(name_clean, name, "监护人姓名") if name else "",
            "guardian_phone": _rule(phone_clean, values.get("guardian_phone"), "监护人电话"),
        }
    if field == Field.AREA:
        code = str(values.get("area_id") or "")
        area = Area.objects.filter(code=code).first()
        if area is None or area.level != Level.COMMUNITY or not area.is_active or code[:6] != person.area_id[:6]:
            raise ValidationError("新的户籍村(居)不在本区现行的村(居)范围内，请重新选择")
        return {"area_id": code}
    if field == Field.ECONOMIC:
        status = str(values.get("economic_status") or "")
        if status not in EconomicStatus.values:
            raise ValidationError("经济状况应为 无、低保、低保边缘 或 特困")
        return {"economic_status": status}
    raise ValidationError("不能申请变更该事项")


@transaction.atomic
def change_request_create(
    *,
    user: User,
    person: Person,
    field: str,
    values: dict,
    reason: str,
    evidence,
    effective_on: datetime.date | None = None,
) -> ChangeRequest:
    """Ask for a change of `field` of `person` to `values`, with `evidence` (an upload).
    Refused with a Chinese message, writing nothing, for a person no longer active, a
    request that changes nothing, a second pending request of the same field, or a value
    its rule refuses (an area outside the district)."""
    if not user.has_perm("registry.add_changerequest"):
        raise PermissionDenied("您没有提出变更申请的权限")
    locked = Person.objects.select_for_update().get(pk=person.pk)
    require_in_scope(user, locked)
    if locked.status != Status.ACTIVE:
        raise ValidationError(f"该人员状态为“{locked.get_status_display()}”，不能申请变更")
    if field not in REQUEST_FIELDS:
        raise ValidationError("不能申请变更该事项")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError("请填写申请理由")
    new = _new_values(locked, field, values)
    old = current_values(locked, field)
    if new == old:
        raise ValidationError(f"新填写的{Field(field).label}与现在登记的相同，无需申请变更")
    if field == Field.ECONOMIC:
        today = timezone.localdate()
        if effective_on is None:
            raise ValidationError("请填写经济状况变更的生效日期")
        if effective_on > today:
            raise ValidationError("生效日期不能晚于今天")
        if effective_on < locked.birth_date:
            raise ValidationError("生效日期不能早于出生日期")
    else:
        effective_on = None
    if ChangeRequest.objects.filter(person=locked, field=field, state=ChangeRequest.State.PENDING).exists():
        raise ValidationError(f"该人员已有一项待审核的{Field(field).label}变更申请，请等待审核结果后再申请")
    evidence_check(evidence)
    request = ChangeRequest(
        person=locked,
        field=field,
        old_value=old,
        new_value=new,
        effective_on=effective_on,
        reason=reason[:200],
        evidence_name=Path(evidence.name).name[:120],
        requested_by=user,
    )
    request.evidence.save(f"{locked.pk}{Path(evidence.name).suffix.lower()}", evidence, save=False)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        # Two officers at once: the unique pending (person, field) took the other's.
        request.evidence.delete(save=False)
        raise ValidationError(f"该人员已有一项待审核的{Field(field).label}变更申请，请等待审核结果后再申请") from None
    audit_write(action="registry.change.requested", user=user, obj=request, data={"field": field})
    return request


@transaction.atomic
def change_request_decide(*, user: User, request: ChangeRequest, approve: bool, reason: str = "") -> ChangeRequest:
    """A district reviewer's decision. Never by the one who asked; a rejection needs its
    reason; an approval applies the change at once (an economic status as a dated event
    from the request's day, the other fields as an edit by the reviewer), and is refused
    when the person is no longer active or the field changed since the request."""
    if not user.has_perm("registry.decide_changerequest"):
        raise PermissionDenied("您没有审核变更申请的权限")
    locked = ChangeRequest.objects.select_for_update().select_related("person").get(pk=request.pk)
    require_in_scope(user, locked)
    if locked.state != ChangeRequest.State.PENDING:
        raise ValidationError(f"该申请已审核（{locked.get_state_display()}），不能重复审核")
    if locked.requested_by_id == user.pk:
        raise PermissionDenied("审核人不能审核自己提出的变更申请，请由另一位审核员审核")
    reason = " ".join((reason or "").split())
    locked.decided_by, locked.decided_at, locked.decision_reason = user, timezone.now(), reason[:200]
    if not approve:
        if not reason:
            raise ValidationError("不予批准须填写原因")
        locked.state = ChangeRequest.State.REJECTED
        locked.save()
        audit_write(action="registry.change.rejected", user=user, obj=locked, data={"field": locked.field})
        return locked
    person = Person.objects.select_for_update().get(pk=locked.person_id)
    if person.status != Status.ACTIVE:
        raise ValidationError(f"该人员状态已为“{person.get_status_display()}”，不能批准，请不予批准")
    if current_values(person, locked.field) != locked.old_value:
        raise ValidationError(
            f"申请提出后该人员的{locked.get_field_display()}已有变动，与申请时的原值不符：请不予批准，由镇街按现值重新申请"
        )
    note = f"变更申请 #{locked.pk}（{locked.get_field_display()}）"
    if locked.field == Field.ECONOMIC:
        person_event_record(
            user=user,
            person=person,
            kind=EventKind.ECONOMIC,
            date=locked.effective_on,
            value=locked.new_value["economic_status"],
            reason=f"{note}：{locked.reason}"[:200],
            source="变更申请",
        )
    else:
        person_update(user=user, person=person, data=dict(locked.new_value), change_reason=note)
    locked.state = ChangeRequest.State.APPROVED
    locked.save()
    audit_write(action="registry.change.approved", user=user, obj=locked, data={"field": locked.field})
    return locked


def value_rows(request: ChangeRequest, *, revealed: bool) -> list[tuple[str, str, str]]:
    """(label, old, new) of each value of the request as a user is shown them: area codes
    as names, economic statuses by their label, identifiers masked unless `revealed`."""
    names = {}
    if request.field == Field.AREA:
        codes = [request.old_value.get("area_id"), request.new_value.get("area_id")]
        names = {a.code: f"{a.parent.name if a.parent_id else ''} {a.name}".strip() for a in _areas(codes)}
    statuses = dict(EconomicStatus.choices)
    rows = []
    for name in REQUEST_FIELDS[request.field]:
        shown = []
        for values in (request.old_value, request.new_value):
            value = values.get(name, "")
            if name == "area_id":
                value = names.get(value, value)
            elif name == "economic_status":
                value = statuses.get(value, value)
            elif name in VALUE_MASKS and not revealed:
                value = VALUE_MASKS[name](value)
            shown.append(value or "—")
        rows.append((VALUE_LABELS[name], *shown))
    return rows


def _areas(codes):
    return Area.objects.filter(code__in=[c for c in codes if c]).select_related("parent")
