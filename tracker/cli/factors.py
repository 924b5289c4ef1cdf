"""``tracker factors …``: list, show, verify and load emission factor sets.

Registered on the main group with ``cli.add_command(factors_group)``. Every command takes
the :class:`~tracker.config.Settings` from ``ctx.obj``.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

import click
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factors.build import custom, defra_uk, epa_supply_chain
from factors.build._common import OGL_LICENCE, SourceDataError, csv_bytes
from factors.registry import (
    FactorRow,
    FactorTable,
    ReferenceDataError,
    available_factor_sets,
    available_price_indices,
    load_factor_set,
    load_price_index,
    verify_shipped,
)
from tracker.cli.support import TrackerGroup, echo_notes, open_session, print_json
from tracker.config import Settings
from tracker.errors import NotFoundError, TrackerError
from tracker.models import Factor, FactorSet, PriceIndexSeries

LOAD_FORMATS = ("defra", "epa", "custom")
SHOW_LIMIT = 10
_MAX_CODE = 32
_MAX_NAME = 300

Rows = list[tuple[str, ...]]


@click.group("factors", cls=TrackerGroup)
def factors_group() -> None:
    """Emission factor sets: list, show provenance, verify checksums, load a file."""


def _set_counts(session: Session) -> dict[int, int]:
    counts = session.execute(
        select(Factor.factor_set_id, func.count(Factor.id)).group_by(Factor.factor_set_id)
    )
    return {int(set_id): int(n) for set_id, n in counts}


@factors_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def factors_list(settings: Settings, as_json: bool) -> None:
    """List the factor sets in the database, one line per family and edition.

    \b
    Example:
        tracker factors list --json
    """
    with open_session(settings) as session:
        sets = session.scalars(
            select(FactorSet).order_by(FactorSet.family, FactorSet.edition, FactorSet.data_year)
        ).all()
        counts = _set_counts(session)
        grouped: dict[tuple[str, str], dict[str, Any]] = {}
        for fs in sets:
            entry = grouped.setdefault(
                (fs.family, fs.edition),
                {
                    "family": fs.family,
                    "edition": fs.edition,
                    "data_years": [],
                    "unit": fs.unit,
                    "currency": fs.currency,
                    "rows": 0,
                    "licence": fs.licence,
                    "publisher": fs.publisher,
                },
            )
            entry["data_years"].append(fs.data_year)
            entry["rows"] += counts.get(fs.id, 0)
    rows = list(grouped.values())
    if as_json:
        print_json(rows)
        return
    if not rows:
        click.echo("No factor sets loaded. Run `tracker db upgrade`.")
        return
    for r in rows:
        years = r["data_years"]
        span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
        click.echo(
            f"{r['family']:<22} {r['edition']:<10} {span:<10} {r['unit']} ({r['currency']}), "
            f"{r['rows']:,} rows; {r['licence']}"
        )


def _choose_edition(session: Session, family: str, edition: str | None) -> str:
    editions = session.execute(
        select(FactorSet.edition, func.max(FactorSet.data_year), func.max(FactorSet.id))
        .where(FactorSet.family == family)
        .group_by(FactorSet.edition)
    ).all()
    if not editions:
        families = session.scalars(select(FactorSet.family).distinct()).all()
        raise NotFoundError(
            f"No factor set {family!r} is loaded; loaded: {', '.join(sorted(families)) or '-'}."
        )
    names = sorted(e for e, _, _ in editions)
    if edition is None:
        # The edition with the latest data year (then the most recently loaded).
        return str(max(editions, key=lambda e: (e[1], e[2]))[0])
    if edition not in names:
        raise NotFoundError(
            f"Factor set {family!r} has no edition {edition!r}; editions: {', '.join(names)}."
        )
    return edition


def _provenance(fs: FactorSet, rows: int) -> dict[str, Any]:
    return {
        "family": fs.family,
        "edition": fs.edition,
        "data_year": fs.data_year,
        "title": fs.title,
        "publisher": fs.publisher,
        "licence": fs.licence,
        "source_url": fs.source_url,
        "source_file": fs.source_file,
        "source_sha256": fs.source_sha256,
        "table_sha256": fs.table_sha256,
        "gwp": fs.gwp,
        "unit": fs.unit,
        "currency": fs.currency,
        "price_basis": fs.price_basis,
        "code_system": fs.code_system,
        "rows": rows,
        "loaded_at": fs.loaded_at,
    }


@factors_group.command("show")
@click.argument("family")
@click.option("--edition", default=None, help="Edition (default: the latest data year's).")
@click.option("--year", type=int, default=None, help="Data year (default: the latest).")
@click.option("--code", default=None, help="Show this code only.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def factors_show(
    settings: Settings,
    family: str,
    edition: str | None,
    year: int | None,
    code: str | None,
    as_json: bool,
) -> None:
    """Show a factor set's provenance and a few factors (or one code).

    \b
    Example:
        tracker factors show epa-useeio-naics --edition v1.3.0 --code 327320
    """
    with open_session(settings) as session:
        chosen = _choose_edition(session, family, edition)
        sets = session.scalars(
            select(FactorSet)
            .where(FactorSet.family == family, FactorSet.edition == chosen)
            .order_by(FactorSet.data_year)
        ).all()
        years = [fs.data_year for fs in sets]
        if year is None:
            fs = sets[-1]
        else:
            found = [s for s in sets if s.data_year == year]
            if not found:
                raise NotFoundError(
                    f"Factor set {family} {chosen} has no data year {year}; years: "
                    + ", ".join(str(y) for y in years)
                    + "."
                )
            fs = found[0]
        query = select(Factor).where(Factor.factor_set_id == fs.id).order_by(Factor.code)
        query = query.where(Factor.code == code) if code is not None else query.limit(SHOW_LIMIT)
        factors = session.scalars(query).all()
        if code is not None and not factors:
            raise NotFoundError(f"Code {code!r} is not in factor set {fs.label}.")
        count = _set_counts(session).get(fs.id, 0)
        data = _provenance(fs, count)
        data["data_years"] = years
        data["factors"] = [{"code": f.code, "name": f.name, "value": f.value} for f in factors]
    if as_json:
        print_json(data)
        return
    click.echo(f"{data['title']}")
    for label, key in (
        ("family", "family"),
        ("edition", "edition"),
        ("data year", "data_year"),
        ("data years", "data_years"),
        ("publisher", "publisher"),
        ("licence", "licence"),
        ("source URL", "source_url"),
        ("source file", "source_file"),
        ("source sha256", "source_sha256"),
        ("table sha256", "table_sha256"),
        ("GWP", "gwp"),
        ("unit", "unit"),
        ("price basis", "price_basis"),
        ("code system", "code_system"),
        ("rows", "rows"),
    ):
        value = data[key]
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        click.echo(f"  {label + ':':<15} {'-' if value in (None, '') else value}")
    shown = "" if code is not None else f" (first {len(factors)} of {count:,})"
    click.echo(f"Factors{shown}:")
    for f in data["factors"]:
        click.echo(f"  {f['code']:<10} {f['value'].normalize():<14} {f['name']}")


@factors_group.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def factors_verify(settings: Settings, as_json: bool) -> None:
    """Re-hash the shipped tables and check the database's sets against them.

    Exits 1 if a shipped table does not match its metadata, or a factor set or price index
    in the database was loaded from a table other than the shipped one.

    \b
    Example:
        tracker factors verify
    """
    problems: list[str] = []
    shipped = []
    for r in verify_shipped():
        shipped.append({"path": r.path, "ok": r.ok})
        if not r.ok:
            problems.append(
                f"shipped table {r.path}: sha256 {(r.actual_sha256 or 'missing')[:12]}…, "
                f"metadata says {r.expected_sha256[:12]}…"
            )
    shipped_sets = set(available_factor_sets())
    shipped_indices = set(available_price_indices())
    database: list[dict[str, Any]] = []
    with open_session(settings) as session:
        for fs in session.scalars(
            select(FactorSet).order_by(FactorSet.family, FactorSet.edition, FactorSet.data_year)
        ):
            entry: dict[str, Any] = {"kind": "factor_set", "name": fs.label}
            if (fs.family, fs.edition) not in shipped_sets:
                entry["status"] = "not shipped"
            else:
                expected = str(load_factor_set(fs.family, fs.edition).metadata["table_sha256"])
                entry["status"] = "ok" if fs.table_sha256 == expected else "mismatch"
                if entry["status"] == "mismatch":
                    problems.append(
                        f"factor set {fs.label}: database table sha256 {fs.table_sha256[:12]}…, "
                        f"shipped {expected[:12]}…"
                    )
            database.append(entry)
        for series in session.scalars(select(PriceIndexSeries).order_by(PriceIndexSeries.key)):
            entry = {"kind": "price_index", "name": series.key}
            if series.key not in shipped_indices:
                entry["status"] = "not shipped"
            else:
                expected = str(load_price_index(series.key).metadata["table_sha256"])
                entry["status"] = "ok" if series.table_sha256 == expected else "mismatch"
                if entry["status"] == "mismatch":
                    problems.append(
                        f"price index {series.key}: database table sha256 "
                        f"{series.table_sha256[:12]}…, shipped {expected[:12]}… "
                        "(run `tracker db upgrade`)"
                    )
            database.append(entry)
    if as_json:
        print_json(
            {"ok": not problems, "shipped": shipped, "database": database, "problems": problems}
        )
    else:
        ok_shipped = sum(1 for s in shipped if s["ok"])
        click.echo(f"Shipped tables: {ok_shipped} of {len(shipped)} match their metadata.")
        for e in database:
            click.echo(f"  {e['kind']:<12} {e['name']:<40} {e['status']}")
        for p in problems:
            click.echo(f"MISMATCH {p}")
        if not problems:
            click.echo("All checksums match.")
    if problems:
        raise SystemExit(1)


def _table_sha(header: Sequence[str], rows: Rows) -> str:
    return hashlib.sha256(csv_bytes(header, rows)).hexdigest()


def _parse_defra(data: bytes, name: str) -> tuple[Rows, dict[str, Any], str]:
    parsed = defra_uk.parse_multiplier_text(data, name)
    meta: dict[str, Any] = {
        "publisher": defra_uk.PUBLISHER,
        "unit": "kgCO2e per GBP",
        "currency": "GBP",
        "price_basis": "basic prices of each year, excluding VAT",
        "code_system": "Defra SIC 2007 product group",
        "licence": OGL_LICENCE,
        "source_url": "",
        "gwp": None,
    }
    # A user's extract may lack the provenance header; --source-url then supplies it.
    with contextlib.suppress(SourceDataError):
        meta["source_url"] = defra_uk._parse_header_2023(parsed.header)["source_url"]
    return list(parsed.rows), meta, _table_sha(defra_uk.HEADER, list(parsed.rows))


def _parse_epa(data: bytes, name: str) -> tuple[Rows, dict[str, Any], str]:
    factors = epa_supply_chain.parse_co2e_csv(data, name)
    year = factors[0].year
    meta: dict[str, Any] = {
        "publisher": epa_supply_chain.PUBLISHER,
        "unit": "kgCO2e per USD (purchaser price)",
        "currency": "USD",
        "price_basis": "purchaser price",
        "code_system": "NAICS 2017 (6-digit)",
        "licence": epa_supply_chain.LICENCE,
        "source_url": "",
        "gwp": None,
    }
    for version in epa_supply_chain.VERSIONS:
        if version.dollar_year == year:
            meta["gwp"] = version.gwp
            meta["source_url"] = f"https://doi.org/{version.doi}"
    full = [f.as_row() for f in factors]
    rows: Rows = [r[:4] for r in full]
    return rows, meta, _table_sha(epa_supply_chain.HEADER, list(full))


def _parse_custom(data: bytes, name: str) -> tuple[Rows, dict[str, Any], str]:
    rows: Rows = list(custom.parse_factor_csv(data, name))
    return (
        rows,
        {"gwp": None, "price_basis": "", "code_system": ""},
        _table_sha(custom.COLUMNS, rows),
    )


_PARSERS: dict[str, Callable[[bytes, str], tuple[Rows, dict[str, Any], str]]] = {
    "defra": _parse_defra,
    "epa": _parse_epa,
    "custom": _parse_custom,
}


@factors_group.command("load")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(LOAD_FORMATS))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--family", required=True, help="Factor family, e.g. epa-useeio-naics.")
@click.option("--edition", required=True, help="Edition name; a changed table needs a new one.")
@click.option("--year", type=int, default=None, help="Load only this data year.")
@click.option("--title", default=None)
@click.option("--unit", default=None, help="e.g. 'kgCO2e per GBP' (required for custom).")
@click.option("--currency", default=None, help="ISO code, e.g. GBP (required for custom).")
@click.option("--publisher", default=None, help="Required for custom.")
@click.option("--licence", default=None, help="Required for custom.")
@click.option("--source-url", default=None, help="Required for custom.")
@click.option("--gwp", default=None, help="GWP set, e.g. 'IPCC AR5 GWP-100'.")
@click.option("--price-basis", default=None)
@click.option("--code-system", default=None)
@click.pass_obj
def factors_load(
    settings: Settings,
    fmt: str,
    file: Path,
    family: str,
    edition: str,
    year: int | None,
    title: str | None,
    unit: str | None,
    currency: str | None,
    publisher: str | None,
    licence: str | None,
    source_url: str | None,
    gwp: str | None,
    price_basis: str | None,
    code_system: str | None,
) -> None:
    """Load a factor file as factor sets (one per data year), with its sha256.

    FORMAT is ``defra`` (the pipe-delimited Defra multiplier extract), ``epa`` (an EPA
    supply-chain CO2e CSV; the "with margins" column is loaded) or ``custom``
    (``code,name,year,kgco2e_per_unit``; needs --unit --currency --publisher --licence
    --source-url).

    \b
    Example:
        tracker factors load custom my-factors.csv --family my-set --edition 2024 \\
            --unit "kgCO2e per GBP" --currency GBP --publisher "Example body" \\
            --licence "OGL v3.0" --source-url https://example.org/factors
    """
    overrides = {
        "unit": unit,
        "currency": currency,
        "publisher": publisher,
        "licence": licence,
        "source_url": source_url,
    }
    if fmt == "custom":
        missing = [f"--{k.replace('_', '-')}" for k, v in overrides.items() if not v]
        if missing:
            raise TrackerError(f"load custom needs {', '.join(missing)}.")
    data = file.read_bytes()
    try:
        rows, meta, table_sha = _PARSERS[fmt](data, str(file))
    except SourceDataError as exc:
        raise TrackerError(str(exc)) from None
    years = sorted({int(r[2]) for r in rows})
    if year is not None:
        if year not in years:
            raise TrackerError(
                f"{file}: no data year {year}; the file has {', '.join(map(str, years))}."
            )
        rows = [r for r in rows if int(r[2]) == year]
    for r in rows:
        if len(r[0]) > _MAX_CODE or len(r[1]) > _MAX_NAME:
            raise TrackerError(
                f"{file}: code {r[0]!r}: code longer than {_MAX_CODE} or name longer than "
                f"{_MAX_NAME} characters."
            )
    meta.update({k: v for k, v in overrides.items() if v})
    if gwp:
        meta["gwp"] = gwp
    if price_basis:
        meta["price_basis"] = price_basis
    if code_system:
        meta["code_system"] = code_system
    meta.update(
        {
            "key": family,
            "edition": edition,
            "title": title or f"{family} {edition} (loaded from {file.name})",
            "source_file": file.name,
            "source_sha256": hashlib.sha256(data).hexdigest(),
            "table_sha256": table_sha,
        }
    )
    table = FactorTable(
        family,
        edition,
        MappingProxyType(meta),
        tuple(FactorRow(r[0], r[1], int(r[2]), Decimal(r[3])) for r in rows),
    )
    from tracker.services.recalculate import refresh_factor_users
    from tracker.services.reference import load_factor_table

    notes: list[str] = []
    try:
        with open_session(settings) as session:
            added = load_factor_table(session, table)
            if added:  # the edition's users: a year waiting for a factor year, say
                notes = refresh_factor_users(session, family, edition)
    except ReferenceDataError as exc:
        raise TrackerError(str(exc)) from None
    loaded_years = sorted({r.year for r in table.rows})
    span = ", ".join(str(y) for y in loaded_years)
    if added:
        click.echo(
            f"Loaded {family} {edition}: {added} data year(s) ({span}), {len(table.rows):,} "
            f"factors from {file.name} (sha256 {meta['source_sha256'][:12]}…)."
        )
    else:
        click.echo(f"{family} {edition} ({span}) is already loaded from the same table.")
    echo_notes(notes)


__all__ = ["factors_group"]
