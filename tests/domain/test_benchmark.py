"""Pooled group figures, category mix, comparability and broad groups, worked by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tracker.domain.benchmark import (
    Basis,
    category_mix,
    comparability,
    default_year,
    kg_by_group,
    pair_differences,
    pooled,
    pooled_by_currency,
)
from tracker.domain.categories import OTHER, broad_group, section_of
from tracker.domain.spread import (
    FACTOR_SET_OR_YEAR,
    PRICE_DEFLATION,
    CategoryUse,
    category_spreads,
)

D = Decimal


def test_pooled_is_sum_over_sum_not_mean_of_ratios() -> None:
    # 0.2 kg/£ on £9m and 0.6 kg/£ on £1m: (1.8m + 0.6m) / 10m = 0.24, not 0.4.
    p = pooled([("X", D("1800000"), D("9000000")), ("Y", D("600000"), D("1000000"))])
    assert p.ratio == D("0.24")
    assert p.members == ("X", "Y")


def test_pooled_leaves_out_missing_denominators() -> None:
    p = pooled([("X", D("100"), D("50")), ("Y", D("900"), None), ("Z", D("5"), D("0"))])
    assert (p.numerator, p.denominator, p.members) == (D("100"), D("50"), ("X",))
    assert pooled([]).ratio is None


def test_pooled_by_currency_never_adds_currencies() -> None:
    groups = pooled_by_currency(
        [
            ("X", "GBP", D("10"), D("100")),
            ("Y", "USD", D("30"), D("100")),
            ("Z", "GBP", D("20"), D("100")),
        ]
    )
    assert groups["GBP"].ratio == D("0.15") and groups["USD"].ratio == D("0.3")


def test_category_mix_by_broad_group() -> None:
    mix = category_mix({"49.1-2": D("300"), "50": D("100"), "10.1": D("100"), "62": D("-20")})
    # Transport (49, 50) 400 of 500; manufacturing 100; IT credits clamp to 0 and vanish.
    assert [(m.group, m.kgco2e, m.share) for m in mix] == [
        ("Transport and storage", D("400"), D("0.8")),
        ("Manufactured goods", D("100"), D("0.2")),
    ]
    assert category_mix({}) == ()


def test_kg_by_group_sums_stored_text_exactly() -> None:
    # run_compare_figures keeps amounts as decimal text: 300.10 + 100.005 + 0.0001 is
    # 400.1051 exactly (transport: SIC 49 and 50); a group of one code (10.1) keeps its
    # amount; IT (62) keeps its credit, which only the mix clamps.
    stored = {"49.1-2": "300.10", "10.1": "100.5", "50": "100.005", "62": "-20", "49.3-5": "0.0001"}
    assert kg_by_group(stored) == {
        "Transport and storage": D("400.1051"),
        "Manufactured goods": D("100.5"),
        "Information and communication": D("-20"),
    }
    # the same codes as Decimals, in another order: the same sums
    mixed = {code: D(kg) for code, kg in reversed(list(stored.items()))}
    assert kg_by_group(mixed) == kg_by_group(stored)
    assert kg_by_group({}) == {}


@pytest.mark.parametrize(
    ("code", "section"),
    [
        ("1", "A"), ("10.1", "C"), ("23OTHER", "C"), ("35.2-3", "D"), ("38", "E"),
        ("42.99", "F"), ("49.3-5", "H"), ("68.2IMP", "L"), ("84", "O"), ("87", "Q"),
        ("562111", "E"), ("221310", "E"), ("221100", "D"), ("532100", "N"),
        ("722511", "I"), ("336111", "C"), ("541110", "M"), ("XYZ", None), (None, None),
    ],
)  # fmt: skip
def test_sections(code: str | None, section: str | None) -> None:
    assert section_of(code) == section


def test_broad_group_names() -> None:
    assert broad_group("87") == "Health and social care"
    assert broad_group("") == OTHER


def _basis(code: str, **kw: object) -> Basis:
    values: dict[str, object] = {
        "currency": "GBP", "factor_family": "defra-uk-sic", "factor_edition": "to-2023",
        "price_year_policy": "matched", "classified_share": D("0.9"),
    }  # fmt: skip
    values.update(kw)
    return Basis(code=code, **values)  # type: ignore[arg-type]


def test_pair_differences() -> None:
    a = _basis("A")
    assert pair_differences(a, _basis("B")) == []
    assert pair_differences(a, _basis("B", classified_share=D("0.76"))) == []  # 14 points
    b = _basis("B", currency="USD", factor_edition="to-2022",
               price_year_policy="fixed:2022", classified_share=D("0.7"))  # fmt: skip
    assert pair_differences(a, b) == ["currency", "factor_set", "price_year", "coverage"]


def test_comparability_lists_who_uses_what() -> None:
    warnings = comparability(
        [_basis("A"), _basis("B", factor_edition="to-2022"), _basis("C", classified_share=D("0.6"))]
    )
    assert [w.kind for w in warnings] == ["factor_set", "coverage"]
    assert warnings[0].message.startswith(
        "Factor sets or editions differ: defra-uk-sic to-2022 (B); defra-uk-sic to-2023 (A, C)"
    )
    assert warnings[1].authorities == ("C",)
    assert "60% of in-scope spend is classified for C against 90% for A" in warnings[1].message
    assert comparability([_basis("A"), _basis("B")]) == []


def test_default_year() -> None:
    # 2024 has one inventory, 2023 has three: 2023. A tie goes to the later year.
    assert default_year([(1, 2023), (2, 2023), (3, 2023), (1, 2024)]) == 2023
    assert default_year([(1, 2022), (2, 2023)]) == 2023
    assert default_year([]) is None


def _use(authority: str, spend: str, kg: str, basis: str = "defra to-2023 2023") -> CategoryUse:
    return CategoryUse(authority, "49", "Land transport", D(spend), D(kg), D(0), basis)


def test_spread_is_max_over_min_intensity() -> None:
    uses = [_use("A", "10000", "2000"), _use("B", "5000", "1500"), _use("C", "500", "500")]
    # C is below the £1,000 minimum; A 0.2, B 0.3 → 1.5, driven by price deflation only.
    (spread,) = category_spreads(uses)
    assert spread.spread == D("1.5")
    assert spread.pooled_intensity == D("3500") / D("15000")
    assert spread.drivers == (PRICE_DEFLATION,)
    assert category_spreads(uses, min_spread=D("1.6")) == []


def test_spread_never_compares_currencies() -> None:
    usd = CategoryUse("B", "49", "Land transport", D("1000"), D("900"), D(0), "x", "USD")
    assert category_spreads([_use("A", "1000", "200"), usd]) == []


def test_spread_names_different_factor_years() -> None:
    uses = [_use("A", "1000", "200"), _use("B", "1000", "300", "defra to-2022 2022")]
    assert category_spreads(uses)[0].drivers == (FACTOR_SET_OR_YEAR,)
