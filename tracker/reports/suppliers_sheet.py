"""The workbook's Suppliers sheet: the share of the authority's spend and emissions with
suppliers that had a Carbon Reduction Plan or a science-based target, year by year, and its
contracts above the PPN 006 threshold without a plan (``tracker.services.suppliers.kpis``).
Supplier names and titles from published files go through ``Sheet`` as inert text."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from tracker.domain.supplier_kpis import not_assessed_sentence
from tracker.domain.units import to_tonnes
from tracker.reports.cells import DATE, MONEY, PERCENT, TONNES, Sheet
from tracker.services.suppliers.kpis import KpiRow, UnplannedContract

WIDTHS = (40, 30, 16, 18, 14, 16, 18, 14)
KPI_HEAD = (
    "Year",
    "In-scope spend",
    "With a plan or SBT",
    "Share of spend",
    "tCO2e",
    "tCO2e with a plan or SBT",
    "Share of emissions",
    "SBT only: share of spend",
)
CONTRACT_HEAD = ("Contract", "Supplier", "Value", "Value a year incl. VAT", "Start", "End")
EXPLAINED = (
    "Spend and emissions of each year's current inventory (excluded spend left out) bought "
    "from suppliers with a Carbon Reduction Plan or a science-based target on record at some "
    "time in that year, as recorded by the centre of excellence."
)
PPN006 = (
    "Procurement Policy Note 006 asks for a Carbon Reduction Plan on contracts above £5m a "
    "year including VAT (value over the contract's length, at least a year, plus 20% VAT). "
    "Running contracts above it whose supplier has no plan on record:"
)


def _t(kg: Decimal) -> Decimal:
    return to_tonnes(kg)


def write_supplier_kpis(
    s: Sheet,
    rows: Sequence[KpiRow],
    contracts: Sequence[UnplannedContract],
    not_assessed: int = 0,
) -> None:
    """The sheet; ``not_assessed`` counts the contracts over the threshold in total that
    have no dates to annualise their value over (``not_assessed_contracts``), said under
    the list as the Suppliers page and ``tracker suppliers kpis`` say it."""
    s.title("Suppliers with a plan")
    s.row([EXPLAINED])
    s.blank()
    s.header(KPI_HEAD, repeat=True)
    if not rows:
        s.row(["No inventories yet."])
    for r in rows:
        p = r.plan_or_sbt
        s.row(
            [r.year_label, p.spend, p.spend_covered, p.spend_share, _t(p.kgco2e),
             _t(p.kgco2e_covered), p.kgco2e_share, r.sbt.spend_share],
            [None, MONEY, MONEY, PERCENT, TONNES, TONNES, PERCENT, PERCENT],
        )  # fmt: skip
    s.blank()
    s.row([PPN006])
    s.header(CONTRACT_HEAD)
    if not contracts:
        s.row(["None."])
    for c in contracts:
        s.row(
            [c.title or "", c.supplier_name, c.value, c.value_a_year_incl_vat, c.start_date,
             c.end_date],
            [None, None, MONEY, MONEY, DATE, DATE],
        )  # fmt: skip
    if not_assessed:
        s.row([not_assessed_sentence(not_assessed)])
