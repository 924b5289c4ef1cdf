"""Does a spend file belong to the authority it is imported for?

A file's organisation column ("Body Name", "Organisation Label", "body_name" ...) or a
title row above its header names the body that published it. These pure functions compare
those names with the authority's own names (its name, its code and any aliases), after
normalising away case, punctuation and the words every council's name carries ("council",
"city of", "metropolitan borough" ...). "Manchester City Council", "MANCHESTER CC" and
"City of Manchester" are one body; "Salford City Council" is another.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: Header texts (normalised: lower case, letters and digits only) of organisation columns.
ORGANISATION_HEADERS: frozenset[str] = frozenset(
    {
        "organisationname",
        "organisationlabel",
        "organisation",
        "organizationname",
        "organization",
        "bodyname",
        "body",
        "authority",
        "authorityname",
        "council",
        "councilname",
        "orgname",
        "orgshortname",
    }
)

#: Words that say what kind of body it is, not which one.
GENERIC_WORDS: frozenset[str] = frozenset(
    {
        "the",
        "of",
        "and",
        "council",
        "city",
        "county",
        "borough",
        "metropolitan",
        "district",
        "royal",
        "london",
        "corporation",
        "authority",
        "combined",
        "unitary",
        "mbc",
        "cc",
        "bc",
        "dc",
        "lbo",
        "lb",
    }
)

#: Words marking a title row as naming a body (a report title without them names none).
_BODY_WORDS: frozenset[str] = frozenset({"council", "borough", "mbc", "authority", "cc"})

_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class NameFound:
    """A body named in a file: where (a column's header, or "title row N") and the text."""

    where: str
    text: str


def is_organisation_header(header: str) -> bool:
    """Whether a column header is one that names the publishing body."""
    return "".join(_WORD.findall(header.lower())) in ORGANISATION_HEADERS


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("&", " and "))


def name_key(text: str) -> str:
    """The distinctive part of a body's name: "Manchester City Council" -> "manchester"."""
    return " ".join(w for w in _words(text) if w not in GENERIC_WORDS)


def initials(text: str) -> str:
    """The initials of a name's words, skipping "of"/"the"/"and": "Stockport Metropolitan
    Borough Council" -> "smbc"."""
    return "".join(w[0] for w in _words(text) if w not in {"of", "the", "and"})


def _is_uri(text: str) -> bool:
    return "://" in text or text.lower().startswith("www.")


def _starts(words: str, start: str) -> bool:
    """Whether the words ``words`` begin with the whole words ``start``."""
    return f"{words} ".startswith(f"{start} ")


def same_body(found: str, names: Sequence[str]) -> bool:
    """Whether ``found`` (a name read from a file) names the body called ``names``.

    True when the distinctive words agree, or one's start with the other's ("Leeds City
    Council as Accountable Body" is Leeds City Council; "salford" is "Salford City
    Council (test)"), or when ``found`` is one word that is the initials of one of
    ``names`` ("SMBC" for Stockport Metropolitan Borough Council) or the code itself.
    A text that is empty after normalising names nobody, so it matches.
    """
    key = name_key(found)
    compact = "".join(_words(found))
    if not compact:
        return True
    for name in names:
        own = name_key(name)
        if own and key and (_starts(key, own) or _starts(own, key)):
            return True
        if len(_words(found)) == 1 and compact in {initials(name), "".join(_words(name))}:
            return True
    return False


def title_names_body(text: str) -> bool:
    """Whether a title row reads as naming a body ("Stockport MBC spend over £500")."""
    return any(w in _BODY_WORDS for w in _words(text))


def title_mentions(text: str, names: Sequence[str]) -> bool:
    """Whether a title row contains the distinctive words of one of ``names``."""
    words = f" {' '.join(_words(text))} "
    return any(name_key(n) and f" {name_key(n)} " in words for n in names)


def other_bodies(found: Iterable[NameFound], names: Sequence[str]) -> list[NameFound]:
    """The names found in a file that are not the authority's (in the order found).

    Organisation columns are compared whole; a title row counts only when it reads as
    naming a body (it says "council", "borough" ...) and mentions none of ``names``.
    URIs (an "Organisation Code" column) are not names and are passed over.
    """
    others: list[NameFound] = []
    for item in found:
        text = item.text.strip()
        if not text or _is_uri(text):
            continue
        if item.where.startswith("title row"):
            if title_names_body(text) and not title_mentions(text, names):
                others.append(item)
        elif not same_body(text, names):
            others.append(item)
    return others


#: Values shown per column before "and N more".
SHOWN_PER_PLACE = 3


def _place(where: str) -> str:
    return where if where.startswith("title row") else f"column {where!r}"


def _values(texts: Sequence[str]) -> str:
    shown = [repr(t) for t in texts[:SHOWN_PER_PLACE]]
    more = len(texts) - len(shown)
    if more:
        return ", ".join(shown) + f" and {more} more"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def describe_other_bodies(file_name: str, others: Sequence[NameFound], authority: str) -> str:
    """Where the file names other bodies than ``authority``: one line per column or title
    row, each with the names it holds ("column 'Body Name' names 'A' and 'B'"); a single
    place reads as one sentence."""
    places: dict[str, list[str]] = {}
    for o in others:
        places.setdefault(o.where, []).append(o.text)
    lines = [f"{_place(where)} names {_values(texts)}" for where, texts in places.items()]
    if len(lines) == 1:
        return f"{file_name}: {lines[0]}, not {authority}."
    listed = "".join(f"\n  {line};" for line in lines[:-1]) + f"\n  {lines[-1]}."
    return f"{file_name} names other bodies than {authority}:{listed}"
