"""One spend line's emissions: the factor, price and exchange-rate inputs and the product
(methodology.md §3.2), with every input kept on the line."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from factors.naics import load_group_naics, load_rule_naics
from tracker.domain.calculate import choose_factor_year, line_emissions
from tracker.domain.codes import LineStatus, Method, PriceYearPolicy
from tracker.domain.naics import NaicsMatch, naics_for_decision, resolve_naics
from tracker.domain.pricing import PriceAdjustment, UsIndices, economy_adjustment
from tracker.domain.usd import DETAIL_INDEX, GDP_DEFLATOR, SUMMARY_INDEX
from tracker.errors import FactorDataError, TrackerError
from tracker.models import (
    Authority,
    SupplierFactor,
)
from tracker.services.inventory.factor_tables import (
    UK_CPI,
    FactorTables,
    load_index,
)
from tracker.services.inventory.supplier_factors import pick_supplier_factor, supplier_factors_for
from tracker.services.rates import RateTable

KG_PLACES = Decimal("0.000001")


POLICIES = tuple(PriceYearPolicy)


SUPPLIER_SPECIFIC = "supplier-specific"  # category of supplier-factor lines without a code


# Decisions that outrank a code on the line (policy §3): a person's override, group policy.
OUTRANK_LINE_CODES = frozenset({Method.OVERRIDE, Method.POLICY})


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


@dataclass(frozen=True)
class Product:
    """The multipliers of a costed line's amount: exchange rate, deflator and factor. Its
    arithmetic is the line's, step by step in Decimal's default context (28 significant
    digits), so a line costed here or from a key (tracker.services.inventory.keys) is
    rounded alike."""

    fx: Decimal
    deflator: Decimal
    factor: Decimal

    def spend(self, amount: Decimal) -> Decimal:
        """spend_in_factor_year, as stored (6 places, half to even)."""
        return (amount * self.fx * self.deflator).quantize(KG_PLACES)

    def kg(self, amount: Decimal) -> Decimal:
        """kgCO2e, as stored (6 places, half to even)."""
        return line_emissions(amount * self.fx, self.deflator, self.factor).kgco2e.quantize(
            KG_PLACES
        )


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
        if self.policy == PriceYearPolicy.FIXED and self.vintage not in tables.years:
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
        if self.policy == PriceYearPolicy.FIXED and self.vintage is not None:
            return self.vintage
        return choose_factor_year(spend_year, self.tables.years)

    def calculate(self, line: Line) -> dict[str, Any]:
        row, product = self.costing(line)
        if product is None:
            return row
        return row | {
            "spend_in_factor_year": product.spend(line.amount),
            "kgco2e": product.kg(line.amount),
        }

    def costing(self, line: Line) -> tuple[dict[str, Any], Product | None]:
        """The line's row without its two amounts (spend_in_factor_year and kgco2e, 0 for
        a line not costed), and the Product that makes them from its amount (None: not
        costed). Nothing here depends on the line's amount."""
        row: dict[str, Any] = {"spend_line_id": line.id, "kgco2e": Decimal(0)}
        costed: tuple[dict[str, Any], Product | None]
        if line.supplier_id is not None and line.supplier_id in self.supplier_factors:
            costed = self._supplier(line)
        else:
            costed = self._sector(line)
        return row | costed[0], costed[1]

    def _supplier(self, line: Line) -> tuple[dict[str, Any], Product]:
        sf: SupplierFactor = pick_supplier_factor(
            self.supplier_factors[line.supplier_id or 0], line.day.year
        )
        fx = self.rates.rate(line.currency, sf.currency, line.day.year)
        adj = self.adjust(sf.currency, None, line.day.year, sf.year)
        product = Product(fx, adj.deflator, Decimal(sf.kgco2e_per_unit))
        # The category still says what was bought; only the factor is the supplier's own.
        decision = self._code(line)
        code = decision.code if decision.status == LineStatus.MAPPED else None
        return {
            "status": LineStatus.MAPPED,
            "method": Method.SUPPLIER,
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
        } | self._inputs(fx, adj), product

    def _code(self, line: Line) -> Decision:
        """How the line is classified for the factor family (cached per distinct inputs).

        A NAICS code on the line is the factor code for a NAICS factor family, unless a
        person's override or a group-wide policy decided the line: they outrank every code
        (docs/classification-policy.md §3)."""
        decided = line.decision is not None and line.decision.method in OUTRANK_LINE_CODES
        if self.tables.is_naics and line.naics and not decided:
            m = self._resolve(line.naics)
            status = LineStatus.MAPPED if m.code else LineStatus.UNMAPPED
            return Decision(m.code, status, Method.NAICS, m.level, m.reason, line.naics)
        if line.decision is None:
            raise TrackerError(
                f"Spend line {line.id} has not been classified; "
                "classify the authority's lines first "
                "(tracker.services.classification.line_classes)."
            )
        if self.tables.is_naics and line.decision.status == LineStatus.MAPPED:
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
            status=LineStatus.MAPPED if m.code else LineStatus.UNMAPPED,
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
            found = replace(
                d, code=None, status=LineStatus.UNMAPPED, reason=way.reason, raw=way.trace
            )
        else:
            m = self._resolve(way.naics)
            found = replace(
                d,
                code=m.code,
                status=LineStatus.MAPPED if m.code else LineStatus.UNMAPPED,
                reason=m.reason,
                raw=way.trace,
            )
        self._groups[d] = found
        return found

    def _sector(self, line: Line) -> tuple[dict[str, Any], Product | None]:
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
        if d.status != LineStatus.MAPPED or code is None:
            return base | {"status": d.status, "reason": d.reason}, None
        factor_year = self.factor_year(line.day.year)
        entry = self.tables.factors.get((factor_year, code))
        if entry is None:
            return base | {
                "status": LineStatus.UNMAPPED,
                "reason": f"no {self.tables.family} {self.tables.edition} factor for {code} "
                f"in {factor_year}",
            }, None
        fx = self.rates.rate(line.currency, self.tables.currency, line.day.year)
        adj = self.adjust(self.tables.currency, entry.index_code, line.day.year, factor_year)
        return (
            base
            | {
                "status": LineStatus.MAPPED,
                "reason": adj.note,
                "category_code": code,
                "factor_id": entry.factor_id,
                "factor_set_id": entry.set_id,
                "factor_year": factor_year,
                "factor_value": entry.value,
            }
            | self._inputs(fx, adj)
        ), Product(fx, adj.deflator, entry.value)

    def _inputs(self, fx: Decimal, adj: PriceAdjustment) -> dict[str, Any]:
        return {
            "fx_rate": None if fx == 1 else fx.quantize(Decimal("1e-8")),
            "price_index_key": adj.index_key[:64],
            "price_index_spend_year": adj.index_spend_year,
            "price_index_factor_year": adj.index_factor_year,
            "deflator": adj.deflator.quantize(Decimal("1e-12")),
        }
