"""Fixtures for the importer tests: spend files generated fresh from the committed script."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from tracker.importers import ParsedSpend

_SCRIPT = Path(__file__).resolve().parents[1] / "fixtures" / "make_spend_fixtures.py"


def load_fixture_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_spend_fixtures", _SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def spend_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """name -> path of every generated fixture file (in a temporary directory)."""
    out_dir = tmp_path_factory.mktemp("spend")
    written: dict[str, Path] = load_fixture_script().generate(out_dir)
    return written


def assert_rows_accounted(result: ParsedSpend) -> None:
    """Every data row below the header is a record, a row error or a skip."""
    first_data_row = result.header_row + 1
    error_rows = {e.row for e in result.errors if e.row >= first_data_row}
    record_rows = {r.source_row for r in result.records}
    assert not error_rows & record_rows
    assert len(record_rows) == len(result.records)
    skipped = sum(result.skipped.values())
    assert len(record_rows) + len(error_rows) + skipped == result.rows_read
