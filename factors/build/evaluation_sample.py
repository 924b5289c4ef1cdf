"""Draw the lines of the labelled classification set from the real spend files.

For each file: the ``--largest`` lines by absolute amount, then a seeded random draw of
``--random`` more from the rest (the seed is the file name, so the draw never changes
while the file does not). Files are read with the tracker's own importer, so ``row`` is
the row number the tracker stores for the line (``spend_line.source_row``) and the
evaluation can join a judgement to the line it judges.

The output is the unjudged sample, one CSV per file, in the layout of
``factors/evaluation/labels/*.csv`` with the judgement columns empty. A person then
fills in the judgement by hand against ``docs/classification-policy.md``; nothing here
looks at how the tracker classifies the lines.

    python -m factors.build.evaluation_sample --out /tmp/sample
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Sequence
from pathlib import Path

from factors.build._common import REPO_ROOT
from tracker.domain.evaluation import JUDGEMENT_COLUMNS, LABEL_COLUMNS
from tracker.importers.model import SpendRecord
from tracker.importers.parse import parse_spend_file

# file → column mapping the importer needs beyond its own detection
FILES: dict[str, dict[str, str]] = {
    "uk-manchester-2014-09.xls": {},
    "uk-tameside-2014-09.csv": {},
    "uk-trafford-2014-09.csv": {},
    "uk-salford-2019-sic-enriched.csv": {"sic": "sicc_int"},
    "uk-birmingham-pcard-2020-02.xls": {},
    "uk-stockport-2014-09.xls": {},
    "uk-leeds-2020-06.csv": {},
    "us-phoenix-2018-03.csv": {},
}
CODE_FIELDS = ("sic", "naics", "proclass", "mcc", "cpv", "unspsc")
# A larger random draw where a file must carry more of the set (the US file: at least 60
# judged lines, some of which may say too little to judge).
RANDOM_DRAW = {"us-phoenix-2018-03.csv": 50}


def default_spend_dir() -> Path:
    return REPO_ROOT.parent / "shared" / "data" / "spend"


def _codes(record: SpendRecord) -> str:
    return "; ".join(f"{name}={value}" for name in CODE_FIELDS if (value := getattr(record, name)))


def draw(records: Sequence[SpendRecord], name: str, largest: int, extra: int) -> list[SpendRecord]:
    """The ``largest`` lines by |amount| (ties by row), then ``extra`` seeded at random."""
    ranked = sorted(records, key=lambda r: (-abs(r.amount), r.source_row))
    top = ranked[:largest]
    rest = sorted(ranked[largest:], key=lambda r: r.source_row)
    chosen = top + random.Random(name).sample(rest, min(extra, len(rest)))
    return sorted(chosen, key=lambda r: r.source_row)


def sample_rows(path: Path, largest: int, extra: int) -> list[dict[str, str]]:
    parsed = parse_spend_file(path, mapping=FILES.get(path.name) or None)
    rows = []
    for r in draw(parsed.records, path.name, largest, extra):
        rows.append(
            {
                "file": path.name,
                "row": str(r.source_row),
                "amount": f"{r.amount:.2f}",
                "supplier": r.supplier or "",
                "expense_type": r.expense_type or "",
                "description": r.description or "",
                "codes": _codes(r),
                "cost_centre": r.cost_centre or "",
                "capital_or_revenue": r.capital_or_revenue or "",
            }
            | dict.fromkeys(JUDGEMENT_COLUMNS, "")
        )
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spend-dir", type=Path, default=default_spend_dir())
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--largest", type=int, default=20)
    parser.add_argument("--random", type=int, default=40)
    parser.add_argument("--file", action="append", help="only these files (repeatable)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.file or sorted(FILES):
        extra = RANDOM_DRAW.get(name, args.random)
        rows = sample_rows(args.spend_dir / name, args.largest, extra)
        target = args.out / f"{Path(name).stem}.csv"
        with target.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=LABEL_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        print(f"{target}: {len(rows)} lines")


if __name__ == "__main__":
    main()
