"""Every component id used by the dashboards, in one place."""

from __future__ import annotations

# Shell
HEADER = "shell-header"
NAV = "shell-nav"
USER_BOX = "shell-user"
LOGOUT_BUTTON = "shell-logout"

# Overview page
OVERVIEW_CARDS = "overview-cards"

# Authority page
AUTHORITY_CODE_STORE = "authority-code"
YEAR_DROPDOWN = "authority-year"
YEAR_SHOWN = "authority-year-shown"  # the year the chart and panel show now
YEARS_FIGURE = "authority-years-figure"
YEAR_PANEL = "authority-year-panel"
TOTALS = "authority-totals"
CATEGORY_FIGURE = "authority-category-figure"
CATEGORY_TABLE = "authority-category-table"
SUPPLIER_FIGURE = "authority-supplier-figure"
FACTOR_NOTE = "authority-factor-note"
SCOPE3_TABLE = "authority-scope3-table"
COVERAGE_TABLE = "authority-coverage-table"
EXCLUDED_TABLE = "authority-excluded-table"
DRILL_CATEGORY = "authority-drill-category"
DRILL_PAGE = "authority-drill-page"
DRILL_PREV = "authority-drill-prev"
DRILL_NEXT = "authority-drill-next"
DRILL_TABLE = "authority-drill-table"
LOCK_REASON = "authority-lock-reason"
LOCK_BUTTON = "authority-lock"
RECALCULATE_BUTTON = "authority-recalculate"
RESTATE_BUTTON = "authority-restate"
LOCK_STATUS = "authority-lock-status"
BASELINE_REASON = "authority-baseline-reason"
BASELINE_BUTTON = "authority-baseline-restate"
BASELINE_STATUS = "authority-baseline-status"
PART_YEAR = "authority-part-year"
PART_YEAR_REASON = "authority-part-year-reason"
CONFIRM_YEAR_BUTTON = "authority-confirm-year"
WITHDRAW_YEAR_BUTTON = "authority-withdraw-confirmation"
PART_YEAR_STATUS = "authority-part-year-status"

# Compare page
COMPARE_YEAR = "compare-year"
COMPARE_BODY = "compare-body"
COMPARE_WARNINGS = "compare-warnings"
COMPARE_INTENSITY_FIGURE = "compare-intensity-figure"
COMPARE_RESIDENT_FIGURE = "compare-resident-figure"
COMPARE_MIX_FIGURE = "compare-mix-figure"
COMPARE_TABLE = "compare-table"
COMPARE_DOWNLOAD = "compare-download"

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


# Shared page controls
AUTHORITY_PICKER = "page-authority"
YEAR_PICKER = "page-year"

# Review page
REVIEW_QUEUE = "review-queue"
REVIEW_REFRESH = "review-refresh"
REVIEW_STATUS = "review-status"
RULE_PATTERN = "review-rule-pattern"
RULE_FIELD = "review-rule-field"
RULE_GROUP = "review-rule-group"
RULE_NAICS = "review-rule-naics"
RULE_ADD = "review-rule-add"
REVIEW_RULES = "review-rules"
RULE_DELETE = "review-rule-delete"  # pattern-matching type: {"type": RULE_DELETE, "index": id}
REVIEW_ACCEPT = "review-accept"  # pattern-matching type: {"type": REVIEW_ACCEPT, "index": n}
REVIEW_RANK = "review-rank"  # order the queue by spend or by tonnes at stake
REVIEW_PAGE = "review-page"  # the queue page shown (from 0)
REVIEW_PREV = "review-prev"
REVIEW_NEXT = "review-next"

# Sign-off page
SIGNOFF_LIST = "signoff-list"
SIGNOFF_REFRESH = "signoff-refresh"
SIGNOFF_STATUS = "signoff-status"
# pattern-matching type: {"type": SIGNOFF_CONFIRM, "index": class_key}
SIGNOFF_CONFIRM = "signoff-confirm"

# Upload page
UPLOAD = "upload-file"
UPLOAD_AUTHORITY = "upload-authority"
UPLOAD_TOKEN = "upload-token"
UPLOAD_PREVIEW = "upload-preview"
UPLOAD_MAPPING = "upload-mapping"  # pattern-matching type: {"type": UPLOAD_MAPPING, "field": f}
UPLOAD_CHECK = "upload-check"
UPLOAD_CONFIRM = "upload-confirm"
UPLOAD_OVERLAP = "upload-overlap"
UPLOAD_ORGANISATION = "upload-organisation"  # the officer confirms a file naming another body
UPLOAD_RESULT = "upload-result"
RULE_STATUS = "rule-status"  # the answer to "Add rule", beside the form
UPLOAD_IMPORTED = "upload-imported"  # what the last confirmed import stored, for a 2nd click

# Factors and reports pages
FACTOR_TABLE = "factors-table"
REPORT_LINK = "reports-link"
COLLAB_PIPELINE = "collaboration-pipeline"
COLLAB_PIPELINE_TABLE = "collaboration-pipeline-table"
COLLAB_PIPELINE_SUPPLIERS = "collaboration-pipeline-suppliers"
SUPPLIER_KPIS = "suppliers-kpis"
SUPPLIER_PPN006 = "suppliers-ppn006"
SUPPLIER_SEARCH = "suppliers-search"
SUPPLIER_RESULTS = "suppliers-results"
SUPPLIER_DETAIL = "suppliers-detail"
SUPPLIER_MERGES = "suppliers-merges"
SUPPLIER_MERGE_ACCEPT = "suppliers-merge-accept"
SUPPLIER_MERGE_REJECT = "suppliers-merge-reject"
SUPPLIER_MERGE_STATUS = "suppliers-merge-status"
CONTRACTS_AUTHORITY = "contracts-authority"
CONTRACTS_UPLOAD = "contracts-upload"
CONTRACTS_TOKEN = "contracts-token"
CONTRACTS_PREVIEW = "contracts-preview"
CONTRACTS_BUYERS = "contracts-buyers"  # buyers of the file to map to the chosen authority
CONTRACTS_CONFIRM = "contracts-confirm"
CONTRACTS_RESULT = "contracts-result"
CONTRACTS_PAGE = "contracts-page"  # the page of the list shown (1-based)
CONTRACTS_PREV = "contracts-prev"
CONTRACTS_NEXT = "contracts-next"
CONTRACTS_LIST = "contracts-list"
CONTRACTS_TABLE = "contracts-table"
CONTRACTS_VERSION = "contracts-version"  # bumped by an import, to reload the list
SUPPLIER_ID_STORE = "suppliers-id"
SUPPLIER_COMMIT_KIND = "suppliers-commitment-kind"
SUPPLIER_COMMIT_DATE = "suppliers-commitment-date"
SUPPLIER_COMMIT_SOURCE = "suppliers-commitment-source"
SUPPLIER_COMMIT_ADD = "suppliers-commitment-add"
SUPPLIER_COMMIT_STATUS = "suppliers-commitment-status"
SUPPLIER_DISCLOSE_YEAR = "suppliers-disclosure-year"
SUPPLIER_DISCLOSE_SCOPE1 = "suppliers-disclosure-scope1"
SUPPLIER_DISCLOSE_SCOPE2 = "suppliers-disclosure-scope2"
SUPPLIER_DISCLOSE_SCOPE3 = "suppliers-disclosure-scope3"
SUPPLIER_DISCLOSE_REVENUE = "suppliers-disclosure-revenue"
SUPPLIER_DISCLOSE_SOURCE = "suppliers-disclosure-source"
SUPPLIER_DISCLOSE_ADD = "suppliers-disclosure-add"
SUPPLIER_DISCLOSE_STATUS = "suppliers-disclosure-status"
