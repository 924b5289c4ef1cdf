"""The widest method-mix pair without comparing every pair: the same triple as the plain
maximum over every pair, for mixes drawn at random (hypothesis) and by hand."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.benchmark import method_distance
from tracker.domain.mix_gap import Mix, widest_pair

D = Decimal


def every_pair(mixes: list[tuple[str, Mix]]) -> tuple[Decimal, str, str] | None:
    return max(
        ((method_distance(a, b), ca, cb)
         for i, (ca, a) in enumerate(mixes) for cb, b in mixes[i + 1 :]),
        default=None,
    )  # fmt: skip


def shares(spend: dict[str, int]) -> Mix:
    total = sum(spend.values())
    return tuple(
        (m, D(s) / D(total)) for m, s in sorted(spend.items(), key=lambda i: (-i[1], i[0]))
    )


# a few spend figures over three methods, so that mixes often repeat exactly
_spend = st.dictionaries(st.sampled_from(["sic", "rule", "mcc"]), st.sampled_from([1, 2, 3, 7]),
                         min_size=1)  # fmt: skip


# many methods over few mixes: the screen measures every pair instead of the signs
_many = st.dictionaries(st.sampled_from(["sic", "rule", "mcc", "cpv", "library", "policy",
                                         "override", "naics"]),
                        st.integers(1, 9), min_size=1)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_spend, max_size=12) | st.lists(_many, max_size=8), st.randoms(use_true_random=False)
)
def test_same_triple_as_every_pair(spends: list[dict[str, int]], rnd: object) -> None:
    codes = [f"A{i:02d}" for i in range(len(spends))]
    rnd.shuffle(codes)  # type: ignore[attr-defined]  # listing order is not code order
    mixes = [(c, shares(s)) for c, s in zip(codes, spends, strict=True)]
    assert widest_pair(mixes, method_distance) == every_pair(mixes)


def test_identical_mixes_give_zero_and_the_latest_codes() -> None:
    mix = (("sic", D(1)),)
    mixes = [("B", mix), ("D", mix), ("A", mix), ("C", mix)]
    assert widest_pair(mixes, method_distance) == (D(0), "D", "C")
    assert widest_pair(mixes[:1], method_distance) is None


def test_equal_shares_written_differently_are_still_measured() -> None:
    a = (("sic", D("0.5")), ("rule", D("0.5")))
    b = (("sic", D("0.50")), ("rule", D("0.50")))
    c = (("mcc", D(1)),)
    mixes = [("X", a), ("Y", b), ("Z", c)]
    assert widest_pair(mixes, method_distance) == every_pair(mixes)
    assert widest_pair(mixes, method_distance) == (D(1), "Y", "Z")
