"""Each officer's work list (我的待办): what is due and overdue for the user, from every app.

An app declares its kinds of line in its declaration (`AppDeclaration.worklist`, a tuple
of `canlian.declarations.WorkItemKind`); for a user and a day each kind gives a queryset
of its due items, in the user's scope, with the expression of their date due
(`WorkItems`). From those this module asks the database, in a fixed number of statements
whatever the size of the registry:

1. the counts: one UNION ALL of one aggregate per kind (its items, and of them the overdue);
2. a page of lines: one UNION ALL of (date due, kind, row id) over every kind — or the one
   the page is filtered to — ordered by the date due, so the overdue come first and the
   longest overdue at the top, then by kind and id, cut by LIMIT and OFFSET;
3. the rows of that page: one statement per kind on it (its page's ids, with the kind's
   select_related), each row described by the kind's `line`.

Rows are counted and sorted in the database; Python sees the rows of one page only.
"""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db.models import CharField, Count, DateField, F, Func, IntegerField, Value
from django.db.models.lookups import LessThan
from django.urls import reverse

from canlian.declarations import WorkItemKind, WorkItems, WorkLine, declarations, permitted, work_kinds

PAGE_SIZE = 50


class DaysAfter(Func):
    """A date `days` whole days after the date `expression`, as a date (PostgreSQL adds an
    integer to a date; SQLite's date() takes a modifier)."""

    output_field = DateField()

    def __init__(self, expression, days: int) -> None:
        self.days = int(days)
        super().__init__(expression)

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template=f"(%(expressions)s + {self.days})", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        template = f"date(%(expressions)s, '{self.days:+d} days')"
        return super().as_sql(compiler, connection, template=template, **extra)


class MonthEnd(Func):
    """The last day of the month of the date `expression`."""

    output_field = DateField()
    template = "CAST(date_trunc('month', %(expressions)s) + INTERVAL '1 month' - INTERVAL '1 day' AS date)"

    def as_sqlite(self, compiler, connection, **extra):
        template = "date(%(expressions)s, 'start of month', '+1 month', '-1 day')"
        return super().as_sql(compiler, connection, template=template, **extra)


def kinds_for(user) -> list[WorkItemKind]:
    """The kinds of line the user has (their permission), in order. Worked out once per
    user object, as Django keeps the user's permissions on it: a request asks for them
    twice (the navigation's 我的待办 entry, then the work list itself). A registry of
    declarations swapped since (a test's) works them out again."""
    registry = declarations()
    cached = getattr(user, "_worklist_kinds", None)
    if cached is None or cached[0] is not registry:
        cached = (registry, [kind for kind in work_kinds() if permitted(user, kind.permission)])
        user._worklist_kinds = cached
    return list(cached[1])


def has_work(user) -> bool:
    """Whether the user has any kind of work-list line: their home page is the work list."""
    return bool(kinds_for(user))


@dataclass(frozen=True)
class KindCount:
    kind: WorkItemKind
    total: int
    overdue: int

    @property
    def url(self) -> str:
        return reverse("worklist:kind", args=[self.kind.key])


@dataclass(frozen=True)
class WorkRow:
    """A line of the page: its kind, date due, days left (negative when overdue), the
    kind's description and link, and the person as the user may see them (a PersonView)."""

    kind: WorkItemKind
    due: datetime.date
    days: int
    line: WorkLine
    person: object | None

    @property
    def overdue(self) -> bool:
        return self.days < 0

    @property
    def days_overdue(self) -> int:
        return -self.days


class Worklist:
    """The user's work list on `today`, all kinds or the one `only` names (a key of
    `kinds`). Reads nothing until its counts or lines are asked for."""

    def __init__(self, user, today: datetime.date, only: str | None = None) -> None:
        self.user, self.today = user, today
        # The kinds the user's permissions give, and of them those with items for them.
        self.permitted = kinds_for(user)
        self.items: dict[str, WorkItems] = {}
        for kind in self.permitted:
            items = kind.items(user, today)
            if items is not None:
                self.items[kind.key] = items
        self.kinds = [kind for kind in self.permitted if kind.key in self.items]
        self.by_key = {kind.key: kind for kind in self.kinds}
        self.only = only

    def _values(self, kind: WorkItemKind, items: WorkItems):
        due = F(items.due) if isinstance(items.due, str) else items.due
        return items.rows.order_by().values(
            wl_due=due,
            wl_order=Value(kind.order, output_field=IntegerField()),
            wl_kind=Value(kind.key, output_field=CharField()),
            wl_ref=F("pk"),
        )

    @cached_property
    def counts(self) -> list[KindCount]:
        """Each of the user's kinds with its number of items and of overdue ones, in order:
        one statement."""
        parts = []
        for kind in self.kinds:
            items = self.items[kind.key]
            due = F(items.due) if isinstance(items.due, str) else items.due
            parts.append(
                items.rows.order_by()
                .values(wl_kind=Value(kind.key, output_field=CharField()))
                .annotate(wl_total=Count("pk"), wl_overdue=Count("pk", filter=LessThan(due, self.today)))
            )
        found = {}
        if parts:
            for row in parts[0].union(*parts[1:], all=True):
                found[row["wl_kind"]] = (row["wl_total"], row["wl_overdue"])
        return [KindCount(kind, *found.get(kind.key, (0, 0))) for kind in self.kinds]

    @property
    def total(self) -> int:
        """The items of the kinds the list shows (all, or the one filtered to)."""
        return sum(c.total for c in self.counts if self.only in (None, c.kind.key))

    @property
    def overdue(self) -> int:
        return sum(c.overdue for c in self.counts if self.only in (None, c.kind.key))

    def lines(self) -> "Lines":
        """The lines in order, for a paginator: its count is `total`, a slice is one page."""
        return Lines(self)

    def page_rows(self, start: int, stop: int) -> list[WorkRow]:
        """The lines from `start` to `stop`: one statement for their keys, one per kind
        among them for their rows."""
        from registry.presenters import PersonView
        from registry.scoping import Privacy

        shown = [k for k in self.kinds if self.only in (None, k.key)]
        if not shown or stop <= start:
            return []
        parts = [self._values(k, self.items[k.key]) for k in shown]
        keys = list(
            parts[0]
            .union(*parts[1:], all=True)
            .order_by("wl_due", "wl_order", "wl_kind", "wl_ref")
            .values_list("wl_due", "wl_order", "wl_kind", "wl_ref")[start:stop]
        )
        refs: dict[str, list] = {}
        for _due, _order, key, ref in keys:
            refs.setdefault(key, []).append(ref)
        rows = {}
        for key, pks in refs.items():
            items = self.items[key]
            for row in items.rows.filter(pk__in=pks).select_related(*items.related):
                rows[key, row.pk] = row
        privacy = Privacy.for_user(self.user)
        lines = []
        for due, _order, key, ref in keys:
            row = rows.get((key, ref))
            if row is None:  # done between the two statements
                continue
            line = self.items[key].line(row)
            person = PersonView(line.person, privacy) if line.person is not None else None
            lines.append(WorkRow(self.by_key[key], due, (due - self.today).days, line, person))
        return lines


class Lines:
    """The work list's lines as Django's paginator reads them: `count()` from the counts
    (no statement of its own) and a slice per page."""

    def __init__(self, worklist: Worklist) -> None:
        self.worklist = worklist

    def count(self) -> int:
        return self.worklist.total

    def __getitem__(self, index: slice) -> list[WorkRow]:
        if not isinstance(index, slice):
            raise TypeError("the work list is read a page at a time")
        return self.worklist.page_rows(index.start or 0, index.stop)
