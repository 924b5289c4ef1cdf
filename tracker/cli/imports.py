"""`tracker import`: read, validate and store a spend file."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from tracker.cli.support import open_session, print_json
from tracker.config import Settings
from tracker.errors import TrackerError
from tracker.importers import FIELDS


def _parse_map(values: tuple[str, ...]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in values:
        field, sep, header = item.partition("=")
        field = field.strip()
        if not sep or not header:
            raise TrackerError(f"--map {item!r}: expected FIELD=HEADER.")
        if field not in FIELDS:
            raise TrackerError(
                f"--map {item!r}: unknown field {field!r}; fields are " + ", ".join(FIELDS) + "."
            )
        mapping[field] = header
    return mapping


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--authority", "code", required=True, help="Authority code.")
@click.option("--sheet", default=None, help="Workbook sheet to read.")
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="FIELD=HEADER",
    help="Use column HEADER for FIELD (repeatable).",
)
@click.option("--dry-run", is_flag=True, help="Parse, validate and preview; store nothing.")
@click.option(
    "--on-overlap",
    type=click.Choice(["skip", "replace"]),
    default=None,
    help="When rows are already stored: skip them, or replace the earlier batch(es).",
)
@click.option(
    "--confirm-organisation",
    is_flag=True,
    help="Import even though the file's organisation column or title names another body.",
)
@click.option(
    "--preview",
    "preview_rows",
    type=int,
    default=0,
    metavar="N",
    help="Show the first N rows as they will be stored.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the import report as JSON.")
@click.pass_obj
def import_cmd(
    settings: Settings,
    file: Path,
    code: str,
    sheet: str | None,
    maps: tuple[str, ...],
    dry_run: bool,
    on_overlap: str | None,
    confirm_organisation: bool,
    preview_rows: int,
    as_json: bool,
) -> None:
    """Import a spend file (CSV, Excel or ODS) for an authority, as one transaction.

    \b
    Example:
        tracker import spend-2023-06.csv --authority SAL --map sic=sicc_int
    """
    from tracker.reports.import_report import render_import_result
    from tracker.services.authorities import get_authority
    from tracker.services.import_refresh import import_and_refresh

    mapping = _parse_map(maps)
    status = Console(stderr=True, quiet=as_json)
    # The import is committed on its own; then the years it touches are recalculated, and
    # a year that cannot be computed yet (e.g. a missing exchange rate) is reported.
    with status.status(f"Importing {file.name} and computing inventories…"):
        result = import_and_refresh(
            lambda: open_session(settings),
            lambda session: get_authority(session, code),
            path=file,
            data_dir=settings.data_dir,
            limits=settings.import_limits(),
            sheet=sheet,
            mapping=mapping or None,
            dry_run=dry_run,
            on_overlap=on_overlap,
            confirm_organisation=confirm_organisation,
        )
    if as_json:
        print_json(result.as_dict())
        return
    click.echo(render_import_result(result, preview_rows=preview_rows or (10 if dry_run else 0)))
