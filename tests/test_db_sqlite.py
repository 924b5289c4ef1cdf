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
