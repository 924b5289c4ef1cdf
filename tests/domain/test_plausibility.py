"""Implausible years and group outliers, worked by hand (issue 16)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tracker.domain.plausibility import (
    Limits,
    YearFigures,
    describe_outlier,
    group_outliers,
    median,
    year_jumps,
)


def test_a_sevenfold_year_is_flagged_with_the_reason() -> None:
    # 3,564 t in 2023/24, then another council's file adds spend: 24,948 t = 7.0 x 3,564.
    years = [
        YearFigures(2023, D("3564000"), D("10000000")),
        YearFigures(2024, D("24948000"), D("70000000")),
    ]
    flags = year_jumps(years, 4)
    # intensity: 0.3564 kg/£ both years (24,948,000 / 70,000,000 = 0.3564): not flagged
    assert [(f.year, f.kind) for f in flags] == [(2024, "total")]
    assert flags[0].reason == (
        "2024/25: emissions are 7.0 times those of 2023/24 (more than x2); check that the "
        "year's files are complete and the authority's own."
    )


def test_a_fall_of_more_than_half_and_an_intensity_jump() -> None:
    years = [
        YearFigures(2022, D("1000"), D("10000")),  # 0.1 kg/£
        YearFigures(2023, D("400"), D("1000")),  # 0.4 of 2022's total; 0.4 kg/£ = 4 x 0.1
    ]
    flags = year_jumps(years, 4)
    assert [(f.year, f.kind) for f in flags] == [(2023, "total"), (2023, "intensity")]
    assert "0.4 times those of 2022/23 (a fall of more than 50 %)" in flags[0].reason
    assert "per £ of in-scope spend are 4.0 times those of 2022/23 (more than x2)" in (
        flags[1].reason
    )


def test_a_us_authoritys_intensity_is_per_dollar() -> None:
    """The same figures as above for an authority in dollars: 0.4 kg/$ is 4 x 0.1 kg/$."""
    years = [YearFigures(2022, D("1000"), D("10000")), YearFigures(2023, D("400"), D("1000"))]
    flags = year_jumps(years, 1, currency="USD")
    assert flags[1].reason.startswith(
        "2023: emissions per $ of in-scope spend are 4.0 times those of 2022 (more than x2)"
    )
    assert "£" not in flags[1].reason


def test_limits_themselves_and_gaps_are_not_flagged() -> None:
    years = [
        YearFigures(2020, D("100"), D("1000")),
        YearFigures(2021, D("200"), D("2000")),  # exactly x2: not more than x2
        YearFigures(2022, D("100"), D("1000")),  # exactly 0.5: not a fall of more than 50 %
        YearFigures(2024, D("900"), D("1000")),  # 2023 missing: nothing to compare with
    ]
    assert year_jumps(years, 4) == []
    # a calendar-year authority's labels
    flags = year_jumps([YearFigures(2020, D("1"), D("0")), YearFigures(2021, D("3"), D("0"))], 1)
    assert [f.reason[:40] for f in flags] == ["2021: emissions are 3.0 times those of 2"]


def test_group_outliers_against_the_median() -> None:
    # kg per resident: 16, 18, 20, 135 -> median (18 + 20) / 2 = 19; 135 / 19 = 7.105... > 3
    values = {"A": D(16), "B": D(18), "C": D(20), "D": D(135), "E": None}
    assert median([D(16), D(18), D(20), D(135)]) == D(19)
    out = group_outliers(values)
    assert list(out) == ["D"] and out["D"] == D(135) / D(19)
    assert describe_outlier("135 kg per resident", out["D"]) == (
        "135 kg per resident is 7.1 times the group median (more than x3); check the year's files."
    )
    # 5 / 19 < 1/3 too: flagged low
    low = group_outliers({"A": D(5), "B": D(18), "C": D(20), "D": D(19)})
    assert list(low) == ["A"]
    assert "less than 1/3" in describe_outlier("5 kg per resident", low["A"])
    # two authorities make no group
    assert group_outliers({"A": D(1), "B": D(100)}) == {}


def test_the_limits_are_given_by_the_settings() -> None:
    # 1,000 t then 1,600 t: x1.6 is within the default x2, beyond a rise limit of x1.5.
    years = [YearFigures(2022, D("1000000"), D("0")), YearFigures(2023, D("1600000"), D("0"))]
    assert year_jumps(years, 4) == []
    limits = Limits(rise=D("1.5"), fall=D("0.8"))
    (flag,) = year_jumps(years, 4, rise=limits.rise, fall=limits.fall)
    assert "2023/24: emissions are 1.6 times those of 2022/23 (more than x1.5)" in flag.reason
    assert limits.jump_rule() == (
        "more than 1.5 times the year before's, or less than 0.8 times it "
        "(a fall of more than 20 %)"
    )
    assert Limits().jump_rule() == (
        "more than 2 times the year before's, or less than 0.5 times it (a fall of more than 50 %)"
    )
    # 9, 10, 10, 11, 25: the median is 10, and 25 is 2.5 times it, inside x3, outside x2.
    values = {"A": D(10), "B": D(9), "C": D(11), "D": D(25), "E": D(10)}
    assert group_outliers(values) == {}
    assert group_outliers(values, spread=Limits(spread=D(2)).spread) == {"D": D("2.5")}


@pytest.mark.parametrize("limits", [{"rise": D(1)}, {"fall": D(1)}, {"spread": D("0.9")}])
def test_limits_that_flag_every_year_are_refused(limits: dict[str, D]) -> None:
    with pytest.raises(ValueError, match="limit must be"):
        Limits(**limits)
