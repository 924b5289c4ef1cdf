"""The admin's import of supplier commitments from a CSV (one transaction).

Columns (header names, any order, case ignored): ``supplier`` (name), ``scheme`` and
``identifier`` (optional, e.g. GB-COH 01628868: an identifier beats the name), ``kind``
(Carbon Reduction Plan / CRP, net-zero commitment, science-based target / SBT), ``date``
(when made or published: 2024-03-31 or 31/03/2024), ``source_url``, and optionally
``ended`` and ``note``. A file with any bad row stores nothing; every bad row is named
with its column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from tracker.domain.supplier_identity import normalise_identifier
from tracker.errors import TrackerError
from tracker.models import Supplier
from tracker.services.suppliers.maintenance import add_commitment
from tracker.services.suppliers.resolution import SupplierResolver

KIND_WORDS = {
    "carbon reduction plan": "carbon-reduction-plan",
    "carbon-reduction-plan": "carbon-reduction-plan",
    "crp": "carbon-reduction-plan",
    "net-zero commitment": "net-zero-commitment",
    "net zero commitment": "net-zero-commitment",
    "net-zero-commitment": "net-zero-commitment",
    "net zero": "net-zero-commitment",
    "science-based target": "science-based-target",
    "science based target": "science-based-target",
    "science-based-target": "science-based-target",
    "sbt": "science-based-target",
    "sbti": "science-based-target",
}
REQUIRED = ("supplier", "kind", "date", "source_url")
MAX_ROWS = 100_000


@dataclass
class CommitmentImportResult:
    rows_read: int = 0
    recorded: int = 0
    suppliers_created: int = 0
    errors: list[dict[str, object]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "rows_read": self.rows_read,
            "recorded": self.recorded,
            "suppliers_created": self.suppliers_created,
            "errors": self.errors,
        }


def _date(text: str) -> dt.date:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (use 2024-03-31 or 31/03/2024)")


def import_commitments(session: Session, path: Path, *, actor: str) -> CommitmentImportResult:
    """Record every row's commitment, or none when a row is bad (TrackerError)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TrackerError(f"{path.name}: not UTF-8 text ({exc.reason}).") from exc
    reader = csv.DictReader(io.StringIO(text))
    headers = {(h or "").strip().casefold(): h for h in reader.fieldnames or []}
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        raise TrackerError(f"{path.name}: missing column(s) {', '.join(missing)}.")
    result = CommitmentImportResult()
    resolver = SupplierResolver(session, source=f"commitments file {path.name}")
    rows: list[tuple[int, Supplier, str, dt.date, dt.date | None, str, str | None]] = []
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            raise TrackerError(f"{path.name}: more than {MAX_ROWS:,} rows.")
        row = {k: (raw.get(h) or "").strip() for k, h in headers.items()}
        if not any(row.values()):
            continue
        result.rows_read += 1
        errors_before = len(result.errors)

        def bad(column: str, message: str, row_number: int = number) -> None:
            result.errors.append({"row": row_number, "column": column, "message": message})

        kind = KIND_WORDS.get(row["kind"].casefold())
        if kind is None:
            bad("kind", f"{row['kind']!r} is not a Carbon Reduction Plan, net-zero commitment "
                "or science-based target")  # fmt: skip
        made_on = ended_on = None
        try:
            made_on = _date(row["date"])
        except ValueError as exc:
            bad("date", str(exc))
        if row.get("ended"):
            try:
                ended_on = _date(row["ended"])
            except ValueError as exc:
                bad("ended", str(exc))
        if not row["source_url"]:
            bad("source_url", "give the source of the commitment")
        scheme, identifier = row.get("scheme") or None, row.get("identifier") or None
        if not row["supplier"] and not identifier:
            bad("supplier", "give the supplier's name or identifier")
        elif not row["supplier"] and normalise_identifier(scheme, identifier) is None:
            # Without a name, an identifier no registry reads names no supplier: the row
            # would be left out, so it is refused with the rest of the file.
            bad("identifier", f"{identifier!r} is not a valid {scheme or 'supplier'} "
                "identifier, and no supplier name is given")  # fmt: skip
        if len(result.errors) > errors_before or kind is None or made_on is None:
            continue
        sid = resolver.resolve(row["supplier"], scheme, identifier)
        if sid is None:  # named or identified above: never the case, but never silent
            bad("supplier", "no supplier could be found or created for this row")
            continue
        supplier = session.get_one(Supplier, sid)
        rows.append((number, supplier, kind, made_on, ended_on, row["source_url"],
                     row.get("note") or None))  # fmt: skip
    if result.errors:
        first = result.errors[0]
        raise TrackerError(
            f"{path.name}, row {first['row']}, column {first['column']}: {first['message']}"
            + (f" (and {len(result.errors) - 1} more bad rows)" if len(result.errors) > 1 else "")
            + "; nothing was recorded."
        )
    for number, supplier, kind, made_on, ended_on, url, note in rows:
        try:
            add_commitment(session, supplier=supplier, kind=kind, made_on=made_on,
                           source_url=url, actor=actor, ended_on=ended_on, note=note)  # fmt: skip
        except TrackerError as exc:
            raise TrackerError(f"{path.name}, row {number}: {exc} Nothing was recorded.") from exc
        result.recorded += 1
    result.suppliers_created = resolver.counts.suppliers_created
    return result
