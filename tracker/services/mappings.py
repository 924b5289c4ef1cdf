"""Column mappings remembered per authority, and how a new file's layout differs.

A council's file layout changes between releases. After an import, the mapping used is
saved with the headers it was used on. The next file's headers are compared with the
closest saved layout: fields whose saved header is still present are offered again,
and every difference (headers gone, headers new, mapped fields whose header is gone)
is reported to the user.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.vocabulary import field_name
from tracker.importers import normalise_header
from tracker.models import SavedMapping


def headers_key(headers: Sequence[str]) -> str:
    names = [normalise_header(h) for h in headers if h and h.strip()]
    return hashlib.sha256("\x1f".join(names).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LayoutComparison:
    """A saved mapping applied to a new file's headers."""

    saved_from: str  # file name the mapping was saved from
    mapping: dict[str, str]  # FIELD -> header, only headers present in the new file
    headers_gone: list[str]  # in the saved layout, not in the new file
    headers_new: list[str]  # in the new file, not in the saved layout
    fields_lost: dict[str, str] = field(default_factory=dict)  # FIELD -> its missing header

    @property
    def changed(self) -> bool:
        return bool(self.headers_gone or self.headers_new)

    def describe(self) -> list[str]:
        notes = [f"column mapping offered from the earlier file {self.saved_from}"]
        if self.headers_gone:
            notes.append("columns no longer present: " + ", ".join(self.headers_gone))
        if self.headers_new:
            notes.append("new columns: " + ", ".join(self.headers_new))
        for name, header in self.fields_lost.items():
            notes.append(
                f"{field_name(name)} was read from “{header}”, which this file does not have"
            )
        return notes


def _similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def saved_mappings(session: Session, authority_id: int) -> list[SavedMapping]:
    return list(
        session.scalars(
            select(SavedMapping)
            .where(SavedMapping.authority_id == authority_id)
            .order_by(SavedMapping.updated_at.desc(), SavedMapping.id.desc())
        )
    )


def compare_layout(saved: SavedMapping, headers: Sequence[str]) -> LayoutComparison:
    present = {normalise_header(h): h for h in headers if h and h.strip()}
    before = {normalise_header(h): h for h in saved.headers if h and h.strip()}
    mapping: dict[str, str] = {}
    lost: dict[str, str] = {}
    for name, header in saved.mapping.items():
        key = normalise_header(header)
        if key in present:
            mapping[name] = present[key]
        else:
            lost[name] = header
    return LayoutComparison(
        saved_from=saved.file_name,
        mapping=mapping,
        headers_gone=[before[k] for k in before if k not in present],
        headers_new=[present[k] for k in present if k not in before],
        fields_lost=lost,
    )


def closest_layout(
    session: Session, authority_id: int, headers: Sequence[str], threshold: float = 0.5
) -> LayoutComparison | None:
    """The saved mapping whose headers are most like ``headers`` (Jaccard ≥ threshold)."""
    names = {normalise_header(h) for h in headers if h and h.strip()}
    best: tuple[float, SavedMapping] | None = None
    for saved in saved_mappings(session, authority_id):
        score = _similarity(names, {normalise_header(h) for h in saved.headers if h.strip()})
        if score >= threshold and (best is None or score > best[0]):
            best = (score, saved)
    return None if best is None else compare_layout(best[1], headers)


def save_mapping(
    session: Session,
    *,
    authority_id: int,
    headers: Sequence[str],
    mapping: dict[str, str],
    file_name: str,
) -> None:
    key = headers_key(headers)
    saved = session.scalar(
        select(SavedMapping).where(
            SavedMapping.authority_id == authority_id, SavedMapping.headers_key == key
        )
    )
    if saved is None:
        saved = SavedMapping(authority_id=authority_id, headers_key=key)
        session.add(saved)
    saved.headers = [h for h in headers if h and h.strip()]
    saved.mapping = dict(mapping)
    saved.file_name = file_name[:300]
    session.flush()
