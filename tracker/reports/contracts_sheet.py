"""The workbook's Contracts sheet: each contract of the authority with its spend and
emissions to date and the estimate for its value a year and what is left
(``tracker.services.contracts.figures``). Text from the published files goes through
``tracker.reports.cells`` (``safe_text``), so a title such as ``=HYPERLINK(…)`` is stored
as inert text."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from tracker.domain.units import to_tonnes
from tracker.reports.cells import DATE, INTEGER, MONEY, TONNES, Sheet
from tracker.services.contracts.figures import ContractFigures

WIDTHS = (40, 30, 34, 12, 12, 14, 14, 10, 12, 14, 12, 14, 12, 40)
HEAD = (
    "Contract",
    "Suppliers",
    "Category",
    "Start",
    "End",
    "Value",
    "Spend to date",
    "Payments",
    "tCO2e to date",
    "Value a year",
    "tCO2e a year",
    "Remaining value",
    "tCO2e remaining",
    "Note",
)
FORMATS = (None, None, None, DATE, DATE, MONEY, MONEY, INTEGER, TONNES, MONEY, TONNES, MONEY)
EXPLAINED = (
    "Spend to date: payments linked to the contract (same supplier, within its dates). "
    "Emissions to date: those payments in the current inventories. A year and remaining: "
    "the contract's value (net of VAT) over its length, and what is left after the spend to "
    "date, times its category's factor at the contract's price year (estimates)."
)


def _t(kg: Decimal | None) -> Decimal | None:
    return None if kg is None else to_tonnes(kg)


def write_contracts(s: Sheet, contracts: Sequence[ContractFigures]) -> None:
    s.title("Contracts")
    s.row([EXPLAINED])
    s.blank()
    s.header(HEAD, repeat=True)
    if not contracts:
        s.row(["No contracts imported for this authority."])
        return
    for f in contracts:
        c, e, t = f.contract, f.estimate, f.to_date
        category = e.category.name or e.category.reason or ""
        s.row(
            [
                c.title or c.description or c.source_key,
                "; ".join(f.suppliers),
                category,
                c.start_date,
                c.end_date,
                c.value_amount,
                t.spend,
                t.linked_lines,
                _t(t.kgco2e),
                e.value_a_year,
                _t(e.kg_a_year),
                e.remaining_value,
                _t(e.remaining_kg),
                e.note or "",
            ],
            [*FORMATS, TONNES],
        )
