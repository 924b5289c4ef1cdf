"""Reference data: the factor sets a run used, the factor editions loaded, authorities by code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import (
    func,
    select,
)
from sqlalchemy.orm import Session

from tracker.models import (
    Authority,
    Factor,
    FactorSet,
    RunCategoryTotal,
)
from tracker.queries.sql import select_run_totals


@dataclass(frozen=True)
class FactorSetRef:
    """A factor set that a run used, with what is needed to cite it."""

    family: str
    edition: str
    data_year: int
    title: str
    publisher: str
    licence: str
    source_url: str
    source_file: str = ""
    source_sha256: str = ""


def run_factor_sets(session: Session, *, run_id: int, authority_id: int) -> list[FactorSetRef]:
    """The factor sets that one run's mapped lines used, oldest data year first."""
    stmt = (
        select(FactorSet)
        .where(
            FactorSet.id.in_(
                select_run_totals(
                    RunCategoryTotal, run_id, authority_id, RunCategoryTotal.factor_set_id
                ).where(RunCategoryTotal.factor_set_id.is_not(None))
            )
        )
        .order_by(FactorSet.family, FactorSet.edition, FactorSet.data_year)
    )
    return [
        FactorSetRef(
            family=fs.family,
            edition=fs.edition,
            data_year=fs.data_year,
            title=fs.title,
            publisher=fs.publisher,
            licence=fs.licence,
            source_url=fs.source_url,
            source_file=fs.source_file,
            source_sha256=fs.source_sha256,
        )
        for fs in session.scalars(stmt)
    ]


def authority_by_code(session: Session, code: str) -> Authority | None:
    """The authority of that code, or None (also for a code no authority can have: one
    with a NUL character, which PostgreSQL refuses to compare)."""
    if "\x00" in code:
        return None
    return session.scalar(select(Authority).where(Authority.code == code))


@dataclass(frozen=True)
class FactorEdition:
    """One edition of a factor set family, over all its data years."""

    family: str
    edition: str
    data_years: tuple[int, ...]
    title: str
    publisher: str
    unit: str
    code_system: str
    gwp: str | None
    licence: str
    source_url: str
    source_file: str
    source_sha256: str
    factors: int  # factors across all its data years
    loaded_at: dt.datetime


def factor_editions(session: Session) -> list[FactorEdition]:
    """The loaded factor sets grouped by family and edition (reference data, not scoped)."""
    counted = select(Factor.factor_set_id, func.count()).group_by(Factor.factor_set_id)
    counts: dict[int, int] = {}
    for set_id, n in session.execute(counted):
        counts[set_id] = n
    grouped: dict[tuple[str, str], list[FactorSet]] = {}
    for fs in session.scalars(
        select(FactorSet).order_by(FactorSet.family, FactorSet.edition, FactorSet.data_year)
    ):
        grouped.setdefault((fs.family, fs.edition), []).append(fs)
    out = []
    for (family, edition), sets in grouped.items():
        latest = sets[-1]
        out.append(
            FactorEdition(
                family=family,
                edition=edition,
                data_years=tuple(fs.data_year for fs in sets),
                title=latest.title,
                publisher=latest.publisher,
                unit=latest.unit,
                code_system=latest.code_system,
                gwp=latest.gwp,
                licence=latest.licence,
                source_url=latest.source_url,
                source_file=latest.source_file,
                source_sha256=latest.source_sha256,
                factors=sum(counts.get(fs.id, 0) for fs in sets),
                loaded_at=max(fs.loaded_at for fs in sets),
            )
        )
    return out
