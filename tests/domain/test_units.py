"""kg → t, the net a category reports, and the stored codes: values worked by hand."""

from __future__ import annotations

import json
from decimal import Decimal

from tracker.domain.calculate import reported_kg
from tracker.domain.codes import LineStatus, Method, PriceYearPolicy
from tracker.domain.units import share_percent, to_tonnes


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


def test_a_share_short_of_the_whole_never_reads_as_the_whole() -> None:
    # issue 16: "matched 100 %" beside £34,864 unmatched. £250,000 of £250,100 is
    # 99.960 %: to one decimal it would read 100.0, so it is cut to two, 99.96; to whole
    # percent it would read 100, so it is cut to one, 99.9.
    almost = Decimal(250_000) / Decimal(250_100)
    assert share_percent(almost, 1) == Decimal("99.96")
    assert share_percent(almost) == Decimal("99.9")
    assert share_percent(Decimal("0.8734")) == Decimal(87)
    assert share_percent(Decimal("0.8734"), 1) == Decimal("87.3")
    assert share_percent(Decimal(1), 1) == Decimal("100.0")
    assert share_percent(Decimal("0.995"), 0) == Decimal("99.5")  # 99.5 rounds half up to 100


def test_method_codes_are_the_stored_text() -> None:
    # The codes LineEmission.method holds (dashboards.vocabulary names each).
    assert Method.SUPPLIER_DEFAULT == "supplier-default"
    assert {Method.SIC, Method.NAICS} == {"sic", "naics"}
