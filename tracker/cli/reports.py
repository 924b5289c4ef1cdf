"""`tracker report`: the inventory workbook and CSV exports, and the comparison workbook."""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli.support import FINANCIAL_YEAR, TrackerGroup, open_session
from tracker.config import Settings
from tracker.domain.units import to_tonnes
from tracker.errors import TrackerError


@click.group("report", cls=TrackerGroup, invoke_without_command=True)
@click.option("--authority", "code", default=None, help="Authority code.")
@click.option("--year", type=FINANCIAL_YEAR, default=None, help="Financial year: 2023 or 2023/24.")
@click.option("--version", type=int, default=None, help="A stored version (default: current).")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the workbook to this .xlsx file.",
)
@click.option(
    "--csv-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Write CODE-YEAR-summary.csv and CODE-YEAR-lines.csv (UTF-8 with BOM) here.",
)
@click.pass_context
def report_cmd(
    ctx: click.Context,
    code: str | None,
    year: int | None,
    version: int | None,
    out: Path | None,
    csv_dir: Path | None,
) -> None:
    """Write the inventory report: an Excel workbook (--out) and/or CSV files (--csv-dir).

    \b
    Example:
        tracker report --authority SAL --year 2023 --out sal-2023.xlsx
        tracker report --authority SAL --year 2023 --csv-dir exports/
    """
    if ctx.invoked_subcommand is not None:
        return
    if code is None or year is None or (out is None and csv_dir is None):
        raise TrackerError(
            "tracker report needs --authority CODE, --year YEAR and --out FILE.xlsx "
            "and/or --csv-dir DIR."
        )
    if out is not None and out.suffix.lower() != ".xlsx":
        raise TrackerError(f"--out {out}: the report is an Excel workbook; use a .xlsx name.")
    from tracker.reports.csv_export import write_csv_exports
    from tracker.reports.workbook import write_inventory_workbook

    settings: Settings = ctx.obj
    with open_session(settings, read_only=True) as session:
        if out is not None:
            data = write_inventory_workbook(
                session, out, authority=code, year=year, version=version
            )
            r = data.report
            click.echo(
                f"Wrote {out} ({to_tonnes(r.total_kgco2e):,.1f} tCO2e, {r.line_count:,} lines, "
                f"version {r.version})"
            )
        if csv_dir is not None:
            paths = write_csv_exports(session, csv_dir, authority=code, year=year, version=version)
            click.echo("Wrote " + ", ".join(str(p) for p in paths))


@report_cmd.command("compare")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True)
@click.option(
    "--year", type=FINANCIAL_YEAR, default=None, help="Default: each authority's latest year."
)
@click.pass_obj
def report_compare(settings: Settings, out: Path, year: int | None) -> None:
    """Write a workbook comparing every authority (aggregates; for administrators).

    \b
    Example:
        tracker report compare --out authorities-2023.xlsx --year 2023
    """
    if out.suffix.lower() != ".xlsx":
        raise TrackerError(f"--out {out}: the comparison is an Excel workbook; use .xlsx.")
    from tracker.reports.compare import write_comparison_workbook

    with open_session(settings, read_only=True) as session:
        rows = write_comparison_workbook(session, out, year=year)
    click.echo(f"Wrote {out} ({len(rows)} authorities)")
