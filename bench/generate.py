"""python bench/generate.py --size N [--seed 1]: a synthetic registry of N persons in its own
database `canlian_bench_<N>`, for `bench/run.py`.

The database is dropped and created, migrated through Django, and given the demo
communities (through the real area import) and two district users. Everything else is
written straight into PostgreSQL, never through the ORM row by row:

- persons: COPY from a Python generator, with valid, unique ID numbers (checksum), matching
  certificate numbers and a mix of ages, categories, grades and economic status like
  `seed_demo`; one `+` history row each (INSERT … SELECT);
- events: ~10% of persons have 1–2 dated events over the last two years (economic status,
  grade, category, certificate renewal, death, moving out, cancellation); each chain's
  old/new values follow on and end at the person's current field, as
  `registry.services.person_event_record` keeps them;
- awards of the `living` and `nursing` schemes for the persons eligible by their current
  state (area_code = the person's area), open, or ended in the month of a death/moving
  out/cancellation within the paid period;
- the payroll of the last PAID_MONTHS months, approved (one batch per scheme and month,
  the payment months set-based), so that the measured month is the steady state.

- rehabilitation: the designated providers of `seed_rehab`, and over the last two years
  10 service records per person on average (none for some, up to 22 for others), each
  of an item of the catalogue (rehab 0002) that the person's category calls for, on days
  inside the person's certified life (after the certificate, before a death or moving
  out), one INSERT … SELECT in date order as officers append them; and each year's needs
  assessment of every person served in it (with a need, dated on the first service), of a
  few persons with an unmet need and of some without one. The service years (the yearly
  figures' rows) are filled by the records' triggers, which fire under the replica role,
  and so is each assessment's `basic_served` mark (rehab 0008);
- care: the institutions of `seed_care` (18 community centres, the sheltered workshop, the
  adult day care) and a boarding institution; ~4% of persons (those the admission rule
  admits) as day-care members of a day-care institution of their town, a few left; their
  attendance on every open day of the last two full months and this month to yesterday;
- outreach: a worker per town responsible for nine in ten of the watch list (the active
  persons living alone), contacts over the last half year at each person's own interval
  (one in ten never contacted, some overdue), home visits of 3% of the active persons in
  the last year with gifts, needs raised (open or closed) and follow-up days.
  `--care-outreach-only` adds these two to a database generated before them.

Secondary indexes of the big tables are dropped during the load and rebuilt after, and
foreign-key triggers are off for the load (session_replication_role = replica): the rows
are consistent by construction. VACUUM ANALYZE at the end.
"""

import argparse
import bisect
import datetime
import itertools
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from common import (
    ADMIN_USER,
    PAID_MONTHS,
    PASSWORD,
    REVIEWER_USER,
    SERVER_URL,
    add_months,
    bench_month,
    db_name,
    db_url,
    setup_django,
)

EVENT_SHARE = 0.10  # persons with events
TWO_EVENTS_SHARE = 0.30  # of those, the share with two
EVENT_DAYS = 730  # events over the last two years
EVENT_KIND_WEIGHTS = {
    "economic": 35,
    "grade": 18,
    "renewal": 17,
    "category": 4,
    "death": 16,
    "moved_out": 6,
    "cancelled": 4,
}
STATUS_KINDS = {"death": "deceased", "moved_out": "moved_out", "cancelled": "cancelled"}
FIELD_OF = {
    "economic": "economic_status",
    "grade": "grade",
    "category": "category",
    "renewal": "certificate_valid_until",
    "death": "status",
    "moved_out": "status",
    "cancelled": "status",
}
REASON_OF = {
    "economic": "民政部门认定结果变更",
    "grade": "复评定级",
    "category": "复评变更类别",
    "renewal": "证件到期换发",
    "death": "户籍注销（死亡）",
    "moved_out": "户籍迁出本区",
    "cancelled": "本人申请注销残疾人证",
}
SOURCE = "基准测试数据"

PERSON_COLUMNS = [
    "id",
    "name",
    "gender",
    "id_number",
    "birth_date",
    "certificate_number",
    "category",
    "grade",
    "certificate_issued",
    "certificate_valid_until",
    "area_id",
    "address",
    "phone",
    "guardian_name",
    "guardian_phone",
    "economic_status",
    "lives_alone",
    "bank_name",
    "bank_account",
    "status",
    "status_date",
    "flags",
    "created_at",
    "updated_at",
]
EVENT_COLUMNS = [
    "person_id",
    "area_code",
    "kind",
    "field",
    "date",
    "old_value",
    "new_value",
    "reason",
    "source",
    "created_by_id",
    "created_at",
]


class Picker:
    """A weighted choice with the cumulative weights computed once."""

    def __init__(self, weights) -> None:
        pairs = list(weights.items()) if isinstance(weights, dict) else list(weights)
        self.items = [item for item, _ in pairs]
        self.cum = list(itertools.accumulate(w for _, w in pairs))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random):
        return self.items[bisect.bisect(self.cum, rng.random() * self.total)]


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class PersonGenerator:
    """Rows of registry_person and registry_personevent, deterministic for a seed."""

    def __init__(
        self, *, seed: int, today: datetime.date, admin_id: int, now: datetime.datetime | None, descending=False
    ) -> None:
        from areas.demo_data import TOWNS, demo_area_rows
        from registry.management.commands import seed_demo as demo

        self.demo = demo
        self.rng = random.Random(seed)
        self.today = today
        self.admin_id = admin_id
        self.now = now
        self.events_from = today - datetime.timedelta(days=EVENT_DAYS)
        names = dict(demo_area_rows())
        places, weights = [], []
        for town in TOWNS:
            codes = sorted(c for c in names if c[:9] == town.code[:9])
            for code in codes:
                places.append((code, town.name, names[code], code[9:] >= "200"))
                weights.append(town.weight / len(codes) * self.rng.uniform(0.5, 1.5))
        self.place = Picker(list(zip(places, weights, strict=True)))
        self.age_band = Picker([(band, w) for band, w in demo.AGE_BANDS])
        self.surname = Picker(demo.SURNAMES)
        self.category = Picker(demo.CATEGORY_WEIGHTS)
        self.child_category = Picker(demo.CHILD_CATEGORY_WEIGHTS)
        self.grade = Picker(demo.GRADE_WEIGHTS)
        self.economic = Picker({str(k): v for k, v in demo.ECONOMIC_WEIGHTS.items()})
        self.region = Picker(demo.REGIONS)
        self.old_region = Picker(demo.REGIONS + demo.OLD_REGIONS)
        self.bank = Picker([((name, prefix), w) for name, prefix, w in demo.BANKS])
        self.event_kind = Picker(EVENT_KIND_WEIGHTS)
        self.sequences: dict[tuple[str, str, bool], int] = {}
        self.descending = descending  # sequence codes from 999 down (the import file's new persons)
        self.events: list[tuple] = []

    def _name(self, male: bool, surname: str = "") -> str:
        rng = self.rng
        chars = self.demo.MALE_CHARS if male else self.demo.FEMALE_CHARS
        surname = surname or self.surname(rng)
        if rng.random() < 0.15:
            return surname + rng.choice(chars)
        return surname + rng.choice(chars) + rng.choice(chars)

    def _mobile(self) -> str:
        return self.rng.choice(self.demo.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def _id_number(self, birth: datetime.date, male: bool) -> str:
        """Unique by construction: a counter per (region, birth date, sex) gives the
        sequence code, odd for men and even for women (GB 11643)."""
        from registry.testing import make_id_number

        born = f"{birth:%Y%m%d}"
        picker = self.old_region if birth.year < 1990 else self.region
        for _ in range(20):
            region = picker(self.rng)
            key = (region, born, male)
            used = self.sequences.get(key, 0)
            if used < 499:
                self.sequences[key] = used + 1
                sequence = 2 * used + (1 if male else 2)
                if self.descending:
                    sequence = 1000 - sequence
                return make_id_number(region=region, birth=born, sequence=sequence)
        raise RuntimeError(f"no free ID sequence for {born}")

    def _address(self, town: str, community: str, village: bool) -> str:
        rng, demo = self.rng, self.demo
        if village:
            return f"{town}{community}{rng.choice(demo.VILLAGE_PLACES)}{rng.randint(1, 60)}号"
        where = f"{rng.choice(demo.ROADS)}{rng.randint(1, 300)}号"
        if rng.random() < 0.6:
            where += f"{rng.randint(1, 12)}座{rng.randint(1, 9)}0{rng.randint(1, 8)}"
        return f"{town}{community}{where}"

    def rows(self, count: int):
        """Person rows (PERSON_COLUMNS); their events accumulate in `self.events`."""
        rng, today = self.rng, self.today
        day = datetime.timedelta(days=1)
        for pk in range(1, count + 1):
            (code, town, community, village) = self.place(rng)
            low, high = self.age_band(rng)
            age = rng.randint(low, high)
            birth = today - datetime.timedelta(days=age * 365 + age // 4 + rng.randrange(365))
            male = rng.random() < 0.56
            surname = self.surname(rng)
            name = self._name(male, surname)
            id_number = self._id_number(birth, male)
            child = age < 18
            category = (self.child_category if child else self.category)(rng)
            grade = self.grade(rng)

            first = max(datetime.date(2010, 1, 1), birth + 180 * day)
            issued = first + rng.randrange(max((today - first).days, 1)) * day
            long_term = rng.random() < (0.25 if age >= 60 else 0.05)
            valid_until = None if long_term else add_years(issued, 10) - day
            if valid_until and valid_until < today and rng.random() < 0.85:
                # Renewed (before the events' window, or without a recorded event).
                renewed = (
                    valid_until - 90 * day + rng.randrange(max(min((today - valid_until).days + 90, 455), 1)) * day
                )
                issued, valid_until = renewed, add_years(renewed, 10) - day

            guardian = child or category in (5, 6) or (category == 7 and grade <= 2)
            guardian_name = guardian_phone = ""
            if guardian:
                parent_male = rng.random() < 0.5
                guardian_name = self._name(parent_male, surname if parent_male else "")
                guardian_phone = self._mobile()
            phone = "" if child or rng.random() < (0.25 if age >= 80 else 0.04) else self._mobile()
            lives_alone = not guardian and age >= 45 and rng.random() < 0.065
            economic = self.economic(rng)
            bank_name = bank_account = ""
            if not child and rng.random() < 0.92:
                bank_name, prefix = self.bank(rng)
                bank_account = prefix + f"{rng.randrange(10 ** (19 - len(prefix))):0{19 - len(prefix)}d}"

            status, status_date = "active", None
            if rng.random() < EVENT_SHARE:
                state = {
                    "grade": grade,
                    "category": category,
                    "economic": economic,
                    "issued": issued,
                    "valid_until": valid_until,
                }
                status, status_date = self._events(pk, code, birth, state)
                grade, category, economic = state["grade"], state["category"], state["economic"]
                issued, valid_until = state["issued"], state["valid_until"]

            yield (
                pk,
                name,
                "M" if male else "F",
                id_number,
                birth,
                f"{id_number}{category}{grade}",
                category,
                grade,
                issued,
                valid_until,
                code,
                self._address(town, community, village),
                phone,
                guardian_name,
                guardian_phone,
                economic,
                lives_alone,
                bank_name,
                bank_account,
                status,
                status_date,
                "[]",
                self.now,
                self.now,
            )

    def _events(self, pk: int, code: str, birth: datetime.date, state: dict) -> tuple[str, datetime.date | None]:
        """1–2 events of the last two years. The person's fields in `state` already hold
        the values after them, except a renewal, which sets the certificate it issues; each
        chain is built backwards from the current value."""
        rng = self.rng
        count = 2 if rng.random() < TWO_EVENTS_SHARE else 1
        kinds: list[str] = []
        while len(kinds) < count:
            kind = self.event_kind(rng)
            if kind == "renewal" and state["valid_until"] is None:
                kind = "economic"  # a long-term certificate is not renewed
            if kind in STATUS_KINDS and any(k in STATUS_KINDS for k in kinds):
                continue
            if kind in kinds and kind != "economic":
                continue
            kinds.append(kind)
        low = max(self.events_from, birth + datetime.timedelta(days=1))
        span = (self.today - low).days - 1
        if span < count:
            return "active", None
        offsets = sorted(rng.sample(range(span), count))
        dates = [low + datetime.timedelta(days=o) for o in offsets]
        # A death, moving out or cancellation comes last: nothing changes after it.
        kinds.sort(key=lambda k: k in STATUS_KINDS)
        status, status_date = "active", None
        economic_chain = [state["economic"]]  # newest first
        dated = list(zip(kinds, dates, strict=True))
        # Backwards, so each old value is the value before the next (newer) event.
        for kind, date in reversed(dated):
            if kind in STATUS_KINDS:
                status, status_date = STATUS_KINDS[kind], date
                old, new = "active", status
            elif kind == "economic":
                new = economic_chain[0]
                old = rng.choice([s for s in ("none", "dibao", "near_dibao") if s != new])
                economic_chain.insert(0, old)
            elif kind == "grade":
                new = state["grade"]
                worse = rng.random() < 0.6
                old_grade = new + 1 if (worse and new < 4) or new == 1 else new - 1
                old, new = str(old_grade), str(new)
            elif kind == "category":
                new = state["category"]
                old, new = str(rng.choice([c for c in range(1, 8) if c != new])), str(new)
            else:  # renewal: the certificate in hand was issued on the event's date
                expired = date + datetime.timedelta(days=rng.randint(-90, 30))
                state["issued"] = date
                state["valid_until"] = add_years(date, 10) - datetime.timedelta(days=1)
                old, new = expired.isoformat(), state["valid_until"].isoformat()
            self.events.append(
                (pk, code, kind, FIELD_OF[kind], date, old, new, REASON_OF[kind], SOURCE, self.admin_id, self.now)
            )
        return status, status_date


# Database ------------------------------------------------------------------------------


def recreate_database(size: int) -> None:
    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name(size)}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db_name(size)}"')


def secondary_indexes(cur, table: str) -> list[tuple[str, str]]:
    """(name, definition) of the indexes of `table` that back no constraint."""
    cur.execute(
        """
        SELECT i.relname, pg_get_indexdef(i.oid)
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = %s::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
        """,
        [table],
    )
    return cur.fetchall()


def timed(label: str):
    """Print how long a step of the load took (a context manager)."""
    import contextlib

    @contextlib.contextmanager
    def manager():
        started = time.perf_counter()
        yield
        print(f"    {label}: {time.perf_counter() - started:.1f} s", flush=True)

    return manager()


class WithoutIndexes:
    """Drop a table's secondary indexes and unique constraints for a bulk load (random keys
    inserted one by one into a b-tree are what makes a load slow), rebuild them after by
    sorting. The primary key stays: its ids are sequential."""

    def __init__(self, cur, *tables: str) -> None:
        self.cur, self.tables = cur, tables
        self.indexes: list[str] = []
        self.constraints: list[tuple[str, str, str]] = []

    def __enter__(self):
        for table in self.tables:
            self.cur.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
                "AND contype = 'u'",
                [table],
            )
            for name, definition in self.cur.fetchall():
                self.cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                self.constraints.append((table, name, definition))
            for name, definition in secondary_indexes(self.cur, table):
                self.cur.execute(f'DROP INDEX "{name}"')
                self.indexes.append(definition)
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            count = len(self.indexes) + len(self.constraints)
            with timed(f"rebuild {count} indexes of {', '.join(self.tables)}"):
                for table, name, definition in self.constraints:
                    self.cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
                for definition in self.indexes:
                    self.cur.execute(definition)


def setup_schema_and_users(size: int) -> tuple[int, int]:
    """Migrate, load the demo communities, create the two users. Returns their ids."""
    setup_django(size)
    from django.core.management import call_command

    from accounts.roles import Role
    from accounts.services import user_create
    from areas.demo_data import demo_area_rows
    from areas.models import Area
    from areas.services import DISTRICT_CODE, areas_import_rows

    call_command("migrate", verbosity=0, interactive=False)
    with tempfile.TemporaryDirectory() as folder:
        result = areas_import_rows(rows=demo_area_rows(), path=Path(folder) / "areas.xlsx")
    print(f"  communities: {result.summary()}")
    district = Area.objects.get(code=DISTRICT_CODE)
    admin = user_create(
        username=ADMIN_USER, password=PASSWORD, role=Role.DISTRICT_ADMIN, area=district, name="基准管理"
    )
    reviewer = user_create(
        username=REVIEWER_USER, password=PASSWORD, role=Role.DISTRICT_REVIEWER, area=district, name="基准审核"
    )
    from django.db import connection

    connection.close()
    return admin.pk, reviewer.pk


WORKER_USER = "bench_worker_{login}"


def town_workers(size: int) -> dict[str, int]:
    """One town officer per town, the watch list's responsible workers (made once): their
    ids by the town's 9-digit prefix."""
    setup_django(size)
    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import user_create
    from areas.demo_data import TOWNS
    from areas.models import Area

    workers = {}
    for town in TOWNS:
        username = WORKER_USER.format(login=town.login)
        user = User.objects.filter(username=username).first() or user_create(
            username=username, password=PASSWORD, role=Role.TOWN_OFFICER, area=Area.objects.get(code=town.code),
            name=f"{town.name[:2]}专干",
        )  # fmt: skip
        workers[town.code[:9]] = user.pk
    from django.db import connection

    connection.close()
    return workers


def load_persons(cur, *, size: int, seed: int, admin_id: int, today: datetime.date) -> tuple[int, int]:
    now = datetime.datetime.now(datetime.UTC)
    generator = PersonGenerator(seed=seed, today=today, admin_id=admin_id, now=now)
    with WithoutIndexes(cur, "registry_person", "registry_personevent", "registry_historicalperson"):
        with (
            timed("COPY persons (generated in Python)"),
            cur.copy(f"COPY registry_person ({', '.join(PERSON_COLUMNS)}) FROM STDIN") as copy,
        ):
            for row in generator.rows(size):
                copy.write_row(row)
        with cur.copy(f"COPY registry_personevent ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as copy:
            for row in sorted(generator.events, key=lambda e: (e[0], e[4])):  # person, date
                copy.write_row(row)
        # One creation record each in the field history, as an import leaves.
        cur.execute(
            """SELECT column_name FROM information_schema.columns
               WHERE table_name = 'registry_historicalperson' AND column_name NOT LIKE 'history\\_%'"""
        )
        shared = [c for (c,) in cur.fetchall()]
        with timed("history rows"):
            cur.execute(
                f"""INSERT INTO registry_historicalperson ({", ".join(shared)}, history_date, history_change_reason,
                    history_type, history_user_id)
                SELECT {", ".join(shared)}, created_at, %s, '+', %s FROM registry_person""",
                [SOURCE, admin_id],
            )
    for table in ("registry_person", "registry_personevent"):
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    return size, len(generator.events)


# Eligibility by the current state, as the awards were decided (the measured month's
# eligibility, through the events, may differ for the few with an event this month).
BASE = """p.economic_status <> 'tekun'
    AND (p.certificate_issued IS NULL OR p.certificate_issued <= %(month)s)
    AND (p.certificate_valid_until IS NULL OR p.certificate_valid_until >= %(month)s)"""
RULE_SQL = {
    "nursing": "(p.grade IN (1, 2) OR p.category IN (5, 6))",
    "living": "p.economic_status IN ('dibao', 'near_dibao')",
}


def load_awards_and_payroll(cur, *, admin_id: int, reviewer_id: int, month: datetime.date) -> dict[str, int]:
    """Awards by current eligibility, the approved payroll of the PAID_MONTHS before `month`."""
    live = add_months(month, -PAID_MONTHS)  # the first paid month
    counts = {}
    tables = ("benefits_award", "benefits_paymentmonth", "benefits_payrollbatch")
    with WithoutIndexes(cur, *tables):
        for code, rule in RULE_SQL.items():
            cur.execute("SELECT id FROM benefits_scheme WHERE code = %s", [code])
            (scheme_id,) = cur.fetchone()
            params = {"month": month, "live": live, "scheme": scheme_id, "admin": admin_id}
            # Open awards: most imported at go-live, the others started since (by a hash of the id).
            cur.execute(
                f"""INSERT INTO benefits_award (person_id, scheme_id, area_code, variant, start_month, end_month,
                        end_reason, source, application_id, created_by_id, created_at)
                    SELECT p.id, %(scheme)s, p.area_id, '',
                           CASE WHEN p.id %% 7 = 0
                                THEN (%(live)s::date + ((p.id / 7) %% {PAID_MONTHS + 1}) * interval '1 month')::date
                                ELSE %(live)s::date END,
                           NULL, '', 'import', NULL, %(admin)s, now()
                    FROM registry_person p
                    WHERE p.status = 'active' AND {BASE} AND {rule}""",
                params,
            )
            counts[f"awards_open_{code}"] = cur.rowcount
            # Ended awards: eligible until a death, moving out or cancellation in the paid period.
            cur.execute(
                f"""INSERT INTO benefits_award (person_id, scheme_id, area_code, variant, start_month, end_month,
                        end_reason, source, application_id, created_by_id, created_at)
                    SELECT p.id, %(scheme)s, p.area_id, '', %(live)s,
                           date_trunc('month', p.status_date)::date, '人员状态变更', 'import', NULL, %(admin)s, now()
                    FROM registry_person p
                    WHERE p.status <> 'active' AND p.status_date >= %(live)s AND p.status_date < %(month)s
                      AND {BASE} AND {rule}""",
                params,
            )
            counts[f"awards_ended_{code}"] = cur.rowcount
            cur.execute(
                """INSERT INTO benefits_payrollbatch (scheme_id, month, state, prepared_by_id, generated_at,
                        approved_by_id, approved_at, exported_at, person_count, month_count, total_fen, version)
                   SELECT %(scheme)s, m::date, 'approved', %(admin)s, m + interval '20 days',
                          %(reviewer)s, m + interval '22 days', NULL, 0, 0, 0, 1
                   FROM generate_series(%(live)s::date, %(month)s::date - interval '1 month', interval '1 month') m""",
                {**params, "reviewer": reviewer_id},
            )
            with timed(f"payment months of {code}"):
                cur.execute(
                    """INSERT INTO benefits_paymentmonth (batch_id, scheme_id, person_id, award_id, area_code, month,
                        amount_fen)
                   SELECT b.id, a.scheme_id, a.person_id, a.id, a.area_code, b.month, r.amount_fen
                   FROM benefits_award a
                   JOIN benefits_payrollbatch b ON b.scheme_id = a.scheme_id AND b.month >= a.start_month
                        AND b.month <= coalesce(a.end_month, %(month)s::date - 1)
                   CROSS JOIN LATERAL (
                        SELECT amount_fen FROM benefits_rate
                        WHERE scheme_id = a.scheme_id AND variant = '' AND valid_from <= b.month
                        ORDER BY valid_from DESC LIMIT 1) r
                   WHERE a.scheme_id = %(scheme)s""",
                    params,
                )
            counts[f"payment_months_{code}"] = cur.rowcount
            # Approval froze each payee's name, bank and account (one line per person and batch here).
            with timed(f"payees of {code}"):
                cur.execute(
                    """INSERT INTO benefits_payee (batch_id, person_id, name, bank_name, bank_account)
                   SELECT m.batch_id, p.id, p.name, p.bank_name, p.bank_account
                   FROM benefits_paymentmonth m JOIN registry_person p ON p.id = m.person_id
                   WHERE m.scheme_id = %(scheme)s
                   ORDER BY m.batch_id, p.id""",
                    params,
                )
    with timed("batch totals"):
        cur.execute(
            """UPDATE benefits_payrollbatch b
           SET person_count = t.persons, month_count = t.months, total_fen = t.total
           FROM (SELECT batch_id, count(DISTINCT person_id) persons, count(*) months, sum(amount_fen) total
                 FROM benefits_paymentmonth GROUP BY batch_id) t
           WHERE t.batch_id = b.id"""
        )
    for table in tables:
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    return counts


# Rehabilitation ------------------------------------------------------------------------

REHAB_DAYS = 730  # service records over the last two years
# The item kinds each disability category calls for (as seed_rehab, plus the assistive
# devices of visual and physical disability and autism beside intellectual disability).
REHAB_KINDS_OF_CATEGORY = {
    1: ["visual", "assistive"],
    2: ["hearing_speech"],
    3: ["hearing_speech"],
    4: ["physical", "assistive"],
    5: ["intellectual", "autism"],
    6: ["mental"],
    7: ["physical", "intellectual", "visual", "hearing_speech", "mental"],
}
# Per person: no record below NO_RECORD_PERCENT of a hash; otherwise 2 + (hash % 21) records
# (mean 12 among those served, ~10 over all persons).
REHAB_NO_RECORD_PERCENT = 15
REHAB_RECORDS_MIN, REHAB_RECORDS_SPREAD = 2, 21


def load_rehab(cur, *, admin_id: int, today: datetime.date, seed: int) -> dict[str, int]:
    """Providers, service records and needs assessments, set-based. Every value comes from a
    hash of (seed, person, record number), so the same seed and day give the same rows."""
    from rehab.management.commands.seed_rehab import PROVIDERS

    cur.execute("SELECT id, kind FROM rehab_rehabitem WHERE is_active ORDER BY code")
    items_of: dict[str, list[int]] = {}
    for item_id, kind in cur.fetchall():
        items_of.setdefault(kind, []).append(item_id)
    provider_kinds = []
    for name, code, kinds in PROVIDERS:
        cur.execute(
            "INSERT INTO rehab_provider (name, area_id, is_active, serves_children)"
            " VALUES (%s, %s, true, false) RETURNING id",
            [name, code],
        )
        provider_kinds.append((cur.fetchone()[0], kinds))
    by_category = []
    for category, kinds in REHAB_KINDS_OF_CATEGORY.items():
        items = [i for kind in kinds for i in items_of[kind]]
        providers = [pk for pk, served in provider_kinds if set(served) & set(kinds)]
        needs = [kind for kind in kinds if kind != "assistive"]
        by_category.append((category, items, providers, json.dumps(needs)))
    params = {
        "seed": seed,
        "today": today,
        "first": today - datetime.timedelta(days=REHAB_DAYS - 1),
        "admin": admin_id,
        "none": REHAB_NO_RECORD_PERCENT,
        "min": REHAB_RECORDS_MIN,
        "spread": REHAB_RECORDS_SPREAD,
    }
    # Integers and the catalogue's kind codes only: written into the statement as literals.
    categories = "VALUES " + ", ".join(
        f"({category}, ARRAY{items}::bigint[], ARRAY{providers}::bigint[], '{needs}'::jsonb)"
        for category, items, providers, needs in by_category
    )
    counts = {}
    cur.execute("SET work_mem = '256MB'")
    with WithoutIndexes(cur, "rehab_servicerecord", "rehab_needassessment", "rehab_historicalneedassessment"):
        with timed("service records"):
            # Each person's window [low, high] of the last two years is cut into n equal
            # parts, one record in each: the days are distinct, so (person, day, item) is.
            cur.execute(
                f"""
                WITH cat (category, items, providers, needs) AS ({categories}),
                person AS (
                    SELECT p.id, p.area_id, c.items, c.providers, w.low, w.high - w.low + 1 AS span,
                           CASE WHEN abs(hashint8(p.id * 31 + %(seed)s)) %% 100 < %(none)s THEN 0
                                ELSE %(min)s + abs(hashint8(p.id * 37 + %(seed)s)) %% %(spread)s END AS wanted
                    FROM registry_person p
                    JOIN cat c ON c.category = p.category
                    CROSS JOIN LATERAL (
                        SELECT greatest(%(first)s::date, p.certificate_issued, p.birth_date) AS low,
                               least(%(today)s::date,
                                     CASE WHEN p.status <> 'active' THEN p.status_date END) AS high) w
                    WHERE w.high >= w.low
                )
                INSERT INTO rehab_servicerecord (person_id, area_code, item_id, provider_id, served_on, sessions,
                    note, recorded_by_id, created_at, void_reason)
                SELECT x.id, x.area_id,
                       x.items[1 + abs(hashint8(x.id * 1009 + k * 7 + %(seed)s)) %% cardinality(x.items)],
                       x.providers[1 + abs(hashint8(x.id * 1013 + k * 11 + %(seed)s)) %% cardinality(x.providers)],
                       x.low + ((k - 1) * x.span / x.n)::int
                             + abs(hashint8(x.id * 1019 + k * 13 + %(seed)s))
                               %% greatest((k * x.span / x.n) - ((k - 1) * x.span / x.n), 1)::int,
                       (ARRAY[1, 4, 8, 10, 12, 20])[1 + abs(hashint8(x.id * 1021 + k + %(seed)s)) %% 6],
                       '', %(admin)s, now(), ''
                FROM (SELECT *, least(wanted, span) AS n FROM person) x
                CROSS JOIN LATERAL generate_series(1, x.n) k
                ORDER BY 5, 1
                """,
                params,
            )
            counts["service_records"] = cur.rowcount
        with timed("needs assessments"):
            # Served in a year: assessed with a need on the day of the first service. Not
            # served in a year but certified in it: one in ten assessed (half of them with
            # an unmet need), on the first day they could be.
            cur.execute(
                f"""
                WITH cat (category, items, providers, needs) AS ({categories}),
                served AS (
                    SELECT person_id, extract(year FROM served_on)::int AS year, min(served_on) AS first_day
                    FROM rehab_servicerecord GROUP BY 1, 2
                ),
                unserved AS (
                    SELECT p.id AS person_id, y.year,
                           greatest(make_date(y.year, 1, 1), %(first)s::date, p.certificate_issued, p.birth_date)
                             AS first_day
                    FROM registry_person p
                    CROSS JOIN (VALUES (%(year)s - 1), (%(year)s)) y (year)
                    WHERE abs(hashint8(p.id * 41 + y.year + %(seed)s)) %% 10 = 0
                      AND NOT EXISTS (SELECT 1 FROM served s WHERE s.person_id = p.id AND s.year = y.year)
                ),
                assessed AS (
                    SELECT person_id, year, first_day, true AS has_need FROM served
                    UNION ALL
                    SELECT u.person_id, u.year, u.first_day, abs(hashint8(u.person_id * 43 + %(seed)s)) %% 2 = 0
                    FROM unserved u JOIN registry_person p ON p.id = u.person_id
                    WHERE u.first_day <= least(make_date(u.year, 12, 31), %(today)s::date,
                                               CASE WHEN p.status <> 'active' THEN p.status_date END)
                )
                INSERT INTO rehab_needassessment (person_id, area_code, year, has_need, kinds, assessed_on, note,
                    assessed_by_id, updated_at)
                SELECT a.person_id, p.area_id, a.year, a.has_need,
                       CASE WHEN a.has_need THEN c.needs ELSE '[]'::jsonb END, a.first_day, '', %(admin)s, now()
                FROM assessed a
                JOIN registry_person p ON p.id = a.person_id
                JOIN cat c ON c.category = p.category
                ORDER BY a.year, a.person_id
                """,
                {**params, "year": today.year},
            )
            counts["assessments"] = cur.rowcount
            cur.execute(
                """INSERT INTO rehab_historicalneedassessment (id, person_id, area_code, year, has_need, kinds,
                    assessed_on, note, assessed_by_id, history_date, history_change_reason, history_type,
                    history_user_id)
                SELECT id, person_id, area_code, year, has_need, kinds, assessed_on, note, assessed_by_id, updated_at,
                       %s, '+', %s
                FROM rehab_needassessment""",
                [SOURCE, admin_id],
            )
    for table in ("rehab_servicerecord", "rehab_needassessment", "rehab_provider"):
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    cur.execute(
        "SELECT setval(pg_get_serial_sequence('rehab_historicalneedassessment', 'history_id'), "
        "(SELECT max(history_id) FROM rehab_historicalneedassessment))"
    )
    cur.execute("RESET work_mem")
    return counts


# Care and outreach ---------------------------------------------------------------------

CARE_MEMBER_SHARE = 0.04  # day-care members per person: ~40,000 at 10^6 (issue 13)
CARE_LEFT_PERCENT = 5  # of the members, left before today (with a reason)
CARE_ATTENDANCE_MONTHS = 2  # full months of attendance before the current one
CARE_BOARDING = ("TY0101", "蓬江区寄宿托养中心", "boarding", "440703002000", "白沙街道丰乐路8号")
ABSENCE_REASONS = ["病假", "事假", "复诊", "家中有事", "天气原因"]
LEAVE_REASONS = ["employed", "health", "family", "moved", "other"]
WATCH_NEVER_PERCENT = 10  # of the watch list, never contacted
WATCH_DAYS = 180  # contacts over the last half year
VISIT_PERCENT = 3  # of the active persons, visited in the last year (one or two visits)
VISIT_NEED_KINDS = ["living", "medical", "rehab", "employment", "housing", "education", "other"]


def care_institutions() -> list[tuple[str, str, str, str, str, int]]:
    """(code, name, kind, area, address, capacity) of the day-care institutions of
    `seed_care` — three community centres per town, the sheltered workshop and the adult
    day care — and a boarding institution (no day members): capacities are set after the
    members are placed."""
    from areas.demo_data import TOWNS
    from care.management.commands.seed_care import CENTRES_PER_TOWN, OTHERS

    rows = []
    for number, town in enumerate(TOWNS, start=1):
        for n in range(1, CENTRES_PER_TOWN + 1):
            community = (*town.communities, *town.villages)[n - 1]
            name = f"{town.name}{community.removesuffix('社区').removesuffix('村')}康园中心"
            rows.append((f"KY{number:02d}{n:02d}", name, "centre", town.code, f"{town.name}{community}", 0))
    rows += [(code, name, str(kind), area, address, 0) for code, name, kind, area, address, _ in OTHERS]
    rows.append((*CARE_BOARDING, 0))
    return rows


def care_month(today: datetime.date) -> datetime.date:
    """The month of the attendance sheet measured: the last full month."""
    return add_months(today.replace(day=1), -1)


def load_care(cur, *, admin_id: int, today: datetime.date, seed: int, size: int) -> dict[str, int]:
    """The care institutions, ~4% of persons as day-care members (those the admission rule
    admits: 16–59, intellectual or mental disability or grade 1–2, active), each at one
    day-care institution of their town, and their attendance on every open day (Monday to
    Friday) of the last two full months and of this month to yesterday, set-based. Today's
    is left to take."""
    institutions = care_institutions()
    ids = []
    for code, name, kind, area, address, capacity in institutions:
        cur.execute(
            """INSERT INTO care_institution (code, name, kind, area_id, address, capacity, open_days, opens_at,
                   closes_at, is_active)
               VALUES (%s, %s, %s, %s, %s, %s, 31, '08:30', '16:30', true) RETURNING id""",
            [code, name, kind, area, address, capacity],
        )
        ids.append((cur.fetchone()[0], kind, area[:9]))
    by_town: dict[str, list[int]] = {}
    for pk, kind, town in ids:
        if kind != "boarding":
            by_town.setdefault(town, []).append(pk)
    towns = "VALUES " + ", ".join(f"('{town}', ARRAY{pks}::bigint[])" for town, pks in by_town.items())
    first_day = add_months(care_month(today), -(CARE_ATTENDANCE_MONTHS - 1))
    params = {
        "seed": seed,
        "today": today,
        "admin": admin_id,
        "members": max(round(size * CARE_MEMBER_SHARE), 1),
        "left": CARE_LEFT_PERCENT,
        "first": first_day,
        "reasons": ABSENCE_REASONS,
        "leave": LEAVE_REASONS,
    }
    counts = {}
    with WithoutIndexes(cur, "care_enrolment", "care_attendance"):
        with timed("enrolments"):
            # The members: the admitted persons in the order of a hash, as many as wanted;
            # most enrolled before the measured month, one in eight during it or after.
            cur.execute(
                f"""
                WITH town (prefix, institutions) AS ({towns}),
                admitted AS (
                    SELECT p.id, p.area_id, p.birth_date, p.certificate_issued, t.institutions
                    FROM registry_person p JOIN town t ON t.prefix = substr(p.area_id, 1, 9)
                    WHERE p.status = 'active' AND (p.category IN (5, 6) OR p.grade IN (1, 2))
                      AND p.birth_date <= (%(today)s::date - interval '17 years')
                      AND p.birth_date > (%(today)s::date - interval '59 years')
                    ORDER BY hashint8(p.id * 53 + %(seed)s)
                    LIMIT %(members)s
                ),
                member AS (
                    SELECT a.*, greatest(
                               CASE WHEN abs(hashint8(a.id * 59 + %(seed)s)) %% 8 = 0
                                    THEN %(first)s::date + (abs(hashint8(a.id * 61 + %(seed)s))
                                         %% greatest(%(today)s::date - %(first)s::date, 1))::int
                                    ELSE %(first)s::date - 1 - (abs(hashint8(a.id * 61 + %(seed)s)) %% 1500)::int
                               END,
                               (a.birth_date + interval '16 years')::date,
                               coalesce(a.certificate_issued, a.birth_date)) AS started_on
                    FROM admitted a
                )
                INSERT INTO care_enrolment (person_id, area_code, institution_id, started_on, ended_on, leave_reason,
                    leave_note, ended_by_id, day_care, override_reason, recorded_by_id, created_at, void_reason)
                SELECT m.id, m.area_id,
                       m.institutions[1 + abs(hashint8(m.id * 67 + %(seed)s)) %% cardinality(m.institutions)],
                       m.started_on, x.ended_on,
                       CASE WHEN x.ended_on IS NULL THEN ''
                            ELSE (%(leave)s::text[])[1 + abs(hashint8(m.id * 73 + %(seed)s)) %% 5] END,
                       '', CASE WHEN x.ended_on IS NULL THEN NULL ELSE %(admin)s END,
                       true, '', %(admin)s, now(), ''
                FROM member m
                CROSS JOIN LATERAL (
                    SELECT CASE WHEN abs(hashint8(m.id * 71 + %(seed)s)) %% 100 < %(left)s
                                 AND m.started_on < %(today)s::date - 1
                                THEN m.started_on + (abs(hashint8(m.id * 79 + %(seed)s))
                                     %% (%(today)s::date - 1 - m.started_on))::int END AS ended_on) x
                WHERE m.started_on < %(today)s::date
                ORDER BY m.id
                """,
                params,
            )
            counts["care_members"] = cur.rowcount
        with timed("attendance"):
            # Each member attends on nine days in ten or so (a habit of their own, 80–99%);
            # one absence in three has a reason.
            cur.execute(
                """
                INSERT INTO care_attendance (institution_id, day, person_id, area_code, present, absence_reason,
                    recorded_by_id, recorded_at)
                SELECT e.institution_id, d::date, e.person_id, e.area_code, x.present,
                       CASE WHEN x.present OR x.h %% 3 <> 0 THEN ''
                            ELSE (%(reasons)s::text[])[1 + x.h %% 5] END,
                       %(admin)s, d + interval '17 hours'
                FROM care_enrolment e
                CROSS JOIN LATERAL generate_series(greatest(e.started_on, %(first)s::date),
                                                   least(coalesce(e.ended_on, %(today)s::date - 1),
                                                         %(today)s::date - 1),
                                                   interval '1 day') d
                CROSS JOIN LATERAL (
                    SELECT abs(hashint8(e.person_id * 83 + extract(doy FROM d)::int * 7 + %(seed)s)) %% 100
                             < 80 + abs(hashint8(e.person_id * 89 + %(seed)s)) %% 20 AS present,
                           abs(hashint8(e.person_id * 97 + extract(doy FROM d)::int + %(seed)s)) AS h) x
                WHERE extract(isodow FROM d) <= 5
                ORDER BY 2, 1, 3
                """,
                params,
            )
            counts["care_attendance"] = cur.rowcount
    # Each institution's capacity: its members today, and a few free places.
    cur.execute(
        """UPDATE care_institution i SET capacity = coalesce(m.members, 0) + 5
           FROM care_institution j LEFT JOIN (
               SELECT institution_id, count(*) AS members FROM care_enrolment WHERE ended_on IS NULL GROUP BY 1) m
             ON m.institution_id = j.id
           WHERE i.id = j.id"""
    )
    for table in ("care_institution", "care_enrolment", "care_attendance"):
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    return counts


def load_outreach(cur, *, admin_id: int, workers: dict[str, int], today: datetime.date, seed: int) -> dict[str, int]:
    """The living-alone watch (every active person flagged `lives_alone` is on it, as the
    registry has them): a responsible worker of the person's town for nine in ten, and
    contacts over the last half year at an interval of the person's own (14–33 days), the
    last one 0–44 days ago, so some are overdue; one in ten never contacted. Home visits
    of 3% of the active persons in the last year (a second for a third of them), each
    with gifts, some with needs raised (open or closed) and a follow-up day. Set-based."""
    workers_sql = "VALUES " + ", ".join(f"('{town}', {pk})" for town, pk in workers.items())
    params = {"seed": seed, "today": today, "admin": admin_id, "never": WATCH_NEVER_PERCENT, "days": WATCH_DAYS}
    counts = {}
    tables = ("outreach_watchassignment", "outreach_watchcontact", "outreach_homevisit", "outreach_visitneed")
    with WithoutIndexes(cur, *tables):
        cur.execute(
            f"""
            WITH worker (town, id) AS ({workers_sql})
            INSERT INTO outreach_watchassignment (person_id, worker_id, area_code, assigned_by_id, assigned_at)
            SELECT p.id, w.id, p.area_id, %(admin)s, now()
            FROM registry_person p JOIN worker w ON w.town = substr(p.area_id, 1, 9)
            WHERE p.status = 'active' AND p.lives_alone AND abs(hashint8(p.id * 101 + %(seed)s)) %% 10 <> 0
            ORDER BY p.id
            """,
            params,
        )
        counts["watch_assignments"] = cur.rowcount
        with timed("watch contacts"):
            cur.execute(
                """
                WITH watched AS (
                    SELECT p.id, p.area_id, p.birth_date,
                           14 + abs(hashint8(p.id * 103 + %(seed)s)) %% 20 AS every,
                           abs(hashint8(p.id * 107 + %(seed)s)) %% 45 AS last_ago
                    FROM registry_person p
                    WHERE p.status = 'active' AND p.lives_alone
                      AND abs(hashint8(p.id * 109 + %(seed)s)) %% 100 >= %(never)s
                )
                INSERT INTO outreach_watchcontact (person_id, area_code, contacted_on, method, note, recorded_by_id,
                    created_at, void_reason)
                SELECT w.id, w.area_id, %(today)s::date - w.last_ago - (k - 1) * w.every,
                       (ARRAY['phone', 'phone', 'visit', 'neighbour'])[1 + abs(hashint8(w.id * 113 + k)) %% 4],
                       '', %(admin)s, now(), ''
                FROM watched w
                CROSS JOIN LATERAL generate_series(1, 1 + (%(days)s - w.last_ago) / w.every) k
                WHERE %(today)s::date - w.last_ago - (k - 1) * w.every > w.birth_date
                ORDER BY 3, 1
                """,
                params,
            )
            counts["watch_contacts"] = cur.rowcount
        with timed("home visits and needs"):
            cur.execute(
                """
                WITH visited AS (
                    SELECT p.id, p.area_id, p.birth_date, 1 + abs(hashint8(p.id * 127 + %(seed)s)) %% 3 / 2 AS n
                    FROM registry_person p
                    WHERE p.status = 'active' AND abs(hashint8(p.id * 131 + %(seed)s)) %% 100 < %(visits)s
                )
                INSERT INTO outreach_homevisit (person_id, area_code, visited_on, other_visitors, findings, needs,
                    money, gifts, follow_up_on, recorded_by_id, created_at, void_reason)
                SELECT v.id, v.area_id, x.visited_on, '', '家中生活基本稳定', x.needs,
                       (ARRAY[0, 200, 300, 500])[1 + abs(hashint8(v.id * 137 + k)) %% 4],
                       (ARRAY['大米一袋、食用油一瓶', '慰问品一份', '米、油、牛奶', ''])
                           [1 + abs(hashint8(v.id * 139 + k)) %% 4],
                       CASE WHEN abs(hashint8(v.id * 149 + k)) %% 5 = 0
                            THEN x.visited_on + 30 + (abs(hashint8(v.id * 151 + k)) %% 60)::int END,
                       %(admin)s, now(), ''
                FROM visited v
                CROSS JOIN LATERAL generate_series(1, v.n) k
                CROSS JOIN LATERAL (
                    SELECT %(today)s::date - ((k - 1) * 180 + abs(hashint8(v.id * 157 + k)) %% 180)::int AS visited_on,
                           CASE WHEN abs(hashint8(v.id * 163 + k)) %% 10 < 3
                                THEN jsonb_build_array((%(kinds)s::text[])[1 + abs(hashint8(v.id * 167 + k)) %% 7])
                                ELSE '[]'::jsonb END AS needs) x
                WHERE x.visited_on > v.birth_date
                ORDER BY 3, 1
                """,
                {**params, "visits": VISIT_PERCENT, "kinds": VISIT_NEED_KINDS},
            )
            counts["home_visits"] = cur.rowcount
            # Each need raised, open for the last three months' visits, and for one in
            # three before; the others closed within a month.
            cur.execute(
                """
                INSERT INTO outreach_visitneed (person_id, area_code, visit_id, kind, raised_on, closed_on,
                    closed_by_id, outcome, recorded_by_id, created_at, void_reason)
                SELECT v.person_id, v.area_code, v.id, k.kind, v.visited_on, x.closed_on,
                       CASE WHEN x.closed_on IS NULL THEN NULL ELSE %(admin)s END,
                       CASE WHEN x.closed_on IS NULL THEN '' ELSE '已转介镇街跟进办理' END,
                       %(admin)s, now(), ''
                FROM outreach_homevisit v
                CROSS JOIN LATERAL jsonb_array_elements_text(v.needs) k (kind)
                CROSS JOIN LATERAL (
                    SELECT CASE WHEN v.visited_on >= %(today)s::date - 90 OR v.id %% 3 = 0 THEN NULL
                                ELSE v.visited_on + (v.id %% 30)::int END AS closed_on) x
                ORDER BY v.visited_on, v.id
                """,
                params,
            )
            counts["visit_needs"] = cur.rowcount
    for table in tables:
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    return counts


def generate(size: int, seed: int) -> dict:
    started = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = now - since
        print(f"  {name}: {now - since:.1f} s", flush=True)
        return now

    print(f"Generating {size:,} persons into {db_name(size)}", flush=True)
    recreate_database(size)
    admin_id, reviewer_id = setup_schema_and_users(size)
    workers = town_workers(size)
    t = lap("create, migrate, communities, users", started)
    today = datetime.date.today()
    with psycopg.connect(db_url(size)) as conn, conn.cursor() as cur:
        cur.execute("SET session_replication_role = replica")  # no FK triggers during the load
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute("SET synchronous_commit = off")
        persons, events = load_persons(cur, size=size, seed=seed, admin_id=admin_id, today=today)
        conn.commit()
        t = lap("persons, events, history (COPY, indexes rebuilt)", t)
        counts = load_awards_and_payroll(cur, admin_id=admin_id, reviewer_id=reviewer_id, month=bench_month(today))
        conn.commit()
        t = lap("awards and approved payroll history (INSERT … SELECT)", t)
        counts.update(load_rehab(cur, admin_id=admin_id, today=today, seed=seed))
        conn.commit()
        t = lap("rehabilitation: service records and assessments (INSERT … SELECT)", t)
        counts.update(load_care(cur, admin_id=admin_id, today=today, seed=seed, size=size))
        conn.commit()
        t = lap("care: institutions, members, attendance (INSERT … SELECT)", t)
        counts.update(load_outreach(cur, admin_id=admin_id, workers=workers, today=today, seed=seed))
        conn.commit()
        t = lap("outreach: watch list, contacts, visits, needs (INSERT … SELECT)", t)
    with psycopg.connect(db_url(size), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    lap("VACUUM ANALYZE", t)
    total = time.perf_counter() - started
    print(
        f"Done in {total:.1f} s: {persons:,} persons, {events:,} events, "
        + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )
    return {"persons": persons, "events": events, **counts, "seconds": total, "timings": timings}


CARE_OUTREACH_TABLES = (
    "care_attendancechange",
    "care_attendance",
    "care_waitingentry",
    "care_enrolment",
    "care_institution_staff",
    "care_historicalinstitution_staff",
    "care_historicalinstitution",
    "care_institution",
    "outreach_visitneed",
    "outreach_homevisit",
    "outreach_watchcontact",
    "outreach_watchassignment",
)


def add_care_outreach(size: int, seed: int) -> None:
    """The care and outreach parts alone, into a database generated before they were part
    of the generator (or again): the tables emptied, the same rows as a full generation of
    the same seed and day."""
    started = time.perf_counter()
    setup_django(size)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from accounts.models import User

    admin_id = User.objects.get(username=ADMIN_USER).pk
    from django.db import connection

    connection.close()
    workers = town_workers(size)
    today = datetime.date.today()
    with psycopg.connect(db_url(size)) as conn, conn.cursor() as cur:
        cur.execute("SET session_replication_role = replica")
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute("SET synchronous_commit = off")
        present = [t for t in CARE_OUTREACH_TABLES if cur.execute("SELECT to_regclass(%s)", [t]).fetchone()[0]]
        # CASCADE: the care records that point at the institutions (checks, drills, placements).
        cur.execute(f"TRUNCATE {', '.join(present)} CASCADE")
        counts = load_care(cur, admin_id=admin_id, today=today, seed=seed, size=size)
        counts.update(load_outreach(cur, admin_id=admin_id, workers=workers, today=today, seed=seed))
        conn.commit()
    with psycopg.connect(db_url(size), autocommit=True) as conn:
        conn.execute(f"VACUUM (ANALYZE) {', '.join(present)}")
    print(
        f"Care and outreach in {time.perf_counter() - started:.1f} s: "
        + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True, help="number of persons")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--care-outreach-only",
        action="store_true",
        help="into the existing database: replace only its care and outreach data",
    )
    args = parser.parse_args(argv)
    if args.size < 1:
        sys.exit("--size must be positive")
    if args.care_outreach_only:
        add_care_outreach(args.size, args.seed)
    else:
        generate(args.size, args.seed)


if __name__ == "__main__":
    main()
