"""Inventory runs: recomputed when inputs change, reused when they don't, fully traceable.

Factors from the Defra "to 2023" edition (methodology.md §3.8 B): SIC 42110 → 42.1-2,
2022 = 0.311372 kg/£ and 2023 = 0.26547 kg/£ (matched-year policy).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import LineEmission
from tracker.services.authorities import add_authority, get_authority
from tracker.services.imports import import_spend_file
from tracker.services.inventory.runs import ensure_inventory
from tracker.services.reference import load_shipped_reference_data


def _import(session: Session, authority_code: str, tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    import_spend_file(
        session, authority=get_authority(session, authority_code), path=path, data_dir=tmp_path
    )


def test_matched_year_and_reuse(session: Session, tmp_path: Path) -> None:
    load_shipped_reference_data(session)
    code = "V" + uuid.uuid4().hex[:6]
    authority = add_authority(session, code=code, name="Versions", fy_start_month=1)
    _import(
        session,
        code,
        tmp_path,
        "a.csv",
        "Date,Supplier,Amount,SIC\n15/03/2022,Road Co,1000.00,42110\n",
    )
    run = ensure_inventory(session, authority=authority, year=2022)
    assert run.total_kgco2e == Decimal("311.372")  # 1,000 × 0.311372
    line = session.scalars(select(LineEmission).where(LineEmission.run_id == run.id)).one()
    assert (line.category_code, line.factor_year, line.deflator) == ("42.1-2", 2022, 1)
    assert line.factor_value == Decimal("0.311372")

    assert ensure_inventory(session, authority=authority, year=2022) is run

    _import(
        session,
        code,
        tmp_path,
        "b.csv",
        "Date,Supplier,Amount,SIC\n16/03/2022,Road Co,-100.00,42110\n",
    )
    rerun = ensure_inventory(session, authority=authority, year=2022)
    assert rerun.id != run.id
    assert rerun.total_kgco2e == Decimal("280.2348")  # 900 × 0.311372
    assert rerun.line_count == 2
