"""Inventory benchmark: every inventory of 400 authorities × 10 financial years.

Run ``python -m bench.inventory_bench [--authorities N] [--years N] [--lines N]`` (part of
``make bench``). Per database (a temporary SQLite file; PostgreSQL when reachable, see
``TRACKER_BENCH_POSTGRES_URL``) it imports, through the tracker's own import service, one
generated council-style file per authority of ``--lines`` lines (default 300) in each of
``--years`` financial years (2015/16 onwards), then times, each in the same run:

- ``select`` (baseline): the driver alone (sqlite3 / psycopg) reading the same columns of
  the same lines that the inventory reads, one query per authority-year;
- ``select+write`` (baseline): the same reads plus writing one result row per line into a
  plain table with the driver (``executemany`` / ``COPY``);
- ``inventory``: ``tracker.services.inventory.runs.ensure_inventory`` for every authority-year
  (classification, factors, price indices, data quality, one run and one LineEmission per
  line), committed per authority.

It prints seconds, lines per second, the mean and 95th-percentile milliseconds per
inventory and the ratio to each baseline, and stores them under ``inventory`` in
``bench/results.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

if not __package__:  # run as ``python bench/inventory_bench.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine

from bench.import_bench import Database, postgres_server
from bench.results import merge_section
from tracker.db import make_engine, make_session_factory, session_scope
from tracker.domain.periods import fy_bounds
from tracker.models import Authority
from tracker.services.authorities import add_authority
from tracker.services.imports import import_spend_file
from tracker.services.inventory.runs import ensure_inventory
from tracker.services.reference import load_shipped_reference_data

FIRST_YEAR = 2015
SEED = 20250401
#: Real SIC 2007 codes of what councils buy (construction, care, waste, IT, consultancy…).
SIC_CODES = (
    "42110", "43210", "41201", "81210", "81300", "38110", "38210", "87100", "88100", "86900",
    "62020", "62090", "70229", "69102", "49410", "49390", "56290", "85200", "35110", "36000",
    "47300", "45200", "77320", "80100", "58190", "18129", "33120", "71129", "78200", "84110",
)  # fmt: skip
EXPENSE_TYPES = (
    "Agency Staff", "Building Repairs", "Catering Provisions", "Consultancy Fees", "Electricity",
    "Fuel", "Grounds Maintenance", "ICT Software", "Legal Fees", "Printing", "Residential Care",
    "Stationery", "Vehicle Repairs", "Waste Disposal", "Grants to Voluntary Bodies", "Salaries",
)  # fmt: skip
LINE_COLUMNS = (
    "id, transaction_date, amount, currency, supplier_id, sic, naics, proclass, mcc, cpv, "
    "expense_type, description, supplier_name, capital_or_revenue"
)


def write_authority_file(path: Path, index: int, years: int, lines: int) -> None:
    """``lines`` invented lines in each of ``years`` financial years (April to March)."""
    rng = random.Random(SEED + index)
    suppliers = [f"Supplier {index}-{n} Ltd" for n in range(120)]
    sic_of = {s: (rng.choice(SIC_CODES) if rng.random() < 0.7 else "") for s in suppliers}
    with path.open("w", encoding="utf-8") as out:
        out.write("Payment Date,Transaction Number,Supplier Name,Amount,Expense Type,SIC code\n")
        number = 0
        for year in range(FIRST_YEAR, FIRST_YEAR + years):
            start = dt.date(year, 4, 1)
            for _ in range(lines):
                number += 1
                supplier = suppliers[int(len(suppliers) * rng.random() ** 2)]
                amount = round(min(rng.lognormvariate(7.0, 1.5), 2_000_000.0), 2)
                day = start + dt.timedelta(days=rng.randrange(365))
                out.write(
                    f"{day:%d/%m/%Y},T{number},{supplier},{amount:.2f},"
                    f"{rng.choice(EXPENSE_TYPES)},{sic_of[supplier]}\n"
                )


def load(engine: Engine, workdir: Path, authorities: int, years: int, lines: int) -> list[int]:
    """Reference data, the authorities and their imported files; returns authority ids."""
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        load_shipped_reference_data(session)
    ids = []
    for index in range(authorities):
        path = workdir / f"authority-{index}.csv"
        write_authority_file(path, index, years, lines)
        with session_scope(factory) as session:
            authority = add_authority(session, code=f"B{index:04d}", name=f"Borough {index}")
            import_spend_file(session, authority=authority, path=path, data_dir=workdir / "raw")
            ids.append(authority.id)
        path.unlink()
    return ids


def _periods(years: int) -> list[tuple[int, dt.date, dt.date]]:
    return [(y, *fy_bounds(y, 4)) for y in range(FIRST_YEAR, FIRST_YEAR + years)]


def baseline(engine: Engine, ids: Sequence[int], years: int, *, write: bool) -> dict[str, Any]:
    """The driver alone: read each authority-year's lines (and write a row per line)."""
    raw = engine.raw_connection()
    postgres = engine.dialect.name == "postgresql"
    mark = "%s" if postgres else "?"
    query = (
        f"SELECT {LINE_COLUMNS} FROM spend_line WHERE authority_id = {mark} "
        f"AND transaction_date BETWEEN {mark} AND {mark}"
    )
    cur = raw.cursor()
    if write:
        cur.execute("CREATE TABLE bench_result (line_id bigint, kg numeric(24, 6))")
        raw.commit()
    count = 0
    timings = []
    started = time.perf_counter()
    for authority_id in ids:
        if not postgres:
            cur.execute("BEGIN")  # the tracker's SQLite connections are in autocommit mode
        for _, start, end in _periods(years):
            t0 = time.perf_counter()
            cur.execute(query, (authority_id, start, end))
            rows = cur.fetchall()
            count += len(rows)
            if write:
                results = [(row[0], row[2] * 2) for row in rows]
                if postgres:
                    with cur.copy("COPY bench_result (line_id, kg) FROM STDIN") as copy:
                        for item in results:
                            copy.write_row(item)
                else:
                    cur.executemany("INSERT INTO bench_result VALUES (?, ?)", results)
            timings.append(time.perf_counter() - t0)
        raw.commit()
    seconds = time.perf_counter() - started
    if write:
        cur.execute("DROP TABLE bench_result")
        raw.commit()
    raw.close()
    return {"seconds": seconds, "lines": count, "timings": timings}


def inventories(engine: Engine, ids: Sequence[int], years: int) -> dict[str, Any]:
    factory = make_session_factory(engine)
    count = 0
    timings = []
    started = time.perf_counter()
    for authority_id in ids:
        with session_scope(factory) as session:
            authority = session.get_one(Authority, authority_id)
            for year, _, _ in _periods(years):
                t0 = time.perf_counter()
                run = ensure_inventory(session, authority=authority, year=year)
                count += run.line_count
                timings.append(time.perf_counter() - t0)
    return {"seconds": time.perf_counter() - started, "lines": count, "timings": timings}


def _entry(
    database: str, what: str, out: dict[str, Any], bases: dict[str, float]
) -> dict[str, Any]:
    timings = sorted(out["timings"])
    seconds = out["seconds"]
    entry = {
        "database": database,
        "measurement": what,
        "inventories": len(timings),
        "lines": out["lines"],
        "seconds": round(seconds, 3),
        "lines_per_second": round(out["lines"] / seconds) if seconds else None,
        "ms_per_inventory_mean": round(1000 * statistics.fmean(timings), 2),
        "ms_per_inventory_p95": round(1000 * timings[math.ceil(0.95 * len(timings)) - 1], 2),
        "ratio_to_baseline": {k: round(seconds / v, 2) for k, v in bases.items()},
    }
    ratios = "  ".join(f"{v:.1f}x {k}" for k, v in entry["ratio_to_baseline"].items())
    print(
        f"{database:<10} {what:<13} {entry['inventories']:>6,} {entry['lines']:>10,} "
        f"{seconds:>9.2f} {entry['lines_per_second'] or 0:>9,} "
        f"{entry['ms_per_inventory_mean']:>8.1f} {entry['ms_per_inventory_p95']:>8.1f}  {ratios}",
        flush=True,
    )
    return entry


def run_database(
    backend: str, server: str, workdir: Path, args: argparse.Namespace
) -> list[dict[str, Any]]:
    db = Database(backend, server, workdir)
    try:
        engine = make_engine(db.create(migrated=True))
        started = time.perf_counter()
        ids = load(engine, workdir, args.authorities, args.years, args.lines)
        print(f"{backend}: loaded in {time.perf_counter() - started:.0f} s", flush=True)
        steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [
            ("select", lambda: baseline(engine, ids, args.years, write=False)),
            ("select+write", lambda: baseline(engine, ids, args.years, write=True)),
            ("inventory", lambda: inventories(engine, ids, args.years)),
        ]
        entries = []
        bases: dict[str, float] = {}
        for what, step in steps:
            out = step()
            entries.append(_entry(backend, what, out, bases if what == "inventory" else {}))
            bases[what] = out["seconds"]
        engine.dispose()
        return entries
    finally:
        db.drop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--authorities", type=int, default=400)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--lines", type=int, default=300, help="lines per authority-year")
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    backends = [b.strip() for b in args.databases.split(",") if b.strip()]
    servers = {"sqlite": ""}
    if "postgresql" in backends:
        server = postgres_server()
        if server is None:
            backends.remove("postgresql")
        else:
            servers["postgresql"] = server
    print(
        f"\n{'database':<10} {'what':<13} {'runs':>6} {'lines':>10} {'seconds':>9} "
        f"{'lines/s':>9} {'ms mean':>8} {'ms p95':>8}  vs baseline"
    )
    entries = []
    with tempfile.TemporaryDirectory(prefix="tracker-inventory-bench-") as tmp:
        for backend in backends:
            entries += run_database(backend, servers[backend], Path(tmp), args)
    merge_section(
        "inventory",
        {
            "authorities": args.authorities,
            "years": args.years,
            "lines_per_authority_year": args.lines,
            "results": entries,
        },
    )
    print("results written to bench/results.json (key 'inventory')")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
