"""What the browser tests know about the live app they drive."""

from __future__ import annotations

from dataclasses import dataclass

PASSWORD = "browser test password"  # every browser-test user's password


@dataclass(frozen=True)
class LiveApp:
    url: str
    own: str  # the code of the officer's and viewer's authority
    other: str  # the code of an authority they may not see
    other_name: str
    emails: dict[str, str]  # role -> e-mail
