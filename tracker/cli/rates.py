"""`tracker rates ...` and `tracker supplier-factor ...`: user-supplied conversion data."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

import click
from sqlalchemy import select

from tracker.cli.support import TrackerGroup, echo_notes, open_session, print_json
from tracker.config import Settings
from tracker.errors import TrackerError


@click.group("rates", cls=TrackerGroup)
def rates_group() -> None:
    """Annual average exchange rates for converting spend to a factor set's currency."""


@rates_group.command("load")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.pass_obj
def rates_load(settings: Settings, file: Path) -> None:
    """Load rates from a CSV with columns year,base,quote,rate,source; the inventories
    that use them are brought up to date (the years that were waiting for a rate
    computed); those of other currencies or years are left alone.

    \b
    Example:
        tracker rates load boe-annual-averages.csv
    """
    from tracker.services.rates import load_rates_file
    from tracker.services.recalculate import refresh_rate_users

    with open_session(settings) as session:
        loaded = load_rates_file(session, file)
        notes = refresh_rate_users(session, loaded)
    click.echo(f"Stored {len(loaded)} exchange rate(s) from {file.name}.")
    echo_notes(notes)


@rates_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def rates_list(settings: Settings, as_json: bool) -> None:
    """List the exchange rates loaded."""
    from tracker.models import ExchangeRate

    with open_session(settings) as session:
        rows = [
            {"year": r.year, "base": r.base, "quote": r.quote, "rate": r.rate, "source": r.source}
            for r in session.scalars(
                select(ExchangeRate).order_by(
                    ExchangeRate.base, ExchangeRate.quote, ExchangeRate.year
                )
            )
        ]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        click.echo(f"{r['year']} 1 {r['base']} = {r['rate']} {r['quote']}  ({r['source']})")


@click.group("supplier-factor", cls=TrackerGroup)
def supplier_factor_group() -> None:
    """Suppliers' own emission intensities, which override sector factors (hybrid method)."""


@supplier_factor_group.command("add")
@click.argument("supplier")
@click.option(
    "--kgco2e-per-unit",
    "value",
    required=True,
    help="kgCO2e per unit of the supplier's revenue (e.g. per £).",
)
@click.option("--year", type=int, required=True, help="Year the intensity refers to.")
@click.option("--currency", default="GBP", show_default=True)
@click.option("--evidence", required=True, help="URL or reference of the supplier's report.")
@click.option(
    "--authority", "code", default=None, help="Only for this authority (default: shared by all)."
)
@click.option("--note", default=None)
@click.pass_obj
def supplier_factor_add(
    settings: Settings,
    supplier: str,
    value: str,
    year: int,
    currency: str,
    evidence: str,
    code: str | None,
    note: str | None,
) -> None:
    """Record a supplier's emissions intensity.

    \b
    Example:
        tracker supplier-factor add "Greystone Roadworks Ltd" --kgco2e-per-unit 0.18 \\
            --year 2023 --evidence https://example.org/greystone-2023-carbon-report.pdf
    """
    from tracker.services.authorities import get_authority
    from tracker.services.inventory.supplier_factors import add_supplier_factor
    from tracker.services.recalculate import refresh_after_change

    try:
        intensity = Decimal(value)
    except InvalidOperation:
        raise TrackerError(f"--kgco2e-per-unit {value!r} is not a number.") from None
    with open_session(settings) as session:
        authority = get_authority(session, code) if code else None
        factor = add_supplier_factor(
            session,
            supplier_name=supplier,
            kgco2e_per_unit=intensity,
            year=year,
            currency=currency,
            evidence_url=evidence,
            authority=authority,
            note=note,
        )
        notes = refresh_after_change(session, authority)
        click.echo(
            f"Supplier factor {factor.id}: {supplier} {intensity} kgCO2e per {currency} ({year})"
        )
    echo_notes(notes)
