"""Broad category groups, so that category mixes can be compared side by side. Pure.

An inventory's categories are fine-grained: about 100 Defra/Leeds product groups (named
by SIC 2007 divisions, e.g. ``49.1-2``, ``10.1``, ``23OTHER``) or about 400 EPA NAICS-6
commodities (``562111``). A mix of 100 slices cannot be read, so each code is put in one
of the 21 sections of SIC 2007 (which are the sections of ISIC Rev.4):

* Defra codes: the leading one or two digits are the SIC division; divisions map to
  sections by the SIC 2007 table (01–03 A, 05–09 B, 10–33 C, 35 D, 36–39 E, …, 99 U).
* NAICS codes (three or more leading digits): the two- or three-digit NAICS sector is
  mapped to the ISIC section it mostly corresponds to (31–33 manufacturing → C; 2213 water
  and 562 waste → E; 532–533 rental and leasing → N; 72 accommodation and food → I …).
  This is an approximation at the margins (NAICS and ISIC draw some lines differently),
  good enough for a mix chart and stated wherever the mix is shown.

Codes that fit neither shape go to ``OTHER``.
"""

from __future__ import annotations

import re
from functools import lru_cache

OTHER = "Other or unknown"

SECTIONS: dict[str, str] = {
    "A": "Agriculture, forestry and fishing",
    "B": "Mining and quarrying",
    "C": "Manufactured goods",
    "D": "Energy supply",
    "E": "Water supply and waste",
    "F": "Construction",
    "G": "Wholesale and retail",
    "H": "Transport and storage",
    "I": "Accommodation and food",
    "J": "Information and communication",
    "K": "Financial and insurance services",
    "L": "Real estate",
    "M": "Professional, scientific and technical",
    "N": "Administrative and support services",
    "O": "Public administration",
    "P": "Education",
    "Q": "Health and social care",
    "R": "Arts and recreation",
    "S": "Other services",
    "T": "Households as employers",
    "U": "Extraterritorial organisations",
}

# SIC 2007 division ranges (inclusive) → section letter.
_SIC_DIVISIONS: tuple[tuple[int, int, str], ...] = (
    (1, 3, "A"),
    (5, 9, "B"),
    (10, 33, "C"),
    (35, 35, "D"),
    (36, 39, "E"),
    (41, 43, "F"),
    (45, 47, "G"),
    (49, 53, "H"),
    (55, 56, "I"),
    (58, 63, "J"),
    (64, 66, "K"),
    (68, 68, "L"),
    (69, 75, "M"),
    (77, 82, "N"),
    (84, 84, "O"),
    (85, 85, "P"),
    (86, 88, "Q"),
    (90, 93, "R"),
    (94, 96, "S"),
    (97, 98, "T"),
    (99, 99, "U"),
)

# NAICS prefixes → section letter; the longest matching prefix wins.
_NAICS_PREFIXES: dict[str, str] = {
    "11": "A",
    "21": "B",
    "22": "D",
    "2213": "E",
    "23": "F",
    "31": "C",
    "32": "C",
    "33": "C",
    "42": "G",
    "44": "G",
    "45": "G",
    "48": "H",
    "49": "H",
    "51": "J",
    "52": "K",
    "53": "L",
    "532": "N",
    "533": "N",
    "54": "M",
    "55": "M",
    "56": "N",
    "562": "E",
    "61": "P",
    "62": "Q",
    "71": "R",
    "72": "I",
    "81": "S",
    "92": "O",
}

_LEADING_DIGITS = re.compile(r"\d+")


def _sic_section(division: int) -> str | None:
    for low, high, letter in _SIC_DIVISIONS:
        if low <= division <= high:
            return letter
    return None


def _naics_section(code: str) -> str | None:
    for length in (4, 3, 2):
        letter = _NAICS_PREFIXES.get(code[:length])
        if letter is not None:
            return letter
    return None


@lru_cache(maxsize=8192)
def section_of(code: str | None) -> str | None:
    """The SIC 2007 / ISIC Rev.4 section letter of a Defra or NAICS category code."""
    if not code:
        return None
    match = _LEADING_DIGITS.match(code.strip())
    if match is None:
        return None
    digits = match.group()
    if len(digits) <= 2:
        return _sic_section(int(digits))
    return _naics_section(digits)


def broad_group(code: str | None) -> str:
    """The broad group (section name) a category code is shown under in a mix."""
    letter = section_of(code)
    return SECTIONS[letter] if letter else OTHER
