"""The ``tracker`` command line. Thin: each command opens a session and calls a service.

The command names, options and JSON fields are a stable contract; extend, don't break.
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from tracker.cli_batches import batch_group
from tracker.cli_classify import classify_cmd, review_cmd, rules_group, supplier_default_group
from tracker.cli_compare import collaboration_cmd, compare_cmd, share_cmd
from tracker.cli_factors import factors_group
from tracker.cli_overrides import override_group
from tracker.cli_rates import rates_group, supplier_factor_group
from tracker.cli_support import TrackerGroup, check_database, open_session, print_json
from tracker.cli_targets import progress_cmd, target_group, targets_alias
from tracker.cli_users import user_group
from tracker.cli_years import year_group
from tracker.config import Settings
from tracker.db import make_engine, make_session_factory, session_scope
from tracker.errors import TrackerError
from tracker.importers import FIELDS

FORMATS = ("table", "json", "csv")


@click.group(cls=TrackerGroup)
@click.version_option(package_name="netzero-procurement-tracker")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Net Zero procurement emissions tracker.

    The database is TRACKER_DATABASE_URL (default: a SQLite file under
    ~/.local/share/netzero-tracker); uploaded files are kept in TRACKER_DATA_DIR.
    """
    try:
        ctx.obj = Settings.from_env()
    except ValueError as exc:
        raise TrackerError(f"Configuration: {exc}") from None


@cli.group(cls=TrackerGroup)
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.pass_obj
def db_upgrade(settings: Settings) -> None:
    """Migrate the database to the current schema and load the shipped factor sets; learn
    the review-suggestion evidence of inventories computed before it was kept.

    \b
    Example:
        tracker db upgrade
    """
    from tracker import migrate
    from tracker.services.evidence import gather_evidence
    from tracker.services.reference import load_shipped_reference_data

    engine = make_engine(settings.database_url)
    try:
        migrate.upgrade(engine)
        with session_scope(make_session_factory(engine)) as session:
            loaded = load_shipped_reference_data(session)
        with session_scope(make_session_factory(engine)) as session:
            learned = gather_evidence(session)
    finally:
        engine.dispose()
    where = engine.url.render_as_string(hide_password=True)
    click.echo(f"Database {where} is at revision {migrate.head_revision()}.")
    for line in loaded:
        click.echo(f"  {line}")
    if learned:
        click.echo(f"  learned review-suggestion evidence for {learned:,} inventory runs")


@db.command("partition-sql")
@click.option(
    "--by",
    "scheme",
    type=click.Choice(["authority", "year", "run"]),
    required=True,
    help="spend_line by authority (HASH) or year (RANGE); line_emission by run (HASH).",
)
@click.option("--partitions", type=int, default=16, show_default=True, help="HASH partitions.")
@click.option(
    "--years",
    default="2015-2030",
    show_default=True,
    help="Calendar years with their own partition (--by year), as FIRST-LAST.",
)
@click.option("--table", default=None, help="Name of the new table (default: SOURCE_by_SCHEME).")
def db_partition_sql(scheme: str, partitions: int, years: str, table: str | None) -> None:
    """Print the PostgreSQL DDL of a partitioned copy of spend_line or line_emission.

    For a DBA to review and run; see docs/scaling.md for the layout and how to adopt it.

    \b
    Example:
        tracker db partition-sql --by authority --partitions 32 | psql tracker
    """
    from tracker.storage.partitioning import partition_script

    first, _, last = years.partition("-")
    try:
        span = range(int(first), int(last or first) + 1)
        statements = partition_script(scheme, table=table, partitions=partitions, years=span)
    except ValueError as exc:
        raise TrackerError(f"partition-sql: {exc}") from None
    click.echo("BEGIN;")
    for statement in statements:
        click.echo(f"{statement};")
    click.echo("COMMIT;")


@cli.group(cls=TrackerGroup)
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
    type=click.Choice(["matched", "fixed"]),
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

    with open_session(settings) as session:
        a = configure_factors(
            session,
            get_authority(session, code),
            family=family,
            edition=edition,
            policy=policy,
            vintage=vintage,
        )
        vintage_text = f" ({a.fixed_vintage_year})" if a.price_year_policy == "fixed" else ""
        click.echo(
            f"{a.code}: factors {a.default_factor_family} {a.default_factor_edition}, "
            f"price-year policy {a.price_year_policy}{vintage_text}"
        )


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
    The next inventory applies it.

    \b
    Example:
        tracker authority exclusion SAL energy_own --include --note "no Scope 2 report yet"
        tracker authority exclusion SAL energy_own --exclude
    """
    from tracker.services.authorities import get_authority, set_exclusion
    from tracker.services.versions import default_actor

    with open_session(settings) as session:
        a = get_authority(session, code)
        changed = set_exclusion(
            session, a, reason, include=include, note=note, actor=default_actor()
        )
        state = "counted" if include else "excluded"
        click.echo(f"{a.code}: {reason} spend is {state}{'' if changed else ' (unchanged)'}")


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


@cli.command("import")
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
    from tracker.services.imports import import_spend_file
    from tracker.services.inventory import refresh_inventories

    mapping = _parse_map(maps)
    status = Console(stderr=True, quiet=as_json)
    with open_session(settings) as session:
        a = get_authority(session, code)
        with status.status(f"Reading {file.name}…"):
            result = import_spend_file(
                session,
                authority=a,
                path=file,
                data_dir=settings.data_dir,
                sheet=sheet,
                mapping=mapping or None,
                dry_run=dry_run,
                on_overlap=on_overlap,
                confirm_organisation=confirm_organisation,
                **settings.import_limits(),
            )
    if not dry_run:
        # The import is committed; inventories are recomputed in their own transaction, and
        # a year that cannot be computed yet (e.g. a missing exchange rate) is reported.
        with open_session(settings) as session, status.status("Computing inventories…"):
            result.notes += refresh_inventories(
                session,
                authority=get_authority(session, code),
                years=result.financial_years,
            )
    if as_json:
        print_json(result.as_dict())
        return
    click.echo(render_import_result(result, preview_rows=preview_rows or (10 if dry_run else 0)))


@cli.group("inventory", cls=TrackerGroup, invoke_without_command=True)
@click.option("--authority", "code", default=None, help="Authority code.")
@click.option("--year", type=int, default=None, help="Financial year, named by its start year.")
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
    with open_session(settings) as session:
        report = build_inventory_report(session, code=code, year=year, version=version)
    if fmt == "json":
        print_json(report.as_dict())
    elif fmt == "csv":
        click.echo(render_csv(report), nl=False)
    else:
        click.echo(render_table(report))


@inventory_cmd.command("diff")
@click.option("--authority", "code", required=True)
@click.option("--year", type=int, required=True)
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

    with open_session(settings) as session:
        r = diff_versions(session, get_authority(session, code), year, from_version, to_version)
    tonnes = r.in_tonnes()
    if as_json:
        print_json({name: float(value) for name, value in tonnes.items()})
        return
    click.echo(f"{code} {year}: version {from_version} -> {to_version}")
    for name, value in tonnes.items():
        if name != "difference":
            click.echo(f"  {name.replace('_', ' '):<18} {value:>+14,.3f} tCO2e")
    click.echo(f"  {'total difference':<18} {tonnes['difference']:>+14,.3f} tCO2e")


@inventory_cmd.command("change")
@click.option("--authority", "code", required=True)
@click.option("--year", type=int, required=True, help="Compared with the year before.")
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

    with open_session(settings) as session:
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
        print_json({k: float(v / 1000) for k, v in result.items()} | {"unit": "tCO2e"})
        return
    click.echo(f"{code} {year - 1} -> {year} (tCO2e):")
    for name, value in result.items():
        click.echo(f"  {name.replace('_', ' '):<24} {value / 1000:>+14,.3f}")


@cli.command("lock")
@click.option("--authority", "code", required=True)
@click.option("--year", type=int, required=True)
@click.option("--reason", required=True, help="Why the year is frozen, e.g. 'published 2024-07'.")
@click.pass_obj
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
        click.echo(f"Locked {code} {year} at inventory run {lock.run_id}.")


@cli.command("restate")
@click.option("--authority", "code", required=True)
@click.option("--year", type=int, required=True)
@click.option("--reason", required=True, help="Why the published figure changes.")
@click.pass_obj
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
        click.echo(
            f"Restated {code} {year}: version {old.version} {old.total_kgco2e / 1000:,.1f} tCO2e "
            f"-> version {new.version} {new.total_kgco2e / 1000:,.1f} tCO2e."
        )


@cli.command("audit")
@click.option("--authority", "code", required=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def audit_cmd(settings: Settings, code: str, as_json: bool) -> None:
    """Show the audit log of an authority: locks and restatements, who, when and why."""
    from tracker.services.authorities import get_authority
    from tracker.services.versions import audit_log

    with open_session(settings) as session:
        rows = [
            {
                "at": e.at,
                "actor": e.actor,
                "action": e.action,
                "year": e.fy_year,
                "reason": e.reason,
                "details": e.details,
            }
            for e in audit_log(session, get_authority(session, code))
        ]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        click.echo(
            f"{r['at']:%Y-%m-%d %H:%M} {r['actor']} {r['action']} {r['year']}: "
            f"{r['reason'] or ''} {r['details']}"
        )


@cli.group("report", cls=TrackerGroup, invoke_without_command=True)
@click.option("--authority", "code", default=None, help="Authority code.")
@click.option("--year", type=int, default=None, help="Financial year, named by its start year.")
@click.option("--version", type=int, default=None, help="A stored version (default: current).")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the workbook to this .xlsx file.",
)
@click.option(
    "--csv-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Write CODE-YEAR-summary.csv and CODE-YEAR-lines.csv (UTF-8 with BOM) here.",
)
@click.pass_context
def report_cmd(
    ctx: click.Context,
    code: str | None,
    year: int | None,
    version: int | None,
    out: Path | None,
    csv_dir: Path | None,
) -> None:
    """Write the inventory report: an Excel workbook (--out) and/or CSV files (--csv-dir).

    \b
    Example:
        tracker report --authority SAL --year 2023 --out sal-2023.xlsx
        tracker report --authority SAL --year 2023 --csv-dir exports/
    """
    if ctx.invoked_subcommand is not None:
        return
    if code is None or year is None or (out is None and csv_dir is None):
        raise TrackerError(
            "tracker report needs --authority CODE, --year YEAR and --out FILE.xlsx "
            "and/or --csv-dir DIR."
        )
    if out is not None and out.suffix.lower() != ".xlsx":
        raise TrackerError(f"--out {out}: the report is an Excel workbook; use a .xlsx name.")
    from tracker.reports.csv_export import write_csv_exports
    from tracker.reports.workbook import write_inventory_workbook

    settings: Settings = ctx.obj
    with open_session(settings) as session:
        if out is not None:
            data = write_inventory_workbook(
                session, out, authority=code, year=year, version=version
            )
            r = data.report
            click.echo(
                f"Wrote {out} ({r.total_kgco2e / 1000:,.1f} tCO2e, {r.line_count:,} lines, "
                f"version {r.version})"
            )
        if csv_dir is not None:
            paths = write_csv_exports(session, csv_dir, authority=code, year=year, version=version)
            click.echo("Wrote " + ", ".join(str(p) for p in paths))


@report_cmd.command("compare")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True)
@click.option("--year", type=int, default=None, help="Default: each authority's latest year.")
@click.pass_obj
def report_compare(settings: Settings, out: Path, year: int | None) -> None:
    """Write a workbook comparing every authority (aggregates; for administrators).

    \b
    Example:
        tracker report compare --out authorities-2023.xlsx --year 2023
    """
    if out.suffix.lower() != ".xlsx":
        raise TrackerError(f"--out {out}: the comparison is an Excel workbook; use .xlsx.")
    from tracker.reports.compare import write_comparison_workbook

    with open_session(settings) as session:
        rows = write_comparison_workbook(session, out, year=year)
    click.echo(f"Wrote {out} ({len(rows)} authorities)")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8050, show_default=True)
@click.option(
    "--workers", type=int, default=2, show_default=True, help="Server processes (gunicorn)."
)
@click.option("--threads", type=int, default=4, show_default=True, help="Threads per process.")
@click.option("--debug", is_flag=True, hidden=True)
@click.pass_obj
def serve_cmd(
    settings: Settings, host: str, port: int, workers: int, threads: int, debug: bool
) -> None:
    """Serve the dashboard in production mode (gunicorn; needs TRACKER_SECRET_KEY).

    \b
    Example:
        export TRACKER_SECRET_KEY=...   # 32+ random characters
        tracker serve --workers 4 --port 8050
    """
    engine = make_engine(settings.database_url)
    try:
        check_database(engine)
    finally:
        engine.dispose()
    if debug:
        from dashboards.app import serve

        serve(host=host, port=port, debug=True)
        return
    from dashboards.production import serve_production

    click.echo(f"Dashboard at http://{host}:{port}/  ({workers} workers × {threads} threads)")
    serve_production(settings, host, port, workers=workers, threads=threads)


@cli.command("demo")
@click.option("--port", type=int, default=8050, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--no-serve", is_flag=True, help="Seed the demo data and exit.")
@click.pass_obj
def demo_cmd(settings: Settings, port: int, host: str, no_serve: bool) -> None:
    """Migrate, seed synthetic demo authorities (if not already there) and serve the dashboard.

    \b
    Example:
        tracker demo --port 8050
    """
    from tracker import migrate
    from tracker.services.demo import seed_demo, seed_demo_users
    from tracker.services.reference import load_shipped_reference_data

    engine = make_engine(settings.database_url)
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        load_shipped_reference_data(session)
    with session_scope(factory) as session:
        summary = seed_demo(session, data_dir=settings.data_dir)
    with session_scope(factory) as session:
        logins = seed_demo_users(session)
    click.echo(summary)
    click.echo("Demo log-ins (new passwords each time `tracker demo` runs):")
    for login in logins:
        where = f" of {login.authority}" if login.authority else ""
        click.echo(f"  {login.role}{where}: {login.email}  password: {login.password}")
    if no_serve:
        return
    from dashboards.app import serve

    click.echo(f"Dashboard at http://{host}:{port}/  (demo data; sign in with a log-in above)")
    serve(host=host, port=port, session_factory=factory, debug=False)


cli.add_command(batch_group)
cli.add_command(target_group)
cli.add_command(targets_alias)
cli.add_command(progress_cmd)
cli.add_command(classify_cmd)
cli.add_command(review_cmd)
cli.add_command(rules_group)
cli.add_command(supplier_default_group)
cli.add_command(override_group)
cli.add_command(factors_group)
cli.add_command(rates_group)
cli.add_command(supplier_factor_group)
cli.add_command(compare_cmd)
authority.add_command(share_cmd)
cli.add_command(collaboration_cmd)
cli.add_command(user_group)
cli.add_command(year_group)


def main() -> None:
    cli(prog_name="tracker")
