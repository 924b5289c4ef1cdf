"""Score an authority's classification against a hand-labelled set (factors/evaluation/).

Each label is joined to the authority's spend line by the import batch's file name and the
line's ``source_row``; the outcome is read from the line's emission in the current
inventory run of its year, so what is compared is what the inventory used (a US
authority's NAICS code, a UK authority's Defra group or exclusion). Labels that match no
line, or a line whose amount differs from the label's, are reported, never dropped
silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from tracker.domain.codes import LineStatus
from tracker.domain.evaluation import Evaluation, Label, Outcome, parse_labels, score
from tracker.domain.periods import fy_of
from tracker.models import Authority, ImportBatch, LineEmission, SpendLine
from tracker.services.authorities import add_authority
from tracker.services.classification.evidence import EXCLUDED_PREFIX, current_runs
from tracker.services.imports import import_spend_file
from tracker.services.inventory.factor_tables import load_factor_tables
from tracker.services.recalculate import refresh_inventories


@dataclass(frozen=True)
class Unmatched:
    """A label the evaluation could not score, and why."""

    source: str
    line: int
    file: str
    row: int
    why: str


@dataclass
class EvaluationReport:
    authority: str
    labels: int
    evaluation: Evaluation
    unmatched: list[Unmatched]

    def as_dict(self) -> dict[str, Any]:
        return {
            "authority": self.authority,
            "labels": self.labels,
            "scored": self.labels - len(self.unmatched),
            "unmatched": [u.__dict__ for u in self.unmatched],
        } | self.evaluation.as_dict()


def read_labels(session: Session, authority: Authority, path: Path) -> list[Label]:
    """The labels of ``path``, their codes checked against the authority's factor set."""
    tables = load_factor_tables(
        session, authority.default_factor_family, authority.default_factor_edition
    )
    return parse_labels(path.read_text(encoding="utf-8-sig"), path.name, tables.codes)


def _exclusion(reason: str | None) -> str | None:
    if reason and reason.startswith(EXCLUDED_PREFIX):
        return reason[len(EXCLUDED_PREFIX) :]
    return reason


def _outcome(e: LineEmission, amount: Decimal) -> Outcome:
    return Outcome(
        status=e.status,
        code=e.category_code if e.status == LineStatus.MAPPED else None,
        exclusion=_exclusion(e.reason) if e.status == LineStatus.EXCLUDED else None,
        method=e.method,
        confidence=e.confidence,
        scope3_category=e.scope3_category,
        amount=amount,
        rule=e.matched_code,
    )


def _batches(session: Session, authority: Authority, files: set[str]) -> dict[str, int]:
    """File name → the latest live import batch of that name."""
    rows = session.execute(
        select(ImportBatch.file_name, func.max(ImportBatch.id))
        .where(
            ImportBatch.authority_id == authority.id,
            ImportBatch.status == "imported",
            ImportBatch.file_name.in_(sorted(files)),
        )
        .group_by(ImportBatch.file_name)
    )
    return {name: batch_id for name, batch_id in rows}  # noqa: C416 (a Result has keys())


def outcomes(
    session: Session, authority: Authority, labels: Sequence[Label]
) -> tuple[dict[tuple[str, int], Outcome], list[Unmatched]]:
    """Each label's outcome from the current inventory runs, and the labels without one."""
    batches = _batches(session, authority, {label.file for label in labels})
    current = current_runs()
    wanted = [(batches[label.file], label.row) for label in labels if label.file in batches]
    lines: dict[tuple[int, int], tuple[int, Decimal]] = {}
    emissions: dict[int, LineEmission] = {}
    for chunk in range(0, len(wanted), 500):
        part = wanted[chunk : chunk + 500]
        found = session.execute(
            select(SpendLine.batch_id, SpendLine.source_row, SpendLine.id, SpendLine.amount).where(
                tuple_(SpendLine.batch_id, SpendLine.source_row).in_(part)
            )
        )
        ids = []
        for batch_id, row, line_id, amount in found:
            lines[(batch_id, row)] = (line_id, Decimal(amount))
            ids.append(line_id)
        for e in session.scalars(
            select(LineEmission).where(
                LineEmission.spend_line_id.in_(ids), LineEmission.run_id.in_(current)
            )
        ):
            emissions[e.spend_line_id] = e
    found_outcomes: dict[tuple[str, int], Outcome] = {}
    unmatched: list[Unmatched] = []
    for label in labels:

        def miss(why: str, label: Label = label) -> None:
            unmatched.append(Unmatched(label.source, label.line, label.file, label.row, why))

        if label.file not in batches:
            miss(f"no imported file named {label.file} for {authority.code}")
            continue
        line = lines.get((batches[label.file], label.row))
        if line is None:
            miss(f"{label.file} has no line from row {label.row}")
            continue
        line_id, amount = line
        if amount != label.amount:
            miss(f"amount differs: label {label.amount}, line {amount}")
            continue
        emission = emissions.get(line_id)
        if emission is None:
            miss("no inventory computed for the line's year")
            continue
        found_outcomes[label.key] = _outcome(emission, amount)
    return found_outcomes, unmatched


def evaluate_authority(
    session: Session, *, authority: Authority, labels: Sequence[Label], worst: int = 10
) -> EvaluationReport:
    """Score ``labels`` against the authority's current inventories (compute them first)."""
    found, unmatched = outcomes(session, authority, labels)
    pairs = [(label, found[label.key]) for label in labels if label.key in found]
    return EvaluationReport(authority.code, len(labels), score(pairs, worst=worst), unmatched)


def import_for_evaluation(
    session: Session,
    *,
    code: str,
    path: Path,
    data_dir: Path,
    country: str = "GB",
    mapping: dict[str, str] | None = None,
) -> tuple[Authority, list[str]]:
    """A new authority holding one spend file, with its inventories computed, and the notes
    of any year that could not be computed.

    For measuring a labelled file on its own: a US file goes to a US authority (the EPA
    NAICS factors, dollars), any other to a UK one (Defra groups, pounds). The financial
    year starts in January when the file's dates lie in one calendar year, else in April,
    so that the file falls in as few years as it can. The organisation the file names is
    taken as the authority's (the authority exists only to hold it).
    """
    currency = "USD" if country == "US" else "GBP"
    authority = add_authority(
        session, code=code, name=path.name, country=country, currency=currency
    )
    result = import_spend_file(
        session,
        authority=authority,
        path=path,
        data_dir=data_dir,
        mapping=mapping or None,
        # the authority is made for this file alone, so the file is its own by definition
        confirm_organisation=True,
    )
    first, last = result.date_min, result.date_max
    if first is not None and last is not None and first.year == last.year:
        authority.fy_start_month = 1
    session.flush()
    years = sorted(
        {
            fy_of(d, authority.fy_start_month)
            for d in session.scalars(
                select(SpendLine.transaction_date)
                .where(SpendLine.authority_id == authority.id)
                .distinct()
            )
        }
    )
    return authority, refresh_inventories(session, authority=authority, years=years)
