"""`tracker year completeness` and `tracker year confirm-complete`: months each year covers."""

from __future__ import annotations

import click

from tracker.cli.support import FINANCIAL_YEAR, TrackerGroup, open_session, print_json
from tracker.config import Settings


@click.group("year", cls=TrackerGroup)
def year_group() -> None:
    """Financial years: which months the spend lines cover, and part years confirmed."""


@year_group.command("completeness")
@click.option("--authority", "code", required=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def completeness_cmd(settings: Settings, code: str, as_json: bool) -> None:
    """The months each financial year's lines cover; part years are left out of status.

    \b
    Example:
        tracker year completeness --authority SAL
    """
    from tracker.services.authorities import get_authority
    from tracker.services.completeness import completeness

    with open_session(settings) as session:
        years = completeness(session, get_authority(session, code))
    if as_json:
        print_json(
            [
                {
                    "year": y.year,
                    "label": y.label,
                    "months_covered": y.months_covered,
                    "complete": y.complete,
                    "confirmed_by": y.confirmed_by,
                    "coverage": y.describe(),
                }
                for y in years.values()
            ]
        )
        return
    for y in years.values():
        click.echo(y.describe() + ("" if y.complete else " (part year)"))


@year_group.command("confirm-complete")
@click.option("--authority", "code", required=True)
@click.option("--year", type=FINANCIAL_YEAR, required=True)
@click.option("--reason", required=True, help="Why the part year is complete.")
@click.pass_obj
def confirm_complete_cmd(settings: Settings, code: str, year: int, reason: str) -> None:
    """Confirm that a part year is complete, so that status and trend count it.

    \b
    Example:
        tracker year confirm-complete --authority SAL --year 2024 --reason "no spend Jan-Mar"
    """
    from tracker.services.authorities import get_authority
    from tracker.services.completeness import completeness, confirm_complete
    from tracker.services.versions import default_actor

    with open_session(settings) as session:
        authority = get_authority(session, code)
        confirm_complete(
            session, authority=authority, year=year, reason=reason, actor=default_actor()
        )
        text = completeness(session, authority)[year].describe()
    click.echo(f"Confirmed complete: {code} {text}.")
