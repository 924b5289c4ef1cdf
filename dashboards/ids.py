"""Every component id used by the dashboards, in one place."""

from __future__ import annotations

# Shell
HEADER = "shell-header"
NAV = "shell-nav"

# Overview page
OVERVIEW_CARDS = "overview-cards"

# Authority page
AUTHORITY_CODE_STORE = "authority-code"
YEAR_DROPDOWN = "authority-year"
YEARS_FIGURE = "authority-years-figure"
YEAR_PANEL = "authority-year-panel"
TOTALS = "authority-totals"
CATEGORY_FIGURE = "authority-category-figure"
CATEGORY_TABLE = "authority-category-table"
SUPPLIER_FIGURE = "authority-supplier-figure"
FACTOR_NOTE = "authority-factor-note"


def sparkline(code: str) -> str:
    """Id of an authority's trend sparkline on the overview page."""
    return f"overview-sparkline-{code}"
