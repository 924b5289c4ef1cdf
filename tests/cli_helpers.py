"""Run the real `tracker` CLI in-process against a test database."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from tracker.cli import cli


@dataclass
class TrackerCli:
    env: dict[str, str]

    def run(self, *args: str, ok: bool = True) -> Result:
        result = CliRunner().invoke(cli, list(args), env=self.env, catch_exceptions=False)
        if ok and result.exit_code != 0:
            raise AssertionError(
                f"tracker {' '.join(args)} exited {result.exit_code}:\n{result.output}"
            )
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args).stdout)


def cli_for(db_url: str, data_dir: Path) -> TrackerCli:
    return TrackerCli(env={"TRACKER_DATABASE_URL": db_url, "TRACKER_DATA_DIR": str(data_dir)})


def migrated_cli(db_url: str, tmp_path: Path) -> TrackerCli:
    """The CLI on an upgraded database: a file of its own under ``tmp_path`` for SQLite,
    else the shared test database at ``db_url``."""
    if db_url.startswith("sqlite"):
        db_url = f"sqlite:///{tmp_path / 'cli.db'}"
    t = cli_for(db_url, tmp_path / "files")
    t.run("db", "upgrade")
    return t


def cli_with_authority(db_url: str, tmp_path: Path, name: str) -> tuple[TrackerCli, str]:
    """The CLI on a migrated database (SQLite: a file of the test's own) holding one new
    authority; and that authority's code."""
    if db_url.startswith("sqlite"):
        db_url = f"sqlite:///{tmp_path / 'cli.db'}"
    tracker = cli_for(db_url, tmp_path / "files")
    tracker.run("db", "upgrade")
    code = "C" + uuid.uuid4().hex[:7].upper()
    tracker.run("authority", "add", code, "--name", name)
    return tracker, code
