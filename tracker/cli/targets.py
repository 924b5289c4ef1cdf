"""`tracker target set`, `tracker target restate` and `tracker progress`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import partial

import click

from tracker.cli.support import FINANCIAL_YEAR, TrackerGroup, open_session, print_json
from tracker.config import Settings
from tracker.domain.periods import fy_label, parse_fy
from tracker.domain.status import PATHWAY_NAMES, STATUS_NAMES
from tracker.domain.units import to_tonnes
from tracker.errors import TrackerError


@click.group("target", cls=TrackerGroup)
def target_group() -> None:
    """Reduction targets and their pathways."""


def _pct(text: str, option: str) -> Decimal:
    try:
        return Decimal(text.rstrip("%"))
    except InvalidOperation:
        raise TrackerError(f"{option} {text!r} is not a percentage.") from None


@target_group.command("set")
@click.option("--authority", "code", required=True)
@click.option(
    "--baseline-year",
    "baseline_years",
    type=FINANCIAL_YEAR,
    multiple=True,
    required=True,
    help="Repeat for a multi-year average baseline.",
)
@click.option("--target-year", type=FINANCIAL_YEAR, required=True)
@click.option("--reduction", required=True, help="Percentage cut from the baseline, e.g. 50.")
@click.option("--net-zero-year", type=FINANCIAL_YEAR, default=None)
@click.option(
    "--pathway",
    type=click.Choice(["linear", "sbti-1.5c", "sbti-wb2c"]),
    default="linear",
    show_default=True,
)
@click.option("--interim", multiple=True, metavar="YEAR=PCT", help="Interim target(s).")
@click.option(
    "--significance",
    default=None,
    metavar="PCT",
    help="Change of the baseline years' figures that should be restated (default 5).",
)
@click.pass_obj
def target_set(
    settings: Settings,
    code: str,
    baseline_years: tuple[int, ...],
    target_year: int,
    reduction: str,
    net_zero_year: int | None,
    pathway: str,
    interim: tuple[str, ...],
    significance: str | None,
) -> None:
    """Set an authority's target; the baseline years' current figure is recorded with it.

    A later change of the baseline years' figures does not move the target: restate it
    with `tracker target restate`.

    \b
    Example:
        tracker target set --authority SAL --baseline-year 2019 --target-year 2030 \\
            --reduction 50 --net-zero-year 2038 --interim 2025=25
    """
    from tracker.services.authorities import get_authority
    from tracker.services.progress import set_target
    from tracker.services.versions import default_actor

    waypoints = []
    for item in interim:
        year, sep, pct = item.partition("=")
        try:
            start = parse_fy(year)
        except ValueError as exc:
            raise TrackerError(f"--interim {item!r}: expected YEAR=PCT; {exc}.") from None
        if not sep:
            raise TrackerError(f"--interim {item!r}: expected YEAR=PCT.")
        waypoints.append((start, _pct(pct, "--interim")))
    with open_session(settings) as session:
        authority = get_authority(session, code)
        label = partial(fy_label, start_month=authority.fy_start_month)
        set_target(
            session,
            authority=authority,
            baseline_years=list(baseline_years),
            target_year=target_year,
            reduction_pct=_pct(reduction, "--reduction"),
            net_zero_year=net_zero_year,
            pathway=pathway,
            interim=waypoints,
            significance_pct=None if significance is None else _pct(significance, "--significance"),
            actor=default_actor(),
        )
    baselines = " and ".join(label(y) for y in sorted(set(baseline_years)))
    click.echo(
        f"Target for {code}: −{reduction.rstrip('%')} % by {label(target_year)} from the "
        f"{baselines} baseline, on a {PATHWAY_NAMES[pathway]}."
    )


@target_group.command("restate")
@click.option("--authority", "code", required=True)
@click.option("--reason", required=True, help="Why the baseline changes (required).")
@click.pass_obj
def target_restate(settings: Settings, code: str, reason: str) -> None:
    """Restate the target's baseline as the baseline years' current figure, with a reason.

    The old and new figures, inventory versions, who, when and why are kept in the audit
    log (`tracker audit`).

    \b
    Example:
        tracker target restate --authority SAL --reason "2019/20 spend completed"
    """
    from tracker.domain.status import tonnes_text
    from tracker.services.authorities import get_authority
    from tracker.services.baselines import restate_baseline
    from tracker.services.versions import default_actor

    with open_session(settings) as session:
        done = restate_baseline(
            session, authority=get_authority(session, code), actor=default_actor(), reason=reason
        )
    old = "no recorded figure" if done.old_kg is None else tonnes_text(done.old_kg)
    click.echo(f"Baseline of {code} restated from {old} to {tonnes_text(done.new_kg)}.")


# `tracker targets restate` reads as naturally as `tracker target restate`: same commands.
targets_alias = TrackerGroup(
    "targets", commands=target_group.commands, hidden=True, help=target_group.help
)


@click.command("progress")
@click.option("--authority", "code", required=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_obj
def progress_cmd(settings: Settings, code: str, fmt: str) -> None:
    """Progress against the target: pathway, status per year, reduction needed, budget.

    \b
    Example:
        tracker progress --authority SAL --format json
    """
    from tracker.services.authorities import get_authority
    from tracker.services.progress import progress

    with open_session(settings) as session:
        authority = get_authority(session, code)
        p = progress(session, authority=authority)
        label = partial(fy_label, start_month=authority.fy_start_month)
    if fmt == "json":
        print_json(p.as_dict())
        return
    click.echo(f"{code}: target {p.target_text}.")
    baselines = " and ".join(label(y) for y in p.baseline_years)
    click.echo(
        f"Baseline {to_tonnes(p.baseline_kg):,.1f} tCO2e ({baselines}); "
        f"target {to_tonnes(p.target_kg):,.1f} tCO2e by {label(p.target_year)} "
        f"({PATHWAY_NAMES.get(p.pathway, p.pathway)})"
    )
    width = max(len(label(y.year)) for y in p.years)
    for y in p.years:
        actual = f"{to_tonnes(y.actual_kg):>10,.1f}" if y.actual_kg is not None else " " * 10
        state = "part year" if y.part_year else STATUS_NAMES.get(y.status, "")  # type: ignore[call-overload]
        click.echo(
            f"  {label(y.year):<{width}}  actual {actual}  "
            f"pathway {to_tonnes(y.pathway_kg):>10,.1f}  {state}"
        )
    if p.required_annual_cut_kg is not None:
        click.echo(
            f"Needed from {label(p.latest_year)}: {to_tonnes(p.required_annual_cut_kg):,.1f} tCO2e "
            f"less each year ({(p.required_annual_rate or 0):.1%} a year compound)"
        )
    exhausted = p.budget_exhausted_year
    ends = "not within 2100 at the current trend" if exhausted is None else label(exhausted)
    click.echo(
        f"Carbon budget to {label(p.target_year)}: {to_tonnes(p.budget_kg):,.1f} tCO2e; used "
        f"{to_tonnes(p.budget_used_kg):,.1f}; runs out: {ends}"
    )
    latest = p.latest
    if latest is not None and latest.sentence:
        click.echo(latest.sentence)
    if p.baseline_notice:
        click.echo(p.baseline_notice)
