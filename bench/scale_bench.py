"""Scale benchmark (PostgreSQL): the dashboard's aggregate queries on N spend lines,
plain tables against the partitioned layouts of ``tracker.storage.partitioning``.

Run ``python -m bench.scale_bench [--rows N]`` (default 10,000,000; part of ``make bench``
with a smaller ``--rows``, see the Makefile). In a temporary PostgreSQL database
(``TRACKER_BENCH_POSTGRES_URL``) migrated to the tracker's schema it creates
``--authorities`` authorities (default 400) with one import batch each and one inventory
run per authority and financial year 2015/16-2024/25, then loads with ``COPY``:

- ``spend_line``: N lines spread over the authorities (a few large, many small: lognormal
  weights) and over the ten years;
- ``line_emission``: one row per line in its authority-year's run (status, category, kg).

It copies both into partitioned tables (spend_line by HASH of authority, 16 partitions,
and by calendar year; line_emission by HASH of run, 16 partitions), ANALYZEs, and times,
for ``--samples`` authorities picked at random (the same for every layout), with the
driver's server-side parameters as the tracker sends them:

- ``authority by year``: one authority's spend per financial year (the trend chart);
- ``authority-year total``: one authority-year's lines, count and sum (an inventory read);
- ``by category``: one run's spend and kgCO2e by status and category, joined to its lines
  and scoped to the authority as ``tracker.queries`` does (the category chart);
- ``by supplier``: one run's top 20 suppliers (the supplier table);
- ``by category, period`` and ``by supplier, period``: the same with the run's financial
  year as a date range on the lines (exact, since a run holds the lines of its period);
- ``national by year``: every authority's spend per calendar year (a full scan).

It prints the median and 95th percentile in milliseconds per layout and the ratio to the
plain tables, the partitions the planner reads for an authority-year, and stores it all
under ``scale`` in ``bench/results.json``.
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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if not __package__:  # run as ``python bench/scale_bench.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, text

from bench.import_bench import Database, postgres_server
from bench.results import merge_section
from tracker.db import make_engine, make_session_factory, session_scope
from tracker.domain.periods import fy_bounds
from tracker.models import ImportBatch, InventoryRun
from tracker.services.authorities import add_authority
from tracker.storage.partitioning import partition_script

FIRST_YEAR = 2015
YEARS = 10
SEED = 20260101
CATEGORIES = [f"{n}" for n in range(1, 41)]
EXPENSE_TYPES = ("Agency Staff", "Building Repairs", "Consultancy", "Fuel", "ICT", "Waste")
LAYOUTS = {
    "plain": ("spend_line", "line_emission"),
    "by authority": ("spend_line_by_authority", "line_emission_by_run"),
    "by year": ("spend_line_by_year", "line_emission_by_run"),
}
FY = "extract(year FROM sl.transaction_date - interval '3 months')"
QUERIES = {
    "authority by year": (
        f"SELECT {FY} AS fy, sum(sl.amount) FROM {{sl}} sl WHERE sl.authority_id = %(a)s "
        "GROUP BY fy ORDER BY fy"
    ),
    "authority-year total": (
        "SELECT count(*), sum(sl.amount) FROM {sl} sl WHERE sl.authority_id = %(a)s "
        "AND sl.transaction_date BETWEEN %(start)s AND %(end)s"
    ),
    "by category": (
        "SELECT le.status, le.category_code, sum(sl.amount), sum(le.kgco2e) "
        "FROM {le} le JOIN {sl} sl ON sl.id = le.spend_line_id "
        "WHERE le.run_id = %(r)s AND sl.authority_id = %(a)s GROUP BY 1, 2"
    ),
    "by supplier": (
        "SELECT sl.supplier_name, sum(sl.amount) AS spend, sum(le.kgco2e) AS kg "
        "FROM {le} le JOIN {sl} sl ON sl.id = le.spend_line_id "
        "WHERE le.run_id = %(r)s AND sl.authority_id = %(a)s "
        "GROUP BY sl.supplier_name ORDER BY kg DESC LIMIT 20"
    ),
    # The same two with the run's period on the lines: exact (a run holds the lines of its
    # period), and it lets the planner read one year of the authority's lines.
    "by category, period": (
        "SELECT le.status, le.category_code, sum(sl.amount), sum(le.kgco2e) "
        "FROM {le} le JOIN {sl} sl ON sl.id = le.spend_line_id "
        "WHERE le.run_id = %(r)s AND sl.authority_id = %(a)s "
        "AND sl.transaction_date BETWEEN %(start)s AND %(end)s GROUP BY 1, 2"
    ),
    "by supplier, period": (
        "SELECT sl.supplier_name, sum(sl.amount) AS spend, sum(le.kgco2e) AS kg "
        "FROM {le} le JOIN {sl} sl ON sl.id = le.spend_line_id "
        "WHERE le.run_id = %(r)s AND sl.authority_id = %(a)s "
        "AND sl.transaction_date BETWEEN %(start)s AND %(end)s "
        "GROUP BY sl.supplier_name ORDER BY kg DESC LIMIT 20"
    ),
    "national by year": (
        "SELECT sl.authority_id, extract(year FROM sl.transaction_date), sum(sl.amount) "
        "FROM {sl} sl GROUP BY 1, 2"
    ),
}


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


def load(
    engine: Engine,
    rows: int,
    ids: Sequence[int],
    batches: dict[int, int],
    runs: dict[tuple[int, int], int],
    workdir: Path,
) -> float:
    """COPY ``rows`` spend lines and their line emissions; returns the seconds taken."""
    rng = random.Random(SEED)
    weights = [rng.lognormvariate(0, 1) for _ in ids]
    owners = rng.choices(list(ids), weights=weights, k=4096)
    suppliers = [f"Supplier {n} Ltd" for n in range(3000)]
    first_day = dt.date(FIRST_YEAR, 4, 1).toordinal()
    emissions = workdir / "line_emission.tsv"
    started = time.perf_counter()
    raw = engine.raw_connection()
    cur = raw.cursor()
    with (
        emissions.open("w", encoding="utf-8") as le_out,
        cur.copy(
            "COPY spend_line (id, authority_id, batch_id, source_row, transaction_date, "
            "date_precision, amount, currency, supplier_name, expense_type, sic) FROM STDIN"
        ) as copy,
    ):
        chunk: list[str] = []
        for line_id in range(1, rows + 1):
            authority = owners[rng.randrange(4096)]
            offset = rng.randrange(YEARS * 365)
            day = dt.date.fromordinal(first_day + offset)
            year = FIRST_YEAR + offset // 365
            amount = round(rng.lognormvariate(6.5, 1.6), 2)
            supplier = suppliers[int(len(suppliers) * rng.random() ** 2)]
            chunk.append(
                f"{line_id}\t{authority}\t{batches[authority]}\t{line_id}\t{day}\tday\t"
                f"{amount:.2f}\tGBP\t{supplier}\t{rng.choice(EXPENSE_TYPES)}\t\\N\n"
            )
            roll = rng.random()
            status = "mapped" if roll < 0.85 else "unmapped" if roll < 0.95 else "excluded"
            category = rng.choice(CATEGORIES) if status == "mapped" else "\\N"
            kg = amount * 0.3 if status == "mapped" else 0
            le_out.write(
                f"{line_id}\t{runs[(authority, year)]}\t{line_id}\t{status}\t{category}\t{kg:.6f}\n"
            )
            if len(chunk) >= 10_000:
                copy.write("".join(chunk))
                chunk = []
        if chunk:
            copy.write("".join(chunk))
    with (
        emissions.open("rb") as source,
        cur.copy(
            "COPY line_emission (id, run_id, spend_line_id, status, category_code, kgco2e) "
            "FROM STDIN"
        ) as copy,
    ):
        while data := source.read(1 << 20):
            copy.write(data)
    cur.execute("SELECT setval('spend_line_id_seq', %s)", (rows,))
    cur.execute("SELECT setval('line_emission_id_seq', %s)", (rows,))
    raw.commit()
    raw.close()
    emissions.unlink()
    return time.perf_counter() - started


def partition(engine: Engine) -> dict[str, float]:
    """Build the partitioned copies; returns seconds per table (create, copy, index)."""
    seconds = {}
    for scheme, source in (
        ("authority", "spend_line"),
        ("year", "spend_line"),
        ("run", "line_emission"),
    ):
        started = time.perf_counter()
        with engine.begin() as conn:
            for statement in partition_script(
                scheme, years=range(FIRST_YEAR, FIRST_YEAR + YEARS + 1)
            ):
                conn.execute(text(statement))
            conn.execute(text(f"INSERT INTO {source}_by_{scheme} SELECT * FROM {source}"))
        seconds[f"{source}_by_{scheme}"] = round(time.perf_counter() - started, 2)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    return seconds


def _scanned(engine: Engine, sql: str) -> list[str]:
    with engine.connect() as conn:
        plan = conn.execute(text(f"EXPLAIN (FORMAT JSON) {sql}")).scalar_one()
    found: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        if "Relation Name" in node:
            found.append(node["Relation Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return sorted(set(found))


def time_queries(
    engine: Engine, samples: list[tuple[int, int, int]], repeat_full: int
) -> dict[str, dict[str, list[float]]]:
    """Milliseconds per query and layout; ``samples`` are (authority, year, run)."""
    raw = engine.raw_connection()
    cur = raw.cursor()
    out: dict[str, dict[str, list[float]]] = {}
    for name, template in QUERIES.items():
        for layout, (sl, le) in LAYOUTS.items():
            sql = template.format(sl=sl, le=le)
            params = [
                {"a": a, "r": r, "start": fy_bounds(y, 4)[0], "end": fy_bounds(y, 4)[1]}
                for a, y, r in samples
            ]
            if name == "national by year":
                params = [{}] * repeat_full
            cur.execute(sql, params[0])  # warm the cache and the plan
            cur.fetchall()
            timings = []
            for p in params:
                t0 = time.perf_counter()
                cur.execute(sql, p)
                cur.fetchall()
                timings.append(1000 * (time.perf_counter() - t0))
            out.setdefault(name, {})[layout] = timings
            raw.commit()
    raw.close()
    return out


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]  # nearest rank


def report(timings: dict[str, dict[str, list[float]]]) -> list[dict[str, Any]]:
    print(f"\n{'query':<22} {'layout':<13} {'median ms':>10} {'p95 ms':>9} {'vs plain':>9}")
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
                f"{name:<22} {layout:<13} {entry['median_ms']:>10.1f} {entry['p95_ms']:>9.1f} "
                f"{entry['ratio_to_plain']:>8.2f}x",
                flush=True,
            )
    return entries


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=10_000_000, help="spend lines")
    parser.add_argument("--authorities", type=int, default=400)
    parser.add_argument("--samples", type=int, default=30, help="authorities queried")
    parser.add_argument("--repeat-full", type=int, default=3, help="runs of the full scan")
    args = parser.parse_args(argv)
    server = postgres_server()
    if server is None:
        print("The scale benchmark needs PostgreSQL; skipped.")
        return 0
    with tempfile.TemporaryDirectory(prefix="tracker-scale-bench-") as tmp:
        db = Database("postgresql", server, Path(tmp))
        try:
            engine = make_engine(db.create(migrated=True))
            ids, batches, runs = setup(engine, args.authorities)
            load_seconds = load(engine, args.rows, ids, batches, runs, Path(tmp))
            print(f"COPY of {args.rows:,} spend lines and line emissions: {load_seconds:.1f} s")
            copies = partition(engine)
            print(f"partitioned copies (create, insert, index): {copies}")
            rng = random.Random(SEED + 1)
            picked = rng.sample(ids, min(args.samples, len(ids)))
            samples = [
                (a, y, runs[(a, y)])
                for a in picked
                for y in [rng.randrange(FIRST_YEAR, FIRST_YEAR + YEARS)]
            ]
            a, y, _ = samples[0]
            start, end = fy_bounds(y, 4)
            pruning = {
                layout: _scanned(
                    engine,
                    f"SELECT sum(amount) FROM {sl} WHERE authority_id = {a} "
                    f"AND transaction_date BETWEEN '{start}' AND '{end}'",
                )
                for layout, (sl, _) in LAYOUTS.items()
            }
            print(f"tables read for one authority-year: {pruning}")
            entries = report(time_queries(engine, samples, args.repeat_full))
            engine.dispose()
        finally:
            db.drop()
    merge_section(
        "scale",
        {
            "rows": args.rows,
            "authorities": args.authorities,
            "samples": len(samples),
            "load_seconds": round(load_seconds, 1),
            "partition_copy_seconds": copies,
            "tables_read_for_one_authority_year": pruning,
            "results": entries,
        },
    )
    print("results written to bench/results.json (key 'scale')")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
