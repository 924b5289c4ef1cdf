"""The status rule over pathway and carbon budget (tracker.domain.status).

Every figure worked by hand. Labels are financial years starting in April (2024/25).
Most cases use a target of −50 % by 2029 from a 2019 baseline of 1,000 t on a straight
line: pathway P_y = 1,000 − 50·(y − 2019) t (2024: 750 t); carbon budget 2019–2029 =
11 × (1,000 + 500) / 2 = 8,250 t; budget to date 2019–2024 = 6 × (1,000 + 750) / 2 =
5,250 t. Trends are least-squares slopes over 2019–2024, x̄ = 2021.5, Σ(x − x̄)² = 17.5.
"""

from decimal import Decimal

import pytest

from tracker.domain.periods import fy_label
from tracker.domain.status import assess, distinct_tonnes, target_statement, tonnes_text
from tracker.domain.targets import Target

D = Decimal
T = 1000  # kg per tonne


def label(year: int) -> str:
    return fy_label(year, 4)


def kg(tonnes_by_year: dict[int, int | str]) -> dict[int, Decimal]:
    return {y: D(v) * T for y, v in tonnes_by_year.items()}


HALVE = Target(2019, D(1000 * T), 2029, D(50))


def test_on_track_below_pathway_and_budget_lasts() -> None:
    # 2019 1,000 (baseline), then 950, 900, 850, 800, 720: used 5,220 ≤ 5,250 to date.
    # 2024: (720 − 750) / 750 = −4 %. Trend: Σ(x − x̄)(E − Ē) with Ē = 870 is
    # −325 − 120 − 15 − 10 − 105 − 375 = −950, slope −950 / 17.5 = −54.2857 t/yr.
    # Projected from 720: 2025–2029 sum 5 × (665.714 + 448.571) / 2 = 2,785.714, so
    # 8,005.714 ≤ 8,250 by 2029; 2030 adds 394.286 → 8,400 > 8,250: runs out in 2030.
    a = assess(HALVE, kg({2020: 950, 2021: 900, 2022: 850, 2023: 800, 2024: 720}), 2024,
               label=label)  # fmt: skip
    assert a is not None
    assert a.status == "on track"
    assert (
        a.sentence == "On track: 2024/25 is 4 % below the pathway and the budget lasts to 2030/31."
    )
    assert (a.used_kg, a.budget_to_date_kg, a.budget_kg) == (D(5220 * T), D(5250 * T), D(8250 * T))
    assert a.exhausted_year == 2030


def test_used_more_than_the_pathway_to_date_is_at_risk() -> None:
    # Used 1,000 + 1,000 + 950 + 850 + 780 + 700 = 5,280 > 5,250 to date, though 2024 is
    # (700 − 750) / 750 = −6.67 % below the pathway. Ē = 880; Σ products = −300 − 180 − 35
    # − 15 − 150 − 450 = −1,130; slope −64.571; projected 2025–2029 sum 2,531.429 →
    # 7,811.429; 2030 +312.571 → 8,124; 2031 +248 → 8,372 > 8,250: lasts to 2031.
    a = assess(HALVE, kg({2020: 1000, 2021: 950, 2022: 850, 2023: 780, 2024: 700}), 2024,
               label=label)  # fmt: skip
    assert a is not None and a.status == "at risk"
    assert a.sentence == (
        "At risk: 2024/25 is 7 % below the pathway, 5,280 tCO2e emitted since the 2019/20 "
        "baseline is more than the pathway's 5,250 tCO2e to date and the budget lasts to "
        "2031/32."
    )


def test_within_the_margin_is_at_risk_beyond_it_off_track() -> None:
    # 900, 800, 700, 700, 780: 2024 is (780 − 750) / 750 = +4 % ≤ 5 %. Used 4,880. Ē =
    # 813.333; Σ products −900, slope −51.4286; projected 2025–2029 sum 3,128.571 →
    # 8,008.571 ≤ 8,250; 2030 +471.429 → 8,480: lasts to 2030, after 2029.
    at_risk = assess(HALVE, kg({2020: 900, 2021: 800, 2022: 700, 2023: 700, 2024: 780}),
                     2024, label=label)  # fmt: skip
    assert at_risk is not None and at_risk.status == "at risk"
    assert at_risk.sentence == (
        "At risk: 2024/25 is 4 % above the pathway (within the 5 % margin) and the budget "
        "lasts to 2030/31."
    )
    # 2024 = 800: +6.67 % > 5 %. Ē = 816.667, Σ products −850, slope −48.5714; projected
    # sum 3,271.429 → 8,171.429 by 2029, 2030 +508.571 → 8,680: lasts to 2030.
    off = assess(HALVE, kg({2020: 900, 2021: 800, 2022: 700, 2023: 700, 2024: 800}), 2024,
                 label=label)  # fmt: skip
    assert off is not None and off.status == "off track"
    assert off.sentence == (
        "Off track: 2024/25 is 7 % above the pathway and the budget lasts to 2030/31."
    )


def test_budget_running_out_by_the_target_year_is_off_track() -> None:
    # 940, 880, 820, 760, 780: +4 % in 2024 (within the margin), used 5,180 ≤ 5,250, but
    # Ē = 863.333, Σ products −341.667 − 115 − 8.333 − 21.667 − 155 − 208.333 = −850,
    # slope −48.5714; projected 2025–2029 sum 5 × (731.429 + 537.143) / 2 = 3,171.429 →
    # 8,351.429 > 8,250 in 2029 at the latest; by year: 5,911.429 (2025), 6,594.286,
    # 7,228.571, 7,814.286 (2028), 8,351.429 (2029) → runs out in 2029, not after 2029.
    a = assess(HALVE, kg({2020: 940, 2021: 880, 2022: 820, 2023: 760, 2024: 780}), 2024,
               label=label)  # fmt: skip
    assert a is not None and a.status == "off track" and a.exhausted_year == 2029
    assert a.sentence == (
        "Off track: 2024/25 is 4 % above the pathway (within the 5 % margin) and at the "
        "current trend the carbon budget to 2029/30 (8,250 tCO2e) runs out in 2029/30."
    )


def test_the_issue_case_budget_spent_is_never_on_track() -> None:
    # Issue 16: "on track" beside "carbon budget to the target year 36,488; used so far
    # 41,198; runs out in 2023". Target −40 % by 2027 from a 2020 baseline of 5,701.25 t:
    # pathway falls 2,280.5 / 7 t a year to 3,420.75 t; budget 2020–2027 = 8 × (5,701.25 +
    # 3,420.75) / 2 = 36,488 t. Actual 10,000, 10,000, 11,496.75, 4,000 (2021–2024):
    # cumulative 15,701.25, 25,701.25, 37,198 > 36,488 in 2023; used 41,198 by 2024.
    # 2024: pathway 5,701.25 − 4 × 325.7857 = 4,398.107; (4,000 − 4,398.107) / 4,398.107
    # = −9.05 % (the old annual test said "on track"). Budget to date 2020–2024 = 5 ×
    # (5,701.25 + 4,398.107) / 2 = 25,248.39 t.
    target = Target(2020, D("5701250"), 2027, D(40))
    actual = kg({2021: 10000, 2022: 10000, 2023: "11496.75", 2024: 4000})
    a = assess(target, actual, 2024, label=label)
    assert a is not None
    assert (a.budget_kg, a.used_kg, a.exhausted_year) == (D(36488 * T), D(41198 * T), 2023)
    assert a.status == "off track"
    assert a.sentence == (
        "Off track: 2024/25 is 9 % below the pathway, 41,198 tCO2e emitted since the "
        "2020/21 baseline is more than the pathway's 25,248 tCO2e to date and the carbon "
        "budget to 2027/28 (36,488 tCO2e) ran out in 2023/24."
    )
    # every year from the one it ran out in is off track
    for year in (2023, 2024):
        judged = assess(target, actual, year, label=label)
        assert judged is not None and judged.status == "off track"


def test_no_status_for_the_baseline_or_a_year_after_a_gap() -> None:
    actual = kg({2019: 1000, 2020: 950, 2022: 850})
    assert assess(HALVE, actual, 2019, label=label) is None
    assert assess(HALVE, actual, 2021, label=label) is None  # no inventory that year
    gap = assess(HALVE, actual, 2022, label=label)
    assert gap is not None and gap.status is None
    assert gap.sentence == (
        "No status for 2022/23: there is no inventory for 2021/22, so the carbon budget "
        "used since the 2019/20 baseline is not known."
    )


def test_the_recorded_baseline_counts_for_the_baseline_year() -> None:
    # The baseline year's current figure (1,500 t) is not the recorded one (1,000 t): the
    # budget period starts at the recorded baseline, so used = 1,000 + 950 = 1,950 t.
    a = assess(HALVE, kg({2019: 1500, 2020: 950}), 2020, label=label)
    assert a is not None and a.used_kg == D(1950 * T)


def test_zero_pathway() -> None:
    # Net zero by 2030: pathway 2019 1,000 → 2029 500 → 2030 0. Anything above 0 in 2030
    # is off track.
    target = Target(2019, D(1000 * T), 2029, D(50), net_zero_year=2030)
    actual = {y: D(5 * T) for y in range(2020, 2031)}
    a = assess(target, actual, 2030, label=label)
    assert a is not None and a.status == "off track"
    assert a.sentence.startswith("Off track: 2030/31 is 5.0 tCO2e against a pathway of zero")


def test_target_statement() -> None:
    target = Target(2019, D("3564000"), 2030, D(50), net_zero_year=2038)
    assert target_statement(target, label) == (
        "−50 % by 2030/31 from the 2019/20 baseline of 3,564 tCO2e, on a straight-line "
        "pathway; net zero by 2038/39"
    )
    sbti = Target(2019, D("3564000"), 2030, D("46.2"), pathway="sbti-1.5c")
    assert "−46.2 % by 2030/31" in target_statement(sbti, label)
    assert "SBTi 1.5 °C pathway" in target_statement(sbti, label)


@pytest.mark.parametrize(
    ("kg_value", "text"),
    [(D("41198000"), "41,198 tCO2e"), (D("9950"), "10.0 tCO2e"), (D("1499.9"), "1.5 tCO2e")],
)
def test_tonnes_text(kg_value: Decimal, text: str) -> None:
    assert tonnes_text(kg_value) == text


def test_two_different_figures_never_read_the_same() -> None:
    # 4,700 and 4,650 kg both round to 4.7 t; two decimals tell them apart.
    assert distinct_tonnes(D(4700), D(4650)) == ("4.70 tCO2e", "4.65 tCO2e")
    assert distinct_tonnes(D(41198000), D(25248393)) == ("41,198 tCO2e", "25,248 tCO2e")
    # 41,197.6 and 41,197.8 t: 41,198 both, then 41,197.6 and 41,197.8
    assert distinct_tonnes(D(41197600), D(41197800)) == ("41,197.6 tCO2e", "41,197.8 tCO2e")


def test_small_and_near_total_gaps_are_not_rounded_away() -> None:
    # 2020 pathway 950 t. 950.4 t is 0.04 % above: "less than 1 %". 0.2 t is 99.98 %
    # below: "more than 99 %", never "100 %" while something is emitted.
    for tonnes, words in (("950.4", "less than 1 % above"), ("0.2", "more than 99 % below")):
        a = assess(HALVE, kg({2020: tonnes}), 2020, label=label)
        assert a is not None and f"2020/21 is {words} the pathway" in a.sentence


def test_a_part_year_has_no_status() -> None:
    # 2024 has 3 months of lines (tracker.domain.completeness): 200 t for a quarter would
    # read far below the 750 t pathway; it gets no status until complete.
    actual = kg({2020: 950, 2021: 900, 2022: 850, 2023: 800, 2024: 200})
    part = {2024: "part year (3 of 12 months)"}
    a = assess(HALVE, actual, 2024, label=label, part_years=part)
    assert a is not None and a.status is None and a.used_kg is None
    assert a.sentence == (
        "2024/25 is a part year (3 of 12 months): no status until the year is complete."
    )
    # The years before it are judged as before: 2023 is the same with or without the note.
    assert assess(HALVE, actual, 2023, label=label, part_years=part) == assess(
        HALVE, actual, 2023, label=label
    )


def test_a_part_year_between_baseline_and_year_leaves_no_status() -> None:
    # 2021 covers 1 month: the budget used by 2022 is not known.
    actual = kg({2020: 950, 2021: 80, 2022: 850})
    part = {2021: "part year (1 of 12 months)"}
    a = assess(HALVE, actual, 2022, label=label, part_years=part)
    assert a is not None and a.status is None
    assert a.sentence == (
        "No status for 2022/23: 2021/22 is a part year (1 of 12 months), so the carbon "
        "budget used since the 2019/20 baseline is not known."
    )
