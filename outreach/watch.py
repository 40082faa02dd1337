"""The living-alone watch (独居/无人照料): who is on it, when each was last contacted, when
the next contact is due, and the services that record a contact and name a responsible
worker.

The list is the registry itself, read live: every active person flagged `lives_alone`
(独居/无人照料) in the user's scope. Nothing is copied, so a person who dies, moves out or
loses the flag leaves it, and one newly flagged joins it, in the same transaction as the
registry's change — no signal or nightly job can miss one. The responsible worker and the
contacts are side tables keyed by person; the last contact is one correlated subquery per
listed row (served by the contacts' (person, contacted_on, …) key)."""

import datetime
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, DateField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from accounts.models import User
from canlian.audit import audit_write
from canlian.records import record_create, record_void
from canlian.scoping import require_in_scope
from canlian.worklist import DaysAfter
from outreach.models import ContactMethod, WatchAssignment, WatchContact, WatchRule
from outreach.selectors import (
    DUE_SOON_DAYS,
    DateInput,
    area_filter,
    community_choices,
    small_fields,
    town_choices,
    visitor_choices,
)
from registry.models import Person, Status

ON_WATCH = Q(status=Status.ACTIVE, lives_alone=True)


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def short_interval(rule: WatchRule, today: datetime.date) -> Q:
    """Persons contacted on the short interval: a severe grade, or the elderly age today."""
    return Q(grade__lte=rule.severe_grade) | Q(birth_date__lte=years_before(today, rule.elderly_age))


def overdue(rule: WatchRule, today: datetime.date, *, within: int = 0) -> Q:
    """Watched persons (annotated with `last_contact`) never contacted, or whose last
    contact is older than their interval (`within` days ahead: due by then)."""
    short = short_interval(rule, today)
    late = today + datetime.timedelta(days=within)
    return (
        Q(last_contact__isnull=True)
        | (short & Q(last_contact__lt=late - datetime.timedelta(days=rule.short_interval_days)))
        | (~short & Q(last_contact__lt=late - datetime.timedelta(days=rule.interval_days)))
    )


def watched_persons(persons: QuerySet | None = None) -> QuerySet:
    """Persons annotated with their last standing contact (`last_contact`)."""
    last = (
        WatchContact.objects.standing()
        .filter(person=OuterRef("pk"))
        .order_by("-contacted_on")
        .values("contacted_on")[:1]
    )
    persons = Person.objects.all() if persons is None else persons
    return persons.annotate(last_contact=Subquery(last, output_field=DateField()))


def watched(user) -> QuerySet:
    """The watch list in the user's scope, with each person's last standing contact."""
    return watched_persons(Person.objects.visible_to(user).filter(ON_WATCH))


def with_due(persons: QuerySet, rule: WatchRule, today: datetime.date) -> QuerySet:
    """The list with each person's interval, the never contacted first, then the longest
    since a contact (the due day itself is worked out per shown row, `watch_state`)."""
    short = short_interval(rule, today)
    days = Case(When(short, then=Value(rule.short_interval_days)), default=Value(rule.interval_days))
    return persons.annotate(interval=days).order_by(
        Case(When(last_contact__isnull=True, then=Value(0)), default=Value(1)), "last_contact", "area_id", "name", "pk"
    )


class WatchFilterForm(forms.Form):
    STATES = [
        ("", "全部"),
        ("overdue", "已逾期（含尚未联系）"),
        ("due_soon", f"{DUE_SOON_DAYS} 天内到期"),
        ("never", "尚未联系"),
    ]
    state = forms.ChoiceField(label="联系情况", required=False, choices=STATES)
    town = forms.ChoiceField(label="镇(街)", required=False)
    community = forms.ChoiceField(label="村(居)", required=False)
    mine = forms.BooleanField(label="只看我负责的", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].choices = town_choices(user)
        self.fields["community"].choices = community_choices(user)
        small_fields(self)
        self.fields["mine"].widget.attrs["class"] = "form-check-input"


def filtered_watch(request) -> tuple[QuerySet, WatchFilterForm, WatchRule]:
    form = WatchFilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rule = WatchRule.current()
    today = timezone.localdate()
    persons = area_filter(watched(request.user), "area_id", data)
    state = data.get("state")
    if state == "overdue":
        persons = persons.filter(overdue(rule, today))
    elif state == "due_soon":
        persons = persons.filter(overdue(rule, today, within=DUE_SOON_DAYS)).exclude(overdue(rule, today))
    elif state == "never":
        persons = persons.filter(last_contact__isnull=True)
    if data.get("mine"):
        persons = persons.filter(outreach_watch__worker=request.user)
    return with_due(persons, rule, today).select_related("outreach_watch__worker"), form, rule


@dataclass(frozen=True)
class WatchState:
    """A listed person's due day: `last` + the interval, or today when never contacted."""

    last: datetime.date | None
    interval: int
    due: datetime.date
    overdue_days: int  # > 0: overdue by that many days

    @property
    def is_overdue(self) -> bool:
        return self.last is None or self.overdue_days > 0


def watch_state(last: datetime.date | None, interval: int, today: datetime.date) -> WatchState:
    due = today if last is None else last + datetime.timedelta(days=interval)
    return WatchState(last, interval, due, (today - due).days)


def next_contact_due(rule: WatchRule, today: datetime.date) -> Case:
    """The day a watched person (annotated with `last_contact`) is next due, in SQL, as
    `watch_state` works it out: the last contact plus their interval; today when never
    contacted."""
    return Case(
        When(last_contact__isnull=True, then=Value(today)),
        When(short_interval(rule, today), then=DaysAfter("last_contact", rule.short_interval_days)),
        default=DaysAfter("last_contact", rule.interval_days),
        output_field=DateField(),
    )


def next_contact_on(rule: WatchRule, today: datetime.date) -> Coalesce:
    """`next_contact_due` of a person (the outer row) by a single subquery: the interval
    is applied inside the last contact's subquery, from the person's grade and birth date,
    so the last contact is looked up once wherever the day is used. Django writes an
    annotation out at each use: `overdue` and `next_contact_due` over `last_contact` made
    up to six probes a person in the work list's statements."""
    short = Q(LessThanOrEqual(OuterRef("grade"), rule.severe_grade)) | Q(
        LessThanOrEqual(OuterRef("birth_date"), years_before(today, rule.elderly_age))
    )
    due = Case(
        When(short, then=DaysAfter("contacted_on", rule.short_interval_days)),
        default=DaysAfter("contacted_on", rule.interval_days),
        output_field=DateField(),
    )
    last = (
        WatchContact.objects.standing()
        .filter(person=OuterRef("pk"))
        .order_by("-contacted_on")
        .annotate(watch_due=due)
        .values("watch_due")[:1]
    )
    return Coalesce(Subquery(last, output_field=DateField()), Value(today), output_field=DateField())


def contacts_due(user, rule: WatchRule, today: datetime.date) -> QuerySet:
    """The watch list's persons due for a contact within `DUE_SOON_DAYS` or overdue (the
    never contacted among them), with their interval and their next contact day
    (`watch_due`): the watch page's filters "已逾期" and "7 天内到期" together (a due day
    before `DUE_SOON_DAYS` ahead), so the work list's watch kind lists the same persons."""
    late = today + datetime.timedelta(days=DUE_SOON_DAYS)
    persons = watched(user).alias(watch_due=next_contact_on(rule, today)).filter(watch_due__lt=late)
    return with_due(persons, rule, today)


def worker_name(person: Person) -> str:
    try:
        return person.outreach_watch.worker.display_name
    except WatchAssignment.DoesNotExist:
        return ""


def watch_counts(user) -> dict[str, int]:
    """On the list, overdue (never contacted included) and never contacted, in the scope."""
    rule = WatchRule.current()
    today = timezone.localdate()
    persons = watched(user).order_by()
    return {
        "total": persons.count(),
        "overdue": persons.filter(overdue(rule, today)).count(),
        "never": persons.filter(last_contact__isnull=True).count(),
    }


def person_watch(person: Person) -> WatchState | None:
    """The person's state on the watch list, None when not on it."""
    if not (person.status == Status.ACTIVE and person.lives_alone):
        return None
    rule = WatchRule.current()
    today = timezone.localdate()
    last = (
        WatchContact.objects.standing()
        .filter(person=person)
        .order_by("-contacted_on")
        .values_list("contacted_on", flat=True)
        .first()
    )
    on_short = Person.objects.filter(pk=person.pk).filter(short_interval(rule, today)).exists()
    return watch_state(last, rule.short_interval_days if on_short else rule.interval_days, today)


# Services ------------------------------------------------------------------------------


def contact_record(
    *, user: User, person: Person, contacted_on: datetime.date, method: str, note: str = ""
) -> WatchContact:
    """Record a contact: the record base's checks (permission, scope, the day in the
    person's life), then that the person is on the watch list now (`WatchContact.clean`,
    on the locked person)."""
    return record_create(
        model=WatchContact, user=user, person=person, contacted_on=contacted_on, method=method, note=note.strip()[:500]
    )


def contact_void(*, user: User, contact: WatchContact, reason: str) -> WatchContact:
    """Void a contact recorded by mistake (the record base's void: a reason, audited); the
    watch list reads standing contacts, so the person's next due goes back."""
    return record_void(record=contact, user=user, reason=reason)


@transaction.atomic
def watch_assign(*, user: User, person: Person, worker: User) -> WatchAssignment:
    """Name (or change) the worker responsible for a watched person of the user's scope."""
    if not user.has_perm("outreach.change_watchassignment"):
        raise PermissionDenied("您没有指定独居关爱责任人的权限")
    locked = Person.objects.select_for_update().get(pk=person.pk)
    require_in_scope(user, locked)
    if not (locked.status == Status.ACTIVE and locked.lives_alone):
        raise ValidationError("该人员不在独居（无人照料）关爱名单内，不能指定责任人")
    if not visitor_choices(user).filter(pk=worker.pk).exists():
        raise ValidationError("所选责任人不是您辖区或区残联的在职工作人员")
    assignment, _ = WatchAssignment.objects.update_or_create(
        person=locked,
        defaults={"worker": worker, "area_code": locked.area_id, "assigned_by": user, "assigned_at": timezone.now()},
    )
    audit_write(action="outreach.watch.assigned", user=user, obj=assignment, data={"worker": worker.pk})
    return assignment


class ContactForm(forms.Form):
    contacted_on = forms.DateField(
        label="联系日期",
        widget=DateInput(),
        error_messages={"required": "请填写联系日期", "invalid": "联系日期格式不正确"},
    )
    method = forms.ChoiceField(
        label="联系方式", choices=ContactMethod.choices, error_messages={"required": "请选择联系方式"}
    )
    note = forms.CharField(label="情况", required=False, max_length=500, help_text="如身体状况、生活困难、需要的帮助")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacted_on"].initial = timezone.localdate()
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class AssignForm(forms.Form):
    worker = forms.ModelChoiceField(
        label="责任人",
        queryset=User.objects.none(),
        empty_label="请选择",
        error_messages={"required": "请选择责任人", "invalid_choice": "所选责任人不存在或已停用"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = visitor_choices(user)
        self.fields["worker"].label_from_instance = lambda u: u.display_name
        self.fields["worker"].widget.attrs["class"] = "form-select"
