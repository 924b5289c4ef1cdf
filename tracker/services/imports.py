"""Import a spend file for an authority: parse, validate, store, all in one transaction."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.domain.capital import capital_cost_centre
from tracker.domain.classify import class_key_of
from tracker.domain.organisation import NameFound, describe_other_bodies, other_bodies
from tracker.domain.periods import fy_of
from tracker.domain.suppliers import supplier_key
from tracker.domain.vocabulary import field_name
from tracker.errors import DuplicateImportError, TrackerError
from tracker.importers import (
    DateOrderChanged,
    ImportFileError,
    ParsedSpend,
    RowError,
    SpendRecord,
    SpendStream,
    gc_paused,
    open_spend_file,
)
from tracker.importers.limits import ImportLimits
from tracker.models import Authority, ImportBatch, SpendLine, Supplier
from tracker.services.aliases import aliases
from tracker.services.batch_months import record_batch_months
from tracker.services.batches import batch_effect, delete_batch
from tracker.services.mappings import closest_layout, compare_layout, save_mapping, saved_mappings
from tracker.services.overlaps import OverlapFinder
from tracker.services.spend_currency import Conversions
from tracker.storage import rawfiles
from tracker.storage.bulk import bulk_insert_rows

PREVIEW_ROWS = 10
OVERLAP_ACTIONS = (None, "skip", "replace")


class OverlapError(TrackerError):
    """The file holds rows already stored for the authority and no action was chosen."""


@dataclass
class ImportResult:
    file_name: str
    sha256: str
    dry_run: bool
    batch_id: int | None
    file_format: str
    encoding: str | None
    sheet: str | None
    header_row: int
    mapping: dict[str, str]
    amount_rule: str
    rows_read: int
    rows_imported: int
    rows_rejected: int
    rows_skipped: dict[str, int]
    total_amount: Decimal
    date_min: dt.date | None
    date_max: dt.date | None
    errors: list[RowError]
    financial_years: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # years whose inventory could not be computed after the import (tracker.services.
    # import_refresh), each with its note naming what to load
    not_computed: dict[int, str] = field(default_factory=dict)
    overlap: dict[str, Any] = field(default_factory=dict)
    overlap_action: str | None = None
    replaced_batches: list[int] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)  # the header row as read
    #: The file names another body than the authority: one sentence saying where and who
    #: (None when it does not). A real import is refused unless the officer confirms.
    other_organisation: str | None = None
    # The authority's, for showing amounts and naming the financial years.
    currency: str = "GBP"
    fy_start_month: int = 4

    def as_dict(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "dry_run": self.dry_run,
            "years_not_computed": list(self.not_computed),
            "file": self.file_name,
            "sha256": self.sha256,
            "other_organisation": self.other_organisation,
            "format": self.file_format,
            "encoding": self.encoding,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "mapping": self.mapping,
            "amount_rule": self.amount_rule,
            "rows_read": self.rows_read,
            "rows_imported": self.rows_imported,
            "rows_rejected": self.rows_rejected,
            "rows_skipped": self.rows_skipped,
            "total_amount": float(self.total_amount),
            "date_min": self.date_min.isoformat() if self.date_min else None,
            "date_max": self.date_max.isoformat() if self.date_max else None,
            "financial_years": self.financial_years,
            "notes": self.notes,
            "overlap": self.overlap,
            "overlap_action": self.overlap_action,
            "replaced_batches": self.replaced_batches,
            "preview": self.preview,
            "errors": [
                {"row": e.row, "column": e.column, "message": e.message} for e in self.errors
            ],
        }


def import_spend_file(
    session: Session,
    *,
    authority: Authority,
    path: Path,
    data_dir: Path,
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    on_overlap: str | None = None,
    confirm_organisation: bool = False,
    limits: ImportLimits | None = None,
) -> ImportResult:
    """Parse ``path`` and store its lines for ``authority`` in the caller's transaction.

    Raises TrackerError (nothing stored) when the file cannot be imported at all: already
    imported for this authority, unreadable, without a single usable row, or overlapping
    rows already stored while ``on_overlap`` is None. ``on_overlap="skip"`` imports only
    the new rows; ``"replace"`` deletes the earlier overlapping batches first.
    A file whose organisation column or title rows name another body than the authority
    raises :class:`OtherOrganisationError` unless ``confirm_organisation`` (a dry run only
    reports it, in ``other_organisation``).
    """
    if on_overlap not in OVERLAP_ACTIONS:
        raise TrackerError(f"on_overlap must be one of skip, replace or None, not {on_overlap!r}")
    if not path.is_file():
        raise TrackerError(f"{path}: no such file.")
    size = path.stat().st_size
    limits = limits or ImportLimits()
    max_bytes = limits.max_bytes
    if size > max_bytes:
        raise TrackerError(
            f"{path.name}: the file is {size:,} bytes, over the upload limit of "
            f"{max_bytes:,} bytes."
        )
    sha256 = rawfiles.sha256_of(path)
    _refuse_duplicate(session, authority, path, sha256)
    request = _Request(
        authority=authority, path=path, size=size, sha256=sha256, data_dir=data_dir,
        sheet=sheet, mapping=mapping, dry_run=dry_run, on_overlap=on_overlap,
        confirm_organisation=confirm_organisation, limits=limits,
    )  # fmt: skip
    evidence = "none"
    for _ in range(_DATE_ORDER_RESTARTS):
        try:
            return _import(session, request, evidence)
        except DateOrderChanged as changed:  # everything stored so far was undone
            evidence = changed.evidence
    return _import(session, request, evidence)


#: Data rows read, checked and stored at a time: an import holds one chunk's records, not
#: the file's.
CHUNK_ROWS = 50_000
#: A later chunk can change how a file's numeric dates read at most twice (the evidence
#: only grows: ambiguous, month-first, day-first); each change reads the file again.
_DATE_ORDER_RESTARTS = 2


@dataclass(frozen=True)
class _Request:
    """What :func:`import_spend_file` was asked to do, once the file is checked."""

    authority: Authority
    path: Path
    size: int
    sha256: str
    data_dir: Path
    sheet: str | None
    mapping: dict[str, str] | None
    dry_run: bool
    on_overlap: str | None
    confirm_organisation: bool
    limits: ImportLimits


def _import(session: Session, request: _Request, evidence: str) -> ImportResult:
    """Read the file chunk by chunk, storing each (unless a dry run) inside a SAVEPOINT,
    so that a refusal found late (no usable row, another body's file, overlapping rows)
    leaves the session as it was: nothing half stored."""
    authority = request.authority

    def open_stream(columns: dict[str, str] | None) -> SpendStream:
        return open_spend_file(
            request.path, sheet=request.sheet, mapping=columns, limits=request.limits,
            chunk_rows=CHUNK_ROWS, evidence=evidence,
        )  # fmt: skip

    stream, notes = _parse(session, authority, open_stream, request.mapping)
    if request.dry_run:
        return _read_and_store(session, request, stream, notes)
    # One import per authority at a time from here on (PostgreSQL: a row lock, held to
    # the end of the transaction; SQLite serialises writers by itself), so that a
    # concurrent import of the same or an overlapping file sees this one's rows.
    _lock_authority(session, authority)
    _refuse_duplicate(session, authority, request.path, request.sha256)
    savepoint = session.begin_nested()
    try:
        result = _read_and_store(session, request, stream, notes)
    except BaseException:
        if savepoint.is_active:
            savepoint.rollback()
        raise
    savepoint.commit()
    return result


class _Tally:
    """What the stored (or, in a dry run, storable) records add up to, chunk by chunk."""

    def __init__(self, fy_start: int) -> None:
        self.fy_start = fy_start
        self.parsed = 0  # records read from the file, before overlapping ones are left out
        self.kept = 0
        self.total = Decimal(0)
        self.dates: set[dt.date] = set()
        self.preview: list[SpendRecord] = []

    def add(self, records: Sequence[SpendRecord]) -> None:
        self.kept += len(records)
        self.total += sum((r.amount for r in records), Decimal(0))
        self.dates.update(r.date for r in records)
        if len(self.preview) < PREVIEW_ROWS:
            self.preview.extend(records[: PREVIEW_ROWS - len(self.preview)])


def _read_and_store(
    session: Session, request: _Request, stream: SpendStream, notes: list[str]
) -> ImportResult:
    authority, path, dry_run, on_overlap = (
        request.authority, request.path, request.dry_run, request.on_overlap,
    )  # fmt: skip
    batch = None if dry_run else _new_batch(session, request, stream)
    finder = OverlapFinder(
        session, authority_id=authority.id, batch_id=None if batch is None else batch.id
    )
    tally = _Tally(authority.fy_start_month)
    supplier_ids: dict[str, int] = {}
    suppliers_known: set[str] = set()
    # Rows already stored without an action chosen: the import is refused at the end (the
    # message counts every such row), so nothing more is stored.
    refused = False
    # Rows billed in another currency (a currency column): converted to the authority's.
    conversions = (
        Conversions(session, authority.currency, path.name, stream.mapping["currency"])
        if "currency" in stream.mapping
        else None
    )
    for chunk in stream.chunks():  # each chunk read with the collector paused
        # ... and stored with it paused: each chunk's records would otherwise be walked by
        # collections triggered while its lines are built (about 8 % of a 100k-row import
        # on SQLite). Chunk by chunk, not for the whole import, since the collector is
        # the process's: other requests' threads collect between two chunks.
        with gc_paused():
            if conversions is not None:
                chunk = conversions.records(chunk)
            tally.parsed += len(chunk)
            overlapping = finder.check(chunk)
            records: Sequence[SpendRecord] = chunk
            if overlapping and not dry_run:
                if on_overlap is None:
                    refused = True
                elif on_overlap == "skip":
                    records = [r for i, r in enumerate(chunk) if i not in overlapping]
            tally.add(records)
            if batch is None or refused:
                continue
            # Each distinct name once: a file names a few thousand suppliers over its many rows.
            names = {
                r.supplier: None
                for r in records
                if r.supplier and r.supplier not in suppliers_known
            }
            supplier_ids.update(_supplier_ids(session, names))
            suppliers_known.update(names)
            _insert_lines(session, authority, batch.id, records, supplier_ids)
    parsed = stream.summary()
    if not tally.parsed:
        first = f" First problem: {_where(parsed.errors[0])}" if parsed.errors else ""
        raise TrackerError(
            f"{path.name}: no usable spend rows found ({parsed.rows_read} rows read, "
            f"{len(parsed.errors)} rejected); nothing was stored.{first}"
        )
    other = other_organisation(parsed, authority, aliases(session, authority))
    if other and not dry_run and not request.confirm_organisation:
        raise OtherOrganisationError(
            f"{other} Nothing was stored. If the file is this authority's, import it again "
            "confirming the organisation (--confirm-organisation), or record the name it "
            f"publishes under: tracker authority alias add {authority.code} NAME."
        )
    overlap = finder.finish()
    if refused:
        raise OverlapError(
            f"{path.name}: {overlap.describe(authority.currency)} for {authority.code}. "
            "Nothing was stored. "
            "Import again with --on-overlap skip to store only the new rows, or "
            "--on-overlap replace to delete the earlier batch(es) and store this file whole."
        )
    result = _result(parsed, tally, request.sha256, dry_run)
    result.currency = authority.currency
    result.notes = notes + list(parsed.notes)
    if conversions is not None:
        result.notes += conversions.notes()
    result.other_organisation = other
    if other and request.confirm_organisation:
        result.notes.append(f"organisation confirmed by the officer: {other}")
    result.overlap = overlap.as_dict()
    result.overlap_action = on_overlap if overlap.rows else None
    if batch is None:
        return result
    if overlap.rows and on_overlap == "replace":
        years = set(result.financial_years)
        for batch_id in sorted(overlap.by_batch):
            old = session.get_one(ImportBatch, batch_id)
            years.update(y.year for y in batch_effect(session, authority, old).years)
            delete_batch(session, authority, old, reason=f"replaced by {path.name}")
            result.replaced_batches.append(batch_id)
        result.financial_years = sorted(years)
    batch.rows_read = result.rows_read
    batch.rows_imported = result.rows_imported
    batch.rows_rejected = result.rows_rejected
    batch.rows_skipped = sum(result.rows_skipped.values())
    batch.total_amount = result.total_amount
    batch.date_min = result.date_min
    batch.date_max = result.date_max
    batch.report = {
        "skipped": result.rows_skipped,
        "delimiter": parsed.delimiter,
        "headers": parsed.headers,
        "notes": result.notes,
        "overlap": result.overlap,
        "overlap_action": result.overlap_action,
        "replaced_batches": result.replaced_batches,
        "errors": [[e.row, e.column, e.message] for e in parsed.errors[:1000]],
        "errors_total": len(parsed.errors),
    } | ({"currency_conversions": conversions.report()} if conversions and conversions.used else {})
    session.flush()
    record_batch_months(session, batch.id)
    save_mapping(
        session,
        authority_id=authority.id,
        headers=parsed.headers,
        mapping=parsed.mapping,
        file_name=path.name,
    )
    # Last, so that a failure above leaves no raw file behind; a failure here (store
    # unwritable or full) raises RawFileStoreError and the caller rolls everything back.
    rawfiles.store(request.data_dir, path, request.sha256)
    result.batch_id = batch.id
    return result


def _new_batch(session: Session, request: _Request, stream: SpendStream) -> ImportBatch:
    """The batch the lines are stored under, its counts filled in once they are known."""
    path = request.path
    batch = ImportBatch(
        authority_id=request.authority.id,
        file_name=path.name,
        sha256=request.sha256,
        size_bytes=request.size,
        file_format=stream.file_format,
        encoding=stream.encoding,
        sheet=stream.sheet,
        header_row=stream.header_row,
        column_mapping=dict(stream.mapping),
        amount_rule=stream.amount_rule,
        rows_read=0,
        rows_imported=0,
        rows_rejected=0,
        rows_skipped=0,
        total_amount=Decimal(0),
        report={},
    )
    session.add(batch)
    try:
        session.flush()
    except IntegrityError as exc:  # the partial unique index on live (authority, sha256)
        if "sha256" not in str(exc.orig):
            raise
        raise DuplicateImportError(
            f"{path.name}: this file was imported for {request.authority.code} by another "
            "import running at the same time; nothing was stored."
        ) from exc
    return batch


class OtherOrganisationError(TrackerError):
    """The file names another body than the authority and the officer has not confirmed."""


def other_organisation(
    parsed: ParsedSpend, authority: Authority, alias_names: Sequence[str] = ()
) -> str | None:
    """Where the file names another body than ``authority`` (known also by
    ``alias_names``), one line per column or title row; None when it names none."""
    found = [NameFound(where, text) for where, text in parsed.organisations]
    others = other_bodies(found, [authority.name, authority.code, *alias_names])
    if not others:
        return None
    return describe_other_bodies(parsed.file_name, others, authority.name)


def _where(error: RowError) -> str:
    column = f", column {error.column!r}" if error.column else ""
    return f"row {error.row}{column}: {error.message}"


def _lock_authority(session: Session, authority: Authority) -> None:
    session.execute(select(Authority.id).where(Authority.id == authority.id).with_for_update())


def _refuse_duplicate(session: Session, authority: Authority, path: Path, sha256: str) -> None:
    earlier = session.scalar(
        select(ImportBatch).where(
            ImportBatch.authority_id == authority.id,
            ImportBatch.sha256 == sha256,
            ImportBatch.status == "imported",
        )
    )
    if earlier is not None:
        raise DuplicateImportError(
            f"{path.name}: this file (sha256 {sha256[:12]}…) was already imported for "
            f"{authority.code} as batch {earlier.id} ({earlier.file_name}, "
            f"{earlier.imported_at:%Y-%m-%d %H:%M}); nothing was stored."
        )


def _parse(
    session: Session,
    authority: Authority,
    parse: Callable[[dict[str, str] | None], SpendStream],
    mapping: dict[str, str] | None,
) -> tuple[SpendStream, list[str]]:
    """Parse with the user's mapping, else recognised headers helped by saved mappings."""
    if mapping:
        return parse(mapping), [
            "columns used as given: "
            + ", ".join(f"{field_name(k)} = “{v}”" for k, v in mapping.items())
        ]
    try:
        parsed = parse(None)
    except ImportFileError:
        # The headers alone were not enough: try the layouts this authority used before.
        for saved in saved_mappings(session, authority.id):
            try:
                parsed = parse(saved.mapping)
            except ImportFileError:
                continue
            return parsed, compare_layout(saved, parsed.headers).describe()
        raise
    layout = closest_layout(session, authority.id, parsed.headers)
    if layout is None:
        return parsed, []
    different = {f: h for f, h in layout.mapping.items() if parsed.mapping.get(f) != h}
    if different:
        parsed = parse(layout.mapping)
    if different or layout.changed or layout.fields_lost:
        return parsed, layout.describe()
    return parsed, []


def _result(parsed: ParsedSpend, tally: _Tally, sha256: str, dry_run: bool) -> ImportResult:
    dates = tally.dates
    fy_start = tally.fy_start
    # Rows above the header that look like transactions are reported as errors; count them
    # as read so that imported + rejected + skipped = read.
    above_header = len({e.row for e in parsed.errors if e.row < parsed.header_row})
    return ImportResult(
        file_name=parsed.file_name,
        sha256=sha256,
        dry_run=dry_run,
        batch_id=None,
        file_format=parsed.file_format,
        encoding=parsed.encoding,
        sheet=parsed.sheet,
        header_row=parsed.header_row,
        mapping=dict(parsed.mapping),
        amount_rule=parsed.amount_rule,
        rows_read=parsed.rows_read + above_header,
        rows_imported=tally.kept,
        rows_rejected=len({e.row for e in parsed.errors}),
        rows_skipped=dict(parsed.skipped)
        | ({"already stored": tally.parsed - tally.kept} if tally.kept < tally.parsed else {}),
        total_amount=tally.total,
        date_min=min(dates) if dates else None,
        date_max=max(dates) if dates else None,
        errors=list(parsed.errors),
        financial_years=sorted({fy_of(d, fy_start) for d in dates}),
        preview=[_preview(r) for r in tally.preview],
        headers=list(parsed.headers),
        fy_start_month=fy_start,
    )


def _preview(r: SpendRecord) -> dict[str, Any]:
    """A record as it will be stored, for showing before anything is stored."""
    row: dict[str, Any] = {
        "row": r.source_row,
        "date": r.date.isoformat(),
        "date_precision": r.date_precision,
        "amount": float(r.amount),
        "supplier": r.supplier,
    }
    for name in (
        "description",
        "expense_type",
        "sic",
        "naics",
        "proclass",
        "mcc",
        "cpv",
        "unspsc",
        "transaction_id",
        "currency",
    ):
        value = getattr(r, name)
        if value:
            row[name] = value
    return row


def _supplier_key(name: str) -> str:
    """The supplier key, cut to the width of ``supplier.name_key`` (a hostile file's
    supplier cell can be far longer; PostgreSQL would refuse the whole import)."""
    return supplier_key(name)[:300]


# A supplier merged into another (tracker.services.suppliers.maintenance) stands for it.
_surviving = func.coalesce(Supplier.merged_into_id, Supplier.id)


def _supplier_ids(session: Session, names: Iterable[str]) -> dict[str, int]:
    """Map each supplier name to a Supplier id (the surviving one of a merged supplier),
    creating the missing ones in one statement."""
    by_key: dict[str, str] = {}
    for name in names:
        key = _supplier_key(name)
        if key:
            by_key.setdefault(key, name[:300])
    keys = list(by_key)
    found: dict[str, int] = {}
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        found.update(
            (key, sid)
            for key, sid in session.execute(
                select(Supplier.name_key, _surviving).where(Supplier.name_key.in_(chunk))
            )
        )
    missing = [k for k in keys if k not in found]
    if missing:
        # The driver's bulk path (COPY on PostgreSQL), not the ORM's bulk insert.
        table = cast(Table, Supplier.__table__)
        bulk_insert_rows(session, table, ("name_key", "name"), ((k, by_key[k]) for k in missing))
        for i in range(0, len(missing), 500):
            chunk = missing[i : i + 500]
            found.update(
                (key, sid)
                for key, sid in session.execute(
                    select(Supplier.name_key, _surviving).where(Supplier.name_key.in_(chunk))
                )
            )
    return {key: found[key] for key in keys}


#: The spend_line columns the import writes, in the order ``_insert_lines`` builds them.
_LINE_COLUMNS = (
    "authority_id", "batch_id", "source_row", "transaction_date", "date_precision", "amount",
    "gross_amount", "vat_amount", "currency", "original_amount", "original_currency",
    "supplier_id", "supplier_name", "description", "expense_type", "cost_centre",
    "transaction_id", "capital_or_revenue", "sic", "naics", "proclass", "mcc", "cpv", "unspsc",
    "class_key",
)  # fmt: skip
#: Distinct cost centres whose capital decision is remembered (a file has a few hundred).
_COST_CENTRES_KEPT = 10_000


def _insert_lines(
    session: Session,
    authority: Authority,
    batch_id: int,
    records: Sequence[SpendRecord],
    supplier_ids: dict[str, int],
) -> None:
    """Store the records with the fastest bulk path of the database (COPY on PostgreSQL),
    as tuples of ``_LINE_COLUMNS`` (no dict per line)."""
    table = cast(Table, SpendLine.__table__)
    authority_id, currency = authority.id, authority.currency
    # supplier_key once per distinct name
    names = {r.supplier for r in records if r.supplier}
    by_name = {name: supplier_ids.get(_supplier_key(name)) for name in names}

    capital = functools.lru_cache(maxsize=_COST_CENTRES_KEPT)(capital_cost_centre)

    def row(r: SpendRecord) -> tuple[Any, ...]:
        supplier = r.supplier
        supplier_name = supplier[:300] if supplier else None
        expense_type = r.expense_type[:300] if r.expense_type else None
        cost_centre = r.cost_centre[:300] if r.cost_centre else None
        capital_or_revenue = r.capital_or_revenue[:32] if r.capital_or_revenue else None
        sic = r.sic[:100] if r.sic else None
        naics = r.naics[:32] if r.naics else None
        proclass = r.proclass[:32] if r.proclass else None
        mcc = r.mcc[:16] if r.mcc else None
        cpv = r.cpv[:32] if r.cpv else None
        unspsc = r.unspsc[:32] if r.unspsc else None
        # In CLASS_FIELDS order (tests/domain/test_classify.py checks the two agree).
        key = class_key_of(
            (sic, naics, proclass, mcc, cpv, unspsc, expense_type, r.description,
             supplier_name, capital_or_revenue),
            capital=capital(cost_centre),
        )  # fmt: skip
        original_currency = r.original_currency[:3] if r.original_currency else None
        transaction_id = r.transaction_id[:100] if r.transaction_id else None
        return (
            authority_id, batch_id, r.source_row, r.date, r.date_precision, r.amount,
            r.gross_amount, r.vat, (r.currency or currency)[:3], r.original_amount,
            original_currency, by_name[supplier] if supplier else None,
            supplier_name, r.description, expense_type, cost_centre,
            transaction_id, capital_or_revenue, sic, naics, proclass, mcc, cpv, unspsc, key,
        )  # fmt: skip

    bulk_insert_rows(session, table, _LINE_COLUMNS, (row(r) for r in records))
