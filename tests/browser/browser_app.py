"""What the browser tests know about the live app they drive."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PASSWORD = "browser test password"  # every browser-test user's password


@dataclass(frozen=True)
class LiveApp:
    url: str
    own: str  # the code of the officer's and viewer's authority
    other: str  # the code of an authority they may not see
    other_name: str
    emails: dict[str, str]  # role -> e-mail
    database_url: str = ""  # the app's database, for tests that change data under it
    data_dir: Path | None = None
