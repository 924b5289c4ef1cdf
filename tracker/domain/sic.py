"""UK SIC 2007 codes: normalising raw values and resolving them to Defra product groups.

Pure functions, no I/O. The reference data come in as arguments:

* ``ch_codes`` — Companies House integer code → ``(code as written, scheme)``, as returned
  by :func:`factors.registry.load_companies_house_sic`. It repairs codes that lost their
  leading zeros (``2400`` → ``02400``) and recognises legacy SIC 2003 codes (``9305``).
* ``crosswalk`` — SIC 2007 prefix (``"62"``, ``"10.1"``, ``"20.11"``, ``"46.34/1"``) → rule,
  as returned by :func:`factors.registry.load_sic_crosswalk`. The longest matching prefix
  wins.

Two policies of the classification policy (§5) are applied here:

* Wholesale and retail (46, 47) resolve through the trade table's rules (``note`` ``"trade"``,
  from ``factors/crosswalks/trade_sic_to_goods.csv``) to the group of the goods traded; a
  class that does not say which goods resolves to no group, so the line goes to review.
* Artefact groups (``factors.classification.ARTEFACT_GROUPS``: 7, 24.4-5, 46, 47, 65.3) are
  never a result: a code that resolves to one has no group, and the reason says so.

Typical use::

    resolver = SicResolver(load_sic_crosswalk(), load_companies_house_sic())
    match = resolver.resolve("62090 - Business and domestic software development")
    match.defra_group  # "62"
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol

# The one set of groups never used as a factor, and why (policy §5); the reference table
# module is pure data, so the domain reads the set from there.
from factors.classification import ARTEFACT_GROUPS, ARTEFACT_WHY

SicScheme = Literal["SIC2007", "SIC2003"]
SicLevel = Literal["division", "group", "class", "subclass"]
MatchLevel = Literal["subclass", "class", "group", "division", "division-default"]

ARTEFACT = "artefact"
TRADE = "trade"
REASON_NO_CODE = "no SIC code"
REASON_SIC2003 = "SIC 2003 code"
REASON_ARTEFACT = "artefact group"
REASON_NO_GOODS = "trade class does not say which goods"

_LEVEL_BY_LENGTH: dict[int, SicLevel] = {2: "division", 3: "group", 4: "class", 5: "subclass"}
_MATCH_LEVELS: frozenset[str] = frozenset(
    {"subclass", "class", "group", "division", "division-default"}
)
_NONE_WORDS = frozenset({"", "none", "none supplied", "n/a", "na", "-", "null"})
# "62090 - Business and domestic software development" / "62.09: ..." → code part, title
_WITH_TITLE = re.compile(r"(?P<code>[0-9][0-9./]*)\s*(?:[-–:]\s*(?P<title>.*))?")
# "62.0", "62.09", "62.090", "62.09/0", and "1.11" (division lost its leading zero)
_DOTTED = re.compile(r"(?P<div>\d{1,2})\.(?P<rest>\d{1,3}|\d{2}/\d)")
# spreadsheet floats: "2400.0", "62090.0"
_FLOAT_INT = re.compile(r"(?P<int>\d{3,5})\.0+")


class CrosswalkRule(Protocol):
    """What the resolver needs from a crosswalk row (see ``factors.registry.CrosswalkEntry``)."""

    @property
    def defra_group(self) -> str | None: ...

    @property
    def level(self) -> str: ...

    @property
    def note(self) -> str: ...

    @property
    def comment(self) -> str: ...

    @property
    def confidence(self) -> str: ...  # trade rules: "high" / "medium"; others ""

    @property
    def title(self) -> str: ...  # trade rules: the SIC title; others ""


@dataclass(frozen=True, slots=True)
class SicCode:
    """A recognised SIC code; ``digits`` has no dots (``62``, ``620``, ``6209``, ``62090``)."""

    digits: str
    scheme: SicScheme
    title: str | None = field(default=None, compare=False)

    @property
    def level(self) -> SicLevel:
        if self.scheme == "SIC2003":
            return "class"
        return _LEVEL_BY_LENGTH[len(self.digits)]

    @property
    def dotted(self) -> str:
        """UK notation: ``62``, ``62.0``, ``62.09``, ``62.09/0`` (SIC 2003: ``93.05``)."""
        d = self.digits
        if len(d) == 2:
            return d
        if len(d) == 5:
            return f"{d[:2]}.{d[2:4]}/{d[4]}"
        return f"{d[:2]}.{d[2:]}"

    def prefixes(self) -> tuple[str, ...]:
        """Crosswalk keys to try, longest first: subclass ``46.34/1`` (only a real one, not
        ``/0``), class ``62.09``, group ``62.0``, then ``62``."""
        d = self.digits
        keys = [f"{d[:2]}.{d[2:4]}/{d[4]}"] if len(d) == 5 and d[4] != "0" else []
        if len(d) >= 4:
            keys.append(f"{d[:2]}.{d[2:4]}")
        if len(d) >= 3:
            keys.append(f"{d[:2]}.{d[2]}")
        keys.append(d[:2])
        return tuple(keys)


@dataclass(frozen=True, slots=True)
class UnusableSic:
    """A raw value that is not a usable SIC code, with the reason."""

    raw: str
    reason: str


@dataclass(frozen=True, slots=True)
class SicMatch:
    """Outcome of resolving one raw value to a Defra product group.

    ``defra_group`` is None when unmapped, and ``reason`` then says why (for the review
    queue). ``level`` is the precision of the crosswalk rule used (``division-default`` = a
    guess among the groups of a split division — lower the data quality). ``warning`` is
    ``"artefact"`` when the code's own group is an artefact of tiny final demand (e.g. 46
    wholesale); such a match has no group. ``trade`` is True when a wholesale or retail
    code went through the trade table: ``comment`` then says which goods group and why
    (``"Wholesale of computers, … → goods group 26: …"``) and ``confidence`` is the trade
    table's (``high`` where the class names the goods, ``medium`` a family of goods).
    """

    raw: str
    sic2007: str | None
    defra_group: str | None
    level: MatchLevel | None
    warning: str | None = None
    reason: str | None = None
    scheme: SicScheme | None = None
    matched_prefix: str | None = None
    comment: str | None = None
    trade: bool = False
    confidence: str | None = None

    @property
    def mapped(self) -> bool:
        return self.defra_group is not None


def _digits_code(
    digits: str, ch_codes: Mapping[str, tuple[str, str]], raw: str, title: str | None
) -> SicCode | UnusableSic | None:
    if set(digits) == {"0"}:
        return None
    if len(digits) == 5:
        return SicCode(digits, "SIC2007", title)
    if len(digits) > 5:
        return UnusableSic(raw, f"too many digits for a SIC code: {digits!r}")
    as_int = str(int(digits))
    known = ch_codes.get(as_int)
    if known is not None and (digits == as_int or known[0] == digits):
        # Either a bare integer that may have lost leading zeros, or exactly as CH writes it.
        code, scheme = known
        if scheme == "SIC2007":
            return SicCode(code, "SIC2007", title)
        if scheme == "SIC2003":
            return SicCode(code, "SIC2003", title)
        candidates = " or ".join(code.split("|"))
        return UnusableSic(
            raw, f"ambiguous integer SIC code {digits}: Companies House uses it for {candidates}"
        )
    if len(digits) == 4:
        return SicCode(digits, "SIC2007", title)  # a class written without its dot
    if len(digits) <= 2:
        return SicCode(digits.zfill(2), "SIC2007", title)
    return UnusableSic(raw, f"3-digit value {digits!r} is not a known Companies House code")


def normalise_sic(
    raw: str | int | None, ch_codes: Mapping[str, tuple[str, str]]
) -> SicCode | UnusableSic | None:
    """Recognise a raw SIC value. Returns None for "no code" (empty, ``0``, ``00000``).

    Accepts ``62090``, ``62.09``, ``6209``, ``62.090``, ``62.09/0``, ``62``,
    ``"62090 - Business and domestic software development"``, spreadsheet floats
    (``2400.0``) and integer-ised Companies House codes (``2400`` → ``02400``; ``9305`` →
    SIC 2003). A 4-digit value not in the Companies House table is read as a SIC 2007
    class (``6201`` → 62.01).
    """
    if raw is None:
        return None
    text = str(raw).strip()
    if text.lower() in _NONE_WORDS:
        return None
    m = _WITH_TITLE.fullmatch(text)
    if m is None:
        return UnusableSic(text, f"not a SIC code: {text[:60]!r}")
    code = m.group("code").rstrip(".")
    title = (m.group("title") or "").strip() or None
    if title is not None and title.lower() in _NONE_WORDS:
        title = None
    f = _FLOAT_INT.fullmatch(code)
    if f is not None:
        code = f.group("int")
    if code.isdigit():
        return _digits_code(code, ch_codes, text, title)
    d = _DOTTED.fullmatch(code)
    if d is None:
        return UnusableSic(text, f"not a SIC code: {text[:60]!r}")
    digits = d.group("div").zfill(2) + d.group("rest").replace("/", "")
    if set(digits) == {"0"}:
        return None
    return SicCode(digits, "SIC2007", title)


def _artefact_reason(group: str, comment: str) -> str:
    why = ARTEFACT_WHY.get(group) or comment or "multiplier of tiny final demand"
    return (
        f"{REASON_ARTEFACT}: {why} (Defra group {group} is never used as a factor, "
        "classification policy §5)"
    )


def resolve_defra_group(
    code: SicCode, crosswalk: Mapping[str, CrosswalkRule], raw: str | None = None
) -> SicMatch:
    """Map a recognised code to its Defra group by the longest matching crosswalk prefix.

    A rule of the trade table gives the goods group (or none: review); a rule that ends on
    an artefact group gives no group, with ``warning`` ``"artefact"`` and the reason.
    """
    raw_text = code.digits if raw is None else raw
    if code.scheme == "SIC2003":
        return SicMatch(raw_text, None, None, None, reason=REASON_SIC2003, scheme="SIC2003")
    for prefix in code.prefixes():
        rule = crosswalk.get(prefix)
        if rule is None:
            continue
        if rule.level not in _MATCH_LEVELS:
            raise ValueError(f"crosswalk rule {prefix!r} has invalid level {rule.level!r}")
        trade = rule.note == TRADE
        group = rule.defra_group
        if group is not None and (rule.note == ARTEFACT or group in ARTEFACT_GROUPS):
            return SicMatch(
                raw_text,
                code.digits,
                None,
                None,
                warning=ARTEFACT,
                reason=_artefact_reason(group, rule.comment),
                scheme="SIC2007",
                matched_prefix=prefix,
                comment=rule.comment or None,
                trade=trade,
            )
        if group is None:
            if trade:
                reason = f"{REASON_NO_GOODS}: SIC {prefix} {rule.title}"
            else:
                reason = f"SIC {prefix} has no Defra product group"
            if rule.comment:
                reason += f" ({rule.comment})"
            return SicMatch(
                raw_text,
                code.digits,
                None,
                None,
                reason=reason,
                scheme="SIC2007",
                matched_prefix=prefix,
                comment=rule.comment or None,
                trade=trade,
            )
        level: MatchLevel = rule.level  # type: ignore[assignment]  # checked above
        comment = rule.comment or None
        if trade:
            comment = f"SIC {prefix} {rule.title} → goods group {group}"
            if rule.comment:
                comment += f": {rule.comment}"
        return SicMatch(
            raw_text,
            code.digits,
            group,
            level,
            scheme="SIC2007",
            matched_prefix=prefix,
            comment=comment,
            trade=trade,
            confidence=rule.confidence if trade else None,
        )
    return SicMatch(
        raw_text,
        code.digits,
        None,
        None,
        reason=f"no crosswalk entry for SIC 2007 division {code.digits[:2]}",
        scheme="SIC2007",
    )


class SicResolver:
    """Resolve raw SIC values to Defra groups, caching one result per distinct raw value."""

    def __init__(
        self,
        crosswalk: Mapping[str, CrosswalkRule],
        ch_codes: Mapping[str, tuple[str, str]],
    ) -> None:
        bad = sorted(p for p, r in crosswalk.items() if r.level not in _MATCH_LEVELS)
        if bad:
            raise ValueError(f"crosswalk rules with invalid level: {', '.join(bad)}")
        self._crosswalk = crosswalk
        self._ch_codes = ch_codes
        self._cache: dict[str, SicMatch] = {}

    def normalise(self, raw: str | int | None) -> SicCode | UnusableSic | None:
        return normalise_sic(raw, self._ch_codes)

    def resolve(self, raw: str | int | None) -> SicMatch:
        key = "" if raw is None else str(raw)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        code = normalise_sic(key, self._ch_codes)
        if code is None:
            match = SicMatch(key, None, None, None, reason=REASON_NO_CODE)
        elif isinstance(code, UnusableSic):
            match = SicMatch(key, None, None, None, reason=code.reason)
        else:
            match = resolve_defra_group(code, self._crosswalk, raw=key)
        self._cache[key] = match
        return match

    __call__ = resolve
