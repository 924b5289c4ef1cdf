"""The suggestion calibration table (bench/suggestion_eval.py), on judged lines made up
here and counted by hand; the real-file run skips without ../shared."""

from __future__ import annotations

from decimal import Decimal

from bench.suggestion_eval import Judged, band_of, main, summarise

D = Decimal


def test_bands_include_their_lower_edge() -> None:
    assert band_of(D("0")) == "0–0.1"
    assert band_of(D("0.29")) == "0.2–0.3"
    assert band_of(D("0.3")) == "0.3–0.4"
    assert band_of(D("0.5")) == "0.4–0.5"


def test_summary_by_band_and_kind() -> None:
    """Band 0.4-0.5: two lines, one acceptable (£300 of £400); band 0.2-0.3: one line,
    not acceptable (£50)."""
    judged = [
        Judged(D("0.5"), "same supplier", True, D("300")),
        Judged(D("0.45"), "same supplier", False, D("100")),
        Judged(D("0.27"), "words", False, D("50")),
    ]
    result = summarise(judged)
    top = result["by_band"]["0.4–0.5"]
    assert (top["lines"], top["acceptable"], top["acceptable_share"]) == (2, 1, 0.5)
    assert top["acceptable_spend_share"] == 0.75
    assert top["mean_score"] == 0.475
    assert result["by_band"]["0.2–0.3"]["acceptable"] == 0
    assert result["by_kind"]["same supplier"]["lines"] == 2
    assert result["all"]["acceptable_share"] == round(1 / 3, 3)


def test_skips_without_the_shared_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert main(["--spend-dir", str(tmp_path / "absent")]) == 0
