"""`tracker inventory` (with diff and change), `tracker lock`, `restate` and `audit`."""

from __future__ import annotations

import click

from tracker.cli.support import (
    FINANCIAL_YEAR,
    FORMATS,
    TrackerGroup,
    open_session,
    print_json,
    year_change,
)
from tracker.config import Settings
from tracker.domain.periods import fy_label
from tracker.domain.units import to_tonnes
from tracker.errors import TrackerError


@click.group("inventory", cls=TrackerGroup, invoke_without_command=True)
@click.option("--authority", "code", default=None, help="Authority code.")
@click.option("--year", type=FINANCIAL_YEAR, default=None, help="Financial year: 2023 or 2023/24.")
@click.option(
    "--version",
    "version",
    type=int,
    default=None,
    help="Show this stored version instead of the current one.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.pass_context
def inventory_cmd(
    ctx: click.Context, code: str | None, year: int | None, version: int | None, fmt: str
) -> None:
    """Show an authority's Scope 3 procurement inventory for one financial year.

    \b
    Example:
        tracker inventory --authority SAL --year 2023 --format json
        tracker inventory --authority SAL --year 2023 --version 1
    """
    if ctx.invoked_subcommand is not None:
        return
    if code is None or year is None:
        raise TrackerError("tracker inventory needs --authority CODE and --year YEAR.")
    from tracker.reports.inventory import build_inventory_report
    from tracker.reports.render import render_csv, render_table

    settings: Settings = ctx.obj
    with open_session(settings, read_only=True) as session:
        report = build_inventory_report(session, code=code, year=year, version=version)
    if fmt == "json":
        print_json(report.as_dict())
    elif fmt == "csv":
        click.echo(render_csv(report), nl=False)
    else:
        click.echo(render_table(report))


@inventory_cmd.command("diff")
@click.option("--authority", "code", required=True)
@click.option("--year", type=FINANCIAL_YEAR, required=True)
@click.option("--from", "from_version", type=int, required=True)
@click.option("--to", "to_version", type=int, required=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def inventory_diff(
    settings: Settings, code: str, year: int, from_version: int, to_version: int, as_json: bool
) -> None:
    """Explain the difference between two versions of a year's inventory.

    The parts (new and removed lines, spend, reclassification, factor, price year,
    exchange rate, rounding) add up exactly to the difference.

    \b
    Example:
        tracker inventory diff --authority SAL --year 2022 --from 1 --to 2
    """
    from tracker.services.authorities import get_authority
    from tracker.services.versions import diff_versions

    with open_session(settings, read_only=True) as session:
        authority = get_authority(session, code)
        r = diff_versions(session, authority, year, from_version, to_version)
        label = fy_label(year, authority.fy_start_month)
    tonnes = r.in_tonnes()
    if as_json:
        print_json({name: float(value) for name, value in tonnes.items()})
        return
    click.echo(f"{code} {label}: version {from_version} -> {to_version}")
    for name, value in tonnes.items():
        if name != "difference":
            click.echo(f"  {name.replace('_', ' '):<18} {value:>+14,.3f} tCO2e")
    click.echo(f"  {'total difference':<18} {tonnes['difference']:>+14,.3f} tCO2e")


@inventory_cmd.command("change")
@click.option("--authority", "code", required=True)
@click.option("--year", type=FINANCIAL_YEAR, required=True, help="Compared with the year before.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def inventory_change(settings: Settings, code: str, year: int, as_json: bool) -> None:
    """Decompose the change from the previous year into spend volume, spend mix and
    emission intensity (additive LMDI), plus categories bought in only one of the years.

    \b
    Example:
        tracker inventory change --authority SAL --year 2023
    """
    from tracker.domain.decompose import lmdi
    from tracker.reports.inventory import build_inventory_report

    with open_session(settings, read_only=True) as session:
        years = [build_inventory_report(session, code=code, year=y) for y in (year - 1, year)]
    by_year = [
        {c.code: (c.spend, c.kgco2e) for c in r.by_category if c.code is not None} for r in years
    ]
    effects = lmdi(by_year[0], by_year[1])
    result = {
        "volume": effects.volume,
        "mix": effects.mix,
        "intensity": effects.intensity,
        "new_or_ended_categories": effects.new_ended,
        "difference": effects.difference,
    }
    if as_json:
        print_json({k: float(to_tonnes(v)) for k, v in result.items()} | {"unit": "tCO2e"})
        return
    click.echo(f"{code} {years[0].year_label} -> {years[1].year_label} (tCO2e):")
    for name, value in result.items():
        click.echo(f"  {name.replace('_', ' '):<24} {to_tonnes(value):>+14,.3f}")


@click.command("lock")
@year_change("Why the year is frozen, e.g. 'published 2024-07'.")
def lock_cmd(settings: Settings, code: str, year: int, reason: str) -> None:
    """Lock a financial year: its inventory changes only through a restatement.

    \b
    Example:
        tracker lock --authority SAL --year 2023 --reason "published 2024-07"
    """
    from tracker.services.authorities import get_authority
    from tracker.services.versions import default_actor, lock_year

    with open_session(settings) as session:
        authority = get_authority(session, code)
        lock = lock_year(
            session,
            authority=authority,
            year=year,
            actor=default_actor(),
            reason=reason,
        )
        label = fy_label(year, authority.fy_start_month)
        click.echo(f"Locked {code} {label} at inventory run {lock.run_id}.")


@click.command("restate")
@year_change("Why the published figure changes.")
def restate_cmd(settings: Settings, code: str, year: int, reason: str) -> None:
    """Recompute a locked year as a new version, with a reason recorded in the audit log.

    \b
    Example:
        tracker restate --authority SAL --year 2022 --reason "Defra to-2023 edition adopted"
    """
    from tracker.services.authorities import get_authority
    from tracker.services.versions import default_actor, restate_year

    with open_session(settings) as session:
        authority = get_authority(session, code)
        old, new = restate_year(
            session,
            authority=authority,
            year=year,
            actor=default_actor(),
            reason=reason,
        )
        label = fy_label(year, authority.fy_start_month)
        click.echo(
            f"Restated {code} {label}: version {old.version} "
            f"{to_tonnes(old.total_kgco2e):,.1f} tCO2e "
            f"-> version {new.version} {to_tonnes(new.total_kgco2e):,.1f} tCO2e."
        )


@click.command("audit")
@click.option("--authority", "code", required=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def audit_cmd(settings: Settings, code: str, as_json: bool) -> None:
    """Show the audit log of an authority: locks and restatements, who, when and why."""
    from tracker.services.authorities import get_authority
    from tracker.services.versions import audit_log

    with open_session(settings) as session:
        authority = get_authority(session, code)
        fy_start = authority.fy_start_month
        rows = [
            {
                "at": e.at,
                "actor": e.actor,
                "action": e.action,
                "year": e.fy_year,
                "label": None if e.fy_year is None else fy_label(e.fy_year, fy_start),
                "reason": e.reason,
                "details": e.details,
            }
            for e in audit_log(session, authority)
        ]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        click.echo(
            f"{r['at']:%Y-%m-%d %H:%M} {r['actor']} {r['action']} {r['label'] or ''}: "
            f"{r['reason'] or ''} {r['details']}"
        )
