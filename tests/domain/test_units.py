"""kg → t, the net a category reports, and the stored codes: values worked by hand."""

from __future__ import annotations

import json
from decimal import Decimal

from tracker.domain.calculate import reported_kg
from tracker.domain.codes import LineStatus, PriceYearPolicy
from tracker.domain.units import to_tonnes


def test_tonnes_are_kilograms_over_a_thousand() -> None:
    assert to_tonnes(Decimal("41198000")) == Decimal("41198")
    assert to_tonnes(Decimal("1.5")) == Decimal("0.0015")  # exact, not rounded
    assert to_tonnes(Decimal("-250")) == Decimal("-0.25")


def test_a_negative_net_is_reported_as_zero() -> None:
    # methodology §3.6: credits reduce their category; a negative net reports 0.
    assert reported_kg(Decimal("-12.5")) == Decimal(0)
    assert reported_kg(Decimal("0")) == Decimal(0)
    assert reported_kg(Decimal("12.5")) == Decimal("12.5")


def test_codes_are_the_stored_text() -> None:
    assert LineStatus.MAPPED == "mapped"
    assert f"{LineStatus.EXCLUDED}" == "excluded"
    assert json.dumps({"status": LineStatus.UNMAPPED}) == '{"status": "unmapped"}'
    assert PriceYearPolicy("fixed") is PriceYearPolicy.FIXED
    assert [p.value for p in PriceYearPolicy] == ["matched", "fixed"]
