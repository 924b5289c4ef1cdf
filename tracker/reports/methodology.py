"""The Methodology and Restatements sheets of the inventory workbook."""

from __future__ import annotations

from factors.classification import exclusion_reasons
from tracker.domain.codes import PriceYearPolicy
from tracker.domain.units import to_tonnes
from tracker.reports.cells import DATETIME, FACTOR, INTEGER, MONEY, TONNES, Sheet
from tracker.reports.workbook_data import WorkbookData

FORMULA = (
    "kgCO2e = spend net of VAT × exchange rate (when the factor's currency differs) × "
    "P(factor year) / P(spend year) × factor (kgCO2e per unit of spend), where P is the "
    "price index; a supplier's own intensity replaces the sector factor where recorded."
)
PRICE_YEAR: dict[str, str] = {
    PriceYearPolicy.MATCHED: "matched: each line uses the factor of its spend year, or the nearest "
    "published year, and is deflated to that year's prices",
    PriceYearPolicy.FIXED: "fixed vintage: every line uses one factor year and is deflated to it",
}
UNCERTAINTY = (
    "Each line is lognormal with a spread from its five data-quality scores (ecoinvent v3 "
    "pedigree factors, basic uncertainty 1.5 for spend-based factors); lines are "
    "independent, so variances add within and across categories; 95% range = total ± "
    "1.96 σ, not below 0."
)


def write_methodology(s: Sheet, d: WorkbookData) -> None:
    r = d.report
    s.title("Methodology")
    s.item(
        "Scope",
        "GHG Protocol Scope 3 categories 1 (purchased goods and services) "
        "and 2 (capital goods), spend-based with supplier-specific factors where held",
    )
    s.item("Formula", FORMULA)
    policy = r.price_year_policy.split(":")[0]
    s.item(
        "Price-year policy",
        f"{PRICE_YEAR.get(policy, r.price_year_policy)} "
        f"({r.price_year_policy}); price index {r.price_index}",
    )
    s.item("Uncertainty", UNCERTAINTY)
    s.item(
        "Credit notes",
        "reduce the category they reverse; a category whose credits "
        "exceed its purchases is reported as 0 and flagged",
    )
    s.blank()
    s.title("Factor sources")
    s.header(
        [
            "Factor set",
            "Edition",
            "Data year",
            "Title",
            "Publisher",
            "Licence",
            "Source URL",
            "Source file",
            "Source file sha256",
        ]
    )
    for f in d.factor_sets:
        s.row(
            [
                f.family,
                f.edition,
                f.data_year,
                f.title,
                f.publisher,
                f.licence,
                f.source_url,
                f.source_file,
                f.source_sha256,
            ]
        )
    s.blank()
    s.title("Exchange rates used")
    if d.rates:
        s.header(["Spend currency", "Factor currency", "Year", "Rate", "Lines", "", "Source"])
        for x in d.rates:
            s.row(
                [x.currency, x.factor_currency, x.year, x.rate, x.lines, "", x.source],
                [None, None, None, FACTOR, INTEGER],
            )
    else:
        s.item("None", "all spend is in the factors' currency")
    s.blank()
    s.title("Exclusions (spend outside Scope 3 categories 1 and 2)")
    if r.excluded:
        labels = exclusion_labels()
        s.header(["Reason", "Spend", "Lines", "Why (docs/classification-policy.md §2)"])
        for e in r.excluded:
            s.row([e.reason, e.spend, e.lines, labels.get(e.reason, "")], [None, MONEY, INTEGER])
        s.blank()
        s.title("Largest excluded payees")
        s.header(["Payee", "Spend", "Lines", "Reason"])
        for p in r.excluded_payees:
            s.row([p.payee, p.spend, p.lines, p.reason], [None, MONEY, INTEGER])
    else:
        s.item("None", "no spend was excluded")
    s.blank()
    s.title("Restatements of earlier years (from the audit log)")
    write_restatement_rows(s, d)


def write_restatements(s: Sheet, d: WorkbookData) -> None:
    s.title("Restated years, with reasons")
    write_restatement_rows(s, d, repeat=True)


def write_restatement_rows(s: Sheet, d: WorkbookData, *, repeat: bool = False) -> None:
    """The restatements table; with ``repeat`` its header heads every printed page."""
    if not d.restatements:
        s.item("None", "no year of this authority has been restated")
        return
    s.header(
        [
            "Year",
            "When (UTC)",
            "Who",
            "From version",
            "To version",
            "From (tCO2e)",
            "To (tCO2e)",
            "Reason",
        ],
        repeat=repeat,
    )
    for x in d.restatements:
        s.row(
            [
                x.year,
                x.at,
                x.actor,
                x.from_version,
                x.to_version,
                None if x.from_kg is None else to_tonnes(x.from_kg),
                None if x.to_kg is None else to_tonnes(x.to_kg),
                x.reason,
            ],
            [None, DATETIME, None, None, None, TONNES, TONNES],
        )


def exclusion_labels() -> dict[str, str]:
    """Exclusion reason → its label and description (factors/crosswalks/exclusions.csv)."""
    return {r: f"{e.label}: {e.description}" for r, e in exclusion_reasons().items()}
