"""Data comparison (数据比对): dated events from another department's list.

Civil affairs, public security and the social security office send lists — deaths,
household moves, the 低保 roster, re-assessments — as a workbook with the columns
公民身份号码, 事件, 日期, 新值. Each row is one event of one registered person from that
date on, recorded by the rule of `person_event_record` (`person_event_decide`, on the
persons locked at the start), so the person's state before the date (and the eligibility
read from it) is unchanged. On PostgreSQL the events decided are written together after
the last row (`person_events_write`), elsewhere each as it is decided.

As in the person import (`registry.imports`), the whole file is read and every row checked
before anything is written; a file that cannot be read or lacks a column is refused as a
whole. Every non-blank row ends recorded (counted as updated), unchanged (the registry
already says so) or rejected with its reasons, in one transaction. Importing the same file
again changes nothing.

低保 and 特困 are household facts: a 经济状况变更 row of a person registered in a household
(`registry.models.Household`) is recorded for every active disabled member of it, and sets
the household's status (`_household_follow`, `_households_set`; docs/architecture.md,
"Households").

Other apps add kinds of their own (`canlian.declarations.ComparisonKind`, declared in their
`AppDeclaration.comparison_kinds`): a list of the health department's family-doctor
contracts is a comparison like any other, its rows of the kinds 家庭医生签约 and
家庭医生解约 checked here (the person in scope, the day, the 新值 by the kind's parser,
disagreeing rows of one day rejected) and recorded by the app's `apply`, in the same
transaction, into its own tables.
"""

import datetime
import re
import unicodedata
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from accounts.models import User
from canlian.declarations import ComparisonItem, ComparisonKind, comparison_kinds
from canlian.importing import Column, Importer, ImportRefused, ImportResult, Issue, Row, Source, id_column, row_numbers
from canlian.jobs import Progress
from registry import excel
from registry.excel import CellError, is_blank
from registry.models import EVENT_FIELD, STATUS_OF_EVENT, EventKind, Person, PersonEvent, Status
from registry.scoping import user_area_prefix
from registry.services import (
    PersonEventChange,
    event_new_value,
    field_to_text,
    person_event_apply,
    person_event_decide,
    person_events_write,
    persons_with_events,
)

EVENT_COLUMNS = ["公民身份号码", "事件", "日期", "新值"]
EVENTS_SHEET = "数据比对"

# The events a list may carry, by the name used in the file. 恢复正常 is not among them:
# restoring a person is a decision of the federation, not a fact from another department.
KIND_BY_NAME = {
    "死亡": EventKind.DEATH,
    "迁出": EventKind.MOVED_OUT,
    "证件注销": EventKind.CANCELLED,
    "等级变更": EventKind.GRADE,
    "类别变更": EventKind.CATEGORY,
    "经济状况变更": EventKind.ECONOMIC,
    "证件换发": EventKind.RENEWAL,
}
# How the 新值 of each kind is read; the status events need none.
VALUE_PARSERS = {
    EventKind.GRADE: excel.parse_grade,
    EventKind.CATEGORY: excel.parse_category,
    EventKind.ECONOMIC: excel.parse_economic_status,
    EventKind.RENEWAL: excel.parse_valid_until,
}
VALUE_HELP = {
    EventKind.GRADE: "新的残疾等级：一级…四级 或 1–4",
    EventKind.CATEGORY: "新的残疾类别：名称或 1–7",
    EventKind.ECONOMIC: "无、低保、低保边缘 或 特困",
    EventKind.RENEWAL: "新证件的有效期至（日期），或 长期",
}
NOT_FOUND = "在您的管辖范围内没有该身份证号的持证人员"


class EventsResult(ImportResult):
    """The outcome of a data comparison: recorded events count as updated persons."""

    sheet_name = EVENTS_SHEET
    count_labels = (
        ("total", "总行数"),
        ("updated", "登记事件"),
        ("unchanged", "未变（系统已一致）"),
        ("rejected", "拒绝"),
    )

    def summary(self) -> str:
        return f"登记事件 {self.updated}，未变 {self.unchanged}，拒绝 {self.rejected_count}"


def _identity(value: object) -> object:
    return value


class EventsImporter(Importer):
    """A department's list of dated events of registered persons."""

    kind = "registry.events"
    title = "数据比对名单"
    permission = "registry.import_persons"
    result_class = EventsResult
    sheet_name = EVENTS_SHEET
    verb = "比对"
    start_template = "registry/comparison_start.html"
    upload_help = f"仅限 .xlsx 或 .xls，列为 {'、'.join(EVENT_COLUMNS)}"
    columns = (
        id_column(),
        Column("事件", required=True, parse="parse_kind"),
        Column("日期", required=True, parse="parse_day"),
        # Read by the event's kind, once the row's kind is known (parse_row).
        Column("新值", required=True, parse=_identity, may_be_blank=True),
    )

    @classmethod
    def page_title(cls) -> str:
        return "数据比对"

    @classmethod
    def start_context(cls) -> dict:
        kinds = [(name, VALUE_HELP.get(kind, "留空")) for name, kind in KIND_BY_NAME.items()]
        return {"kinds": kinds + [(name, kind.value_help) for name, kind in comparison_kinds().items()]}

    def prepare(self) -> None:
        self.prefix = user_area_prefix(self.user)
        if self.prefix is None:
            raise ImportRefused("您的账号没有管辖区域，不能导入数据比对名单")
        self.today = timezone.localdate()
        self.source = self.source_name[:60]

    def missing_message(self, missing: list[str]) -> str:
        return f"缺少必需的列：{'、'.join(missing)}。数据比对名单应有 {'、'.join(EVENT_COLUMNS)} 四列。"

    def parse_kind(self, value: object) -> str:
        """A registry event's kind, or the name of an app's kind (`_declared`)."""
        name = re.sub(r"\s+", "", unicodedata.normalize("NFKC", excel.cell_text(value)))
        if name in KIND_BY_NAME:
            return KIND_BY_NAME[name]
        if name in comparison_kinds():
            return name
        names = [*KIND_BY_NAME, *comparison_kinds()]
        raise CellError(f"无法识别的事件“{excel.cell_text(value)}”，应填写 {'、'.join(names)}")

    def parse_day(self, value: object) -> datetime.date:
        day = excel.parse_date(value)
        if day > self.today:
            raise CellError(f"日期 {day:%Y-%m-%d} 晚于今天：只登记已经发生的事件")
        return day

    def parse_row(self, row: Row) -> None:
        """The 新值 by the row's kind: required for a change of grade, category, economic
        status or renewal, ignored (with a warning) for a status event."""
        kind, day, raw = row.values.get("事件"), row.values.get("日期"), row.values.get("新值")
        value = None
        declared = _declared(kind)
        if declared is not None:
            row.value = {"kind": kind, "date": day, "value": _declared_value(row, declared, raw), "person": None}
            return
        parser = VALUE_PARSERS.get(kind)
        if parser is None:
            if kind and not is_blank(raw):
                label = EventKind(kind).label
                row.warnings.append(Issue("新值", f"{label}不需要新值，已忽略“{excel.cell_text(raw)}”"))
        elif is_blank(raw):
            row.reject("新值", f"{EventKind(kind).label}须填写新值：{VALUE_HELP[kind]}")
        else:
            try:
                value = parser(raw)
            except CellError as exc:
                row.reject("新值", str(exc))
            else:
                if kind == EventKind.RENEWAL and value and day and value < day:
                    row.reject("新值", f"新证件的有效期至 {value:%Y-%m-%d} 早于换发日期 {day:%Y-%m-%d}")
        row.value = {"kind": kind, "date": day, "value": value, "person": None}

    def reject_duplicates(self, rows: list[Row]) -> None:
        """The persons first (a row of no one in scope says so), then the conflicts: two
        rows that set one field of one person on one day to different values cannot both
        be right, so neither is recorded; the same event twice is recorded once."""
        _match_persons(rows, self.prefix)
        by_key: dict[tuple, list[Row]] = defaultdict(list)
        for row in rows:
            if row.ok:
                by_key[(row.id_number, _group(row.value["kind"]), row.value["date"])].append(row)
        for same in by_key.values():
            if len({(r.value["kind"], _new_text(r)) for r in same}) > 1:
                numbers = row_numbers(same)
                for row in same:
                    row.reject("新值", f"同一人同一天的同一项有不同的事件（第 {numbers} 行），这些行都未登记")

    def apply(self, rows: list[Row], result: ImportResult) -> None:
        # The rows' persons, locked until the commit, and their events, read in a few
        # statements: a row that changes nothing (most rows of a roster sent again) is
        # decided without a query of its own, and a change is recorded on them, which keeps
        # them current for the rows after it (performance.md, fix 18).
        # The households of the rows that change an economic status, with all their active
        # members, locked with the rows' persons: 低保 and 特困 are household facts.
        members_of = _household_members(rows)
        ids = [row.value["person"].pk for row in rows]
        ids += [pk for members in members_of.values() for pk in members]
        persons, chains = persons_with_events(ids, lock=True)
        # The new events, decided on `persons` and `chains` (which they keep current) and
        # written together after the last row (PostgreSQL): a 低保 roster of 10,000
        # households wrote its members' thousands of events one by one, each an insert, its
        # person's update and change record (10^6: 91 s; docs/performance.md, "Household
        # comparison list at 10^6").
        pending: list[PersonEventChange] | None = [] if _events_in_bulk() else None
        followed: dict[int, tuple[str, datetime.date]] = {}
        for row in rows:
            if _declared(row.value["kind"]) is None:
                recorded = result.updated
                _record(
                    row,
                    user=self.user,
                    source=self.source,
                    result=result,
                    persons=persons,
                    chains=chains,
                    pending=pending,
                )
                household = row.value["person"].household_id
                if row.ok and row.value["kind"] == EventKind.ECONOMIC and household in members_of:
                    changed = _household_follow(
                        row,
                        members=members_of[household],
                        user=self.user,
                        source=self.source,
                        persons=persons,
                        chains=chains,
                        pending=pending,
                    )
                    # A row that changes no member (a roster sent again) leaves the household
                    # as it is too: no update, no line of its story.
                    if changed or result.updated > recorded:
                        followed[household] = (row.value["value"], row.value["date"])
        if pending:
            # Before the households and the apps' kinds, as when written one by one.
            person_events_write(pending)
        _households_set(followed, user=self.user, source=self.source)
        _apply_declared(
            [row for row in rows if _declared(row.value["kind"]) is not None],
            user=self.user,
            source=self.source,
            result=result,
            persons=persons,
        )

    def audit_data(self, result: ImportResult) -> dict:
        return {**super().audit_data(result), "kind": "events"}


def events_import(*, user: User, path: Source, source_name: str, progress: Progress | None = None) -> EventsResult:
    """Record the events of a comparison workbook on behalf of `user`; see the module
    docstring. Raises `ImportRefused` (nothing written) for a file that cannot be used."""
    return EventsImporter(user=user, source_name=source_name).run(path, progress)


REGISTRY_KINDS = frozenset(KIND_BY_NAME.values())


def _events_in_bulk() -> bool:
    """Whether the file's new events are written together (`person_events_write`, on
    PostgreSQL) rather than each as it is decided (`person_event_apply`, elsewhere)."""
    return connection.vendor == "postgresql"


def _event_record(pending: list[PersonEventChange] | None, **event) -> bool:
    """One event by the rule of `person_event_record`, decided on the held person and
    chain (`person_event_decide`, which keeps both current) and written at once, or kept
    in `pending` for `person_events_write`. Returns whether it is new (False: recorded
    already); raises as `person_event_decide` does, with nothing changed."""
    _, change = person_event_decide(**event)
    if change is None:
        return False
    if pending is None:
        person_event_apply(change)
    else:
        pending.append(change)
    return True


def _declared(kind: str | None) -> ComparisonKind | None:
    """The app's kind of this name (None: a registry event, or no kind)."""
    return None if not kind or kind in REGISTRY_KINDS else comparison_kinds().get(kind)


def _group(kind: str) -> str:
    """What a kind changes: the person's field, or the declared kind's group."""
    declared = _declared(kind)
    return f"app:{declared.group}" if declared is not None else EVENT_FIELD[kind]


def _declared_value(row: Row, kind: ComparisonKind, raw: object) -> object:
    """The 新值 of a row of an app's kind, read by the kind's parser (a refusal rejects the
    row); a kind without one ignores a value with a warning."""
    if kind.parse_value is None:
        if not is_blank(raw):
            row.warnings.append(Issue("新值", f"{kind.name}不需要新值，已忽略“{excel.cell_text(raw)}”"))
        return None
    if is_blank(raw):
        row.reject("新值", f"{kind.name}须填写新值：{kind.value_help}")
        return None
    try:
        return kind.parse_value(raw)
    except ValidationError as exc:
        row.reject("新值", "；".join(exc.messages))
        return None


def _apply_declared(rows: list[Row], *, user: User, source: str, result: EventsResult, persons) -> None:
    """The rows of the apps' kinds, one call of each group's `apply` with its rows, on the
    persons locked for the whole file."""
    by_group: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_group[_declared(row.value["kind"]).group].append(row)
    for same in by_group.values():
        kind = _declared(same[0].value["kind"])
        items = [
            ComparisonItem(
                row=r.row,
                kind=r.value["kind"],
                person=persons[r.value["person"].pk],
                date=r.value["date"],
                value=r.value["value"],
            )
            for r in same
        ]
        outcomes = kind.apply(items, user=user, source=source)
        for row, outcome in zip(same, outcomes, strict=True):
            if outcome.refusal:
                row.reject("事件", outcome.refusal)
            elif outcome.changed:
                result.updated += 1
            else:
                result.unchanged += 1


def _new_text(row: Row) -> str:
    if _declared(row.value["kind"]) is not None:
        return excel.cell_text(row.value["value"]) if row.value["value"] is not None else ""
    return event_new_value(row.value["kind"], row.value["value"])


def _match_persons(rows: list[Row], prefix: str) -> None:
    """Attach each row's person. A person outside the importer's area gets the same answer
    as one not registered at all, so the file does not reveal who is registered elsewhere."""
    numbers = sorted({r.id_number for r in rows if r.id_number})
    persons: dict[str, Person] = {}
    for start in range(0, len(numbers), 1000):
        for person in Person.objects.filter(id_number__in=numbers[start : start + 1000]):
            persons[person.id_number] = person
    for row in rows:
        if not row.id_number:
            continue
        person = persons.get(row.id_number)
        if person is None or not person.area_id.startswith(prefix):
            row.reject("公民身份号码", NOT_FOUND)
            continue
        row.value["person"] = person
        day = row.value["date"]
        if day and day < person.birth_date:
            row.reject("日期", f"日期 {day:%Y-%m-%d} 早于该人员的出生日期")


def _household_members(rows: list[Row]) -> dict[int, list[int]]:
    """The active members of the households of the rows' persons whose economic status a
    row changes, by household: one statement per 1,000 households."""
    households = sorted(
        {
            row.value["person"].household_id
            for row in rows
            if row.value["kind"] == EventKind.ECONOMIC and row.value["person"].household_id
        }
    )
    members: dict[int, list[int]] = defaultdict(list)
    for start in range(0, len(households), 1000):
        chunk = households[start : start + 1000]
        for pk, household in (
            Person.objects.filter(household__in=chunk, status=Status.ACTIVE)
            .order_by("pk")
            .values_list("pk", "household_id")
        ):
            members[household].append(pk)
    return members


def _household_follow(
    row: Row,
    *,
    members: list[int],
    user: User,
    source: str,
    persons: dict[int, Person],
    chains: dict[tuple[int, str], list[PersonEvent]],
    pending: list[PersonEventChange] | None,
) -> int:
    """The row's economic status for the other active members of its person's household,
    each a dated event by the same rule (`_event_record`), on the persons read and locked
    with the file's, written with the file's events; a member already in it that day is
    left as is. Returns how many members changed."""
    value, day = row.value["value"], row.value["date"]
    new = event_new_value(EventKind.ECONOMIC, value)
    changed = 0
    for pk in members:
        if pk == row.value["person"].pk:
            continue
        person, chain = persons[pk], chains[(pk, "economic_status")]
        if day < person.birth_date or _value_on(person, "economic_status", day, chain) == new:
            continue
        changed += _event_record(
            pending,
            user=user,
            locked=person,
            chain=chain,
            kind=EventKind.ECONOMIC,
            date=day,
            value=value,
            reason=f"数据比对（随户）：{source}"[:200],
            source=source,
            check_scope=False,
        )
    if changed:
        row.warnings.append(Issue("公民身份号码", f"同户另有 {changed} 名残疾人随户登记了经济状况"))
    return changed


def _households_set(followed: dict[int, tuple[str, datetime.date]], *, user: User, source: str) -> None:
    """Each household's economic status as the file's last row of it leaves it (a
    back-dated row does not overwrite a later status), and a line of its story: a few
    statements per distinct (status, day), not one per household."""
    if not followed:
        return
    from django.db.models import Q

    from registry.models import EconomicStatus, Household, HouseholdLog

    by_value: dict[tuple[str, datetime.date], list[int]] = defaultdict(list)
    for household, key in followed.items():
        by_value[key].append(household)
    for (value, day), households in by_value.items():
        for start in range(0, len(households), 1000):
            Household.objects.filter(pk__in=households[start : start + 1000]).filter(
                Q(economic_status_date__isnull=True) | Q(economic_status_date__lte=day)
            ).update(economic_status=value, economic_status_date=day, updated_at=timezone.now())
    HouseholdLog.objects.bulk_create(
        [
            HouseholdLog(
                household_id=household,
                date=day,
                title="经济状况变更",
                detail=f"{EconomicStatus(value).label}（数据比对：{source}）"[:200],
                created_by=user,
            )
            for household, (value, day) in followed.items()
        ],
        batch_size=1000,
    )


def _value_on(person: Person, field_name: str, day: datetime.date, chain: list[PersonEvent]) -> str:
    """The field's value (as text) at the end of `day`, from the person's `chain` of the
    field's events (in date order)."""
    value = chain[0].old_value if chain else field_to_text(field_name, getattr(person, field_name))
    for event in chain:
        if event.date <= day:
            value = event.new_value
    return value


def _record(
    row: Row,
    *,
    user: User,
    source: str,
    result: EventsResult,
    persons: dict[int, Person],
    chains: dict[tuple[int, str], list[PersonEvent]],
    pending: list[PersonEventChange] | None,
) -> None:
    kind, day = row.value["kind"], row.value["date"]
    field_name = EVENT_FIELD[kind]
    # As the rows before left them.
    pk = row.value["person"].pk
    person, chain = persons[pk], chains[(pk, field_name)]
    if kind in STATUS_OF_EVENT and person.status == STATUS_OF_EVENT[kind] and person.status_date != day:
        # The registry already has this status from another day: which day is right is a
        # question for the officer, not something to overwrite from a list.
        row.reject(
            "日期",
            f"系统中该人员已于 {person.status_date:%Y-%m-%d} 登记为“{person.get_status_display()}”，"
            f"与本行日期 {day:%Y-%m-%d} 不同，未登记；如需更正请在人员页面处理",
        )
        return
    if _value_on(person, field_name, day, chain) == _new_text(row):
        result.unchanged += 1
        return
    try:
        created = _event_record(
            pending,
            user=user,
            locked=person,
            chain=chain,
            kind=kind,
            date=day,
            value=row.value["value"],
            reason=f"数据比对：{source}"[:200],
            source=source,
        )
    except (ValidationError, PermissionDenied) as exc:
        row.reject("事件", "；".join(getattr(exc, "messages", None) or [str(exc)]))
        return
    if created:
        result.updated += 1
    else:
        result.unchanged += 1
