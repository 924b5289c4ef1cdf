"""``GET /reports/download?authority=CODE&year=YEAR``: the report workbook as a file.

A plain Flask route (a download is not a Dash callback); the request guard in
``dashboards.auth`` has already required a log-in, and ``report_workbook`` checks that the
user may see the authority.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, Response, request

from dashboards import auth
from dashboards.reference_data import XLSX_TYPE, report_workbook
from tracker.access import AccessDenied
from tracker.errors import TrackerError

DOWNLOAD_PATH = "/reports/download"


def download_href(code: str, year: int) -> str:
    return f"{DOWNLOAD_PATH}?{urlencode({'authority': code, 'year': year})}"


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
    return Response(
        content,
        mimetype=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def register_downloads(server: Flask) -> None:
    server.add_url_rule(DOWNLOAD_PATH, "report_download", _download, methods=["GET"])
