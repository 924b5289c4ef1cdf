"""Loading factor tables or exchange rates refreshes the inventories that use them, and
only those (tracker.services.recalculate.refresh_factor_users / refresh_rate_users).

Defra "to 2023" factors (methodology.md §3.8 B): SIC 42110 → 42.1-2 at 0.26547 kg/£ for
2023 (as tests/services/test_factor_methods.py), so £1,000 of 2023 spend is 265.47 kg.
EPA v1.3.0 (kg per 2022 USD): NAICS 541511 at 0.084, and £1,000 of 2022 at 1.2369 $/£ is
$1,236.90, so 1,236.9 × 0.084 = 103.8996 kg (as test_foreign_currency_needs_a_loaded_rate).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import pytest
from sqlalchemy.orm import Session

from factors.registry import FactorTable, load_factor_set
from tracker.models import Authority, ExchangeRate
from tracker.queries.current import current_run
from tracker.services import recalculate
from tracker.services.authorities import add_authority, configure_factors
from tracker.services.imports import import_spend_file
from tracker.services.recalculate import (
    pending_reason,
    refresh_factor_users,
    refresh_inventories,
    refresh_rate_users,
)
from tracker.services.reference import load_factor_table, load_shipped_reference_data
from tracker.services.versions import stale_reasons_of

UK_2023 = "Date,Supplier,Amount,SIC\n15/03/2023,Road Co,1000.00,42110\n"
SOFTWARE_2022 = "Date,Supplier,Amount,NAICS\n01/05/2022,Soft Co,1000,541511\n"


def _authority(session: Session, tmp_path: Path, spend: str) -> Authority:
    code = "F" + uuid.uuid4().hex[:7].upper()
    authority = add_authority(session, code=code, name="Loads", fy_start_month=1)
    path = tmp_path / f"{code}.csv"
    path.write_text(spend, encoding="utf-8")
    import_spend_file(session, authority=authority, path=path, data_dir=tmp_path)
    return authority


def _spy(monkeypatch: pytest.MonkeyPatch) -> dict[int, list[int] | None]:
    """The authorities (and years) refreshed through recalculate.refresh_inventories."""
    seen: dict[int, list[int] | None] = {}
    real: Callable[..., list[str]] = recalculate.refresh_inventories

    def spy(session: Session, *, authority: Authority, years: list[int] | None = None) -> list[str]:
        seen[authority.id] = years
        return real(session, authority=authority, years=years)

    monkeypatch.setattr(recalculate, "refresh_inventories", spy)
    return seen


def _edition(year: int, edition: str) -> FactorTable:
    """The shipped to-2023 table's rows of one data year, as an edition of its own."""
    shipped = load_factor_set("defra-uk-sic", "to-2023")
    meta = dict(shipped.metadata) | {
        "edition": edition,
        "table_sha256": uuid.uuid4().hex * 2,  # a table of its own for each year loaded
    }
    rows = tuple(r for r in shipped.rows if r.year == year)
    return FactorTable("defra-uk-sic", edition, MappingProxyType(meta), rows)


def test_loading_factors_refreshes_the_editions_users_only(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_shipped_reference_data(session)
    edition = "t" + uuid.uuid4().hex[:8]
    load_factor_table(session, _edition(2022, edition))
    user = _authority(session, tmp_path, UK_2023)
    configure_factors(session, user, family="defra-uk-sic", edition=edition)
    other = _authority(session, tmp_path, UK_2023)  # on the shipped to-2023 edition
    refresh_inventories(session, authority=user)
    refresh_inventories(session, authority=other)
    before = current_run(session, user.id, 2023)
    assert before is not None and before.total_kgco2e != Decimal("265.47")  # 2022 factors

    load_factor_table(session, _edition(2023, edition))  # the edition's 2023 year
    assert stale_reasons_of(session, user, 2023, before)  # out of date until refreshed
    seen = _spy(monkeypatch)
    assert refresh_factor_users(session, "defra-uk-sic", edition) == []
    assert user.id in seen and other.id not in seen
    after = current_run(session, user.id, 2023)
    assert after is not None and after.id != before.id
    assert after.total_kgco2e == Decimal("265.47")  # 1,000 × 0.26547
    assert stale_reasons_of(session, user, 2023, after) == []


def test_loading_rates_refreshes_the_years_that_use_them_only(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_shipped_reference_data(session)
    # (the shared PostgreSQL database may hold this rate from another test)
    session.query(ExchangeRate).filter_by(base="GBP", quote="USD", year=2022).delete()
    dollars = _authority(session, tmp_path, SOFTWARE_2022)
    configure_factors(session, dollars, family="epa-useeio-naics", edition="v1.3.0")
    pounds = _authority(session, tmp_path, UK_2023)  # GBP spend, GBP factors: no rate
    refresh_inventories(session, authority=dollars)
    refresh_inventories(session, authority=pounds)
    assert "No GBP→USD exchange rate for 2022" in (pending_reason(session, dollars.id, 2022) or "")
    session.add(ExchangeRate(base="GBP", quote="USD", year=2022, rate=Decimal("1.2369"),
                             source="test rate"))  # fmt: skip
    session.flush()

    seen = _spy(monkeypatch)
    refresh_rate_users(session, [(2022, "GBP", "USD")])
    assert seen.get(dollars.id) == [2022] and pounds.id not in seen
    run = current_run(session, dollars.id, 2022)
    assert run is not None and pending_reason(session, dollars.id, 2022) is None
    assert run.total_kgco2e == pytest.approx(Decimal("1236.9") * Decimal("0.084"))
    seen.clear()
    refresh_rate_users(session, [(2019, "GBP", "USD"), (2022, "EUR", "USD")])
    assert dollars.id not in seen and pounds.id not in seen  # another year; another pair
