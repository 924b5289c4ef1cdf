"""`tracker compare` and `tracker collaboration`.

The command line runs with admin scope, like every other command: whoever can reach the
database sees every authority. The dashboard applies each signed-in user's scope instead.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

import click

from tracker.access import Viewer
from tracker.cli.support import FINANCIAL_YEAR, open_session, print_json
from tracker.config import Settings
from tracker.domain.periods import group_fy_label, year_phrase
from tracker.domain.status import STATUS_NAMES
from tracker.domain.units import share_percent, to_tonnes
from tracker.domain.vocabulary import factor_set_name, price_basis_name

CLI_VIEWER = Viewer(user_id=None, email="command line", role="admin", authority_id=None)


def _num(value: Decimal | None, places: int = 3) -> str:
    return "–" if value is None else f"{value:,.{places}f}"


def _year(year: int | None, start_months: Collection[int]) -> str:
    """``the financial year 2023/24`` (``the year starting in 2023`` for a mixed group, or
    when no authority has the year); ``any year`` without one."""
    return "any year" if year is None else f"the {year_phrase(group_fy_label(year, start_months))}"


def _heading(year: int | None, start_months: Collection[int]) -> str:
    """``Financial year 2023/24`` at the head of the output."""
    text = _year(year, start_months).removeprefix("the ")
    return text[:1].upper() + text[1:]


def _pct(value: Decimal | None) -> str:
    """``87%``; a share short of the whole never ``100%`` (``share_percent``)."""
    return "–" if value is None else f"{share_percent(value)}%"


@click.command("share")
@click.argument("code")
@click.option("--on/--off", "share", required=True, help="Share aggregates, or stop sharing.")
@click.pass_obj
def share_cmd(settings: Settings, code: str, share: bool) -> None:
    """Let other authorities' users see this authority's aggregates in comparisons and
    collaboration (yearly totals, intensities, category mix, per-supplier totals; never
    spend lines), or stop. Off unless turned on; recorded in the audit log.

    \b
    Example:
        tracker authority share SAL --on
    """
    from tracker.services.authorities import get_authority, set_sharing
    from tracker.services.versions import default_actor

    with open_session(settings) as session:
        changed = set_sharing(
            session, get_authority(session, code), share=share, actor=default_actor()
        )
    state = "shares its aggregates" if share else "does not share its aggregates"
    click.echo(f"{code} {state} with other authorities{'' if changed else ' (unchanged)'}.")


@click.command("compare")
@click.option(
    "--year", type=FINANCIAL_YEAR, default=None, help="2023 or 2023/24 (default: see help)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def compare_cmd(settings: Settings, year: int | None, as_json: bool) -> None:
    """Benchmark authorities: kgCO2e per unit of in-scope spend and per resident, category
    mix, progress, the factor sets and methods behind each figure, and warnings where
    figures are not comparable. Group figures are Σ emissions / Σ spend (or population).

    Without --year: the most recent year in which most authorities have an inventory.

    \b
    Example:
        tracker compare --year 2023
        tracker compare --json
    """
    from tracker.services.compare import compare

    with open_session(settings) as session:
        result = compare(session, CLI_VIEWER, year=year, limits=settings.plausibility)
    if as_json:
        print_json(result.as_dict())
        return
    if not result.authorities:
        click.echo(f"No inventories to compare for {_year(result.fy_year, ())}.")
        return
    months = {b.run.fy_start_month for b in result.authorities}
    click.echo(f"{_heading(result.fy_year, months)}: {len(result.authorities)} authorities")
    click.echo(
        f"  {'code':<10} {'tCO2e':>12} {'kg/unit':>8} {'kg/resident':>11} {'classified':>10}"
        f"  {'progress':<10} factor set; price year"
    )
    for b in result.authorities:
        r = b.run
        click.echo(
            f"  {r.code:<10} {to_tonnes(r.kgco2e):>12,.1f} {_num(b.kg_per_unit):>8} "
            f"{_num(b.kg_per_resident, 1):>11} {_pct(b.classified_share):>10}  "
            f"{STATUS_NAMES.get(b.progress_status, '–'):<10} "  # type: ignore[call-overload]
            f"{factor_set_name(r.factor_family, r.factor_edition)}; "
            f"{price_basis_name(r.price_year_policy, r.price_index_key)}"
        )
    group = result.group
    for currency, p in group.per_currency_unit.items():
        click.echo(
            f"Group: {_num(p.ratio)} kgCO2e per {currency} of in-scope spend "
            f"({len(p.members)} authorities)"
        )
    click.echo(
        f"Group: {_num(group.per_resident.ratio, 1)} kgCO2e per resident "
        f"({len(group.per_resident.members)} authorities with a population)"
    )
    for w in result.warnings:
        click.echo(f"Warning: {w.message}")


@click.command("collaboration")
@click.option(
    "--year", type=FINANCIAL_YEAR, default=None, help="2023 or 2023/24 (default as compare)."
)
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def collaboration_cmd(settings: Settings, year: int | None, top: int, as_json: bool) -> None:
    """Suppliers shared by several authorities, the suppliers whose engagement would
    cut the most emissions across the group (ranked by combined kgCO2e), categories
    bought at very different kgCO2e per unit of spend, and payees and expense types the
    authorities treat differently (one costs them in a category, another excludes them).

    \b
    Example:
        tracker collaboration --year 2023 --top 10
    """
    from tracker.services.collaboration import collaboration

    with open_session(settings) as session:
        result = collaboration(session, CLI_VIEWER, year=year, top=top)
    if as_json:
        print_json(result.as_dict())
        return
    if result.fy_year is None or not result.authorities:
        click.echo(f"No inventories for {_year(result.fy_year, result.fy_start_months)}.")
        return
    click.echo(
        f"{_heading(result.fy_year, result.fy_start_months)}: "
        f"{len(result.authorities)} authorities, "
        f"{to_tonnes(result.group_kgco2e):,.1f} tCO2e; {result.shared_count} suppliers shared"
    )
    click.echo("Suppliers to engage (combined tCO2e, share of the group, authorities):")
    for s in result.engagement:
        click.echo(
            f"  {s.rank:>3}. {s.name[:40]:<40} {to_tonnes(s.kgco2e):>10,.1f} "
            f"{_pct(s.share_of_group):>5} {s.authorities:>3}"
        )
    click.echo("Shared suppliers (buyers: tCO2e):")
    for s in result.shared:
        buyers = ", ".join(f"{b.code} {to_tonnes(b.kgco2e):,.1f}" for b in s.buyers)
        click.echo(f"  {s.name[:40]:<40} {to_tonnes(s.kgco2e):>10,.1f}  {buyers}")
    click.echo("Same category, different kgCO2e per unit (lowest → highest):")
    if not result.spreads:
        click.echo("  none: every category is bought at similar kgCO2e per unit")
    for c in result.spreads:
        click.echo(
            f"  {c.code:<10} {c.name[:36]:<36} ×{c.spread:.2f}  "
            f"{c.low.authority} {_num(c.low.intensity)} → {c.high.authority} "
            f"{_num(c.high.intensity)}  ({', '.join(c.drivers)})"
        )
    click.echo("Treated differently (main treatment per authority: spend, share):")
    if not result.treated_differently:
        click.echo("  none: each payee and expense type is treated the same way")
    for d in result.treated_differently:
        what = "payee" if d.field == "supplier" else "expense type"
        click.echo(f"  {what} {d.key[:40]}: {d.describe()}")
    if result.mixed_currencies:
        click.echo(
            f"Note: spend is in {', '.join(result.currencies)}; combined spend adds "
            "different currencies, compare emissions instead."
        )
