"""Read a contracts file of any supported format, detected from its content."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tracker.importers.limits import ImportLimits

from .model import ContractFileError, ParsedContracts
from .ocds import read_records, read_releases
from .tables import read_awards, read_register, read_table, table_format

FORMAT_NAMES = {
    "ocds-release-package": "OCDS release package",
    "ocds-record-package": "OCDS record package",
    "ocds-jsonl": "OCDS JSON lines",
    "contract-register-csv": "contract register (Transparency Code CSV)",
    "award-csv": "award CSV (Contracts Finder, flattened)",
}


def parse_contract_file(
    path: Path,
    *,
    limits: ImportLimits | None = None,
) -> ParsedContracts:
    """Parse an OCDS package (release or record), OCDS JSON lines, a contract register
    CSV or a flattened award CSV, within ``limits`` (its size, rows and cell length; the
    defaults when None). Raises only :class:`ContractFileError` for a file that cannot be
    read at all; anything refused inside it is in ``refused``."""
    limits = limits or ImportLimits()
    max_bytes, max_rows = limits.max_bytes, limits.max_rows
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise ContractFileError(f"{name}: not a file or does not exist")
    size = path.stat().st_size
    if size > max_bytes:
        raise ContractFileError(
            f"{name}: file is {size:,} bytes, over the limit of {max_bytes:,} bytes "
            "(TRACKER_MAX_UPLOAD_MB)"
        )
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"{", b"["):
        return _parse_json(path, max_rows)
    header, rows = read_table(path, max_rows, limits.max_cell_chars)
    file_format = table_format(header)
    if file_format is None:
        raise ContractFileError(
            f"{name}: not a contracts file this tracker reads: expected OCDS JSON, a "
            "contract register CSV (columns 'Title of the Agreement' and 'Supplier name') "
            "or an award CSV (columns 'award_id', 'buyer_name' and 'supplier_name')"
        )
    out = ParsedContracts(file_name=name, format=file_format, records=0)
    (read_awards if file_format == "award-csv" else read_register)(out, rows, header)
    return out


def _parse_json(path: Path, max_rows: int) -> ParsedContracts:
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContractFileError(
            f"{name}: byte {exc.start:,} is not UTF-8; OCDS JSON is UTF-8 (RFC 8259)"
        ) from None
    try:
        documents = [("", _loads(text))]
        file_format = None
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise ContractFileError(f"{name}: not valid JSON ({_where(exc)})") from None
        documents, file_format = _json_lines(name, text, max_rows), "ocds-jsonl"
    except RecursionError:
        raise ContractFileError(f"{name}: JSON nested too deeply to read") from None
    releases: list[tuple[str, Any]] = []
    records: list[tuple[str, Any]] = []
    for where, doc in documents:
        if not isinstance(doc, dict):
            raise ContractFileError(
                f"{name}: {where or 'the file'} is a JSON {type(doc).__name__}, not an OCDS "
                "release package, record package or release"
            )
        if isinstance(doc.get("releases"), list) and "records" not in doc and "ocid" not in doc:
            found = [(f"{where}release {i}", r) for i, r in enumerate(doc["releases"], 1)]
            releases += found
            file_format = file_format or "ocds-release-package"
        elif isinstance(doc.get("records"), list):
            records += [(f"{where}record {i}", r) for i, r in enumerate(doc["records"], 1)]
            file_format = file_format or "ocds-record-package"
        elif "ocid" in doc and "releases" in doc:  # a bare record
            records.append((f"{where}record 1", doc))
            file_format = file_format or "ocds-record-package"
        elif "ocid" in doc:  # a bare release
            releases.append((f"{where}release 1", doc))
            file_format = file_format or "ocds-release-package"
        else:
            raise ContractFileError(
                f"{name}: {where or 'the file'} has neither 'releases', 'records' nor an "
                "'ocid': not OCDS"
            )
        if len(releases) + len(records) > max_rows:
            raise ContractFileError(
                f"{name}: more than {max_rows:,} releases and records (the row limit, "
                "TRACKER_MAX_ROWS)"
            )
    out = ParsedContracts(
        file_name=name, format=file_format or "ocds-release-package",
        records=len(releases) + len(records),
    )  # fmt: skip
    read_releases(out, releases)
    read_records(out, records)
    return out


def _json_lines(name: str, text: str, max_rows: int) -> list[tuple[str, Any]]:
    documents: list[tuple[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(documents) >= max_rows:
            raise ContractFileError(
                f"{name}: more than {max_rows:,} lines (the row limit, TRACKER_MAX_ROWS)"
            )
        try:
            documents.append((f"line {number}, ", _loads(line)))
        except json.JSONDecodeError as exc:
            raise ContractFileError(f"{name}: line {number}: not valid JSON ({exc.msg})") from None
        except RecursionError:
            raise ContractFileError(f"{name}: line {number}: JSON nested too deeply") from None
    return documents


def _loads(text: str) -> Any:
    return json.loads(text, parse_float=str, parse_int=str)


def _where(exc: json.JSONDecodeError) -> str:
    return f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
