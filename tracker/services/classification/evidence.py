"""The evidence review suggestions learn from, kept per inventory run (``run_evidence``).

Suggestions rank categories for a review group from how the current inventories of the
authority under review, and of authorities that share their figures
(``tracker.access.sharing_with``), classified the same supplier, the same expense type,
or the same words
(tracker.domain.suggest, tracker.domain.suggest_words). Summing that over every line of
every authority on each review made the review's time grow with the whole installation
(about 2 s per 200,000 lines). Instead each run's evidence is learned once, from that
run's lines, and stored; a review sums a few rows per key over the current runs.

- ``learn_evidence`` learns and stores the evidence of given runs: the inventory calls it
  for each run it computes, in the same transaction, so that a review never has to learn
  many runs at once (after a new factor edition restates every authority, say);
- ``gather_evidence`` does it for every current run that has none yet: runs computed
  before this table existed (``tracker db upgrade`` calls it); a review only reads. A
  run's lines never change, so its evidence is never learned again.
- ``supplier_evidence``, ``expense_type_evidence`` and ``word_model`` read the sums over
  the current runs (the latest run of each authority and financial year) of one factor
  family that the reviewing authority may learn from: a UK review learns from Defra
  groups, never from US NAICS codes, and nobody learns from an authority that does not
  share (security review finding 10: a suggestion would reveal its suppliers).

Lines classified by an accepted suggestion are left out, so suggestions do not feed on
themselves. Word votes are learned per run and then added up: a text classified in two
runs counts in each (tracker.domain.suggest_words.word_votes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Numeric, Select, Table, func, select, update
from sqlalchemy.orm import Session

from factors.classification import normalise
from tracker.access import sharing_with
from tracker.domain.codes import LineStatus, Method
from tracker.domain.suggest import Backing
from tracker.domain.suggest_words import WordModel, model_from_votes, word_votes
from tracker.models import InventoryRun, LineEmissionKey, RunEvidence, SpendLine, Supplier
from tracker.models.emissions import line_emission_table
from tracker.queries.current import current_run_ids
from tracker.queries.sql import among
from tracker.services.inventory.run_sums import LineGroups
from tracker.storage.bulk import bulk_insert
from tracker.storage.memo import Memo, database_key

SUPPLIER = "supplier"
EXPENSE_TYPE = "expense_type"
WORD = "word"
TREAT_SUPPLIER = "treat_supplier"  # how a supplier's decided lines were treated
TREAT_EXPENSE_TYPE = "treat_expense"  # how an expense type's decided lines were treated
TREATMENT_LENGTH = 32  # run_evidence.defra_group
EXCLUDED_PREFIX = "excluded: "  # how an excluded line's reason starts
RUNS_AT_ONCE = 200  # runs whose lines one gathering query reads
_PLACES = Decimal("0.000001")  # run_evidence.weight is Numeric(24, 6)
COLUMNS = ("run_id", "kind", "key", "defra_group", "weight", "lines", "basis")
BASIS_LENGTH = 140  # run_evidence.basis

Evidence = dict[str, dict[str, Decimal]]  # key → Defra group → weight
# evidence_of's answers (shared by the threads of a process: callers only read them).
_EVIDENCE: Memo[tuple[Evidence, Evidence, WordModel]] = Memo(64)


def current_runs(family: str | None = None, *, learner: int | None = None) -> Select[Any]:
    """The id of the latest inventory run of each authority and financial year; with
    ``family``, only those of them computed with that factor family (a year whose latest
    run moved to another family no longer counts for the old one); with ``learner`` (an
    authority id), only the runs of that authority and of authorities that share their
    figures (``tracker.access.sharing_with``)."""
    latest = current_run_ids()
    if family is None and learner is None:
        return latest
    stmt = select(InventoryRun.id).where(InventoryRun.id.in_(latest))
    if family is not None:
        stmt = stmt.where(InventoryRun.factor_family == family)
    if learner is not None:
        stmt = stmt.where(InventoryRun.authority_id.in_(sharing_with(learner)))
    return stmt


def gather_evidence(session: Session) -> int:
    """Learn and store the evidence of every current run that has none yet; return how
    many runs were gathered. The runs are locked first (PostgreSQL), so two reviews at
    once gather each run once; on SQLite writing sessions are serialised already."""
    missing = session.scalars(
        select(InventoryRun.id)
        .where(InventoryRun.id.in_(current_runs()), InventoryRun.evidence_texts.is_(None))
        .order_by(InventoryRun.id)
        .with_for_update()
    ).all()
    for start in range(0, len(missing), RUNS_AT_ONCE):
        learned = learn_evidence(session, missing[start : start + RUNS_AT_ONCE])
        for run_id, texts in learned.items():
            session.execute(
                update(InventoryRun).where(InventoryRun.id == run_id).values(evidence_texts=texts)
            )
    return len(missing)


def learn_evidence(
    session: Session, run_ids: Sequence[int], *, grouped: Groups | None = None
) -> dict[int, int]:
    """Learn the evidence of ``run_ids`` from their lines and store it in ``run_evidence``;
    return each run's number of distinct classified texts, for the caller to set as the
    run's ``evidence_texts`` (which marks the run as learned). ``grouped``: as for
    ``decided_spend``."""
    spend, treated = decided_spend(session, run_ids, grouped=grouped)
    texts_of: dict[int, int] = {}
    rows: list[dict[str, Any]] = []
    for run_id in run_ids:
        suppliers, expense_types, descriptions = spend.get(run_id, ({}, {}, {}))
        rows += _rows(run_id, SUPPLIER, suppliers)
        rows += _rows(run_id, EXPENSE_TYPE, expense_types)
        votes, texts = word_votes(
            [*_spend_of(suppliers), *_spend_of(expense_types), *descriptions.items()]
        )
        rows += [
            {"run_id": run_id, "kind": WORD, "key": word, "defra_group": group, "weight": w,
             "lines": 0, "basis": None}
            for word, groups in votes.items()
            for group, v in groups.items()
            if (w := Decimal(v).quantize(_PLACES)) > 0
        ]  # fmt: skip
        texts_of[run_id] = texts
    rows += [
        {"run_id": run, "kind": kind, "key": key, "defra_group": treatment,
         "weight": weight, "lines": lines, "basis": None}
        for (run, kind, key, treatment), (weight, lines) in treated.items()
    ]  # fmt: skip
    bulk_insert(session, cast(Table, RunEvidence.__table__), rows, columns=COLUMNS)
    return texts_of


@dataclass
class Tally:
    """Classified lines of one key in one group of one run: their |spend|, how many, and
    their spend by basis (the method and rule or code that decided them)."""

    spend: Decimal = Decimal(0)
    lines: int = 0
    by_basis: dict[str, Decimal] = field(default_factory=dict)

    def add(self, spend: Decimal, lines: int, basis: str) -> None:
        self.spend += spend
        self.lines += lines
        self.by_basis[basis] = self.by_basis.get(basis, Decimal(0)) + spend

    @property
    def basis(self) -> str | None:
        """The basis that decided most of the spend (the first by name of equals)."""
        if not self.by_basis:
            return None
        return max(sorted(self.by_basis), key=lambda b: self.by_basis[b])


Tallies = dict[str, dict[str, Tally]]  # key → Defra group → tally


def _spend_of(tallies: Tallies) -> Iterator[tuple[str, dict[str, Decimal]]]:
    for key, groups in tallies.items():
        yield key, {g: t.spend for g, t in groups.items()}


def basis_of(method: str | None, ref: str | None) -> str:
    """How a line was decided, in words: the method and the rule or code (``rule R075``,
    ``sic 42110``)."""
    return " ".join(p for p in (method, ref) if p)[:BASIS_LENGTH] or "unrecorded"


Treated = dict[tuple[int, str, str, str], tuple[Decimal, int]]
# Each run's lines grouped by tracker.services.inventory.run_sums.line_groups.
Groups = Mapping[int, LineGroups]


def treatment_of(status: str, category: str | None, reason: str | None) -> str | None:
    """How a decided line was treated: its category, or ``x:REASON`` when excluded."""
    if status == LineStatus.EXCLUDED:
        why = (reason or "").removeprefix(EXCLUDED_PREFIX).strip() or "unrecorded"
        return f"x:{why}"[:TREATMENT_LENGTH]
    return category


def _is_evidence(
    status: str, category: str | None, method: str | None, confidence: str | None
) -> bool:
    """Whether a line so decided is evidence: classified to a category, not by an accepted
    suggestion and not with low confidence."""
    return (
        status == LineStatus.MAPPED
        and category is not None
        and method != Method.SUGGESTION
        and confidence != "low"
    )


def decided_spend(
    session: Session, run_ids: Sequence[int], *, grouped: Groups | None = None
) -> tuple[dict[int, tuple[Tallies, Tallies, Evidence]], Treated]:
    """From one scan of the lines of ``run_ids``, grouped by run, supplier name key,
    expense type, description and key (a key's lines share their status, category,
    method, rule and confidence): what ``classified_spend`` returns, and how the decided
    lines (classified or excluded, by any method and at any confidence) were treated, per
    run, supplier name key or normalised expense type, and treatment: (|spend|, lines),
    keyed by (run, kind, key, treatment) with kind TREAT_SUPPLIER or TREAT_EXPENSE_TYPE
    (what tracker.services.treatments compares across authorities).

    ``grouped``: the lines of each of ``run_ids`` already grouped by ``line_groups`` (the
    inventory's run sums read them), rolled up here instead of scanning the lines again;
    the same sums, exactly (|spend| summed in whole pence)."""
    le, k = line_emission_table.c, LineEmissionKey
    stmt = (
        select(
            le.run_id,
            Supplier.name_key,
            SpendLine.expense_type,
            SpendLine.description,
            le.key_id,
            func.sum(func.abs(SpendLine.amount), type_=Numeric(18, 2)),
            func.count(),
        )
        .select_from(line_emission_table)
        .join(SpendLine, SpendLine.id == le.spend_line_id)
        .outerjoin(Supplier, Supplier.id == SpendLine.supplier_id)
        .where(among(le.run_id, run_ids))
        .group_by(
            le.run_id, Supplier.name_key, SpendLine.expense_type, SpendLine.description, le.key_id
        )
    )
    keys = {
        (run_id, key_id): (status, category, method, ref, confidence, reason)
        for run_id, key_id, status, category, method, ref, confidence, reason in session.execute(
            select(
                k.run_id, k.key_id, k.status, k.category_code, k.method, k.matched_code,
                k.confidence, k.reason,
            ).where(
                among(k.run_id, run_ids),
                k.status.in_((LineStatus.MAPPED, LineStatus.EXCLUDED)),
            )
        )
    }  # fmt: skip
    classified: dict[int, tuple[Tallies, Tallies, Evidence]] = {}
    treated: Treated = {}
    normalised: dict[str | None, str] = {}  # few distinct expense types, many rows
    # Core rows straight from the cursor: no ORM row processing for what may be most of
    # a large run's lines.
    rows = session.connection().execute(stmt) if grouped is None else _grouped_rows(grouped)
    for run_id, supplier, expense_type, description, key_id, spend, count in rows:
        decided = keys.get((run_id, key_id))
        if decided is None or spend is None:
            continue  # an unclassified line
        status, group, method, ref, confidence, reason = decided
        amount = Decimal(spend)
        expense = normalised.get(expense_type)
        if expense is None:
            expense = normalised[expense_type] = normalise(expense_type or "")
        treatment = treatment_of(status, group, reason)
        if treatment is not None:
            for kind, key in ((TREAT_SUPPLIER, supplier), (TREAT_EXPENSE_TYPE, expense)):
                if key:
                    was, n = treated.get((run_id, kind, key, treatment), (Decimal(0), 0))
                    treated[(run_id, kind, key, treatment)] = (was + amount, n + count)
        if not _is_evidence(status, group, method, confidence):
            continue
        assert group is not None
        suppliers, expense_types, descriptions = classified.setdefault(run_id, ({}, {}, {}))
        basis = basis_of(method, ref)
        for tallies, key in ((suppliers, supplier), (expense_types, expense)):
            if key:
                tallies.setdefault(key, {}).setdefault(group, Tally()).add(amount, count, basis)
        if description:
            groups = descriptions.setdefault(description, {})
            groups[group] = groups.get(group, Decimal(0)) + amount
    return classified, treated


def _grouped_rows(groups: Groups) -> Iterator[tuple[Any, ...]]:
    """``decided_spend``'s rows from ``line_groups``' (finer: also by supplier id, name and
    department; summing them again is exact)."""
    for run_id, grouped in groups.items():
        for name_key, expense, description, key_id, lines, abs_pence in grouped.evidence:
            spend = Decimal(abs_pence).scaleb(-2)
            yield run_id, name_key, expense, description, key_id, spend, lines


def classified_spend(
    session: Session, run_ids: Sequence[int]
) -> dict[int, tuple[Tallies, Tallies, Evidence]]:
    """Classified |spend| of the lines of ``run_ids`` per run and Defra group, by supplier
    name key and by normalised expense type (with line counts and bases), and by
    description (empty keys left out): what each run's evidence is learned from. Lines
    classified by an accepted suggestion, and lines decided with low confidence, are no
    evidence."""
    return decided_spend(session, run_ids)[0]


def _rows(run_id: int, kind: str, tallies: Tallies) -> Iterator[dict[str, Any]]:
    for key, groups in tallies.items():
        for group, t in groups.items():
            if t.spend > 0:
                yield {
                    "run_id": run_id,
                    "kind": kind,
                    "key": key,
                    "defra_group": group,
                    "weight": t.spend,
                    "lines": t.lines,
                    "basis": t.basis,
                }


Runs = Select[Any] | Sequence[int]  # a query of run ids, or the ids themselves


def _summed(session: Session, kind: str, runs: Runs) -> Iterator[tuple[str, str, Decimal]]:
    """(key, category, summed weight) of ``kind`` over ``runs``."""
    weight = func.sum(RunEvidence.weight)
    of_runs = (
        RunEvidence.run_id.in_(runs)
        if isinstance(runs, Select)
        else among(RunEvidence.run_id, runs)
    )
    stmt = (
        select(RunEvidence.key, RunEvidence.defra_group, weight)
        .where(RunEvidence.kind == kind, of_runs)
        .group_by(RunEvidence.key, RunEvidence.defra_group)
    )
    for key, group, total in session.execute(stmt):
        yield key, group, Decimal(total)


def _grouped(rows: Iterator[tuple[str, str, Decimal]]) -> Evidence:
    out: Evidence = {}
    for key, group, weight in rows:
        out.setdefault(key, {})[group] = weight
    return out


def supplier_evidence(session: Session, family: str, learner: int) -> Evidence:
    """Classified spend per supplier name key and category over the current inventories
    of factor family ``family`` that authority ``learner`` may learn from."""
    return _grouped(_summed(session, SUPPLIER, current_runs(family, learner=learner)))


def expense_type_evidence(session: Session, family: str, learner: int) -> Evidence:
    """Classified spend per normalised expense type (case, punctuation and spacing
    ignored) and category over the current inventories of ``family`` that ``learner``
    may learn from."""
    return _grouped(_summed(session, EXPENSE_TYPE, current_runs(family, learner=learner)))


def word_model(session: Session, family: str, learner: int) -> WordModel:
    """The word model learned from the current inventories of ``family`` that ``learner``
    may learn from."""
    runs = current_runs(family, learner=learner)
    texts = session.scalar(
        select(func.coalesce(func.sum(InventoryRun.evidence_texts), 0)).where(
            InventoryRun.id.in_(runs)
        )
    )
    return _word_model(session, runs, int(texts or 0))


def _word_model(session: Session, runs: Runs, texts: int) -> WordModel:
    votes: dict[str, dict[str, float]] = {}
    for word, group, weight in _summed(session, WORD, runs):
        votes.setdefault(word, {})[group] = float(weight)
    return model_from_votes(votes, texts)


def backing(
    session: Session,
    family: str,
    learner: int,
    kind: str,
    wanted: Collection[tuple[str, str]],
) -> dict[tuple[str, str], Backing]:
    """What lies behind each (key, Defra group) of ``wanted`` in evidence of ``kind``
    (supplier or expense type): the classified lines of ``learner`` itself and of the
    authorities sharing with it, with the basis that decided most of each's spend."""
    if not wanted:
        return {}
    stmt = (
        select(
            RunEvidence.key, RunEvidence.defra_group, InventoryRun.authority_id,
            RunEvidence.lines, RunEvidence.basis, RunEvidence.weight,
        )
        .join(InventoryRun, InventoryRun.id == RunEvidence.run_id)
        .where(
            RunEvidence.kind == kind,
            RunEvidence.key.in_(sorted({key for key, _ in wanted})),
            RunEvidence.run_id.in_(current_runs(family, learner=learner)),
        )
    )  # fmt: skip
    found: dict[tuple[str, str], tuple[Tally, Tally, set[int]]] = {}
    for key, group, authority_id, lines, basis, weight in session.execute(stmt):
        if (key, group) not in wanted:
            continue
        own, others, authorities = found.setdefault((key, group), (Tally(), Tally(), set()))
        if authority_id != learner:
            authorities.add(authority_id)
        tally = own if authority_id == learner else others
        tally.add(Decimal(weight), lines, basis or "unrecorded")
    return {
        k: Backing(own.lines, own.basis, others.lines, len(authorities), others.basis)
        for k, (own, others, authorities) in found.items()
    }


def evidence_of(
    session: Session, family: str, learner: int
) -> tuple[Evidence, Evidence, WordModel]:
    """The supplier, expense-type and word evidence of the
    factor family ``family`` (a review suggests categories of its own run's family) that
    authority ``learner`` may learn from: its own and that of authorities sharing their
    figures, never that of an authority that does not share (whose suppliers and their
    classification a suggestion would otherwise reveal).

    It only reads: every computed run learns its evidence (``compute_inventory``), and
    runs computed before the evidence was kept learn it at ``tracker db upgrade``
    (:func:`gather_evidence`).

    The answer is kept in this process (``_EVIDENCE``) under the database, ``family``,
    ``learner`` and each run it is learned from (id, creation time and
    ``evidence_texts``, which a run gains once, when its evidence is stored): a run's
    evidence never changes once stored, so a new run, a run learned, an authority that
    starts or stops sharing or one that moves to another factor family is a new key.
    The sums are read from exactly the runs named in the key, so an entry never holds the
    evidence of a run outside it, whatever committed between the two reads (issue 18:
    reading the evidence was 40 % of a review queue page's time)."""
    runs = learned_from(session, family, learner)
    key = (database_key(session), family, learner, runs)
    kept = _EVIDENCE.get(key)
    if kept is None:
        ids = [run_id for run_id, _created, _texts in runs]
        kept = (
            _grouped(_summed(session, SUPPLIER, ids)),
            _grouped(_summed(session, EXPENSE_TYPE, ids)),
            _word_model(session, ids, sum(texts or 0 for _id, _created, texts in runs)),
        )
        _EVIDENCE.put(key, kept)
    return kept


def learned_from(
    session: Session, family: str, learner: int
) -> tuple[tuple[int, dt.datetime, int | None], ...]:
    """The current runs of ``family`` that ``learner`` may learn from, as (id, creation
    time, ``evidence_texts``), by id."""
    rows = session.execute(
        select(InventoryRun.id, InventoryRun.created_at, InventoryRun.evidence_texts)
        .where(InventoryRun.id.in_(current_runs(family, learner=learner)))
        .order_by(InventoryRun.id)
    )
    return tuple((run_id, created, texts) for run_id, created, texts in rows)
