"""Classification precision on the hand-labelled set (factors/evaluation/labels), per file
and over the whole set.

For each labels file present, the real spend file it judges (../shared/data/spend) is
imported into an authority of its own and its inventories computed with the shipped
tables and rule library; every label must match its line, and precision by spend must
reach the file's floors, and over the whole set the issue's goals. Files whose labels are
absent are skipped, as is everything without ../shared. Method: docs/benchmarks.md
("Classification precision").
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from factors.build.evaluation_sample import FILES
from tests.conftest import shared_dir
from tracker import migrate
from tracker.db import make_engine, make_session_factory, session_scope
from tracker.domain.evaluation import Evaluation, Label, Outcome, score
from tracker.services.classification.evaluation import import_for_evaluation, outcomes, read_labels
from tracker.services.reference import load_shipped_reference_data

pytestmark = pytest.mark.shared

LABELS_DIR = Path(__file__).resolve().parents[2] / "factors" / "evaluation" / "labels"

# (acceptable, exact, high-confidence acceptable) by spend: set a point or two below what
# bench/classification_eval measured under policy 2026.2 (docs/benchmarks.md), so that a
# change that makes classification worse fails here. Stockport's coarse subjective
# headings are below the issue's goals file by file; the whole set meets them (WHOLE_SET).
FLOORS: dict[str, tuple[float, float, float]] = {
    "uk-birmingham-pcard-2020-02.xls": (0.75, 0.75, 0.0),
    "uk-leeds-2020-06.csv": (0.96, 0.88, 0.0),
    "uk-manchester-2014-09.xls": (0.99, 0.95, 0.0),
    "uk-salford-2019-sic-enriched.csv": (0.91, 0.91, 0.0),
    "uk-stockport-2014-09.xls": (0.52, 0.26, 0.0),
    "uk-tameside-2014-09.csv": (0.98, 0.74, 0.0),
    "uk-trafford-2014-09.csv": (0.99, 0.48, 0.0),
    # measured 93.9 %, 76.1 %, 99.9 % (issue 14: 90 %, 75 %, 95 %)
    "us-phoenix-2018-03.csv": (0.93, 0.76, 0.99),
}
# The issue's goals over every labelled line: 90 % of the classified spend acceptable,
# 75 % exactly right, "high" confidence right for 95 % of its spend.
WHOLE_SET = (0.90, 0.75, 0.95)

Scored = tuple[list[tuple[Label, Outcome]], list[str]]  # (label, outcome) pairs; unmatched


@pytest.fixture(scope="module")
def labelled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Scored]]:
    """Every labels file whose spend file is present, imported once into one SQLite
    database (an authority per file) and scored: file name → (pairs, unmatched)."""
    spend_dir = shared_dir() / "data" / "spend"
    present = [
        name
        for name in sorted(FILES)
        if (LABELS_DIR / f"{Path(name).stem}.csv").exists() and (spend_dir / name).exists()
    ]
    tmp = tmp_path_factory.mktemp("precision")
    engine = make_engine(f"sqlite:///{tmp / 'precision.db'}")
    migrate.upgrade(engine)
    out: dict[str, Scored] = {}
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        load_shipped_reference_data(session)
    for i, name in enumerate(present):
        with session_scope(factory) as session:
            authority, notes = import_for_evaluation(
                session, code=f"LABELLED{i}", path=spend_dir / name, data_dir=tmp / "files",
                country="US" if name.startswith("us-") else "GB", mapping=FILES[name] or None,
            )  # fmt: skip
            assert notes == [], f"{name}: {notes}"
            labels = read_labels(session, authority, LABELS_DIR / f"{Path(name).stem}.csv")
            found, unmatched = outcomes(session, authority, labels)
            pairs = [(label, found[label.key]) for label in labels if label.key in found]
            out[name] = (pairs, [u.why for u in unmatched])
    engine.dispose()
    yield out


def _by_spend(ev: Evaluation) -> tuple[float, float, float]:
    """(acceptable, exact, high-confidence acceptable) shares of the decided spend."""
    overall = ev.overall.as_dict()
    high = ev.by_confidence.get("high")
    return (
        overall["acceptable_by_spend"] or 0.0,
        overall["exact_by_spend"] or 0.0,
        (high.as_dict()["acceptable_by_spend"] or 0.0) if high else 0.0,
    )


@pytest.mark.parametrize("name", sorted(FILES))
def test_precision_floors(name: str, labelled: dict[str, Scored]) -> None:
    if not (LABELS_DIR / f"{Path(name).stem}.csv").exists():
        pytest.skip(f"no labels yet: {Path(name).stem}.csv")
    if name not in labelled:
        pytest.skip(f"reference file not available: {name}")
    pairs, unmatched = labelled[name]
    assert unmatched == [], "every label must match its line"
    got = _by_spend(score(pairs))
    floors = FLOORS[name]
    assert all(g >= f for g, f in zip(got, floors, strict=True)), (
        f"{name}: precision by spend (acceptable, exact, high-confidence acceptable) "
        f"{tuple(round(g, 3) for g in got)} below floors {floors}"
    )


def test_whole_labelled_set_meets_the_issue_goals(labelled: dict[str, Scored]) -> None:
    """Measured 93.0 % acceptable, 85.2 % exact, 100 % of "high" by spend (policy 2026.2,
    docs/benchmarks.md); the floors are the issue's goals, not the measurement."""
    missing = sorted(n for n in FILES if n not in labelled)
    if missing:
        pytest.skip(f"not every labelled file is available: {', '.join(missing)}")
    pairs = [pair for scored, _ in labelled.values() for pair in scored]
    got = _by_spend(score(pairs))
    assert all(g >= f for g, f in zip(got, WHOLE_SET, strict=True)), (
        f"whole labelled set: precision by spend {tuple(round(g, 3) for g in got)} "
        f"below the goals {WHOLE_SET}"
    )


# Scope 3 category agreement of mapped lines with a costed label, whole set: measured
# 96.6 % of lines and 90.6 % of their spend once the capital order (tracker/domain/
# capital.py, policy §13) applied, against 93.7 % and 88.1 % before (docs/benchmarks.md).
CATEGORY_AGREEMENT = (0.96, 0.90)


def test_scope3_category_agreement(labelled: dict[str, Scored]) -> None:
    missing = sorted(n for n in FILES if n not in labelled)
    if missing:
        pytest.skip(f"not every labelled file is available: {', '.join(missing)}")
    pairs = [pair for scored, _ in labelled.values() for pair in scored]
    agreement = score(pairs).category.as_dict()
    got = (agreement["agreement"], agreement["agreement_by_spend"])
    assert all(g >= f for g, f in zip(got, CATEGORY_AGREEMENT, strict=True)), (
        f"Scope 3 category agreement (lines, spend) {got} below {CATEGORY_AGREEMENT}"
    )
