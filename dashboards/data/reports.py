"""The reports page's data and the downloads: the inventory report and the comparison
workbook as files."""

from __future__ import annotations

from dashboards.data.access import authority_for
from dashboards.data.sessions import read_session
from tracker.access import Viewer
from tracker.reports.compare import comparison_workbook as build_comparison
from tracker.reports.workbook import inventory_workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_workbook(viewer: Viewer, code: str, year: int) -> tuple[str, bytes]:
    """The inventory report of ``code`` for ``year`` as (file name, .xlsx bytes).

    Raises ``AccessDenied`` for an authority the viewer may not see (the one access check
    of the request), and ``TrackerError`` when the year has no inventory yet. It only
    reads, in a read-only session: an out-of-date inventory is marked so in the workbook
    with the reasons, never recomputed here.
    """
    with read_session() as session:
        authority = authority_for(session, viewer, code)
        content = inventory_workbook(session, authority=authority, year=year)
        authority_code = authority.code
    return f"{authority_code.lower()}-{year}-inventory.xlsx", content


def comparison_workbook(viewer: Viewer, year: int | None) -> tuple[str, bytes]:
    """The comparison workbook of the authorities whose aggregates ``viewer`` may see (as
    on the compare page), for ``year`` or each one's latest year, as (file name, bytes)."""
    with read_session() as session:
        content = build_comparison(session, viewer=viewer, year=year)
    return f"authorities-compared-{year if year is not None else 'latest'}.xlsx", content
