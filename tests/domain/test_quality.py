"""Data quality scores (methodology §4.2). Expected values are read off the §4.2 table."""

from decimal import Decimal

import pytest

from tracker.domain.quality import DataQuality, score_line, score_mapped, weighted_quality

D = Decimal


def dq(t: int, ti: int, g: int, c: int, r: int) -> DataQuality:
    return DataQuality(D(t), D(ti), D(g), D(c), D(r))


def uk(**kw: object) -> DataQuality:
    args: dict[str, object] = {
        "method": "sic",
        "match_level": "group",
        "factor_year": 2022,
        "spend_year": 2022,
        "factor_country": "GB",
        "authority_country": "GB",
        "supplier_specific": False,
    }
    args.update(kw)
    return score_line(**args)  # type: ignore[arg-type]


def test_defra_uk_matched_year() -> None:
    # §4.2 column 1: technology Fair 3, time Very good 1, geography Very good 1,
    # completeness Good 2, reliability Fair 3.
    assert uk() == dq(3, 1, 1, 2, 3)
    # mean = (3 + 1 + 1 + 2 + 3) / 5 = 10 / 5 = 2
    assert uk().mean == D(2)


@pytest.mark.parametrize(
    ("spend_year", "expected"),
    # age = |spend − 2016|: 2 → 1; 3 → 2 (not < 3); 5 → 2; 6 → 3; 9 → 3; 10 → 4;
    # 2016 − 2004 = 12 → 4
    [(2018, 1), (2019, 2), (2021, 2), (2022, 3), (2025, 3), (2026, 4), (2004, 4)],
)
def test_time_by_age(spend_year: int, expected: int) -> None:
    assert uk(factor_year=2016, spend_year=spend_year).time == D(expected)


def test_unknown_inputs_score_5() -> None:
    # no factor year → time 5; blank country → geography 5; no level → technology 5
    q = uk(factor_year=None, factor_country=" ", match_level=None)
    assert (q.technology, q.time, q.geography) == (D(5), D(5), D(5))


def test_fallback_levels_one_step_worse() -> None:
    for level in ("division-default", "rule", "suggestion"):
        assert uk(match_level=level).technology == D(4)  # Fair 3 + 1
    assert uk(method="rule", match_level="group").technology == D(4)
    assert uk(match_level="division").technology == D(3)


def test_epa_factor() -> None:
    exact = uk(method="naics", match_level="naics6", factor_country="US", authority_country="us")
    # exact NAICS-6 → Good 2; same economy (case-insensitive) → 1
    assert exact == dq(2, 1, 1, 2, 3)
    for level in ("naics2", "naics5"):
        assert uk(method="naics", match_level=level).technology == D(4)
    # EPA factor for UK spend: geography Fair 3
    assert uk(method="naics", match_level="naics6", factor_country="US").geography == D(3)


def test_supplier_specific() -> None:
    # technology 1 (own figure), completeness 2, reliability 2 (unverified by default)
    # factor 2020 for 2024 spend: age 4 → time 2
    q = uk(
        method="supplier",
        match_level="supplier-specific",
        supplier_specific=True,
        factor_year=2020,
        spend_year=2024,
    )
    assert q == dq(1, 2, 1, 2, 2)
    assert uk(supplier_specific=True, supplier_verified=True).reliability == D(1)


def test_unknown_method_or_level_rejected() -> None:
    with pytest.raises(ValueError):
        uk(method="magic")
    with pytest.raises(ValueError):
        uk(match_level="subclass??")
    with pytest.raises(ValueError):
        DataQuality(D(0), D(1), D(1), D(1), D(1))


def test_score_mapped_skips_unmapped() -> None:
    kw: dict[str, object] = {
        "method": "sic",
        "match_level": None,
        "factor_year": None,
        "spend_year": 2022,
        "factor_country": "GB",
        "authority_country": "GB",
        "supplier_specific": False,
    }
    assert score_mapped(status="unmapped", **kw) is None  # type: ignore[arg-type]
    assert score_mapped(status="mapped", **kw) is not None  # type: ignore[arg-type]


def test_weighted_quality_uses_absolute_spend() -> None:
    # spends 300, −100 (credit, weight 100), 600 → weights 300, 100, 600; total 1000
    # technology: (300·3 + 100·4 + 600·2) / 1000 = (900 + 400 + 1200) / 1000 = 2.5
    # time:       (300·1 + 100·1 + 600·4) / 1000 = (300 + 100 + 2400) / 1000 = 2.8
    # others identical → unchanged (1, 2, 3)
    result = weighted_quality(
        [(D(300), dq(3, 1, 1, 2, 3)), (D(-100), dq(4, 1, 1, 2, 3)), (D(600), dq(2, 4, 1, 2, 3))]
    )
    assert result is not None
    assert abs(result.technology - D("2.5")) < D("1e-20")
    assert abs(result.time - D("2.8")) < D("1e-20")
    assert (result.geography, result.completeness, result.reliability) == (D(1), D(2), D(3))
    assert weighted_quality([]) is None
    assert weighted_quality([(D(0), dq(1, 1, 1, 1, 1))]) is None
