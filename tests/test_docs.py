"""Every command of the CLI is in the README and has help text with an example or a
description, so the documentation cannot fall behind the code."""

from __future__ import annotations

from collections.abc import Iterator

import click

from tests.conftest import REPO_ROOT
from tracker.cli import cli


def _commands(group: click.Group, prefix: str = "tracker") -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from _commands(command, path)


def test_every_command_is_documented() -> None:
    lines = (REPO_ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    for path, command in _commands(cli):
        parent, name = path.rsplit(" ", 1)
        # "tracker rules list|export" documents both list and export.
        assert any(parent + " " in ln and name in ln for ln in lines), f"{path} not in README"
        assert command.help, f"{path} has no help text"
