"""Import benchmark: the tracker's spend import against a bare reader + driver baseline.

Run ``make bench`` or ``python -m bench.import_bench [--rows N]``. It generates (once, under
``bench/out/``) a council-style CSV of 1,000,000 rows and an .xlsx of 200,000 rows, then for
each file measures, every measurement in a fresh subprocess so that peak RSS is its own:

- ``read``: the fastest raw reader alone (``csv`` module; python-calamine for .xlsx);
- ``parse``: ``tracker.importers.parse_spend_file`` alone (no database);
- per database (SQLite temp file; PostgreSQL when reachable):
  - ``baseline``: the raw reader plus a bare bulk insert of the same rows with the driver
    alone (sqlite3 ``executemany``; psycopg ``COPY``) into a plain table of the file's columns;
  - ``import``: ``tracker.services.imports.import_spend_file`` into a migrated database,
    one transaction, commit included, with the time split by phase.

It prints a table (rows, seconds, rows/s, peak RSS, ratio to the baseline) and writes
``bench/results.json``. PostgreSQL: ``TRACKER_BENCH_POSTGRES_URL`` (a server URL; default
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``); a temporary database is created
and dropped for every measurement.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import itertools
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

if not __package__:  # run as ``python bench/import_bench.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
RESULTS_FILE = BENCH_DIR / "results.json"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
AUTHORITY = "BENCH"
SEED = 20240401
HEADERS = (
    "Body Name", "Payment Date", "Transaction Number", "Supplier Name", "Amount",
    "Expense Type", "Service Area", "SIC code",
)  # fmt: skip
GOAL_RATIO = 2.0

# --------------------------------------------------------------------------- data


_SYLLABLES = (
    "ash", "bram", "cal", "dun", "el", "fen", "gil", "hart", "ing", "kel", "lor", "mer",
    "nor", "ost", "pen", "quar", "ros", "sal", "tam", "ul", "ven", "wick", "yar", "zel",
)  # fmt: skip
_TRADES = (
    "Catering", "Building Services", "Waste Solutions", "Care Homes", "Transport", "Consulting",
    "Print", "Cleaning", "Fuels", "IT Systems", "Grounds Maintenance", "Legal", "Stationery",
    "Energy", "Security", "Highways", "Plant Hire", "Recruitment", "Training", "Removals",
)  # fmt: skip
_SUFFIXES = ("Ltd", "Limited", "plc", "LLP", "& Co", "Ltd.", "", "Group Ltd", "CIC")
_EXPENSE_TYPES = (
    "Agency Staff", "Building Repairs", "Catering Provisions", "Consultancy Fees",
    "Electricity", "Equipment Purchase", "Fuel", "Gas", "Grounds Maintenance", "Hired Transport",
    "ICT Software", "ICT Hardware", "Legal Fees", "Printing", "Private Contractors",
    "Residential Care", "Stationery", "Vehicle Repairs", "Waste Disposal", "Water Charges",
)  # fmt: skip
_SERVICE_AREAS = (
    "Adult Social Care", "Children's Services", "Corporate Resources", "Environment",
    "Highways and Transport", "Housing", "Leisure and Culture", "Public Health", "Schools",
)  # fmt: skip

Row = tuple[str, dt.date, str, str, float, str, str, str]


def _supplier_names(rng: random.Random, count: int = 5_000) -> list[str]:
    names: dict[str, None] = {}
    while len(names) < count:
        stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).title()
        name = f"{stem} {rng.choice(_TRADES)} {rng.choice(_SUFFIXES)}".strip()
        names.setdefault(name)
    return list(names)


def generate_rows(count: int, seed: int = SEED) -> Iterator[Row]:
    """Deterministic invented spend rows (same seed, same rows)."""
    rng = random.Random(seed)
    suppliers = _supplier_names(rng)
    sics = [f"{rng.randrange(1_000, 99_999):05d}" if rng.random() < 0.7 else "" for _ in suppliers]
    start = dt.date(2021, 4, 1)
    for i in range(count):
        pick = int(len(suppliers) * rng.random() ** 2)  # a few big suppliers, a long tail
        amount = round(min(rng.lognormvariate(6.5, 1.6), 4_000_000.0), 2)
        if rng.random() < 0.04:
            amount = -amount  # credit notes
        yield (
            "Example Borough Council",
            start + dt.timedelta(days=rng.randrange(3 * 365)),
            f"TX{i + 1:08d}",
            suppliers[pick],
            amount,
            rng.choice(_EXPENSE_TYPES),
            rng.choice(_SERVICE_AREAS),
            sics[pick],
        )


def _amount_text(rng: random.Random, amount: float) -> str:
    roll = rng.random()
    if roll < 0.65:
        return f"{amount:.2f}"
    if roll < 0.9:
        return f"£{amount:,.2f}" if amount >= 0 else f"-£{-amount:,.2f}"
    return f"{amount:,.2f}"


def write_csv(path: Path, count: int) -> None:
    rng = random.Random(SEED + 1)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for body, day, tid, supplier, amount, expense, area, sic in generate_rows(count):
            writer.writerow(
                (body, f"{day:%d/%m/%Y}", tid, supplier, _amount_text(rng, amount), expense,
                 area, sic)
            )  # fmt: skip
    tmp.replace(path)


def write_xlsx(path: Path, count: int) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Spend")
    sheet.append(list(HEADERS))
    for body, day, tid, supplier, amount, expense, area, sic in generate_rows(count):
        date_cell = WriteOnlyCell(sheet, value=day)
        date_cell.number_format = "DD/MM/YYYY"
        sheet.append([body, date_cell, tid, supplier, amount, expense, area, sic])
    tmp = path.with_suffix(".tmp")
    workbook.save(tmp)
    tmp.replace(path)


def bench_file(kind: str, rows: int) -> Path:
    """The cached generated file of ``rows`` data rows, generating it when missing."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"spend_{rows}.{kind}"
    if not path.exists():
        print(f"generating {path.relative_to(REPO_DIR)} ({rows:,} rows)...", flush=True)
        started = time.perf_counter()
        (write_csv if kind == "csv" else write_xlsx)(path, rows)
        print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)
    return path


# --------------------------------------------------------------------------- children


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _current_rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _raw_rows(path: Path) -> tuple[list[str], Iterator[Sequence[Any]], Callable[[], None]]:
    """Header and data rows from the fastest reader; call the third item to close."""
    if path.suffix == ".csv":
        handle = path.open("r", encoding="utf-8", newline="")
        reader = csv.reader(handle)
        return next(reader), reader, handle.close
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    rows = iter(workbook.get_sheet_by_index(0).iter_rows())
    return [str(h) for h in next(rows)], rows, workbook.close


_SQL_TYPES = {str: "TEXT", float: "DOUBLE PRECISION", int: "BIGINT", bool: "BOOLEAN",
              dt.date: "DATE", dt.datetime: "TIMESTAMP"}  # fmt: skip


def _plain_table(headers: Sequence[str], first: Sequence[Any]) -> tuple[str, str]:
    columns = [f"c{i}" for i in range(len(headers))]
    types = [_SQL_TYPES.get(type(value), "TEXT") for value in first]
    create = "CREATE TABLE bench_raw ({})".format(
        ", ".join(f"{c} {t}" for c, t in zip(columns, types, strict=True))
    )
    return create, ", ".join(columns)


def child_read(path: Path) -> dict[str, Any]:
    started = time.perf_counter()
    _, rows, close = _raw_rows(path)
    count = sum(1 for _ in rows)
    close()
    return {"rows": count, "seconds": time.perf_counter() - started}


def child_baseline(path: Path, url: str) -> dict[str, Any]:
    from sqlalchemy.engine import make_url

    started = time.perf_counter()
    headers, rows, close = _raw_rows(path)
    first = next(rows)
    create, columns = _plain_table(headers, first)
    counter = itertools.count(1)
    counted = ((next(counter), row)[1] for row in itertools.chain([first], rows))
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        import sqlite3

        conn = sqlite3.connect(str(parsed.database), isolation_level=None)
        conn.execute(create)
        conn.execute("BEGIN")
        marks = ", ".join("?" * len(headers))
        conn.executemany(f"INSERT INTO bench_raw ({columns}) VALUES ({marks})", counted)
        conn.execute("COMMIT")
        conn.close()
    else:
        import psycopg

        libpq = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(libpq) as pg:
            with pg.cursor() as cur:
                cur.execute(create)
                with cur.copy(f"COPY bench_raw ({columns}) FROM STDIN") as copy:
                    for row in counted:
                        copy.write_row(row)
            pg.commit()
    close()
    return {"rows": next(counter) - 1, "seconds": time.perf_counter() - started}


def child_parse(path: Path) -> dict[str, Any]:
    from tracker.importers import parse_spend_file

    started = time.perf_counter()
    parsed = parse_spend_file(path)
    seconds = time.perf_counter() - started
    return {"rows": len(parsed.records), "seconds": seconds, "rejected": len(parsed.errors)}


def _time_calls(phases: dict[str, float], module: Any, name: str, label: str) -> None:
    """Replace ``module.name`` (a function of a module, or a class's method) by a wrapper
    adding its run time to ``phases[label]``."""
    original = getattr(module, name, None)
    if original is None:
        return

    @functools.wraps(original)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            phases[label] = phases.get(label, 0.0) + time.perf_counter() - started

    setattr(module, name, timed)


def child_import(path: Path, url: str, data_dir: Path) -> dict[str, Any]:
    from tracker.db import make_engine, make_session_factory, session_scope
    from tracker.importers import parse
    from tracker.services import imports, overlaps
    from tracker.services.authorities import get_authority
    from tracker.storage import rawfiles

    phases: dict[str, float] = {}
    # The file is read, checked and stored chunk by chunk: each phase sums its chunks.
    for module, name, label in (
        (rawfiles, "sha256_of", "sha256 + raw copy"),
        (rawfiles, "store", "sha256 + raw copy"),
        (imports, "_parse", "parse"),
        (parse._Body, "feed", "parse"),
        (parse._Body, "finish", "parse"),
        (overlaps.OverlapFinder, "check", "overlap check"),
        (imports, "_supplier_ids", "suppliers"),
        (imports, "_insert_lines", "insert lines"),
        (imports, "save_mapping", "save mapping"),
    ):
        _time_calls(phases, module, name, label)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:  # warm the pool; not timed
        get_authority(session, AUTHORITY)
    started = time.perf_counter()
    with session_scope(factory) as session:
        authority = get_authority(session, AUTHORITY)
        result = imports.import_spend_file(
            session, authority=authority, path=path, data_dir=data_dir
        )
        before_commit = time.perf_counter()
    finished = time.perf_counter()
    phases["commit"] = finished - before_commit
    phases["other"] = max(0.0, (finished - started) - sum(phases.values()))
    engine.dispose()
    return {
        "rows": result.rows_imported,
        "seconds": finished - started,
        "rejected": result.rows_rejected,
        "phases": {k: round(v, 3) for k, v in phases.items()},
    }


def run_child_main(argv: Sequence[str]) -> None:
    kind, path = argv[0], Path(argv[1])
    base = _current_rss_mb()
    if kind == "read":
        out = child_read(path)
    elif kind == "parse":
        out = child_parse(path)
    elif kind == "baseline":
        out = child_baseline(path, argv[2])
    elif kind == "import":
        out = child_import(path, argv[2], Path(argv[3]))
    else:
        raise SystemExit(f"unknown measurement {kind!r}")
    out["start_rss_mb"] = round(base, 1)
    out["peak_rss_mb"] = round(_peak_rss_mb(), 1)
    print(json.dumps(out))


# --------------------------------------------------------------------------- databases


class Database:
    """A throw-away database for one measurement (a SQLite file or a PostgreSQL database)."""

    def __init__(self, backend: str, server_url: str, workdir: Path) -> None:
        self.backend = backend
        self.server_url = server_url
        self.workdir = workdir
        self.url = ""
        self._pg_name = ""

    def create(self, *, migrated: bool) -> str:
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        from tracker import migrate
        from tracker.db import make_engine, make_session_factory, session_scope
        from tracker.services.authorities import add_authority

        if self.backend == "sqlite":
            path = self.workdir / f"bench-{uuid.uuid4().hex[:8]}.db"
            self.url = f"sqlite:///{path}"
        else:
            self._pg_name = f"tracker_bench_{uuid.uuid4().hex[:12]}"
            admin = make_engine(self.server_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{self._pg_name}"'))
            admin.dispose()
            server = make_url(self.server_url)
            self.url = server.set(database=self._pg_name).render_as_string(hide_password=False)
        if migrated:
            engine = make_engine(self.url)
            migrate.upgrade(engine)
            with session_scope(make_session_factory(engine)) as session:
                add_authority(session, code=AUTHORITY, name="Example Borough Council")
            engine.dispose()
        return self.url

    def drop(self) -> None:
        from sqlalchemy import text

        from tracker.db import make_engine

        if self.backend == "sqlite":
            path = Path(self.url.removeprefix("sqlite:///"))
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return
        admin = make_engine(self.server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self._pg_name}" WITH (FORCE)'))
        admin.dispose()


def postgres_server() -> str | None:
    from sqlalchemy import text

    from tracker.db import make_engine

    url = os.environ.get("TRACKER_BENCH_POSTGRES_URL", DEFAULT_PG)
    try:
        engine = make_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        print(f"PostgreSQL not reachable at {url} ({type(exc).__name__}); SQLite only.")
        return None
    return url


def database_servers(databases: str) -> dict[str, str]:
    """The databases of a comma-separated ``--databases`` value that can be reached, with
    their server URL (empty for SQLite); PostgreSQL is left out when not reachable."""
    servers: dict[str, str] = {}
    for backend in (b.strip() for b in databases.split(",") if b.strip()):
        if backend == "sqlite":
            servers[backend] = ""
        elif backend == "postgresql" and (server := postgres_server()) is not None:
            servers[backend] = server
    return servers


# --------------------------------------------------------------------------- parent


def run_header() -> dict[str, Any]:
    """When and on what a benchmark ran (the head of each entry in results.json)."""
    return {
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
    }


def measure(kind: str, *args: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.import_bench", "--child", kind, *args]
    done = subprocess.run(command, cwd=REPO_DIR, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"measurement {kind} {args} failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _row(label: str, db: str, what: str, out: dict[str, Any], base: float | None) -> dict[str, Any]:
    seconds = float(out["seconds"])
    entry = {
        "file": label,
        "database": db,
        "measurement": what,
        "rows": out["rows"],
        "seconds": round(seconds, 3),
        "rows_per_second": round(out["rows"] / seconds) if seconds else None,
        "peak_rss_mb": out["peak_rss_mb"],
        "start_rss_mb": out["start_rss_mb"],
        "ratio_to_baseline": round(seconds / base, 2) if base else None,
    }
    for key in ("phases", "rejected"):
        if key in out:
            entry[key] = out[key]
    print(_format(entry), flush=True)
    return entry


_COLUMNS = "{:<10} {:<10} {:<11} {:>9} {:>9} {:>10} {:>9} {:>8}"


def _format(entry: dict[str, Any]) -> str:
    ratio = entry["ratio_to_baseline"]
    return _COLUMNS.format(
        entry["file"], entry["database"], entry["measurement"], f"{entry['rows']:,}",
        f"{entry['seconds']:.2f}", f"{entry['rows_per_second'] or 0:,}",
        f"{entry['peak_rss_mb']:.0f}", "" if ratio is None else f"{ratio:.2f}x",
    )  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000, help="CSV data rows")
    parser.add_argument("--xlsx-rows", type=int, help="xlsx data rows (default: rows / 5)")
    parser.add_argument("--formats", default="csv,xlsx", help="comma-separated: csv,xlsx")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        run_child_main(args.child)
        return 0
    xlsx_rows = args.xlsx_rows if args.xlsx_rows is not None else max(1, args.rows // 5)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    servers = database_servers(args.databases)
    backends = list(servers)
    files = {kind: bench_file(kind, args.rows if kind == "csv" else xlsx_rows) for kind in formats}
    # The machine is shared: the load average says how far this run's seconds compare
    # with another run's (each import is compared with its own baseline regardless).
    load_start = [round(x, 2) for x in os.getloadavg()]
    print(f"\nload average at the start: {load_start}")
    print(_COLUMNS.format("file", "database", "what", "rows", "seconds", "rows/s", "peak MB",
                          "vs base"))  # fmt: skip
    entries: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as tmp:
        workdir = Path(tmp)
        for kind, path in files.items():
            label = f"{kind}-{(args.rows if kind == 'csv' else xlsx_rows) // 1000}k"
            read = measure("read", str(path))
            entries.append(_row(label, "-", "read", read, None))
            entries.append(_row(label, "-", "parse", measure("parse", str(path)), read["seconds"]))
            for backend in backends:
                db = Database(backend, servers[backend], workdir)
                try:
                    base = measure("baseline", str(path), db.create(migrated=False))
                finally:
                    db.drop()
                entries.append(_row(label, backend, "baseline", base, None))
                db = Database(backend, servers[backend], workdir)
                try:
                    data_dir = workdir / f"data-{uuid.uuid4().hex[:8]}"
                    out = measure("import", str(path), db.create(migrated=True), str(data_dir))
                finally:
                    db.drop()
                entries.append(_row(label, backend, "import", out, base["seconds"]))
                phases = ", ".join(f"{k} {v:.2f}s" for k, v in out["phases"].items())
                print(f"{'':>32}phases: {phases}", flush=True)
    print()
    print("'parse' is compared with 'read'; 'import' with the same database's 'baseline'.")
    print(f"Goal: import within {GOAL_RATIO:.0f}x of the baseline.")
    load_end = [round(x, 2) for x in os.getloadavg()]
    print(f"load average at the end: {load_end}")
    report = {
        **run_header(),
        "load_average": {"start": load_start, "end": load_end},
        "rows": {"csv": args.rows, "xlsx": xlsx_rows},
        "results": entries,
    }
    # Other benchmarks keep their results under their own keys of the same file.
    if RESULTS_FILE.exists():
        report = json.loads(RESULTS_FILE.read_text(encoding="utf-8")) | report
    RESULTS_FILE.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"results written to {RESULTS_FILE.relative_to(REPO_DIR)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
