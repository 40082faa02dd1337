"""python bench/run.py --size N [--runs 5]: measure Canlian on the registry that
`bench/generate.py --size N` made, print a table and update docs/performance.md.

Each measurement runs in its own child process (so its ru_maxrss is its own), as the
median of `--runs` timed runs, next to a baseline measured in the same process and the
same runs; one more run under tracemalloc gives the Python side's peak (tracemalloc slows
Python down, so it is never a timed run). Nothing here asserts a time.

- import: `persons_import` of a .xlsx of min(N, 100000) new persons (written with the
  export's own cell writer) with the deferred checks its commit would run, rolled back
  after each run, the tables vacuumed and reindexed before each; baselines: python-calamine
  read of the same file + COPY of the same rows into a temp table, and + COPY of the same
  rows, typed as the import types them, into `registry_person` itself (rolled back);
- reimport: the same of min(N, 100000) registered persons, each with a new phone number;
  baseline: the same read + COPY into a temp table; reimport_deaths: the same persons,
  unchanged but every 10th, who has died (a dated event each);
- comparison: `events_import` of a 低保 roster of min(N, 10000) registered persons, one
  economic-status row each, every 7th a change (no baseline);
- household_comparison: `events_import` of a 低保 roster of min(N, 10000) households, one
  row for the head of each (the first active persons of each community by id, two to a
  household, grouped once and kept: 20,000 persons at 10^4 and above), every 7th a change,
  which each records for both members (no baseline);
- love_pack_deliveries: the import of min(N, 10000) deliveries of the benchmark's 生活爱心包
  (for every certificate holder, started once and kept) as its page starts it, a
  `canlian.Job` (`import_job_start`, the task run at once: the stored upload, the job's
  bookkeeping, `outreach.imports.DeliveryImporter`, the report), rolled back after each
  run; baseline: calamine read + COPY of the same file into a temp table;
- eligibility: `eligible_count(scheme, month)`, and the list of all ID numbers streamed
  as the list's export reads it, for `nursing` and `living` in the current month;
- payroll: `payroll_generate` of the current month for each scheme, the previous months
  approved (steady state), with the deferred constraint checks a commit would run, rolled
  back after each run; then, untimed in it, `payroll_approve` (timed apart). Baselines: one
  hand-written INSERT … SELECT of the same (person, month, amount) rows into a temp scratch
  table, from the awards joined to the persons' current state; and the same lines into the
  payment table itself (its indexes and write-ahead log), rolled back;
- search and list: /persons/ through Django's test client, logged in as a district user:
  name prefix, full ID number, certificate number, the first page and page 1,000; p50 and
  p95 over `--requests` requests;
- attendance_day: `care.services.attendance.attendance_save` of today for a centre of 60
  members (made for the item from the first 60 active persons not members elsewhere,
  rolled back at its end),
  every fifth absent with a reason, rolled back after each run; baseline: the same 60 rows
  by one bulk INSERT (`Attendance.objects.bulk_create`), rolled back;
- attendance_month: the monthly attendance sheet (.xlsx) of the last full month of every
  day-care institution that `bench/generate.py` made (~40,000 members at 10^6), each by
  `care.selectors.month_sheet` and `care.exports.AttendanceSheetExporter`; baseline: one
  hand-written SELECT of the same members' marks, pivoted and written by xlsxwriter;
- indicators: `indicators_refresh` of every indicator for the current year (the nightly run
  and "refresh now"), rolled back after each run, with each indicator's own time; the
  dashboard /targets/ as the district administrator (every town and the district), p50 and
  p95 as above, after one committed refresh;
- work list: /work/ (我的待办, every kind, first page) as the officer of the largest town and
  as the district administrator, p50 and p95 as above, after one committed preparation: that
  officer's account and open subsidy applications of one active person in a hundred, a third
  at each review step. Baseline: the statements of one request replayed by a raw cursor;
  beside it each kind's count alone, and the counts and the page as before this session's
  fixes (rehab's anti-join, no `person_watch_idx`) inside a rolled-back transaction.

- duplicates: `registry.duplicates.duplicates_find`, the nightly duplicate check over the
  whole registry (its grouped keys per reason and the upsert of the pairs), rolled back after
  each run, with one person in a thousand registered a second time before it (untimed);
  baseline: one GROUP BY of the persons on (name, birth date) keeping the groups
  of two or more, the least any check of the first reason reads.

`--explain` also writes EXPLAIN ANALYZE of the slow statements, `--profile` a cProfile of
the import, to var/bench/.
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from common import ADMIN_USER, PASSWORD, REVIEWER_USER, ROOT, add_months, bench_month, db_name, setup_django

OUT_DIR = ROOT / "var" / "bench"
NAME_SUFFIX = ""  # "_fixes" when measuring with the proposed fixes
DOC = ROOT / "docs" / "performance.md"
IMPORT_MAX_ROWS = 100_000
LIST_PAGE = 1000

ITEMS = [
    "import",
    "reimport",
    "reimport_deaths",
    "comparison",
    "household_comparison",
    "eligibility_count_nursing",
    "eligibility_list_nursing",
    "eligibility_count_living",
    "eligibility_list_living",
    "payroll_nursing",
    "payroll_living",
    "search_name",
    "search_id",
    "search_certificate",
    "list_first",
    "list_page_1000",
    "attendance_day",
    "attendance_month",
    "indicator_refresh",
    "refresh_after_approval",
    "refresh_after_record",
    "refresh_after_import",
    "refresh_full",
    "dashboard",
    "annual_report",
    "love_pack_deliveries",
    "worklist_town",
    "worklist_district",
    "duplicates",
]

# The items that import a file: their runs are `--import-runs`, and the tables are
# vacuumed after them.
IMPORT_ITEMS = ("import", "reimport", "reimport_deaths", "comparison", "household_comparison", "love_pack_deliveries")


# Child side -------------------------------------------------------------------------------


class SqlLog:
    """Django execute wrapper: the statements a run sent and how long each took."""

    def __init__(self) -> None:
        self.entries: list[tuple[float, str, object]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.entries.append((time.perf_counter() - started, sql, params))

    def slowest(self, count: int = 5) -> list[tuple[float, str, object]]:
        return sorted(self.entries, key=lambda e: -e[0])[:count]

    def heaviest(self, count: int = 3) -> list[tuple[float, int, str, object]]:
        """(total seconds, executions, sql, params of one) of the statements that took the
        most time in all, grouped by their text."""
        groups: dict[str, list] = {}
        for seconds, sql, params in self.entries:
            group = groups.setdefault(sql, [0.0, 0, sql, params])
            group[0] += seconds
            group[1] += 1
        return sorted((tuple(g) for g in groups.values()), key=lambda g: -g[0])[:count]


TRACE = True  # one more run of each under tracemalloc (--no-trace skips it)


def measure(function, runs: int, baseline=None, prepare=None) -> dict:
    """`runs` timed runs of `function` (and of `baseline` right after each), then one run
    of each under tracemalloc. `prepare` runs untimed before every run."""
    times, base_times, extra = [], [], {}
    for _ in range(runs):
        if prepare:
            prepare()
        started = time.perf_counter()
        extra = function() or {}
        # A step the function times itself and leaves out (the payroll's approval).
        times.append(time.perf_counter() - started - extra.pop("untimed", 0.0))
        if baseline:
            if prepare:
                prepare()
            started = time.perf_counter()
            baseline_extra = baseline() or {}
            base_times.append(time.perf_counter() - started)
            extra.update({f"baseline_{k}": v for k, v in baseline_extra.items()})
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peaks = []
    for step in (function, baseline):
        if step is None:
            continue
        if not TRACE:
            peaks.append(None)
            continue
        if prepare:
            prepare()
        tracemalloc.start()
        step()
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    result = {
        "runs": times,
        "median": statistics.median(times),
        "tracemalloc_peak": peaks[0],
        "maxrss": maxrss_kb * 1024,
        **extra,
    }
    if baseline:
        result.update(
            baseline_runs=base_times,
            baseline_median=statistics.median(base_times),
            baseline_tracemalloc_peak=peaks[1],
            ratio=statistics.median(times) / statistics.median(base_times),
        )
    return result


def rolled_back(function):
    """Run `function` in a transaction that is rolled back: every run starts from the same data."""
    from django.db import transaction

    def wrapper():
        with transaction.atomic():
            try:
                return function()
            finally:
                transaction.set_rollback(True)

    return wrapper


def _users():
    from accounts.models import User

    return User.objects.get(username=ADMIN_USER), User.objects.get(username=REVIEWER_USER)


# Import ------------------------------------------------------------------------------------


def write_import_file(size: int, path: Path, count: int | None = None) -> int:
    """min(size, 100000) new persons (or `count`) in the template's columns, written by the
    export's own cell writer. Their ID sequence codes count down from 999 where the
    registry's count up from 001, and any that the registry holds anyway are left out."""
    from django.db import connection
    from generate import PERSON_COLUMNS, PersonGenerator

    from areas.models import Area
    from registry import excel
    from registry.models import Person

    count = count or min(size, IMPORT_MAX_ROWS)
    generator = PersonGenerator(seed=size + 7, today=datetime.date.today(), admin_id=0, now=None, descending=True)
    areas = {a.code: a for a in Area.objects.select_related("parent")}
    rows = list(generator.rows(count))
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM registry_person WHERE id_number = ANY(%s)", [[r[3] for r in rows]])
        taken = {n for (n,) in cursor.fetchall()}
    fields = [c for c in PERSON_COLUMNS if c not in ("id", "flags", "created_at", "updated_at")]

    def persons():
        for row in rows:
            values = dict(zip(PERSON_COLUMNS, row, strict=True))
            if values["id_number"] not in taken:
                yield Person(**{f: values[f] for f in fields if f != "area_id"}, area=areas[values["area_id"]])

    return excel.PersonExporter(persons(), reveal=True).write(str(path))


def _bench_file(write, size: int) -> tuple[Path, int]:
    """A workbook written by `write(size, path)` in a folder of its own: its path and rows."""
    path = Path(tempfile.mkdtemp(prefix="canlian-bench-")) / "persons.xlsx"
    started = time.perf_counter()
    rows = write(size, path)
    print(f"    wrote {rows:,} rows ({path.stat().st_size / 2**20:.1f} MB) in {time.perf_counter() - started:.1f} s")
    return path, rows


def item_import(size: int, runs: int, args) -> dict:
    from python_calamine import CalamineWorkbook

    from registry.imports import persons_import

    admin, _ = _users()
    path, rows = _bench_file(write_import_file, size)

    @rolled_back
    def run_import():
        result = persons_import(user=admin, path_or_file=path, source_name="bench.xlsx")
        _check_deferred()
        if result.rejected_count:
            first = result.rejected[0]
            print(f"    {result.rejected_count} rejected, e.g. row {first.row}: {first.reason_text}")
        return {"rows": rows, "created": result.created, "rejected": result.rejected_count}

    def read_and_copy():
        return _read_and_copy(path)

    # The same rows, typed as the import types them (prepared once, untimed), written by one
    # COPY into `registry_person` itself (its indexes and write-ahead log), after the same
    # calamine read, rolled back: the physical limit of reading the file and storing it.
    typed = _typed_rows(admin, path)
    table_times: list[float] = []

    @rolled_back
    def read_and_copy_into_registry():
        started = time.perf_counter()
        CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        _copy_persons(typed)
        _check_deferred()
        table_times.append(time.perf_counter() - started)

    def prepare():
        # Each run writes into the tables as the registry left them, not as the rolled-back
        # runs before it did (see `_reset_person_tables`).
        _reset_person_tables()
        if len(table_times) < runs:
            read_and_copy_into_registry()
            _reset_person_tables()

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(run_import)
        out = OUT_DIR / f"profile_import_{size}.txt"
        with out.open("w") as stream:
            pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(40)
            pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(30)
        print(f"    profile written to {out}")
    result = measure(run_import, runs, baseline=read_and_copy, prepare=prepare)
    result["table_baseline_median"] = statistics.median(table_times[:runs])
    result["table_ratio"] = result["median"] / result["table_baseline_median"]
    return result


def _read_and_copy(path: Path) -> dict:
    """The issue's baseline of an import: python-calamine's read of the file and a COPY of
    its cells as text into a temp table."""
    from django.db import connection
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    width = len(sheet[0])
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS bench_import_copy (" + ", ".join(f"c{i} text" for i in range(width)) + ")"
        )
        cursor.execute("TRUNCATE bench_import_copy")
        with cursor.cursor.copy("COPY bench_import_copy FROM STDIN") as copy:
            for cells in sheet[1:]:
                copy.write_row([None if v == "" else str(v) for v in cells])
    return {"rows": len(sheet) - 1}


def _write_registered(size: int, path: Path, change) -> int:
    """min(size, 100000) registered persons (active, the first by id) in the template's
    columns, written by the export's own cell writer, each after `change(number, person)`."""
    from registry import excel
    from registry.models import Person

    persons = Person.objects.select_related("area__parent").filter(status="active").order_by("id")

    def changed():
        for number, person in enumerate(persons[: min(size, IMPORT_MAX_ROWS)].iterator(chunk_size=5000), start=1):
            change(number, person)
            yield person

    return excel.PersonExporter(changed(), reveal=True).write(str(path))


def write_reimport_file(size: int, path: Path) -> int:
    """Registered persons, each with a new phone number: the yearly re-verification list of
    a town whose every row changes one column."""

    def new_phone(number, person):
        person.phone = f"139{number:08d}"

    return _write_registered(size, path, new_phone)


DEATHS_EVERY = 10


def write_reimport_deaths_file(size: int, path: Path) -> int:
    """The same persons, unchanged but every 10th, who has died on the 1st of last month: a
    town's re-verification list that records deaths as events."""
    from registry.models import Status

    died = add_months(bench_month(), -1)

    def death(number, person):
        if number % DEATHS_EVERY == 0:
            person.status, person.status_date = Status.DECEASED, died

    return _write_registered(size, path, death)


def item_reimport(size: int, runs: int, args, write=write_reimport_file) -> dict:
    from registry.imports import persons_import

    admin, _ = _users()
    path, rows = _bench_file(write, size)

    @rolled_back
    def run_reimport():
        result = persons_import(user=admin, path_or_file=path, source_name="bench.xlsx")
        _check_deferred()
        return {"rows": rows, "updated": result.updated, "rejected": result.rejected_count}

    return measure(run_reimport, runs, baseline=lambda: _read_and_copy(path), prepare=_reset_person_tables)


COMPARISON_ROWS = 10_000
COMPARISON_CHANGE_EVERY = 7


def write_comparison_file(size: int, path: Path) -> int:
    """A 低保 roster sent back by civil affairs: min(size, 10,000) registered persons (active,
    the first by id), one 经济状况变更 row each, dated the 1st of this month; every 7th
    changes the person's economic status (to 低保, or from 低保 to 无), the others repeat it."""
    import xlsxwriter

    from registry.comparison import EVENT_COLUMNS, EVENTS_SHEET
    from registry.models import EconomicStatus, Person

    persons = Person.objects.filter(status="active").order_by("id").values_list("id_number", "economic_status")
    date = bench_month().isoformat()
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet(EVENTS_SHEET)
    for col, header in enumerate(EVENT_COLUMNS):
        sheet.write_string(0, col, header)
    written = 0
    for number, status in persons[: min(size, COMPARISON_ROWS)].iterator(chunk_size=5000):
        written += 1
        if written % COMPARISON_CHANGE_EVERY == 0:
            status = EconomicStatus.NONE if status == EconomicStatus.DIBAO else EconomicStatus.DIBAO
        for col, value in enumerate((number, "经济状况变更", date, EconomicStatus(status).label)):
            sheet.write_string(written, col, value)
    book.close()
    return written


def item_comparison(size: int, runs: int, args) -> dict:
    from registry.comparison import events_import

    admin, _ = _users()
    path, rows = _bench_file(write_comparison_file, size)

    @rolled_back
    def run_comparison():
        result = events_import(user=admin, path=path, source_name="bench.xlsx")
        return {"rows": rows, "updated": result.updated, "rejected": result.rejected_count}

    # No baseline: a COPY of a 4-column file is no limit for recording dated events, each
    # through the person's chain of events (performance.md, fix 18).
    return measure(run_comparison, runs, prepare=_reset_person_tables)


BENCH_HOUSEHOLD_PREFIX = "BENCH"


def _bench_households(size: int) -> list[tuple[str, str]]:
    """The benchmark's households, made once and kept (committed): the first active persons
    of each community by id, two to a household, min(size, 10,000) households. Returns
    (head's ID number, head's economic status) per household, in household order."""
    from django.db import connection, transaction

    from registry.models import Household, Person

    wanted = min(size, COMPARISON_ROWS)
    if Household.objects.filter(number__startswith=BENCH_HOUSEHOLD_PREFIX).count() < wanted:
        with transaction.atomic(), connection.cursor() as cursor:
            # Pairs of consecutive active persons of one community, as one INSERT … SELECT
            # of the households and one UPDATE of their members.
            cursor.execute(
                """
                CREATE TEMP TABLE bench_pairs ON COMMIT DROP AS
                SELECT id, area_id, (row_number() OVER (PARTITION BY area_id ORDER BY id) - 1) / 2 AS pair
                FROM registry_person WHERE status = 'active' AND household_id IS NULL
                """
            )
            cursor.execute(
                """
                CREATE TEMP TABLE bench_heads ON COMMIT DROP AS
                SELECT area_id, pair, min(id) AS head FROM bench_pairs GROUP BY area_id, pair
                HAVING count(*) = 2 ORDER BY min(id) LIMIT %s
                """,
                [wanted],
            )
            cursor.execute(
                """
                INSERT INTO registry_household (number, area_id, address, economic_status, created_at, updated_at)
                SELECT %s || lpad(head::text, 10, '0'), area_id, '', 'none', now(), now() FROM bench_heads
                """,
                [BENCH_HOUSEHOLD_PREFIX],
            )
            cursor.execute(
                """
                UPDATE registry_person p SET household_id = h.id,
                    relationship_to_head = CASE WHEN p.id = b.head THEN '户主' ELSE '兄弟姐妹' END
                FROM bench_pairs x JOIN bench_heads b ON b.area_id = x.area_id AND b.pair = x.pair
                JOIN registry_household h ON h.number = %s || lpad(b.head::text, 10, '0')
                WHERE p.id = x.id
                """,
                [BENCH_HOUSEHOLD_PREFIX],
            )
    heads = (
        Person.objects.filter(household__number__startswith=BENCH_HOUSEHOLD_PREFIX, relationship_to_head="户主")
        .order_by("household_id")
        .values_list("id_number", "economic_status")
    )
    return list(heads[:wanted])


def item_household_comparison(size: int, runs: int, args) -> dict:
    """A 低保 roster of households: one row per household head; a change records the
    event of both members (`registry.comparison._household_follow`)."""
    import xlsxwriter

    from registry.comparison import EVENT_COLUMNS, EVENTS_SHEET, events_import
    from registry.models import EconomicStatus

    admin, _ = _users()
    heads = _bench_households(size)

    def write(size: int, path: Path) -> int:
        date = bench_month().isoformat()
        book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = book.add_worksheet(EVENTS_SHEET)
        for col, header in enumerate(EVENT_COLUMNS):
            sheet.write_string(0, col, header)
        for written, (number, status) in enumerate(heads, start=1):
            if written % COMPARISON_CHANGE_EVERY == 0:
                status = EconomicStatus.NONE if status == EconomicStatus.DIBAO else EconomicStatus.DIBAO
            for col, value in enumerate((number, "经济状况变更", date, EconomicStatus(status).label)):
                sheet.write_string(written, col, value)
        book.close()
        return len(heads)

    path, rows = _bench_file(write, size)

    @rolled_back
    def run_comparison():
        result = events_import(user=admin, path=path, source_name="bench.xlsx")
        return {"rows": rows, "updated": result.updated, "rejected": result.rejected_count}

    return measure(run_comparison, runs, prepare=_reset_person_tables)


LOVE_PACK_ROWS = 10_000
LOVE_PACK = "基准测试生活爱心包"


def _love_pack():
    """The benchmark's campaign for every certificate holder, started once (its list frozen
    by the one INSERT … SELECT, committed) and kept for later runs."""
    from outreach.campaigns import campaign_create, campaign_start
    from outreach.models import Campaign

    admin, _ = _users()
    campaign = Campaign.objects.filter(name=LOVE_PACK).first()
    if campaign is None:
        today = datetime.date.today()
        campaign = campaign_create(
            user=admin,
            name=LOVE_PACK,
            gift="米、油、日用品一份",
            starts_on=today - datetime.timedelta(days=30),
            ends_on=today + datetime.timedelta(days=60),
            rule="certified",
        )
        started = time.perf_counter()
        count = campaign_start(user=admin, campaign=campaign)
        print(f"    started the campaign: {count:,} persons on its list in {time.perf_counter() - started:.1f} s")
    return campaign


def write_love_pack_file(size: int, path: Path) -> int:
    """min(size, 10,000) persons of the campaign's list not delivered yet, certified before
    the campaign began (so each row passes), delivered today by one community worker."""
    import xlsxwriter

    from outreach.models import CampaignDelivery, CampaignTarget

    campaign = _love_pack()
    delivered = CampaignDelivery.objects.filter(campaign=campaign).values("person_id")
    targets = (
        CampaignTarget.objects.filter(campaign=campaign)
        .exclude(person_id__in=delivered)
        .filter(person__certificate_issued__lte=campaign.starts_on)
        .order_by("person_id")
        .values_list("person__id_number", flat=True)[: min(size, LOVE_PACK_ROWS)]
    )
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("发放记录")
    sheet.write_row(0, 0, ["公民身份号码", "发放日期", "发放人"])
    today = datetime.date.today().isoformat()
    rows = 0
    for rows, number in enumerate(targets, start=1):
        sheet.write_row(rows, 0, [number, today, "林姐"])
    book.close()
    return rows


def item_love_pack(size: int, runs: int, args) -> dict:
    """The bulk import of love-pack deliveries as the import page starts it: the upload kept
    and its `canlian.Job` run (`import_job_start`; the benchmark's task backend runs the job
    at once, in the run's transaction: the file stored, `run_import`'s job bookkeeping and
    progress, `outreach.imports.DeliveryImporter`, the report), rolled back after each run;
    baseline: the file's read and COPY into a temp table."""
    from django.core.files import File

    from canlian.importing import import_job_start
    from outreach.imports import DeliveryImporter

    admin, _ = _users()
    path, rows = _bench_file(write_love_pack_file, size)

    @rolled_back
    def run_import():
        with path.open("rb") as handle:
            job = import_job_start(DeliveryImporter, user=admin, upload=File(handle, name="爱心包发放.xlsx"))
        job.refresh_from_db()
        report = job.report or {}
        if job.state != "done" or report.get("rejected"):
            raise RuntimeError(f"love-pack job {job.state}: {job.message} {str(report)[:300]}")
        return {"rows": rows, "created": report.get("counts", {}).get("created", 0)}

    return measure(run_import, runs, baseline=lambda: _read_and_copy(path))


def _reset_person_tables() -> None:
    """The tables an import writes, as they were before the rolled-back runs: a rolled-back
    run leaves its rows dead in the tables (vacuumed) and its page splits in the indexes
    (rebuilt: 100,000 rows at random places in the list index split pages that no vacuum
    merges again, so without it each run wrote into a larger index than the one before,
    74 -> 178 MB over 40 runs at 10^6); the person counters' upserts leave a dead version
    of each counter they touched."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM registry_person, registry_historicalperson, registry_personcount")
        for table in ("registry_person", "registry_historicalperson", "registry_personcount"):
            cursor.execute(f"REINDEX TABLE {table}")


def _check_deferred() -> None:
    """What the commit of a rolled-back run would check (the deferred foreign keys): part of
    its cost. Without it the payroll's runs left out the per-line checks, and the import's
    the area check of every new person and the user check of every history record."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _typed_rows(admin, path: Path) -> list[tuple]:
    """The file's rows as the import would store them: `registry_person`'s columns in order."""
    import json
    import operator

    from django.utils import timezone

    from canlian.importing import table_read
    from registry import excel, imports
    from registry.models import Person
    from registry.scoping import user_area_prefix

    table = table_read(path, known=excel.COLUMN_BY_HEADER)
    parser = imports.RowParser(index=table.index, prefix=user_area_prefix(admin), today=timezone.localdate())
    parsed = sorted((parser.parse(number, row) for number, row in table.rows), key=lambda p: p.id_number)
    row_of = operator.itemgetter(*(f.attname for f in Person._meta.concrete_fields))
    now = timezone.now()
    rows = []
    for p in parsed:
        values = imports._new_person_values(p, [])
        values.update(id=None, created_at=now, updated_at=now, flags=json.dumps(values["flags"]))
        rows.append(row_of(values))
    return rows


def _copy_persons(rows: list[tuple]) -> None:
    from django.db import connection

    from registry.models import Person

    fields = Person._meta.concrete_fields
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('registry_person', 'id')) FROM generate_series(1, %s)", [len(rows)]
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        columns = ", ".join(f.column for f in fields)
        with cursor.cursor.copy(f"COPY registry_person ({columns}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row((pk, *row[1:]))


# Eligibility -------------------------------------------------------------------------------


def item_eligibility(size: int, runs: int, args, *, code: str, kind: str) -> dict:
    from benefits.models import Scheme
    from benefits.selectors import eligible_count, eligible_persons

    scheme = Scheme.objects.get(code=code)
    month = bench_month()

    def count():
        return {"rows": eligible_count(scheme, month)}

    def fetch():
        # As the list's export reads it (benefits.views_eligibility): in its order, streamed
        # from a server-side cursor in chunks, never the whole list in Python.
        listed = eligible_persons(scheme, month).order_by("area_id", "id_number").values_list("id_number", flat=True)
        return {"rows": sum(1 for _ in listed.iterator(chunk_size=2000))}

    if args.explain:
        explain(f"eligibility_{kind}_{code}_{size}", eligible_persons(scheme, month).values("id_number"))
    return measure(count if kind == "count" else fetch, runs)


def item_duplicates(size: int, runs: int, args) -> dict:
    from django.db import connection

    from registry.duplicates import duplicates_find
    from registry.models import Person

    fields = [f for f in Person._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(f.column for f in fields)
    # One person in a thousand registered again (untimed, rolled back with the run): the
    # same name, birth date and address under another ID and certificate number, the kind
    # of pair the check is for (the generated registry has hardly any by chance).
    copied = {"id_number": "'9' || substr(id_number, 2)", "certificate_number": "'9' || substr(certificate_number, 2)"}
    plant = (
        f"INSERT INTO registry_person ({columns}) SELECT "
        + ", ".join(copied.get(f.column, f.column) for f in fields)
        + " FROM registry_person WHERE id % 1000 = 0"
    )

    def check():
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(plant)
            planted = cursor.rowcount
        untimed = time.perf_counter() - started
        found = duplicates_find()
        return {"rows": found.open, "planted": planted, "untimed": untimed}

    def grouped():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM (SELECT name, birth_date FROM registry_person "
                "GROUP BY name, birth_date HAVING count(*) > 1) g"
            )
            return {"groups": cursor.fetchone()[0]}

    return measure(rolled_back(check), runs, baseline=grouped)


def explain(name: str, queryset) -> None:
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        plan = "\n".join(r[0] for r in cursor.fetchall())
    (OUT_DIR / f"explain_{name}{NAME_SUFFIX}.txt").write_text(f"{sql}\n-- params: {params!r}\n\n{plan}\n")


# Payroll -----------------------------------------------------------------------------------

# The lines of a month by the rule on the persons' current state (as the generator
# awarded), for the hand-written statements: their amount, and FROM … WHERE ….
RAW_AMOUNT = """(SELECT amount_fen FROM benefits_rate WHERE scheme_id = a.scheme_id AND variant = ''
          AND valid_from <= %(month)s ORDER BY valid_from DESC LIMIT 1)"""
RAW_LINES = """
FROM benefits_award a JOIN registry_person p ON p.id = a.person_id
WHERE a.scheme_id = %(scheme)s AND a.start_month <= %(month)s
  AND (a.end_month IS NULL OR a.end_month >= %(month)s)
  AND p.status = 'active' AND {base} AND {rule}
"""
# Into a temp scratch table; into the payment table itself, in its unique index's order.
RAW_PAYROLL = (
    "INSERT INTO bench_payroll_scratch (person_id, month, amount_fen)\n"
    f"SELECT a.person_id, %(month)s::date, {RAW_AMOUNT}" + RAW_LINES
)
RAW_PAYROLL_TABLE = (
    "INSERT INTO benefits_paymentmonth (batch_id, scheme_id, person_id, award_id, area_code, month, amount_fen)\n"
    f"SELECT %(batch)s, a.scheme_id, a.person_id, a.id, p.area_id, %(month)s::date, {RAW_AMOUNT}"
    + RAW_LINES
    + "ORDER BY a.person_id\n"
)


def item_payroll(size: int, runs: int, args, *, code: str) -> dict:
    from django.db import connection
    from generate import BASE, RULE_SQL

    from benefits.models import Scheme
    from benefits.payroll import payroll_approve, payroll_generate

    admin, reviewer = _users()
    scheme = Scheme.objects.get(code=code)
    month = bench_month()
    log = SqlLog()
    approve_times: list[float] = []

    @rolled_back
    def generate():
        months = []
        with connection.execute_wrapper(log):
            batch = payroll_generate(scheme=scheme, month=month, user=admin, progress=lambda d, t: months.append(t))
            _check_deferred()
        started = time.perf_counter()
        payroll_approve(batch=batch, user=reviewer, version=batch.version)
        approve_times.append(time.perf_counter() - started)
        return {
            "rows": batch.month_count,
            "months_generated": months[-1] if months else 0,
            "untimed": approve_times[-1],
        }

    sql = RAW_PAYROLL.format(base=BASE, rule=RULE_SQL[code])
    params = {"month": month, "scheme": scheme.pk}

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {"rows": cursor.rowcount}

    # The same lines by one hand-written statement into the payment table itself (its
    # indexes and write-ahead log), in a transaction rolled back: what any payroll must pay.
    table_sql = RAW_PAYROLL_TABLE.format(base=BASE, rule=RULE_SQL[code])
    table_times: list[float] = []

    @rolled_back
    def raw_into_table():
        from benefits.models import PayrollBatch

        batch = PayrollBatch.objects.create(scheme=scheme, month=month, prepared_by=admin)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(table_sql, {**params, "batch": batch.pk})
        _check_deferred()
        table_times.append(time.perf_counter() - started)

    def prepare():
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS bench_payroll_scratch (person_id bigint, month date, amount_fen int)"
            )
            cursor.execute("TRUNCATE bench_payroll_scratch")
        if len(table_times) < runs:
            raw_into_table()

    result = measure(generate, runs, baseline=raw, prepare=prepare)
    result["approve_median"] = statistics.median(approve_times[:runs])
    result["table_baseline_median"] = statistics.median(table_times[:runs])
    result["table_ratio"] = result["median"] / result["table_baseline_median"]
    if args.explain:
        lines = []
        for seconds, statement, statement_params in log.slowest(8):
            lines.append(f"-- {seconds:.3f} s\n{statement}\n-- params: {statement_params!r}\n")
        (OUT_DIR / f"payroll_statements_{code}_{size}{NAME_SUFFIX}.txt").write_text("\n".join(lines))
    return result


# Search and list ---------------------------------------------------------------------------


def item_requests(size: int, runs: int, args, *, kind: str) -> dict:
    import random

    from django.db import connection
    from django.test import Client

    admin, _ = _users()
    client = Client()
    client.force_login(admin)
    rng = random.Random(size)
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM registry_person")
        (top,) = cursor.fetchone()
        ids = rng.sample(range(1, top + 1), min(args.requests, top))
        cursor.execute("SELECT name, id_number, certificate_number FROM registry_person WHERE id = ANY(%s)", [ids])
        sample = cursor.fetchall()
    while len(sample) < args.requests:
        sample += sample
    sample = sample[: args.requests]
    if kind == "name":
        urls = [f"/persons/?q={name[:2]}" for name, _, _ in sample]
    elif kind == "id":
        urls = [f"/persons/?q={id_number}" for _, id_number, _ in sample]
    elif kind == "certificate":
        urls = [f"/persons/?q={certificate}" for _, _, certificate in sample]
    elif kind == "list_first":
        urls = ["/persons/"] * args.requests
    elif kind == "dashboard":
        prepare_dashboard()
        urls = ["/targets/"] * args.requests
    elif kind in ("worklist_town", "worklist_district"):
        officer = prepare_worklist()
        if kind == "worklist_town":
            client.force_login(officer)
        urls = ["/work/"] * args.requests
    else:
        if size < LIST_PAGE * 50:
            return {"skipped": f"fewer than {LIST_PAGE} pages"}
        urls = [f"/persons/?page={LIST_PAGE}"] * args.requests

    def get(url: str) -> None:
        # HTTPS, as behind the production proxy: DEBUG off redirects plain HTTP.
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")

    for url in urls[:5]:  # warm-up: templates, permissions, connection
        get(url)
    timings = []
    log = SqlLog()
    with connection.execute_wrapper(log):
        for url in urls:
            started = time.perf_counter()
            get(url)
            timings.append(time.perf_counter() - started)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    for url in urls[:20]:
        get(url)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    quantiles = statistics.quantiles(timings, n=100, method="inclusive")
    result = {
        "runs": timings,
        "median": statistics.median(timings),
        "p50": quantiles[49],
        "p95": quantiles[94],
        "requests": len(timings),
        "tracemalloc_peak": peak,
        "maxrss": maxrss,
    }
    result["queries_per_request"] = len(log.entries) / len(urls)
    if kind == "dashboard":
        result["baseline_median"] = dashboard_baseline(admin, min(args.requests, 50))
        result["ratio"] = result["p50"] / result["baseline_median"]
    if kind.startswith("worklist"):
        user = officer if kind == "worklist_town" else admin
        result.update(worklist_parts(client, user, urls[0], runs, min(args.requests, 50)))
        result["ratio"] = result["p50"] / result["baseline_median"]
    if args.explain:
        lines = []
        for seconds, executions, statement, statement_params in log.heaviest(4):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", statement_params)
                plan = "\n".join(r[0] for r in cursor.fetchall())
            lines.append(
                f"-- {seconds:.3f} s in all, {executions} executions\n{statement}\n-- params: {statement_params!r}\n"
                f"{plan}\n"
            )
        (OUT_DIR / f"explain_{kind}_{size}{NAME_SUFFIX}.txt").write_text("\n".join(lines))
    return result


# Care ----------------------------------------------------------------------------------

CENTRE_MEMBERS = 60


def item_attendance_day(size: int, runs: int, args) -> dict:
    """Today's attendance of a centre of 60 members saved in one call of the service (its
    checks, locks, the day's marks read, the insert, the indicators' signal), against the
    same rows written by one bulk INSERT. The centre and its enrolments are made inside a
    transaction rolled back when the item ends, so the database is left as it was."""
    from django.db import transaction
    from django.utils import timezone

    from care.models import Attendance, Enrolment, Institution, InstitutionKind
    from care.services.attendance import Mark, attendance_save
    from registry.models import Person

    admin, _ = _users()
    today = timezone.localdate()
    with transaction.atomic():
        # Not members elsewhere (the generated registry has ~4% day-care members).
        members = Enrolment.objects.filter(day_care=True, ended_on__isnull=True, voided_at__isnull=True)
        persons = list(
            Person.objects.filter(status="active")
            .exclude(pk__in=members.values("person_id"))
            .order_by("id")[:CENTRE_MEMBERS]
        )
        centre = Institution.objects.create(
            code="BENCH-KY", name="基准测试康园中心", kind=InstitutionKind.CENTRE, area_id=persons[0].area_id,
            capacity=CENTRE_MEMBERS, open_days=0b1111111,
        )  # fmt: skip
        Enrolment.objects.bulk_create(
            Enrolment(
                person=p, area_code=p.area_id, institution=centre, started_on=today - datetime.timedelta(days=30),
                day_care=True, recorded_by=admin,
            )
            for p in persons
        )  # fmt: skip
        marks = {p.pk: Mark(i % 5 != 0, "" if i % 5 else "病假") for i, p in enumerate(persons)}

        @rolled_back
        def save():
            saved = attendance_save(user=admin, institution=centre, day=today, marks=marks)
            return {"rows": saved.created}

        @rolled_back
        def insert():
            Attendance.objects.bulk_create(
                Attendance(
                    institution=centre, day=today, person_id=pk, area_code=area, present=marks[pk].present,
                    absence_reason=marks[pk].reason, recorded_by=admin,
                )
                for pk, area in ((p.pk, p.area_id) for p in persons)
            )  # fmt: skip

        result = measure(save, runs, baseline=insert)
        transaction.set_rollback(True)
    return result


def item_attendance_month(size: int, runs: int, args) -> dict:
    """The monthly attendance sheet (.xlsx) of every day-care institution for the last full
    month, as the district administrator downloads them one after another: for each,
    `care.selectors.month_sheet` (its members and marks, two statements) and
    `care.exports.AttendanceSheetExporter` writing the file. Baseline: one hand-written
    statement of the same members' marks of the month, pivoted in Python and written by
    xlsxwriter in the same shape (a row a member, a column a day, three totals)."""
    import xlsxwriter
    from django.db import connection
    from generate import care_month

    from care.exports import AttendanceSheetExporter
    from care.models import DAY_CARE_KINDS, Institution
    from care.selectors import month_sheet
    from registry.scoping import Privacy

    admin, _ = _users()
    month = care_month(datetime.date.today())
    institutions = list(Institution.objects.filter(kind__in=DAY_CARE_KINDS).order_by("code"))
    if not institutions:
        return {"skipped": "no care institutions: bench/generate.py --care-outreach-only"}
    folder = Path(tempfile.mkdtemp(prefix="canlian-bench-"))
    privacy = Privacy.for_user(admin)

    reader = {"month_sheet": month_sheet}

    def sheets():
        rows = 0
        for institution in institutions:
            sheet = reader["month_sheet"](admin, institution, month, privacy)
            rows += AttendanceSheetExporter(sheet).write(str(folder / f"{institution.code}.xlsx"))
        return {"rows": rows, "institutions": len(institutions), "month": f"{month:%Y-%m}"}

    end = add_months(month, 1) - datetime.timedelta(days=1)

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT e.institution_id, e.id, p.name, p.id_number, e.started_on, a.day, a.present
                FROM care_enrolment e
                JOIN registry_person p ON p.id = e.person_id
                LEFT JOIN care_attendance a ON a.institution_id = e.institution_id AND a.person_id = e.person_id
                     AND a.day BETWEEN %(first)s AND %(end)s
                WHERE e.voided_at IS NULL AND e.institution_id = ANY(%(institutions)s)
                  AND e.started_on <= %(end)s AND (e.ended_on IS NULL OR e.ended_on >= %(first)s)
                ORDER BY e.institution_id, p.name, e.id
                """,
                {"first": month, "end": end, "institutions": [i.pk for i in institutions]},
            )
            found = cursor.fetchall()
        days = end.day
        rows = 0
        by_institution: dict[int, dict[int, list]] = {}
        for institution_id, enrolment_id, name, id_number, started_on, day, present in found:
            member = by_institution.setdefault(institution_id, {}).setdefault(
                enrolment_id, [name, id_number, started_on, {}]
            )
            if day is not None:
                member[3][day.day] = present
        for institution_id, members in by_institution.items():
            book = xlsxwriter.Workbook(str(folder / f"raw_{institution_id}.xlsx"), {"constant_memory": True})
            sheet = book.add_worksheet("考勤表")
            date_format = book.add_format({"num_format": "yyyy-mm-dd"})
            sheet.write_row(0, 0, ["姓名", "公民身份号码", "入托日期", *(f"{d}日" for d in range(1, days + 1))])
            for row, (name, id_number, started_on, marks) in enumerate(members.values(), start=1):
                sheet.write_string(row, 0, name)
                sheet.write_string(row, 1, id_number)
                sheet.write_datetime(row, 2, started_on, date_format)
                for d in range(1, days + 1):
                    mark = marks.get(d)
                    sheet.write_string(row, 2 + d, "" if mark is None else ("√" if mark else "缺"))
                present = sum(1 for v in marks.values() if v)
                sheet.write_number(row, 3 + days, present)
                sheet.write_number(row, 4 + days, len(marks) - present)
                sheet.write_number(row, 5 + days, len(marks))
            book.close()
            rows += len(members)
        return {"rows": rows}

    result = measure(sheets, runs, baseline=raw)
    # Before perf2, in the same run: whole `Attendance` rows for the marks.
    reader["month_sheet"] = month_sheet_before
    result["before_perf2_runs"] = []
    for _ in range(runs):
        started = time.perf_counter()
        sheets()
        result["before_perf2_runs"].append(time.perf_counter() - started)
    result["before_perf2_median"] = statistics.median(result["before_perf2_runs"])
    print(f"    before perf2 (whole Attendance rows): {result['before_perf2_median']:.2f} s")
    return result


def month_sheet_before(user, institution, month, privacy):
    """`care.selectors.month_sheet` before perf2: a model instance of every mark."""
    from django.db.models import Q

    from care.models import Attendance, Enrolment
    from care.selectors import OPEN, MonthSheet, SheetRow, _views, month_days

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
    marks = Attendance.objects.filter(
        institution=institution, day__range=(days[0], days[-1]), person__in={r.enrolment.person_id for r in rows}
    )
    by_person: dict[int, list[SheetRow]] = {}
    for row in rows:
        by_person.setdefault(row.enrolment.person_id, []).append(row)
    for mark in marks:
        for row in by_person.get(mark.person_id, []):
            if row.enrolment.is_member_on(mark.day):
                row.marks[mark.day] = mark
    return MonthSheet(institution, days[0], days, rows)


# Indicators ----------------------------------------------------------------------------


def item_indicator_refresh(size: int, runs: int, args) -> dict:
    from targets.services import indicators_refresh

    year = bench_month().year
    per_indicator: dict[str, list[float]] = {}
    log = SqlLog()

    @rolled_back
    def refresh():
        from django.db import connection

        with connection.execute_wrapper(log):
            done = indicators_refresh(year=year)
        for result in done:
            per_indicator.setdefault(result.indicator, []).append(result.seconds)
        return {"rows": sum(r.rows for r in done), "indicators": len(done)}

    result = measure(refresh, runs)
    result["per_indicator"] = {key: statistics.median(times[:runs]) for key, times in per_indicator.items()}
    if args.explain:
        lines = [f"-- {seconds:.3f} s\n{sql}\n-- params: {params!r}\n" for seconds, sql, params in log.slowest(4)]
        (OUT_DIR / f"indicator_statements_{size}{NAME_SUFFIX}.txt").write_text("\n".join(lines))
    return result


def item_refresh_after_approval(size: int, runs: int, args) -> dict:
    """The incremental refresh a payroll approval queues: every payroll indicator, the
    approved batch's month in every town (`indicators_refresh_part`, as the task runs it),
    rolled back. Baseline: the full refresh of the same indicators, in the same runs."""
    from targets.services import indicators_refresh, indicators_refresh_part

    prepare_dashboard()
    month = add_months(bench_month(), -1)  # the last month approved before the measured one
    year = month.year

    per_indicator: dict[str, list[float]] = {}

    @rolled_back
    def part():
        done = indicators_refresh_part(year=year, source="payroll", towns=None, months=[month.month])
        for refreshed in done:
            per_indicator.setdefault(refreshed.indicator, []).append(refreshed.seconds)
        return {"rows": sum(r.rows for r in done), "indicators": len(done)}

    @rolled_back
    def whole():
        done = indicators_refresh(year=year, source="payroll")
        return {"rows": sum(r.rows for r in done)}

    result = measure(part, runs, baseline=whole)
    # Each indicator's own time (median of the timed runs), the slowest first.
    medians = {key: statistics.median(times[:runs]) for key, times in per_indicator.items()}
    result["per_indicator"] = dict(sorted(medians.items(), key=lambda kv: -kv[1]))
    print("    " + ", ".join(f"{k} {_seconds(v)}" for k, v in list(result["per_indicator"].items())[:5]))
    return result


def item_refresh_after_record(size: int, runs: int, args) -> dict:
    """One home visit recorded (`record_create`, as the page saves it) and the incremental
    refresh its commit queues: the outreach indicators of the visit's town and month (not
    the shares that read other models, `Indicator.reads`), rolled back. Baseline: the same
    record and the full refresh of the outreach indicators."""
    from canlian.records import record_create
    from outreach.models import HomeVisit
    from registry.models import Person
    from targets.services import indicators_refresh, indicators_refresh_part

    prepare_dashboard()
    admin, _ = _users()
    day = datetime.date.today()
    person = Person.objects.filter(status="active").exclude(outreach_visits__visited_on=day).order_by("id").first()

    def visit():
        record_create(model=HomeVisit, user=admin, person=person, visited_on=day, findings="bench")

    @rolled_back
    def part():
        visit()
        done = indicators_refresh_part(
            year=day.year, source="outreach", towns=[person.area_id], months=[day.month], sender="outreach.HomeVisit"
        )
        return {"rows": sum(r.rows for r in done), "indicators": len(done)}

    @rolled_back
    def whole():
        visit()
        indicators_refresh(year=day.year, source="outreach")

    return measure(part, runs, baseline=whole)


REFRESH_IMPORT_ROWS = 100


def item_refresh_after_import(size: int, runs: int, args) -> dict:
    """An import of a small workbook of 100 new persons (`persons_import`, as the page runs
    it) and the refreshes its commit queues, run as the queue runs them (the callbacks the
    import left for its commit, the tasks run at once): the registry's indicators and the
    other sources' readers of the persons. Rolled back (100 rows leave too little behind
    to vacuum and reindex for, unlike the import of 100,000). Baseline: the same import
    alone, in the same runs (the refresh's own time beside it, `refresh_median`)."""
    from django.db import connection

    from registry.imports import persons_import
    from targets import services

    prepare_dashboard()
    admin, _ = _users()
    path, rows = _bench_file(lambda n, p: write_import_file(n, p, count=REFRESH_IMPORT_ROWS), size)
    refresh_times: list[float] = []

    def run_import():
        result = persons_import(user=admin, path_or_file=path, source_name="bench.xlsx")
        _check_deferred()
        return result

    @rolled_back
    def import_alone():
        return {"created": run_import().created}

    per_indicator: dict[str, list[float]] = {}
    whole, part = services.indicator_refresh, services.indicator_refresh_part

    def timed(refresh):
        def wrapper(indicator, *args, **kwargs):
            done = refresh(indicator, *args, **kwargs)
            per_indicator.setdefault(indicator.key, []).append(done.seconds)
            return done

        return wrapper

    @rolled_back
    def imported_and_refreshed():
        result = run_import()
        queued = [callback for _, callback, _ in connection.run_on_commit]
        connection.run_on_commit.clear()
        started = time.perf_counter()
        # Each indicator's own time (the tasks call these by the module's names).
        services.indicator_refresh, services.indicator_refresh_part = timed(whole), timed(part)
        try:
            for callback in queued:
                callback()
        finally:
            services.indicator_refresh, services.indicator_refresh_part = whole, part
        refresh_times.append(time.perf_counter() - started)
        return {"rows": rows, "created": result.created, "queued": len(queued)}

    result = measure(imported_and_refreshed, runs, baseline=import_alone)
    result["refresh_runs"] = refresh_times[:runs]
    result["refresh_median"] = statistics.median(refresh_times[:runs])
    medians = {key: statistics.median(times[:runs]) for key, times in per_indicator.items()}
    result["per_indicator"] = dict(sorted(medians.items(), key=lambda kv: -kv[1]))
    print(f"    the refresh alone: {_seconds(result['refresh_median'])} ({result['queued']} callbacks queued)")
    print("    " + ", ".join(f"{k} {_seconds(v)}" for k, v in list(result["per_indicator"].items())[:6]))
    return result


def item_refresh_full(size: int, runs: int, args) -> dict:
    """The nightly full refresh of every indicator of the year (rolled back), with how many
    figures it changed after the committed refresh before it (it must find none). Baseline:
    each indicator's one aggregate over its rows (its district's year alone, no grouping):
    the least reading any refresh of the same figures does."""
    from targets.indicators import INDICATORS
    from targets.services import indicators_refresh

    prepare_dashboard()
    year = bench_month().year
    changed = []

    @rolled_back
    def refresh():
        done = indicators_refresh(year=year)
        changed.append(sum(r.changed for r in done))
        return {"rows": sum(r.rows for r in done), "indicators": len(done)}

    def aggregates():
        for indicator in INDICATORS.values():
            measured = indicator.measure(year)
            measured.rows.order_by().aggregate(value=measured.value)

    result = measure(refresh, runs, baseline=aggregates)
    result["changed"] = max(changed)
    return result


def item_annual_report(size: int, runs: int, args) -> dict:
    """The annual report workbook of the current year for the district administrator
    (`report_build` + `report_write`: every indicator, the district and each town, the
    year before, the draft sheet). Baseline: the same cells written by xlsxwriter from a
    list, without the report (the workbook's own cost)."""
    import io

    import xlsxwriter

    from targets.reports import report_build, report_write

    prepare_dashboard()
    admin, _ = _users()
    year = bench_month().year
    report = report_build(admin, year=year)
    cells = [(section, [[1.0] * 8 for _ in lines]) for section, lines in report.sections]

    def build():
        handle = io.BytesIO()
        rows = report_write(report_build(admin, year=year), handle)
        return {"rows": rows, "bytes": len(handle.getvalue())}

    def plain():
        book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
        for section, rows in cells:
            sheet = book.add_worksheet(section)
            for number, row in enumerate(rows, start=3):
                sheet.write_row(number, 0, row)
        book.close()

    return measure(build, runs, baseline=plain)


def dashboard_baseline(admin, runs: int) -> float:
    """The dashboard's data alone: `selectors.board` of the year (its two queries and the
    figures), without the page — the median of `runs`."""
    from targets import selectors

    year = bench_month().year
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        selectors.board(admin, year)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def prepare_dashboard() -> None:
    """The figures the dashboard reads: this year's targets and one refresh, committed (unless
    an earlier item committed it)."""
    from targets.indicators import INDICATORS
    from targets.models import IndicatorRefresh
    from targets.services import indicators_refresh, seed_targets

    year = bench_month().year
    seed_targets(year=year)
    # Once: the later items read the figures the first one committed.
    done = IndicatorRefresh.objects.filter(year=year, computed_at__isnull=False).count()
    if done < len(INDICATORS):
        indicators_refresh(year=year)


TOWN_OFFICER_USER = "bench_town_officer"
WORKLIST_NOTE = "bench: work list"


def prepare_worklist():
    """The officer of the town with the most persons, and open applications of one active
    person in a hundred, by thirds waiting for the first review, in a notice that has ended
    and waiting for the district (committed once, as the dashboard's figures are). Returns
    the officer."""
    from django.db import connection, transaction

    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import user_create
    from areas.models import Area
    from benefits.models import Application, Scheme

    admin, _ = _users()
    with connection.cursor() as cursor:
        cursor.execute("SELECT substr(area_id, 1, 9) FROM registry_person GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
        town = Area.objects.get(code=cursor.fetchone()[0] + "000")
    officer = User.objects.filter(username=TOWN_OFFICER_USER).first() or user_create(
        username=TOWN_OFFICER_USER, password=PASSWORD, role=Role.TOWN_OFFICER, area=town, name="镇街专干"
    )
    if Application.objects.filter(note=WORKLIST_NOTE).exists():
        return officer
    today = datetime.date.today()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO benefits_application (person_id, scheme_id, area_code, applied_on, applicant, variant, note,
                state, submitted_by_id, town_reviewed_by_id, notice_from, notice_until, decision_reason, created_at)
            SELECT p.id, %(scheme)s, p.area_id, x.applied_on, 'self', '', %(note)s, x.state, %(admin)s,
                   CASE WHEN x.state = 'submitted' THEN NULL ELSE %(admin)s END,
                   CASE WHEN x.state = 'submitted' THEN NULL ELSE x.applied_on + 3 END,
                   CASE WHEN x.state = 'submitted' THEN NULL ELSE x.applied_on + 10 END, '', now()
            FROM registry_person p
            CROSS JOIN LATERAL (
                SELECT (ARRAY['submitted', 'notice', 'district_review'])[1 + (p.id / 100) %% 3] AS state,
                       %(today)s::date - (p.id %% 40)::int AS applied_on) x
            WHERE p.status = 'active' AND p.id %% 100 = 0
            ON CONFLICT DO NOTHING
            """,
            {"scheme": Scheme.objects.get(code="living").pk, "note": WORKLIST_NOTE, "admin": admin.pk, "today": today},
        )
    return officer


def _median_time(function, runs: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(runs):
        started = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def needs_unserved_before(user, year: int):
    """`rehab.selectors.needs_unserved` before rehab 0008's mark: the anti-join of the year's
    assessments against their service years."""
    from django.db.models import Exists, OuterRef

    from rehab.models import ChildRehabRecord, NeedAssessment, ServiceYear

    served = ServiceYear.objects.filter(person=OuterRef("person"), year=year)
    child_served = ChildRehabRecord.objects.standing().filter(child__person=OuterRef("person"), year=year)
    return (
        NeedAssessment.objects.visible_to(user)
        .filter(year=year, has_need=True)
        .filter(~Exists(served), ~Exists(child_served))
    )


@contextlib.contextmanager
def worklist_as_before():
    """The work list as it was before this session's fixes, in a transaction rolled back at
    the end: `needs_unserved` as the anti-join, and without `person_watch_idx` (registry
    0018; dropped inside the transaction, so it is back after)."""
    from django.db import connection, transaction

    from rehab import declaration

    kept = declaration.needs_unserved
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS person_watch_idx")
        declaration.needs_unserved = needs_unserved_before
        try:
            yield
        finally:
            declaration.needs_unserved = kept
            transaction.set_rollback(True)


def follow_ups_due_before(user, until):
    """`outreach.selectors.follow_ups_due` before perf2: the due visits `person__in` the
    scope's active persons, the later visit by NOT EXISTS."""
    from django.db.models import Exists, OuterRef

    from outreach.models import HomeVisit
    from registry.models import Person, Status

    later = HomeVisit.objects.standing().filter(person=OuterRef("person"), visited_on__gt=OuterRef("visited_on"))
    persons = Person.objects.visible_to(user).filter(status=Status.ACTIVE).values("pk")
    return HomeVisit.objects.standing().filter(follow_up_on__lte=until, person__in=persons).filter(~Exists(later))


def contacts_due_before(user, rule, today):
    """`outreach.watch.contacts_due` before perf2: the due filter and the due day each over
    the `last_contact` annotation, which Django writes out at every use."""
    from outreach.watch import DUE_SOON_DAYS, next_contact_due, overdue, watched, with_due

    persons = watched(user).filter(overdue(rule, today, within=DUE_SOON_DAYS))
    return with_due(persons, rule, today).alias(watch_due=next_contact_due(rule, today))


@contextlib.contextmanager
def worklist_as_of_perf():
    """The outreach kinds as they were before perf2 (the state the `perf` branch measured)."""
    from outreach import declaration

    kept = declaration.follow_ups_due, declaration.contacts_due
    declaration.follow_ups_due, declaration.contacts_due = follow_ups_due_before, contacts_due_before
    try:
        yield
    finally:
        declaration.follow_ups_due, declaration.contacts_due = kept


def worklist_parts(client, user, url: str, runs: int, requests: int) -> dict:
    """Beside the page's times: its statements replayed by a raw cursor (the baseline: what
    the page costs in SQL alone); each kind's count timed by itself; and both, counts and
    `requests` pages, as before this session's fixes (`worklist_as_before`), then the pages
    again as they are, in this same run."""
    from django.db import connection
    from django.utils import timezone

    from canlian.worklist import Worklist

    log = SqlLog()
    with connection.execute_wrapper(log):
        client.get(url, secure=True)
    statements = [(sql, params) for _, sql, params in log.entries]

    def replay():
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    replays = []
    for _ in range(max(runs, 1) * 5):
        started = time.perf_counter()
        replay()
        replays.append(time.perf_counter() - started)
    today = timezone.localdate()

    def kind_counts() -> dict:
        work = Worklist(user, today)
        counts = {}
        for kind in work.kinds:
            rows = work.items[kind.key].rows.order_by()
            seconds, count = _median_time(rows.count, 3)
            counts[kind.key] = {"lines": count, "seconds": seconds}
        return counts

    def page_times(count: int) -> list[float]:
        client.get(url, secure=True)  # warm-up
        times = []
        for _ in range(count):
            started = time.perf_counter()
            client.get(url, secure=True)
            times.append(time.perf_counter() - started)
        return times

    kinds = kind_counts()
    with worklist_as_before(), worklist_as_of_perf():
        before = kind_counts()
        before_pages = page_times(requests)
    with worklist_as_of_perf():
        perf = kind_counts()
        perf_pages = page_times(requests)
    after_pages = page_times(requests)  # again, next to the before's, for the same load
    kinds_again = kind_counts()
    for key, part in kinds.items():
        was = before.get(key, {"seconds": 0, "lines": 0})
        then = perf.get(key, {"seconds": 0, "lines": 0})
        print(
            f"    {key}: {part['lines']:,} lines, count {part['seconds'] * 1000:.1f} ms"
            f" and {kinds_again[key]['seconds'] * 1000:.1f} ms (before perf: {was['seconds'] * 1000:.1f} ms,"
            f" {was['lines']:,} lines; before perf2: {then['seconds'] * 1000:.1f} ms, {then['lines']:,} lines)"
        )
    print(
        f"    page p50 before perf {statistics.median(before_pages) * 1000:.0f} ms, "
        f"before perf2 {statistics.median(perf_pages) * 1000:.0f} ms, "
        f"after {statistics.median(after_pages) * 1000:.0f} ms ({requests} requests each)"
    )
    return {
        "baseline_runs": replays,
        "baseline_median": statistics.median(replays),
        "statements": len(statements),
        "kinds": kinds,
        "kinds_before": before,
        "page_before_runs": before_pages,
        "page_before_p50": statistics.median(before_pages),
        "kinds_before_perf2": perf,
        "kinds_again": kinds_again,
        "page_before_perf2_runs": perf_pages,
        "page_before_perf2_p50": statistics.median(perf_pages),
        "page_after_runs": after_pages,
        "page_after_p50": statistics.median(after_pages),
    }


# Proposed fixes, measured by patching the functions in this process only (the files are
# owned by others; see docs/performance.md "Slow parts").


def apply_fixes() -> None:
    """Where a proposed fix is patched in, in this process only, to measure it before the
    owner applies it (`--fixes`). Now: `benefits.payroll._awards_due` ignoring ended awards
    paid through their end (12 months looped → 1) — landed as such in 39ffbe1, so today
    `--fixes` measures the same as the code; the eligibility proposal (past state only for
    persons changed since the day) landed in a00136f."""
    from django.db.models import F, Q

    from benefits import payroll
    from benefits.models import Award

    def awards_due(scheme, month: datetime.date):
        return (
            Award.objects.filter(scheme=scheme, start_month__lte=month)
            .annotate(last_paid=payroll._last_paid_month(scheme))
            .filter(Q(last_paid__isnull=True) | Q(last_paid__lt=month))
            .filter(Q(end_month__isnull=True) | Q(last_paid__isnull=True) | Q(end_month__gt=F("last_paid")))
        )

    payroll._awards_due = awards_due


def run_item(item: str, size: int, runs: int, args) -> dict:
    global NAME_SUFFIX, TRACE
    TRACE = not args.no_trace
    setup_django(size)
    if args.fixes:
        apply_fixes()
        NAME_SUFFIX = "_fixes"
    if item == "duplicates":
        return item_duplicates(size, runs, args)
    if item == "import":
        return item_import(size, runs, args)
    if item == "reimport":
        return item_reimport(size, runs, args)
    if item == "reimport_deaths":
        return item_reimport(size, runs, args, write=write_reimport_deaths_file)
    if item == "comparison":
        return item_comparison(size, runs, args)
    if item == "household_comparison":
        return item_household_comparison(size, runs, args)
    if item.startswith("eligibility_"):
        _, kind, code = item.split("_")
        return item_eligibility(size, runs, args, code=code, kind=kind)
    if item.startswith("payroll_"):
        return item_payroll(size, runs, args, code=item.split("_")[1])
    if item == "indicator_refresh":
        return item_indicator_refresh(size, runs, args)
    targets_items = {
        "refresh_after_approval": item_refresh_after_approval,
        "refresh_after_record": item_refresh_after_record,
        "refresh_after_import": item_refresh_after_import,
        "refresh_full": item_refresh_full,
        "annual_report": item_annual_report,
    }
    if item in targets_items:
        return targets_items[item](size, runs, args)
    if item == "love_pack_deliveries":
        return item_love_pack(size, runs, args)
    if item == "attendance_day":
        return item_attendance_day(size, runs, args)
    if item == "attendance_month":
        return item_attendance_month(size, runs, args)
    kind = {
        "search_name": "name",
        "search_id": "id",
        "search_certificate": "certificate",
        "list_first": "list_first",
        "list_page_1000": "list_page",
        "dashboard": "dashboard",
        "worklist_town": "worklist_town",
        "worklist_district": "worklist_district",
    }[item]
    return item_requests(size, runs, args, kind=kind)


# Parent side: the table and the doc --------------------------------------------------------

LABELS = {
    "duplicates": "duplicate check, whole registry ({rows:,} open pairs)",
    "import": "import of {rows:,} new persons (.xlsx)",
    "reimport": "reimport of {rows:,} registered persons, each with a new phone (.xlsx)",
    "reimport_deaths": "reimport of {rows:,} registered persons, 1 in 10 deceased (.xlsx)",
    "comparison": "comparison list of {rows:,} economic-status rows, 1 in 7 a change (.xlsx)",
    "household_comparison": "household comparison list of {rows:,} households of 2, 1 in 7 a change (.xlsx)",
    "love_pack_deliveries": "love-pack deliveries import of {rows:,} rows (.xlsx)",
    "eligibility_count_nursing": "eligibility count, nursing",
    "eligibility_list_nursing": "eligibility list (ID numbers), nursing",
    "eligibility_count_living": "eligibility count, living",
    "eligibility_list_living": "eligibility list (ID numbers), living",
    "payroll_nursing": "payroll generation, nursing",
    "payroll_living": "payroll generation, living",
    "search_name": "search by name prefix",
    "search_id": "search by full ID number",
    "search_certificate": "search by certificate number",
    "list_first": "list page, first page",
    "list_page_1000": "list page, page 1,000",
    "attendance_day": "a day's attendance saved, centre of 60 members",
    "attendance_month": "monthly attendance sheets (.xlsx) of every day-care institution, {rows:,} members",
    "indicator_refresh": "indicator refresh, all indicators of the year",
    "refresh_after_approval": "incremental refresh after a payroll approval (its month, every town)",
    "refresh_after_record": "one home visit recorded and its incremental refresh (its town and month)",
    "refresh_after_import": "import of {rows:,} new persons (.xlsx) and the refresh its commit queues",
    "refresh_full": "full refresh of every indicator (the nightly check)",
    "annual_report": "annual report workbook (.xlsx), whole district",
    "dashboard": "dashboard /targets/, whole district",
    "worklist_town": "work list /work/, officer of the largest town",
    "worklist_district": "work list /work/, district administrator",
}
BASELINES = {
    "duplicates": "GROUP BY name, birth date",
    "import": "calamine read + COPY",
    "reimport": "calamine read + COPY",
    "reimport_deaths": "calamine read + COPY",
    "payroll_nursing": "raw INSERT … SELECT",
    "payroll_living": "raw INSERT … SELECT",
    "love_pack_deliveries": "calamine read + COPY",
    "attendance_day": "bulk INSERT of the 60 rows",
    "attendance_month": "one SELECT + xlsxwriter",
    "refresh_after_approval": "full refresh of the payroll indicators",
    "refresh_after_record": "the record + full refresh of outreach",
    "refresh_after_import": "the same import alone",
    "refresh_full": "one aggregate per indicator",
    "annual_report": "xlsxwriter, the same cells",
    "dashboard": "selectors.board alone",
    "worklist_town": "the page's statements, raw",
    "worklist_district": "the page's statements, raw",
}


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _mb(value: float) -> str:
    return f"{value / 2**20:.1f} MB" if value < 10 * 2**20 else f"{value / 2**20:.0f} MB"


def table_rows(results: dict) -> list[list[str]]:
    rows = []
    for item in ITEMS:
        r = results.get(item)
        if r is None:
            continue
        label = LABELS[item].format(rows=r.get("rows", 0))
        if "skipped" in r:
            rows.append([label, f"— ({r['skipped']})", "", "", "", ""])
            continue
        if "p95" in r:
            time_text = f"p50 {_seconds(r['p50'])}, p95 {_seconds(r['p95'])} ({r['requests']} req."
            time_text += f", {r['queries_per_request']:.0f} queries each)" if "queries_per_request" in r else ")"
        else:
            time_text = _seconds(r["median"]) + (f" (median of {len(r['runs'])})" if len(r["runs"]) > 1 else " (1 run)")
            if item.startswith("eligibility"):
                time_text += f" ({r['rows']:,} persons)"
            if item.startswith("payroll"):
                time_text += f" ({r['rows']:,} lines, {r['months_generated']} month(s) looped)"
            if item == "indicator_refresh":
                slowest = max(r["per_indicator"].items(), key=lambda kv: kv[1])
                time_text += f" ({r['indicators']} indicators, {r['rows']:,} figures; slowest {slowest[0]}"
                time_text += f" {_seconds(slowest[1])})"
        baseline = ""
        ratio = ""
        if "baseline_median" in r and item in BASELINES:
            baseline = f"{BASELINES[item]}: {_seconds(r['baseline_median'])}"
            if item.startswith("payroll"):
                baseline += f" ({r['baseline_rows']:,} lines)"
            ratio = f"{r['ratio']:.1f}×"
            if "table_baseline_median" in r:
                into = "the payment table" if item.startswith("payroll") else "registry_person"
                baseline += f"; into {into}: {_seconds(r['table_baseline_median'])}"
                ratio += f" / {r['table_ratio']:.1f}×"
        memory = "—" if r["tracemalloc_peak"] is None else _mb(r["tracemalloc_peak"])
        rows.append([label, time_text, baseline, ratio, memory, _mb(r["maxrss"])])
        if item.startswith("payroll") and "approve_median" in r:
            rows.append([f"payroll approval, {item.split('_')[1]}", _seconds(r["approve_median"]), "", "", "", ""])
    return rows


HEADER = ["measurement", "time (median of runs)", "baseline (same run)", "ratio", "Python peak", "max RSS"]


def markdown_table(results: dict) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(results)]
    return "\n".join(lines)


def machine() -> dict:
    memory = 0
    with open("/proc/meminfo") as stream:
        for line in stream:
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
    model = platform.processor()
    try:
        with open("/proc/cpuinfo") as stream:
            model = next((line.split(":", 1)[1].strip() for line in stream if line.startswith("model name")), model)
    except OSError:
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    # Others' uncommitted changes to the code measured are part of what ran: say so.
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no", "--", "*.py"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(memory / 2**30, 1),
        "cpu": model,
        "commit": (commit.stdout.strip() or "unknown") + (" + uncommitted changes" if dirty else ""),
        "python": platform.python_version(),
        "load": ", ".join(f"{v:.1f}" for v in os.getloadavg()),
    }


def postgres_info(size: int) -> str:
    import psycopg
    from common import db_url

    with psycopg.connect(db_url(size)) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        settings = [
            f"{name} {conn.execute(f'SHOW {name}').fetchone()[0]}"
            for name in ("shared_buffers", "work_mem", "max_parallel_workers_per_gather")
        ]
        counts = conn.execute(
            """SELECT (SELECT count(*) FROM registry_person), (SELECT count(*) FROM registry_personevent),
                      (SELECT count(*) FROM benefits_award), (SELECT count(*) FROM benefits_paymentmonth),
                      pg_size_pretty(pg_database_size(current_database()))"""
        ).fetchone()
        # A database generated before the rehab app has no such table.
        records = 0
        if conn.execute("SELECT to_regclass('rehab_servicerecord')").fetchone()[0]:
            records = conn.execute("SELECT count(*) FROM rehab_servicerecord").fetchone()[0]
    return (
        f"PostgreSQL {version} ({', '.join(settings)}); data: {counts[0]:,} persons, {counts[1]:,} events, "
        f"{counts[2]:,} awards, {counts[3]:,} paid payment months, {records:,} service records, database {counts[4]}"
    )


def update_doc(size: int, results: dict, runs: int, requests: int) -> None:
    info = machine()
    commits = sorted({r["commit"] for r in results.values() if r.get("commit")}) or [info["commit"]]
    measured = [r["measured"] for r in results.values() if "measured" in r]
    dates = sorted({m["date"] for m in measured}) or [f"{datetime.date.today():%Y-%m-%d}"]
    when = dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}"
    if measured:
        loads = [m["load"] for m in measured]
        load = f"1-minute load average at the end of each item {min(loads):.1f}–{max(loads):.1f}"
        if len(measured) < len(results):
            load += f" (of {len(measured)} of the {len(results)} items; the others ran before it was recorded)"
    else:
        load = f"load average at the end {info['load']}"
    start, end = f"<!-- bench size {size} -->", f"<!-- /bench size {size} -->"
    section = "\n".join(
        [
            start,
            f"## {size:,} persons",
            "",
            f"{when}, commit {', '.join(f'`{c}`' for c in commits)}, {info['cores']} cores "
            f"({info['cpu']}), {info['memory_gb']} GB memory, Python {info['python']}, {load} "
            f"(other work shares the machine: compare ratios more than times); "
            f"{postgres_info(size)}. Search and list over {requests} requests. "
            f"Rerun: `make bench SIZE={size}`.",
            "",
            markdown_table(results),
            end,
        ]
    )
    text = DOC.read_text() if DOC.exists() else DOC_HEAD
    if start in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + section + after
    else:
        sections = sorted([int(part.split(" -->", 1)[0]) for part in text.split("<!-- bench size ")[1:]] + [size])
        following = [s for s in sections if s > size]
        if following:
            marker = f"<!-- bench size {following[0]} -->"
            text = text.replace(marker, section + "\n\n" + marker, 1)
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(text)


DOC_HEAD = """# Performance

Figures of `make bench SIZE=N` (`bench/generate.py` then `bench/run.py`, see issue 4). Each
size has its own database `canlian_bench_<N>`; the tables below are rewritten by each run.
"""


def vacuum(size: int) -> None:
    """The rolled-back runs of the import and the payroll leave dead rows (and clear the
    visibility map, which index-only scans need): back to the steady state for what follows."""
    import psycopg
    from common import db_url

    started = time.perf_counter()
    with psycopg.connect(db_url(size), autocommit=True) as conn:
        conn.execute(
            "VACUUM (ANALYZE) registry_person, registry_historicalperson, registry_personevent, "
            "benefits_paymentmonth, benefits_payrollbatch, canlian_auditentry, targets_indicatorvalue"
        )
    print(f"    VACUUM ANALYZE after the rolled-back runs: {time.perf_counter() - started:.0f} s", flush=True)


def print_table(size: int, results: dict) -> None:
    rows = [HEADER, *table_rows(results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    print(f"\n{db_name(size)}")
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--import-runs", type=int, default=None, help="runs of the import (default: --runs)")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--only", default="", help="comma-separated items (default: all)")
    parser.add_argument("--explain", action="store_true", help="write EXPLAIN ANALYZE of slow statements")
    parser.add_argument("--profile", action="store_true", help="write a cProfile of the import")
    parser.add_argument("--no-doc", action="store_true", help="do not update docs/performance.md")
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc run (long measurements)")
    parser.add_argument("--fixes", action="store_true", help="measure with the proposed fixes patched in")
    parser.add_argument("--report", action="store_true", help="only print and write the saved results")
    parser.add_argument("--item", help=argparse.SUPPRESS)  # child mode
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    OUT_DIR.mkdir(parents=True, exist_ok=True)

    if args.item:
        runs = args.import_runs if args.item in IMPORT_ITEMS and args.import_runs else args.runs
        result = run_item(args.item, args.size, runs, args)
        result["commit"] = machine()["commit"]
        # When and how loaded: the doc's header says so of the runs, not of a later --report.
        result["measured"] = {"date": f"{datetime.date.today():%Y-%m-%d}", "load": os.getloadavg()[0]}
        Path(args.out).write_text(json.dumps(result))
        return

    items = [i for i in args.only.split(",") if i] or ITEMS
    unknown = [i for i in items if i not in ITEMS]
    if unknown:
        parser.error(f"unknown item(s) {', '.join(unknown)}; items: {', '.join(ITEMS)}")
    if args.report:
        items = []
    if items:
        # Migrations added since the data was generated (cheap when there are none).
        setup_django(args.size)
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
    suffix = "_fixes" if args.fixes else ""
    results_path = OUT_DIR / f"results_{args.size}{suffix}.json"
    keep = args.only or args.report
    results = json.loads(results_path.read_text()) if results_path.exists() and keep else {}
    for item in items:
        print(f"  {item} …", flush=True)
        out = OUT_DIR / f"item_{args.size}_{item}{suffix}.json"
        command = [sys.executable, __file__, "--item", item, "--out", str(out), "--size", str(args.size)]
        command += ["--runs", str(args.runs), "--requests", str(args.requests)]
        command += ["--import-runs", str(args.import_runs)] if args.import_runs else []
        command += ["--explain"] if args.explain else []
        command += ["--profile"] if args.profile else []
        command += ["--fixes"] if args.fixes else []
        command += ["--no-trace"] if args.no_trace else []
        started = time.perf_counter()
        subprocess.run(command, check=True)
        results[item] = json.loads(out.read_text())
        print(f"    done in {time.perf_counter() - started:.0f} s", flush=True)
        if item in IMPORT_ITEMS or item.startswith(("payroll", "indicator_refresh", "refresh_")):
            vacuum(args.size)
        results_path.write_text(json.dumps(results, indent=1))
    print_table(args.size, results)
    if not args.no_doc and not args.fixes:
        update_doc(args.size, results, args.runs, args.requests)
        print(f"\nUpdated {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
