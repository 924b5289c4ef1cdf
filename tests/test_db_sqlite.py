"""SQLite connection settings made by tracker.db.make_engine."""

from __future__ import annotations

from pathlib import Path

from tracker.db import make_engine


def test_connections_keep_a_64_mib_page_cache(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'cache.db'}")
    with engine.connect() as conn:
        # A negative cache_size is in KiB: 64 MiB (SQLite's default is 2 MiB).
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -65_536
    engine.dispose()


def test_a_new_database_file_is_private_to_its_owner(tmp_path: Path) -> None:
    """Issue 15, finding 12: the file holding password hashes was created 0644."""
    path = tmp_path / "new" / "tracker.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        for made in (path, path.with_name("tracker.db-wal"), path.with_name("tracker.db-shm")):
            assert made.stat().st_mode & 0o777 == 0o600, made
    engine.dispose()


def test_an_existing_database_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    path.touch(mode=0o640)
    path.chmod(0o640)
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
    assert path.stat().st_mode & 0o777 == 0o640
    engine.dispose()
