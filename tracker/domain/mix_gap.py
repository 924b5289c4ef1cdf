"""The widest gap between the method mixes of a group of authorities, without an exact
comparison of every pair. Pure functions.

``comparability`` (``tracker.domain.benchmark``) names the pair of authorities whose
mixes of classification methods lie furthest apart: the largest
``(distance(a, b), a's code, b's code)`` over every pair with ``a`` listed before ``b``,
where ``distance`` is half the sum of the absolute differences of the shares. Done
directly that is n(n-1)/2 exact Decimal distances (79,800 at 400 authorities).
``widest_pair`` gives the same triple with far fewer:

1. authorities with the very same mix (same methods, same Decimal shares, digit for
   digit) are one *signature*: their distances to anyone are the same numbers;
2. the signatures are screened in floating point, and only the pairs within
   ``SCREEN_MARGIN`` of the largest distance are measured exactly (a float distance is
   within about 1e-15 of the exact one, so no pair that could be the widest is missed).
   With few methods the screen takes, for each way of signing the methods' shares
   (+ or -), the spread of the signed sums: the largest such spread is the largest
   distance, found in 2**(methods - 1) passes over the signatures instead of one
   distance per pair; with many methods it measures every pair in floats;
3. among the pairs of two signatures, the largest codes in listing order are found in
   one pass over their members rather than pair by pair.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import product
from operator import mul

Mix = tuple[tuple[str, Decimal], ...]
Distance = Callable[[Mix, Mix], Decimal]
#: Float distances this close to the largest are measured exactly (float error ~1e-15).
SCREEN_MARGIN = 1e-9


def widest_pair(
    mixes: Sequence[tuple[str, Mix]], distance: Distance
) -> tuple[Decimal, str, str] | None:
    """``max((distance(a, b), code_a, code_b) for a listed before b)`` over ``(code, mix)``
    items (None with fewer than two), computed exactly as that expression would."""
    if len(mixes) < 2:
        return None
    keys: dict[tuple[object, ...], int] = {}
    members: list[list[int]] = []  # positions of each signature's authorities, ascending
    for position, (_, mix) in enumerate(mixes):
        key = tuple((method, share.as_tuple()) for method, share in mix)
        index = keys.setdefault(key, len(members))
        if index == len(members):
            members.append([])
        members[index].append(position)
    reps = [mixes[m[0]][1] for m in members]
    codes = [code for code, _ in mixes]
    best: tuple[Decimal, str, str] | None = None
    for g, h in _candidates(reps, [len(m) for m in members]):
        for first, second in ((g, h), (h, g)) if g != h else ((g, g),):
            pair = _latest_codes(members[first], members[second], codes)
            if pair is None:
                continue
            found = (distance(reps[first], reps[second]), *pair)
            if best is None or found > best:
                best = found
    return best


def _candidates(reps: Sequence[Mix], sizes: Sequence[int]) -> list[tuple[int, int]]:
    """Pairs of signatures (g <= h; g == h when it has two or more authorities, at
    distance 0) whose float distance may be within ``SCREEN_MARGIN`` of the largest."""
    methods = sorted({m for mix in reps for m, _ in mix})
    column = {m: i for i, m in enumerate(methods)}
    vectors = []
    for mix in reps:
        v = [0.0] * len(methods)
        for m, share in mix:
            v[column[m]] += float(share)
        vectors.append(v)
    # twice the distance (the sum of the absolute differences), as both screens give it
    top, pairs = 0.0, list[tuple[int, int]]()
    if len(vectors) >= 2:
        few_methods = 1 << (len(methods) - 1) <= len(vectors)
        top, pairs = (_by_signs if few_methods else _by_pairs)(vectors)
    if top <= 2 * SCREEN_MARGIN:  # distance 0 within a signature may be the widest
        pairs += [(g, g) for g, size in enumerate(sizes) if size > 1]
    return pairs


def _by_pairs(vectors: Sequence[Sequence[float]]) -> tuple[float, list[tuple[int, int]]]:
    """Every pair's L1 distance: the largest, and the pairs near it."""
    scored = [
        (sum(abs(p - q) for p, q in zip(vectors[g], vectors[h], strict=True)), g, h)
        for g in range(len(vectors))
        for h in range(g + 1, len(vectors))
    ]
    top = max(s[0] for s in scored)
    return top, [(g, h) for gap, g, h in scored if gap >= top - 2 * SCREEN_MARGIN]


def _by_signs(vectors: Sequence[Sequence[float]]) -> tuple[float, list[tuple[int, int]]]:
    """The largest L1 distance as the widest spread of ``sum(s * v)`` over the sign
    vectors ``s`` (|x - y| summed is ``s . (x - y)`` for the signs of ``x - y``), in
    2**(k-1) passes over the n vectors instead of n(n-1)/2 pair distances; the pairs
    near it are among those at both ends of a spread near the widest."""
    width = len(vectors[0])
    spreads = []
    for signs in product((1.0, -1.0), repeat=width - 1):
        sign = (1.0, *signs)
        values = [sum(map(mul, sign, v)) for v in vectors]
        spreads.append((max(values) - min(values), values))
    top = max(spread for spread, _ in spreads)
    margin = 2 * SCREEN_MARGIN
    pairs: set[tuple[int, int]] = set()
    for spread, values in spreads:
        if spread < top - margin:
            continue
        high, low = max(values) - margin, min(values) + margin
        ends = [g for g, x in enumerate(values) if x >= high]
        starts = [h for h, x in enumerate(values) if x <= low]
        pairs.update((min(g, h), max(g, h)) for g in ends for h in starts if g != h)
    return top, sorted(pairs)


def _latest_codes(
    firsts: Sequence[int], seconds: Sequence[int], codes: Sequence[str]
) -> tuple[str, str] | None:
    """The largest ``(codes[i], codes[j])`` with ``i`` in ``firsts`` listed before ``j``
    in ``seconds`` (positions ascending), or None when there is no such pair."""
    # suffix[k]: the largest code of seconds[k:]
    suffix = [codes[j] for j in seconds]
    for k in range(len(suffix) - 2, -1, -1):
        suffix[k] = max(suffix[k], suffix[k + 1])
    best: tuple[str, str] | None = None
    for i in firsts:
        k = bisect_right(seconds, i)
        if k == len(seconds):
            break
        if best is None or (codes[i], suffix[k]) > best:
            best = (codes[i], suffix[k])
    return best
