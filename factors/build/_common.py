"""Helpers shared by the builders: locating sources, hashing and deterministic writing.

Output must be byte-for-byte reproducible, so nothing here records times, absolute
paths or host details.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = PACKAGE_DIR.parent
DEFAULT_OUT_DIR = PACKAGE_DIR / "data"

OGL_LICENCE = "Open Government Licence v3.0"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


class SourceDataError(Exception):
    """A source file is missing, has changed, or does not have the expected layout."""


def default_source_dir() -> Path:
    """``$TRACKER_SHARED_DIR/data/factors`` if set, else ``<repo>/../shared/data/factors``."""
    shared = os.environ.get("TRACKER_SHARED_DIR")
    base = Path(shared) if shared else REPO_ROOT.parent / "shared"
    return base / "data" / "factors"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    return sha256_bytes(path.read_bytes())


def read_source(source_dir: Path, relative: str, expected_prefix: str) -> tuple[bytes, str]:
    """Read a source file and check it is the version this builder was written for.

    ``expected_prefix`` is the leading part of the file's sha256 as recorded in the shared
    data README. Returns the raw bytes and the full sha256.
    """
    path = source_dir / relative
    if not path.is_file():
        raise SourceDataError(f"source file not found: {path}")
    data = path.read_bytes()
    digest = sha256_bytes(data)
    if not digest.startswith(expected_prefix):
        raise SourceDataError(
            f"{path} has sha256 {digest[:16]}…, expected {expected_prefix}…; "
            "the source changed — review the builder before regenerating"
        )
    return data, digest


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """Render rows as UTF-8 CSV with ``\\n`` line endings and minimal quoting."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def json_bytes(obj: dict[str, Any]) -> bytes:
    return (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_table(
    out_dir: Path, table_name: str, table: bytes, metadata: dict[str, Any]
) -> list[Path]:
    """Write ``table_name`` and ``metadata.json`` (with table_file/table_sha256 added)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    table_path = out_dir / table_name
    table_path.write_bytes(table)
    meta = dict(metadata)
    meta["table_file"] = table_name
    meta["table_sha256"] = sha256_bytes(table)
    meta_path = out_dir / "metadata.json"
    meta_path.write_bytes(json_bytes(meta))
    return [table_path, meta_path]


def run_cli(
    description: str, build: Callable[[Path, Path], list[Path]], argv: Sequence[str] | None
) -> int:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--source",
        type=Path,
        default=None,
        help="directory holding the publishers' files (default: ../shared/data/factors "
        "relative to the repository, or $TRACKER_SHARED_DIR/data/factors)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT_DIR,
        help="data root to write into (default: factors/data in this package)",
    )
    args = parser.parse_args(argv)
    source: Path = args.source if args.source is not None else default_source_dir()
    try:
        written = build(source, args.out)
    except SourceDataError as exc:
        parser.exit(2, f"error: {exc}\n")
    for path in written:
        print(path)
    return 0
