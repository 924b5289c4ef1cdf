"""Build the 2017 NAICS → ISIC Rev.4 → UK SIC 2007 division → Defra group crosswalk.

Source: ``crosswalks/2017_NAICS_to_ISIC_4.xlsx`` (US Census Bureau concordance, sheet
``NAICS 17 to ISIC 4 technical``; ``*`` in ``Part of NAICS US`` / ``Part of ISIC`` marks a
partial link; ISIC classes are stored as integers without the leading zero).

ISIC Rev.4 = NACE Rev.2 = UK SIC 2007 down to the 4-digit class, so an ISIC class ``0111``
is SIC 2007 class ``01.11``, except in the divisions where NACE renumbered ISIC classes
(10, 11, 20, 23, 24, 25, 33, 49, 68): ``ISIC_TO_SIC`` re-points those (ISIC ``2394``
cement → SIC ``23.5``, ISIC ``4921`` urban passenger transport → ``49.31``). Each class is
resolved to a Defra group with the project's SIC crosswalk
(``factors/crosswalks/sic2007_to_defra_group.csv``, longest prefix: class,
then group, then division).

Outputs:

* ``<meta>/naics2017-isic4/links.csv`` + ``metadata.json`` (default ``<meta>`` =
  ``factors/crosswalks``; see ``naics2017_to_sic_division.md`` for why not
  ``factors/data``) — every Census link (one row per NAICS × ISIC pair) with the resolved Defra
  group; provenance and checksums.
* ``factors/crosswalks/naics2017_to_sic_division.csv`` — one row per NAICS-6 code: all ISIC
  classes (``*`` suffix = partial link; a few links are to a 3-digit ISIC group such as
  ``012``), the SIC division of the chosen class, the distinct candidate Defra groups, and
  one chosen group. Choice: the group of the first non-partial
  link, else of the first link. Confidence ``high`` when all links give one group (and it is
  not a division default or an artefact group), ``medium`` when several groups and a
  non-partial link decided, ``low`` otherwise.

Run: ``python -m factors.build.naics_isic_crosswalk [--source DIR] [--meta DIR] [--out FILE]``.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

from factors.build._common import (
    SourceDataError,
    csv_bytes,
    default_source_dir,
    read_source,
    sha256_bytes,
    write_table,
)
from factors.classification import ARTEFACT_GROUPS, CROSSWALK_DIR, TARGET_COLUMNS
from factors.registry import TRADE_DIVISIONS

KEY = "naics2017-isic4"
SOURCE = "crosswalks/2017_NAICS_to_ISIC_4.xlsx"
SOURCE_SHA_PREFIX = "c8d4ba0537fbba4a"
SHEET = "NAICS 17 to ISIC 4 technical"
BUILT_BY = "factors/build/naics_isic_crosswalk.py"
SIC_CROSSWALK = CROSSWALK_DIR / "sic2007_to_defra_group.csv"
TRADE_CROSSWALK = CROSSWALK_DIR / "trade_sic_to_goods.csv"
OUTPUT = CROSSWALK_DIR / "naics2017_to_sic_division.csv"
LINK_HEADER = (
    "naics_code",
    "naics_title",
    "partial_naics",
    "isic_class",
    "partial_isic",
    "isic_title",
    "sic_class",
    "defra_group",
)
HEADER = (
    "naics_code",
    "naics_title",
    "isic_classes",
    "sic_division",
    "candidates",
    *TARGET_COLUMNS,
)


# ISIC Rev.4 and NACE Rev.2 (= UK SIC 2007) agree on divisions, but in a few divisions the
# 4-digit numbering differs; where the difference changes the Defra group the ISIC class is
# re-pointed to its SIC 2007 class or group (facts from the ISIC/NACE structures).
ISIC_TO_SIC: dict[str, str] = {
    "1072": "10.81",
    "1073": "10.82",
    "1074": "10.73",
    "1075": "10.85",
    "1079": "10.8",
    "1080": "10.91",
    "1101": "11.01",
    "1102": "11.02",
    "1103": "11.05",
    "1104": "11.07",
    "2011": "20.1",
    "2012": "20.15",
    "2013": "20.16",
    "2021": "20.20",
    "2022": "20.30",
    "2023": "20.4",
    "2029": "20.5",
    "2030": "20.60",
    "2310": "23.1",
    "2391": "23.2",
    "2392": "23.3",
    "2393": "23.4",
    "2394": "23.5",
    "2395": "23.6",
    "2396": "23.7",
    "2399": "23.9",
    "2410": "24.1",
    "2420": "24.4",
    "2431": "24.5",
    "2432": "24.5",
    "2520": "25.4",
    "3315": "33.17",
    "4911": "49.10",
    "4912": "49.20",
    "4921": "49.31",
    "4922": "49.39",
    "4923": "49.41",
    "4930": "49.50",
    "6820": "68.3",
}


@dataclass(frozen=True)
class Link:
    naics: str
    naics_title: str
    partial_naics: bool
    isic: str
    partial_isic: bool
    isic_title: str


@dataclass(frozen=True)
class SicRule:
    group: str  # "" when the class says nothing about the goods (a trade review row)
    level: str
    note: str  # "artefact", "trade" (from the trade table) or ""
    confidence: str = ""  # the trade table's confidence for a goods group


def load_sic_rules(
    path: Path = SIC_CROSSWALK, trade_path: Path = TRADE_CROSSWALK
) -> dict[str, SicRule]:
    """The SIC crosswalk, with wholesale and retail (46, 47) taken from the trade table:
    a shop's or a wholesaler's class resolves to the goods it trades, or to nothing."""
    with path.open(encoding="utf-8", newline="") as fh:
        rules = {
            row["sic_prefix"]: SicRule(row["defra_group"], row["level"], row["note"])
            for row in csv.DictReader(fh)
            if row["sic_prefix"][:2] not in TRADE_DIVISIONS
        }
    with trade_path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            rules[row["sic_prefix"]] = SicRule(
                row["defra_group"], "class", "trade", row["confidence"]
            )
    return rules


def resolve(isic: str, rules: dict[str, SicRule]) -> SicRule | None:
    """Longest-prefix lookup of ISIC class ``dddd`` (or group ``ddd``) as SIC 2007 ``dd.dd``,
    ``dd.d``, ``dd``. A trade rule without goods is returned (its group is empty)."""
    sic = dotted(isic)
    prefixes = [sic[:i] for i in range(len(sic), 1, -1) if sic[i - 1] != "."]
    for prefix in prefixes:
        rule = rules.get(prefix)
        if rule is not None:
            return rule if rule.group or rule.note == "trade" else None
    return None


def _usable(rule: SicRule | None) -> bool:
    return rule is not None and bool(rule.group) and rule.group not in ARTEFACT_GROUPS


def dotted(isic: str) -> str:
    """ISIC ``0111`` → SIC 2007 ``01.11``; group ``012`` → ``01.2``; see ``ISIC_TO_SIC``."""
    return ISIC_TO_SIC.get(isic, f"{isic[:2]}.{isic[2:]}")


def read_links(data: bytes) -> list[Link]:
    with warnings.catch_warnings():
        # The Census workbook carries an Excel extension openpyxl does not read (and does
        # not need): its warning says nothing about the data.
        warnings.filterwarnings("ignore", "Unknown extension", UserWarning)
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        if SHEET not in wb.sheetnames:
            raise SourceDataError(f"{SOURCE}: sheet {SHEET!r} not found")
        rows = list(wb[SHEET].iter_rows(values_only=True))
    header = [str(c or "").split()[0] if c else "" for c in rows[0][:6]]
    if header[:6] != ["Part", "2017", "2017", "Part", "ISIC", "ISIC"]:
        raise SourceDataError(f"{SOURCE}: unexpected header {rows[0]}")
    links: list[Link] = []
    for n, row in enumerate(rows[1:], start=2):
        part_naics, naics, title, part_isic, isic, isic_title = row[:6]
        if naics in (None, 0, "0"):
            continue  # "Multiple NAICS industries" (ISIC 9810/9820 household links)
        code = str(naics).strip()
        if not code.isdigit() or len(code) != 6:
            raise SourceDataError(f"{SOURCE} row {n}: bad NAICS code {naics!r}")
        isic_text = str(isic).strip()
        # classes lost their leading zero (111 = 0111); a 1-2 digit value is a 3-digit
        # group that lost it (12 = group 012, "Growing of perennial crops")
        isic_code = isic_text.zfill(3) if len(isic_text) <= 2 else isic_text.zfill(4)
        if not isic_code.isdigit():
            raise SourceDataError(f"{SOURCE} row {n}: bad ISIC class {isic!r}")
        links.append(
            Link(
                naics=code,
                naics_title=str(title).strip(),
                partial_naics=str(part_naics or "").strip() == "*",
                isic=isic_code,
                partial_isic=str(part_isic or "").strip() == "*",
                isic_title=str(isic_title or "").strip(),
            )
        )
    return links


def crosswalk_rows(links: Sequence[Link], rules: dict[str, SicRule]) -> list[tuple[str, ...]]:
    by_code: dict[str, list[Link]] = {}
    for link in links:
        by_code.setdefault(link.naics, []).append(link)
    out: list[tuple[str, ...]] = []
    for code in sorted(by_code):
        group_links = by_code[code]
        resolved = [(link, resolve(link.isic, rules)) for link in group_links]
        if all(rule is None for _, rule in resolved):
            raise SourceDataError(f"NAICS {code}: no ISIC link resolves to a Defra group")
        # Artefact groups are never a target (policy §5): set aside, with the reason.
        groups = [r.group for _, r in resolved if r is not None]
        refused = list(dict.fromkeys(g for g in groups if g in ARTEFACT_GROUPS))
        mapped = [(link, rule) for link, rule in resolved if _usable(rule)]
        isic_classes = ";".join(
            link.isic + ("*" if link.partial_isic else "") for link in group_links
        )
        candidates = list(dict.fromkeys(rule.group for _, rule in mapped if rule is not None))
        if not mapped:
            out.append(_review_row(code, group_links, isic_classes, refused))
            continue
        whole = [(link, rule) for link, rule in mapped if not link.partial_isic]
        chosen_link, chosen = whole[0] if whole else mapped[0]
        assert chosen is not None
        notes: list[str] = []
        if len(candidates) == 1:
            confidence = "high"
        elif whole:
            confidence = "medium"
            notes.append("several Defra groups; chose the first non-partial ISIC link")
        else:
            confidence = "low"
            notes.append("several Defra groups, all links partial; chose the first")
        if chosen.level == "division-default":
            confidence = "low" if confidence == "medium" else "medium"
            notes.append(f"SIC division {chosen_link.isic[:2]} default group")
        if chosen.note == "trade":
            if chosen.confidence == "medium" and confidence == "high":
                confidence = "medium"
            notes.append(f"a trade class: the goods traded (SIC {dotted(chosen_link.isic)})")
        if refused or any(r is not None and not r.group for _, r in resolved):
            confidence = "low"
            notes.append(_set_aside(refused))
        out.append(
            (
                code,
                group_links[0].naics_title,
                isic_classes,
                dotted(chosen_link.isic)[:2],
                ";".join(candidates),
                chosen.group,
                "1",
                "",
                "",
                confidence,
                "; ".join(notes),
            )
        )
    return out


def _set_aside(refused: Sequence[str]) -> str:
    if refused:
        return f"artefact group {', '.join(refused)} set aside (policy §5)"
    return "a trade class that does not say which goods set aside"


def _review_row(
    code: str, links: Sequence[Link], isic_classes: str, refused: Sequence[str]
) -> tuple[str, ...]:
    """No link names what was bought: the row decides nothing and the line goes to review."""
    if refused:
        why = f"review: its only groups are artefact groups ({', '.join(refused)}), policy §5"
    else:
        why = "review: a trade class that does not say which goods, policy §5"
    return (code, links[0].naics_title, isic_classes, dotted(links[0].isic)[:2], "", "", "",
            "", "", "", why)  # fmt: skip


def build(
    source_dir: Path, meta_dir: Path = CROSSWALK_DIR, crosswalk_file: Path = OUTPUT
) -> list[Path]:
    data, digest = read_source(source_dir, SOURCE, SOURCE_SHA_PREFIX)
    links = read_links(data)
    rules = load_sic_rules()
    link_rows = []
    for link in links:
        rule = resolve(link.isic, rules)
        link_rows.append(
            (
                link.naics,
                link.naics_title,
                "*" if link.partial_naics else "",
                link.isic,
                "*" if link.partial_isic else "",
                link.isic_title,
                dotted(link.isic),
                rule.group if rule is not None else "",
            )
        )
    table = crosswalk_rows(links, rules)
    crosswalk = csv_bytes(HEADER, table)
    crosswalk_file.parent.mkdir(parents=True, exist_ok=True)
    crosswalk_file.write_bytes(crosswalk)
    metadata: dict[str, Any] = {
        "key": KEY,
        "title": "2017 NAICS to ISIC Rev.4 links, resolved to UK SIC 2007 and Defra groups",
        "publisher": "US Census Bureau (concordance); Defra group resolution by this project",
        "licence": "US federal government work, public domain",
        "source_url": "https://www.census.gov/naics/concordances/ (copy from "
        "insongkim/concordance, data-raw/2017_NAICS_to_ISIC_4.xlsx, commit 90cd7d3f)",
        "source_file": Path(SOURCE).name,
        "source_sheet": SHEET,
        "source_sha256": digest,
        "sic_crosswalk_file": "factors/crosswalks/sic2007_to_defra_group.csv",
        "sic_crosswalk_sha256": sha256_bytes(SIC_CROSSWALK.read_bytes()),
        "trade_crosswalk_file": "factors/crosswalks/trade_sic_to_goods.csv",
        "trade_crosswalk_sha256": sha256_bytes(TRADE_CROSSWALK.read_bytes()),
        "crosswalk_file": "factors/crosswalks/naics2017_to_sic_division.csv",
        "crosswalk_sha256": sha256_bytes(crosswalk),
        "crosswalk_row_count": len(table),
        "row_count": len(link_rows),
        "partial_isic_links": sum(1 for link in links if link.partial_isic),
        "code_note": "ISIC Rev.4 class dddd = UK SIC 2007 class dd.dd; a '*' marks a partial "
        "link in the Census file. Rows for 'Multiple NAICS industries' (NAICS 0, ISIC "
        "9810/9820) are left out.",
        "isic_to_sic_overrides": ISIC_TO_SIC,
        "built_by": BUILT_BY,
    }
    written = write_table(meta_dir / KEY, "links.csv", csv_bytes(LINK_HEADER, link_rows), metadata)
    return [crosswalk_file, *written]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the NAICS 2017 → Defra group crosswalk")
    parser.add_argument("--source", type=Path, default=None, help="shared data/factors folder")
    parser.add_argument("--meta", type=Path, default=CROSSWALK_DIR, help="links + metadata root")
    parser.add_argument("--out", type=Path, default=OUTPUT, help="crosswalk CSV")
    args = parser.parse_args(argv)
    try:
        written = build(args.source or default_source_dir(), args.meta, args.out)
    except SourceDataError as exc:
        parser.exit(2, f"error: {exc}\n")
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
