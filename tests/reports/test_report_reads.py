"""A report only reads: it shows the run a year has, says when and why it is out of date,
and never computes one; a year that could not be computed says what to load.

Defra "to 2023" factors (methodology.md §3.8 B): SIC 42110 → 42.1-2, 2022 = 0.311372 kg/£.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.errors import NotFoundError
from tracker.models import Authority, ExchangeRate, InventoryRun
from tracker.reports.inventory import build_inventory_report
from tracker.services.authorities import add_authority, configure_factors
from tracker.services.classification.rules import add_rule
from tracker.services.imports import import_spend_file
from tracker.services.recalculate import refresh_inventories
from tracker.services.reference import load_shipped_reference_data
from tracker.services.versions import lock_year, locked_out_of_date

SPEND = "Date,Supplier,Amount,SIC,Description\n15/03/2022,Road Co,1000.00,42110,resurfacing\n"


def _authority(session: Session, tmp_path: Path) -> Authority:
    load_shipped_reference_data(session)
    code = "R" + uuid.uuid4().hex[:6].upper()
    authority = add_authority(session, code=code, name="Reads", fy_start_month=1)
    path = tmp_path / "spend.csv"
    path.write_text(SPEND, encoding="utf-8")
    import_spend_file(session, authority=authority, path=path, data_dir=tmp_path)
    return authority


def _runs(session: Session, authority: Authority) -> int:
    return (
        session.scalar(
            select(func.count(InventoryRun.id)).where(InventoryRun.authority_id == authority.id)
        )
        or 0
    )


def test_no_run_is_said_never_computed(session: Session, tmp_path: Path) -> None:
    authority = _authority(session, tmp_path)
    with pytest.raises(NotFoundError, match="no inventory for 2022 yet: recalculate it"):
        build_inventory_report(session, authority=authority, year=2022)
    assert _runs(session, authority) == 0


def test_an_out_of_date_run_is_shown_with_its_reasons(session: Session, tmp_path: Path) -> None:
    authority = _authority(session, tmp_path)
    assert refresh_inventories(session, authority=authority) == []
    report = build_inventory_report(session, authority=authority, year=2022)
    assert (report.stale, report.total_kgco2e) == (False, Decimal("311.372"))  # 1,000 × 0.311372
    add_rule(session, authority=authority, rule_id="R1", pattern="resurfacing",
             defra_group="42.1-2", actor="test")  # fmt: skip
    again = build_inventory_report(session, authority=authority, year=2022)
    assert again.run_id == report.run_id and _runs(session, authority) == 1
    assert again.stale_reasons == ["1 rule changed"]
    assert again.as_dict()["out_of_date"] == (
        "Figures out of date: 1 rule changed since this run; recalculate."
    )
    refresh_inventories(session, authority=authority)
    assert not build_inventory_report(session, authority=authority, year=2022).stale


def test_a_locked_year_out_of_date_says_to_restate_not_recalculate(
    session: Session, tmp_path: Path
) -> None:
    """Recalculating leaves a locked year as it was locked (ensure_inventory returns the
    locked run), so its notice must not tell the reader to recalculate."""
    authority = _authority(session, tmp_path)
    refresh_inventories(session, authority=authority)
    lock_year(session, authority=authority, year=2022, actor="test", reason="published")
    assert locked_out_of_date(session, authority) == []
    add_rule(session, authority=authority, rule_id="R1", pattern="resurfacing",
             defra_group="42.1-2", actor="test")  # fmt: skip
    refresh_inventories(session, authority=authority)
    report = build_inventory_report(session, authority=authority, year=2022)
    assert (report.locked, report.stale_reasons) == (True, ["1 rule changed"])
    assert report.as_dict()["out_of_date"] == (
        "Figures out of date: 1 rule changed since this run; the year is locked, so "
        "recalculating leaves it as it is: restate it, with a reason, to bring it up to date."
    )
    assert "recalculate." not in report.stale_notice
    # What a recalculation (CLI, authority page) says after it, instead of nothing.
    assert locked_out_of_date(session, authority) == [
        "2022 is locked and its inputs changed since: it is kept as locked; restate it, with "
        "a reason, to bring it up to date."
    ]
    assert locked_out_of_date(session, authority, [2023]) == []


def test_a_changed_rate_makes_the_run_out_of_date(session: Session, tmp_path: Path) -> None:
    authority = _authority(session, tmp_path)
    configure_factors(session, authority, family="epa-useeio-naics", edition="v1.3.0")
    rate = ExchangeRate(base="GBP", quote="USD", year=2022, rate=Decimal("1.2369"), source="t")
    session.add(rate)
    session.flush()
    assert refresh_inventories(session, authority=authority) == []
    assert not build_inventory_report(session, authority=authority, year=2022).stale
    rate.rate = Decimal("1.3")
    session.flush()
    report = build_inventory_report(session, authority=authority, year=2022)
    assert report.stale_reasons == ["exchange rates changed"]


def test_a_year_waiting_for_a_rate_names_it(session: Session, tmp_path: Path) -> None:
    authority = _authority(session, tmp_path)
    # US factors in dollars for a GBP authority: 2022 needs a GBP→USD rate, none loaded
    configure_factors(session, authority, family="epa-useeio-naics", edition="v1.3.0")
    [note] = refresh_inventories(session, authority=authority)
    assert note.startswith("inventory 2022 not computed: No GBP→USD exchange rate for 2022.")
    with pytest.raises(NotFoundError, match="no inventory for 2022: No GBP→USD exchange rate"):
        build_inventory_report(session, authority=authority, year=2022)
