"""Wholesale and retail codes resolve to the goods traded; artefact groups never resolve.

Policy 2026.1 §5 (docs/classification-policy.md) and the shared methodology §2.2: the
Defra multipliers of 46 (wholesale), 7 (metal ores), 24.4-5 (other basic metals) and
65.3 (pension funding) are artefacts of tiny final demand, and a wholesaler or retailer
(SIC 46, 47) is costed with the group of the goods it trades. The expected groups below
are read off the SIC titles (Companies House list) and the Defra to-2023 group titles.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping

import pytest

from factors.registry import load_companies_house_sic, load_sic_crosswalk
from tests.conftest import shared_file
from tests.domain.test_sic import Rule  # the hand-made crosswalk rule
from tracker.domain.sic import (
    ARTEFACT_GROUPS,
    REASON_ARTEFACT,
    REASON_NO_GOODS,
    SicCode,
    SicResolver,
    resolve_defra_group,
)


@pytest.fixture(scope="module")
def resolver() -> SicResolver:
    return SicResolver(load_sic_crosswalk(), load_companies_house_sic())


@pytest.mark.parametrize(
    ("raw", "group", "level"),
    [
        ("46510", "26", "class"),  # computers, peripherals and software → computer products
        ("46460", "21", "class"),  # pharmaceutical goods → pharmaceutical products
        ("47610", "58", "class"),  # books → publishing (CPA 58.11 printed books)
        ("46320", "10.1", "class"),  # meat → preserved meat and meat products
        ("46341", "11.07", "subclass"),  # juices, mineral water, soft drinks → soft drinks
        ("46342", "11.01-6", "subclass"),  # wine, beer, spirits → alcoholic beverages
        ("46711", "19", "subclass"),  # petroleum products → coke and refined petroleum
        ("47300", "19", "class"),  # automotive fuel → refined petroleum
        ("46720", "24.1-3", "class"),  # metals: iron and steel, never 07 or 24.4-5
        ("46650", "31", "class"),  # office furniture → furniture
        ("47741", "26", "subclass"),  # hearing aids → CPA 26.60 electromedical
        ("46.51", "26", "class"),  # written as a class
        ("46.5", "26", "group"),  # a group whose two classes both trade CPA 26
    ],
)
def test_trade_codes_resolve_to_the_goods(
    resolver: SicResolver, raw: str, group: str, level: str
) -> None:
    match = resolver.resolve(raw)
    assert (match.defra_group, match.level) == (group, level), match
    assert match.trade
    assert match.warning is None
    assert match.comment is not None and f"→ goods group {group}" in match.comment
    assert match.confidence in {"high", "medium"}


def test_trade_match_says_how(resolver: SicResolver) -> None:
    match = resolver.resolve("46510")
    assert match.matched_prefix == "46.51"
    assert match.comment is not None
    assert match.comment.startswith(
        "SIC 46.51 Wholesale of computers, computer peripheral equipment and software"
        " → goods group 26"
    )


@pytest.mark.parametrize(
    "raw", ["46900", "46190", "46180", "46499", "46760", "47110", "47190", "47910", "46", "47"]
)
def test_trade_classes_without_goods_go_to_review(resolver: SicResolver, raw: str) -> None:
    match = resolver.resolve(raw)
    assert match.defra_group is None
    assert match.level is None
    assert match.trade
    assert match.reason is not None and match.reason.startswith(REASON_NO_GOODS)


def test_non_specialised_wholesale_reason(resolver: SicResolver) -> None:
    reason = resolver.resolve("46900").reason
    assert reason == (
        "trade class does not say which goods: SIC 46.90 Non-specialised wholesale trade"
        " (general wholesalers of goods of every kind)"
    )


@pytest.mark.parametrize("raw", ["07100", "24410", "65300"])
def test_artefact_codes_go_to_review(resolver: SicResolver, raw: str) -> None:
    match = resolver.resolve(raw)
    assert match.defra_group is None
    assert match.warning == "artefact"
    assert not match.trade
    assert match.reason is not None and match.reason.startswith(REASON_ARTEFACT)


@pytest.mark.parametrize(
    ("raw", "group"),
    [("45200", "45"), ("45111", "45"), ("62090", "62"), ("24100", "24.1-3"), ("65120", "65.1-2")],
)
def test_other_codes_unchanged(resolver: SicResolver, raw: str, group: str) -> None:
    # motor trade (45) is a real service group and stays; the neighbours of the artefact
    # groups keep their own groups
    match = resolver.resolve(raw)
    assert match.defra_group == group
    assert not match.trade
    assert match.confidence is None


# --- pure use with hand-made reference data -------------------------------------------------


def test_an_artefact_target_is_refused_even_without_the_flag() -> None:
    crosswalk: Mapping[str, Rule] = {"46": Rule("46", "division"), "07": Rule("7", "division")}
    for digits in ("46900", "07100"):
        match = resolve_defra_group(SicCode(digits, "SIC2007"), crosswalk)
        assert match.defra_group is None
        assert match.warning == "artefact"
    reason = resolve_defra_group(SicCode("46900", "SIC2007"), crosswalk).reason
    assert reason is not None and "wholesale says nothing about the goods" in reason


def test_longest_trade_prefix_wins() -> None:
    crosswalk: Mapping[str, Rule] = {
        "46": Rule(None, "division", "trade", "any goods", title="Wholesale"),
        "46.3": Rule("10.8", "group", "trade", "food", "medium", "Food"),
        "46.34": Rule("11.01-6", "class", "trade", "drinks", "medium", "Beverages"),
        "46.34/1": Rule("11.07", "subclass", "trade", "soft", "high", "Soft drinks"),
    }
    got = {
        d: resolve_defra_group(SicCode(d, "SIC2007"), crosswalk).defra_group
        for d in ("46341", "46342", "46310", "46900")
    }
    assert got == {"46341": "11.07", "46342": "11.01-6", "46310": "10.8", "46900": None}
    soft = resolve_defra_group(SicCode("46341", "SIC2007"), crosswalk)
    assert (soft.level, soft.confidence, soft.comment) == (
        "subclass",
        "high",
        "SIC 46.34/1 Soft drinks → goods group 11.07: soft",
    )


# --- the real Salford file ------------------------------------------------------------------


@pytest.mark.shared
def test_no_salford_line_resolves_to_an_artefact_or_a_trade_margin(
    resolver: SicResolver,
) -> None:
    path = shared_file("spend", "uk-salford-2019-sic-enriched.csv")
    never = ARTEFACT_GROUPS  # 47, the retail margin, included (policy §5)
    seen: dict[str, str | None] = {}
    trade_lines = 0
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            raw = row["sicc_int"].strip()
            match = resolver.resolve(raw)
            assert match.defra_group not in never, (raw, match)
            if match.trade:
                trade_lines += 1
                seen[raw] = match.defra_group
    # Salford pays IT resellers under 46510 (Phoenix Software, XMA): computer products now
    assert seen["46510"] == "26"
    assert seen["46900"] is None  # non-specialised wholesale: review
    # 687 lines coded 46xxx (the figure in the brief) and 228 coded 47xxx, counted with awk
    # on column sicc_int
    assert trade_lines == 687 + 228
