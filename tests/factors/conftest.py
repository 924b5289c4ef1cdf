"""Fixtures for the reference-data tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def shared_dir() -> Path:
    env = os.environ.get("TRACKER_SHARED_DIR")
    return Path(env) if env else REPO_ROOT.parent / "shared"


@pytest.fixture
def shared_factor_dir() -> Path:
    """``shared/data/factors``; skips the test when the shared folder is not present."""
    path = shared_dir() / "data" / "factors"
    if not path.is_dir():
        pytest.skip(f"shared reference data not found at {path}")
    return path
