"""Import a contracts file: parse, map buyers to authorities, store, in one transaction.

A contract belongs to the authority its buyer name is mapped to. The user names the
authorities to import for (``authority`` and ``buyers``, each one they may change) or, as
an admin, every mapped authority (``all_mapped``); contracts of other buyers are counted in
the report by buyer name and never stored. A contract read again (same authority and
source key) is updated, unless the stored one comes from a later release; an award
supersedes the planned contract of its tender (same ocid). Each supplier on a contract is
resolved to a shared supplier (``tracker.services.suppliers.resolution``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from tracker.access import AccessDenied, Viewer
from tracker.domain.contracts import buyer_key
from tracker.errors import TrackerError
from tracker.importers.contracts import (
    ContractFileError,
    ParsedContract,
    ParsedContracts,
    Refusal,
    parse_contract_file,
)
from tracker.importers.limits import ImportLimits
from tracker.models import Authority, Contract, ContractFile, ContractParty
from tracker.services.contracts.buyers import (
    buyer_counts,
    map_buyer,
    mapped_buyers,
    writable_authority,
)
from tracker.services.contracts.linking import link_authority
from tracker.services.suppliers.resolution import SupplierResolver
from tracker.storage import rawfiles

#: Refusals and skipped records kept in a file's stored report (all are counted).
REPORT_LIMIT = 1000
CHUNK = 500

_FIELDS = (
    "ocid", "award_id", "source_row", "title", "description", "buyer_name",
    "classification_scheme", "classification_code", "value_amount", "currency",
    "start_date", "end_date", "procurement_route", "status", "released_at", "flags",
)  # fmt: skip


@dataclass
class ContractImportResult:
    """What an import did (or would do), per authority code; refusals name the record."""

    file_name: str
    sha256: str
    format: str
    dry_run: bool
    records: int
    contracts_read: int
    file_id: int | None = None
    added: Counter[str] = field(default_factory=Counter)  # authority code → contracts
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    superseded: Counter[str] = field(default_factory=Counter)  # planned contracts replaced
    unmapped: dict[str, int] = field(default_factory=dict)  # buyer name → contracts
    elsewhere: dict[str, int] = field(default_factory=dict)  # mapped to others: not imported
    mapped: list[str] = field(default_factory=list)  # "NAME → CODE" made by this import
    flags: Counter[str] = field(default_factory=Counter)
    # What resolving the contracts' suppliers to shared suppliers did (not in a dry run).
    suppliers: dict[str, object] = field(default_factory=dict)
    refused: list[Refusal] = field(default_factory=list)
    skipped: list[Refusal] = field(default_factory=list)
    # authority code → payments linked to its contracts after the import (linking.py)
    payments_linked: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file_name,
            "sha256": self.sha256,
            "format": self.format,
            "dry_run": self.dry_run,
            "file_id": self.file_id,
            "records": self.records,
            "contracts_read": self.contracts_read,
            "added": _nonzero(self.added),
            "updated": _nonzero(self.updated),
            "unchanged": _nonzero(self.unchanged),
            "superseded_planned": _nonzero(self.superseded),
            "buyers_mapped": self.mapped,
            "unmapped_buyers": self.unmapped,
            "buyers_of_other_authorities": self.elsewhere,
            "flags": dict(self.flags),
            "suppliers": self.suppliers,
            "refused": [_refusal(r, self.file_name) for r in self.refused[:REPORT_LIMIT]],
            "refused_total": len(self.refused),
            "skipped": [_refusal(r, self.file_name) for r in self.skipped[:REPORT_LIMIT]],
            "skipped_total": len(self.skipped),
            "payments_linked": self.payments_linked,
        }


def _nonzero(counts: Counter[str]) -> dict[str, int]:
    return {code: n for code, n in sorted(counts.items()) if n}


def _refusal(r: Refusal, file_name: str) -> dict[str, str]:
    return {"record": r.record, "field": r.field, "message": r.message, "text": r.text(file_name)}


def import_contract_file(
    session: Session,
    *,
    viewer: Viewer,
    path: Path,
    data_dir: Path,
    authority: str | None = None,
    buyers: dict[str, str] | None = None,
    all_mapped: bool = False,
    dry_run: bool = False,
    limits: ImportLimits | None = None,
) -> ContractImportResult:
    """Import ``path`` in the caller's transaction (see the module docstring).

    ``authority`` maps the file's single buyer to that authority (a file with several
    buyers imports those already mapped to it); ``buyers`` maps named buyers (name →
    authority code). Raises TrackerError (nothing stored) when the file cannot be read or
    the user may not import for an authority named; AccessDenied for ``all_mapped`` by a
    user who is not an admin.
    """
    buyers = buyers or {}
    if authority is None and not buyers and not all_mapped:
        raise TrackerError(
            "name the authority (--authority CODE), buyers (--buyer) or --all-mapped"
        )
    if all_mapped and not viewer.is_admin:
        raise AccessDenied("Only an admin may import for every mapped authority at once.")
    targets = {a.id: a for a in _targets(session, viewer, authority, buyers)}
    try:
        parsed = parse_contract_file(path, limits=limits)
    except ContractFileError as exc:
        raise TrackerError(f"{exc}; nothing was stored.") from None
    sha256 = rawfiles.sha256_of(path)
    result = ContractImportResult(
        file_name=path.name, sha256=sha256, format=parsed.format, dry_run=dry_run,
        records=parsed.records, contracts_read=len(parsed.contracts),
        refused=list(parsed.refused), skipped=list(parsed.skipped),
    )  # fmt: skip
    owner = mapped_buyers(session, (buyer_key(c.buyer_name) for c in parsed.contracts))
    for name, target in _mappings_wanted(parsed, authority, buyers, targets):
        if map_buyer(session, viewer, name, target, apply=not dry_run):
            result.mapped.append(f"{name} → {target.code}")
            owner[buyer_key(name)] = target.id
    if all_mapped:
        ids = set(owner.values()) - set(targets)
        targets |= {
            a.id: a for a in session.scalars(select(Authority).where(Authority.id.in_(ids)))
        }
    chosen: dict[int, list[ParsedContract]] = {}
    unmapped: list[str] = []
    elsewhere: list[str] = []
    for contract in parsed.contracts:
        authority_id = owner.get(buyer_key(contract.buyer_name))
        if authority_id is None:
            unmapped.append(contract.buyer_name)
        elif authority_id not in targets:
            elsewhere.append(contract.buyer_name)
        else:
            chosen.setdefault(authority_id, []).append(contract)
    result.unmapped = {b.name: b.contracts for b in buyer_counts(unmapped, {})}
    result.elsewhere = {b.name: b.contracts for b in buyer_counts(elsewhere, {})}
    if not chosen and not dry_run:
        raise TrackerError(_nothing_to_import(path.name, parsed, result))
    for authority_id in sorted(chosen) if not dry_run else ():
        _lock(session, authority_id)
    record = ContractFile(
        sha256=sha256, filename=path.name[:300], size_bytes=path.stat().st_size,
        format=parsed.format, imported_by=viewer.email, report={},
    )  # fmt: skip
    if not dry_run:
        session.add(record)
        session.flush()
        result.file_id = record.id
    resolver = None if dry_run else SupplierResolver(session, source=f"contracts {path.name}")
    for authority_id, contracts in sorted(chosen.items()):
        code = targets[authority_id].code
        _store(session, result, code, authority_id, contracts, record.id, resolver)
    if resolver is None:
        return result
    result.suppliers = resolver.counts.as_dict()
    for authority_id in sorted(chosen):  # the authority's payments may fall under them
        linked = link_authority(session, authority_id=authority_id).linked_lines
        result.payments_linked[targets[authority_id].code] = linked
    record.report = result.as_dict()
    rawfiles.store(data_dir, path, sha256)  # last: a failure here rolls everything back
    return result


def _targets(
    session: Session, viewer: Viewer, authority: str | None, buyers: dict[str, str]
) -> list[Authority]:
    codes = ([authority] if authority else []) + list(buyers.values())
    return [writable_authority(session, viewer, code) for code in dict.fromkeys(codes)]


def _mappings_wanted(
    parsed: ParsedContracts,
    authority: str | None,
    buyers: dict[str, str],
    targets: dict[int, Authority],
) -> list[tuple[str, Authority]]:
    """The buyer mappings the user asked for: each ``buyers`` entry, and the file's only
    buyer to ``authority`` when no buyer is named."""
    by_code = {a.code: a for a in targets.values()}
    wanted = [(name, by_code[code.strip().upper()]) for name, code in buyers.items()]
    names = {buyer_key(c.buyer_name): c.buyer_name for c in parsed.contracts}
    if authority and not buyers and len(names) == 1:
        wanted.append((next(iter(names.values())), by_code[authority.strip().upper()]))
    return wanted


def _nothing_to_import(name: str, parsed: ParsedContracts, result: ContractImportResult) -> str:
    if not parsed.contracts:
        first = f" First: {parsed.refused[0].text(name)}" if parsed.refused else ""
        return (
            f"{name}: no contract found ({parsed.records} records read, "
            f"{len(parsed.refused)} refused, {len(parsed.skipped)} not contracts); "
            f"nothing was stored.{first}"
        )
    top = ", ".join(f"{b!r} ({n})" for b, n in list(result.unmapped.items())[:5])
    return (
        f"{name}: none of its {len(parsed.contracts):,} contracts has a buyer mapped to the "
        f"authorities named; nothing was stored. Unmapped buyers, most contracts first: "
        f'{top or "none"}. Map one with --buyer "NAME=CODE" (tracker contracts buyers FILE '
        "lists them)."
    )


def _lock(session: Session, authority_id: int) -> None:
    session.execute(select(Authority.id).where(Authority.id == authority_id).with_for_update())


def _store(
    session: Session,
    result: ContractImportResult,
    code: str,
    authority_id: int,
    contracts: list[ParsedContract],
    file_id: int,
    resolver: SupplierResolver | None,
) -> None:
    """Add, update or leave each contract of one authority (only count, without a
    ``resolver``: a dry run)."""
    existing = {
        row.source_key: row
        for row in session.execute(
            select(Contract.id, Contract.source_key, Contract.released_at, *_columns()).where(
                Contract.authority_id == authority_id
            )
        )
    }
    new, changed = [], []
    for contract in contracts:
        result.flags.update(contract.flags)
        values = {name: getattr(contract, name) for name in _FIELDS}
        old = existing.get(contract.source_key)
        if old is None:
            new.append(contract)
        elif (
            old.released_at
            and contract.released_at
            and _utc(contract.released_at) < _utc(old.released_at)
        ):
            result.unchanged[code] += 1  # a later release is stored already
        elif all(_same(getattr(old, k), v) for k, v in values.items()):
            result.unchanged[code] += 1
        else:
            changed.append((old.id, contract))
    for counter, n in ((result.added, len(new)), (result.updated, len(changed))):
        if n:
            counter[code] += n
    awarded = {c.ocid for c in contracts if c.ocid and c.status != "planned"}
    planned = [
        row.id
        for key, row in existing.items()
        if row.status == "planned" and key.endswith("/tender") and row.ocid in awarded
    ]
    if planned:
        result.superseded[code] += len(planned)
    if resolver is None:
        return
    if planned:
        session.execute(delete(Contract).where(Contract.id.in_(planned)))
    for start in range(0, len(changed), CHUNK):
        chunk = changed[start : start + CHUNK]
        session.execute(
            update(Contract),
            [{"id": cid, "file_id": file_id} | _values(c) for cid, c in chunk],
        )
        session.execute(
            delete(ContractParty).where(ContractParty.contract_id.in_([i for i, _ in chunk]))
        )
        _insert_parties(session, chunk, resolver)
    for start in range(0, len(new), CHUNK):
        chunk_new = new[start : start + CHUNK]
        rows = [
            {"authority_id": authority_id, "file_id": file_id, "source_key": c.source_key}
            | _values(c)
            for c in chunk_new
        ]
        ids = session.scalars(
            insert(Contract).returning(Contract.id, sort_by_parameter_order=True), rows
        )
        _insert_parties(session, list(zip(ids, chunk_new, strict=True)), resolver)


def _columns() -> list[Any]:
    return [getattr(Contract, name) for name in _FIELDS if name != "released_at"]


def _values(contract: ParsedContract) -> dict[str, Any]:
    return {name: getattr(contract, name) for name in _FIELDS} | {
        "title": _clip(contract.title, 100_000),
        "buyer_name": contract.buyer_name[:300],
        "ocid": _clip(contract.ocid, 200),
        "award_id": _clip(contract.award_id, 200),
        "procurement_route": _clip(contract.procurement_route, 200),
    }


def _same(stored: Any, incoming: Any) -> bool:
    if isinstance(stored, dt.datetime) and isinstance(incoming, dt.datetime):
        return _utc(stored) == _utc(incoming)
    return bool(stored == incoming)


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes (stored in UTC); PostgreSQL aware ones."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _insert_parties(
    session: Session, contracts: list[tuple[int, ParsedContract]], resolver: SupplierResolver
) -> None:
    """The contracts' suppliers, each resolved to its shared supplier (by identifier, then
    normalised name; a doubtful name is queued for an admin's review)."""
    rows = [
        {
            "contract_id": cid,
            "role": "supplier",
            "name": p.name[:300],
            "scheme": p.scheme,
            "identifier": p.identifier,
            "sme": p.sme,
            "supplier_id": resolver.resolve(p.name, p.scheme, p.identifier),
        }
        for cid, c in contracts
        for p in c.parties
    ]
    if rows:
        session.execute(insert(ContractParty), rows)


def _clip(value: str | None, width: int) -> str | None:
    return value[:width] if value else value
