"""Builders for the tests' authorities, spend, factor sets and inventory runs, and the
seeded groups of authorities built from them.

The builders insert exactly what a test asks for (no calculation): a test states each
line's amount and kgCO2e, so its expected sums are worked out by hand from those numbers.
Codes and supplier keys get a random suffix so that committed rows never collide.

- :func:`seed_group`: three authorities for the comparison and collaboration tests.
- :func:`seed_two_authorities`: two authorities for the dashboard tests (their users are
  in ``tests/dashboards/dash_seed_data.py``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from tracker.models import (
    Authority,
    Factor,
    FactorSet,
    ImportBatch,
    InventoryRun,
    LineEmission,
    LineEmissionKey,
    SpendLine,
    Supplier,
    SupplierFactor,
    Target,
    YearConfirmation,
)
from tracker.models.emissions import line_emission_table
from tracker.services.batch_months import record_batch_months
from tracker.services.classification.evidence import learn_evidence
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
    evidence: bool = True,
    months: bool = True,
    figures: bool = True,
) -> InventoryRun:
    """A batch with ``lines``, one inventory run over them, a LineEmission per line and
    the run's summary rows (and compare figures; ``figures`` False: a database migrated
    to a revision before run_compare_figures).

    The lines are all dated in June, a part year (tracker.domain.completeness); with
    ``whole_year`` (the default) the year is confirmed complete, as an officer would, so
    that it counts in status and trend like a full year.

    The batch's months are recorded as the import records them
    (``tracker.services.batch_months``); ``months`` False: a database migrated to a
    revision before batch_month.

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
    if months:
        record_batch_months(session, batch.id)
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
    for key_id, (sl, spec) in enumerate(zip(spend_lines, lines, strict=True), start=1):
        f = spec.factor
        session.add(
            LineEmission(  # each line a key of its own, as a line override is
                run_id=run.id,
                key_id=key_id,
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
    summarise_stored_lines(session, [run.id], figures=figures)
    # What review suggestions learn from the run, as a computed run keeps it (pages only
    # read: they no longer learn the evidence of a run that lacks it). ``evidence`` False:
    # a database migrated to a revision before today's run_evidence.
    if evidence:
        run.evidence_texts = learn_evidence(session, [run.id])[run.id]
        session.flush()
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


# -- Three authorities for comparison and collaboration ---------------------------------
#
# Three authorities for the comparison and collaboration tests, with hand-worked sums.
#
# Factors (kgCO2e per £): 49 land transport 0.2, 10.1 food 0.5. Financial year 2023:
#
# ====  ==========  =====================================  ===============================
# code  population  lines (supplier, £, kg)                run
# ====  ==========  =====================================  ===============================
# A     100,000     Shared Coaches 9,000 → 1,800 (49)      total £15,000, excluded £5,000,
#       not shared  A Catering 1,000 → 500 (10.1)          in scope £10,000, all classified;
#                   A Payroll 5,000 excluded               2,300 kg; 0.23 kg/£; 0.023 kg/res
# B     300,000     Shared Coaches 1,000 → 600 (49,        £2,000 in scope, £1,000 classified
#       shares      supplier-specific factor 0.6)          (50 %); 600 kg; 0.3 kg/£;
#                   B Misc 1,000 unmapped                  0.002 kg/res; edition "test-2"
# C     50,000      Shared Coaches 5,000 → 1,000 (49)      £10,000; 3,500 kg; 0.35 kg/£;
#       not shared  C Secret Supplies 5,000 → 2,500 (10.1) 0.07 kg/res; price year fixed:2022
# ====  ==========  =====================================  ===============================
#
# A also has 2022: Shared Coaches 10,000 → 2,400 kg, and a target of −50 % by 2030 from
# 2022 (linear): pathway 2023 = 2,400 − 1,200/8 = 2,250; 2,300 ≤ 2,250 × 1.05 = 2,362.5,
# within the margin, but the carbon budget 2022–2030 = 9 × (2,400 + 1,200) / 2 = 16,200 kg
# runs out in 2029 at the trend of −100 kg a year (cumulative 2,400, 4,700, 6,900, 9,000,
# 11,000, 12,900, 14,700, 16,400 in 2029), before 2030, so A is "off track" in 2023.


@dataclass
class GroupSeed:
    a: Authority
    b: Authority
    c: Authority
    suppliers: dict[str, int]


def seed_group(session: Session) -> GroupSeed:
    f = make_factor_set(
        session, factors={"49": ("Land transport services", "0.2"), "10.1": ("Food", "0.5")}
    )
    tag = suffix().upper()
    a = make_authority(session, code=f"GA{tag}", name="Ashby Council", population=100_000)
    b = make_authority(session, code=f"GB{tag}", name="Bexley Council", population=300_000)
    c = make_authority(session, code=f"GC{tag}", name="Carden Council", population=50_000)
    b.share_in_comparisons = True
    suppliers: dict[str, int] = {}
    make_run(session, authority=a, fy_year=2022, supplier_ids=suppliers,
             lines=[Line("Shared Coaches", "10000.00", "2400", f["49"])])  # fmt: skip
    make_run(
        session,
        authority=a,
        fy_year=2023,
        supplier_ids=suppliers,
        lines=[
            Line("Shared Coaches", "9000.00", "1800", f["49"]),
            Line("A Catering", "1000.00", "500", f["10.1"]),
            Line("A Payroll", "5000.00", excluded=True),
        ],
    )
    run_b = make_run(
        session,
        authority=b,
        fy_year=2023,
        supplier_ids=suppliers,
        lines=[
            Line("Shared Coaches", "1000.00", "600", f["49"]),
            Line("B Misc", "1000.00"),
        ],
    )
    run_b.factor_edition = "test-2"
    sf = SupplierFactor(
        supplier_id=suppliers["Shared Coaches"],
        authority_id=b.id,
        year=2023,
        currency="GBP",
        kgco2e_per_unit=Decimal("0.6"),
        evidence_url="https://example.org/coaches-footprint",
    )
    session.add(sf)
    session.flush()
    coaches_b = session.scalars(
        select(LineEmission)
        .join(SpendLine, SpendLine.id == LineEmission.spend_line_id)
        .where(LineEmission.run_id == run_b.id, SpendLine.supplier_id == sf.supplier_id)
    ).one()
    coaches_b.supplier_factor_id = sf.id
    session.flush()
    summarise_stored_lines(session, [run_b.id])
    run_c = make_run(
        session,
        authority=c,
        fy_year=2023,
        supplier_ids=suppliers,
        lines=[
            Line("Shared Coaches", "5000.00", "1000", f["49"]),
            Line("C Secret Supplies", "5000.00", "2500", f["10.1"]),
        ],
    )
    run_c.price_year_policy = "fixed:2022"
    session.add(
        Target(
            authority_id=a.id,
            baseline_years=[2022],
            target_year=2030,
            reduction_pct=Decimal(50),
            pathway="linear",
            interim=[],
            baseline_kg=Decimal(2400),
            baseline_versions={"2022": 1},
        )
    )
    session.flush()
    return GroupSeed(a=a, b=b, c=c, suppliers=suppliers)


# -- Two authorities for the dashboards ---------------------------------------------------


@dataclass
class DashSeed:
    alpha: Authority
    beta: Authority
    alpha_2022: InventoryRun
    alpha_2023: InventoryRun
    beta_2023: InventoryRun


def seed_two_authorities(session: Session) -> DashSeed:
    """Alpha: 2022 and 2023. Beta: 2023 only, with a supplier Alpha never used.

    Alpha 2022: 3000 spend, 1200 kg (all mapped).
    Alpha 2023: 4000 spend of which 950 (450 + 50 + 450) unmapped; 900 + 400 = 1300 kg.
    Beta 2023: 1000 spend, 600 kg.
    """
    f = make_factor_set(
        session,
        factors={
            "49": ("Land transport services", "0.4"),
            "10.1": ("Food products", "0.5"),
            "62": ("Computer programming services", "0.1"),
        },
    )
    tag = suffix().upper()
    alpha = make_authority(session, code=f"ALPHA{tag}", name="Alpha Borough Council")
    beta = make_authority(session, code=f"BETA{tag}", name="Beta District Council")
    suppliers: dict[str, int] = {}
    alpha_2022 = make_run(
        session,
        authority=alpha,
        fy_year=2022,
        supplier_ids=suppliers,
        lines=[Line("Shared Coaches Ltd", "3000.00", "1200", f["49"])],
    )
    alpha_2023 = make_run(
        session,
        authority=alpha,
        fy_year=2023,
        supplier_ids=suppliers,
        lines=[
            Line("Shared Coaches Ltd", "2250.00", "900", f["49"]),
            Line("Alpha Catering", "800.00", "400", f["10.1"]),
            Line("Alpha Catering", "450.00", "0", None),
            Line(None, "50.00", "0", None),
            Line("Alpha IT", "450.00", "0", None),
        ],
    )
    beta_2023 = make_run(
        session,
        authority=beta,
        fy_year=2023,
        supplier_ids=suppliers,
        lines=[
            Line("Shared Coaches Ltd", "500.00", "200", f["49"]),
            Line("Beta Secret Supplies", "500.00", "400", f["10.1"]),
        ],
    )
    return DashSeed(alpha, beta, alpha_2022, alpha_2023, beta_2023)


def set_emission_fields(session: Session, where: Any, **values: Any) -> int:
    """Give the stored line emissions matching ``where`` (a condition on LineEmission)
    other key fields (status, method, confidence …), as if they had been costed so: each
    such line gets a key of its own in its run, a copy of its key with ``values``. Returns
    how many lines. (A key's fields are shared by its lines, so they cannot be updated
    line by line in place.)"""
    found = session.execute(
        select(LineEmission.run_id, LineEmission.spend_line_id, LineEmission.key_id).where(where)
    ).all()
    k, le = LineEmissionKey.__table__.c, line_emission_table.c
    for run_id, line_id, key_id in found:
        top = session.scalar(select(func.max(k.key_id)).where(k.run_id == run_id)) or 0
        key = session.execute(
            select(LineEmissionKey.__table__).where(k.run_id == run_id, k.key_id == key_id)
        ).one()
        session.execute(
            insert(LineEmissionKey.__table__).values(key._asdict() | values | {"key_id": top + 1})
        )
        session.execute(
            update(line_emission_table)
            .where(le.run_id == run_id, le.spend_line_id == line_id)
            .values(key_id=top + 1)
        )
    session.expire_all()
    return len(found)
