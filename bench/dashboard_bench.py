"""Dashboard benchmark: the compare and collaboration queries and callbacks at scale.

Run ``make bench-dashboard`` or ``python -m bench.dashboard_bench [--authorities N]``. It
builds a migrated database (SQLite temp file; PostgreSQL too when reachable) holding
``authorities`` × ``years`` current inventories over ``categories`` Defra product groups,
``lines`` spend lines per (authority, year, category), from a shared pool of suppliers,
inserted directly (no import, no calculation: the numbers are synthetic). Half of the
authorities opt in to sharing. It then times, for the latest year, the median of
``repeat`` calls of:

- ``compare`` / ``collaboration`` (``tracker.services.compare`` /
  ``tracker.services.collaboration``) as an
  admin (every authority) and as an officer of one authority (own + opted-in);
- the Dash callbacks' plain functions (``select_compare_year``, ``select_collaboration``,
  and ``select_year`` of one authority's page), which add building the figures and tables;
  a page asked again keeps what it worked out while its inputs stand
  (``tracker.storage.memo``), so the /compare and /collaboration callbacks are also timed
  as a first visit, with everything kept forgotten before each call.

Each case is measured in ``--rounds`` rounds (default 3) taken in turn over the cases, and
its figure is its slowest round's median (each round's median is kept too).

Each figure is given as wall-clock time and as the CPU time of the calling thread (the
machine is shared: at a load average of 10 on its two cores a call waits for a core many
times as long as it computes).

Each run's summary rows (``run_category_total``, ``run_supplier_total``) are tallied with
``tracker.services.inventory.totals.RunTotals``, and its compare and collaboration figures
summed from them (``tracker.services.inventory.run_figures``,
``tracker.services.inventory.collaboration_figures``), as ``compute_inventory`` does; each
batch's months are recorded (``tracker.services.batch_months``) as the import does.

The goal is every callback under 200 ms at 400 authorities × 10 years × 100 categories.
It prints a table and writes ``bench/dashboard_results.json``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

if not __package__:  # run as ``python bench/dashboard_bench.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from dashboards.data import sessions
from tracker import migrate
from tracker.access import Viewer
from tracker.db import make_engine, make_session_factory
from tracker.models import (
    Authority,
    Factor,
    FactorSet,
    ImportBatch,
    InventoryRun,
    LineEmissionKey,
    RunCategoryTotal,
    RunSupplierTotal,
    SpendLine,
    Supplier,
)
from tracker.models.emissions import line_emission_table
from tracker.services.batch_months import record_batch_months
from tracker.services.inventory.collaboration_figures import record_collaboration_figures
from tracker.services.inventory.emission_rows import ROW_FIELDS, KeyedRows
from tracker.services.inventory.run_figures import record_run_figures
from tracker.services.inventory.totals import RunTotals

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_FILE = BENCH_DIR / "dashboard_results.json"
DEFRA_CODES = BENCH_DIR.parent / "factors" / "data" / "defra-uk-sic" / "to-2023" / "factors.csv"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
GOAL_MS = 200.0
FIRST_YEAR = 2015
CHUNK = 20_000
ADMIN = Viewer(user_id=None, email="bench", role="admin", authority_id=None)


def _codes(count: int) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    with DEFRA_CODES.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            seen.setdefault(row["code"], row["name"])
    return list(seen.items())[:count]


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), CHUNK):
        yield rows[i : i + CHUNK]


def populate(engine: Engine, args: argparse.Namespace) -> dict[str, int]:
    """Insert the synthetic authorities, suppliers, runs and lines; return counts."""
    rng = random.Random(20241127)
    codes = _codes(args.categories)
    with engine.begin() as conn:
        fs_id = conn.execute(
            insert(FactorSet).returning(FactorSet.id),
            {
                "family": "bench-defra",
                "edition": "bench",
                "data_year": 2023,
                "title": "Benchmark factors",
                "publisher": "bench",
                "unit": "kgCO2e per GBP",
                "currency": "GBP",
                "price_basis": "basic prices",
                "code_system": "SIC",
                "gwp": "AR5",
                "licence": "n/a",
                "source_url": "https://example.org",
                "source_file": "-",
                "source_sha256": "0" * 64,
                "table_sha256": "0" * 64,
            },
        ).scalar_one()
        factors = []
        for code, name in codes:
            value = Decimal(str(round(rng.uniform(0.05, 1.2), 4)))
            fid = conn.execute(
                insert(Factor).returning(Factor.id),
                {"factor_set_id": fs_id, "code": code, "name": name, "value": value},
            ).scalar_one()
            factors.append((fid, code, value))
        conn.execute(
            insert(Supplier),
            [
                {"id": i, "name_key": f"bench supplier {i}", "name": f"Bench Supplier {i} Ltd"}
                for i in range(1, args.suppliers + 1)
            ],
        )
        conn.execute(
            insert(Authority),
            [
                {
                    "id": a,
                    "code": f"B{a:04d}",
                    "name": f"Bench Authority {a}",
                    "population": rng.randrange(50_000, 1_000_000),
                    "fy_start_month": 4,
                    "share_in_comparisons": a % 2 == 0,
                    "included_exclusions": [],
                }
                for a in range(1, args.authorities + 1)
            ],
        )
        conn.execute(
            insert(ImportBatch),
            [
                {
                    "id": a,
                    "authority_id": a,
                    "file_name": "bench.csv",
                    "sha256": uuid.uuid4().hex,
                    "size_bytes": 1,
                    "file_format": "csv",
                    "header_row": 1,
                    "column_mapping": {},
                    "amount_rule": "net",
                    "rows_read": 0,
                    "rows_imported": 0,
                    "rows_rejected": 0,
                    "rows_skipped": 0,
                    "total_amount": 0,
                    "report": {},
                }
                for a in range(1, args.authorities + 1)
            ],
        )
        line_id = run_id = 0
        runs: list[dict[str, Any]] = []
        lines: list[dict[str, Any]] = []
        emissions: list[dict[str, Any]] = []
        category_totals: list[dict[str, Any]] = []
        supplier_totals: list[dict[str, Any]] = []
        for a in range(1, args.authorities + 1):
            for y in range(FIRST_YEAR, FIRST_YEAR + args.years):
                run_id += 1
                totals = RunTotals()  # the summary rows compute_inventory writes
                total = kg_total = Decimal(0)
                for fid, code, value in factors:
                    for _ in range(args.lines):
                        line_id += 1
                        amount = Decimal(rng.randrange(500, 200_000))
                        kg = amount * value
                        total += amount
                        kg_total += kg
                        supplier_id = rng.randrange(1, args.suppliers + 1)
                        lines.append(
                            {
                                "id": line_id,
                                "authority_id": a,
                                "batch_id": a,
                                "source_row": line_id,
                                "transaction_date": dt.date(y, 6, 1),
                                "amount": amount,
                                "currency": "GBP",
                                "supplier_id": supplier_id,
                            }
                        )
                        emissions.append(
                            {
                                "run_id": run_id,
                                "spend_line_id": line_id,
                                "status": "mapped",
                                "method": "sic",
                                "category_code": code,
                                "factor_id": fid,
                                "factor_set_id": fs_id,
                                "factor_year": 2023,
                                "factor_value": value,
                                "kgco2e": kg,
                            }
                        )
                        totals.add(emissions[-1], amount, supplier_id, None)
                category_totals += totals.category_rows(run_id)
                supplier_totals += totals.supplier_rows(run_id)
                runs.append(
                    {
                        "id": run_id,
                        "authority_id": a,
                        "fy_year": y,
                        "version": 1,
                        "period_start": dt.date(y, 4, 1),
                        "period_end": dt.date(y + 1, 3, 31),
                        "factor_family": "bench-defra",
                        "factor_edition": "bench",
                        "price_year_policy": "matched",
                        "price_index_key": "ons-cpi",
                        "tracker_version": "bench",
                        "line_count": len(factors) * args.lines,
                        "total_spend": total,
                        "mapped_spend": total,
                        "excluded_spend": 0,
                        "total_kgco2e": kg_total,
                        "inputs": {},
                    }
                )
        for chunk in _chunks(lines):
            conn.execute(insert(SpendLine), chunk)
        with Session(bind=conn) as session:  # each batch's months, as the import records them
            for a in range(1, args.authorities + 1):
                record_batch_months(session, a)
        conn.execute(insert(InventoryRun), runs)
        # As stored: each run's distinct key fields once, each line with its key.
        keyed: dict[int, KeyedRows] = {}
        stored = [
            keyed.setdefault(e["run_id"], KeyedRows(e["run_id"])).line(
                dict.fromkeys(ROW_FIELDS) | e
            )
            for e in emissions
        ]
        for chunk in _chunks([row for k in keyed.values() for row in k.take_new_keys()]):
            conn.execute(insert(LineEmissionKey), chunk)
        for chunk in _chunks(stored):
            conn.execute(insert(line_emission_table), chunk)
        for model, rows in (
            (RunCategoryTotal, category_totals),
            (RunSupplierTotal, supplier_totals),
        ):
            for chunk in _chunks(rows):
                conn.execute(insert(model), chunk)
        with Session(bind=conn) as session:  # each run's figures, as RunTotals writes them
            for start in range(0, len(runs), 500):
                some = [r["id"] for r in runs[start : start + 500]]
                record_run_figures(session, some)
                record_collaboration_figures(session, some)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE")  # as autovacuum would, soon after a bulk load
    return {"authorities": args.authorities, "runs": len(runs), "lines": len(lines)}


def _medians_ms(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds of ``repeat`` calls of ``fn`` after a warm-up.
    CPU is this thread's (``time.thread_time``): on a loaded machine the wall clock counts
    the wait for a core too, the CPU time does not (nor the database server's work on
    PostgreSQL, which runs in its own process)."""
    fn()  # warm up (imports, caches, first plan)
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.thread_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def measure(engine: Engine, repeat: int, year: int, rounds: int = 1) -> list[dict[str, Any]]:
    """Each case's median over ``rounds`` rounds of ``repeat`` calls, the rounds taken in
    turn over all the cases (so that a passing burst of load on the shared machine falls
    on different cases). A case's figure is its slowest round's median: one good round
    must not read as a met goal (first visits on PostgreSQL moved 1.5× between rounds)."""
    from dashboards.callbacks.authority import select_year
    from dashboards.layouts.collaboration import select_collaboration
    from dashboards.layouts.compare import select_compare_year
    from dashboards.production import freeze_start_up
    from tracker.services.collaboration import collaboration
    from tracker.services.compare import compare

    factory = make_session_factory(engine)
    sessions.configure(factory)
    # what a server worker does once its app is built (dashboards.production.build_server):
    # the objects held since start-up are left out of later garbage collections
    freeze_start_up()
    officer = Viewer(user_id=None, email="bench", role="officer", authority_id=1)

    def in_session(fn: Callable[[Any], object]) -> Callable[[], object]:
        def run() -> object:
            with factory() as session:
                return fn(session)

        return run

    def first_visit(fn: Callable[[], object]) -> Callable[[], object]:
        """``fn`` with nothing kept from earlier calls (the first visit after a change)."""

        def run() -> object:
            forget_kept()
            return fn()

        return run

    cases: list[tuple[str, Callable[[], object]]] = [
        ("compare (admin)", in_session(lambda s: compare(s, ADMIN, year=year))),
        ("compare (officer)", in_session(lambda s: compare(s, officer, year=year))),
        ("collaboration (admin)", in_session(lambda s: collaboration(s, ADMIN, year=year))),
        ("collaboration (officer)", in_session(lambda s: collaboration(s, officer, year=year))),
        ("callback /compare year (admin)", lambda: select_compare_year(ADMIN, year)),
        ("callback /collaboration (admin)", lambda: select_collaboration(ADMIN, year, 20)),
        ("callback /authority year", lambda: select_year(ADMIN, "B0001", year)),
        (
            "callback /compare year (admin, first visit)",
            first_visit(lambda: select_compare_year(ADMIN, year)),
        ),
        (
            "callback /collaboration (admin, first visit)",
            first_visit(lambda: select_collaboration(ADMIN, year, 20)),
        ),
    ]
    by_round: list[list[tuple[float, float]]] = [
        [_medians_ms(fn, repeat) for _, fn in cases] for _ in range(rounds)
    ]
    results = []
    for i, (name, _) in enumerate(cases):
        medians = [each[i] for each in by_round]
        wall, cpu = max(medians)
        results.append(
            {
                "measurement": name,
                "median_ms": round(wall, 1),
                "median_cpu_ms": round(cpu, 1),
                "round_medians_ms": [round(w, 1) for w, _ in medians],
            }
        )
    return results


def forget_kept() -> None:
    """Empty what the pages keep between calls (``tracker.storage.memo`` memos)."""
    from dashboards.layouts import collaboration as collaboration_page
    from dashboards.layouts import compare as compare_page
    from tracker.services import collaboration, compare, compare_memo, completeness

    for memo in (
        compare._RUN_FIGURES,
        compare_memo._COMPARISONS,
        compare_page._BODIES,
        collaboration._TALLIES,
        collaboration._ANSWERS,
        collaboration_page._BODIES,
        completeness._MONTHS,
    ):
        memo.clear()


@contextmanager
def database(kind: str) -> Iterator[Engine | None]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
            try:
                yield engine
            finally:
                engine.dispose()
        return
    server = os.environ.get("TRACKER_BENCH_POSTGRES_URL", DEFAULT_PG)
    name = f"tracker_dash_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server: skip PostgreSQL
        print(f"PostgreSQL not measured: {exc}".splitlines()[0])
        admin.dispose()
        yield None
        return
    engine = make_engine(make_url(server).set(database=name).render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def load_average() -> list[float]:
    """The machine's 1, 5 and 15-minute load averages (as ``bench.import_bench`` keeps
    them: the machine is shared, and figures measured at load 4 and 12 are not comparable)."""
    return [round(x, 2) for x in os.getloadavg()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard_bench")
    parser.add_argument("--authorities", type=int, default=400)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--categories", type=int, default=100)
    parser.add_argument("--lines", type=int, default=1, help="per authority, year and category")
    parser.add_argument("--suppliers", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of --repeat calls; the slowest counts"
    )
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    year = FIRST_YEAR + args.years - 1
    load_at_start = load_average()
    print(f"load average at the start: {load_at_start}")
    results = []
    for kind in args.databases.split(","):
        with database(kind) as engine:
            if engine is None:
                continue
            migrate.upgrade(engine)
            start = time.perf_counter()
            counts = populate(engine, args)
            print(f"{kind}: {counts} inserted in {time.perf_counter() - start:.0f} s")
            for row in measure(engine, args.repeat, year, args.rounds):
                row["database"] = kind
                ok = "ok" if row["median_ms"] <= GOAL_MS else "over goal"
                print(
                    f"  {row['measurement']:<46} {row['median_ms']:>8.1f} ms"
                    f"  (CPU {row['median_cpu_ms']:>6.1f} ms)  {ok}"
                    f"  rounds {row['round_medians_ms']}"
                )
                results.append(row)
    RESULTS_FILE.write_text(
        json.dumps(
            {
                "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
                "size": vars(args) | {"year": year},
                "goal_ms": GOAL_MS,
                "load_average": {"start": load_at_start, "end": load_average()},
                "results": results,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"load average at the end: {load_average()}")


if __name__ == "__main__":
    main()
