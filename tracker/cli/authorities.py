"""`tracker authority`: add, set, list authorities and their exclusions."""

from __future__ import annotations

import click

from tracker.cli.support import TrackerGroup, echo_notes, open_session, print_json
from tracker.config import Settings
from tracker.domain.codes import PriceYearPolicy


@click.group("authority", cls=TrackerGroup)
def authority() -> None:
    """Authorities (councils, health bodies, agencies)."""


@authority.command("add")
@click.argument("code")
@click.option("--name", required=True, help="Full name, e.g. 'Example City Council'.")
@click.option("--country", default="GB", show_default=True)
@click.option("--currency", default="GBP", show_default=True)
@click.option("--population", type=int, default=None, help="Residents, for per-capita figures.")
@click.option("--fy-start-month", type=int, default=4, show_default=True)
@click.pass_obj
def authority_add(
    settings: Settings,
    code: str,
    name: str,
    country: str,
    currency: str,
    population: int | None,
    fy_start_month: int,
) -> None:
    """Add an authority.

    \b
    Example:
        tracker authority add SAL --name "Salford City Council" --fy-start-month 4
    """
    from tracker.services.authorities import add_authority

    with open_session(settings) as session:
        a = add_authority(
            session,
            code=code,
            name=name,
            country=country,
            currency=currency,
            population=population,
            fy_start_month=fy_start_month,
        )
        click.echo(f"Added authority {a.code}: {a.name}")


@authority.command("set")
@click.argument("code")
@click.option("--factor-set", "family", default=None, help="Factor set family, e.g. defra-uk-sic.")
@click.option("--edition", default=None, help="Edition of the factor set, e.g. to-2022.")
@click.option(
    "--price-year-policy",
    "policy",
    type=click.Choice([p.value for p in PriceYearPolicy]),
    default=None,
    help="matched: each year's own factor; fixed: one factor year.",
)
@click.option("--vintage", type=int, default=None, help="Factor year for the fixed policy.")
@click.pass_obj
def authority_set(
    settings: Settings,
    code: str,
    family: str | None,
    edition: str | None,
    policy: str | None,
    vintage: int | None,
) -> None:
    """Choose the factor set, edition and price-year policy of an authority's inventories.

    \b
    Example:
        tracker authority set SAL --edition to-2022
        tracker authority set SAL --price-year-policy fixed --vintage 2022
    """
    from tracker.services.authorities import configure_factors, get_authority
    from tracker.services.recalculate import refresh_inventories

    with open_session(settings) as session:
        a = configure_factors(
            session,
            get_authority(session, code),
            family=family,
            edition=edition,
            policy=policy,
            vintage=vintage,
        )
        notes = refresh_inventories(session, authority=a)
        vintage_text = (
            f" ({a.fixed_vintage_year})" if a.price_year_policy == PriceYearPolicy.FIXED else ""
        )
        click.echo(
            f"{a.code}: factors {a.default_factor_family} {a.default_factor_edition}, "
            f"price-year policy {a.price_year_policy}{vintage_text}"
        )
    echo_notes(notes)


@authority.command("exclusion")
@click.argument("code")
@click.argument("reason")
@click.option(
    "--include/--exclude",
    "include",
    required=True,
    help="Count this spend (with --note), or leave it out as the policy does.",
)
@click.option("--note", default=None, help="Why the authority counts it (required with --include).")
@click.pass_obj
def authority_exclusion(
    settings: Settings, code: str, reason: str, include: bool, note: str | None
) -> None:
    """Count spend the policy excludes for REASON (e.g. energy_own: the authority's
    energy suppliers), with a note disclosed on the authority page, or exclude it again.
    The inventories are brought up to date with it.

    \b
    Example:
        tracker authority exclusion SAL energy_own --include --note "no Scope 2 report yet"
        tracker authority exclusion SAL energy_own --exclude
    """
    from tracker.services.authorities import get_authority, set_exclusion
    from tracker.services.recalculate import refresh_inventories
    from tracker.services.versions import default_actor

    with open_session(settings) as session:
        a = get_authority(session, code)
        changed = set_exclusion(
            session, a, reason, include=include, note=note, actor=default_actor()
        )
        notes = refresh_inventories(session, authority=a) if changed else []
        state = "counted" if include else "excluded"
        click.echo(f"{a.code}: {reason} spend is {state}{'' if changed else ' (unchanged)'}")
    echo_notes(notes)


@authority.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def authority_list(settings: Settings, as_json: bool) -> None:
    """List authorities."""
    from tracker.services.authorities import list_authorities

    with open_session(settings) as session:
        rows = [
            {
                "code": a.code,
                "name": a.name,
                "country": a.country,
                "currency": a.currency,
                "population": a.population,
                "fy_start_month": a.fy_start_month,
                "factor_set": {
                    "source": a.default_factor_family,
                    "edition": a.default_factor_edition,
                },
                "price_year_policy": a.price_year_policy,
                "fixed_vintage_year": a.fixed_vintage_year,
            }
            for a in list_authorities(session)
        ]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        click.echo(
            f"{r['code']:<12} {r['name']}  ({r['country']}, {r['currency']}, "
            f"FY starts month {r['fy_start_month']})"
        )
