"""Every command of the CLI is in the README and has help text with an example or a
description, and every test docs/security.md cites exists, so the documentation cannot
fall behind the code."""

from __future__ import annotations

import re
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


SECURITY_SECTIONS = (
    "Authentication",
    "Session management",
    "Access control",
    "Input validation",
    "Files",
    "Headers",
)
CITED_TEST = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")


def test_security_page_cites_only_tests_that_exist() -> None:
    """docs/security.md names, for each ASVS section, the tests that show each item: every
    one must exist, so the page cannot claim a check that was renamed or removed."""
    text = (REPO_ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert headings == list(SECURITY_SECTIONS)
    cited = CITED_TEST.findall(text)
    assert cited, "docs/security.md cites no tests"
    for path, name in cited:
        source = REPO_ROOT / path
        assert source.is_file(), f"docs/security.md cites {path}, which does not exist"
        defined = re.search(rf"^def {name}\(", source.read_text(encoding="utf-8"), re.MULTILINE)
        assert defined, f"docs/security.md cites {path}::{name}, which is not defined there"
    for section in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        assert CITED_TEST.search(section), f"section {section.splitlines()[0]!r} cites no test"
