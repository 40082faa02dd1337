"""Reading care: the institutions a user sees, who is a member on a day, a day's sheet of
attendance and a month's, and a person's memberships. Every read of a scoped model starts
at `visible_to(user)`."""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from canlian.scoping import user_area_prefix
from care.models import Attendance, AttendanceChange, Enrolment, Institution, WaitingEntry
from care.models.membership import OPEN


def institutions_visible_to(user) -> QuerySet:
    """Institutions of the user's area and below; for centre staff, their own."""
    return Institution.objects.visible_to(user)


def enrolments_visible_to(user) -> QuerySet:
    return Enrolment.objects.standing().visible_to(user)


def current_enrolments_visible_to(user, day: datetime.date) -> QuerySet:
    """The user's members on `day`, at every institution they see."""
    return enrolments_visible_to(user).filter(started_on__lte=day).filter(OPEN | Q(ended_on__gte=day))


def members_on(institution: Institution, day: datetime.date) -> QuerySet:
    """The standing enrolments of the institution whose period holds `day`."""
    return (
        Enrolment.objects.standing()
        .filter(institution=institution, started_on__lte=day)
        .filter(OPEN | Q(ended_on__gte=day))
    )


def member_count(institution: Institution, day: datetime.date) -> int:
    return members_on(institution, day).count()


def marks_on(institution: Institution, day: datetime.date) -> QuerySet:
    return Attendance.objects.filter(institution=institution, day=day)


def open_offers(institution: Institution) -> QuerySet:
    return institution.waiting.filter(state=WaitingEntry.State.OFFERED)


def waiting_list(institution: Institution) -> QuerySet:
    """The open entries of the institution's queue, in the order they are offered places."""
    return institution.waiting.filter(state__in=[WaitingEntry.State.WAITING, WaitingEntry.State.OFFERED]).order_by("id")


def free_places(institution: Institution, day: datetime.date | None = None) -> int:
    """Places left on `day` (today): the capacity less the members and the places offered
    to the waiting list and not yet taken up."""
    day = day or timezone.localdate()
    return institution.capacity - member_count(institution, day) - open_offers(institution).count()


def institution_figures(institutions: QuerySet, day: datetime.date) -> dict[int, dict]:
    """Members and open queue entries of each institution on `day` (two grouped queries)."""
    members = dict(
        Enrolment.objects.standing()
        .filter(institution__in=institutions, started_on__lte=day)
        .filter(OPEN | Q(ended_on__gte=day))
        .values_list("institution")
        .annotate(n=Count("id"))
    )
    waiting = dict(
        WaitingEntry.objects.filter(institution__in=institutions, state=WaitingEntry.State.WAITING)
        .values_list("institution")
        .annotate(n=Count("id"))
    )
    return {
        pk: {"members": members.get(pk, 0), "waiting": waiting.get(pk, 0)}
        for pk in institutions.values_list("pk", flat=True)
    }


def person_enrolments(user, person) -> list[Enrolment]:
    """A person's memberships for the person page (the person is in the user's scope). An
    officer whose area holds the person sees all of them, those of an earlier town too (the
    person's history); centre staff, those of their own institutions."""
    enrolments = person.care_enrolments.standing().select_related("institution").order_by("-started_on", "-id")
    prefix = user_area_prefix(user)
    if prefix is None or not person.area_id.startswith(prefix):
        enrolments = enrolments.visible_to(user)
    return list(enrolments)


# Attendance sheets ---------------------------------------------------------------------


@dataclass(frozen=True)
class MonthMark:
    """A mark as the monthly sheet reads it (its `present` alone): the day's sheet has the
    `Attendance` itself."""

    present: bool


PRESENT_MARK, ABSENT_MARK = MonthMark(True), MonthMark(False)


@dataclass
class SheetRow:
    """A member on the day's or the month's sheet."""

    enrolment: Enrolment
    person: object  # registry.presenters.PersonView
    marks: dict[datetime.date, Attendance | MonthMark] = field(default_factory=dict)

    def mark(self, day: datetime.date) -> Attendance | MonthMark | None:
        return self.marks.get(day)


def _views(enrolments, privacy):
    from registry.presenters import PersonView

    return [SheetRow(e, PersonView(e.person, privacy)) for e in enrolments]


def day_sheet(user, institution: Institution, day: datetime.date, privacy) -> list[SheetRow]:
    """The members of the institution on `day` whom the user may see, by name, with the
    day's marks (two queries)."""
    enrolments = members_on(institution, day).visible_to(user).select_related("person").order_by("person__name", "pk")
    rows = _views(enrolments, privacy)
    marks = Attendance.objects.filter(
        institution=institution, day=day, person__in=[r.enrolment.person_id for r in rows]
    )
    by_person = {a.person_id: a for a in marks}
    for row in rows:
        if row.enrolment.person_id in by_person:
            row.marks[day] = by_person[row.enrolment.person_id]
    return rows


def day_changes(institution: Institution, day: datetime.date, person_ids) -> list[AttendanceChange]:
    """The corrections of the day's marks of these persons, newest first."""
    return list(
        AttendanceChange.objects.filter(institution=institution, day=day, attendance__person__in=list(person_ids))
        .select_related("changed_by", "attendance__person")
        .order_by("-changed_at", "-id")
    )


def month_days(month: datetime.date) -> list[datetime.date]:
    last = calendar.monthrange(month.year, month.month)[1]
    return [month.replace(day=d) for d in range(1, last + 1)]


@dataclass
class MonthSheet:
    institution: Institution
    month: datetime.date
    days: list[datetime.date]
    rows: list[SheetRow]

    def is_open(self, day: datetime.date) -> bool:
        return self.institution.is_open_on(day)

    def member_days(self, row: SheetRow) -> int:
        """The days of the month the member was enrolled and the institution open (or the
        member marked): those before today, and today once taken — as the attendance rate
        counts them (`care.declaration.care_attendance_rate`)."""
        today = timezone.localdate()
        return sum(
            1
            for d in self.days
            if (d < today or d in row.marks) and row.enrolment.is_member_on(d) and (self.is_open(d) or d in row.marks)
        )

    @staticmethod
    def present_days(row: SheetRow) -> int:
        return sum(1 for a in row.marks.values() if a.present)

    @staticmethod
    def absent_days(row: SheetRow) -> int:
        return sum(1 for a in row.marks.values() if not a.present)


def month_sheet(user, institution: Institution, month: datetime.date, privacy) -> MonthSheet:
    """Every member of the institution during `month` whom the user may see, with the
    month's marks (two queries): the monthly attendance sheet."""
    days = month_days(month)
    enrolments = (
        Enrolment.objects.standing()
        .filter(institution=institution, started_on__lte=days[-1])
        .filter(OPEN | Q(ended_on__gte=days[0]))
        .visible_to(user)
        .select_related("person")
        .order_by("person__name", "started_on", "pk")
    )
    rows = _views(enrolments, privacy)
    # The three fields the sheet reads, not whole rows: a centre of 3,200 members has ~70,000
    # marks a month, whose model instances were ~40% of its sheet's time at 10^6.
    marks = Attendance.objects.filter(
        institution=institution, day__range=(days[0], days[-1]), person__in={r.enrolment.person_id for r in rows}
    ).values_list("person_id", "day", "present")
    by_person: dict[int, list[SheetRow]] = {}
    for row in rows:
        by_person.setdefault(row.enrolment.person_id, []).append(row)
    for person_id, day, present in marks:
        for row in by_person.get(person_id, []):
            if row.enrolment.is_member_on(day):
                row.marks[day] = PRESENT_MARK if present else ABSENT_MARK
    return MonthSheet(institution, days[0], days, rows)
