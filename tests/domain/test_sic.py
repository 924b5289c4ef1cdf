"""SIC normalisation and Defra group resolution (hand-written cases)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pytest

from factors.registry import load_companies_house_sic, load_sic_crosswalk
from tracker.domain.sic import (
    SicCode,
    SicResolver,
    UnusableSic,
    normalise_sic,
    resolve_defra_group,
)


@pytest.fixture(scope="module")
def resolver() -> SicResolver:
    return SicResolver(load_sic_crosswalk(), load_companies_house_sic())


@pytest.fixture(scope="module")
def ch() -> dict[str, tuple[str, str]]:
    return load_companies_house_sic()


# --- normalisation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("62090", "62090"),
        ("62.09", "6209"),
        ("6209", "6209"),
        ("62.090", "62090"),
        ("62.09/0", "62090"),
        ("62", "62"),
        ("62.0", "620"),
        ("62090 - Business and domestic software development", "62090"),
        ("  43210  ", "43210"),
        (62090, "62090"),
        ("2400", "02400"),  # integer-ised Companies House code, SIC 2007 02400
        (2400, "02400"),
        ("1260", "01260"),
        ("2400.0", "02400"),  # spreadsheet float
        ("6201", "6201"),  # 4-digit class not in the Companies House table → 62.01
        ("01110", "01110"),  # written in full: not ambiguous
        ("1", "01"),
        ("1.11", "0111"),
    ],
)
def test_normalise_sic2007(raw: str | int, digits: str, ch: dict[str, tuple[str, str]]) -> None:
    code = normalise_sic(raw, ch)
    assert isinstance(code, SicCode)
    assert code.scheme == "SIC2007"
    assert code.digits == digits


def test_normalise_keeps_title(ch: dict[str, tuple[str, str]]) -> None:
    code = normalise_sic("62090 - Business and domestic software development", ch)
    assert isinstance(code, SicCode)
    assert code.title == "Business and domestic software development"
    assert code.dotted == "62.09/0"
    assert code.level == "subclass"


@pytest.mark.parametrize("raw", ["", "   ", "0", "00000", "0 - None Supplied", "None", None])
def test_normalise_none(raw: str | None, ch: dict[str, tuple[str, str]]) -> None:
    assert normalise_sic(raw, ch) is None


@pytest.mark.parametrize("raw", ["9305", "2743", "0130", "130", "9305 - Other service activities"])
def test_normalise_sic2003(raw: str, ch: dict[str, tuple[str, str]]) -> None:
    code = normalise_sic(raw, ch)
    assert isinstance(code, SicCode)
    assert code.scheme == "SIC2003"
    assert len(code.digits) == 4


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1110", "ambiguous"),  # SIC 2007 01110 or SIC 2003 1110
        ("3220", "ambiguous"),
        ("abc", "not a SIC code"),
        ("620901", "too many digits"),
        ("999", "3-digit"),
    ],
)
def test_normalise_unusable(raw: str, reason: str, ch: dict[str, tuple[str, str]]) -> None:
    code = normalise_sic(raw, ch)
    assert isinstance(code, UnusableSic)
    assert reason in code.reason


def test_sic_code_prefixes() -> None:
    assert SicCode("20110", "SIC2007").prefixes() == ("20.11", "20.1", "20")
    # a real subclass (not /0) is tried first: 46.34/1 soft drinks, 46.34/2 alcoholic
    assert SicCode("46341", "SIC2007").prefixes() == ("46.34/1", "46.34", "46.3", "46")
    assert SicCode("201", "SIC2007").prefixes() == ("20.1", "20")
    assert SicCode("20", "SIC2007").prefixes() == ("20",)


# --- resolution: every split and merged group ---------------------------------------------


@pytest.mark.parametrize(
    ("raw", "group", "level"),
    [
        # 10 food: groups, 10.2 and 10.3 merged
        ("10110", "10.1", "group"),
        ("10200", "10.2-3", "group"),
        ("10390", "10.2-3", "group"),
        ("10410", "10.4", "group"),
        ("10520", "10.5", "group"),
        ("10611", "10.6", "group"),
        ("10710", "10.7", "group"),
        ("10890", "10.8", "group"),
        ("10910", "10.9", "group"),
        # 11 beverages
        ("11010", "11.01-6", "class"),
        ("11050", "11.01-6", "class"),
        ("11060", "11.01-6", "class"),
        ("11070", "11.07", "class"),
        # 20 chemicals
        ("20110", "20A", "class"),
        ("20130", "20A", "class"),
        ("20150", "20A", "class"),
        ("20140", "20B", "class"),
        ("20160", "20B", "class"),
        ("20170", "20B", "class"),
        ("20600", "20B", "group"),
        ("20120", "20C", "class"),
        ("20200", "20C", "group"),
        ("20301", "20.3", "group"),
        ("20411", "20.4", "group"),
        ("20590", "20.5", "group"),
        # 23 non-metallic minerals
        ("23510", "23.5-6", "group"),
        ("23630", "23.5-6", "group"),
        ("23110", "23OTHER", "group"),
        ("23910", "23OTHER", "group"),
        # 24 basic metals
        ("24100", "24.1-3", "group"),
        ("24330", "24.1-3", "group"),
        # 25 fabricated metal
        ("25400", "25.4", "group"),
        ("25110", "25OTHER", "group"),
        ("25990", "25OTHER", "group"),
        # 30 other transport equipment
        ("30110", "30.1", "group"),
        ("30300", "30.3", "group"),
        ("30200", "30OTHER", "group"),
        ("30910", "30OTHER", "group"),
        # 33 repair and installation
        ("33150", "33.15", "class"),
        ("33160", "33.16", "class"),
        ("33120", "33OTHER", "class"),
        ("33190", "33OTHER", "class"),
        ("33200", "33OTHER", "group"),
        # 35 energy
        ("35110", "35.1", "group"),
        ("35220", "35.2-3", "group"),
        ("35300", "35.2-3", "group"),
        # construction
        ("41100", "41.2", "group"),
        ("41202", "41.2", "group"),
        ("42110", "42.1-2", "group"),
        ("42220", "42.1-2", "group"),
        ("42990", "42.1-2", "group"),  # CPA 42 civil engineering, by the group titles
        ("43210", "42.99", "division"),
        ("43991", "42.99", "division"),
        # 49 land transport
        ("49100", "49.1-2", "group"),
        ("49200", "49.1-2", "group"),
        ("49320", "49.3-5", "group"),
        ("49410", "49.3-5", "group"),
        ("49500", "49.3-5", "group"),
        # 65 insurance and pensions
        ("65110", "65.1-2", "group"),
        ("65202", "65.1-2", "group"),
        # 68 real estate
        ("68100", "68.12", "group"),
        ("68209", "68.12", "group"),
        ("68310", "68.3", "group"),
        ("68320", "68.3", "group"),
        # 69 legal and accounting
        ("69101", "69.1", "group"),
        ("69201", "69.2", "group"),
        # plain divisions, leading zero dropped in the Defra code
        ("01110", "1", "division"),
        ("2400", "2", "division"),
        ("62020", "62", "division"),
        ("70229", "70", "division"),
        ("97000", "97", "division"),
    ],
)
def test_resolve_groups(resolver: SicResolver, raw: str, group: str, level: str) -> None:
    match = resolver.resolve(raw)
    assert (match.defra_group, match.level) == (group, level), match


@pytest.mark.parametrize(
    ("raw", "group"),
    [
        ("10", "10.8"),
        ("11", "11.01-6"),
        ("20", "20.5"),
        ("23", "23OTHER"),
        ("24", "24.1-3"),
        ("25", "25OTHER"),
        ("30", "30OTHER"),
        ("33", "33OTHER"),
        ("35", "35.1"),
        ("49", "49.3-5"),
        ("65", "65.1-2"),
        ("68", "68.12"),
        ("69", "69.1"),
        ("20.1", "20.5"),  # a split group known only to 3 digits falls back to the division
        ("33.1", "33OTHER"),
    ],
)
def test_division_defaults(resolver: SicResolver, raw: str, group: str) -> None:
    match = resolver.resolve(raw)
    assert match.defra_group == group
    assert match.level == "division-default"


def test_division_41_is_not_a_guess(resolver: SicResolver) -> None:
    match = resolver.resolve("41")
    assert (match.defra_group, match.level) == ("41.2", "division")


# Policy 2026.1 §5: artefact groups are never used. These codes resolved to their artefact
# group with a warning; now they resolve to no group and the reason says why.
@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("07100", "metal ores"),
        ("7100", "metal ores"),  # Companies House integer, leading zero lost
        ("07290", "metal ores"),
        ("24410", "other basic metals"),
        ("24420", "other basic metals"),
        ("24510", "other basic metals"),
        ("24540", "other basic metals"),
        ("65300", "pension funding"),
    ],
)
def test_artefact_groups_go_to_review(resolver: SicResolver, raw: str, why: str) -> None:
    match = resolver.resolve(raw)
    assert match.defra_group is None
    assert match.level is None
    assert match.warning == "artefact"
    assert match.reason is not None
    assert match.reason.startswith("artefact group: ") and why in match.reason


def test_no_warning_for_ordinary_groups(resolver: SicResolver) -> None:
    assert resolver.resolve("62090").warning is None
    assert resolver.resolve("24100").warning is None


def test_imputed_rent_is_never_a_target(resolver: SicResolver) -> None:
    assert resolver.resolve("68201").defra_group == "68.12"
    assert resolver.resolve("68").defra_group == "68.12"


# --- unmapped outcomes --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("9305", "SIC 2003 code"),
        ("2743 - Lead, zinc and tin production", "SIC 2003 code"),
        ("98000", "no Defra product group"),
        ("99999", "no Defra product group"),
        ("99000", "no Defra product group"),
        ("0", "no SIC code"),
        ("", "no SIC code"),
        ("00000", "no SIC code"),
        ("1110", "ambiguous"),
        ("04", "no crosswalk entry"),
        ("hello", "not a SIC code"),
    ],
)
def test_unmapped(resolver: SicResolver, raw: str, reason: str) -> None:
    match = resolver.resolve(raw)
    assert match.defra_group is None
    assert match.level is None
    assert not match.mapped
    assert match.reason is not None and reason in match.reason


def test_sic2003_result(resolver: SicResolver) -> None:
    match = resolver.resolve("9305")
    assert match.scheme == "SIC2003"
    assert match.sic2007 is None
    assert match.reason == "SIC 2003 code"


def test_match_carries_raw_and_code(resolver: SicResolver) -> None:
    match = resolver.resolve("62090 - Business and domestic software development")
    assert match.raw == "62090 - Business and domestic software development"
    assert match.sic2007 == "62090"
    assert match.matched_prefix == "62"
    assert match.defra_group == "62"


def test_resolver_caches_per_raw_value(resolver: SicResolver) -> None:
    first = resolver.resolve("20110")
    assert resolver.resolve("20110") is first
    assert resolver("20110") is first


def test_resolver_is_fast_on_many_lines(resolver: SicResolver) -> None:
    raws = ["62090", "43210", "2400", "9305", "", "46190", "20.11"] * 20_000
    groups = [resolver.resolve(r).defra_group for r in raws]
    # 46.19 agents in a variety of goods: review (policy 2026.1 §5; it was the artefact 46)
    assert groups[:7] == ["62", "42.99", "2", None, None, None, "20A"]


# --- pure use with hand-made reference data -------------------------------------------------


@dataclass(frozen=True)
class Rule:
    defra_group: str | None
    level: str
    note: str = ""
    comment: str = ""
    confidence: str = ""
    title: str = ""


def test_resolve_with_custom_crosswalk() -> None:
    crosswalk: Mapping[str, Rule] = {
        "20": Rule("20.5", "division-default"),
        "20.1": Rule("20X", "group"),
        "20.11": Rule("20A", "class"),
    }
    assert resolve_defra_group(SicCode("20110", "SIC2007"), crosswalk).defra_group == "20A"
    assert resolve_defra_group(SicCode("20120", "SIC2007"), crosswalk).defra_group == "20X"
    assert resolve_defra_group(SicCode("20300", "SIC2007"), crosswalk).level == "division-default"
    assert resolve_defra_group(SicCode("21000", "SIC2007"), crosswalk).defra_group is None


def test_ch_table_drives_zero_repair() -> None:
    ch = {"2400": ("02400", "SIC2007"), "9305": ("9305", "SIC2003")}
    assert normalise_sic("2400", ch) == SicCode("02400", "SIC2007")
    assert normalise_sic("9305", ch) == SicCode("9305", "SIC2003")
    # without the Companies House entry a 4-digit value is a SIC 2007 class
    assert normalise_sic("2400", {}) == SicCode("2400", "SIC2007")


def test_invalid_crosswalk_level_rejected() -> None:
    with pytest.raises(ValueError, match="invalid level"):
        SicResolver({"20": Rule("20.5", "guess")}, {})
