"""Legal aid and rights (法律救助): cases with their steps and outcome, and the
legal-education lectures (普法助残讲座).

A case of an intellectually or mentally disabled girl or woman is protected: marked at
intake from the person (category 智力 or 精神, or 多重, and female) and shown only to a user
with `outreach.view_protected_legalcase`. Every read of cases goes through
`cases_visible_to`, which applies both the area scope and that permission, so the list,
the case page, the person page and the timeline hide the same cases."""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from canlian.records import record_create, records_changed_once
from canlian.scoping import require_in_scope, user_area_prefix
from outreach.models import ApplicantRelation, Lecture, LegalCase, LegalMatter, LegalStep
from outreach.selectors import DateInput, town_choices
from registry.models import Category, Gender, Person

PROTECTED_CATEGORIES = (Category.INTELLECTUAL, Category.MENTAL, Category.MULTIPLE)
PROTECTED = "outreach.view_protected_legalcase"


def is_protected(person: Person) -> bool:
    """Whether a case of this person is protected: an intellectually or mentally (or
    multiply) disabled girl or woman."""
    return person.gender == Gender.FEMALE and person.category in PROTECTED_CATEGORIES


def cases_visible_to(user) -> QuerySet:
    """The one visibility point of legal cases: the area scope, and protected cases only
    with their permission."""
    cases = LegalCase.objects.standing().visible_to(user)
    return cases if user.has_perm(PROTECTED) else cases.filter(protected=False)


def case_for_user(user, pk: int) -> LegalCase:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(cases_visible_to(user).select_related("person", "recorded_by"), pk=pk)


# Services ------------------------------------------------------------------------------


def case_open(
    *,
    user: User,
    person: Person,
    opened_on: datetime.date,
    applicant_name: str,
    applicant_relation: str,
    matter: str,
    handler: str,
    description: str = "",
) -> LegalCase:
    """Take in a case (the record base's checks: permission, scope, the day in the person's
    life); protected from the person's category and gender."""
    return record_create(
        model=LegalCase,
        user=user,
        person=person,
        opened_on=opened_on,
        applicant_name=" ".join(applicant_name.split())[:40],
        applicant_relation=applicant_relation,
        matter=matter,
        handler=" ".join(handler.split())[:100],
        description=description.strip()[:1000],
        protected=is_protected(person),
    )


def _locked_case(user: User, case: LegalCase) -> LegalCase:
    if not user.has_perm("outreach.change_legalcase"):
        raise PermissionDenied("您没有办理法律救助案件的权限")
    locked = LegalCase.objects.select_for_update().get(pk=case.pk)
    require_in_scope(user, locked)
    if locked.protected and not user.has_perm(PROTECTED):
        raise PermissionDenied("这是受保护的案件，您没有查看和办理的权限")
    if locked.voided_at is not None:
        raise ValidationError("该案件已作废")
    return locked


def _check_day(day: datetime.date | None, case: LegalCase, what: str) -> None:
    if day is None:
        raise ValidationError(f"请填写{what}")
    if day > timezone.localdate():
        raise ValidationError(f"{what}不能晚于今天")
    if day < case.opened_on:
        raise ValidationError(f"{what}不能早于受理日期（{case.opened_on:%Y-%m-%d}）")


@transaction.atomic
def case_step_add(*, user: User, case: LegalCase, taken_on: datetime.date, what: str) -> LegalStep:
    locked = _locked_case(user, case)
    if locked.closed_on is not None:
        raise ValidationError(f"该案件已于 {locked.closed_on:%Y-%m-%d} 结案")
    _check_day(taken_on, locked, "日期")
    what = " ".join(what.split())
    if not what:
        raise ValidationError("请填写办理情况")
    return LegalStep.objects.create(case=locked, taken_on=taken_on, what=what[:500], recorded_by=user)


@transaction.atomic
def case_close(*, user: User, case: LegalCase, closed_on: datetime.date, outcome: str) -> LegalCase:
    locked = _locked_case(user, case)
    if locked.closed_on is not None:
        raise ValidationError(f"该案件已于 {locked.closed_on:%Y-%m-%d} 结案")
    _check_day(closed_on, locked, "结案日期")
    outcome = " ".join(outcome.split())
    if not outcome:
        raise ValidationError("请填写结果")
    locked.closed_on, locked.outcome = closed_on, outcome[:500]
    locked.save(update_fields=["closed_on", "outcome"])
    records_changed_once(LegalCase, closed_on.year, area=locked.area_code, day=closed_on)
    return locked


@transaction.atomic
def lecture_record(
    *,
    user: User,
    held_on: datetime.date,
    topic: str,
    place: str,
    speaker: str,
    attendance: int,
    area_code: str = "",
) -> Lecture:
    """A lecture organised by the user's town (or the district); a district user may name
    the town it was held for."""
    if not user.has_perm("outreach.add_lecture"):
        raise PermissionDenied("您没有登记普法讲座的权限")
    own = user.area_id if user_area_prefix(user) is not None else None
    if own is None:
        raise PermissionDenied("您没有管辖区域，不能登记普法讲座")
    area_code = area_code or own
    require_in_scope(user, area_code)
    if held_on is None:
        raise ValidationError("请填写日期")
    if held_on > timezone.localdate():
        raise ValidationError("讲座日期不能晚于今天")
    values = {"主题": topic, "地点": place, "主讲人": speaker}
    missing = [label for label, value in values.items() if not value.strip()]
    if missing:
        raise ValidationError(f"请填写{'、'.join(missing)}")
    if attendance is None or attendance < 1:
        raise ValidationError("参加人数至少为 1 人")
    return Lecture.objects.create(
        held_on=held_on,
        topic=topic.strip()[:100],
        place=place.strip()[:100],
        speaker=speaker.strip()[:60],
        attendance=attendance,
        area_code=area_code,
        recorded_by=user,
    )


# Forms ---------------------------------------------------------------------------------


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


class CaseForm(forms.Form):
    opened_on = forms.DateField(
        label="受理日期", widget=DateInput(), error_messages={"required": "请填写受理日期", "invalid": "日期格式不正确"}
    )
    applicant_name = forms.CharField(label="申请人", max_length=40, error_messages={"required": "请填写申请人"})
    applicant_relation = forms.ChoiceField(label="申请人与当事人关系", choices=ApplicantRelation.choices)
    matter = forms.ChoiceField(label="事项", choices=LegalMatter.choices)
    handler = forms.CharField(
        label="法律援助站或律师", max_length=100, error_messages={"required": "请填写法律援助站或律师"}
    )
    description = forms.CharField(
        label="案情摘要", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_on"].initial = timezone.localdate()
        _styled(self)


class StepForm(forms.Form):
    taken_on = forms.DateField(
        label="日期", widget=DateInput(), error_messages={"required": "请填写日期", "invalid": "日期格式不正确"}
    )
    what = forms.CharField(label="办理情况", max_length=500, error_messages={"required": "请填写办理情况"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["taken_on"].initial = timezone.localdate()
        _styled(self)


class CloseForm(forms.Form):
    closed_on = forms.DateField(
        label="结案日期", widget=DateInput(), error_messages={"required": "请填写结案日期", "invalid": "日期格式不正确"}
    )
    outcome = forms.CharField(label="结果", max_length=500, error_messages={"required": "请填写结果"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate()
        self.auto_id = "close_%s"
        _styled(self)


class LectureForm(forms.Form):
    held_on = forms.DateField(
        label="日期", widget=DateInput(), error_messages={"required": "请填写日期", "invalid": "日期格式不正确"}
    )
    topic = forms.CharField(label="主题", max_length=100, error_messages={"required": "请填写主题"})
    place = forms.CharField(label="地点", max_length=100, error_messages={"required": "请填写地点"})
    speaker = forms.CharField(label="主讲人", max_length=60, error_messages={"required": "请填写主讲人"})
    attendance = forms.IntegerField(
        label="参加人数",
        min_value=1,
        error_messages={
            "required": "请填写参加人数",
            "invalid": "参加人数应为整数",
            "min_value": "参加人数至少为 1 人",
        },
    )
    area_code = forms.ChoiceField(label="举办镇(街)", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        choices = town_choices(user)
        self.fields["area_code"].choices = [("", "本单位"), *choices[1:]]
        _styled(self)
