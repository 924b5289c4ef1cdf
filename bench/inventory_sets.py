"""Set-based inventory benchmark: one authority's 1,000,000 lines (three financial years).

Run ``python -m bench.inventory_sets [--rows N] [--databases sqlite,postgresql]
[--no-per-line]``. Per database (a temporary SQLite file; PostgreSQL when reachable, see
``TRACKER_BENCH_POSTGRES_URL``) it stores N invented lines (the reclassification
benchmark's: a tenth of them with a description of their own, so many distinct
classification keys), loads the shipped reference data, classifies the lines, then times,
in the same run:

- ``baseline``: the driver alone (sqlite3 / psycopg) running, per financial year, a bare
  join-multiply-group-by over the same lines: ``SUM(amount * value) … GROUP BY category``
  joined to a factor table with one row per classification key; timed three times (before
  the inventories, between ``ensure`` and ``sets``, after ``sets``), the median counting;
- ``ensure``: ``ensure_inventory`` of each year (inputs, set-based costing, run sums,
  evidence), committed per year; and its parts, each on its own in a rolled-back session:
  ``inputs`` (``inputs_for``), ``cost_lines``, ``line_groups`` (the one GROUP BY of
  the run's lines that the two next are rolled up from), ``sum_run`` and
  ``learn_evidence``;
- ``sets``: ``compute_inventory`` of each year as sets (the figure the goal is about: at
  most 3× the baseline), in a rolled-back session;
- ``per_line``: the per-line path it replaced, ``compute_inventory(per_line=True)``, in a
  rolled-back session (skipped with ``--no-per-line``);
- ``line_write`` (with ``--line-write``): what storing one row per line costs by itself,
  the floor of any inventory that keeps each line's costed record. The runs' stored
  ``line_emission`` rows (written by ``ensure``) are copied with one ``INSERT … SELECT``
  per run into a new table shaped three ways: as built (the table's primary key, its
  spend-line index and both foreign keys: to the run's key and to the spend line),
  without the foreign keys, and a plain table with no key or index; each twice, the
  faster counting.

It prints, per database, the figures, the same run's baseline and the ratios, with the
machine's load average before and after.

Results go to the ``inventory_sets`` key of ``bench/results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

if not __package__:  # run as ``python bench/inventory_sets.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, select, text

from bench.import_bench import AUTHORITY, Database, database_servers
from bench.reclassify_bench import _store
from bench.results import RESULTS_FILE, merge_section
from tracker.db import make_engine, make_session_factory, session_scope
from tracker.domain.periods import fy_bounds
from tracker.models import Authority, InventoryRun
from tracker.services.classification.builder import build_classifier
from tracker.services.classification.evidence import learn_evidence
from tracker.services.classification.line_classes import classify_lines
from tracker.services.inventory.calculator import Calculator
from tracker.services.inventory.factor_tables import load_factor_tables
from tracker.services.inventory.keys import cost_lines
from tracker.services.inventory.run_sums import line_groups, sum_run
from tracker.services.inventory.runs import compute_inventory, ensure_inventory, inputs_for
from tracker.services.inventory.tallies import QualityTally
from tracker.services.reference import load_shipped_reference_data

YEARS = [2021, 2022, 2023]  # the generated lines' financial years (April to March)


def _authority_id(engine: Engine) -> int:
    with session_scope(make_session_factory(engine)) as session:
        found = session.scalar(select(Authority.id).where(Authority.code == AUTHORITY))
        assert found is not None
        return found


def baseline(engine: Engine, authority_id: int) -> float:
    """The driver alone: per year, join the lines to a factor per classification key,
    multiply and group by category (the factor table is built before the clock starts)."""
    raw = engine.raw_connection()
    postgres = engine.dialect.name == "postgresql"
    mark = "%s" if postgres else "?"
    cur = raw.cursor()
    cur.execute(
        "CREATE TABLE bench_factor (class_key varchar(32) PRIMARY KEY, category varchar(32), "
        "value numeric(24, 12))"
    )
    cur.execute(
        "INSERT INTO bench_factor SELECT class_key, coalesce(defra_group, 'none'), 0.311372 "
        f"FROM line_class WHERE authority_id = {mark}",
        (authority_id,),
    )
    raw.commit()
    query = (
        "SELECT f.category, SUM(l.amount * f.value) FROM spend_line l "
        "JOIN bench_factor f ON f.class_key = l.class_key "
        f"WHERE l.authority_id = {mark} AND l.transaction_date BETWEEN {mark} AND {mark} "
        "GROUP BY f.category"
    )
    started = time.perf_counter()
    for year in YEARS:
        cur.execute(query, (authority_id, *fy_bounds(year, 4)))
        cur.fetchall()
    seconds = time.perf_counter() - started
    cur.execute("DROP TABLE bench_factor")
    raw.commit()
    raw.close()
    return seconds


LINE_WRITE_TABLE = "bench_line_write"


def _line_write_ddl(engine: Engine) -> dict[str, list[str]]:
    """The statements that make ``LINE_WRITE_TABLE`` in each shape, read from the
    database's own ``line_emission`` so that the copy is the table as migrated."""
    copy = LINE_WRITE_TABLE
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            keys = [
                f"ALTER TABLE {copy} ADD {definition}"
                for (definition,) in conn.execute(
                    text(
                        "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                        "WHERE conrelid = 'line_emission'::regclass AND contype = 'f'"
                    )
                )
            ]
            with_index = f"CREATE TABLE {copy} (LIKE line_emission INCLUDING ALL)"
            return {
                "as built": [with_index, *keys],
                "without the foreign keys": [with_index],
                "plain table": [f"CREATE TABLE {copy} (LIKE line_emission)"],
            }
        table, *indexes = [
            sql.replace("line_emission", copy, 1) if kind == "table" else
            sql.replace(name, f"{copy}_{name}", 1).replace(" line_emission ", f" {copy} ", 1)
            for kind, name, sql in conn.execute(
                text(
                    "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'line_emission' "
                    "AND sql IS NOT NULL ORDER BY type = 'index'"
                )
            )
        ]  # fmt: skip
    # SQLAlchemy writes each column and constraint of a table on a line of its own.
    head, *parts, tail = table.splitlines()

    def shaped(keep: Callable[[str], bool]) -> str:
        kept = [p.rstrip().rstrip(",") for p in parts if keep(p)]
        return "\n".join([head, ",\n".join(kept), tail])

    return {
        "as built": [table, *indexes],
        "without the foreign keys": [shaped(lambda p: "FOREIGN KEY" not in p), *indexes],
        "plain table": [shaped(lambda p: "FOREIGN KEY" not in p and "PRIMARY KEY" not in p)],
    }


def line_write(engine: Engine, run_ids: Sequence[int]) -> dict[str, float]:
    """Seconds to copy the runs' ``line_emission`` rows into a table of each shape (see
    the module docstring), the faster of two copies each."""
    columns = "run_id, spend_line_id, key_id, spend_in_factor_year, kgco2e"
    out: dict[str, float] = {}
    for shape, statements in _line_write_ddl(engine).items():
        timings = []
        for _ in range(2):
            raw = engine.raw_connection()
            try:
                cur = raw.cursor()
                for statement in statements:
                    cur.execute(statement)
                raw.commit()
                started = time.perf_counter()
                for run_id in run_ids:
                    cur.execute(
                        f"INSERT INTO {LINE_WRITE_TABLE} ({columns}) "
                        f"SELECT {columns} FROM line_emission WHERE run_id = {int(run_id)}"
                    )
                raw.commit()
                timings.append(time.perf_counter() - started)
            finally:
                raw.rollback()
                raw.cursor().execute(f"DROP TABLE IF EXISTS {LINE_WRITE_TABLE}")
                raw.commit()
                raw.close()
        out[shape] = round(min(timings), 3)
    return out


def _timed(step: Callable[[], Any]) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def _rolled_back(engine: Engine, authority_id: int, step: Callable[..., Any]) -> float:
    """Seconds of ``step(session, authority, year)`` over the years, undone afterwards."""
    seconds = 0.0
    factory = make_session_factory(engine)
    for year in YEARS:
        session = factory()
        try:
            authority = session.get_one(Authority, authority_id)
            seconds += step(session, authority, year)
        finally:
            session.rollback()
            session.close()
    return seconds


def _parts(session: Any, authority: Authority, year: int) -> dict[str, float]:
    tables = load_factor_tables(
        session, authority.default_factor_family, authority.default_factor_edition
    )
    out = {"inputs": _timed(lambda: inputs_for(session, authority, year, tables=tables))}
    calculator = Calculator(session, authority, tables)
    start, end = fy_bounds(year, authority.fy_start_month)
    run = InventoryRun(
        authority_id=authority.id, fy_year=year, period_start=start, period_end=end,
        factor_family=tables.family, factor_edition=tables.edition, price_year_policy="x",
        price_index_key="x", tracker_version="bench", line_count=0, total_spend=0,
        mapped_spend=0, total_kgco2e=0, inputs={},
    )  # fmt: skip
    session.add(run)
    session.flush()
    quality = QualityTally(calculator.factor_country, authority.country)
    out["cost_lines"] = _timed(lambda: cost_lines(session, calculator, quality, run.id, start, end))
    grouped: dict[int, Any] = {}  # as compute_inventory: one GROUP BY for both
    out["line_groups"] = _timed(lambda: grouped.update({run.id: line_groups(session, run.id)}))
    out["sum_run"] = _timed(lambda: sum_run(session, run, grouped[run.id]))
    out["learn_evidence"] = _timed(lambda: learn_evidence(session, [run.id], grouped=grouped))
    return out


def prepare(url: str, rows: int) -> float:
    """Store the lines and the reference data and classify the lines; the seconds of the
    classification."""
    engine = make_engine(url)
    _store(url, rows)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        load_shipped_reference_data(session)
    authority_id = _authority_id(engine)
    with session_scope(factory) as session:
        authority = session.get_one(Authority, authority_id)
        classifier, fingerprint = build_classifier(session, authority)
        seconds = _timed(
            lambda: classify_lines(
                session, authority, classifier=classifier, fingerprint=fingerprint
            )
        )
    if engine.dialect.name == "postgresql":  # as autovacuum would after a bulk load, so
        with engine.begin() as conn:  # that the baseline plans with statistics too
            conn.execute(text("ANALYZE"))
    engine.dispose()
    return seconds


def run_database(backend: str, server: str, workdir: Path, args: argparse.Namespace) -> dict:  # type: ignore[type-arg]
    db = Database(backend, server, workdir)
    try:
        url = db.create(migrated=True)
        started = time.perf_counter()
        classify = prepare(url, args.rows)
        print(f"{backend}: stored and classified in {time.perf_counter() - started:.0f} s")
        if args.prepare_only:
            print(f"kept: {url}", flush=True)
            db.drop = lambda: None  # type: ignore[method-assign]
            return {}
        return measure(backend, url, args) | {"classify_first_s": round(classify, 3)}
    finally:
        db.drop()


def measure(backend: str, url: str, args: argparse.Namespace) -> dict:  # type: ignore[type-arg]
    """Time the baseline, the inventories and their parts on a prepared database."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    authority_id = _authority_id(engine)
    out: dict[str, Any] = {"database": backend}
    out["load_average_before"] = [round(x, 2) for x in os.getloadavg()]
    # The bare query is timed three times, spread over the run (before the inventories,
    # between them, after them), and its median is the baseline: on SQLite one timing
    # moved between 5.2 and 8.2 s across quiet runs of the same day.
    bases = [baseline(engine, authority_id)]
    ensure = 0.0
    lines = 0
    run_ids = []
    for year in YEARS:
        with session_scope(factory) as session:
            authority = session.get_one(Authority, authority_id)
            t0 = time.perf_counter()
            run = ensure_inventory(session, authority=authority, year=year, force=True)
            ensure += time.perf_counter() - t0
            lines += run.line_count
            run_ids.append(run.id)
    parts: dict[str, float] = {}

    def each_part(session: Any, authority: Authority, year: int) -> float:
        for name, seconds in _parts(session, authority, year).items():
            parts[name] = parts.get(name, 0.0) + seconds
        return 0.0

    if args.parts:
        _rolled_back(engine, authority_id, each_part)
    out |= {
        "years": list(YEARS),
        "lines": lines,
        "baseline_s": None,  # set below, once the three timings are in
        "ensure_s": round(ensure, 3),
        "parts_s": {k: round(v, 3) for k, v in parts.items()},
    }

    def compute(per_line: bool) -> Callable[[Any, Authority, int], float]:
        def timed(session: Any, authority: Authority, year: int) -> float:
            tables = load_factor_tables(
                session, authority.default_factor_family, authority.default_factor_edition
            )
            calculator = Calculator(session, authority, tables)
            return _timed(
                lambda: compute_inventory(
                    session, calculator=calculator, year=year, inputs={}, per_line=per_line
                )
            )

        return timed

    bases.append(baseline(engine, authority_id))
    sets = _rolled_back(engine, authority_id, compute(False))
    bases.append(baseline(engine, authority_id))
    base = statistics.median(bases)
    out["baseline_s"] = round(base, 3)
    out["baseline_timings_s"] = [round(b, 3) for b in bases]
    out["ratio_ensure_to_baseline"] = round(ensure / base, 2)
    out["compute_sets_s"] = round(sets, 3)
    out["ratio_sets_to_baseline"] = round(sets / base, 2)
    if args.per_line:
        out["compute_per_line_s"] = round(_rolled_back(engine, authority_id, compute(True)), 3)
    if args.line_write:
        written = line_write(engine, run_ids)
        out["line_write_s"] = written
        out["ratio_line_write_to_baseline"] = {k: round(v / base, 2) for k, v in written.items()}
    out["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(out, flush=True)
    print(
        f"{backend}: inventory of {lines:,} lines: compute_inventory as sets {sets:.1f} s, "
        f"ensure_inventory {ensure:.1f} s; bare join-multiply-group-by (same run, median of "
        f"{', '.join(f'{b:.1f}' for b in bases)}) {base:.1f} s; "
        f"ratio {sets / base:.2f}x (ensure {ensure / base:.2f}x; goal 3x); load average "
        f"{out['load_average_before']} -> {out['load_average_after']}",
        flush=True,
    )
    if args.line_write:
        print(
            f"{backend}: storing the {lines:,} line rows alone: "
            + "; ".join(
                f"{shape} {seconds:.2f} s ({seconds / base:.2f}x)"
                for shape, seconds in out["line_write_s"].items()
            ),
            flush=True,
        )
    engine.dispose()
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--no-per-line", dest="per_line", action="store_false")
    parser.add_argument("--prepare-only", action="store_true", help="keep the database")
    parser.add_argument("--url", help="measure a database kept by --prepare-only")
    parser.add_argument("--years", help="measure these of 2021,2022,2023 only")
    parser.add_argument("--no-parts", dest="parts", action="store_false")
    parser.add_argument(
        "--line-write", action="store_true", help="time storing the line rows alone too"
    )
    args = parser.parse_args(argv)
    if args.years:
        YEARS[:] = [int(y) for y in args.years.split(",")]
    if args.url:
        backend = "postgresql" if args.url.startswith("postgresql") else "sqlite"
        servers = {backend: ""}
        results = [measure(backend, args.url, args)]
    else:
        servers = database_servers(args.databases)
        workdir = Path(tempfile.mkdtemp(prefix="tracker-inventory-sets-"))
        results = [run_database(b, server, workdir, args) for b, server in servers.items()]
        if args.prepare_only:
            return 0  # the SQLite file stays in workdir
        shutil.rmtree(workdir, ignore_errors=True)
    # A run of one database keeps the other's last results (they are run one at a time).
    kept = [
        r
        for r in json.loads(RESULTS_FILE.read_text()).get("inventory_sets", {}).get("results", [])
        if RESULTS_FILE.exists() and r["database"] not in servers
    ]
    merge_section("inventory_sets", {"results": kept + results})
    print("results written to bench/results.json (key 'inventory_sets')")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
