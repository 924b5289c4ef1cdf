"""Recorded baselines and the significance of a change (tracker.domain.baselines).

The issue's case: adding spend to the baseline year moved its figure from 3,564 t to
4,054 t, a change of 490 / 3,564 = +13.75 %, well above the 5 % threshold.
"""

from decimal import Decimal

from tracker.domain.baselines import baseline_change, restatement_notice

D = Decimal


def test_the_issue_case_is_significant_and_explained() -> None:
    change = baseline_change(D("3564000"), D("4054000"))
    assert change is not None
    assert change.change == D(490) / D(3564)
    assert change.significant
    assert restatement_notice(change, "2019/20") == (
        "Baseline restated from 3,564 tCO2e to 4,054 tCO2e? The 2019/20 figures changed from "
        "3,564 tCO2e to 4,054 tCO2e (+13.7 %), at least the 5 % significance threshold, so "
        "the baseline should be restated. The target still uses 3,564 tCO2e until the "
        "baseline is restated with a reason."
    )


def test_threshold_is_inclusive_and_configurable() -> None:
    # 1,000 → 950 t is −5 %: exactly the threshold, significant; −4.9 % is not.
    exact = baseline_change(D("1000000"), D("950000"))
    assert exact is not None and exact.significant
    small = baseline_change(D("1000000"), D("951000"))
    assert small is not None and not small.significant
    notice = restatement_notice(small, "2019/20")
    assert "(−4.9 %), below the 5 % significance threshold, so restating is optional" in notice
    # with a 2 % threshold the same −4.9 % is significant
    strict = baseline_change(D("1000000"), D("951000"), D(2))
    assert strict is not None and strict.significant


def test_agreement_to_the_gram_is_no_change() -> None:
    assert baseline_change(D("1000.0004"), D("1000.0001")) is None
    assert baseline_change(D("1000.000"), D("1000.002")) is not None


def test_a_zero_baseline_changes_significantly_to_anything_else() -> None:
    change = baseline_change(D(0), D(5000))
    assert change is not None and change.change is None and change.significant
    assert "changed from 0.0 tCO2e to 5.0 tCO2e, at least" in restatement_notice(change, "2019")
