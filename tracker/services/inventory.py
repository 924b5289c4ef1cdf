"""Compute and store an authority's inventory for one financial year.

For each spend line (methodology.md §3.2)::

    kgCO2e = amount × FX(spend currency → factor currency, spend year)
                    × P(factor year) / P(spend year) × EF(code, factor year)

where the factor is the supplier's own intensity when one is recorded (hybrid method),
else the sector factor of the line's code in the authority's factor set and edition.
Every input of that product is stored on the line, with the rule that chose it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, and_, func, or_, select
from sqlalchemy.orm import Session

from factors.classification import load_group_naics, load_rule_naics
from tracker import __version__
from tracker.domain.calculate import category_totals, choose_factor_year, line_emissions
from tracker.domain.capital import capital_cost_centre, scope3_category
from tracker.domain.naics import NaicsMatch, naics_for_decision, resolve_naics
from tracker.domain.periods import fy_bounds, fy_label
from tracker.domain.pricing import PriceAdjustment, UsIndices, economy_adjustment
from tracker.domain.quality import DataQuality, score_line, weighted_quality
from tracker.domain.uncertainty import line_sigma
from tracker.domain.usd import DETAIL_INDEX, GDP_DEFLATOR, SUMMARY_INDEX
from tracker.errors import FactorDataError, TrackerError
from tracker.models import (
    Authority,
    InventoryRun,
    LineClass,
    LineEmission,
    LineOverride,
    PeriodLock,
    SpendLine,
    SupplierFactor,
)
from tracker.services.classify import build_classifier, skipped_rules
from tracker.services.evidence import learn_evidence
from tracker.services.factor_tables import UK_CPI, FactorTables, load_factor_tables, load_index
from tracker.services.line_classes import classify_lines
from tracker.services.rates import RateTable
from tracker.services.run_totals import RunTotals
from tracker.services.supplier_factors import pick_supplier_factor, supplier_factors_for
from tracker.storage.bulk import bulk_insert

KG_PLACES = Decimal("0.000001")
INSERT_CHUNK = 5000
POLICIES = ("matched", "fixed")
SUPPLIER_SPECIFIC = "supplier-specific"  # category of supplier-factor lines without a code
# Decisions that outrank a code on the line (policy §3): a person's override, group policy.
OUTRANK_LINE_CODES = frozenset({"override", "policy"})


@dataclass(frozen=True)
class Line:
    id: int
    day: dt.date
    amount: Decimal
    currency: str
    supplier_id: int | None
    sic: str | None
    naics: str | None
    proclass: str | None = None
    mcc: str | None = None
    cpv: str | None = None
    expense_type: str | None = None
    description: str | None = None
    supplier: str | None = None
    capital_or_revenue: str | None = None
    cost_centre: str | None = None
    decision: Decision | None = None  # from the line's override or its line_class row


@dataclass(frozen=True)
class Decision:
    """How a line was classified for the factor family, before any factor is looked up."""

    code: str | None
    status: str  # mapped | unmapped | excluded
    method: str | None
    level: str | None
    reason: str | None
    raw: str
    scope3_category: int | None = 1
    confidence: str | None = None
    decided_by: str | None = None  # who wrote the rule, default or override; None: shipped
    overruled: str | None = None  # evidence that disagreed and lost
    naics: str | None = None  # the EPA commodity a person's rule, default or override names


@functools.cache
def _naics_crosswalks() -> tuple[dict[str, str | None], dict[str, str | None]]:
    """Defra group → EPA NAICS commodity, and shared-library rule id → its refinement
    (None: the rule is too vague to name one, and its lines wait in review)."""
    groups = {g: c.code for g, c in load_group_naics().items()}
    rules = {r: c.code for r, c in load_rule_naics().items()}
    return groups, rules


class Calculator:
    """Per-line emissions for one authority, with all reference data in memory."""

    def __init__(
        self,
        session: Session,
        authority: Authority,
        tables: FactorTables,
    ) -> None:
        self.authority = authority
        self.tables = tables
        self.policy = authority.price_year_policy
        if self.policy not in POLICIES:
            raise TrackerError(f"Unknown price-year policy {self.policy!r}.")
        self.vintage = authority.fixed_vintage_year
        if self.policy == "fixed" and self.vintage not in tables.years:
            raise TrackerError(
                f"{authority.code}: fixed-vintage policy needs a factor year of "
                f"{tables.family} {tables.edition} ({', '.join(map(str, tables.years))}); "
                f"it is set to {self.vintage}."
            )
        self.cpi = load_index(session, UK_CPI)[""]
        self.factor_country = {"GBP": "GB", "USD": "US"}.get(tables.currency, "")
        self._us: UsIndices | None = None
        self._session = session
        self.rates = RateTable.load(session)
        self.supplier_factors = supplier_factors_for(session, authority.id)
        self._naics: dict[str, NaicsMatch] = {}
        self._groups: dict[Decision, Decision] = {}  # a Defra-group decision → via NAICS
        self._values = {code: e.value for (_, code), e in tables.factors.items()}
        # The US indices are read now, not when a line first needs them: the lines are
        # calculated while their rows stream into the database (COPY on PostgreSQL), and
        # the session's connection cannot run a query in the middle of that.
        if tables.currency == "USD" or any(
            sf.currency == "USD" for found in self.supplier_factors.values() for sf in found
        ):
            _ = self.us

    @property
    def us(self) -> UsIndices:
        if self._us is None:
            detail = load_index(self._session, DETAIL_INDEX)
            summary = load_index(self._session, SUMMARY_INDEX)
            gdpdef = load_index(self._session, GDP_DEFLATOR)[""]
            self._us = UsIndices(detail, summary, gdpdef)
        return self._us

    def adjust(
        self, currency: str, index_code: str | None, spend: int, factor: int
    ) -> PriceAdjustment:
        if currency == "GBP":
            return economy_adjustment(UK_CPI, self.cpi, spend, factor)
        if currency == "USD":
            return self.us.adjustment(index_code, spend, factor)
        raise FactorDataError(f"No price index is configured for factors in {currency}.")

    def factor_year(self, spend_year: int) -> int:
        if self.policy == "fixed" and self.vintage is not None:
            return self.vintage
        return choose_factor_year(spend_year, self.tables.years)

    def calculate(self, line: Line) -> dict[str, Any]:
        row: dict[str, Any] = {"spend_line_id": line.id, "kgco2e": Decimal(0)}
        if line.supplier_id is not None and line.supplier_id in self.supplier_factors:
            return row | self._supplier(line)
        return row | self._sector(line)

    def _supplier(self, line: Line) -> dict[str, Any]:
        sf: SupplierFactor = pick_supplier_factor(
            self.supplier_factors[line.supplier_id or 0], line.day.year
        )
        fx = self.rates.rate(line.currency, sf.currency, line.day.year)
        adj = self.adjust(sf.currency, None, line.day.year, sf.year)
        result = line_emissions(line.amount * fx, adj.deflator, Decimal(sf.kgco2e_per_unit))
        # The category still says what was bought; only the factor is the supplier's own.
        decision = self._code(line)
        code = decision.code if decision.status == "mapped" else None
        return {
            "status": "mapped",
            "method": "supplier",
            "match_level": "supplier-specific",
            "category_code": code or SUPPLIER_SPECIFIC,
            "scope3_category": decision.scope3_category or 1,
            "confidence": "high",
            "decided_by": decision.decided_by,
            "overruled": decision.overruled,
            "supplier_factor_id": sf.id,
            "factor_year": sf.year,
            "factor_value": Decimal(sf.kgco2e_per_unit),
            "reason": adj.note,
        } | self._amounts(line, fx, adj, result.kgco2e)

    def _code(self, line: Line) -> Decision:
        """How the line is classified for the factor family (cached per distinct inputs).

        A NAICS code on the line is the factor code for a NAICS factor family, unless a
        person's override or a group-wide policy decided the line: they outrank every code
        (docs/classification-policy.md §3)."""
        decided = line.decision is not None and line.decision.method in OUTRANK_LINE_CODES
        if self.tables.is_naics and line.naics and not decided:
            m = self._resolve(line.naics)
            status = "mapped" if m.code else "unmapped"
            return Decision(m.code, status, "naics", m.level, m.reason, line.naics)
        if line.decision is None:
            raise TrackerError(
                f"Spend line {line.id} has not been classified; "
                "classify the authority's lines first (tracker.services.line_classes)."
            )
        if self.tables.is_naics and line.decision.status == "mapped":
            if line.decision.naics is not None:
                return self._named(line.decision, line.decision.naics)
            return self._via_group(line.decision)
        return line.decision

    def _named(self, d: Decision, naics: str) -> Decision:
        """A line decided by a target that names its EPA commodity (a US authority's rule,
        supplier default or override): costed with that code; matched_code records
        rule > Defra group > NAICS."""
        m = self._resolve(naics)
        return replace(
            d,
            code=m.code,
            status="mapped" if m.code else "unmapped",
            reason=m.reason,
            raw=f"{d.raw} > {d.code} > {naics}",
        )

    def _resolve(self, naics: str) -> NaicsMatch:
        m = self._naics.get(naics)
        if m is None:
            m = self._naics[naics] = resolve_naics(naics, self.tables.codes, self._values)
        return m

    def _via_group(self, d: Decision) -> Decision:
        """A line with no NAICS code, classified to a Defra group (by a rule, a code
        crosswalk, a supplier default or an override): costed with the group's EPA
        commodity, or its library rule's finer one (factors/crosswalks/rule_naics.csv).
        The decision keeps its method and confidence; matched_code records the way,
        rule > Defra group > NAICS."""
        found = self._groups.get(d)
        if found is not None:
            return found
        group_naics, rule_naics = _naics_crosswalks()
        way = naics_for_decision(
            d.code or "", d.method, d.raw, group_naics=group_naics, rule_naics=rule_naics
        )
        if way.naics is None:
            found = replace(d, code=None, status="unmapped", reason=way.reason, raw=way.trace)
        else:
            m = self._resolve(way.naics)
            found = replace(
                d,
                code=m.code,
                status="mapped" if m.code else "unmapped",
                reason=m.reason,
                raw=way.trace,
            )
        self._groups[d] = found
        return found

    def _sector(self, line: Line) -> dict[str, Any]:
        d = self._code(line)
        code = d.code
        base: dict[str, Any] = {
            "method": d.method,
            "match_level": d.level,
            "scope3_category": d.scope3_category,
            "confidence": d.confidence,
            "decided_by": d.decided_by,
            "overruled": d.overruled,
        }
        if d.raw:
            base["matched_code"] = d.raw[:100]
        if d.status != "mapped" or code is None:
            return base | {"status": d.status, "reason": d.reason}
        factor_year = self.factor_year(line.day.year)
        entry = self.tables.factors.get((factor_year, code))
        if entry is None:
            return base | {
                "status": "unmapped",
                "reason": f"no {self.tables.family} {self.tables.edition} factor for {code} "
                f"in {factor_year}",
            }
        fx = self.rates.rate(line.currency, self.tables.currency, line.day.year)
        adj = self.adjust(self.tables.currency, entry.index_code, line.day.year, factor_year)
        result = line_emissions(line.amount * fx, adj.deflator, entry.value)
        return (
            base
            | {
                "status": "mapped",
                "reason": adj.note,
                "category_code": code,
                "factor_id": entry.factor_id,
                "factor_set_id": entry.set_id,
                "factor_year": factor_year,
                "factor_value": entry.value,
            }
            | self._amounts(line, fx, adj, result.kgco2e)
        )

    def _amounts(
        self, line: Line, fx: Decimal, adj: PriceAdjustment, kg: Decimal
    ) -> dict[str, Any]:
        return {
            "fx_rate": None if fx == 1 else fx.quantize(Decimal("1e-8")),
            "price_index_key": adj.index_key[:64],
            "price_index_spend_year": adj.index_spend_year,
            "price_index_factor_year": adj.index_factor_year,
            "deflator": adj.deflator.quantize(Decimal("1e-12")),
            "spend_in_factor_year": (line.amount * fx * adj.deflator).quantize(KG_PLACES),
            "kgco2e": kg.quantize(KG_PLACES),
        }


class QualityTally:
    """Per-line data-quality scores and the running figures for the run's totals.

    Uncertainty: each line's kgCO2e is lognormal with a spread set by its scores
    (tracker.domain.uncertainty); lines are independent, so variances add.
    """

    def __init__(self, factor_country: str, authority_country: str) -> None:
        self.factor_country = factor_country
        self.authority_country = authority_country
        self._weights: dict[DataQuality, Decimal] = {}  # scores -> Σ |spend|
        self._scores: dict[tuple[Any, ...], tuple[DataQuality, str]] = {}
        self._spread: dict[str, Decimal] = {}  # dq digits -> sd per kg
        self._variance = Decimal(0)
        self._kg = Decimal(0)
        self._supplier_kg = Decimal(0)

    def add(self, line: Line, row: dict[str, Any]) -> str:
        supplier = row.get("method") == "supplier"
        key = (row.get("method"), row.get("match_level"), row.get("factor_year"), line.day.year)
        scored = self._scores.get(key)
        if scored is None:
            dq = score_line(
                method=row.get("method") or "sic",
                match_level=row.get("match_level"),
                factor_year=row.get("factor_year"),
                spend_year=line.day.year,
                factor_country=self.authority_country if supplier else self.factor_country,
                authority_country=self.authority_country,
                supplier_specific=supplier,
            )
            scored = self._scores[key] = (dq, "".join(str(int(s)) for s in dq.scores()))
        dq, digits = scored
        spread = self._spread.get(digits)
        if spread is None:
            spread = self._spread[digits] = line_sigma(Decimal(1), dq)
        kg = row["kgco2e"]
        self._variance += (kg * spread) ** 2
        self._weights[dq] = self._weights.get(dq, Decimal(0)) + abs(line.amount)
        self._kg += kg
        if supplier:
            self._supplier_kg += kg
        return digits

    def sigma(self) -> Decimal:
        return self._variance.sqrt()

    def summary(self) -> dict[str, Any] | None:
        # Σ |spend| per distinct score set: the same weighted mean as line by line
        weighted = weighted_quality((w, dq) for dq, w in self._weights.items())
        if weighted is None:
            return None
        names = ("technology", "time", "geography", "completeness", "reliability")
        scores = {n: float(round(v, 2)) for n, v in zip(names, weighted.scores(), strict=True)}
        share = self._supplier_kg / self._kg if self._kg else Decimal(0)
        return {
            "scores": scores,
            "mean": float(round(weighted.mean, 2)),
            "supplier_specific_share": float(round(share, 4)),
            "uncertainty_model": "lognormal per line from pedigree scores; independent lines",
        }


def _decision(
    status: str,
    group: str | None,
    method: str | None,
    rule_ref: str,
    confidence: str | None,
    scope3: int | None,
    exclude_reason: str | None,
    decided_by: str | None,
    overruled: str | None = None,
    naics: str | None = None,
) -> Decision:
    reason = None
    if status == "excluded":
        reason = f"excluded: {exclude_reason}"
    elif status == "unmapped" and overruled:
        # Evidence that names an artefact group or says nothing was set aside (policy §10).
        reason = (
            "the line's evidence was set aside (Evidence that lost) and nothing else classifies it"
        )
    elif status == "unmapped":
        reason = "no code, rule or supplier default classifies this line"
    return Decision(
        group, status, method, confidence, reason, rule_ref, scope3, confidence, decided_by,
        overruled, naics,
    )  # fmt: skip


def _override(values: tuple[Any, ...], flag: str | None, cost_centre: str | None) -> Decision:
    """The decision of a line override (OVERRIDE_COLUMNS values); the line's capital flag
    and cost centre decide its category unless the override names one (capital.py)."""
    override_id, group, reason, scope3, who, naics = values
    category = scope3_category(
        override=scope3, flag=flag, cost_centre_capital=capital_cost_centre(cost_centre)
    )
    if reason is not None:
        return Decision(
            None, "excluded", "override", "high", f"excluded: {reason}",
            f"override {override_id}", None, "high", who,
        )  # fmt: skip
    return Decision(group, "mapped", "override", "high", None, f"override {override_id}",
                    category, "high", who, naics=naics)  # fmt: skip


def _inputs(session: Session, authority: Authority, start: dt.date, end: dt.date) -> dict[str, Any]:
    in_period = (
        SpendLine.authority_id == authority.id,
        SpendLine.transaction_date.between(start, end),
    )
    per_batch = session.execute(  # one pass over the period's lines
        select(SpendLine.batch_id, func.count(SpendLine.id), func.sum(SpendLine.amount))
        .where(*in_period)
        .group_by(SpendLine.batch_id)
        .order_by(SpendLine.batch_id)
    ).all()
    batches = [b for b, _, _ in per_batch]
    count = sum(n for _, n, _ in per_batch)
    amount = sum((Decimal(a) for _, _, a in per_batch), Decimal(0))
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
    } | ({"skipped_rules": skipped} if (skipped := skipped_rules(session, authority)) else {})


def current_run(session: Session, authority_id: int, year: int) -> InventoryRun | None:
    return session.scalar(
        select(InventoryRun)
        .where(InventoryRun.authority_id == authority_id, InventoryRun.fy_year == year)
        .order_by(InventoryRun.id.desc())
        .limit(1)
    )


def inputs_for(session: Session, authority: Authority, year: int) -> dict[str, Any]:
    """What an inventory of ``year`` would be computed from now (to compare with a run's)."""
    start, end = fy_bounds(year, authority.fy_start_month)
    tables = load_factor_tables(
        session, authority.default_factor_family, authority.default_factor_edition
    )
    return _inputs(session, authority, start, end) | {
        "factor_family": tables.family,
        "factor_edition": tables.edition,
        "factor_tables": tables.fingerprint,
        "classification": build_classifier(session, authority)[1],
        "tracker_version": __version__,
    }


def locked_run(session: Session, authority_id: int, year: int) -> InventoryRun | None:
    lock = session.scalar(
        select(PeriodLock).where(
            PeriodLock.authority_id == authority_id, PeriodLock.fy_year == year
        )
    )
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
    start, end = fy_bounds(year, authority.fy_start_month)
    tables = load_factor_tables(
        session, authority.default_factor_family, authority.default_factor_edition
    )
    classifier, rules_fingerprint = build_classifier(session, authority)
    classify_lines(session, authority, classifier=classifier, fingerprint=rules_fingerprint)
    inputs = _inputs(session, authority, start, end) | {
        "factor_family": tables.family,
        "factor_edition": tables.edition,
        "factor_tables": tables.fingerprint,
        "classification": rules_fingerprint,
        "tracker_version": __version__,
    }
    run = current_run(session, authority.id, year)
    if run is not None and not force and run.inputs == inputs:
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


# Line's fields, read from the spend_line columns of the same name unless mapped here.
LINE_FIELDS = tuple(f for f in Line.__dataclass_fields__ if f != "decision")
LINE_COLUMNS = {"day": "transaction_date", "supplier": "supplier_name"}
CLASS_COLUMNS = (
    LineClass.status,
    LineClass.defra_group,
    LineClass.method,
    LineClass.rule_ref,
    LineClass.confidence,
    LineClass.scope3_category,
    LineClass.exclude_reason,
    LineClass.decided_by,
    LineClass.overruled,
    LineClass.naics_code,
)
# Every line_emission column a row may carry (rows differ: an unmapped line has no factor).
EMISSION_COLUMNS = tuple(c.name for c in LineEmission.__table__.columns if c.name != "id")
OVERRIDE_COLUMNS = (
    LineOverride.id,
    LineOverride.defra_group,
    LineOverride.exclude_reason,
    LineOverride.scope3_category,
    LineOverride.created_by,
    LineOverride.naics_code,
)


def compute_inventory(
    session: Session, *, calculator: Calculator, year: int, inputs: dict[str, Any]
) -> InventoryRun:
    """Calculate every line of the year and store a new InventoryRun with its LineEmissions
    and its summary rows (tracker.services.run_totals)."""
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
        + (f":{calculator.vintage}" if calculator.policy == "fixed" else ""),
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
            SpendLine.authority_id == authority.id,
            SpendLine.transaction_date.between(start, end),
        )
    )
    tally = _RunTally(calculator, run.id)
    bulk_insert(
        session,
        cast(Table, LineEmission.__table__),
        tally.rows(lines),
        chunk=INSERT_CHUNK,
        columns=EMISSION_COLUMNS,
    )
    tally.finish(session, run)
    # What review suggestions learn from this run (its lines are stored by now).
    run.evidence_texts = learn_evidence(session, [run.id])[run.id]
    session.flush()
    return run


class _RunTally:
    """Turns the year's lines into line-emission rows while adding up the run's figures."""

    def __init__(self, calculator: Calculator, run_id: int) -> None:
        self.calculator = calculator
        self.run_id = run_id
        self.quality = QualityTally(calculator.factor_country, calculator.authority.country)
        self.totals = RunTotals()
        self.per_code: list[tuple[str, Decimal, Decimal]] = []
        self.count = 0
        self.total_spend = self.mapped_spend = self.excluded_spend = Decimal(0)

    def rows(self, lines: Iterable[Any]) -> Iterator[dict[str, Any]]:
        decisions: dict[tuple[Any, ...], Decision] = {}
        n = len(LINE_FIELDS)
        for values in lines:
            v: tuple[Any, ...] = tuple(values)
            fields = dict(zip(LINE_FIELDS, v[:n], strict=True))
            override = v[n + len(CLASS_COLUMNS) :]
            decision: Decision | None
            if override[0] is not None:
                decision = _override(override, fields["capital_or_revenue"], fields["cost_centre"])
            else:
                cls = v[n : n + len(CLASS_COLUMNS)]
                decision = decisions.get(cls)
                if decision is None and cls[0] is not None:
                    decision = decisions[cls] = _decision(*cls)
            fields["amount"] = Decimal(fields["amount"])
            yield self._row(Line(**fields, decision=decision))

    def _row(self, line: Line) -> dict[str, Any]:
        row: dict[str, Any] = dict.fromkeys(EMISSION_COLUMNS)  # every column: rows insert alike
        row.update(self.calculator.calculate(line), run_id=self.run_id)
        self.count += 1
        self.total_spend += line.amount
        if row["status"] == "mapped":
            self.mapped_spend += line.amount
            self.per_code.append((row["category_code"], line.amount, row["kgco2e"]))
            row["dq"] = self.quality.add(line, row)
        elif row["status"] == "excluded":
            self.excluded_spend += line.amount
        self.totals.add(row, line.amount, line.supplier_id, line.supplier, line.cost_centre)
        return row

    def finish(self, session: Session, run: InventoryRun) -> None:
        """Write the run's summary rows and set its totals (after every row was made)."""
        self.totals.write(session, run.id)
        run.line_count = self.count
        run.total_spend = self.total_spend
        run.mapped_spend = self.mapped_spend
        run.excluded_spend = self.excluded_spend
        run.sigma_kgco2e = self.quality.sigma().quantize(KG_PLACES)
        run.data_quality = self.quality.summary()
        kg = sum((c.kgco2e for c in category_totals(self.per_code)), Decimal(0))
        run.total_kgco2e = kg.quantize(KG_PLACES)


def refresh_inventories(session: Session, *, authority: Authority, years: list[int]) -> list[str]:
    """Bring each year's inventory up to date; a year that cannot be computed yet (a
    missing exchange rate or index) is skipped with a note, leaving the others done."""
    notes = []
    for year in years:
        try:
            with session.begin_nested():
                ensure_inventory(session, authority=authority, year=year)
        except FactorDataError as exc:
            label = fy_label(year, authority.fy_start_month)
            notes.append(f"inventory {label} not computed: {exc}")
    return notes
