from decimal import Decimal

from tracker.domain.naics import resolve_naics

CODES = {"327310": Decimal("3.924"), "327320": Decimal("0.606"), "327331": Decimal("0.5"),
         "541511": Decimal("0.084")}  # fmt: skip


def test_exact_code() -> None:
    m = resolve_naics("327320", CODES, CODES)
    assert (m.code, m.level) == ("327320", "naics6")


def test_fallback_takes_the_median_published_factor_under_the_longest_prefix() -> None:
    # 3273xx holds 0.5, 0.606, 3.924: the median is 0.606 (327320).
    m = resolve_naics("3273", CODES, CODES)
    assert (m.code, m.level) == ("327320", "naics4")
    m = resolve_naics("541519", CODES, CODES)  # not published: 54151 → only 541511
    assert (m.code, m.level) == ("541511", "naics5")


def test_unusable_codes_are_explained() -> None:
    assert resolve_naics("x", CODES).reason == "not a NAICS code: 'x'"
    assert resolve_naics("999999", CODES).code is None
