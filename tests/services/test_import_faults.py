"""Faults during imports, on SQLite and PostgreSQL: concurrent imports for one authority,
a process killed mid-import, a raw-file store that cannot take the file, and a database
that cannot be reached. Each ends with a clear error and nothing half-stored."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import cli_for, cli_with_authority
from driver_faults import fail_bulk_inserts
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.db import make_engine, make_session_factory, session_scope
from tracker.errors import (
    DatabaseBusyError,
    DatabaseUnavailableError,
    DuplicateImportError,
    RawFileStoreError,
    TrackerError,
)
from tracker.models import Authority, ImportBatch, SpendLine
from tracker.services import imports
from tracker.services.authorities import add_authority, list_authorities
from tracker.storage import rawfiles

REPO_ROOT = Path(__file__).resolve().parents[2]


def _csv(path: Path, rows: range, supplier: str = "Acme Ltd") -> Path:
    """One line per row number n: date 2023-05-(n % 28 + 1), amount n + 0.50, reference Tn."""
    with path.open("w", encoding="utf-8") as out:
        out.write("Date,Supplier,Amount,Transaction Number\n")
        for n in rows:
            out.write(f"2023-05-{n % 28 + 1:02d},{supplier},{n}.50,T{n}\n")
    return path


def _new_authority(engine: Engine) -> int:
    with session_scope(make_session_factory(engine)) as session:
        return add_authority(session, code="Z" + uuid.uuid4().hex[:7], name="Faults").id


def _import(engine: Engine, authority_id: int, path: Path, data_dir: Path) -> Any:
    with session_scope(make_session_factory(engine)) as session:
        authority = session.get_one(Authority, authority_id)
        return imports.import_spend_file(session, authority=authority, path=path, data_dir=data_dir)


def _stored(engine: Engine, authority_id: int) -> tuple[int, int, Decimal]:
    """(live batches, lines, total amount) stored for the authority."""
    with engine.connect() as conn:
        batches = conn.scalar(
            select(func.count())
            .select_from(ImportBatch)
            .where(ImportBatch.authority_id == authority_id, ImportBatch.status == "imported")
        )
        lines, total = conn.execute(
            select(func.count(), func.coalesce(func.sum(SpendLine.amount), 0)).where(
                SpendLine.authority_id == authority_id
            )
        ).one()
    return int(batches or 0), int(lines), Decimal(str(total)).quantize(Decimal("0.01"))


def _race(*jobs: Callable[[], Any]) -> list[Any]:
    """Run the jobs in threads released together; each result is a value or the exception."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = jobs[i]()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_the_same_file_imported_twice_at_once_is_stored_once(
    engine: Engine, tmp_path: Path
) -> None:
    authority_id = _new_authority(engine)
    path = _csv(tmp_path / "same.csv", range(1, 2001))
    results = _race(*[lambda: _import(engine, authority_id, path, tmp_path / "store")] * 2)
    done = [r for r in results if isinstance(r, imports.ImportResult)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(done) == 1, results
    # PostgreSQL: the second waits for the first and is told the file is already imported;
    # SQLite: the second writer loses the race for the database and is told to try again.
    assert len(refused) == 1 and isinstance(refused[0], DuplicateImportError | DatabaseBusyError)
    # Rows 1..2000, each n + 0.50: 2000 * 2001 / 2 + 2000 * 0.50 = 2,002,000.
    assert _stored(engine, authority_id) == (1, 2000, Decimal("2002000.00"))


def test_overlapping_files_imported_at_once_are_not_double_counted(
    engine: Engine, tmp_path: Path
) -> None:
    authority_id = _new_authority(engine)
    first = _csv(tmp_path / "april-may.csv", range(1, 1001))
    second = _csv(tmp_path / "may-june.csv", range(501, 1501))  # rows 501..1000 in both
    results = _race(
        lambda: _import(engine, authority_id, first, tmp_path / "store"),
        lambda: _import(engine, authority_id, second, tmp_path / "store"),
    )
    done = [r for r in results if isinstance(r, imports.ImportResult)]
    assert len(done) == 1, results
    refused = next(r for r in results if isinstance(r, Exception))
    assert isinstance(refused, imports.OverlapError | DatabaseBusyError), refused
    # Whichever won holds 1000 rows: 1..1000 sum to 500,500 (+500.00), 501..1500 to
    # 1,000,500 (+500.00).
    expected = {"april-may.csv": Decimal("501000.00"), "may-june.csv": Decimal("1001000.00")}
    assert _stored(engine, authority_id) == (1, 1000, expected[done[0].file_name])


def test_separate_files_imported_at_once_both_complete_or_one_is_refused(
    engine: Engine, tmp_path: Path
) -> None:
    authority_id = _new_authority(engine)
    files = [_csv(tmp_path / "a.csv", range(1, 501)), _csv(tmp_path / "b.csv", range(501, 1001))]
    results = _race(*[lambda p=p: _import(engine, authority_id, p, tmp_path / "s") for p in files])
    done = [r for r in results if isinstance(r, imports.ImportResult)]
    if engine.dialect.name == "postgresql":
        assert len(done) == 2, results  # the authority lock queues the second behind the first
    assert all(isinstance(r, DatabaseBusyError) for r in results if r not in done)
    # 1..500 (+0.50 each) sum to 125,500; 501..1000 to 375,500.
    totals = {"a.csv": Decimal("125500.00"), "b.csv": Decimal("375500.00")}
    assert _stored(engine, authority_id) == (
        len(done),
        500 * len(done),
        sum((totals[r.file_name] for r in done), Decimal("0.00")),
    )


def test_the_live_sha256_index_refuses_a_second_live_batch(session: Session) -> None:
    authority = add_authority(session, code="U" + uuid.uuid4().hex[:6], name="Index")

    def batch(status: str) -> ImportBatch:
        return ImportBatch(
            authority_id=authority.id, file_name="f.csv", sha256="ab" * 32, size_bytes=1,
            status=status, file_format="csv", header_row=1, column_mapping={},
            amount_rule="amount", rows_read=0, rows_imported=0, rows_rejected=0,
            rows_skipped=0, total_amount=0, report={},
        )  # fmt: skip

    session.add_all([batch("deleted"), batch("imported")])
    session.flush()  # a deleted batch does not count
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(batch("imported"))
        session.flush()


def _writer_started(engine: Engine) -> bool:
    """Whether another connection holds an open write transaction on spend lines."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            return bool(
                conn.scalar(
                    text(
                        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                        "WHERE c.relname = 'spend_line' AND l.mode = 'RowExclusiveLock' "
                        "AND l.pid <> pg_backend_pid()"
                    )
                )
            )
    raw = engine.raw_connection()
    try:
        raw.execute("PRAGMA busy_timeout=0")
        try:
            raw.execute("BEGIN IMMEDIATE")
        except Exception:
            return True  # the import holds SQLite's write lock: its batch row is written
        raw.execute("ROLLBACK")
        return False
    finally:
        raw.execute("PRAGMA busy_timeout=10000")
        raw.close()


def test_an_import_killed_midway_leaves_nothing_and_can_run_again(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    authority_id = _new_authority(engine)
    with engine.connect() as conn:
        code = conn.scalar(select(Authority.code).where(Authority.id == authority_id))
    rows = 100_000
    path = _csv(tmp_path / "big.csv", range(1, rows + 1))
    store = tmp_path / "store"
    env = {**os.environ, "TRACKER_DATABASE_URL": db_url, "TRACKER_DATA_DIR": str(store)}
    child = subprocess.Popen(
        [sys.executable, "-m", "tracker", "import", str(path), "--authority", str(code)],
        env=env,
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not _writer_started(engine):
            assert child.poll() is None, "the import ended before it was seen writing"
            assert time.monotonic() < deadline, "the import never started writing"
            time.sleep(0.02)
        time.sleep(0.5)  # into the lines
        assert child.poll() is None, "the import finished before it could be killed"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    if engine.dialect.name == "postgresql":  # the server notices the dead client
        _wait_for_backend_gone(engine)
    assert _stored(engine, authority_id) == (0, 0, Decimal("0.00"))
    assert not rawfiles.stored_path(store, rawfiles.sha256_of(path)).exists()

    result = _import(engine, authority_id, path, store)
    # 1..100,000 (+0.50 each): 100000 * 100001 / 2 + 50,000 = 5,000,100,000.
    assert (result.rows_imported, result.total_amount) == (rows, Decimal("5000100000.00"))
    assert _stored(engine, authority_id) == (1, rows, Decimal("5000100000.00"))


def _wait_for_backend_gone(engine: Engine) -> None:
    deadline = time.monotonic() + 30
    while _writer_started(engine):
        assert time.monotonic() < deadline, "the killed import's transaction is still open"
        time.sleep(0.05)


def test_an_unwritable_raw_file_store_refuses_the_import(engine: Engine, tmp_path: Path) -> None:
    authority_id = _new_authority(engine)
    path = _csv(tmp_path / "spend.csv", range(1, 11))
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the store's folder should be")
    # (A read-only folder does not stop root, who runs CI; a file in the way stops anyone.)
    with pytest.raises(RawFileStoreError, match=r"spend\.csv: the uploaded file cannot be kept"):
        _import(engine, authority_id, path, blocked / "store")
    assert _stored(engine, authority_id) == (0, 0, Decimal("0.00"))


def test_a_full_raw_file_store_refuses_the_import(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    authority_id = _new_authority(engine)
    path = _csv(tmp_path / "spend.csv", range(1, 11))
    store = tmp_path / "store"

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(rawfiles.shutil, "copyfileobj", disk_full)
    with pytest.raises(RawFileStoreError, match="No space left on device"):
        _import(engine, authority_id, path, store)
    assert _stored(engine, authority_id) == (0, 0, Decimal("0.00"))
    assert [p for p in store.rglob("*") if p.is_file()] == []  # no partial or temp file

    monkeypatch.undo()  # space freed: the same file imports
    assert _import(engine, authority_id, path, store).rows_imported == 10


def _unreachable_url(db_url: str) -> str:
    if db_url.startswith("sqlite"):
        return f"sqlite:///{REPO_ROOT}"  # a folder, not a database file
    return "postgresql+psycopg://postgres@127.0.0.1:1/postgres?connect_timeout=3"


def test_an_unreachable_database_gives_a_clear_error(db_url: str) -> None:
    engine = make_engine(_unreachable_url(db_url))
    try:
        with (
            pytest.raises(DatabaseUnavailableError, match="cannot be reached"),
            session_scope(make_session_factory(engine)) as session,
        ):
            list_authorities(session)
    finally:
        engine.dispose()


def test_the_cli_reports_an_unreachable_database_in_one_line(db_url: str, tmp_path: Path) -> None:
    result = cli_for(_unreachable_url(db_url), tmp_path).run("authority", "list", ok=False)
    assert result.exit_code == 2
    assert result.output.startswith("Error: The database cannot be reached")
    assert "Traceback" not in result.output


def test_tracker_serve_reports_an_unreachable_database_in_one_line(
    db_url: str, tmp_path: Path
) -> None:
    """Like every other command (issue 15, finding 11): no traceback, exit status 2."""
    result = cli_for(_unreachable_url(db_url), tmp_path).run("serve", "--port", "1", ok=False)
    assert result.exit_code == 2
    assert result.output.startswith("Error: The database cannot be reached")
    assert "Traceback" not in result.output


def test_a_driver_error_in_the_bulk_insert_is_a_database_fault(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Spend lines go in through the driver's own COPY (PostgreSQL) or executemany
    (SQLite); the driver's error there is reported as a database fault in one line, as
    it is for any other statement (issue 15, finding 11)."""
    tracker, code = cli_with_authority(db_url, tmp_path, "Faults")
    fail_bulk_inserts(monkeypatch, "postgresql" if db_url.startswith("postgresql") else "sqlite")
    result = tracker.run("import", str(_csv(tmp_path / "s.csv", range(3))), "--authority", code,
                         ok=False)  # fmt: skip
    assert result.exit_code == 2
    assert result.output.startswith("Error: The database cannot be reached")
    assert "Traceback" not in result.output
    assert tracker.json("authority", "list", "--json")  # the database is usable afterwards


@pytest.mark.postgres
def test_a_connection_lost_mid_request_is_reported_and_recovered(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    factory = make_session_factory(engine)
    try:
        with (
            pytest.raises(DatabaseUnavailableError, match="connection was lost"),
            session_scope(factory) as session,
        ):
            pid = session.scalar(text("SELECT pg_backend_pid()"))
            with engine.connect() as admin:
                admin.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
            list_authorities(session)
        # The pool checks connections before use: the next request works.
        with session_scope(factory) as session:
            assert isinstance(list_authorities(session), list)
    finally:
        engine.dispose()


def test_tracker_errors_still_pass_through_session_scope(engine: Engine) -> None:
    with pytest.raises(TrackerError, match="plain"), session_scope(make_session_factory(engine)):
        raise TrackerError("plain")
