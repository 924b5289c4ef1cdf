"""Where the spend import's insert time goes: its own line tuples, stored apart from parsing.

``python -m bench.insert_costs [--rows 200000] [--repeat 5]`` imports the generated bench
CSV (``bench.import_bench``) once into a temporary SQLite database, keeping the
``spend_line`` tuples the import hands to ``bulk_insert_rows``. Those tuples, repeated
``--repeat`` times, are then stored again with ``bulk_insert_rows`` (50,000 lines per
SAVEPOINT in one transaction, as the import does) into a fresh database holding the same
authority, batch and suppliers, once per variant of the schema or settings:

- SQLite: as built; without each secondary index of ``spend_line``; without any; foreign
  keys off; the rollback journal instead of WAL; a 256 MiB page cache;
- PostgreSQL: as built; without any foreign key; without the supplier key; without the
  class-key index; without any secondary index.

The machine is shared, so each variant is reported in CPU seconds, which the load does
not inflate: the process's own on SQLite, the server backend's (read from
``/proc/PID/stat``, so only for a server on this machine) and the client's on
PostgreSQL. Results go to ``bench/results.json`` under ``insert_costs``;
docs/benchmarks.md reads them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

if not __package__:  # run as ``python bench/insert_costs.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.import_bench import AUTHORITY, RESULTS_FILE, bench_file, postgres_server, run_header

CHUNK = 50_000
SQLITE_INDEXES = {
    "class_key": "ix_spend_line_authority_class_key",
    "date": "ix_spend_line_authority_date",
    "batch": "ix_spend_line_batch",
}
# Each variant: the statements run before the inserts (on their own connection for the
# DDL; pragmas on the inserting connection, marked "pragma:").
SQLITE_VARIANTS: dict[str, list[str]] = {
    "as built": [],
    "without the class-key index": [f"DROP INDEX {SQLITE_INDEXES['class_key']}"],
    "without the date index": [f"DROP INDEX {SQLITE_INDEXES['date']}"],
    "without the batch index": [f"DROP INDEX {SQLITE_INDEXES['batch']}"],
    "without any secondary index": [f"DROP INDEX {i}" for i in SQLITE_INDEXES.values()],
    "foreign keys off": ["pragma:PRAGMA foreign_keys=OFF"],
    "rollback journal": ["pragma:PRAGMA journal_mode=DELETE"],
    "page cache 256 MiB": ["pragma:PRAGMA cache_size=-262144"],
}
PG_VARIANTS: dict[str, list[str]] = {
    "as built": [],
    "without any foreign key": ["fk:%"],
    "without the supplier key": ["fk:%supplier%"],
    "without the class-key index": [f"DROP INDEX {SQLITE_INDEXES['class_key']}"],
    "without any secondary index": [f"DROP INDEX {i}" for i in SQLITE_INDEXES.values()],
}


def capture(rows: int, workdir: Path) -> tuple[list[tuple[Any, ...]], Path]:
    """The spend_line tuples of an import of the ``rows``-row bench CSV, and a SQLite
    database holding that import's authority, batch and suppliers without its lines."""
    from tracker import migrate
    from tracker.db import make_engine, make_session_factory, session_scope
    from tracker.services import imports
    from tracker.services.authorities import add_authority, get_authority

    template = workdir / "template.db"
    engine = make_engine(f"sqlite:///{template}")
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        add_authority(session, code=AUTHORITY, name="Example Borough Council")
    kept: list[tuple[Any, ...]] = []
    patched: Any = imports  # the import service's own name for the bulk writer, replaced
    store: Callable[..., int] = patched.bulk_insert_rows

    def keep(session: Any, table: Any, columns: Any, lines: Any, **kwargs: Any) -> int:
        if table.name == "spend_line":
            lines = [tuple(line) for line in lines]
            kept.extend(lines)
        return store(session, table, columns, lines, **kwargs)

    patched.bulk_insert_rows = keep
    try:
        with session_scope(factory) as session:
            authority = get_authority(session, AUTHORITY)
            path = bench_file("csv", rows)
            imports.import_spend_file(
                session, authority=authority, path=path, data_dir=workdir / "data"
            )
    finally:
        patched.bulk_insert_rows = store
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM batch_month")
        conn.exec_driver_sql("DELETE FROM spend_line")
    engine.dispose()
    return kept, template


def _store(session: Any, lines: Sequence[tuple[Any, ...]]) -> None:
    from sqlalchemy import Table

    from tracker.models import SpendLine
    from tracker.services.imports import _LINE_COLUMNS
    from tracker.storage.bulk import bulk_insert_rows

    table = cast(Table, SpendLine.__table__)
    for start in range(0, len(lines), CHUNK):
        savepoint = session.begin_nested()
        bulk_insert_rows(session, table, _LINE_COLUMNS, lines[start : start + CHUNK])
        savepoint.commit()


def sqlite_variant(
    statements: list[str], lines: Sequence[tuple[Any, ...]], template: Path, workdir: Path
) -> dict[str, float]:
    from sqlalchemy import event

    from tracker.db import make_engine, make_session_factory

    path = workdir / f"v-{uuid.uuid4().hex[:8]}.db"
    shutil.copy(template, path)
    engine = make_engine(f"sqlite:///{path}")
    pragmas = [s.removeprefix("pragma:") for s in statements if s.startswith("pragma:")]

    @event.listens_for(engine, "connect")
    def _variant_pragmas(dbapi_conn: Any, _record: Any) -> None:
        # after make_engine's own (registered first), outside any transaction
        for pragma in pragmas:
            dbapi_conn.execute(pragma)

    try:
        with engine.begin() as conn:
            for statement in statements:
                if not statement.startswith("pragma:"):
                    conn.exec_driver_sql(statement)
        with make_session_factory(engine)() as session:
            cpu, wall = time.process_time(), time.perf_counter()
            _store(session, lines)
            session.commit()
            return {
                "cpu_seconds": round(time.process_time() - cpu, 2),
                "wall_seconds": round(time.perf_counter() - wall, 2),
            }
    finally:
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def _backend_cpu(pid: int) -> Callable[[], float | None]:
    stat = Path(f"/proc/{pid}/stat")

    def seconds() -> float | None:
        if not stat.exists():
            return None
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    return seconds


def pg_variant(
    statements: list[str], lines: Sequence[tuple[Any, ...]], template: Path, server: str
) -> dict[str, float | None]:
    from sqlalchemy import insert, select, text
    from sqlalchemy.engine import make_url

    from tracker import migrate
    from tracker.db import make_engine, make_session_factory
    from tracker.models import Base

    name = f"tracker_insert_costs_{uuid.uuid4().hex[:12]}"
    admin = make_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    source = make_engine(f"sqlite:///{template}")
    try:
        migrate.upgrade(engine)
        with source.connect() as read, engine.begin() as write:
            for table_name in ("authority", "import_batch", "supplier"):
                table = Base.metadata.tables[table_name]
                rows = [dict(r._mapping) for r in read.execute(select(table))]
                write.execute(insert(table), rows)
            for table_name in ("import_batch", "supplier"):
                write.execute(
                    text(
                        f"SELECT setval('{table_name}_id_seq', (SELECT max(id) FROM {table_name}))"
                    )
                )
            for statement in statements:
                if statement.startswith("fk:"):
                    keys = write.execute(
                        text(
                            "SELECT conname FROM pg_constraint WHERE contype = 'f' AND "
                            "conrelid = 'spend_line'::regclass AND conname LIKE :pattern"
                        ),
                        {"pattern": statement.removeprefix("fk:")},
                    ).scalars()
                    for key in list(keys):
                        write.execute(text(f'ALTER TABLE spend_line DROP CONSTRAINT "{key}"'))
                else:
                    write.execute(text(statement))
        with make_session_factory(engine)() as session:
            pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            server_cpu = _backend_cpu(pid)
            before = server_cpu()
            cpu, wall = time.process_time(), time.perf_counter()
            _store(session, lines)
            session.commit()
            after = server_cpu()
            return {
                "server_cpu_seconds": None
                if before is None or after is None
                else round(after - before, 2),
                "client_cpu_seconds": round(time.process_time() - cpu, 2),
                "wall_seconds": round(time.perf_counter() - wall, 2),
            }
    finally:
        engine.dispose()
        source.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=200_000, help="bench CSV rows to import")
    parser.add_argument("--repeat", type=int, default=5, help="times the lines are stored")
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    wanted = [d.strip() for d in args.databases.split(",") if d.strip()]
    server = postgres_server() if "postgresql" in wanted else None
    load_start = [round(x, 2) for x in os.getloadavg()]
    print(f"load average at the start: {load_start}", flush=True)
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="tracker-insert-costs-") as tmp:
        workdir = Path(tmp)
        captured, template = capture(args.rows, workdir)
        lines = captured * args.repeat
        print(f"{len(lines):,} lines ({len(captured):,} captured x {args.repeat})", flush=True)
        if "sqlite" in wanted:
            for variant, statements in SQLITE_VARIANTS.items():
                out = sqlite_variant(statements, lines, template, workdir)
                results.append({"database": "sqlite", "variant": variant, **out})
                print(f"sqlite      {variant:<30} {out}", flush=True)
        if server is not None:
            for variant, statements in PG_VARIANTS.items():
                pg_out = pg_variant(statements, lines, template, server)
                results.append({"database": "postgresql", "variant": variant, **pg_out})
                print(f"postgresql  {variant:<30} {pg_out}", flush=True)
    load_end = [round(x, 2) for x in os.getloadavg()]
    print(f"load average at the end: {load_end}")
    report = json.loads(RESULTS_FILE.read_text(encoding="utf-8")) if RESULTS_FILE.exists() else {}
    report["insert_costs"] = {
        **run_header(),
        "load_average": {"start": load_start, "end": load_end},
        "lines": len(lines),
        "results": results,
    }
    RESULTS_FILE.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
