"""Small builders for authorities, spend lines, factor sets and inventory runs.

They insert exactly what a test asks for (no calculation): a test states each line's
amount and kgCO2e, so its expected sums are worked out by hand from those numbers.
Codes and supplier keys get a random suffix so that committed rows never collide.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import insert
from sqlalchemy.orm import Session

from tracker.models import (
    Authority,
    Factor,
    FactorSet,
    ImportBatch,
    InventoryRun,
    LineEmission,
    SpendLine,
    Supplier,
    YearConfirmation,
)
from tracker.services.inventory.totals import summarise_stored_lines


def suffix() -> str:
    return uuid.uuid4().hex[:8]


def make_authority(
    session: Session,
    *,
    code: str | None = None,
    name: str = "Test Council",
    population: int | None = 100_000,
) -> Authority:
    authority = Authority(
        code=code or f"T{suffix()}".upper(), name=name, population=population, fy_start_month=4
    )
    session.add(authority)
    session.flush()
    return authority


def make_factor_set(
    session: Session,
    *,
    factors: dict[str, tuple[str, str]],
    data_year: int = 2022,
    family: str | None = None,
    edition: str = "test-1",
) -> dict[str, Factor]:
    """A factor set with ``{code: (name, value)}`` factors; returns the factors by code."""
    fs = FactorSet(
        family=family or f"test-{suffix()}",
        edition=edition,
        data_year=data_year,
        title="Test spend factors",
        publisher="Test publisher",
        unit="kgCO2e per GBP",
        currency="GBP",
        price_basis="basic prices",
        code_system="SIC",
        gwp="AR5",
        licence="OGL v3.0",
        source_url="https://example.org/factors",
        source_file="factors.csv",
        source_sha256="0" * 64,
        table_sha256="0" * 64,
    )
    session.add(fs)
    session.flush()
    by_code = {}
    for code, (name, value) in factors.items():
        factor = Factor(factor_set_id=fs.id, code=code, name=name, value=Decimal(value))
        session.add(factor)
        by_code[code] = factor
    session.flush()
    return by_code


@dataclass(frozen=True)
class Line:
    """One spend line and its emission in a run. ``factor`` None means unmapped, or out of
    scope when ``excluded`` (True, or the reason as text). ``dq`` is the five-digit score."""

    supplier: str | None
    amount: str
    kgco2e: str = "0"
    factor: Factor | None = None
    excluded: bool | str = False
    cost_centre: str | None = None
    dq: str | None = None
    scope3_category: int | None = None


def make_run(
    session: Session,
    *,
    authority: Authority,
    fy_year: int,
    lines: Sequence[Line],
    supplier_ids: dict[str, int] | None = None,
    whole_year: bool = True,
) -> InventoryRun:
    """A batch with ``lines``, one inventory run over them, a LineEmission per line and
    the run's summary rows.

    The lines are all dated in June, a part year (tracker.domain.completeness); with
    ``whole_year`` (the default) the year is confirmed complete, as an officer would, so
    that it counts in status and trend like a full year.

    Run totals are the plain sums of the given amounts and kgCO2e. ``supplier_ids`` caches
    Supplier rows by name across calls (pass the same dict to share suppliers).
    """
    suppliers = supplier_ids if supplier_ids is not None else {}
    batch = ImportBatch(
        authority_id=authority.id,
        file_name=f"spend-{fy_year}.csv",
        sha256=uuid.uuid4().hex + uuid.uuid4().hex,
        size_bytes=1,
        file_format="csv",
        header_row=1,
        column_mapping={},
        amount_rule="net",
        rows_read=len(lines),
        rows_imported=len(lines),
        rows_rejected=0,
        rows_skipped=0,
        total_amount=sum((Decimal(x.amount) for x in lines), Decimal(0)),
        report={},
    )
    session.add(batch)
    session.flush()
    spend_lines = []
    for i, spec in enumerate(lines, start=1):
        supplier_id = None
        if spec.supplier is not None:
            if spec.supplier not in suppliers:
                key = f"{spec.supplier.casefold()} {suffix()}"
                # Only the columns every revision has: tests/test_migrations.py makes
                # runs on databases migrated to earlier revisions.
                created = session.execute(
                    insert(Supplier.__table__).values(name_key=key, name=spec.supplier)
                )
                suppliers[spec.supplier] = created.inserted_primary_key[0]
            supplier_id = suppliers[spec.supplier]
        sl = SpendLine(
            authority_id=authority.id,
            batch_id=batch.id,
            source_row=i + 1,
            transaction_date=dt.date(fy_year, 6, 1),
            amount=Decimal(spec.amount),
            currency="GBP",
            supplier_id=supplier_id,
            supplier_name=spec.supplier.upper() if spec.supplier else None,
            cost_centre=spec.cost_centre,
        )
        session.add(sl)
        spend_lines.append(sl)
    session.flush()
    total = sum((Decimal(x.amount) for x in lines), Decimal(0))
    mapped = sum((Decimal(x.amount) for x in lines if x.factor is not None), Decimal(0))
    excluded = sum((Decimal(x.amount) for x in lines if x.excluded), Decimal(0))
    kg = sum((Decimal(x.kgco2e) for x in lines), Decimal(0))
    run = InventoryRun(
        authority_id=authority.id,
        fy_year=fy_year,
        period_start=dt.date(fy_year, 4, 1),
        period_end=dt.date(fy_year + 1, 3, 31),
        factor_family="test",
        factor_edition="test-1",
        price_year_policy="matched",
        price_index_key="test-cpi",
        tracker_version="0.1.0",
        line_count=len(lines),
        total_spend=total,
        mapped_spend=mapped,
        excluded_spend=excluded,
        total_kgco2e=kg,
        inputs={},
    )
    session.add(run)
    session.flush()
    for sl, spec in zip(spend_lines, lines, strict=True):
        f = spec.factor
        session.add(
            LineEmission(
                run_id=run.id,
                spend_line_id=sl.id,
                status=_status(spec),
                reason=_reason(spec),
                dq=spec.dq,
                scope3_category=spec.scope3_category or (1 if f is not None else None),
                category_code=f.code if f is not None else None,
                factor_id=f.id if f is not None else None,
                factor_set_id=f.factor_set_id if f is not None else None,
                factor_year=2022 if f is not None else None,
                factor_value=f.value if f is not None else None,
                deflator=Decimal(1) if f is not None else None,
                spend_in_factor_year=Decimal(spec.amount) if f is not None else None,
                kgco2e=Decimal(spec.kgco2e),
            )
        )
    if whole_year and session.get(YearConfirmation, (authority.id, fy_year)) is None:
        session.add(
            YearConfirmation(
                authority_id=authority.id,
                fy_year=fy_year,
                months_covered=1,
                confirmed_by="test fixture",
                reason="one line stands for the whole year",
            )
        )
    session.flush()
    summarise_stored_lines(session, [run.id])
    return run


def _status(spec: Line) -> str:
    if spec.factor is not None:
        return "mapped"
    return "excluded" if spec.excluded else "unmapped"


def _reason(spec: Line) -> str | None:
    if spec.factor is not None:
        return None
    if spec.excluded:
        return f"excluded: {spec.excluded if isinstance(spec.excluded, str) else 'other'}"
    return "no SIC code"
