"""Build ``factors/crosswalks/proclass_c17_to_defra.csv`` from ProClass C17.1 and our rules.

ProClass carries no official SIC or Defra mapping; the mapping is authored by this project
as the rule table ``factors/crosswalks/proclass_rules.csv`` (level1 / level2 / level3 →
target, ``*`` = any). Each ProClass code takes the most specific rule that matches its
titles: a level-3 rule beats a level-2 rule (``level3 = *``), which beats the level-1
rule (``level2 = level3 = *``). The level-1 rule also covers the heading row and any
level-2 entry without a rule of its own. Titles are compared case-insensitively with
whitespace collapsed.

Source: ``proclass/proclass_17.csv`` in the shared data (586 codes; sha256 37c3437f…).
Output: one row per code, ordered by code, columns ``proclass_code,proclass_title,
defra_group,scope3_category,exclude_reason,if_included,confidence,note``. The build fails
if a code has no rule, a rule matches nothing, or a target is invalid.

Run: ``python -m factors.build.proclass_crosswalk [--source DIR] [--out FILE]``.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from factors.build._common import SourceDataError, csv_bytes, default_source_dir, read_source
from factors.classification import (
    CROSSWALK_DIR,
    TARGET_COLUMNS,
    load_exclusions,
    parse_target,
)

SOURCE = "proclass/proclass_17.csv"
SOURCE_SHA_PREFIX = "37c3437f055dcab5"
RULES = CROSSWALK_DIR / "proclass_rules.csv"
OUTPUT = CROSSWALK_DIR / "proclass_c17_to_defra.csv"
HEADER = ("proclass_code", "proclass_title", *TARGET_COLUMNS)
EXPECTED_CODES = 586
WILD = "*"


@dataclass(frozen=True)
class ProclassRule:
    line: int
    levels: tuple[str, str, str]
    row: dict[str, str]

    @property
    def specificity(self) -> int:
        return sum(1 for level in self.levels if level != WILD)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def read_rules(path: Path = RULES) -> list[ProclassRule]:
    reasons = frozenset(load_exclusions())
    text = path.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    expected = ["level1", "level2", "level3", *TARGET_COLUMNS]
    if reader.fieldnames != expected:
        raise SourceDataError(f"{path.name}: header {reader.fieldnames}, expected {expected}")
    rules: list[ProclassRule] = []
    seen: set[tuple[str, str, str]] = set()
    for n, row in enumerate(reader, start=2):
        levels = (_key(row["level1"]), _key(row["level2"]), _key(row["level3"]))
        if levels[0] == WILD or (levels[1] == WILD and levels[2] != WILD):
            raise SourceDataError(f"{path.name} line {n}: bad wildcard pattern {levels}")
        if levels in seen:
            raise SourceDataError(f"{path.name} line {n}: duplicate pattern {levels}")
        seen.add(levels)
        parse_target(row, f"{path.name} line {n}", reasons=reasons)
        rules.append(ProclassRule(n, levels, row))
    return rules


def _matches(rule: ProclassRule, levels: tuple[str, str, str]) -> bool:
    return all(r in (WILD, v) for r, v in zip(rule.levels, levels, strict=True))


def build_table(source: bytes, rules: Sequence[ProclassRule]) -> bytes:
    reader = csv.DictReader(io.StringIO(source.decode("utf-8"), newline=""))
    if reader.fieldnames != ["code", "level1", "level2", "level3", "clarification_info"]:
        raise SourceDataError(f"{SOURCE}: unexpected header {reader.fieldnames}")
    out: list[tuple[str, ...]] = []
    used: set[int] = set()
    for n, rec in enumerate(reader, start=2):
        code = rec["code"].strip()
        if len(code) != 6 or not code.isdigit():
            raise SourceDataError(f"{SOURCE} line {n}: bad code {code!r}")
        levels = (_key(rec["level1"]), _key(rec["level2"]), _key(rec["level3"]))
        hits = [rule for rule in rules if _matches(rule, levels)]
        if not hits:
            raise SourceDataError(f"{SOURCE} line {n}: no rule for {code} {levels}")
        best = max(hits, key=lambda r: r.specificity)
        used.add(best.line)
        title = " > ".join(t.strip() for t in (rec["level1"], rec["level2"], rec["level3"]) if t)
        out.append((code, title, *(best.row[c].strip() for c in TARGET_COLUMNS)))
    if len(out) != EXPECTED_CODES or len({r[0] for r in out}) != EXPECTED_CODES:
        raise SourceDataError(f"{SOURCE}: expected {EXPECTED_CODES} distinct codes, got {len(out)}")
    unused = [rule.line for rule in rules if rule.line not in used]
    if unused:
        raise SourceDataError(f"{RULES.name}: rules on lines {unused} match no ProClass code")
    out.sort(key=lambda r: r[0])
    return csv_bytes(HEADER, out)


def build(source_dir: Path, out_file: Path = OUTPUT) -> list[Path]:
    data, _digest = read_source(source_dir, SOURCE, SOURCE_SHA_PREFIX)
    table = build_table(data, read_rules())
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_bytes(table)
    return [out_file]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--source", type=Path, default=None, help="shared data/factors folder")
    parser.add_argument("--out", type=Path, default=OUTPUT, help="output CSV")
    args = parser.parse_args(argv)
    try:
        written = build(args.source or default_source_dir(), args.out)
    except SourceDataError as exc:
        parser.exit(2, f"error: {exc}\n")
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
