"""How often the review's top suggestion is acceptable, per score band, on the labelled set.

Run ``make bench`` or ``python -m bench.suggestion_eval``. In a temporary SQLite database
it imports every labelled real file (as ``bench.classification_eval`` does, one authority
each), lets every authority share its figures (so each review learns from its own spend
and the other files', the most a suggestion can learn from), and then, for every labelled
line the review queue lists (unclassified, or decided with low confidence), asks for the
suggestion of the line's review group (its supplier, expense type, status and category)
exactly as the review page does (``tracker.services.classification.review.suggestions_for``). A top
suggestion is *acceptable* when its group is among the label's acceptable answers (or is
its exact one); a line whose label says nothing can be known ("?" with no acceptable
answer) makes any suggestion unacceptable.

Prints, per score band and per kind of evidence, how many lines got a suggestion and
how often it was acceptable (by count and by spend), and writes the ``suggestion_eval``
key of ``bench/results.json``. Skips (exit 0) when ``../shared`` or the labels are
absent. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

if not __package__:  # run as ``python bench/suggestion_eval.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.classification_eval import LABELS_DIR, files_or_skip, import_labelled
from bench.results import merge_section
from factors.build.evaluation_sample import default_spend_dir

KEY = "suggestion_eval"
# Lower edges of the score bands; the last band runs to 0.5 (the highest cap).
BAND_EDGES = (Decimal("0"), Decimal("0.1"), Decimal("0.2"), Decimal("0.3"), Decimal("0.4"))


@dataclass(frozen=True)
class Judged:
    """One labelled review line's top suggestion and whether the label accepts it."""

    confidence: Decimal
    kind: str  # same supplier | similar supplier name | same expense type | ... | words
    acceptable: bool
    amount: Decimal  # |spend| of the line


def band_of(confidence: Decimal) -> str:
    """The band label of a score: "0.1–0.2" (lower edge included)."""
    lower = max(e for e in BAND_EDGES if confidence >= e)
    i = BAND_EDGES.index(lower)
    upper = BAND_EDGES[i + 1] if i + 1 < len(BAND_EDGES) else Decimal("0.5")
    return f"{lower}–{upper}"


def _tally(judged: Iterable[Judged]) -> dict[str, Any]:
    rows = list(judged)
    ok = [j for j in rows if j.acceptable]
    spend = sum((j.amount for j in rows), Decimal(0))
    ok_spend = sum((j.amount for j in ok), Decimal(0))
    return {
        "lines": len(rows),
        "acceptable": len(ok),
        "acceptable_share": round(len(ok) / len(rows), 3) if rows else None,
        "spend": float(spend),
        "acceptable_spend_share": float(round(ok_spend / spend, 3)) if spend else None,
        "mean_score": float(round(sum((j.confidence for j in rows), Decimal(0)) / len(rows), 3))
        if rows
        else None,
    }


def summarise(judged: Sequence[Judged]) -> dict[str, Any]:
    """Per score band and per kind of evidence: lines, how many acceptable, shares by count
    and by spend, and the mean score (to compare with the share acceptable)."""
    present = {band_of(j.confidence) for j in judged}
    bands = [b for b in map(band_of, BAND_EDGES) if b in present]  # lowest first
    kinds = sorted({j.kind for j in judged})
    return {
        "all": _tally(judged),
        "by_band": {b: _tally(j for j in judged if band_of(j.confidence) == b) for b in bands},
        "by_kind": {k: _tally(j for j in judged if j.kind == k) for k in kinds},
    }


def _kind(basis: str) -> str:
    return "words" if basis.startswith("words:") else basis.split(":", 1)[0]


def judge_authority(
    session: Any, authority: Any, labels: Sequence[Any]
) -> tuple[list[Judged], int]:
    """The judged top suggestions of the authority's labelled lines that are in review,
    and how many of those lines got no suggestion."""
    from sqlalchemy import select, tuple_

    from tracker.models import ImportBatch, InventoryRun, LineEmission, SpendLine
    from tracker.queries.review import ReviewGroup
    from tracker.services.classification.evidence import current_runs
    from tracker.services.classification.review import suggestions_for

    wanted = {label.key: label for label in labels}
    rows = session.execute(
        select(
            ImportBatch.file_name, SpendLine.source_row, SpendLine.supplier_name,
            SpendLine.expense_type, SpendLine.amount, LineEmission.status,
            LineEmission.confidence, LineEmission.category_code, LineEmission.run_id,
        )
        .join(ImportBatch, ImportBatch.id == SpendLine.batch_id)
        .join(LineEmission, LineEmission.spend_line_id == SpendLine.id)
        .where(
            SpendLine.authority_id == authority.id,
            ImportBatch.status == "imported",
            LineEmission.run_id.in_(current_runs()),
            tuple_(ImportBatch.file_name, SpendLine.source_row).in_(sorted(wanted)),
        )
    ).all()  # fmt: skip
    in_review: dict[int, list[tuple[Any, Any]]] = {}
    for file, row, supplier, expense, amount, status, confidence, category, run_id in rows:
        if status != "unmapped" and confidence != "low":
            continue
        group = ReviewGroup(supplier, expense, Decimal(amount), 1, status, category=category)
        in_review.setdefault(run_id, []).append((wanted[(file, row)], group))
    judged: list[Judged] = []
    none = 0
    for run_id, pairs in sorted(in_review.items()):
        run = session.get(InventoryRun, run_id)
        items = suggestions_for(session, run=run, groups=[g for _, g in pairs])
        for (label, group), item in zip(pairs, items, strict=True):
            s = item.suggestion
            if s is None:
                none += 1
                continue
            ok = s.defra_group == label.exact or s.defra_group in label.acceptable
            judged.append(Judged(s.confidence, _kind(s.basis), ok, abs(group.spend)))
    return judged, none


def evaluate(files: list[tuple[str, Path, Path]], workdir: Path) -> tuple[list[Judged], int]:
    from tracker import migrate
    from tracker.db import make_engine, make_session_factory, session_scope
    from tracker.models import Authority
    from tracker.services.classification.evaluation import read_labels
    from tracker.services.reference import load_shipped_reference_data

    engine = make_engine(f"sqlite:///{workdir / 'suggestion-eval.db'}")
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        load_shipped_reference_data(session)
    codes = {}
    for i, (name, spend, _labels) in enumerate(files):
        with session_scope(factory) as session:
            authority = import_labelled(session, f"SUGG{i + 1}", name, spend, workdir)
            authority.share_in_comparisons = True
            codes[name] = authority.code
    judged: list[Judged] = []
    none = 0
    for name, _spend, labels_path in files:
        with session_scope(factory) as session:
            from sqlalchemy import select

            authority = session.scalars(
                select(Authority).where(Authority.code == codes[name])
            ).one()
            labels = read_labels(session, authority, labels_path)
            found, missing = judge_authority(session, authority, labels)
            print(f"{name}: {len(found)} review lines with a suggestion, {missing} without")
            judged += found
            none += missing
    engine.dispose()
    return judged, none


def _line(name: str, t: dict[str, Any]) -> str:
    share = "-" if t["acceptable_share"] is None else f"{t['acceptable_share']:.0%}"
    by_spend = "-" if t["acceptable_spend_share"] is None else f"{t['acceptable_spend_share']:.0%}"
    mean = "-" if t["mean_score"] is None else f"{t['mean_score']:.2f}"
    return f"{name:<24} {t['lines']:>5} {t['acceptable']:>5} {share:>7} {by_spend:>7} {mean:>6}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--spend-dir", type=Path, default=default_spend_dir())
    parser.add_argument("--labels-dir", type=Path, default=LABELS_DIR)
    args = parser.parse_args(argv)
    files = files_or_skip(KEY, args.spend_dir, args.labels_dir)
    if not files:
        return 0
    with tempfile.TemporaryDirectory(prefix="tracker-suggest-") as tmp:
        judged, none = evaluate(files, Path(tmp))
    result = summarise(judged)
    print(f"\nTop review suggestions on {len(files)} labelled file(s); {none} review lines "
          "had none. lines, acceptable, share by count, by spend, mean score")  # fmt: skip
    print(_line("all", result["all"]))
    for band, t in result["by_band"].items():
        print(_line(f"score {band}", t))
    for kind, t in result["by_kind"].items():
        print(_line(kind, t))
    merge_section(
        KEY, {"files": [name for name, _, _ in files], "without_suggestion": none} | result
    )
    print(f"Results in bench/results.json under '{KEY}'.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
