"""Supplier identity: one company however contracts and spend files spell it.

Pure functions, no database. Contract parties and spend payees name suppliers in many
ways ("CIVICA UK LIMITED", "Civica UK Ltd.", "Ove Arup &amp; Partners Ltd") and sometimes
carry a registry identifier (Companies House "GB-COH" ``01628868``, written ``gb/01628868``
or ``1628868``; the Charity Commission "GB-CHC"; Scottish companies ``SC…``). The rules:

- an identifier match beats a name match: the same scheme and number is the same supplier,
  whatever the names;
- two different numbers in the same scheme are two suppliers, however alike the names
  (a group's subsidiaries are separate companies, each with its own emissions and plan);
- otherwise the same normalised name is the same supplier, and a similar name is
  *doubtful*: kept apart until an admin accepts or rejects the merge.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

# Legal forms dropped from the matching name (a company's name without its form is what
# buyers type; "Ltd" and "Limited" are the same company).
_LEGAL_FORMS = frozenset(
    {"ltd", "limited", "limted", "plc", "llp", "lp", "inc", "incorporated", "corp", "gmbh", "cic"}
)
# Legal forms of other countries, dropped only at the end of a name ("Granicus LLC",
# "Arup Singapore Pte Ltd"), where they cannot be a word of the name itself.
_TRAILING_FORMS = frozenset({"llc", "pte", "pty", "bv", "nv", "ag", "sa", "sas", "srl", "oy", "ab"})
_TRADING_AS = re.compile(r"\s(?:t/a|ta|t\.a\.|trading as)\s", re.IGNORECASE)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Multi-word spellings that mean one word for matching.
_PHRASES = (
    (re.compile(r"\bu\s?\.?\s?k\b\.?"), "uk"),
    (re.compile(r"\bunited kingdom\b"), "uk"),
    (re.compile(r"&|\+"), " and "),
)
# "& Co" / "and Company" at the end is part of the legal form.
_TRAILING_CO = re.compile(r"(?:\s+and)?\s+(?:co|company)$")

SCHEME_NAMES = {
    "GB-COH": "Companies House number",
    "GB-CHC": "Charity Commission number",
    "GB-SC": "Scottish Charity Regulator number",
}

# A name at least this alike (difflib ratio of the matching names) is a doubtful merge.
DOUBTFUL_RATIO = 0.85


def _unescape(name: str) -> str:
    # Some files are escaped twice ("&amp;#039;"); unescape until stable (bounded).
    for _ in range(3):
        plain = html.unescape(name)
        if plain == name:
            break
        name = plain
    return name.replace("\xa0", " ")


def split_trading_name(name: str) -> tuple[str, str | None]:
    """The legal name and the trading name of "LEWIS LIVE LIMITED T/A LIVE GROUP".

    >>> split_trading_name("Haricovert Ltd t/a Trinity House Orthodontics")
    ('Haricovert Ltd', 'Trinity House Orthodontics')
    >>> split_trading_name("Civica UK Ltd")
    ('Civica UK Ltd', None)
    """
    plain = " ".join(_unescape(name).split())
    parts = _TRADING_AS.split(f" {plain} ", maxsplit=1)
    if len(parts) == 2 and parts[0].strip() and parts[1].strip():
        return parts[0].strip(), parts[1].strip()
    return plain, None


def match_name(name: str) -> str:
    """The name as compared for identity: HTML entities decoded, case-folded, the
    trading name after "T/A" dropped, "&"/"+" read as "and", "U.K." and "United Kingdom"
    as "uk", punctuation removed, and legal forms (Ltd, Limited, PLC, LLP, & Co …) dropped.

    >>> match_name("Ove Arup &amp; Partners Limited")
    'ove arup and partners'
    >>> match_name("COMPUTACENTER (U K) LTD")
    'computacenter uk'
    >>> match_name("LEWIS LIVE LIMITED T/A LIVE GROUP")
    'lewis live'
    """
    legal, _trading = split_trading_name(name)
    text = legal.casefold()
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    text = " ".join(_NON_ALNUM.sub(" ", text).split())
    words = text.split()
    while len(words) > 1 and (words[-1] in _LEGAL_FORMS or words[-1] in _TRAILING_FORMS):
        words.pop()
    text = " ".join(words)
    stripped = _TRAILING_CO.sub("", text)
    if stripped:
        text = stripped
    words = [w for w in text.split() if w not in _LEGAL_FORMS]
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    return " ".join(words)


@dataclass(frozen=True, order=True)
class Identifier:
    """A registry identifier, normalised: ``Identifier("GB-COH", "01628868")``."""

    scheme: str
    value: str

    def label(self) -> str:
        return f"{SCHEME_NAMES.get(self.scheme, self.scheme)} {self.value}"


_COH = re.compile(r"^(?:[A-Z]{2}\d{6}|\d{8})$")
_COH_PREFIXED = re.compile(r"^(?P<prefix>[A-Z]{2})(?P<digits>\d{1,6})$")
_DIGITS = re.compile(r"^\d{1,8}$")
_CHC = re.compile(r"^\d{6,8}(?:-\d{1,2})?$")
_SC_CHARITY = re.compile(r"^SC\d{6}$")


def normalise_identifier(scheme: str | None, raw: str | None) -> Identifier | None:
    """The identifier in its registry's own form, or None when it is missing or is not a
    valid number of that registry ("0", "N/A", a header leaked into the data).

    Companies House numbers are eight characters: eight digits (``2165763``, ``gb/02165763``
    → ``02165763``) or two letters and six digits (``SC319443``, ``OC309402``, ``NI…``).
    A bare number with no scheme is read as a Companies House number, as the Transparency
    Code's "Supplier registered company number" column is.

    >>> normalise_identifier("GB-COH", "gb/02165763")
    Identifier(scheme='GB-COH', value='02165763')
    >>> normalise_identifier(None, "1628868")
    Identifier(scheme='GB-COH', value='01628868')
    >>> normalise_identifier("GB-COH", "0") is None
    True
    """
    if raw is None:
        return None
    value = re.sub(r"\s+", "", str(raw)).upper()
    scheme_norm = (scheme or "GB-COH").strip().upper()
    if value.endswith(".0") and value[:-2].isdigit():
        value = value[:-2]  # a spreadsheet read the number as a float
    for prefix in ("GB-COH-", "GB-CHC-", "GB-SC-", "GB/", "GB-", "UK/"):
        if value.startswith(prefix):
            value = value[len(prefix) :]
            break
    if scheme_norm == "GB-COH":
        if _DIGITS.match(value):
            value = value.zfill(8)
        else:
            m = _COH_PREFIXED.match(value)
            if m:
                value = m["prefix"] + m["digits"].zfill(6)
        if not _COH.match(value) or value.strip("0") == "":
            return None
        return Identifier("GB-COH", value)
    if scheme_norm == "GB-CHC":
        if not _CHC.match(value) or value.strip("0-") == "":
            return None
        return Identifier("GB-CHC", value)
    if scheme_norm == "GB-SC":
        if _DIGITS.match(value):
            value = "SC" + value.zfill(6)
        if not _SC_CHARITY.match(value):
            return None
        return Identifier("GB-SC", value)
    if not value or value.strip("0") == "" or len(value) > 64:
        return None
    return Identifier(scheme_norm[:32], value)


@dataclass(frozen=True)
class SupplierFacts:
    """What is known of a supplier for deciding identity: its names and identifiers."""

    name: str
    identifiers: frozenset[Identifier] = frozenset()


@dataclass(frozen=True)
class Decision:
    verdict: str  # same | doubtful | different
    reasons: tuple[str, ...]
    score: float  # 1.0 same by identifier; the name likeness otherwise


def name_likeness(a: str, b: str) -> float:
    """How alike two matching names are, 0 to 1 (difflib's ratio; 1.0 when equal).

    Below :data:`DOUBTFUL_RATIO` the figure is difflib's quick upper bound, not the exact
    ratio: it only has to say "not alike enough".
    """
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    # The cheap upper bounds first: most pairs in a block are far apart.
    if matcher.real_quick_ratio() < DOUBTFUL_RATIO or matcher.quick_ratio() < DOUBTFUL_RATIO:
        return matcher.quick_ratio()
    return matcher.ratio()


def _contained(a: str, b: str) -> bool:
    """One name is the other with words added ("civica" within "civica uk")."""
    wa, wb = a.split(), b.split()
    if not wa or not wb or wa == wb:
        return False
    short, long_ = (wa, wb) if len(wa) < len(wb) else (wb, wa)
    return long_[: len(short)] == short and len("".join(short)) >= 4


def decide(a: SupplierFacts, b: SupplierFacts) -> Decision:
    """Same, doubtful or different, with the reasons in words."""
    shared = sorted(a.identifiers & b.identifiers)
    if shared:
        return Decision("same", (f"same {shared[0].label()}",), 1.0)
    schemes_a = {i.scheme: i for i in a.identifiers}
    for ident in sorted(b.identifiers):
        other = schemes_a.get(ident.scheme)
        if other is not None:
            return Decision(
                "different",
                (
                    f"different {SCHEME_NAMES.get(ident.scheme, ident.scheme)}s "
                    f"({other.value} and {ident.value})",
                ),
                0.0,
            )
    ma, mb = match_name(a.name), match_name(b.name)
    if not ma or not mb:
        return Decision("different", ("no name to compare",), 0.0)
    if ma == mb:
        return Decision("same", (f"same name once normalised ({ma!r})",), 1.0)
    likeness = name_likeness(ma, mb)
    if _contained(ma, mb):
        return Decision(
            "doubtful",
            (f"one name is the other with words added ({ma!r} and {mb!r})",),
            round(likeness, 3),
        )
    trading_a, trading_b = split_trading_name(a.name)[1], split_trading_name(b.name)[1]
    for trading, other_name in ((trading_a, mb), (trading_b, ma)):
        if trading and match_name(trading) == other_name:
            return Decision(
                "doubtful",
                (f"one trades as the other's name ({other_name!r})",),
                round(likeness, 3),
            )
    if likeness >= DOUBTFUL_RATIO:
        return Decision(
            "doubtful",
            (f"similar names ({ma!r} and {mb!r}, {likeness:.0%} alike)",),
            round(likeness, 3),
        )
    return Decision("different", (f"different names ({ma!r} and {mb!r})",), round(likeness, 3))


def trading_key(name: str) -> str | None:
    """The matching name of the name a supplier trades as ("… T/A Live Group"), if any."""
    trading = split_trading_name(name)[1]
    return match_name(trading) if trading else None


def may_be_doubtful(ma: str, trading_a: str | None, mb: str, trading_b: str | None) -> bool:
    """False when :func:`decide` cannot call two suppliers doubtful, from their matching
    names (``match_name``) and those of their trading names (:func:`trading_key`) alone:
    neither name is the other with words added, neither trades as the other's name, and
    their lengths alone put them below :data:`DOUBTFUL_RATIO` (difflib's
    ``real_quick_ratio``, an upper bound of the likeness). True when they may be (or are
    the same name, which ``decide`` settles).

    >>> may_be_doubtful("civica", None, "civica uk", None)
    True
    >>> may_be_doubtful("civic centre services", None, "civica", None)
    False
    """
    if not ma or not mb:
        return False
    if 2 * min(len(ma), len(mb)) / (len(ma) + len(mb)) >= DOUBTFUL_RATIO:
        return True
    return _contained(ma, mb) or trading_a == mb or trading_b == ma


@dataclass(frozen=True)
class Resolution:
    """Where a name (and identifiers) lands among the known suppliers.

    ``verdict``: ``same`` (``supplier_id`` is the supplier), ``doubtful`` (a new supplier is
    needed, and ``candidate_id`` is one it may be: a merge to review) or ``new``.
    """

    verdict: str
    supplier_id: int | None
    candidate_id: int | None
    reasons: tuple[str, ...]
    score: float


class IdentityIndex:
    """The known suppliers in memory, to resolve many names in one pass (an import).

    Lookups by identifier and by matching name are exact; doubtful candidates are looked
    for only among suppliers whose matching name starts with the same three letters, so a
    file of thousands of names is resolved without comparing every pair. Within those,
    :func:`decide` runs only on the pairs it could call doubtful (:func:`may_be_doubtful`,
    from names normalised once per supplier): the others it would call different.
    """

    def __init__(self) -> None:
        self._facts: dict[int, SupplierFacts] = {}
        self._by_identifier: dict[Identifier, int] = {}
        self._by_match: dict[str, list[int]] = {}
        self._by_prefix: dict[str, set[int]] = {}
        # The matching name of each supplier's name in _facts, and of its trading name.
        self._names: dict[int, tuple[str, str | None]] = {}

    def add(self, supplier_id: int, facts: SupplierFacts) -> None:
        """Know a supplier (again: identifiers are added to what is known of it)."""
        key = match_name(facts.name)  # every spelling known is indexed
        old = self._facts.get(supplier_id)
        if old is not None:
            facts = SupplierFacts(old.name, old.identifiers | facts.identifiers)
        else:
            self._names[supplier_id] = (key, trading_key(facts.name))
        self._facts[supplier_id] = facts
        for ident in facts.identifiers:
            self._by_identifier.setdefault(ident, supplier_id)
        if key and supplier_id not in self._by_match.get(key, []):
            self._by_match.setdefault(key, []).append(supplier_id)
            self._by_prefix.setdefault(key[:3], set()).add(supplier_id)

    def facts(self, supplier_id: int) -> SupplierFacts:
        return self._facts[supplier_id]

    def resolve(self, facts: SupplierFacts) -> Resolution:
        for ident in sorted(facts.identifiers):
            found = self._by_identifier.get(ident)
            if found is not None:
                return Resolution("same", found, None, (f"same {ident.label()}",), 1.0)
        key = match_name(facts.name)
        if not key:
            return Resolution("new", None, None, ("no name to compare",), 0.0)
        best: tuple[float, int, Decision] | None = None
        for sid in self._by_match.get(key, []):
            # A spelling this supplier is known by: the same unless the numbers differ.
            known = SupplierFacts(facts.name, self._facts[sid].identifiers)
            decision = decide(known, facts)
            if decision.verdict == "same":
                return Resolution("same", sid, None, decision.reasons, decision.score)
        trading = trading_key(facts.name)
        for sid in sorted(self._by_prefix.get(key[:3], ())):
            known_key, known_trading = self._names[sid]
            if not may_be_doubtful(known_key, known_trading, key, trading):
                continue
            decision = decide(self._facts[sid], facts)
            if decision.verdict == "doubtful" and (best is None or decision.score > best[0]):
                best = (decision.score, sid, decision)
        if best is not None:
            return Resolution("doubtful", None, best[1], best[2].reasons, best[0])
        return Resolution("new", None, None, ("no known supplier by that identifier or name",), 0.0)
