"""Report benchmark: the inventory workbook of an authority with 200,000 lines.

Run ``make bench`` or ``python -m bench.report_bench [--lines N] [--databases sqlite,postgresql]``.
For each database (SQLite temp file; PostgreSQL when reachable) it imports a generated
spend file of N lines in one financial year (the import bench's invented suppliers,
expense types and SIC codes, with cost centres and descriptions), computes the inventory,
then measures in the same process:

- ``baseline``: openpyxl write-only writing N rows of plain values (the same number of
  columns as the line detail, prepared in memory beforehand) -- the floor for any
  openpyxl workbook of this size;
- ``workbook``: ``tracker.reports.workbook.write_inventory_workbook`` -- reading the
  report, its breakdowns and every line from the database and writing all sheets;
- ``csv``: ``tracker.reports.csv_export.write_csv_exports`` (summary and lines).

Results are merged into ``bench/results.json`` under the key ``report`` (other keys,
such as the import results, are kept). Goal: the workbook in under 10 s.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if not __package__:  # run as ``python bench/report_bench.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.import_bench import (
    AUTHORITY,
    REPO_DIR,
    RESULTS_FILE,
    Database,
    _peak_rss_mb,
    generate_rows,
    postgres_server,
    run_header,
)

YEAR = 2022  # financial year April 2022 - March 2023
GOAL_SECONDS = 10.0
HEADERS = (
    "Payment Date",
    "Transaction Number",
    "Supplier Name",
    "Amount",
    "Expense Type",
    "Cost Centre",
    "Description",
    "SIC code",
)


def write_spend_csv(path: Path, lines: int) -> None:
    """N invented lines, all dated inside financial year ``YEAR``."""
    rng = random.Random(7)
    start = dt.date(YEAR, 4, 1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for _, day, tid, supplier, amount, expense, area, sic in generate_rows(lines):
            day = start + dt.timedelta(days=(day - dt.date(2021, 4, 1)).days % 365)
            description = f"{expense} order {rng.randrange(1, 9999)}"
            writer.writerow(
                (f"{day:%d/%m/%Y}", tid, supplier, f"{amount:.2f}", expense, area, description, sic)
            )


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    out = fn()
    return time.perf_counter() - started, out


def baseline_workbook(path: Path, rows: int, columns: int) -> float:
    """openpyxl write-only, ``rows`` rows of ``columns`` plain values prepared beforehand."""
    from openpyxl import Workbook

    sample = [
        1,
        "spend.csv",
        2,
        dt.date(YEAR, 6, 1),
        "Supplier Ltd",
        "An order",
        "Fuel",
        "Schools",
        1234.56,
        "mapped",
        1,
        "42110",
        "42.1-2",
        "Construction",
        "sic (class)",
        "defra-uk-sic",
        "to-2023",
        2022,
        0.26547,
        None,
        "ons-cpi-d7bt",
        1.0,
        327.74,
        None,
    ]
    row = (sample * 2)[:columns]
    started = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Lines")
    for _ in range(rows):
        ws.append(row)
    wb.save(path)
    return time.perf_counter() - started


def bench_database(backend: str, server: str, workdir: Path, lines: int) -> list[dict[str, Any]]:
    from sqlalchemy import text

    from tracker.db import make_engine, make_session_factory, session_scope
    from tracker.reports.csv_export import write_csv_exports
    from tracker.reports.line_detail import LINE_COLUMNS
    from tracker.reports.workbook import write_inventory_workbook
    from tracker.services.authorities import get_authority
    from tracker.services.imports import import_spend_file
    from tracker.services.inventory.runs import ensure_inventory
    from tracker.services.reference import load_shipped_reference_data

    spend = workdir / f"spend-{lines}.csv"
    if not spend.exists():
        write_spend_csv(spend, lines)
    db = Database(backend, server, workdir)
    url = db.create(migrated=True)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    try:
        with session_scope(factory) as session:
            load_shipped_reference_data(session)
        with session_scope(factory) as session:
            authority = get_authority(session, AUTHORITY)
            import_seconds, result = _timed(
                lambda: import_spend_file(
                    session, authority=authority, path=spend, data_dir=workdir / "files"
                )
            )
        with session_scope(factory) as session:
            authority = get_authority(session, AUTHORITY)
            inventory_seconds, run = _timed(
                lambda: ensure_inventory(session, authority=authority, year=YEAR)
            )
            line_count = run.line_count
        if backend == "postgresql":
            # Table statistics, as autovacuum would gather them on a server that has been
            # running: without them the planner takes the freshly loaded tables for empty.
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ANALYZE"))
        print(
            f"  {backend}: imported {result.rows_imported:,} rows in {import_seconds:.1f} s, "
            f"inventory of {line_count:,} lines in {inventory_seconds:.1f} s",
            flush=True,
        )
        base = baseline_workbook(workdir / "baseline.xlsx", line_count, len(LINE_COLUMNS))
        with session_scope(factory) as session:
            book, _ = _timed(
                lambda: write_inventory_workbook(
                    session, workdir / "report.xlsx", authority=AUTHORITY, year=YEAR
                )
            )
        with session_scope(factory) as session:
            csvs, _ = _timed(
                lambda: write_csv_exports(session, workdir / "csv", authority=AUTHORITY, year=YEAR)
            )
        review = bench_review(factory, workdir)
    finally:
        engine.dispose()
        db.drop()
    size = (workdir / "report.xlsx").stat().st_size
    entries = [
        _entry(backend, "baseline (openpyxl plain rows)", line_count, base, None),
        _entry(backend, "workbook", line_count, book, base) | {"bytes": size},
        _entry(backend, "csv (summary + lines)", line_count, csvs, None),
        _entry(backend, "inventory (for reference)", line_count, inventory_seconds, None),
        _entry(backend, "review: whole-installation scan", line_count, review[0], None),
        _entry(backend, "review: first (learns evidence)", line_count, review[1], review[0]),
        _entry(backend, "review: next (stored evidence)", line_count, review[2], review[0]),
    ]
    return entries


REVIEW_AUTHORITY = "REVIEW"


def bench_review(factory: Any, workdir: Path) -> tuple[float, float, float]:
    """The review queue of a second authority whose 50 lines are unclassified, once the
    200,000-line inventory is the evidence. Baseline: the scan of every current run's
    classified lines per supplier, expense type and description that each review used
    to make (as tracker.services.classification.evidence.classified_spend over all current
    runs). Then the
    first review, which learns and stores the evidence of both runs, and the next."""
    from sqlalchemy import delete, update

    from tracker.db import session_scope
    from tracker.models import InventoryRun, RunEvidence
    from tracker.services.authorities import add_authority, get_authority
    from tracker.services.classification.evidence import classified_spend, current_runs
    from tracker.services.classification.review import review_queue
    from tracker.services.imports import import_spend_file

    path = workdir / "review.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("Payment Date", "Supplier Name", "Amount", "Expense Type", "Description"))
        for i in range(50):
            writer.writerow((f"{10 + i % 18}/06/{YEAR}", f"Payee {i}", "650.00", "", ""))
    with session_scope(factory) as session:
        authority = add_authority(session, code=REVIEW_AUTHORITY, name="Review", fy_start_month=4)
        import_spend_file(session, authority=authority, path=path, data_dir=workdir / "files")
        # a review learns only from authorities that share (security review finding 10)
        get_authority(session, AUTHORITY).share_in_comparisons = True

    def scan() -> None:
        with session_scope(factory) as session:
            classified_spend(session, list(session.scalars(current_runs())))

    def review() -> None:
        with session_scope(factory) as session:
            authority = get_authority(session, REVIEW_AUTHORITY)
            _run, items = review_queue(session, authority=authority, year=YEAR)
            assert items, "the review authority's lines are unclassified"

    review()  # its own inventory, so that the timed reviews measure the review alone
    with session_scope(factory) as session:  # forget the evidence, as before this table
        session.execute(delete(RunEvidence))
        session.execute(update(InventoryRun).values(evidence_texts=None))
    baseline, _ = _timed(scan)
    first, _ = _timed(review)
    then, _ = _timed(review)
    return baseline, first, then


def _entry(db: str, what: str, rows: int, seconds: float, base: float | None) -> dict[str, Any]:
    entry = {
        "database": db,
        "measurement": what,
        "rows": rows,
        "seconds": round(seconds, 2),
        "ratio_to_baseline": None if base is None else round(seconds / base, 2),
    }
    print(
        f"  {db:<11} {what:<32} {rows:>9,} {seconds:>8.2f} s"
        + ("" if base is None else f"  {seconds / base:.2f}x baseline"),
        flush=True,
    )
    return entry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--lines", type=int, default=200_000)
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
    entries: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="tracker-report-bench-") as tmp:
        for backend in backends:
            entries += bench_database(backend, servers[backend], Path(tmp), args.lines)
    print(f"Goal: the workbook in under {GOAL_SECONDS:.0f} s.")
    results: dict[str, Any] = {}
    if RESULTS_FILE.exists():
        results = json.loads(RESULTS_FILE.read_text(encoding="utf-8"))
    # Keep the entries of databases not measured this time (e.g. --databases sqlite).
    kept = [
        e
        for e in results.get("report", {}).get("results", [])
        if e["database"] not in backends and args.lines == results["report"].get("lines")
    ]
    entries = kept + entries
    results["report"] = {
        **run_header(),
        "lines": args.lines,
        "goal_seconds": GOAL_SECONDS,
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "results": entries,
    }
    RESULTS_FILE.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"results merged into {RESULTS_FILE.relative_to(REPO_DIR)} (key 'report')")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
