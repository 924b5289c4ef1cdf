"""Settings read from the environment: the plausibility limits (tracker.config)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tracker.config import Settings
from tracker.domain.plausibility import Limits


def test_the_plausibility_limits_default_to_x2_a_half_and_x3() -> None:
    # docs/inventory-method.md, "The implausible year": 2 times, 0.5 times, 3 times the median.
    assert Settings.from_env({}).plausibility == Limits(D(2), D("0.5"), D(3))


def test_the_plausibility_limits_are_settings() -> None:
    env = {"TRACKER_JUMP_RISE": "1.5", "TRACKER_JUMP_FALL": " 0.6 ", "TRACKER_OUTLIER_SPREAD": "4"}
    assert Settings.from_env(env).plausibility == Limits(D("1.5"), D("0.6"), D(4))


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("TRACKER_JUMP_RISE", "double", "TRACKER_JUMP_RISE must be a number such as 2 or 0.5"),
        ("TRACKER_JUMP_RISE", "1", "TRACKER_JUMP_RISE must be more than 1, not 1"),
        ("TRACKER_JUMP_FALL", "1.5", "TRACKER_JUMP_FALL must be between 0 and 1, not 1.5"),
        ("TRACKER_JUMP_FALL", "0", "TRACKER_JUMP_FALL must be between 0 and 1, not 0"),
        ("TRACKER_OUTLIER_SPREAD", "inf", "TRACKER_OUTLIER_SPREAD must be a number"),
        ("TRACKER_OUTLIER_SPREAD", "0.5", "TRACKER_OUTLIER_SPREAD must be more than 1, not 0.5"),
    ],
)
def test_a_limit_that_cannot_be_one_names_its_variable(
    variable: str, value: str, says: str
) -> None:
    with pytest.raises(ValueError, match=says):
        Settings.from_env({variable: value})
