"""Recording outreach work. Each service is atomic, checks the permission and the person's
scope through the record base (`canlian.records.record_create`: the stored person, locked;
the day inside the person's life), and refuses bad input with a reason in Chinese,
writing nothing."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from canlian.audit import audit_write
from canlian.records import record_create, record_void, records_changed_once
from canlian.scoping import require_in_scope
from outreach.models import HomeVisit, NeedKind, VisitNeed, VisitPhoto
from registry.models import Person

MAX_PHOTOS = 10
PHOTO_MAX_BYTES = 5 * 1048576  # settings.OUTREACH_PHOTO_MAX_BYTES overrides it
# The first bytes of each image type a photo may have; anything else is refused, whatever
# its name or the browser's claimed type says.
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def photo_type(head: bytes) -> str | None:
    """The image type of a file from its first bytes (JPEG, PNG), or None."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def photos_check(uploads: Iterable) -> list[tuple[object, str]]:
    """Each upload with its image type; a file that is not a JPEG or PNG image, one
    above `PHOTO_MAX_BYTES` or more than `MAX_PHOTOS` files are refused."""
    uploads = list(uploads)
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(f"一次走访最多上传 {MAX_PHOTOS} 张照片")
    limit = getattr(settings, "OUTREACH_PHOTO_MAX_BYTES", PHOTO_MAX_BYTES)
    checked = []
    for upload in uploads:
        name = getattr(upload, "name", "") or "照片"
        if upload.size > limit:
            raise ValidationError(f"照片“{name}”超过 {limit // 1048576} MB，请压缩后再上传")
        upload.seek(0)
        content_type = photo_type(upload.read(16))
        upload.seek(0)
        if content_type is None:
            raise ValidationError(f"“{name}”不是照片：只接受 JPG 或 PNG 格式的图片")
        checked.append((upload, content_type))
    return checked


def _needs_in_order(needs: Iterable[str]) -> list[str]:
    needs = list(needs)
    unknown = [kind for kind in needs if kind not in NeedKind.values]
    if unknown:
        raise ValidationError(f"未知的需求类别：{'、'.join(unknown)}")
    return [kind for kind in NeedKind.values if kind in needs]


@transaction.atomic
def visit_record(
    *,
    user: User,
    person: Person,
    visited_on: datetime.date,
    visitors: Iterable[User] = (),
    other_visitors: str = "",
    findings: str = "",
    needs: Iterable[str] = (),
    money: Decimal = Decimal("0"),
    gifts: str = "",
    follow_up_on: datetime.date | None = None,
    photos: Iterable = (),
) -> HomeVisit:
    """Record a home visit: the record base's checks (permission, scope, the day against
    the person's life), the visit's own (`HomeVisit.clean`), at least one visitor, then an
    open item for each need raised and the photos, checked before anything is written."""
    visitors = list(visitors)
    other_visitors = " ".join(other_visitors.split())[:200]
    if not visitors and not other_visitors:
        raise ValidationError("请至少填写一名走访人")
    checked_photos = photos_check(photos)
    needs = _needs_in_order(needs)
    visit = record_create(
        model=HomeVisit,
        user=user,
        person=person,
        visited_on=visited_on,
        other_visitors=other_visitors,
        findings=findings.strip(),
        needs=needs,
        money=money if money is not None else Decimal("0"),
        gifts=" ".join(gifts.split())[:200],
        follow_up_on=follow_up_on,
    )
    if visitors:
        visit.visitors.set(visitors)
    VisitNeed.objects.bulk_create(
        VisitNeed(
            person_id=visit.person_id,
            area_code=visit.area_code,
            recorded_by=user,
            visit=visit,
            kind=kind,
            raised_on=visited_on,
        )
        for kind in needs
    )
    now = timezone.now()
    for upload, content_type in checked_photos:
        photo = VisitPhoto(
            visit=visit,
            original_name=(getattr(upload, "name", "") or "")[:200],
            content_type=content_type,
            size=upload.size,
            uploaded_by=user,
            created_at=now,
        )
        photo.file.save("photo", upload, save=False)
        photo.save()
    if needs:
        records_changed_once(VisitNeed, visited_on.year)
    return visit


@transaction.atomic
def visit_void(*, user: User, visit: HomeVisit, reason: str) -> HomeVisit:
    """Void a mistaken visit: it stops counting anywhere, and its needs still open are
    voided with it (the closed ones keep what was done)."""
    visit = record_void(record=visit, user=user, reason=reason)
    now = timezone.now()
    open_needs = VisitNeed.objects.standing().filter(visit=visit, closed_on__isnull=True)
    for need in open_needs.select_for_update():
        need.voided_at, need.voided_by, need.void_reason = now, user, f"走访记录已作废：{visit.void_reason}"[:200]
        need.save(update_fields=["voided_at", "voided_by", "void_reason"])
    return visit


@transaction.atomic
def need_close(*, user: User, need: VisitNeed, outcome: str, closed_on: datetime.date) -> VisitNeed:
    """Close an open need with what was done (办理结果), by the town now responsible for
    the person (the need's `area_code`)."""
    if not user.has_perm("outreach.close_visitneed"):
        raise PermissionDenied("您没有办结走访需求的权限")
    locked = VisitNeed.objects.select_for_update().get(pk=need.pk)
    require_in_scope(user, locked)
    if locked.voided_at is not None:
        raise ValidationError("该需求已作废，不能办结")
    if locked.closed_on is not None:
        raise ValidationError(f"该需求已于 {locked.closed_on:%Y-%m-%d} 办结")
    outcome = " ".join(outcome.split())
    if not outcome:
        raise ValidationError("请填写办理结果")
    if closed_on is None:
        raise ValidationError("请填写办结日期")
    if closed_on > datetime.date.today():
        raise ValidationError("办结日期不能晚于今天")
    if closed_on < locked.raised_on:
        raise ValidationError(f"办结日期不能早于发现需求的日期（{locked.raised_on:%Y-%m-%d}）")
    locked.closed_on, locked.closed_by, locked.outcome = closed_on, user, outcome[:500]
    locked.save(update_fields=["closed_on", "closed_by", "outcome"])
    audit_write(action="outreach.need.closed", user=user, obj=locked, data={"outcome": locked.outcome})
    records_changed_once(VisitNeed, closed_on.year)
    return locked
