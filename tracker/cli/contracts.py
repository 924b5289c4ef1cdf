"""`tracker contracts`: import published contracts, list them, map their buyers.

The command line runs with admin scope, like every other command.
"""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli.compare import CLI_VIEWER
from tracker.cli.support import TrackerGroup, open_session, print_json
from tracker.config import Settings
from tracker.errors import TrackerError


@click.group("contracts", cls=TrackerGroup)
def contracts_group() -> None:
    """Published contracts: OCDS JSON, contract registers and award CSVs."""


@contracts_group.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--authority", "code", default=None, help="Authority code of the file's buyer.")
@click.option(
    "--buyer",
    "buyer_maps",
    multiple=True,
    metavar="NAME=CODE",
    help="Map buyer NAME (as the file writes it) to authority CODE (repeatable).",
)
@click.option("--all-mapped", is_flag=True, help="Import every buyer already mapped (admin).")
@click.option("--dry-run", is_flag=True, help="Read and report; store nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the import report as JSON.")
@click.pass_obj
def import_cmd(
    settings: Settings,
    file: Path,
    code: str | None,
    buyer_maps: tuple[str, ...],
    all_mapped: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Import a contracts file as one transaction. A contract belongs to the authority its
    buyer is mapped to: --authority maps a file's only buyer, --buyer maps named buyers,
    and contracts of unmapped buyers are counted, never stored.

    \b
    Example:
        tracker contracts import register.csv --authority NCC
        tracker contracts import awards.csv --buyer "Leeds City Council=LCC"
    """
    from tracker.services.contracts.buyers import parse_buyer_option
    from tracker.services.contracts.imports import import_contract_file

    buyers = dict(parse_buyer_option(text) for text in buyer_maps)
    limits = settings.import_limits()
    with open_session(settings) as session:
        result = import_contract_file(
            session,
            viewer=CLI_VIEWER,
            path=file,
            data_dir=settings.data_dir,
            authority=code,
            buyers=buyers,
            all_mapped=all_mapped,
            dry_run=dry_run,
            limits=limits,
        )
    if as_json:
        print_json(result.as_dict())
        return
    from tracker.reports.contracts_report import render_contract_import

    click.echo(render_contract_import(result))


@contracts_group.command("list")
@click.option("--authority", "code", default=None, help="Authority code (default: all).")
@click.option("--status", type=click.Choice(["planned", "awarded", "cancelled"]), default=None)
@click.option("--page", type=int, default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def list_cmd(
    settings: Settings, code: str | None, status: str | None, page: int, as_json: bool
) -> None:
    """List contracts, those ending soonest first, 25 a page.

    \b
    Example:
        tracker contracts list --authority NCC --json
    """
    from tracker.reports.contracts_report import render_contract_page
    from tracker.services.authorities import get_authority
    from tracker.services.contracts.listing import list_contracts

    with open_session(settings) as session:
        authority_id = get_authority(session, code).id if code else None
        found = list_contracts(
            session, CLI_VIEWER, authority_id=authority_id, page=page, status=status
        )
    if as_json:
        print_json(
            {
                "total": found.total,
                "page": found.page,
                "pages": found.pages,
                "contracts": [r.as_dict() for r in found.rows],
            }
        )
        return
    click.echo(render_contract_page(found))


@contracts_group.command("buyers")
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def buyers_cmd(settings: Settings, file: Path | None, as_json: bool) -> None:
    """Buyer names and their contracts: those of FILE with the authority each is mapped
    to, or, without FILE, the buyers left unmapped by the imports so far.

    \b
    Example:
        tracker contracts buyers awards.csv
    """
    from tracker.importers.contracts import ContractFileError, parse_contract_file
    from tracker.services.contracts.buyers import buyers_in_file, unmapped_buyers

    limits = settings.import_limits()
    with open_session(settings) as session:
        if file is None:
            found = unmapped_buyers(session, CLI_VIEWER)
        else:
            try:
                parsed = parse_contract_file(file, limits=limits)
            except ContractFileError as exc:
                raise TrackerError(str(exc)) from None
            found = buyers_in_file(session, (c.buyer_name for c in parsed.contracts))
    if as_json:
        print_json(
            [
                {"buyer": b.name, "contracts": b.contracts, "authority": b.authority_code}
                for b in found
            ]
        )
        return
    if not found:
        click.echo("No unmapped buyers." if file is None else "No contracts in the file.")
    for b in found:
        mapped = f"→ {b.authority_code}" if b.authority_code else "(not mapped)"
        click.echo(f"{b.contracts:>7,}  {b.name}  {mapped}")
