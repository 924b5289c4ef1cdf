"""Workbooks as files, from plain Flask routes (a download is not a Dash callback); the
request guard in ``dashboards.server.auth`` has already required a log-in.

- ``GET /reports/download?authority=CODE&year=YEAR``: an authority's inventory report;
  ``report_workbook`` checks that the user may see the authority.
- ``GET /compare/download?year=YEAR``: the comparison of the authorities whose
  aggregates the user may see, as on the compare page (``year`` optional: each
  authority's latest year).
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, Response, request

from dashboards.components.controls import MAX_YEAR, MIN_YEAR, parse_year
from dashboards.data.reports import XLSX_TYPE, comparison_workbook, report_workbook
from dashboards.server import auth
from tracker.access import AccessDenied
from tracker.errors import TrackerError

DOWNLOAD_PATH = "/reports/download"
COMPARE_DOWNLOAD_PATH = "/compare/download"


def download_href(code: str, year: int) -> str:
    return f"{DOWNLOAD_PATH}?{urlencode({'authority': code, 'year': year})}"


def compare_download_href(year: int | None) -> str:
    return COMPARE_DOWNLOAD_PATH + (f"?{urlencode({'year': year})}" if year is not None else "")


YEAR_HELP = f"a financial year from {MIN_YEAR} to {MAX_YEAR}, e.g. year=2023"


def _download() -> Response:
    code = request.args.get("authority", "")
    year = parse_year(request.args.get("year", ""))
    if year is None:
        return Response(f"Give {YEAR_HELP}.", 400)
    try:
        name, content = report_workbook(auth.current_viewer(), code, year)
    except AccessDenied as exc:
        return Response(str(exc), 403)
    except TrackerError as exc:
        return Response(str(exc), 404)
    return _xlsx(name, content)


def _compare_download() -> Response:
    text = request.args.get("year", "")
    year = parse_year(text)
    if text and year is None:
        return Response(f"Give {YEAR_HELP}, or none for the latest.", 400)
    name, content = comparison_workbook(auth.current_viewer(), year)
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
