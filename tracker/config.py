"""Settings, read once from the environment.

TRACKER_DATABASE_URL  SQLAlchemy URL; default: SQLite file ``tracker.db`` in the data home.
TRACKER_DATA_DIR      where uploaded raw files are kept (by sha256); default: beside the
                      SQLite file, or the data home for other databases.
TRACKER_HOME          the data home; default ``~/.local/share/netzero-tracker``.
TRACKER_MAX_UPLOAD_MB upload size limit in MiB (default 200).
TRACKER_MAX_ROWS      most data rows one file may hold (default 2,000,000).
TRACKER_MAX_COLUMNS   most columns one file may hold (default 500).
TRACKER_MAX_CELL_CHARS    longest cell accepted, in characters (default 131,072).
TRACKER_MAX_UNZIPPED_MB   most an .xlsx/.ods may expand to, in MiB (default 1024).
TRACKER_MAX_ZIP_RATIO     most an .xlsx/.ods may expand, as a multiple of its size (100).
TRACKER_SECRET_KEY    signs dashboard session cookies; default: a key generated once and
                      kept in ``secret_key`` (mode 0600) in the data home.
TRACKER_COOKIE_SECURE ``1`` to send the session cookie over HTTPS only (set it behind TLS).
TRACKER_TRUSTED_PROXIES   comma-separated addresses or networks of the reverse proxies in
                      front of the dashboard; ``X-Forwarded-For`` is read only from them
                      (default: none, the header is ignored).
TRACKER_JUMP_RISE     a year is flagged when its emissions or intensity are more than this
                      many times the year before's (default 2).
TRACKER_JUMP_FALL     ... or less than this fraction of it (default 0.5: a fall of over 50 %).
TRACKER_OUTLIER_SPREAD    an authority is flagged on /compare when its figure is more than
                      this many times the group median, or under the median divided by it
                      (default 3). See tracker.domain.plausibility.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy.engine import make_url

from tracker.domain.plausibility import FALL, RISE, SPREAD, Limits, limit_problem
from tracker.importers.limits import (
    MAX_BYTES,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNZIPPED_BYTES,
    MAX_ZIP_RATIO,
    ImportLimits,
)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def default_home() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "netzero-tracker"


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    max_upload_bytes: int
    max_rows: int = MAX_ROWS
    max_columns: int = MAX_COLUMNS
    max_cell_chars: int = MAX_CELL_CHARS
    max_unzipped_bytes: int = MAX_UNZIPPED_BYTES
    max_zip_ratio: int = MAX_ZIP_RATIO
    home: Path = field(default_factory=default_home)
    secret_key: str | None = None
    cookie_secure: bool = False
    trusted_proxies: tuple[Network, ...] = ()
    # when a year or an authority is flagged as implausible (tracker.domain.plausibility)
    plausibility: Limits = field(default_factory=Limits)

    def import_limits(self) -> ImportLimits:
        """The limits an import (of spend or contracts) is held to."""
        return ImportLimits(
            max_bytes=self.max_upload_bytes,
            max_rows=self.max_rows,
            max_columns=self.max_columns,
            max_cell_chars=self.max_cell_chars,
            max_unzipped_bytes=self.max_unzipped_bytes,
            max_zip_ratio=self.max_zip_ratio,
        )

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
        return cls(
            database_url=url,
            data_dir=data_dir,
            max_upload_bytes=_int(env, "TRACKER_MAX_UPLOAD_MB", MAX_BYTES // (1024 * 1024))
            * 1024
            * 1024,
            max_rows=_int(env, "TRACKER_MAX_ROWS", MAX_ROWS),
            max_columns=_int(env, "TRACKER_MAX_COLUMNS", MAX_COLUMNS),
            max_cell_chars=_int(env, "TRACKER_MAX_CELL_CHARS", MAX_CELL_CHARS),
            max_unzipped_bytes=_int(
                env, "TRACKER_MAX_UNZIPPED_MB", MAX_UNZIPPED_BYTES // (1024 * 1024)
            )
            * 1024
            * 1024,
            max_zip_ratio=_int(env, "TRACKER_MAX_ZIP_RATIO", MAX_ZIP_RATIO),
            home=home,
            secret_key=env.get("TRACKER_SECRET_KEY") or None,
            cookie_secure=env.get("TRACKER_COOKIE_SECURE", "") in ("1", "true", "yes"),
            trusted_proxies=parse_trusted_proxies(env.get("TRACKER_TRUSTED_PROXIES", "")),
            plausibility=plausibility_limits(env),
        )


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    if value <= 0:
        raise ValueError(f"{name} must be positive, not {value}")
    return value


def plausibility_limits(env: dict[str, str]) -> Limits:
    """``TRACKER_JUMP_RISE``, ``TRACKER_JUMP_FALL`` and ``TRACKER_OUTLIER_SPREAD``."""
    values = {}
    for name, variable, default in (
        ("rise", "TRACKER_JUMP_RISE", RISE),
        ("fall", "TRACKER_JUMP_FALL", FALL),
        ("spread", "TRACKER_OUTLIER_SPREAD", SPREAD),
    ):
        values[name] = _decimal(env, variable, default)
        problem = limit_problem(name, values[name])
        if problem:
            raise ValueError(f"{variable} {problem}")
    return Limits(**values)


def _decimal(env: dict[str, str], name: str, default: Decimal) -> Decimal:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"{name} must be a number such as 2 or 0.5, not {raw!r}") from None
    if not value.is_finite():
        raise ValueError(f"{name} must be a number such as 2 or 0.5, not {raw!r}")
    return value


def parse_trusted_proxies(value: str) -> tuple[Network, ...]:
    """``TRACKER_TRUSTED_PROXIES``: comma-separated addresses or networks
    (``10.0.0.5, 192.168.0.0/24, ::1``)."""
    networks = []
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(
                f"TRACKER_TRUSTED_PROXIES: {part!r} is not an IP address or network "
                "(e.g. 10.0.0.5 or 10.0.0.0/24)"
            ) from None
    return tuple(networks)
