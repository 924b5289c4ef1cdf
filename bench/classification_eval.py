"""Classification precision on the hand-labelled set (factors/evaluation/labels).

Run ``make bench`` or ``python -m bench.classification_eval``. In a temporary SQLite
database, for every labels file present, it imports the real spend file it judges from
``../shared/data/spend`` (with the column mapping of
``factors.build.evaluation_sample.FILES``) into an authority of its own (a US file into a
US authority on the EPA NAICS factors, a UK file into a UK one on the Defra groups; the
financial year starts in January when the file lies in one calendar year, else April),
computes the inventories with the shipped tables and rule library, and scores each
labelled line's outcome (``tracker.services.classification.evaluation``). Prints the per-file and
overall tables and writes the ``classification_eval`` key of ``bench/results.json``.

Skips (exit 0) when ``../shared`` or the labels are absent. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if not __package__:  # run as ``python bench/classification_eval.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.results import merge_section
from factors.build.evaluation_sample import FILES, default_spend_dir

REPO_ROOT = Path(__file__).resolve().parent.parent
LABELS_DIR = REPO_ROOT / "factors" / "evaluation" / "labels"
KEY = "classification_eval"


def labelled_files(labels_dir: Path, spend_dir: Path) -> list[tuple[str, Path, Path]]:
    """(spend file name, spend file, labels file) for each labels file with its spend file."""
    out = []
    for name in sorted(FILES):
        labels = labels_dir / f"{Path(name).stem}.csv"
        if labels.exists() and (spend_dir / name).exists():
            out.append((name, spend_dir / name, labels))
    return out


def files_or_skip(bench: str, spend_dir: Path, labels_dir: Path) -> list[tuple[str, Path, Path]]:
    """The labelled files present, or none after saying why ``bench`` is skipped."""
    if not spend_dir.is_dir():
        print(f"{bench}: skipped, {spend_dir} is not available")
        return []
    files = labelled_files(labels_dir, spend_dir)
    if not files:
        print(f"{bench}: skipped, no labels in {labels_dir} for those files")
    return files


def import_labelled(session: Any, code: str, name: str, spend: Path, workdir: Path) -> Any:
    """A new authority ``code`` holding the real file ``name`` (at ``spend``), with its
    inventories computed: a US file in a US authority, any other in a UK one."""
    from tracker.services.classification.evaluation import import_for_evaluation

    authority, notes = import_for_evaluation(
        session,
        code=code,
        path=spend,
        data_dir=workdir / "files",
        country="US" if name.startswith("us-") else "GB",
        mapping=FILES[name] or None,
    )
    for note in notes:
        print(f"note: {name}: {note}")
    return authority


def evaluate_files(
    files: list[tuple[str, Path, Path]], workdir: Path, worst: int = 15
) -> tuple[Any, list[Any], dict[str, float]]:
    """Import each file into a fresh authority of one SQLite database and score its labels:
    (the evaluation of every scored label, the labels not scored, seconds per file)."""
    from tracker import migrate
    from tracker.db import make_engine, make_session_factory, session_scope
    from tracker.domain.evaluation import score
    from tracker.services.classification.evaluation import outcomes, read_labels
    from tracker.services.reference import load_shipped_reference_data

    engine = make_engine(f"sqlite:///{workdir / 'classification-eval.db'}")
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        load_shipped_reference_data(session)
    pairs = []
    unmatched = []
    seconds = {}
    for i, (name, spend, labels_path) in enumerate(files):
        start = time.perf_counter()
        with session_scope(factory) as session:
            authority = import_labelled(session, f"EVAL{i + 1}", name, spend, workdir)
            labels = read_labels(session, authority, labels_path)
            found, missing = outcomes(session, authority, labels)
        pairs += [(label, found[label.key]) for label in labels if label.key in found]
        unmatched += missing
        seconds[name] = round(time.perf_counter() - start, 2)
    engine.dispose()
    return score(pairs, worst=worst), unmatched, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--spend-dir", type=Path, default=default_spend_dir())
    parser.add_argument("--labels-dir", type=Path, default=LABELS_DIR)
    parser.add_argument("--worst", type=int, default=15, help="wrong decisions to list")
    args = parser.parse_args(argv)
    files = files_or_skip(KEY, args.spend_dir, args.labels_dir)
    if not files:
        return 0
    from tracker.domain.evaluation import format_table

    with tempfile.TemporaryDirectory(prefix="tracker-eval-") as tmp:
        evaluation, unmatched, seconds = evaluate_files(files, Path(tmp), args.worst)
    print(f"\nClassification precision on {len(files)} labelled file(s): decided lines, "
          "accept/exact by count, accept£/exact£ by spend, lines sent to review")  # fmt: skip
    for line in format_table(evaluation):
        print(line)
    for u in unmatched:
        print(f"not scored: {u.source} line {u.line} ({u.file} row {u.row}): {u.why}")
    result = evaluation.as_dict()
    # the published payee names stay in the labels; the results name file and row only
    for wrong in result["largest_wrong"]:
        wrong.pop("supplier", None)
    merge_section(
        KEY,
        {
            "files": [name for name, _, _ in files],
            "seconds": seconds,
            "unmatched": [u.__dict__ for u in unmatched],
        }
        | result,
    )
    print("Results in bench/results.json under 'classification_eval'.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
