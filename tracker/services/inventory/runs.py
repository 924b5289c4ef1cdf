"""Inventory runs: the current and locked run of a year, computing a run when its inputs
changed, and refreshing the years an import touched."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, text
from sqlalchemy.orm import Session

from tracker import __version__
from tracker.domain.codes import PriceYearPolicy
from tracker.domain.periods import fy_bounds
from tracker.domain.staleness import stale_reasons
from tracker.domain.usd import DETAIL_INDEX
from tracker.models import (
    Authority,
    ExchangeRate,
    InventoryRun,
    LineClass,
    LineOverride,
    SpendLine,
    SupplierFactor,
)
from tracker.queries.current import current_run, lock_of
from tracker.services.classification.builder import (
    build_classifier,
    classification_fingerprint,
    rule_digests,
    skipped_rules,
)
from tracker.services.classification.evidence import learn_evidence
from tracker.services.classification.line_classes import classify_lines
from tracker.services.inventory.calculator import Calculator
from tracker.services.inventory.emission_rows import write_rows
from tracker.services.inventory.factor_tables import (
    UK_CPI,
    FactorTables,
    load_factor_tables,
    tables_identity,
)
from tracker.services.inventory.keys import cost_lines
from tracker.services.inventory.run_sums import line_groups, sum_run
from tracker.services.inventory.tallies import (
    CLASS_COLUMNS,
    LINE_COLUMNS,
    LINE_FIELDS,
    OVERRIDE_COLUMNS,
    QualityTally,
    RunTally,
)

INSERT_CHUNK = 5000

#: From how many lines a year is costed as sets, by database; a database not named here,
#: or a smaller year, is costed line by line. Measured in the same runs (issue 18,
#: docs/benchmarks.md): the set path's temporary key table and its statements cost more
#: than they save on small years and less from a few thousand lines. SQLite: 300-line
#: years 1.8x as long as sets, 2,000 lines 1.2x, 8,000 lines 0.7x, 333,548 lines 0.4x.
#: PostgreSQL (7 December, after the set path costed in floating point and the planner
#: was given statistics): 300 lines 2.3x, 2,000 lines 1.0x, 8,000 lines 0.7x. Both paths
#: give the same rows and figures (tests/services/test_set_inventory.py).
SET_PATH_MIN_LINES: dict[str, int] = {"sqlite": 5000, "postgresql": 5000}


def _rates(session: Session, currencies: set[str], start: dt.date, end: dt.date) -> str:
    """A fingerprint of the exchange rates a year's lines are converted with: between the
    lines' currencies and the factors', for the calendar years the period spans ("" when
    every line is in the factors' currency)."""
    if len(currencies) < 2:
        return ""
    rows = session.execute(
        select(ExchangeRate.base, ExchangeRate.quote, ExchangeRate.year, ExchangeRate.rate)
        .where(
            ExchangeRate.base.in_(currencies),
            ExchangeRate.quote.in_(currencies),
            ExchangeRate.year.between(start.year, end.year),
        )
        .order_by(ExchangeRate.base, ExchangeRate.quote, ExchangeRate.year)
    ).all()
    return hashlib.sha256(repr([(b, q, y, str(r)) for b, q, y, r in rows]).encode()).hexdigest()[
        :16
    ]


def _inputs(
    session: Session, authority: Authority, start: dt.date, end: dt.date, factor_currency: str
) -> dict[str, Any]:
    in_period = (
        SpendLine.authority_id == authority.id,
        SpendLine.transaction_date.between(start, end),
    )
    lines: tuple[ColumnElement[bool], ...] = in_period
    if session.get_bind().dialect.name == "sqlite":
        # The period's line ids from the (authority, date) index, then the lines by id in
        # rowid order: in date order each line is a look-up at a random place of the table
        # (issue 18: 1.0 s -> 0.55 s for a year of 333,548 lines; as keys._hold_lines).
        lines = (SpendLine.id.in_(select(SpendLine.id).where(*in_period).scalar_subquery()),)
    per_batch = session.execute(  # one pass over the period's lines
        select(
            SpendLine.batch_id,
            SpendLine.currency,
            func.count(SpendLine.id),
            func.sum(SpendLine.amount),
        )
        .where(*lines)
        .group_by(SpendLine.batch_id, SpendLine.currency)
        .order_by(SpendLine.batch_id, SpendLine.currency)
    ).all()
    batches = list(dict.fromkeys(b for b, _, _, _ in per_batch))
    currencies = {c for _, c, _, _ in per_batch} | {factor_currency}
    count = sum(n for _, _, n, _ in per_batch)
    amount = sum((Decimal(a) for _, _, _, a in per_batch), Decimal(0))
    supplier_factors = session.scalars(
        select(SupplierFactor.id)
        .where(
            or_(SupplierFactor.authority_id == authority.id, SupplierFactor.authority_id.is_(None))
        )
        .order_by(SupplierFactor.id)
    ).all()
    overrides = session.execute(
        select(
            LineOverride.spend_line_id,
            LineOverride.defra_group,
            LineOverride.exclude_reason,
            LineOverride.scope3_category,
            LineOverride.naics_code,
        )
        .join(SpendLine, SpendLine.id == LineOverride.spend_line_id)
        .where(*in_period)
        .order_by(LineOverride.spend_line_id)
    ).all()
    return {
        "batches": batches,
        "overrides": hashlib.sha256(repr([tuple(o) for o in overrides]).encode()).hexdigest()[:16],
        "lines": int(count),
        "amount": str(Decimal(amount)),
        "supplier_factors": list(supplier_factors),
        "price_year_policy": authority.price_year_policy,
        "fixed_vintage_year": authority.fixed_vintage_year,
        "rates": _rates(session, currencies, start, end),
    } | ({"skipped_rules": skipped} if (skipped := skipped_rules(session, authority)) else {})


def inputs_for(
    session: Session,
    authority: Authority,
    year: int,
    *,
    tables: FactorTables | None = None,
    classification: str | None = None,
) -> dict[str, Any]:
    """What an inventory of ``year`` would be computed from now (to compare with a run's:
    tracker.domain.staleness). ``tables`` and ``classification`` (the rules' fingerprint)
    are read unless given."""
    start, end = fy_bounds(year, authority.fy_start_month)
    family, edition = authority.default_factor_family, authority.default_factor_edition
    if tables is None:
        fingerprint, currency = tables_identity(session, family, edition)
    else:
        fingerprint, currency = tables.fingerprint, tables.currency
    if classification is None:
        classification = classification_fingerprint(session, authority)
    return _inputs(session, authority, start, end, currency) | {
        "factor_family": family,
        "factor_edition": edition,
        "factor_tables": fingerprint,
        "classification": classification,
        "rules": rule_digests(session, authority),
        "tracker_version": __version__,
    }


def locked_run(session: Session, authority_id: int, year: int) -> InventoryRun | None:
    lock = lock_of(session, authority_id, year)
    return None if lock is None else session.get(InventoryRun, lock.run_id)


def ensure_inventory(
    session: Session,
    *,
    authority: Authority,
    year: int,
    force: bool = False,
    reason: str | None = None,
    actor: str | None = None,
) -> InventoryRun:
    """The current inventory run for ``year``, recomputed only when its inputs changed.

    A locked year keeps its locked version whatever changed; only a restatement
    (tracker.services.versions.restate_year, which passes ``force``) makes a new one.
    """
    if not force:
        frozen = locked_run(session, authority.id, year)
        if frozen is not None:
            return frozen
    _statistics(session)
    tables = load_factor_tables(
        session, authority.default_factor_family, authority.default_factor_edition
    )
    classifier, rules_fingerprint = build_classifier(session, authority)
    classify_lines(session, authority, classifier=classifier, fingerprint=rules_fingerprint)
    inputs = inputs_for(session, authority, year, tables=tables, classification=rules_fingerprint)
    run = current_run(session, authority.id, year)
    if run is not None and not force and not stale_reasons(run.inputs, inputs):
        return run
    calculator = Calculator(session, authority, tables)
    run = compute_inventory(session, calculator=calculator, year=year, inputs=inputs)
    run.version = 1 + (
        session.scalar(
            select(func.max(InventoryRun.version)).where(
                InventoryRun.authority_id == authority.id,
                InventoryRun.fy_year == year,
                InventoryRun.id != run.id,
            )
        )
        or 0
    )
    run.reason = reason
    run.created_by = actor
    session.flush()
    return run


def _statistics(session: Session) -> None:
    """PostgreSQL: analyse the lines and their classes if they never were (a new database,
    its first import still in this transaction). Without statistics the planner takes
    each table for a row or two and joins a line to its line_class row by reading every
    class of the authority (2,000 lines and 745 classes: 1.5 million rows visited), in
    classification and costing alike; once analysed (here or by autovacuum) it looks
    each class up by its key."""
    if session.get_bind().dialect.name != "postgresql":
        return
    never = session.scalars(
        text(
            "SELECT relname FROM pg_class WHERE oid IN"
            " (to_regclass('spend_line'), to_regclass('line_class')) AND reltuples < 0"
        )
    ).all()
    for name in never:
        session.execute(text(f"ANALYZE {name}"))


def compute_inventory(
    session: Session,
    *,
    calculator: Calculator,
    year: int,
    inputs: dict[str, Any],
    per_line: bool | None = None,
) -> InventoryRun:
    """Calculate every line of the year and store a new InventoryRun with its LineEmissions
    and its summary rows (tracker.services.inventory.totals).

    The lines are costed as sets in the database (tracker.services.inventory.keys) and
    summed there (run_sums); ``per_line`` costs and adds them up one by one in Python
    instead, as before: the same rows and figures, kept as the tests' oracle. Left as None,
    the database and the year's size (the line count in ``inputs``) choose: as sets from
    SET_PATH_MIN_LINES lines, else line by line."""
    authority = calculator.authority
    tables = calculator.tables
    start, end = fy_bounds(year, authority.fy_start_month)
    run = InventoryRun(
        authority_id=authority.id,
        fy_year=year,
        period_start=start,
        period_end=end,
        factor_family=tables.family,
        factor_edition=tables.edition,
        price_year_policy=calculator.policy
        + (f":{calculator.vintage}" if calculator.policy == PriceYearPolicy.FIXED else ""),
        price_index_key=UK_CPI if tables.currency == "GBP" else DETAIL_INDEX,
        tracker_version=__version__,
        line_count=0,
        total_spend=Decimal(0),
        mapped_spend=Decimal(0),
        total_kgco2e=Decimal(0),
        inputs=inputs,
    )
    session.add(run)
    session.flush()
    if per_line is None:
        per_line = not _as_sets(session, inputs)
    grouped = None
    if per_line:
        _compute_per_line(session, calculator, run, start, end)
    else:
        quality = QualityTally(calculator.factor_country, authority.country)
        cost_lines(session, calculator, quality, run.id, start, end)
        # One GROUP BY of the run's lines for both its sums and its evidence.
        grouped = {run.id: line_groups(session, run.id)}
        sum_run(session, run, grouped[run.id])
    # What review suggestions learn from this run (its lines are stored by now).
    run.evidence_texts = learn_evidence(session, [run.id], grouped=grouped)[run.id]
    session.flush()
    return run


def _as_sets(session: Session, inputs: dict[str, Any]) -> bool:
    """Whether a year of ``inputs["lines"]`` lines is costed as sets on this database."""
    least = SET_PATH_MIN_LINES.get(session.get_bind().dialect.name)
    return least is not None and int(inputs.get("lines", least)) >= least


def _compute_per_line(
    session: Session, calculator: Calculator, run: InventoryRun, start: dt.date, end: dt.date
) -> None:
    lines = session.execute(
        select(
            *(getattr(SpendLine, LINE_COLUMNS.get(f, f)) for f in LINE_FIELDS),
            *CLASS_COLUMNS,
            *OVERRIDE_COLUMNS,
        )
        .outerjoin(
            LineClass,
            and_(
                LineClass.authority_id == SpendLine.authority_id,
                LineClass.class_key == SpendLine.class_key,
            ),
        )
        .outerjoin(LineOverride, LineOverride.spend_line_id == SpendLine.id)
        .where(
            SpendLine.authority_id == calculator.authority.id,
            SpendLine.transaction_date.between(start, end),
        )
    )
    tally = RunTally(calculator, run.id)
    write_rows(session, run.id, tally.rows(lines), INSERT_CHUNK)
    tally.finish(session, run)
