"""Psychological services (心理服务) for disabled persons, their families and federation
workers: cases, each with one counsellor (心理咨询师, a role of its own), and the sessions
the counsellor records.

Who sees what:

- a counsellor sees the cases they serve and nothing else of the registry: the counsellor
  scope provider (`counsellor_provider`, registered from `OutreachConfig.ready`) grants
  them the rows of the models that declare `scope_counsellor_field`;
- town officers and the district administrator see, through the area scope, that a case
  exists (client, counsellor, dates, session kinds, the risk flag, a referral): a risk or a
  referral is theirs to act on;
- a session's notes are read only with `outreach.view_psychsession_notes`, which only the
  counsellor role holds: `sessions_of` leaves the column out for everyone else;
- a leader sees the figures only (the indicators), no case.
"""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from areas.models import Area, Level
from canlian.records import check_day_of_person, record_void, records_changed_once
from canlian.scoping import require_in_scope
from outreach.forms import date_field, styled
from outreach.models import ClientKind, PsychCase, PsychSession, SessionKind
from registry.models import Person

NOTES = "outreach.view_psychsession_notes"
# How many days after a session flagged at risk the counsellor should see the client again
# (local practice: a parameter, not a rule of law).
RISK_FOLLOW_UP_DAYS = 7


def counsellor_provider(user, model) -> Q | None:
    """Counsellors see the cases they serve and those cases' sessions; nothing else."""
    if user.role != Role.COUNSELLOR:
        return None
    field = getattr(model, "scope_counsellor_field", None)
    return None if field is None else Q(**{field: user.pk})


# Selectors -----------------------------------------------------------------------------


def cases_visible_to(user) -> QuerySet:
    return PsychCase.objects.standing().visible_to(user)


def case_for_user(user, pk: int) -> PsychCase:
    rows = PsychCase.objects.visible_to(user).select_related("person", "related_person", "counsellor")
    return get_object_or_404(rows, pk=pk)


def session_rows(user) -> QuerySet:
    """Standing sessions, oldest first, as `user` may read them: without their notes (the
    column is not read) for a user outside the counsellor role. Narrowed to the cases the
    user sees by the caller (`sessions_of`, the API's prefetch of its cases)."""
    rows = PsychSession.objects.filter(voided_at__isnull=True).select_related("counsellor").order_by("held_on", "id")
    return rows if user.has_perm(NOTES) else rows.defer("notes")


def sessions_of(user, case: PsychCase) -> list[PsychSession]:
    """The standing sessions of a case the user sees (`session_rows`)."""
    return list(session_rows(user).filter(case=case))


def counsellor_choices() -> QuerySet:
    return User.objects.filter(is_active=True, role=Role.COUNSELLOR).order_by("last_name", "first_name", "username")


def risk_cases(user) -> QuerySet:
    """The open cases of the user's scope whose latest session was flagged at risk: the
    counsellor's work list."""
    return cases_visible_to(user).filter(closed_on__isnull=True, at_risk=True)


# Services ------------------------------------------------------------------------------


def _name(value: str, length: int) -> str:
    return " ".join((value or "").split())[:length]


@transaction.atomic
def case_open(
    *,
    user: User,
    opened_on: datetime.date,
    counsellor: User | None,
    client_kind: str,
    person: Person | None = None,
    client_name: str = "",
    related_person: Person | None = None,
    relationship: str = "",
    town: str = "",
) -> PsychCase:
    """Open a case for a registered person, or for a named other: a family member
    (related to a registered person, or the relationship in words), a federation worker,
    someone else. Its town is the person's, else the related person's, else the town of a
    town user, else (a district user, a counsellor) the client's `town`, chosen: every
    figure is counted by town and the district is their sum."""
    if not user.has_perm("outreach.add_psychcase"):
        raise PermissionDenied("您没有心理服务建档的权限")
    client_name, relationship = _name(client_name, 40), _name(relationship, 20)
    if client_kind not in ClientKind.values:
        raise ValidationError("请选择服务对象类别")
    if client_kind == ClientKind.PERSON:
        if person is None:
            raise ValidationError("请选择登记在册的残疾人，或填写服务对象姓名")
        client_name, related_person, relationship = "", None, ""
    else:
        person = None
        if not client_name:
            raise ValidationError("请选择登记在册的残疾人，或填写服务对象姓名")
        if client_kind == ClientKind.FAMILY and not relationship:
            raise ValidationError("请填写该家庭成员与残疾人的关系")
    if opened_on is None:
        raise ValidationError("请填写建档日期")
    if opened_on > timezone.localdate():
        raise ValidationError("建档日期不能晚于今天")
    anchor = person or related_person
    if anchor is not None:
        require_in_scope(user, anchor)
        anchor = Person.objects.select_for_update().get(pk=anchor.pk)
        require_in_scope(user, anchor)
        if person is not None:
            check_day_of_person(anchor, opened_on, "建档日期")
        area_code = anchor.area_id
    else:
        area_code = _unanchored_town(user, town)
    if user.role == Role.COUNSELLOR:
        counsellor = user
    if counsellor is None:
        raise ValidationError("请选择心理咨询师")
    if not counsellor_choices().filter(pk=counsellor.pk).exists():
        raise ValidationError("所选人员不是在岗的心理咨询师")
    case = PsychCase.objects.create(
        person=person if person is None else anchor,
        client_kind=client_kind,
        client_name=client_name,
        related_person=related_person if person is None else None,
        relationship=relationship,
        area_code=area_code,
        counsellor=counsellor,
        opened_on=opened_on,
        recorded_by=user,
    )
    records_changed_once(PsychCase, opened_on.year, area=case.area_code, day=opened_on)
    return case


def _unanchored_town(user: User, town: str) -> str:
    if user.area_id is None:
        raise PermissionDenied("您没有所属区划，不能建档")
    if user.area.level != Level.DISTRICT and not town:
        return user.area_id
    chosen = Area.objects.filter(code=town, level=Level.TOWN, is_active=True).first() if town else None
    if chosen is None:
        raise ValidationError("请选择服务对象所在镇(街)")
    if user.role != Role.COUNSELLOR:
        # A counsellor's cases are the district's work: any town; an officer's, their own.
        require_in_scope(user, chosen.code)
    return chosen.code


def town_choices_for(user) -> list[tuple[str, str]]:
    """The towns a case of a named other may be filed under: those of a district user
    (or counsellor); a town user files it under their own town."""
    if user.area_id is None or user.area.level != Level.DISTRICT:
        return []
    towns = Area.objects.filter(level=Level.TOWN, is_active=True).order_by("code")
    return [("", "请选择"), *[(a.code, a.name) for a in towns]]


def _locked_case(user: User, case: PsychCase, permission: str, verb: str) -> PsychCase:
    if not user.has_perm(permission):
        raise PermissionDenied(f"您没有{verb}的权限")
    locked = PsychCase.objects.select_for_update().get(pk=case.pk)
    require_in_scope(user, locked)
    if locked.voided_at is not None:
        raise ValidationError("该个案已作废")
    if locked.closed_on is not None:
        raise ValidationError(f"该个案已于 {locked.closed_on:%Y-%m-%d} 结案")
    return locked


def _check_day(day: datetime.date | None, case: PsychCase, what: str) -> None:
    if day is None:
        raise ValidationError(f"请填写{what}")
    if day > timezone.localdate():
        raise ValidationError(f"{what}不能晚于今天")
    if day < case.opened_on:
        raise ValidationError(f"{what}不能早于建档日期（{case.opened_on:%Y-%m-%d}）")


def _latest_session_to_case(case: PsychCase) -> None:
    latest = case.sessions.filter(voided_at__isnull=True).order_by("-held_on", "-id").first()
    case.last_session_on = latest.held_on if latest else None
    case.at_risk = bool(latest and latest.at_risk)
    case.save(update_fields=["last_session_on", "at_risk"])


@transaction.atomic
def session_record(
    *,
    user: User,
    case: PsychCase,
    held_on: datetime.date,
    kind: str,
    notes: str = "",
    at_risk: bool = False,
    referral: str = "",
) -> PsychSession:
    """A session held by the user (a counsellor) for a case they serve: not before the
    case was opened, not in the future; the case takes the latest session's risk flag."""
    locked = _locked_case(user, case, "outreach.add_psychsession", "登记心理咨询记录")
    _check_day(held_on, locked, "会谈日期")
    if kind not in SessionKind.values:
        raise ValidationError("请选择服务方式")
    session = PsychSession.objects.create(
        case=locked,
        held_on=held_on,
        counsellor=user,
        kind=kind,
        notes=(notes or "").strip()[:4000],
        at_risk=bool(at_risk),
        referral=_name(referral, 200),
    )
    _latest_session_to_case(locked)
    records_changed_once(PsychSession, held_on.year, area=locked.area_code, day=held_on)
    return session


@transaction.atomic
def case_close(*, user: User, case: PsychCase, closed_on: datetime.date) -> PsychCase:
    locked = _locked_case(user, case, "outreach.change_psychcase", "心理服务结案")
    _check_day(closed_on, locked, "结案日期")
    if locked.last_session_on and closed_on < locked.last_session_on:
        raise ValidationError(f"结案日期不能早于最近一次会谈（{locked.last_session_on:%Y-%m-%d}）")
    locked.closed_on = closed_on
    locked.save(update_fields=["closed_on"])
    return locked


def case_void(*, user: User, case: PsychCase, reason: str) -> PsychCase:
    """Void a mistaken case (the platform's void: permission, scope, reason, audit)."""
    return record_void(record=case, user=user, reason=reason)


# Forms ---------------------------------------------------------------------------------


class CaseForm(forms.Form):
    """A case: for the person of the page (本人 or a family member of theirs), or, without a
    person, for a federation worker or someone else. A counsellor serves their own cases:
    the form asks them no counsellor."""

    client_kind = forms.ChoiceField(label="服务对象")
    client_name = forms.CharField(label="服务对象姓名", required=False, max_length=40, help_text="本人建档时不填")
    relationship = forms.CharField(
        label="与残疾人关系", required=False, max_length=20, help_text="家庭成员建档时填写，如母亲、配偶"
    )
    town = forms.ChoiceField(label="服务对象所在镇(街)", required=False)
    opened_on = date_field("建档日期")
    counsellor = forms.ModelChoiceField(
        label="心理咨询师", queryset=User.objects.none(), error_messages={"required": "请选择心理咨询师"}
    )

    def __init__(self, *args, user, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        if person is not None:
            kinds = [
                (ClientKind.PERSON, f"{ClientKind.PERSON.label}本人"),
                (ClientKind.FAMILY, ClientKind.FAMILY.label),
            ]
        else:
            kinds = [(k, label) for k, label in ClientKind.choices if k != ClientKind.PERSON]
            self.fields["relationship"].help_text = "家庭成员建档时填写，如“某某的母亲”"
        self.fields["client_kind"].choices = kinds
        towns = town_choices_for(user) if person is None else []
        if towns:
            self.fields["town"].choices = towns
        else:
            del self.fields["town"]
        self.fields["opened_on"].initial = timezone.localdate()
        if user.role == Role.COUNSELLOR:
            del self.fields["counsellor"]
        else:
            self.fields["counsellor"].queryset = counsellor_choices()
            self.fields["counsellor"].label_from_instance = lambda u: u.display_name
        styled(self)


class SessionForm(forms.Form):
    held_on = date_field("会谈日期")
    kind = forms.ChoiceField(label="服务方式", choices=SessionKind.choices)
    notes = forms.CharField(
        label="咨询记录",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="仅心理咨询师可见",
    )
    at_risk = forms.BooleanField(label="有风险（如自伤、伤人倾向）", required=False)
    referral = forms.CharField(label="转介", required=False, max_length=200, help_text="如转介精神专科医院、社工机构")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        styled(self)


class CloseForm(forms.Form):
    closed_on = date_field("结案日期")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate()
        self.auto_id = "close_%s"
        styled(self)
