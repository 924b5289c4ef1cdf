"""Reclassification benchmark: 1,000,000 stored lines reclassified after a rule change.

Run ``make bench`` or ``python -m bench.reclassify_bench [--rows N]``. For each database
(SQLite temp file; PostgreSQL when reachable) it stores N invented council spend lines
(the import benchmark's generator; each supplier booked to two expense types with three
descriptions, and a tenth of the lines carrying a description of their own, like a
purchase-order number), then measures:

- ``baseline``: one ``UPDATE`` that writes a column of every one of the authority's lines,
  run with the database driver alone: the least a design that stores a category on each
  line would pay to reclassify them all;
- ``classify``: the first classification of the stored lines
  (``tracker.services.classification.line_classes.classify_lines``);
- ``reclassify``: the same after a new authority rule (``tracker rules add``), which
  changes the rule-set fingerprint and so reclassifies every distinct set of inputs: a
  set-based replacement of the authority's ``line_class`` rows, which every line joins to.

Results go to the ``reclassify`` key of ``bench/results.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

if not __package__:  # run as ``python bench/reclassify_bench.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.import_bench import (
    _EXPENSE_TYPES,
    AUTHORITY,
    RESULTS_FILE,
    Database,
    database_servers,
    generate_rows,
)

UNIQUE_SHARE = 0.1  # lines whose description is their own (a purchase-order number)

_DESCRIPTIONS = (
    "Supplies and services", "Professional services", "Repairs and maintenance",
    "Contract payment", "Goods received", "Monthly charge", "Annual licence",
    "Works to premises", "Equipment", "Hire charges",
)  # fmt: skip


def _lines(authority_id: int, batch_id: int, count: int) -> Iterator[dict[str, Any]]:
    from tracker.domain.classify import class_key

    rng = random.Random(7)
    habits: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for i, (_, day, tx, supplier, amount, _e, area, sic) in enumerate(generate_rows(count)):
        # A supplier is booked to a couple of expense types with a few descriptions, as in
        # the real files (distinct inputs are 6-53 % of a month's lines, fewer over a year).
        if supplier not in habits:
            habits[supplier] = (
                tuple(rng.sample(_EXPENSE_TYPES, 2)),
                tuple(f"{area}: {d}" for d in rng.sample(_DESCRIPTIONS, 3)),
            )
        expenses, descriptions = habits[supplier]
        expense, description = rng.choice(expenses), rng.choice(descriptions)
        if rng.random() < UNIQUE_SHARE:
            description = f"{description} PO{rng.randrange(10**7):07d}"
        row = {
            "authority_id": authority_id,
            "batch_id": batch_id,
            "source_row": i + 2,
            "transaction_date": day,
            "date_precision": "day",
            "amount": amount,
            "currency": "GBP",
            "supplier_name": supplier,
            "description": description,
            "expense_type": expense,
            "transaction_id": tx,
            "sic": sic or None,
        }
        row["class_key"] = class_key(row)
        yield row


def _store(url: str, count: int) -> None:
    from sqlalchemy import Table, select

    from tracker.db import make_engine, make_session_factory, session_scope
    from tracker.models import Authority, ImportBatch, SpendLine
    from tracker.storage.bulk import bulk_insert

    engine = make_engine(url)
    with session_scope(make_session_factory(engine)) as session:
        authority = session.scalars(select(Authority).where(Authority.code == AUTHORITY)).one()
        batch = ImportBatch(
            authority_id=authority.id, file_name="bench.csv", sha256="0" * 64, size_bytes=0,
            file_format="csv", header_row=1, column_mapping={}, amount_rule="net",
            rows_read=count, rows_imported=count, rows_rejected=0, rows_skipped=0,
            total_amount=0, report={},
        )  # fmt: skip
        session.add(batch)
        session.flush()
        table = SpendLine.__table__
        assert isinstance(table, Table)
        bulk_insert(session, table, _lines(authority.id, batch.id, count))
    engine.dispose()


def _timed(url: str, what: str) -> dict[str, Any]:
    from sqlalchemy import func, select, text

    from tracker.db import make_engine, make_session_factory, session_scope
    from tracker.models import Authority, LineClass, SpendLine
    from tracker.services.classification.line_classes import classify_lines
    from tracker.services.classification.rules import add_rule

    engine = make_engine(url)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        authority = session.scalars(select(Authority).where(Authority.code == AUTHORITY)).one()
        lines = session.scalar(select(func.count()).where(SpendLine.authority_id == authority.id))
    start = time.perf_counter()
    keys = 0
    if what == "baseline":
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE spend_line SET description = description WHERE authority_id = :a"),
                {"a": authority.id},
            )
    else:
        with session_scope(factory) as session:
            authority = session.get_one(Authority, authority.id)
            if what == "reclassify":
                add_rule(
                    session, authority=authority, rule_id="BENCH1", pattern="Hired Transport",
                    field="expense_type", match="exact", defra_group="49.3-5", actor="bench",
                )  # fmt: skip
            keys = classify_lines(session, authority).keys
    seconds = time.perf_counter() - start
    with session_scope(factory) as session:
        rows = session.scalar(select(func.count()).where(LineClass.authority_id == authority.id))
    engine.dispose()
    return {"what": what, "lines": lines, "keys": keys, "line_class_rows": rows,
            "seconds": round(seconds, 3)}  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    servers = database_servers(args.databases)
    entries = []
    print(f"\n{'database':<11}{'what':<12}{'lines':>10}{'keys':>9}{'seconds':>9}{'vs base':>9}")
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as tmp:
        for backend in servers:
            db = Database(backend, servers[backend], Path(tmp))
            try:
                url = db.create(migrated=True)
                _store(url, args.rows)
                base = None
                for what in ("baseline", "classify", "reclassify"):
                    out = _timed(url, what) | {"database": backend}
                    base = base or out["seconds"]
                    out["ratio"] = round(out["seconds"] / base, 2)
                    entries.append(out)
                    print(f"{backend:<11}{what:<12}{out['lines']:>10,}{out['keys']:>9,}"
                          f"{out['seconds']:>9.2f}{out['ratio']:>8.2f}x", flush=True)  # fmt: skip
            finally:
                db.drop()
    results = json.loads(RESULTS_FILE.read_text()) if RESULTS_FILE.exists() else {}
    results["reclassify"] = {
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "rows": args.rows,
        "results": entries,
    }
    RESULTS_FILE.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"'vs base': against one UPDATE of every line. Results in {RESULTS_FILE.name}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
