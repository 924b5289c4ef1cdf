"""Joining labels to an authority's lines and reading the outcome from its current
inventory runs, on SQLite and PostgreSQL.

Fixtures: tests/fixtures/evaluation/eval-{uk,us}-spend.csv (invented names) and their
labels. Worked by hand from docs/classification-policy.md and the shipped tables:

UK (Defra groups): row 2 "Legal fees" → 69.1 (library), row 3 "Salaries" → x:staff,
row 4 "Zebra crossings paint" → no rule: review (£400), row 5 SIC 42110 → 42.1-2
(sic2007_to_defra_group.csv), row 6 SIC 62020 → 62 where the label says 58: wrong.
Decided: 4 lines, £1,000 + £2,000 + £5,000 + £600 = £8,600; right (exact and
acceptable): 3 lines, £8,000. The labels of row 99 and of other-file.csv match no line.

US (EPA NAICS): row 2 NAICS 327320, labelled 327320: exact; row 3 NAICS 541511,
labelled 541512 with 541511 acceptable: acceptable only. Decided £2,500; exact £500.
Row 4's label says $30.00 where the line has $300.00: not scored.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.evaluation import LabelError
from tracker.models import ImportBatch, SpendLine
from tracker.services.classification.evaluation import (
    evaluate_authority,
    import_for_evaluation,
    read_labels,
)
from tracker.services.classification.line_classes import set_overrides
from tracker.services.inventory.runs import ensure_inventory
from tracker.services.reference import load_shipped_reference_data

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "evaluation"


def _load(session: Session, tmp_path: Path, name: str, country: str):  # type: ignore[no-untyped-def]
    load_shipped_reference_data(session)
    code = "E" + uuid.uuid4().hex[:8]
    authority, notes = import_for_evaluation(
        session, code=code, path=FIXTURES / f"{name}.csv", data_dir=tmp_path, country=country
    )
    assert notes == []
    return authority, read_labels(session, authority, FIXTURES / f"{name}.labels.csv")


def test_uk_labels_scored_from_the_current_run(session: Session, tmp_path: Path) -> None:
    authority, labels = _load(session, tmp_path, "eval-uk-spend", "GB")
    assert authority.fy_start_month == 1  # the file's dates lie in 2023
    report = evaluate_authority(session, authority=authority, labels=labels)
    assert report.labels == 7
    assert [(u.line, u.row, u.why) for u in report.unmatched] == [
        (7, 99, "eval-uk-spend.csv has no line from row 99"),
        (8, 2, f"no imported file named other-file.csv for {authority.code}"),
    ]
    o = report.evaluation.overall
    assert (o.decided, o.decided_spend, o.exact, o.exact_spend) == (4, 8600, 3, 8000)
    assert (o.acceptable, o.acceptable_spend, o.review, o.review_spend) == (3, 8000, 1, 400)
    sic = report.evaluation.by_method["sic"]
    assert (sic.decided, sic.decided_spend, sic.acceptable_spend) == (2, 5600, 5000)
    [wrong] = report.evaluation.wrong
    assert (wrong.row, wrong.got, wrong.expected, wrong.method, wrong.rule) == (
        6, "62", "58", "sic", "62020",
    )  # fmt: skip

    # An officer's override, once the inventory is recomputed, is what is scored.
    line_id = session.scalar(
        select(SpendLine.id)
        .join(ImportBatch, ImportBatch.id == SpendLine.batch_id)
        .where(SpendLine.authority_id == authority.id, SpendLine.source_row == 6)
    )
    assert line_id is not None
    set_overrides(session, authority=authority, line_ids=[line_id], note="a licence",
                  actor="test", defra_group="58")  # fmt: skip
    ensure_inventory(session, authority=authority, year=2023)
    after = evaluate_authority(session, authority=authority, labels=labels).evaluation
    assert (after.overall.exact, after.overall.exact_spend, after.wrong) == (4, 8600, [])
    assert after.by_method["override"].decided_spend == 600


def test_us_labels_compare_naics_codes(session: Session, tmp_path: Path) -> None:
    authority, labels = _load(session, tmp_path, "eval-us-spend", "US")
    report = evaluate_authority(session, authority=authority, labels=labels)
    assert [u.why for u in report.unmatched] == ["amount differs: label 30.00, line 300.00"]
    o = report.evaluation.overall
    assert (o.decided, o.decided_spend, o.exact, o.exact_spend) == (2, 2500, 1, 500)
    assert (o.acceptable, o.acceptable_spend, o.review) == (2, 2500, 0)
    assert list(report.evaluation.by_method) == ["naics"]


def test_labels_in_another_factor_set_are_refused(session: Session, tmp_path: Path) -> None:
    authority, _ = _load(session, tmp_path, "eval-uk-spend", "GB")
    with pytest.raises(LabelError) as err:
        read_labels(session, authority, FIXTURES / "eval-us-spend.labels.csv")
    assert str(err.value) == (
        "eval-us-spend.labels.csv line 2, column 'exact': '327320' is not a code of the factor set"
    )
