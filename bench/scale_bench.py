"""Scale benchmark (PostgreSQL): the dashboard's own query functions on N spend lines,
plain tables against the partitioned layouts of ``tracker.storage.partitioning``.

Run ``python -m bench.scale_bench [--rows N]`` (default 10,000,000; part of ``make bench``
with a smaller ``--rows``, see the Makefile). In a temporary PostgreSQL database
(``TRACKER_BENCH_POSTGRES_URL``) migrated to the tracker's schema it creates
``--authorities`` authorities (default 400) with one import batch each and one inventory
run per authority and financial year 2015/16-2024/25, then, as the bench's setup (not
measured against anything):

- generates ``spend_line`` in the server (``INSERT … SELECT`` over ``generate_series``, a
  fixed seed): N lines spread over the authorities (a few large, many small: lognormal
  weights) and over the ten years, with suppliers, expense types and cost centres;
- each run's ``line_emission_key`` rows (status, category, method, confidence,
  data-quality scores, exclusion reason) and one ``line_emission`` row per line in its
  authority-year's run (its key, drawn at random, and kgCO2e);
- the per-run summary tables (``tracker.models.summary``) from those rows, in SQL, and
  each batch's covered months (``record_batch_months``, as the import does);
- the tables' indexes and foreign keys after the rows are in (dropped first: building an
  index once is far faster than updating it row by row), then ``ANALYZE``.

Each partitioned layout is a schema holding partitioned ``spend_line`` and
``line_emission`` tables made by ``partition_script`` (``--layouts``: "authority", the
documented layout, spend lines by HASH of authority and line emissions by HASH of run,
16 partitions each; "year", spend lines by calendar year). The measured session reads it
through ``search_path``, so the very same functions run against every layout.

For ``--samples`` authorities picked at random (the same for every layout) and one
financial year each, it times the functions the dashboard's authority page, line page and
review page call (``tracker.queries``, ``tracker.services.completeness``), one session
per call as ``dashboards.data`` opens them, and the admin's overview and compare pages'
coverage of every authority (``covered months, all``). It prints the median and 95th
percentile in milliseconds per layout and the ratio to the plain tables, the partitions
the planner reads for an authority-year, the disk each table takes, and stores it all
under ``scale`` in ``bench/results.json`` (one entry per ``--rows``, so a 1M and a 10M run
sit side by side), with the machine's load average.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

if not __package__:  # run as ``python bench/scale_bench.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session

from bench.import_bench import Database, postgres_server
from bench.results import RESULTS_FILE, merge_section
from tracker.db import make_engine, make_session_factory, session_scope
from tracker.domain.periods import fy_bounds
from tracker.models import ImportBatch, InventoryRun
from tracker.queries.breakdowns import (
    category_breakdown,
    category_quality,
    coverage,
    department_breakdown,
    excluded_breakdown,
    excluded_payees,
    scope3_breakdown,
    supplier_breakdown,
)
from tracker.queries.lines import category_lines
from tracker.queries.review import review_queue
from tracker.queries.runs import current_runs
from tracker.services import completeness
from tracker.services.authorities import add_authority
from tracker.services.batch_months import record_batch_months
from tracker.services.completeness import covered_months
from tracker.storage.partitioning import partition_script

FIRST_YEAR = 2015
YEARS = 10
SEED = 20260101
CATEGORIES = 40
# The bench's connections say who they are, so that their server processes can be found
# (and reniced on a shared machine: see docs/benchmarks.md).
APPLICATION = "tracker-scale-bench"
BIG_TABLES = ("spend_line", "line_emission")
SCHEMAS = {"plain": "public", "authority": "part_authority", "year": "part_year"}
SCHEMES = {"authority": ("authority", "run"), "year": ("year", "run")}

# One spend line per generated row; ``owners`` is a weighted draw of authority ids.
SPEND_LINES = """
INSERT INTO spend_line (id, authority_id, batch_id, source_row, transaction_date,
    date_precision, amount, currency, supplier_name, description, expense_type, cost_centre)
SELECT g.n, g.authority_id, b.id, g.n, DATE '{first_day}' + g.day, 'day',
    round(exp(6.5 + 1.6 * sqrt(-2 * ln(1 - g.u1)) * cos(2 * pi() * g.u2))::numeric, 2),
    'GBP', 'Supplier ' || floor(3000 * g.s * g.s)::int || ' Ltd',
    'Item ' || floor(500 * g.e)::int,
    (ARRAY['Agency Staff', 'Building Repairs', 'Consultancy', 'Fuel', 'ICT',
           'Waste'])[1 + floor(6 * g.e)::int],
    'Department ' || floor(12 * g.c)::int
FROM (
    SELECT n, (CAST(:owners AS int[]))[1 + floor(4096 * random())::int] AS authority_id,
        floor({days} * random())::int AS day, random() AS u1, random() AS u2,
        random() AS s, random() AS e, random() AS c
    FROM generate_series(1, :rows) AS n
    OFFSET 0
) AS g
JOIN import_batch b ON b.authority_id = g.authority_id
"""

# The keys each run's lines took (what those lines share), written after the lines (the
# foreign keys are put back after both): for mapped lines, one per category, method (with
# its data-quality scores) and band of the line's draw r2 (capital goods and low
# confidence below 0.1, low confidence below 0.12, else high); one for unmapped lines; for
# excluded lines, one per reason and confidence.
EMISSION_KEYS = """
INSERT INTO line_emission_key (run_id, key_id, status, scope3_category, confidence, dq,
    method, reason, category_code, factor_year)
SELECT u.run_id, k.key_id, k.status, k.scope3, k.confidence, k.dq, k.method, k.reason,
    k.code, k.factor_year
FROM (SELECT DISTINCT run_id, key_id FROM line_emission) AS u JOIN (
    SELECT 1 + ((c - 1) * 3 + p - 1) * 3 + b AS key_id, 'mapped' AS status,
        CASE WHEN b = 0 THEN 2 ELSE 1 END AS scope3,
        CASE WHEN b < 2 THEN 'low' ELSE 'high' END AS confidence,
        (ARRAY['31123', '32223', '42233'])[p] AS dq,
        (ARRAY['sic', 'library', 'rule'])[p] AS method, NULL AS reason, c::text AS code,
        2021 AS factor_year
    FROM generate_series(1, {categories}) AS c, generate_series(1, 3) AS p,
        generate_series(0, 2) AS b
    UNION ALL
    SELECT {categories} * 9 + 1, 'unmapped', NULL, NULL, NULL, NULL, NULL, NULL, NULL
    UNION ALL
    SELECT {categories} * 9 + 2 + (p - 1) * 2 + l, 'excluded', NULL,
        CASE WHEN l = 1 THEN 'low' ELSE 'high' END, NULL, NULL,
        (ARRAY['excluded: salaries', 'excluded: grants', 'excluded: pensions'])[p], NULL, NULL
    FROM generate_series(1, 3) AS p, generate_series(0, 1) AS l
) AS k ON k.key_id = u.key_id
"""

# One line emission per line, in the run of its authority's financial year (April), with
# its key drawn from those above.
LINE_EMISSIONS = """
INSERT INTO line_emission (run_id, spend_line_id, key_id, kgco2e)
SELECT x.run_id, x.id,
    CASE x.status
        WHEN 'mapped' THEN 1 + (floor({categories} * x.r3)::int * 3 + x.pick - 1) * 3
            + CASE WHEN x.r2 < 0.1 THEN 0 WHEN x.r2 < 0.12 THEN 1 ELSE 2 END
        WHEN 'unmapped' THEN {categories} * 9 + 1
        ELSE {categories} * 9 + 2 + (x.pick - 1) * 2 + (x.r2 < 0.12)::int
    END,
    CASE WHEN x.status = 'mapped' THEN round(x.amount * 0.3, 6) ELSE 0 END
FROM (
    SELECT sl.id, r.id AS run_id, sl.amount,
        CASE WHEN u < 0.85 THEN 'mapped' WHEN u < 0.95 THEN 'unmapped' ELSE 'excluded' END
            AS status, random() AS r2, random() AS r3, 1 + floor(3 * random())::int AS pick
    FROM (SELECT id, authority_id, transaction_date, amount, random() AS u FROM spend_line
          OFFSET 0) AS sl
    JOIN inventory_run r ON r.authority_id = sl.authority_id
        AND r.fy_year = extract(year FROM sl.transaction_date - interval '3 months')
    OFFSET 0
) AS x
"""

# The per-run summaries the inventory writes with each run (exact SQL sums here), from
# one join of the line emissions to their lines.
SUMMARIES = (
    "CREATE TEMPORARY TABLE run_lines ON COMMIT DROP AS SELECT le.run_id, k.status, "
    "k.category_code, k.scope3_category, k.method, k.factor_year, k.dq, le.kgco2e, "
    "sl.amount, sl.supplier_name, sl.cost_centre "
    "FROM line_emission le JOIN line_emission_key k "
    "ON k.run_id = le.run_id AND k.key_id = le.key_id "
    "JOIN spend_line sl ON sl.id = le.spend_line_id",
    "INSERT INTO run_category_total (run_id, status, category_code, scope3_category, method, "
    "factor_year, supplier_specific, lines, spend, kgco2e) "
    "SELECT run_id, status, category_code, scope3_category, method, factor_year, false, "
    "count(*), sum(amount), sum(kgco2e) FROM run_lines GROUP BY 1, 2, 3, 4, 5, 6",
    "INSERT INTO run_supplier_total (run_id, supplier_name, status, lines, spend, kgco2e) "
    "SELECT run_id, supplier_name, status, count(*), sum(amount), sum(kgco2e) "
    "FROM run_lines GROUP BY 1, 2, 3",
    "INSERT INTO run_department_total (run_id, department, status, lines, spend, kgco2e) "
    "SELECT run_id, nullif(trim(cost_centre), ''), status, count(*), sum(amount), "
    "sum(kgco2e) FROM run_lines GROUP BY 1, 2, 3",
    "INSERT INTO run_quality_total (run_id, category_code, dq, lines, spend, abs_spend, "
    "kgco2e, kg2) SELECT run_id, category_code, dq, count(*), sum(amount), sum(abs(amount)), "
    "sum(kgco2e), sum(kgco2e * kgco2e) FROM run_lines WHERE status = 'mapped' "
    "GROUP BY 1, 2, 3",
)

# For the largest category of each sampled run (the lines page opens on it).
LARGEST_CATEGORY = (
    "SELECT category_code FROM run_category_total WHERE run_id = :r AND status = 'mapped' "
    "ORDER BY kgco2e DESC LIMIT 1"
)

Sample = tuple[int, int, int, str]  # authority, financial year, run, largest category
Call = Callable[[Session, Sample], object]

# The functions the pages call, with the scope they are called with.
QUERIES: dict[str, Call] = {
    # authority page (dashboards.data.authority)
    "covered months": lambda s, x: covered_months(s, [x[0]]),
    "current runs": lambda s, x: current_runs(s, authority_ids=[x[0]]),
    "by category": lambda s, x: category_breakdown(s, run_id=x[2], authority_id=x[0]),
    "by supplier": lambda s, x: supplier_breakdown(s, run_id=x[2], authority_id=x[0], limit=15),
    "by department": lambda s, x: department_breakdown(s, run_id=x[2], authority_id=x[0]),
    "scope 3": lambda s, x: scope3_breakdown(s, run_id=x[2], authority_id=x[0]),
    "coverage": lambda s, x: coverage(s, run_id=x[2], authority_id=x[0]),
    "quality": lambda s, x: category_quality(s, run_id=x[2], authority_id=x[0]),
    "excluded": lambda s, x: excluded_breakdown(s, run_id=x[2], authority_id=x[0]),
    "excluded payees": lambda s, x: excluded_payees(s, run_id=x[2], authority_id=x[0]),
    # a category's lines (first page) and the review queue (first page)
    "category lines": lambda s, x: category_lines(
        s, run_id=x[2], authority_id=x[0], category_code=x[3]
    ),
    "review queue": lambda s, x: review_queue(s, run_id=x[2], authority_id=x[0]),
}
EVERY_AUTHORITY = "covered months, all"  # the admin's overview and compare pages
# Covered months are kept per authority under its live batches (tracker.services.
# completeness): these are timed with nothing kept, as on the first view after an import;
# "covered months, kept" is the same call answered from what the warm-up kept.
COLD = ("covered months", EVERY_AUTHORITY)
KEPT = "covered months, kept"
QUERIES[KEPT] = QUERIES["covered months"]


def _forget_covered_months() -> None:
    completeness._MONTHS.clear()


def setup(
    engine: Engine, authorities: int
) -> tuple[list[int], dict[int, int], dict[tuple[int, int], int]]:
    """Authorities, one batch each and one run per authority-year."""
    ids: list[int] = []
    batches: dict[int, int] = {}
    runs: dict[tuple[int, int], int] = {}
    with session_scope(make_session_factory(engine)) as session:
        for index in range(authorities):
            authority = add_authority(session, code=f"S{index:04d}", name=f"Scale {index}")
            batch = ImportBatch(
                authority_id=authority.id, file_name="generated.csv", sha256=f"{index:064d}",
                size_bytes=0, file_format="csv", header_row=1, column_mapping={},
                amount_rule="amount", rows_read=0, rows_imported=0, rows_rejected=0,
                rows_skipped=0, total_amount=0, report={},
            )  # fmt: skip
            session.add(batch)
            for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
                start, end = fy_bounds(year, 4)
                run = InventoryRun(
                    authority_id=authority.id, fy_year=year, period_start=start,
                    period_end=end, factor_family="defra", factor_edition="bench",
                    price_year_policy="matched", price_index_key="bench",
                    tracker_version="bench", line_count=0, total_spend=0, mapped_spend=0,
                    total_kgco2e=0, inputs={},
                )  # fmt: skip
                session.add(run)
                session.flush()
                runs[(authority.id, year)] = run.id
            batches[authority.id] = batch.id
            ids.append(authority.id)
    return ids, batches, runs


# What the bulk load drops from each big table and builds again after it: (the catalogue
# query naming each one with its definition, how to drop it, how to put it back); indexes
# come back first, as the foreign keys use them.
_DEFERRED = (
    (
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = CAST(:t AS regclass) AND NOT x.indisprimary",
        'DROP INDEX "{name}"',
        "{definition}",
    ),
    (
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = CAST(:t AS regclass) AND contype = 'f'",
        'ALTER TABLE {table} DROP CONSTRAINT "{name}"',
        'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}',
    ),
)


def _deferred_ddl(conn: Connection) -> list[str]:
    """Drop the big tables' secondary indexes and foreign keys; returns the statements
    that put them back."""
    restore: list[str] = []
    for catalogue, drop, create in _DEFERRED:
        for table in BIG_TABLES:
            for name, definition in conn.execute(text(catalogue), {"t": table}).all():
                conn.execute(text(drop.format(table=table, name=name)))
                restore.append(create.format(table=table, name=name, definition=definition))
    return restore


def load(engine: Engine, rows: int, ids: Sequence[int], batches: Sequence[int]) -> dict[str, float]:
    """Generate ``rows`` spend lines, their line emissions, the run summaries and the
    batches' covered months; returns the seconds each step took."""
    rng = random.Random(SEED)
    weights = [rng.lognormvariate(0, 1) for _ in ids]
    owners = rng.choices(list(ids), weights=weights, k=4096)
    seconds: dict[str, float] = {}

    def step(name: str, statements: Sequence[str], **params: Any) -> None:
        started = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL work_mem = '256MB'"))
            conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
            for statement in statements:
                conn.execute(text(statement), params)
        seconds[name] = round(time.perf_counter() - started, 1)
        print(f"  {name}: {seconds[name]:.1f} s", flush=True)

    with engine.begin() as conn:
        restore = _deferred_ddl(conn)
        conn.execute(text("SELECT setseed(0.2026)"))
        started = time.perf_counter()
        days = (dt.date(FIRST_YEAR + YEARS, 4, 1) - dt.date(FIRST_YEAR, 4, 1)).days
        sql = SPEND_LINES.format(first_day=dt.date(FIRST_YEAR, 4, 1), days=days)
        conn.execute(text(sql), {"owners": owners, "rows": rows})
        conn.execute(text(LINE_EMISSIONS.format(categories=CATEGORIES)))
        conn.execute(text(EMISSION_KEYS.format(categories=CATEGORIES)))
        conn.execute(text("SELECT setval('spend_line_id_seq', :n)"), {"n": rows})
        seconds["lines and line emissions"] = round(time.perf_counter() - started, 1)
        print(f"  lines and line emissions: {seconds['lines and line emissions']:.1f} s")
    analyze = [f"ANALYZE {table}" for table in BIG_TABLES]  # plans for the summaries
    step("indexes, foreign keys, ANALYZE", [*restore, *analyze])
    step("run summaries", SUMMARIES)
    started = time.perf_counter()
    with session_scope(make_session_factory(engine)) as session:
        for batch_id in batches:  # as the import does, once a batch's lines are stored
            record_batch_months(session, batch_id)
    seconds["batch months"] = round(time.perf_counter() - started, 1)
    print(f"  batch months: {seconds['batch months']:.1f} s", flush=True)
    return seconds


def partition(engine: Engine, layouts: Sequence[str]) -> dict[str, float]:
    """Each layout's schema of partitioned copies, filled from the plain tables, indexes
    built after the rows; returns seconds per table."""
    seconds = {}
    for layout in layouts:
        schema = SCHEMAS[layout]
        for scheme, table in zip(SCHEMES[layout], BIG_TABLES, strict=True):
            started = time.perf_counter()
            script = partition_script(
                scheme, table=table, years=range(FIRST_YEAR, FIRST_YEAR + YEARS + 1)
            )
            with engine.begin() as conn:
                conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
                conn.execute(text(f"SET LOCAL search_path = {schema}, public"))
                conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
                tables = [s for s in script if s.startswith("CREATE TABLE")]
                for statement in tables:
                    conn.execute(text(statement))
                conn.execute(text(f"INSERT INTO {schema}.{table} SELECT * FROM public.{table}"))
                for statement in script:
                    if statement not in tables:
                        conn.execute(text(statement))
            seconds[f"{schema}.{table}"] = round(time.perf_counter() - started, 1)
            print(f"  {schema}.{table}: {seconds[f'{schema}.{table}']:.1f} s", flush=True)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    return seconds


def disk(engine: Engine, schemas: Sequence[str]) -> dict[str, int]:
    """Bytes per table, indexes included (a partitioned table: its partitions)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT n.nspname || '.' || coalesce(p.relname, c.relname), "
                "sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "LEFT JOIN pg_inherits i ON i.inhrelid = c.oid "
                "LEFT JOIN pg_class p ON p.oid = i.inhparent "
                "WHERE c.relkind = 'r' AND n.nspname = ANY(:s) "
                "GROUP BY 1 ORDER BY 2 DESC"
            ),
            {"s": list(schemas)},
        )
        return {name: int(size) for name, size in rows if size > 1 << 20}


def _scanned(engine: Engine, schema: str, sql: str) -> list[str]:
    with engine.connect() as conn:
        conn.execute(text(f"SET search_path = {schema}, public"))
        plan = conn.execute(text(f"EXPLAIN (FORMAT JSON) {sql}")).scalar_one()
        conn.rollback()
    found: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        if "Relation Name" in node:
            found.append(node["Relation Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return sorted(set(found))


def layout_engine(url: str, layout: str) -> Engine:
    """An engine whose sessions read ``layout``'s tables under their usual names."""
    options = f"-c search_path={SCHEMAS[layout]},public"
    return make_engine(url, connect_args={"application_name": APPLICATION, "options": options})


def time_queries(
    url: str, layouts: Sequence[str], samples: list[Sample], ids: list[int], repeat_full: int
) -> dict[str, dict[str, list[float]]]:
    """Milliseconds per query and layout, one session per call; the layouts take turns on
    each sample, so that the shared machine's load falls on all of them alike."""
    engines = {layout: layout_engine(url, layout) for layout in layouts}
    factories = {layout: make_session_factory(engine) for layout, engine in engines.items()}
    calls: dict[str, tuple[Call, list[Sample]]] = {n: (f, samples) for n, f in QUERIES.items()}
    everyone: Call = lambda s, _x: covered_months(s, ids)  # noqa: E731
    calls[EVERY_AUTHORITY] = (everyone, samples[:repeat_full])
    out: dict[str, dict[str, list[float]]] = {}
    for name, (call, cases) in calls.items():
        timings: dict[str, list[float]] = {layout: [] for layout in layouts}
        for factory in factories.values():  # warm the cache and the connection
            for case in cases if name == KEPT else cases[:1]:
                with factory() as session:
                    call(session, case)
        for case in cases:
            for layout, factory in factories.items():
                if name in COLD:
                    _forget_covered_months()
                t0 = time.perf_counter()
                with factory() as session:
                    call(session, case)
                timings[layout].append(1000 * (time.perf_counter() - t0))
        out[name] = timings
    for engine in engines.values():
        engine.dispose()
    return out


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]  # nearest rank


def report(timings: dict[str, dict[str, list[float]]]) -> list[dict[str, Any]]:
    print(f"\n{'query':<20} {'layout':<10} {'median ms':>10} {'p95 ms':>9} {'vs plain':>9}")
    entries = []
    for name, layouts in timings.items():
        plain = statistics.median(layouts["plain"])
        for layout, values in layouts.items():
            median = statistics.median(values)
            entry = {
                "query": name,
                "layout": layout,
                "runs": len(values),
                "median_ms": round(median, 2),
                "p95_ms": round(_p95(values), 2),
                "ratio_to_plain": round(median / plain, 2) if plain else None,
            }
            entries.append(entry)
            print(
                f"{name:<20} {layout:<10} {entry['median_ms']:>10.1f} {entry['p95_ms']:>9.1f} "
                f"{entry['ratio_to_plain']:>8.2f}x",
                flush=True,
            )
    return entries


def pick_samples(
    engine: Engine, ids: list[int], runs: dict[tuple[int, int], int], count: int
) -> tuple[list[Sample], list[int]]:
    """``count`` authorities at random, one financial year each with its run and largest
    category; and the line count of each sampled run."""
    rng = random.Random(SEED + 1)
    picked = rng.sample(ids, min(count, len(ids)))
    samples: list[Sample] = []
    sizes: list[int] = []
    with engine.connect() as conn:
        for a in picked:
            y = rng.randrange(FIRST_YEAR, FIRST_YEAR + YEARS)
            r = runs[(a, y)]
            category = conn.execute(text(LARGEST_CATEGORY), {"r": r}).scalar() or "1"
            samples.append((a, y, r, category))
            sizes.append(
                conn.execute(
                    text(
                        "SELECT coalesce(sum(lines), 0) FROM run_category_total WHERE run_id = :r"
                    ),
                    {"r": r},
                ).scalar_one()
            )
    return samples, sizes


def _previous_runs() -> dict[str, Any]:
    """The ``scale`` section's runs at other sizes, kept beside this one."""
    if not RESULTS_FILE.exists():
        return {}
    section = json.loads(RESULTS_FILE.read_text(encoding="utf-8")).get("scale", {})
    return dict(section.get("runs", {}))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=10_000_000, help="spend lines")
    parser.add_argument("--authorities", type=int, default=400)
    parser.add_argument("--samples", type=int, default=30, help="authorities queried")
    parser.add_argument("--repeat-full", type=int, default=3, help="runs of the full scan")
    parser.add_argument(
        "--layouts", default="authority", help="partitioned layouts: authority, year or both"
    )
    args = parser.parse_args(argv)
    layouts = ["plain", *[x.strip() for x in args.layouts.split(",") if x.strip()]]
    unknown = set(layouts) - set(SCHEMAS)
    if unknown:
        parser.error(f"unknown layouts: {', '.join(sorted(unknown))}")
    server = postgres_server()
    if server is None:
        print("The scale benchmark needs PostgreSQL; skipped.")
        return 0
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="tracker-scale-bench-") as tmp:
        db = Database("postgresql", server, Path(tmp))
        try:
            url = db.create(migrated=True)
            engine = make_engine(url, connect_args={"application_name": APPLICATION})
            ids, batches, runs = setup(engine, args.authorities)
            print(f"generating {args.rows:,} spend lines and line emissions", flush=True)
            load_seconds = load(engine, args.rows, ids, list(batches.values()))
            print("partitioned copies (create, insert, index):", flush=True)
            copies = partition(engine, layouts[1:])
            sizes = disk(engine, [SCHEMAS[x] for x in layouts])
            print(f"disk, indexes included (MB): { {k: v >> 20 for k, v in sizes.items()} }")
            samples, run_lines = pick_samples(engine, ids, runs, args.samples)
            print(f"lines per sampled run: median {statistics.median(run_lines):,.0f}, "
                  f"max {max(run_lines):,}")  # fmt: skip
            a, y, _, _ = samples[0]
            start, end = fy_bounds(y, 4)
            pruning = {
                layout: _scanned(
                    engine,
                    SCHEMAS[layout],
                    f"SELECT sum(amount) FROM spend_line WHERE authority_id = {a} "
                    f"AND transaction_date BETWEEN '{start}' AND '{end}'",
                )
                for layout in layouts
            }
            print(f"tables read for one authority-year: {pruning}")
            with session_scope(make_session_factory(engine)) as session:
                months = len(covered_months(session, [a])[a])
            print(f"months covered by authority {a}: {months} (of {12 * YEARS})")
            engine.dispose()
            entries = report(time_queries(url, layouts, samples, ids, args.repeat_full))
        finally:
            db.drop()
    load_after = os.getloadavg()
    runs_by_size = _previous_runs()
    runs_by_size[str(args.rows)] = {
        "rows": args.rows,
        "authorities": args.authorities,
        "samples": len(samples),
        "lines_per_sampled_run": {"median": statistics.median(run_lines), "max": max(run_lines)},
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "setup_seconds": load_seconds,
        "partition_copy_seconds": copies,
        "disk_bytes": sizes,
        "tables_read_for_one_authority_year": pruning,
        "results": entries,
    }
    merge_section("scale", {"runs": runs_by_size})
    print(f"load average before {load_before}, after {load_after}")
    print("results written to bench/results.json (key 'scale', runs by size)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
