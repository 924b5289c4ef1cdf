"""The CDP-style Scope 3 table: one row per GHG Protocol Scope 3 category. Pure.

The columns follow CDP's climate questionnaire question on Scope 3 emissions (category,
evaluation status, emissions in the reporting year, calculation method, percentage
calculated from data obtained from suppliers, explanation). This tracker calculates
category 1 (purchased goods and services) and category 2 (capital goods) from spend; the
other thirteen are outside what spend data can estimate here and are reported as not
evaluated, with that reason, rather than left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from tracker.domain.units import to_tonnes

CATEGORIES: dict[int, str] = {
    1: "Purchased goods and services",
    2: "Capital goods",
    3: "Fuel-and-energy-related activities (not included in Scope 1 or 2)",
    4: "Upstream transportation and distribution",
    5: "Waste generated in operations",
    6: "Business travel",
    7: "Employee commuting",
    8: "Upstream leased assets",
    9: "Downstream transportation and distribution",
    10: "Processing of sold products",
    11: "Use of sold products",
    12: "End of life treatment of sold products",
    13: "Downstream leased assets",
    14: "Franchises",
    15: "Investments",
}
CALCULATED = "Relevant, calculated"
NOT_EVALUATED = "Not evaluated"
SPEND_BASED = "Spend-based method"
HYBRID = "Hybrid method (supplier-specific factors where available, spend-based otherwise)"


@dataclass(frozen=True)
class CdpRow:
    category: int
    name: str
    status: str
    tco2e: Decimal | None
    method: str | None
    supplier_share: Decimal | None  # fraction of the category's emissions
    explanation: str


def cdp_rows(
    kg_by_category: Mapping[int, Decimal],
    supplier_kg_by_category: Mapping[int, Decimal],
    *,
    factor_source: str,
    period: str,
) -> list[CdpRow]:
    """Rows for categories 1-15: 1 and 2 calculated from spend, the rest not evaluated.

    The supplier share is supplier-specific kgCO2e / the category's kgCO2e (0 when the
    category has no emissions).
    """
    rows = []
    for number, name in CATEGORIES.items():
        if number in (1, 2):
            kg = kg_by_category.get(number, Decimal(0))
            supplier = supplier_kg_by_category.get(number, Decimal(0))
            share = supplier / kg if kg > 0 else Decimal(0)
            what = "spend on goods and services" if number == 1 else "capital spend"
            rows.append(
                CdpRow(
                    number,
                    name,
                    CALCULATED,
                    to_tonnes(kg),
                    HYBRID if supplier else SPEND_BASED,
                    share,
                    f"The authority's {what} in {period} (net of VAT, from its published "
                    f"spend data) multiplied by {factor_source} emission factors, deflated "
                    "to each factor's price year; out-of-scope spend (salaries, grants, "
                    "taxes and similar) is excluded.",
                )
            )
        else:
            rows.append(
                CdpRow(
                    number,
                    name,
                    NOT_EVALUATED,
                    None,
                    None,
                    None,
                    "Not estimated by this procurement-spend inventory; spend on this "
                    "activity, where bought in, is counted in category 1.",
                )
            )
    return rows
