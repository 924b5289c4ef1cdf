"""The trade table (factors/crosswalks/trade_sic_to_goods.csv) against its sources.

Sources: the Companies House SIC 2007 list shipped in factors/data/crosswalks/
companies-house-sic (every 46xxx and 47xxx subclass), and the Defra / University of Leeds
to-2023 product groups (factors/data/defra-uk-sic/to-2023). The artefact groups are those
of the shared methodology §2.2 and classification policy 2026.1 §5.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from factors.registry import (
    TRADE,
    ReferenceDataError,
    load_companies_house_sic_rows,
    load_factor_set,
    load_trade_crosswalk,
)

# methodology §2.2: 46 wholesale, 7 metal ores, 24.4-5 other basic metals, 65.3 pensions;
# policy §5: a retailer's goods are costed as the goods, never as the retail margin 47
NEVER_TARGETS = {"46", "47", "7", "24.4-5", "65.3"}


def _ch_trade_subclasses() -> dict[str, str]:
    """Companies House SIC 2007 codes under 46 and 47 → title (96 codes)."""
    return {
        r.code: r.title
        for r in load_companies_house_sic_rows()
        if r.scheme == "SIC2007" and r.code[:2] in {"46", "47"}
    }


def _dotted_subclass(code: str) -> str:
    return f"{code[:2]}.{code[2:4]}/{code[4]}"


def test_companies_house_list_has_96_trade_codes() -> None:
    # 52 wholesale and 44 retail codes: grep -cE '^46[0-9]{3},46' (and 47) on codes.csv
    codes = _ch_trade_subclasses()
    assert sum(1 for c in codes if c.startswith("46")) == 52
    assert sum(1 for c in codes if c.startswith("47")) == 44


def test_every_prefix_is_a_real_sic2007_code_under_46_or_47() -> None:
    codes = _ch_trade_subclasses()
    divisions = {c[:2] for c in codes}
    groups = {f"{c[:2]}.{c[2]}" for c in codes}
    classes = {f"{c[:2]}.{c[2:4]}" for c in codes}
    subclasses = {_dotted_subclass(c) for c in codes if c[4] != "0"}
    real = divisions | groups | classes | subclasses
    table = load_trade_crosswalk()
    assert sorted(set(table) - real) == []
    # ... and every group, class and subclass has its row
    assert sorted(real - set(table)) == []
    assert len(table) == 2 + 17 + 85 + 21  # divisions, groups, classes, real subclasses


def test_subclass_titles_are_companies_house_titles() -> None:
    table = load_trade_crosswalk()
    for code, title in _ch_trade_subclasses().items():
        if code[4] != "0":
            assert table[_dotted_subclass(code)].title == title


def test_targets_are_to_2023_groups_and_never_an_artefact_or_a_margin() -> None:
    groups = set(load_factor_set("defra-uk-sic", "to-2023").codes())
    for prefix, entry in load_trade_crosswalk().items():
        assert entry.note == TRADE
        if entry.defra_group is None:
            assert entry.confidence == "", prefix
            assert entry.comment, f"{prefix}: a row sent to review says why"
            continue
        assert entry.defra_group in groups, prefix
        assert entry.defra_group not in NEVER_TARGETS, prefix
        assert entry.confidence in {"high", "medium"}, prefix


@pytest.mark.parametrize(
    ("prefix", "group", "confidence"),
    [
        ("46.51", "26", "medium"),  # computers (26) and packaged software (58)
        ("46.46", "21", "high"),
        ("46.32", "10.1", "high"),
        ("46.34/1", "11.07", "high"),
        ("46.34/2", "11.01-6", "high"),
        ("46.71/1", "19", "high"),
        ("46.72", "24.1-3", "medium"),  # never the artefact 24.4-5 or 07
        ("47.30", "19", "high"),
        ("47.61", "58", "high"),
    ],
)
def test_rows_from_the_brief(prefix: str, group: str, confidence: str) -> None:
    entry = load_trade_crosswalk()[prefix]
    assert (entry.defra_group, entry.confidence) == (group, confidence)


@pytest.mark.parametrize(
    "prefix", ["46", "47", "46.19", "46.9", "46.90", "47.11", "47.19", "47.91"]
)
def test_classes_that_do_not_name_the_goods_go_to_review(prefix: str) -> None:
    assert load_trade_crosswalk()[prefix].defra_group is None


def test_bad_rows_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import factors.registry as registry

    bad = {
        "45.11,x,45,high,n\n": "not a SIC 2007 prefix under 46 or 47",
        "46.5/1,x,26,high,n\n": "not a SIC 2007 prefix",
        "46.51,x,26,,n\n": "confidence",
        "46.90,x,,medium,n\n": "confidence",
        "46.51,x,26,low,n\n": "confidence",
        "46.51,x,26,high,n\n46.51,x,26,high,n\n": "duplicate",
    }
    for n, (body, message) in enumerate(bad.items()):
        path = tmp_path / f"bad{n}.csv"
        path.write_text("sic_prefix,title,defra_group,confidence,note\n" + body)
        monkeypatch.setattr(registry, "TRADE_CROSSWALK_FILE", path)
        registry.load_trade_crosswalk.cache_clear()
        with pytest.raises(ReferenceDataError, match=message):
            registry.load_trade_crosswalk()
    registry.load_trade_crosswalk.cache_clear()
