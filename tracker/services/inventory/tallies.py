"""A run's lines turned into line-emission rows while adding up the run's figures and its
data quality (pedigree scores and the 95 % range)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from tracker.domain.calculate import category_totals
from tracker.domain.capital import capital_cost_centre, scope3_category
from tracker.domain.codes import LineStatus, Method
from tracker.domain.quality import DataQuality, score_line, weighted_quality
from tracker.domain.uncertainty import line_sigma
from tracker.models import (
    InventoryRun,
    LineClass,
    LineOverride,
)
from tracker.services.inventory.calculator import KG_PLACES, Calculator, Decision, Line
from tracker.services.inventory.emission_rows import ROW_FIELDS
from tracker.services.inventory.totals import RunTotals


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

    def score(self, row: dict[str, Any], spend_year: int) -> tuple[DataQuality, str]:
        """The scores of a mapped line's row, and as its five stored digits."""
        supplier = row.get("method") == Method.SUPPLIER
        key = (row.get("method"), row.get("match_level"), row.get("factor_year"), spend_year)
        scored = self._scores.get(key)
        if scored is None:
            dq = score_line(
                method=row.get("method") or Method.SIC,
                match_level=row.get("match_level"),
                factor_year=row.get("factor_year"),
                spend_year=spend_year,
                factor_country=self.authority_country if supplier else self.factor_country,
                authority_country=self.authority_country,
                supplier_specific=supplier,
            )
            scored = self._scores[key] = (dq, "".join(str(int(s)) for s in dq.scores()))
        return scored

    def add(self, line: Line, row: dict[str, Any]) -> str:
        supplier = row.get("method") == Method.SUPPLIER
        dq, digits = self.score(row, line.day.year)
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
        return quality_summary(self._weights.items(), self._supplier_kg, self._kg)


def quality_summary(
    weights: Iterable[tuple[DataQuality, Decimal]], supplier_kg: Decimal, kg: Decimal
) -> dict[str, Any] | None:
    """A run's data_quality: the scores weighted by Σ |spend| per score set, and the share
    of the mapped kgCO2e ``kg`` that suppliers' own factors gave (``supplier_kg``)."""
    weighted = weighted_quality((w, dq) for dq, w in weights)
    if weighted is None:
        return None
    names = ("technology", "time", "geography", "completeness", "reliability")
    scores = {n: float(round(v, 2)) for n, v in zip(names, weighted.scores(), strict=True)}
    share = supplier_kg / kg if kg else Decimal(0)
    return {
        "scores": scores,
        "mean": float(round(weighted.mean, 2)),
        "supplier_specific_share": float(round(share, 4)),
        "uncertainty_model": "lognormal per line from pedigree scores; independent lines",
    }


def decision_of(
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
    if status == LineStatus.EXCLUDED:
        reason = f"excluded: {exclude_reason}"
    elif status == LineStatus.UNMAPPED and overruled:
        # Evidence that names an artefact group or says nothing was set aside (policy §10).
        reason = (
            "the line's evidence was set aside (Evidence that lost) and nothing else classifies it"
        )
    elif status == LineStatus.UNMAPPED:
        reason = "no code, rule or supplier default classifies this line"
    return Decision(
        group, status, method, confidence, reason, rule_ref, scope3, confidence, decided_by,
        overruled, naics,
    )  # fmt: skip


def override_decision(
    values: tuple[Any, ...], flag: str | None, cost_centre: str | None
) -> Decision:
    """The decision of a line override (OVERRIDE_COLUMNS values); the line's capital flag
    and cost centre decide its category unless the override names one (capital.py)."""
    override_id, group, reason, scope3, who, naics = values
    category = scope3_category(
        override=scope3, flag=flag, cost_centre_capital=capital_cost_centre(cost_centre)
    )
    if reason is not None:
        return Decision(
            None, LineStatus.EXCLUDED, Method.OVERRIDE, "high", f"excluded: {reason}",
            f"override {override_id}", None, "high", who,
        )  # fmt: skip
    return Decision(group, LineStatus.MAPPED, Method.OVERRIDE, "high", None,
                    f"override {override_id}", category, "high", who, naics=naics)  # fmt: skip


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


OVERRIDE_COLUMNS = (
    LineOverride.id,
    LineOverride.defra_group,
    LineOverride.exclude_reason,
    LineOverride.scope3_category,
    LineOverride.created_by,
    LineOverride.naics_code,
)


class RunTally:
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
                decision = override_decision(
                    override, fields["capital_or_revenue"], fields["cost_centre"]
                )
            else:
                cls = v[n : n + len(CLASS_COLUMNS)]
                decision = decisions.get(cls)
                if decision is None and cls[0] is not None:
                    decision = decisions[cls] = decision_of(*cls)
            fields["amount"] = Decimal(fields["amount"])
            yield self._row(Line(**fields, decision=decision))

    def _row(self, line: Line) -> dict[str, Any]:
        row: dict[str, Any] = dict.fromkeys(ROW_FIELDS)  # every field: rows insert alike
        row.update(self.calculator.calculate(line), run_id=self.run_id)
        self.count += 1
        self.total_spend += line.amount
        if row["status"] == LineStatus.MAPPED:
            self.mapped_spend += line.amount
            self.per_code.append((row["category_code"], line.amount, row["kgco2e"]))
            row["dq"] = self.quality.add(line, row)
        elif row["status"] == LineStatus.EXCLUDED:
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
