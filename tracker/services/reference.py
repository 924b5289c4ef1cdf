"""Load the factor sets and price indices shipped in ``factors/data`` into the database.

Idempotent: a set already loaded with the same table checksum is left alone; a changed
table (a rebuilt edition) is refused, because results computed with it must stay
reproducible; a new edition gets a new edition name instead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from factors.registry import (
    FactorTable,
    PriceIndexTable,
    available_factor_sets,
    available_price_indices,
    load_factor_set,
    load_price_index,
)
from tracker.errors import FactorDataError
from tracker.models import Factor, FactorSet, PriceIndexSeries, PriceIndexValue


def _meta(meta: Any, key: str, default: str = "") -> str:
    value = meta.get(key)
    return default if value is None else str(value)


def load_factor_table(session: Session, table: FactorTable) -> int:
    """Store each data year of ``table`` as a FactorSet; return how many sets were added."""
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
                {"factor_set_id": factor_set.id, "code": r.code, "name": r.name, "value": r.value}
                for r in table.rows
                if r.year == year
            ],
        )
        added += 1
    return added


def load_index_table(session: Session, table: PriceIndexTable) -> bool:
    meta = table.metadata
    sha = _meta(meta, "table_sha256")
    existing = session.scalar(select(PriceIndexSeries).where(PriceIndexSeries.key == table.key))
    if existing is not None:
        if existing.table_sha256 == sha:
            return False
        # A newer release of an index revises and extends it: replace the values.
        session.execute(delete(PriceIndexValue).where(PriceIndexValue.series_id == existing.id))
        series = existing
    else:
        series = PriceIndexSeries(key=table.key)
        session.add(series)
    series.title = _meta(meta, "title", table.key)[:300]
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
            {"series_id": series.id, "code": "", "year": year, "value": value}
            for year, value in sorted(table.values.items())
        ],
    )
    return True


def load_shipped_reference_data(session: Session) -> list[str]:
    """Load every shipped factor set and price index not yet in the database."""
    messages = []
    for key, edition in available_factor_sets():
        added = load_factor_table(session, load_factor_set(key, edition))
        if added:
            messages.append(f"loaded factor set {key} {edition} ({added} data years)")
    for key in available_price_indices():
        if load_index_table(session, load_price_index(key)):
            messages.append(f"loaded price index {key}")
    return messages
