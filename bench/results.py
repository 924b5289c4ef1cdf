"""bench/results.json holds one section per benchmark; each run replaces only its own."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from pathlib import Path
from typing import Any

RESULTS_FILE = Path(__file__).resolve().parent / "results.json"


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }


def merge_section(key: str, section: dict[str, Any], path: Path = RESULTS_FILE) -> None:
    """Write ``section`` under ``key``, keeping every other key of the file as it was."""
    data: dict[str, Any] = {}
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
    data[key] = {
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        **section,
    }
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
