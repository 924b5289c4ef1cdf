"""Load the factor sets and price indices shipped in ``factors/data`` into the database.

Idempotent: a set already loaded with the same table checksum is left alone; a changed
table (a rebuilt edition) is refused, because results computed with it must stay
reproducible; a new edition gets a new edition name instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from factors.registry import (
    CommodityPriceIndexTable,
    FactorTable,
    PriceIndexTable,
    available_commodity_price_indices,
    available_factor_sets,
    available_price_indices,
    load_commodity_price_index,
    load_factor_extras,
    load_factor_set,
    load_price_index,
)
from tracker.errors import FactorDataError
from tracker.models import Factor, FactorSet, PriceIndexSeries, PriceIndexValue


def _meta(meta: Any, key: str, default: str = "") -> str:
    value = meta.get(key)
    return default if value is None else str(value)


def load_factor_table(
    session: Session,
    table: FactorTable,
    index_codes: Mapping[tuple[str, int], str] | None = None,
) -> int:
    """Store each data year of ``table`` as a FactorSet; return how many sets were added.

    ``index_codes`` gives, per (code, year), the commodity price-index code that deflates
    spend to the factor's currency year (EPA: the Reference USEEIO Code).
    """
    index_codes = index_codes or {}
    meta = table.metadata
    sha = _meta(meta, "table_sha256")
    added = 0
    for year in sorted({row.year for row in table.rows}):
        existing = session.scalar(
            select(FactorSet).where(
                FactorSet.family == table.key,
                FactorSet.edition == table.edition,
                FactorSet.data_year == year,
            )
        )
        if existing is not None:
            if existing.table_sha256 != sha:
                raise FactorDataError(
                    f"Factor set {table.key} {table.edition} ({year}) is already loaded from a "
                    f"different table (sha256 {existing.table_sha256[:12]}…, shipped "
                    f"{sha[:12]}…). Give a rebuilt table a new edition name."
                )
            continue
        factor_set = FactorSet(
            family=table.key,
            edition=table.edition,
            data_year=year,
            title=_meta(meta, "title", table.key)[:300],
            publisher=_meta(meta, "publisher"),
            unit=_meta(meta, "unit"),
            currency=_meta(meta, "currency", "GBP"),
            price_basis=_meta(meta, "price_basis")[:200],
            code_system=_meta(meta, "code_system")[:100],
            gwp=meta.get("gwp"),
            licence=_meta(meta, "licence"),
            source_url=_meta(meta, "source_url"),
            source_file=_meta(meta, "source_file"),
            source_sha256=_meta(meta, "source_sha256"),
            table_sha256=sha,
        )
        session.add(factor_set)
        session.flush()
        session.execute(
            insert(Factor),
            [
                {
                    "factor_set_id": factor_set.id,
                    "code": r.code,
                    "name": r.name,
                    "value": r.value,
                    "price_index_code": index_codes.get((r.code, r.year)),
                }
                for r in table.rows
                if r.year == year
            ],
        )
        added += 1
    return added


def load_index_table(session: Session, table: PriceIndexTable) -> bool:
    """Store an economy-wide index (code ""); False when already loaded unchanged."""
    return _store_index(
        session, table.key, table.metadata, [("", y, v) for y, v in sorted(table.values.items())]
    )


def load_commodity_index_table(session: Session, table: CommodityPriceIndexTable) -> bool:
    """Store a commodity-specific index, one value per (code, year)."""
    values = [
        (code, year, value)
        for code, series in sorted(table.values.items())
        for year, value in sorted(series.items())
    ]
    return _store_index(session, table.key, table.metadata, values)


def _store_index(
    session: Session, key: str, meta: Mapping[str, Any], values: list[tuple[str, int, Decimal]]
) -> bool:
    sha = _meta(meta, "table_sha256")
    existing = session.scalar(select(PriceIndexSeries).where(PriceIndexSeries.key == key))
    if existing is not None:
        if existing.table_sha256 == sha:
            return False
        # A newer release of an index revises and extends it: replace the values.
        session.execute(delete(PriceIndexValue).where(PriceIndexValue.series_id == existing.id))
        series = existing
    else:
        series = PriceIndexSeries(key=key)
        session.add(series)
    series.title = _meta(meta, "title", key)[:300]
    series.publisher = _meta(meta, "publisher")
    series.base = _meta(meta, "base")
    series.licence = _meta(meta, "licence")
    series.source_url = _meta(meta, "source_url")
    series.source_file = _meta(meta, "source_file")
    series.source_sha256 = _meta(meta, "source_sha256")
    series.table_sha256 = sha
    session.flush()
    session.execute(
        insert(PriceIndexValue),
        [
            {"series_id": series.id, "code": code, "year": year, "value": value}
            for code, year, value in values
        ],
    )
    return True


def load_shipped_reference_data(session: Session) -> list[str]:
    """Load every shipped factor set and price index not yet in the database."""
    messages = []
    for key, edition in available_factor_sets():
        extras = load_factor_extras(key, edition)
        index_codes = {
            k: v["reference_useeio_code"][:64]
            for k, v in extras.items()
            if v.get("reference_useeio_code")
        }
        added = load_factor_table(session, load_factor_set(key, edition), index_codes)
        if added:
            messages.append(f"loaded factor set {key} {edition} ({added} data years)")
    for key in available_price_indices():
        if load_index_table(session, load_price_index(key)):
            messages.append(f"loaded price index {key}")
    for key in available_commodity_price_indices():
        if load_commodity_index_table(session, load_commodity_price_index(key)):
            messages.append(f"loaded commodity price index {key}")
    return messages
