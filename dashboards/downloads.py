"""Workbooks as files, from plain Flask routes (a download is not a Dash callback); the
request guard in ``dashboards.auth`` has already required a log-in.

- ``GET /reports/download?authority=CODE&year=YEAR``: an authority's inventory report;
  ``report_workbook`` checks that the user may see the authority.
- ``GET /compare/download?year=YEAR``: the comparison of the authorities whose
  aggregates the user may see, as on the compare page (``year`` optional: each
  authority's latest year).
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, Response, request

from dashboards import auth
from dashboards.reference_data import XLSX_TYPE, comparison_workbook, report_workbook
from tracker.access import AccessDenied
from tracker.errors import TrackerError

DOWNLOAD_PATH = "/reports/download"
COMPARE_DOWNLOAD_PATH = "/compare/download"


def download_href(code: str, year: int) -> str:
    return f"{DOWNLOAD_PATH}?{urlencode({'authority': code, 'year': year})}"


def compare_download_href(year: int | None) -> str:
    return COMPARE_DOWNLOAD_PATH + (f"?{urlencode({'year': year})}" if year is not None else "")


def _download() -> Response:
    code = request.args.get("authority", "")
    year = request.args.get("year", "")
    if not year.isdigit():
        return Response("Give a financial year, e.g. year=2023.", 400)
    try:
        name, content = report_workbook(auth.current_viewer(), code, int(year))
    except AccessDenied as exc:
        return Response(str(exc), 403)
    except TrackerError as exc:
        return Response(str(exc), 404)
    return _xlsx(name, content)


def _compare_download() -> Response:
    year = request.args.get("year", "")
    if year and not year.isdigit():
        return Response("Give a financial year, e.g. year=2023, or none for the latest.", 400)
    name, content = comparison_workbook(auth.current_viewer(), int(year) if year else None)
    return _xlsx(name, content)


def _xlsx(name: str, content: bytes) -> Response:
    return Response(
        content,
        mimetype=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def register_downloads(server: Flask) -> None:
    server.add_url_rule(DOWNLOAD_PATH, "report_download", _download, methods=["GET"])
    server.add_url_rule(
        COMPARE_DOWNLOAD_PATH, "compare_download", _compare_download, methods=["GET"]
    )
