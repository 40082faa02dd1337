"""Reading workshops: the workshops a user sees, who is a member in a month, the month's
sheet, a workshop's monthly totals and a person's memberships. Every read of a scoped
model starts at `visible_to(user)`."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from canlian.scoping import user_area_prefix
from workshops.models import OPEN, Channel, Membership, Product, Sale, WorkMonth, Workshop, month_end


def workshops_visible_to(user) -> QuerySet:
    """Workshops of the user's area and below; for a workshop's staff, their own."""
    return Workshop.objects.visible_to(user)


def members_on(workshop_ids, day: datetime.date) -> QuerySet:
    return (
        Membership.objects.standing()
        .filter(workshop__in=workshop_ids, started_on__lte=day)
        .filter(OPEN | Q(ended_on__gte=day))
    )


def members_in_month(workshop: Workshop, month: datetime.date) -> QuerySet:
    """The standing memberships of the workshop that hold some day of `month`."""
    return (
        Membership.objects.standing()
        .filter(workshop=workshop, started_on__lte=month_end(month))
        .filter(OPEN | Q(ended_on__gte=month))
    )


def workshop_figures(workshops: QuerySet, day: datetime.date) -> dict[int, dict]:
    """Members on `day`, and the income paid and sales of `day`'s month, per workshop
    (three grouped queries; no person named)."""
    month = day.replace(day=1)
    members = dict(members_on(workshops, day).values_list("workshop").annotate(n=Count("person", distinct=True)))
    income = dict(
        WorkMonth.objects.filter(workshop__in=workshops, month=month)
        .values_list("workshop")
        .annotate(s=Sum("income_fen"))
    )
    sales = dict(
        Sale.objects.standing()
        .filter(workshop__in=workshops, sold_on__gte=month, sold_on__lte=month_end(month))
        .values_list("workshop")
        .annotate(s=Sum("amount_fen"))
    )
    return {
        pk: {"members": members.get(pk, 0), "income_fen": income.get(pk) or 0, "sales_fen": sales.get(pk) or 0}
        for pk in workshops.values_list("pk", flat=True)
    }


def month_progress(workshops: QuerySet, month: datetime.date) -> dict[int, dict]:
    """Members during `month` and the rows entered for it, per workshop (two queries)."""
    members = dict(
        Membership.objects.standing()
        .filter(workshop__in=workshops, started_on__lte=month_end(month))
        .filter(OPEN | Q(ended_on__gte=month))
        .values_list("workshop")
        .annotate(n=Count("person", distinct=True))
    )
    entered = dict(
        WorkMonth.objects.filter(workshop__in=workshops, month=month).values_list("workshop").annotate(n=Count("pk"))
    )
    return {
        pk: {"members": members.get(pk, 0), "entered": entered.get(pk, 0)}
        for pk in workshops.values_list("pk", flat=True)
    }


# The month's sheet -----------------------------------------------------------------------


@dataclass
class SheetRow:
    """A member on the month's sheet, with what is entered for the month."""

    membership: Membership
    person: object  # registry.presenters.PersonView
    entry: WorkMonth | None = None


@dataclass
class MonthSheet:
    workshop: Workshop
    month: datetime.date
    rows: list[SheetRow] = field(default_factory=list)

    @property
    def days_in_month(self) -> int:
        return month_end(self.month).day

    @property
    def work_days(self) -> int:
        return sum(r.entry.work_days for r in self.rows if r.entry)

    @property
    def income_fen(self) -> int:
        return sum(r.entry.income_fen for r in self.rows if r.entry)

    @property
    def entered(self) -> int:
        return sum(1 for r in self.rows if r.entry)


def month_sheet(user, workshop: Workshop, month: datetime.date, privacy) -> MonthSheet:
    """The members of the workshop in `month` whom the user may see, by name, with their
    month's row (two queries)."""
    from registry.presenters import PersonView

    memberships = (
        members_in_month(workshop, month)
        .visible_to(user)
        .select_related("person", "project")
        .order_by("person__name", "person_id", "-started_on")
    )
    rows, seen = [], set()
    for m in memberships:
        if m.person_id in seen:  # left and came back within the month: one row
            continue
        seen.add(m.person_id)
        rows.append(SheetRow(m, PersonView(m.person, privacy)))
    entries = {
        e.person_id: e
        for e in WorkMonth.objects.filter(workshop=workshop, month=month, person__in=seen).select_related("changed_by")
    }
    for row in rows:
        row.entry = entries.get(row.membership.person_id)
    return MonthSheet(workshop, month, rows)


# Monthly totals --------------------------------------------------------------------------


@dataclass
class TotalsMonth:
    month: datetime.date
    by_channel: dict[str, int]
    by_project: dict[int | None, int]
    sales_fen: int
    income_fen: int
    work_days: int
    paid_members: int

    @property
    def share(self) -> str:
        """The part of the month's sales paid to members as income."""
        return f"{100 * self.income_fen / self.sales_fen:.1f}%" if self.sales_fen else ""


def month_totals(workshop: Workshop, year: int) -> list[TotalsMonth]:
    """The year's months of a workshop: sales by channel and by project, income paid to
    members, their work days (three grouped queries; figures only, no person)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    sales = (
        Sale.objects.standing()
        .filter(workshop=workshop, sold_on__gte=first, sold_on__lte=last)
        .annotate(m=TruncMonth("sold_on"))
        .values_list("m", "channel", "project")
        .annotate(s=Sum("amount_fen"))
    )
    paid = (
        WorkMonth.objects.filter(workshop=workshop, month__gte=first, month__lte=last)
        .values_list("month")
        .annotate(s=Sum("income_fen"), d=Sum("work_days"), n=Count("person"))
    )
    months = {}
    for number in range(1, 13):
        month = datetime.date(year, number, 1)
        months[month] = TotalsMonth(month, {c: 0 for c in Channel.values}, {}, 0, 0, 0, 0)
    for month, channel, project, amount in sales:
        month = month.date() if isinstance(month, datetime.datetime) else month
        row = months[month]
        row.by_channel[channel] += amount
        row.by_project[project] = row.by_project.get(project, 0) + amount
        row.sales_fen += amount
    for month, income, days, count in paid:
        row = months[month]
        row.income_fen, row.work_days, row.paid_members = income, days, count
    return list(months.values())


def sales_visible_to(user) -> QuerySet:
    return Sale.objects.standing().visible_to(user)


def products_of(user, workshop: Workshop) -> QuerySet:
    return Product.objects.visible_to(user).filter(workshop=workshop).select_related("project")


# A person's workshops --------------------------------------------------------------------


def _whole_history(user, person) -> bool:
    """An officer whose area holds the person reads all their workshop rows; a workshop's
    staff those their scope grants."""
    prefix = user_area_prefix(user)
    return prefix is not None and person.area_id.startswith(prefix)


def person_memberships(user, person) -> list[Membership]:
    rows = person.workshop_memberships.standing().select_related("workshop", "project").order_by("-started_on", "-id")
    return list(rows if _whole_history(user, person) else rows.visible_to(user))


def person_months(user, person, *, limit: int | None = None) -> list[WorkMonth]:
    rows = WorkMonth.objects.filter(person=person).select_related("workshop").order_by("-month", "workshop_id")
    rows = rows if _whole_history(user, person) else rows.visible_to(user)
    return list(rows[:limit] if limit else rows)
