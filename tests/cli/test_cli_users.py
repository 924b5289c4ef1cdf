"""`tracker user add|password|role|list`, with the password read from standard input."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import TrackerCli, cli_for
from click.testing import CliRunner

from tracker.cli import cli


def _run(t: TrackerCli, *args: str, stdin: str = "") -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=t.env, input=stdin)
    return result.exit_code, result.output


def test_user_add_list_and_password(db_url: str, tmp_path: Path) -> None:
    if db_url.startswith("sqlite"):
        db_url = f"sqlite:///{tmp_path / 'users.db'}"
    t = cli_for(db_url, tmp_path / "files")
    t.run("db", "upgrade")
    t.run("authority", "add", "USR", "--name", "User Test Council")
    code, out = _run(
        t, "user", "add", "admin@example.org", "--role", "admin", stdin="wobbly ladder key 1\n"
    )
    assert code == 0, out
    code, out = _run(
        t,
        "user",
        "add",
        "o@example.org",
        "--role",
        "officer",
        "--authority",
        "USR",
        stdin="officer password 1\n",
    )
    assert code == 0, out
    # A viewer without an authority, and a short password, are refused with status 2.
    code, out = _run(
        t, "user", "add", "v@example.org", "--role", "viewer", stdin="viewer password 1\n"
    )
    assert code == 2 and "--authority" in out
    code, out = _run(t, "user", "add", "w@example.org", "--role", "admin", stdin="short\n")
    assert code == 2 and "at least 12" in out
    rows = json.loads(t.run("user", "list", "--json").stdout)
    assert [(r["email"], r["role"], r["authority"]) for r in rows] == [
        ("admin@example.org", "admin", None),
        ("o@example.org", "officer", "USR"),
    ]
    assert "password" not in json.dumps(rows)
    code, out = _run(t, "user", "password", "o@example.org", stdin="a new password 2\n")
    assert code == 0 and "Password changed" in out
    assert "o@example.org  officer  USR  last log-in never" in t.run("user", "list").stdout
    code, out = _run(t, "user", "role", "o@example.org", "--role", "viewer", "--authority", "USR")
    assert code == 0 and "o@example.org is now viewer of USR." in out
    code, out = _run(t, "user", "role", "o@example.org", "--role", "admin", "--authority", "USR")
    assert code == 2 and "no --authority" in out
    code, out = _run(t, "user", "role", "o@example.org", "--role", "admin")
    assert code == 0 and "o@example.org is now admin." in out
    assert "o@example.org  admin  -  last log-in never" in t.run("user", "list").stdout
