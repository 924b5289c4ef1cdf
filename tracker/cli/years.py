"""`tracker year completeness`, `confirm-complete` and `withdraw-confirmation`: the months
each year covers, and officers' confirmations that a part year is complete."""

from __future__ import annotations

import click

from tracker.cli.support import TrackerGroup, open_session, print_json, year_change
from tracker.config import Settings
from tracker.domain.periods import fy_label


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
@year_change("Why the part year is complete.")
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


@year_group.command("withdraw-confirmation")
@year_change("Why the year is not complete after all.")
def withdraw_confirmation_cmd(settings: Settings, code: str, year: int, reason: str) -> None:
    """Withdraw a part year's confirmation: it is left out of status and trend again.

    The confirmation withdrawn (who, when, why) and the reason are kept in the audit log
    (`tracker audit`).

    \b
    Example:
        tracker year withdraw-confirmation --authority SAL --year 2024/25 \\
            --reason "January to March spend still to come"
    """
    from tracker.services.authorities import get_authority
    from tracker.services.completeness import completeness, withdraw_confirmation
    from tracker.services.versions import default_actor

    with open_session(settings) as session:
        authority = get_authority(session, code)
        withdrawn = withdraw_confirmation(
            session, authority=authority, year=year, reason=reason, actor=default_actor()
        )
        found = completeness(session, authority).get(year)
        text = found.describe() if found else f"{fy_label(year, authority.fy_start_month)}"
    click.echo(
        f"Withdrawn the confirmation by {withdrawn.confirmed_by}: {code} {text} is a part "
        "year again."
    )
