"""Settings, read once from the environment.

TRACKER_DATABASE_URL  SQLAlchemy URL; default: SQLite file ``tracker.db`` in the data home.
TRACKER_DATA_DIR      where uploaded raw files are kept (by sha256); default: beside the
                      SQLite file, or the data home for other databases.
TRACKER_HOME          the data home; default ``~/.local/share/netzero-tracker``.
TRACKER_MAX_UPLOAD_MB upload size limit in MiB (default 200).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url


def default_home() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "netzero-tracker"


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    max_upload_bytes: int

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ) if env is None else env
        home = Path(env["TRACKER_HOME"]) if env.get("TRACKER_HOME") else default_home()
        url = env.get("TRACKER_DATABASE_URL") or f"sqlite:///{home / 'tracker.db'}"
        if env.get("TRACKER_DATA_DIR"):
            data_dir = Path(env["TRACKER_DATA_DIR"])
        else:
            parsed = make_url(url)
            if parsed.get_backend_name() == "sqlite" and parsed.database not in (
                None,
                "",
                ":memory:",
            ):
                data_dir = Path(parsed.database).resolve().parent / "files"
            else:
                data_dir = home / "files"
        max_mb = int(env.get("TRACKER_MAX_UPLOAD_MB", "200"))
        return cls(database_url=url, data_dir=data_dir, max_upload_bytes=max_mb * 1024 * 1024)
