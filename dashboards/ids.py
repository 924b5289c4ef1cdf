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

# Compare page
COMPARE_YEAR = "compare-year"
COMPARE_BODY = "compare-body"
COMPARE_WARNINGS = "compare-warnings"
COMPARE_INTENSITY_FIGURE = "compare-intensity-figure"
COMPARE_RESIDENT_FIGURE = "compare-resident-figure"
COMPARE_MIX_FIGURE = "compare-mix-figure"
COMPARE_TABLE = "compare-table"

# Collaboration page
COLLAB_YEAR = "collaboration-year"
COLLAB_TOP = "collaboration-top"
COLLAB_BODY = "collaboration-body"
COLLAB_SHARED_FIGURE = "collaboration-shared-figure"
COLLAB_SHARED_TABLE = "collaboration-shared-table"
COLLAB_RANKING_TABLE = "collaboration-ranking-table"
COLLAB_SPREAD_FIGURE = "collaboration-spread-figure"
COLLAB_SPREAD_TABLE = "collaboration-spread-table"


def sparkline(code: str) -> str:
    """Id of an authority's trend sparkline on the overview page."""
    return f"overview-sparkline-{code}"
