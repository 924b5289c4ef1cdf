"""Price deflators for US (EPA supply-chain) factors. Pure functions; data come as arguments.

methodology.md §3.4: spend in year ``t`` is moved to the factor's dollar year ``F`` with
``deflator = P(F) / P(t)``, where ``P`` is, in order of preference:

1. the BEA **detail** price index (``bea-detail-io17``) of the factor's
   ``reference_useeio_code``;
2. the BEA **summary** index (``bea-summary-io17``) of the summary sector that contains that
   detail code (:func:`summary_code_for`);
3. the US **GDP deflator** (``us-gdpdef``, annual averages), economy-wide.

A level is used only when it has *both* years for *every* code of the reference, so the two
index values always come from one series and their ratio is a proper deflator (no
chain-linking of different series). The detail and summary indices end in 2023, so spend of
2024 or later falls to the GDP deflator. If no level covers both years, :class:`DeflatorError`
is raised — the deflator is never silently 1.

**References with several codes** (24 NAICS rows of EPA v1.3.0, e.g. ``233411,233412,
2334A0``: EPA output-weighted those USEEIO sectors, and the weights are not published with
the factors) use the simple mean of the codes' index values in each year, rounded to 6
decimals (the precision of ``price_index_value``). The mean does not depend on the order
in which EPA lists the codes (v1.2 and v1.3.0 list them differently), unlike "the first
code". The note says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from tracker.errors import FactorDataError

DETAIL_INDEX = "bea-detail-io17"
SUMMARY_INDEX = "bea-summary-io17"
GDP_DEFLATOR = "us-gdpdef"
_MEAN_PLACES = Decimal("0.000001")

# BEA summary sector (2017 schema) → the detail-code prefixes it contains, for the summary
# sectors whose code is not simply a prefix of their detail codes. The all-digit summary
# codes (``327``, ``5415``, ``23``, …) match by prefix themselves (longest prefix wins).
# Written from the BEA summary definitions and checked against the shipped indices: every
# detail code except the government and special S00xxx rows maps to exactly one summary
# code present in Summary_CPI_IO_17sch (tests/domain/test_usd.py).
_SUMMARY_PREFIXES: Mapping[str, tuple[str, ...]] = {
    "111CA": ("111", "112"),  # farms
    "113FF": ("113", "114", "115"),  # forestry, fishing and related activities
    "311FT": ("311", "312"),  # food, beverage and tobacco products
    "313TT": ("313", "314"),  # textile mills and textile product mills
    "315AL": ("315", "316"),  # apparel, leather and allied products
    "3361MV": ("3361", "3362", "3363"),  # motor vehicles, bodies and trailers, parts
    "3364OT": ("3364", "3365", "3366", "3369"),  # other transportation equipment
    "4A0": ("444", "446", "447", "448", "454", "4B0"),  # other retail
    "487OS": ("487", "488", "48A", "492"),  # other transportation and support activities
    "513": ("515", "517"),  # broadcasting and telecommunications
    "514": ("518", "519"),  # data processing, internet publishing, other information
    "521CI": ("521", "522", "52A"),  # Federal Reserve banks, credit intermediation
    "HS": ("531HS",),  # housing
    "ORE": ("531ORE",),  # other real estate
    "532RL": ("532", "533"),  # rental and leasing, lessors of intangible assets
    "5412OP": ("5412", "5413", "5414", "5416", "5417", "5418", "5419"),
    "711AS": ("711", "712"),  # performing arts, spectator sports, museums
    "GSLG": ("GSLG",),  # state and local general government
}
_DIGIT_SUMMARY_CODES = [
    "211",
    "212",
    "213",
    "22",
    "23",
    "321",
    "322",
    "323",
    "324",
    "325",
    "326",
    "327",
    "331",
    "332",
    "333",
    "334",
    "335",
    "337",
    "339",
    "42",
    "441",
    "445",
    "452",
    "481",
    "482",
    "483",
    "484",
    "485",
    "486",
    "493",
    "511",
    "512",
    "523",
    "524",
    "525",
    "5411",
    "5415",
    "55",
    "561",
    "562",
    "61",
    "621",
    "622",
    "623",
    "624",
    "713",
    "721",
    "722",
    "81",
]


def _prefix_table() -> list[tuple[str, str]]:
    pairs = [(p, s) for s, prefixes in _SUMMARY_PREFIXES.items() for p in prefixes]
    pairs += [(code, code) for code in _DIGIT_SUMMARY_CODES]
    return sorted(pairs, key=lambda ps: -len(ps[0]))


_PREFIXES = _prefix_table()


def summary_code_for(detail_code: str) -> str | None:
    """BEA summary sector of a BEA/USEEIO detail code (``327320`` → ``327``), or None."""
    for prefix, summary in _PREFIXES:
        if detail_code.startswith(prefix):
            return summary
    return None


class DeflatorError(FactorDataError):
    """No price index covers the spend year and the factor year."""


@dataclass(frozen=True)
class DeflatorChoice:
    """The deflator ``index_factor_year / index_spend_year`` and where it came from."""

    value: Decimal
    index_key: str
    code_used: str  # the index code(s), comma-joined; "" for the GDP deflator
    index_spend_year: Decimal
    index_factor_year: Decimal
    note: str


def split_reference(reference_useeio_code: str) -> list[str]:
    """``"233411, 233412,2334A0"`` → ``["233411", "233412", "2334A0"]`` (order kept)."""
    codes = [c.strip() for c in reference_useeio_code.split(",")]
    codes = [c for c in codes if c]
    if not codes:
        raise DeflatorError(f"empty Reference USEEIO Code {reference_useeio_code!r}")
    return list(dict.fromkeys(codes))


def _mean(values: Sequence[Decimal]) -> Decimal:
    if len(values) == 1:
        return values[0]
    return (sum(values, Decimal(0)) / len(values)).quantize(_MEAN_PLACES)


def _covered(
    index: Mapping[str, Mapping[int, Decimal]], codes: Sequence[str], years: tuple[int, int]
) -> bool:
    return all(code in index and all(y in index[code] for y in years) for code in codes)


def _ratio(factor_value: Decimal, spend_value: Decimal) -> Decimal:
    if factor_value <= 0 or spend_value <= 0:
        raise DeflatorError("price index values must be positive")
    return factor_value / spend_value


def epa_deflator(
    reference_useeio_code: str,
    spend_year: int,
    factor_year: int,
    detail: Mapping[str, Mapping[int, Decimal]],
    summary: Mapping[str, Mapping[int, Decimal]],
    gdpdef: Mapping[int, Decimal],
) -> DeflatorChoice:
    """Deflator moving spend of ``spend_year`` to an EPA factor's dollar year (module doc).

    ``detail`` and ``summary`` are ``code → year → index`` (e.g.
    ``load_commodity_price_index("bea-detail-io17").values``), ``gdpdef`` is
    ``year → index`` (``load_price_index("us-gdpdef").values``).
    """
    codes = split_reference(reference_useeio_code)
    years = (spend_year, factor_year)
    several = len(codes) > 1
    mean_note = (
        f"; mean of the {len(codes)} reference codes' indices (EPA's output weights are "
        "not published)"
        if several
        else ""
    )
    if _covered(detail, codes, years):
        spend_value = _mean([detail[c][spend_year] for c in codes])
        factor_value = _mean([detail[c][factor_year] for c in codes])
        return DeflatorChoice(
            value=_ratio(factor_value, spend_value),
            index_key=DETAIL_INDEX,
            code_used=",".join(codes),
            index_spend_year=spend_value,
            index_factor_year=factor_value,
            note=f"BEA detail price index for {','.join(codes)}{mean_note}",
        )
    reasons = [f"the detail index lacks {','.join(codes)} for {spend_year} or {factor_year}"]
    summary_codes = [summary_code_for(c) for c in codes]
    known = [s for s in summary_codes if s is not None]
    if len(known) == len(codes):
        distinct = list(dict.fromkeys(known))
        if _covered(summary, distinct, years):
            spend_value = _mean([summary[s][spend_year] for s in distinct])
            factor_value = _mean([summary[s][factor_year] for s in distinct])
            mean = (
                f"; mean of the summary indices {','.join(distinct)}" if len(distinct) > 1 else ""
            )
            return DeflatorChoice(
                value=_ratio(factor_value, spend_value),
                index_key=SUMMARY_INDEX,
                code_used=",".join(distinct),
                index_spend_year=spend_value,
                index_factor_year=factor_value,
                note=f"BEA summary price index {','.join(distinct)} (fallback: {reasons[0]})"
                + mean,
            )
        reasons.append(f"the summary index lacks {','.join(distinct)} for one of those years")
    else:
        reasons.append(f"no BEA summary sector is known for {reference_useeio_code!r}")
    if spend_year in gdpdef and factor_year in gdpdef:
        spend_value, factor_value = gdpdef[spend_year], gdpdef[factor_year]
        return DeflatorChoice(
            value=_ratio(factor_value, spend_value),
            index_key=GDP_DEFLATOR,
            code_used="",
            index_spend_year=spend_value,
            index_factor_year=factor_value,
            note="US GDP implicit price deflator, annual average (economy-wide fallback: "
            + "; ".join(reasons)
            + ")",
        )
    covered = f"{min(gdpdef)}–{max(gdpdef)}" if gdpdef else "no years"
    raise DeflatorError(
        f"No price index covers {spend_year} and {factor_year} for Reference USEEIO Code "
        f"{reference_useeio_code!r}: " + "; ".join(reasons) + f"; the GDP deflator covers "
        f"{covered}. Load a newer {GDP_DEFLATOR} or choose another factor year."
    )


__all__ = [
    "DETAIL_INDEX",
    "GDP_DEFLATOR",
    "SUMMARY_INDEX",
    "DeflatorChoice",
    "DeflatorError",
    "epa_deflator",
    "split_reference",
    "summary_code_for",
]
