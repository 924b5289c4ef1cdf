"""Global warming potentials (100-year) and CO2e from per-gas quantities. Pure data and maths.

Gas identifiers are those of the per-gas EPA tables (``factors/data/epa-useeio-naics-bygas``):
``CO2``, ``CH4``, ``N2O``, ``SF6``, ``NF3``, ``CF4``, ``C2F6``, ``C3F8``, ``C4F10``,
``c-C4F8``, ``C6F14``, ``HFC-23``, ``HFC-32``, ``HFC-125``, ``HFC-134a``, ``HFC-143a``,
``HFC-236fa``, plus ``HFCs and PFCs, unspecified``, an aggregate that EPA publishes already
in kg CO2e and which is therefore added as it is, whatever the GWP set.

A GWP set holds only values we can cite; a gas missing from the chosen set raises
:class:`GwpError` instead of being guessed or dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

#: gases whose quantities are already CO2e (added without a GWP)
ALREADY_CO2E: frozenset[str] = frozenset({"HFCs and PFCs, unspecified"})


class GwpError(LookupError):
    """A gas has no GWP in the chosen set."""


def _table(values: dict[str, str]) -> Mapping[str, Decimal]:
    return MappingProxyType({gas: Decimal(v) for gas, v in values.items()})


# IPCC Fifth Assessment Report (2013), Working Group I, Chapter 8 (Myhre et al.),
# Appendix 8.A, Table 8.A.1: GWP-100 without climate-carbon feedbacks. The set of EPA's
# v1.3.0 supply-chain factors.
AR5_GWP100: Mapping[str, Decimal] = _table(
    {
        "CO2": "1",
        "CH4": "28",
        "N2O": "265",
        "HFC-23": "12400",
        "HFC-32": "677",
        "HFC-125": "3170",
        "HFC-134a": "1300",
        "HFC-143a": "4800",
        "HFC-236fa": "8060",
        "CF4": "6630",
        "C2F6": "11100",
        "C3F8": "8900",
        "C4F10": "9200",
        "c-C4F8": "9540",
        "C6F14": "7910",
        "SF6": "23500",
        "NF3": "16100",
    }
)

# IPCC Fourth Assessment Report (2007), Working Group I, Chapter 2 (Forster et al.),
# Table 2.14: GWP-100. The set of EPA's v1.0-v1.2 supply-chain factors.
AR4_GWP100: Mapping[str, Decimal] = _table(
    {
        "CO2": "1",
        "CH4": "25",
        "N2O": "298",
        "HFC-23": "14800",
        "HFC-32": "675",
        "HFC-125": "3500",
        "HFC-134a": "1430",
        "HFC-143a": "4470",
        "HFC-236fa": "9810",
        "CF4": "7390",
        "C2F6": "12200",
        "C3F8": "8830",
        "C4F10": "8860",
        "c-C4F8": "10300",
        "C6F14": "9300",
        "SF6": "22800",
        "NF3": "17200",
    }
)

# IPCC Sixth Assessment Report (2021), Working Group I, Chapter 7 (Forster et al.):
# Table 7.15 gives CH4-fossil 29.8 and CH4-non fossil 27.0; Table 7.SM.7 gives CH4 27.9
# (no fossil-carbon oxidation term) and N2O 273. Fluorinated gases are deliberately left
# out here until their AR6 values are entered from Table 7.SM.7 and reviewed, so a CO2e
# recomputation that needs them fails loudly. Choose the methane variant explicitly:
# "CH4" is the generic value; use AR6_GWP100_FOSSIL_CH4 for fossil methane.
AR6_GWP100: Mapping[str, Decimal] = _table({"CO2": "1", "CH4": "27.9", "N2O": "273"})
AR6_GWP100_FOSSIL_CH4: Mapping[str, Decimal] = _table({"CO2": "1", "CH4": "29.8", "N2O": "273"})
AR6_GWP100_NON_FOSSIL_CH4: Mapping[str, Decimal] = _table({"CO2": "1", "CH4": "27.0", "N2O": "273"})

GWP_SETS: Mapping[str, Mapping[str, Decimal]] = MappingProxyType(
    {
        "IPCC AR4 GWP-100": AR4_GWP100,
        "IPCC AR5 GWP-100": AR5_GWP100,
        "IPCC AR6 GWP-100": AR6_GWP100,
        "IPCC AR6 GWP-100 (fossil CH4)": AR6_GWP100_FOSSIL_CH4,
        "IPCC AR6 GWP-100 (non-fossil CH4)": AR6_GWP100_NON_FOSSIL_CH4,
    }
)


def gwp_set(name: str) -> Mapping[str, Decimal]:
    """A GWP set by its name as stored in factor metadata, e.g. ``"IPCC AR5 GWP-100"``."""
    try:
        return GWP_SETS[name]
    except KeyError:
        raise GwpError(f"unknown GWP set {name!r}; known: {', '.join(GWP_SETS)}") from None


def co2e_from_gases(gases: Mapping[str, Decimal], gwp: Mapping[str, Decimal]) -> Decimal:
    """Σ quantity × GWP over ``gases`` (kg of each gas → kg CO2e); not rounded.

    Gases in :data:`ALREADY_CO2E` are added as they are. Any other gas missing from ``gwp``
    raises :class:`GwpError` naming it (and every other missing gas).
    """
    missing = sorted(g for g in gases if g not in ALREADY_CO2E and g not in gwp)
    if missing:
        raise GwpError(
            f"no GWP for {', '.join(missing)} in the chosen set; it covers {', '.join(sorted(gwp))}"
        )
    total = Decimal(0)
    for gas, quantity in gases.items():
        total += quantity if gas in ALREADY_CO2E else quantity * gwp[gas]
    return total


__all__ = [
    "ALREADY_CO2E",
    "AR4_GWP100",
    "AR5_GWP100",
    "AR6_GWP100",
    "AR6_GWP100_FOSSIL_CH4",
    "AR6_GWP100_NON_FOSSIL_CH4",
    "GWP_SETS",
    "GwpError",
    "co2e_from_gases",
    "gwp_set",
]
