"""`tracker recalculate`: bring an authority's inventories up to date, explicitly.

Reports and exports only read the inventory a year has; they say when it is out of date
and never recompute it (tracker.services.recalculate).
"""

from __future__ import annotations

import click

from tracker.cli.support import FINANCIAL_YEAR, echo_notes, open_session, print_json
from tracker.config import Settings


@click.command("recalculate")
@click.option("--authority", "code", required=True)
@click.option(
    "--year",
    "years",
    type=FINANCIAL_YEAR,
    multiple=True,
    help="A financial year, 2023 or 2023/24 (repeatable; default: every year with spend or "
    "an inventory).",
)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def recalculate_cmd(settings: Settings, code: str, years: tuple[int, ...], as_json: bool) -> None:
    """Bring the authority's inventories up to date now: each year whose spend, rules,
    factors or policy changed since its inventory gets a new version (a locked year keeps
    its version: restate it). A year that cannot be computed yet is reported with what to
    load for it.

    \b
    Example:
        tracker recalculate --authority SAL
        tracker recalculate --authority SAL --year 2023
    """
    from tracker.domain.periods import fy_label
    from tracker.queries.current import current_run
    from tracker.services.authorities import get_authority
    from tracker.services.recalculate import refresh_inventories, spend_years
    from tracker.services.versions import locked_out_of_date

    with open_session(settings) as session:
        authority = get_authority(session, code)
        chosen = list(years) or spend_years(session, authority)
        notes = refresh_inventories(session, authority=authority, years=chosen)
        notes += locked_out_of_date(session, authority, chosen)
        done = []
        for year in chosen:
            run = current_run(session, authority.id, year)
            if run is not None:
                label = fy_label(year, authority.fy_start_month)
                done.append((year, label, run.version, run.total_kgco2e))
    if as_json:
        print_json(
            {
                "authority": code,
                "years": [
                    {"year": y, "year_label": label, "version": v, "total_kgco2e": kg}
                    for y, label, v, kg in done
                ],
                "notes": notes,
            }
        )
        return
    for _year, label, version, kg in done:
        click.echo(f"{code} {label}: version {version}, {kg / 1000:,.1f} tCO2e")
    echo_notes(notes)
