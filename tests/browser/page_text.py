"""The presentation check of issue 16 on a page's visible text: no raw code, no unformatted
amount and one year format (financial years as ``2024/25``).

:func:`violations` reads plain text, as Selenium's ``body.text`` gives it or as
``tests/dashboards/dash_tree.text`` renders a Dash layout, and names each offending piece of
text with what it breaks; :func:`check_page` fails naming the page and the role. A plain
function, so the same rules run on the browser's screenshots (tests/browser) and on the
layouts without a browser (tests/dashboards/test_page_text.py).

What counts as a violation (the unit tests in tests/browser/test_page_text_checker.py show each
rule on good and bad strings):

- raw code: a stored code shown as it is: factor families and price indices
  (``defra-uk-sic``, ``ons-cpi-d7bt``), edition codes (``to-2023``), classification
  methods and line statuses in lower case (``sic``, ``naics``, ``library``, ``mapped``,
  ``unmapped``), a policy in brackets (``matched (…)``), a pathway kind (``linear``,
  ``sbti``), a snake_case identifier (``energy_own``).
- unformatted amount: a number of 1,000 or more without thousands separators
  (``5400``, ``12000.00``); a float as Python prints it (``5400.0``, ``1e-05``); more
  than two decimals (``2994.230``, ``100.000``), except a ratio below 10 with three
  decimals and its unit (``0.214 kgCO2e/£``, ``0.013 kgCO2e`` per resident).
- second year format: ``FY 2024``, ``FY2024/25``, ``2024-25``, ``2024–25``,
  ``2024/2025``, a label whose second part is not the next year (``2024/26``), and a bare
  year after words that mean a financial year (``financial year 2024``,
  ``Financial years 2019, 2020``). Calendar dates (``15/06/2024``, ``2024-06-15``,
  ``June 2024``) and calendar years standing alone (``the budget runs out in 2031``,
  ``Defra factors for 2021``) are fine.

Identifiers that are neither amounts nor years (a SIC code ``49410`` in a file's preview, a
batch or row number) are not told apart from amounts by the text alone; they are allowed
after a word that names them (``SIC 49410``, ``row 1234``, ``batch 1021``, ``#1021``,
``sha256 0123…``), and pages show them that way (tracker.domain.vocabulary.code_value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.importers.model import CODE_FIELDS

RAW_CODE = "raw code"
AMOUNT = "unformatted amount"
YEAR = "second year format"


@dataclass(frozen=True)
class Violation:
    kind: str  # RAW_CODE, AMOUNT or YEAR
    found: str  # the offending text
    context: str  # the text around it, to find it on the page

    def __str__(self) -> str:
        return f"{self.kind} {self.found!r} in “…{self.context}…”"


# -- Raw codes ------------------------------------------------------------------------------

# Codes that are never English, in the lower case they are stored in (shown as words they
# are "supplier's SIC code", "not classified" ...: tracker.domain.vocabulary): the code fields
# of a spend file (sic, naics, proclass, mcc, cpv, unspsc; the snake_case ones are caught
# as such), line statuses and pathway kinds.
_CODE_WORDS = (
    *(f for f in CODE_FIELDS if "_" not in f),
    "unmapped",
    "mapped",
    "sbti",
    "linear",
)
_NOT_A_FILE = r"(?![\w-]|\.\w)"  # a code, not part of a file name (``…-sic-2015.txt``)
_RAW_CODES = (
    # A code word on its own; "rule library" is the human name of the library method.
    re.compile(r"(?<![\w-])(?:" + "|".join(_CODE_WORDS) + r")" + _NOT_A_FILE),
    re.compile(r"(?<![\w-])(?<!rule )library" + _NOT_A_FILE),
    # Factor families, price indices and editions as stored.
    re.compile(r"(?<![\w.-])(?:defra|epa|ons|us|uk)-[a-z0-9-]*[a-z0-9]" + _NOT_A_FILE),
    re.compile(r"(?<![\w.-])[a-z]+(?:-[a-z0-9]+)*-(?:sic|naics|cpi|gdpdef|d7bt)" + _NOT_A_FILE),
    re.compile(r"(?<![\w-])to-\d{4}" + _NOT_A_FILE),
    # A policy with its index code in brackets: "matched (ons-cpi-d7bt)".
    re.compile(r"\b(?:matched|fixed) \([^)]*\)"),
    # snake_case identifiers (not inside e-mail addresses or file names).
    re.compile(r"(?<![\w@.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@-]|\.\w)"),
)

# -- Amounts --------------------------------------------------------------------------------

# A number as it stands in text: not part of a word, a code, a version or a date.
_NUMBER = re.compile(
    r"(?<![\w.,/:#-])"  # not inside a word, a version (v1.3.0), a date or a code
    r"(?P<int>\d+(?:,\d+)*)"
    r"(?:\.(?P<dec>\d+))?"
    r"(?P<exp>e[-+]?\d+)?"
    r"(?![\w/-]|[.:]\d)"  # not followed by more of a date, a time, or a version
)
# Words after which a number is an identifier, not an amount.
_IDENTIFIER_BEFORE = re.compile(
    r"(?:\b(?:SIC|NAICS|CPV|MCC|ProClass|UNSPSC|code|row|rows|line|batch|version|page|"
    r"no\.|number|ref|reference|port|sha256)|#)\s*$",
    re.IGNORECASE,
)
# The unit after which a number below 10 may have three decimals: a ratio in kgCO2e (per £:
# dashboards.format.intensity; per resident: dashboards/layouts/compare.py), so that small
# ratios do not show as 0.0.
_RATIO_UNIT = re.compile(r"^ ?kg ?CO2e\b")
_CALENDAR_YEARS = range(1900, 2101)

# -- Years ----------------------------------------------------------------------------------

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_Y = r"(?:19|20)\d{2}"
_BARE = r"(?![/\d]|[-–]\d)"  # a year standing alone: not a label, a range or a date
_YEAR_RULES = (
    # "FY 2024", "FY2024/25", "FY24"
    re.compile(r"\bFY ?'?\d{2,4}(?:[/-]\d{2,4})?\b", re.IGNORECASE),
    # "2024/2025"
    re.compile(rf"(?<![\w/]){_Y}/{_Y}(?![\w/])"),
    # "2024-25", "2024–25" (a hyphen or an en dash and two digits, not an ISO date)
    re.compile(rf"(?<![\w/-]){_Y}[-–]\d{{2}}(?![\w/-]|–\d)"),
    # A bare year after words that mean a financial year: "financial year 2024",
    # "Financial years 2019, 2020 and 2021", "year 2024", "Year: 2024" (not a factor's
    # "data year 2021", a "calendar year" or a "price year").
    re.compile(rf"\bfinancial years?:? (?:{_Y}(?:, | and | to | or ))*{_Y}{_BARE}", re.IGNORECASE),
    re.compile(
        rf"(?<!data )(?<!calendar )(?<!price )(?<!financial )\byears?:? {_Y}{_BARE}", re.IGNORECASE
    ),
    # A year's report, inventory or figures named by a bare year: "the EMB 2023 report",
    # "2,794 tCO2e in 2023", "Emissions 2023".
    re.compile(
        rf"(?<![\w/]){_Y} (?:report|inventory|workbook|emissions|figures|total|budget)\b",
        re.IGNORECASE,
    ),
    re.compile(rf"\b(?:tCO2e|kgCO2e|emissions) (?:in |for |of )?{_Y}{_BARE}", re.IGNORECASE),
)
_LABEL = re.compile(r"(?<![\w/])(?P<a>(?:19|20)\d{2})/(?P<b>\d{2})(?![\w/])")
_DATE = re.compile(
    rf"\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b"  # 15/06/2024
    rf"|\b\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}})?)?\b"  # 2024-06-15
    rf"|\b\d{{1,2}}:\d{{2}}(?::\d{{2}})?\b"  # 14:05
    rf"|\b(?:\d{{1,2}} )?(?:{_MONTHS}) \d{{4}}\b"  # 15 June 2024, June 2024
)


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    return " ".join(text[max(0, start - width) : end + width].split())


def _raw_codes(text: str) -> list[Violation]:
    found = []
    for rule in _RAW_CODES:
        for m in rule.finditer(text):
            found.append(Violation(RAW_CODE, m.group(0), _context(text, m.start(), m.end())))
    return found


def _amount_fault(m: re.Match[str], text: str) -> bool:
    whole, dec, exp = m.group("int"), m.group("dec"), m.group("exp")
    if exp:
        return True  # 1e-05: a float as Python prints it
    grouped = "," in whole
    digits = whole.replace(",", "")
    if grouped and not re.fullmatch(r"\d{1,3}(?:,\d{3})+", whole):
        return True  # "12,34": separators in the wrong places
    if dec is not None:
        if len(dec) > 2:
            ratio = len(dec) == 3 and int(digits) < 10 and _RATIO_UNIT.match(text[m.end() :])
            return not ratio
        if dec == "0" and not grouped and len(digits) >= 2:
            return True  # "5400.0", "12.0": a float as Python prints it
    if grouped or len(digits) < 4:
        return False
    if dec is None and int(digits) in _CALENDAR_YEARS:
        return False  # a year; the year rules judge it
    before = text[max(0, m.start() - 12) : m.start()]
    return not _IDENTIFIER_BEFORE.search(before)


def _amounts(text: str) -> list[Violation]:
    found = []
    for m in _NUMBER.finditer(text):
        if _amount_fault(m, text):
            found.append(Violation(AMOUNT, m.group(0), _context(text, m.start(), m.end())))
    return found


def _years(text: str) -> list[Violation]:
    found = []
    for rule in _YEAR_RULES:
        for m in rule.finditer(text):
            found.append(Violation(YEAR, m.group(0), _context(text, m.start(), m.end())))
    for m in _LABEL.finditer(text):
        if (int(m.group("a")) + 1) % 100 != int(m.group("b")):
            found.append(Violation(YEAR, m.group(0), _context(text, m.start(), m.end())))
    return found


def _distinct(found: list[Violation]) -> list[Violation]:
    """One violation per piece of text (two rules may find the same code)."""
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for v in found:
        key = (v.kind, v.found, v.context)
        if key not in seen:
            seen.add(key)
            kept.append(v)
    return kept


def violations(text: str) -> list[Violation]:
    """Every raw code, unformatted amount and second year format in ``text``."""
    # Dates are taken out first (replaced by spaces of the same length, so contexts are
    # kept): their digits are neither amounts nor financial years.
    blanked = _DATE.sub(lambda m: " " * len(m.group(0)), text)
    return _distinct([*_raw_codes(text), *_amounts(blanked), *_years(blanked)])


def check_page(text: str, *, page: str, role: str) -> None:
    """Fail naming the page, the role and every offending piece of text."""
    found = violations(text)
    if found:
        listed = "\n  ".join(str(v) for v in found)
        raise AssertionError(f"{page} as {role}: {len(found)} problem(s)\n  {listed}")
