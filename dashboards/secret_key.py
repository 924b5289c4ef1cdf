"""The key that signs session cookies.

``TRACKER_SECRET_KEY`` when set (production: the same value for every server process).
Otherwise a random key is generated once and kept in ``secret_key`` in the data home
(``TRACKER_HOME``), readable by its owner only (mode 0600), so that sessions survive a
restart of ``tracker serve`` or ``make demo``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

KEY_FILE = "secret_key"
MIN_LENGTH = 32


def load_secret_key(home: Path, env_value: str | None) -> str:
    if env_value:
        if len(env_value) < MIN_LENGTH:
            raise ValueError(f"TRACKER_SECRET_KEY must have at least {MIN_LENGTH} characters")
        return env_value
    path = home / KEY_FILE
    if path.exists():
        key = path.read_text(encoding="ascii").strip()
        if len(key) >= MIN_LENGTH:
            return key
        path.unlink()
    home.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key
