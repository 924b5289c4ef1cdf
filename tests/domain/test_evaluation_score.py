"""Scoring a hand-labelled set: every figure below is worked out by hand from LABELS and
OUTCOMES (nine lines, two files; spend is the absolute amount, so the £-500 credit note
weighs £500).

Decided lines (mapped or excluded): rows a2, a3, a4, a5, a7, a8 and b2, spend
1000 + 500 + 2000 + 300 + 100 + 700 + 250 = £4,850. Sent to review: a6 and a9 (£450).
Exact: a2, a4, a7 (a `?` line in its acceptable list), a8: 4 lines, £3,800.
Acceptable: those and a3 (41.2 is in 42.99;41.2): 5 lines, £4,300.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tracker.domain.evaluation import (
    LABEL_COLUMNS,
    LabelError,
    Outcome,
    Tally,
    format_table,
    parse_labels,
    score,
)

HEADER = ",".join(LABEL_COLUMNS)
LABELS = f"""{HEADER}
a.csv,2,1000.00,Ashcombe Solicitors,Legal fees,,,,,69.1,69.1,1,legal services
a.csv,3,-500.00,Lowfield Repairs,Repairs,,,,,42.99,42.99;41.2,1,repairs; credit note
a.csv,4,2000.00,Payroll,Salaries,,,,,x:staff,x:staff,,pay
a.csv,5,300.00,Bytewell Systems,Software,,,,,62,62,1,software services
a.csv,6,400.00,J Smith,,,,,,?,,,an individual; nothing says what
a.csv,7,100.00,Willow Care,,,,,,?,87;88,,care of some kind
a.csv,8,700.00,Oakhollow Construction,New school,,,,C,41.2,41.2,2,new building
a.csv,9,50.00,Peregrine Staffing,Agency,,,,,78,78,1,agency staff
b.csv,2,250.00,GMCA,Levy,,,,,x:public_body,x:public_body,,levy
"""


def _o(
    status: str,
    code: str | None,
    method: str | None,
    conf: str | None,
    amount: str,
    scope3: int | None = 1,
    exclusion: str | None = None,
    rule: str = "R",
) -> Outcome:
    return Outcome(status, code, exclusion, method, conf, scope3, Decimal(amount), rule)


OUTCOMES = {
    ("a.csv", 2): _o("mapped", "69.1", "library", "high", "1000.00"),
    ("a.csv", 3): _o("mapped", "41.2", "sic", "medium", "-500.00"),
    ("a.csv", 4): _o("excluded", None, "policy", "high", "2000.00", None, "staff"),
    ("a.csv", 5): _o("mapped", "58", "library", "high", "300.00", rule="LIB-SOFT"),
    ("a.csv", 6): _o("unmapped", None, None, None, "400.00", None),
    ("a.csv", 7): _o("mapped", "88", "library", "low", "100.00"),
    ("a.csv", 8): _o("mapped", "41.2", "rule", "medium", "700.00", 1),
    ("a.csv", 9): _o("unmapped", None, None, None, "50.00", None),
    ("b.csv", 2): _o("mapped", "84", "sic", "high", "250.00", rule="84110"),
}


def _score():  # type: ignore[no-untyped-def]
    labels = parse_labels(LABELS, "labels.csv")
    return score([(label, OUTCOMES[label.key]) for label in labels])


def _counts(t: Tally) -> tuple[object, ...]:
    return (t.decided, t.decided_spend, t.exact, t.exact_spend, t.acceptable,
            t.acceptable_spend, t.review, t.review_spend)  # fmt: skip


def test_overall_by_count_and_spend() -> None:
    ev = _score()
    assert _counts(ev.overall) == (7, 4850, 4, 3800, 5, 4300, 2, 450)
    d = ev.overall.as_dict()
    assert d["acceptable"] == pytest.approx(5 / 7) and d["exact"] == pytest.approx(4 / 7)
    assert d["acceptable_by_spend"] == pytest.approx(4300 / 4850)
    assert d["exact_by_spend"] == pytest.approx(3800 / 4850)


def test_per_method_confidence_and_file() -> None:
    ev = _score()
    # library: a2 (1000 exact), a5 (300 wrong), a7 (100, `?` acceptable)
    assert _counts(ev.by_method["library"]) == (3, 1400, 2, 1100, 2, 1100, 0, 0)
    # sic: a3 (500 acceptable only), b2 (250 wrong)
    assert _counts(ev.by_method["sic"]) == (2, 750, 0, 0, 1, 500, 0, 0)
    assert _counts(ev.by_method["policy"]) == (1, 2000, 1, 2000, 1, 2000, 0, 0)
    assert _counts(ev.by_method["rule"]) == (1, 700, 1, 700, 1, 700, 0, 0)
    # largest decided spend first
    assert list(ev.by_method) == ["policy", "library", "sic", "rule"]
    # high: a2, a4, a5, b2 = 1000 + 2000 + 300 + 250; right: a2, a4 = 3000
    assert _counts(ev.by_confidence["high"]) == (4, 3550, 2, 3000, 2, 3000, 0, 0)
    assert _counts(ev.by_confidence["medium"]) == (2, 1200, 1, 700, 2, 1200, 0, 0)
    assert _counts(ev.by_confidence["low"]) == (1, 100, 1, 100, 1, 100, 0, 0)
    assert _counts(ev.by_file["a.csv"]) == (6, 4600, 4, 3800, 5, 4300, 2, 450)
    assert _counts(ev.by_file["b.csv"]) == (1, 250, 0, 0, 0, 0, 0, 0)
    assert ev.by_file["b.csv"].as_dict()["acceptable_by_spend"] == 0.0


def test_unknown_lines_category_and_largest_wrong() -> None:
    ev = _score()
    assert (ev.unknown_review, ev.unknown_decided, ev.unknown_decided_acceptable) == (1, 1, 1)
    # mapped lines with a costed label category: a2, a3, a5 (1 → 1, £1,800), a8 (2 → 1, £700)
    cat = ev.category.as_dict()
    assert cat["lines"] == 4
    assert cat["agreement"] == pytest.approx(3 / 4)
    assert cat["agreement_by_spend"] == pytest.approx(1800 / 2500)
    assert [(p["label"], p["got"], p["lines"]) for p in cat["pairs"]] == [(1, 1, 3), (2, 1, 1)]
    assert [(w.file, w.row, w.got, w.expected, w.rule) for w in ev.wrong] == [
        ("a.csv", 5, "58", "62", "LIB-SOFT"),
        ("b.csv", 2, "84", "x:public_body", "84110"),
    ]
    text = "\n".join(format_table(ev))
    assert "a.csv row 5" in text and "got 58 expected 62" in text
    assert "'?' lines: 1 sent to review, 1 classified (1 of them acceptably)" in text


def test_no_decisions_has_no_precision() -> None:
    labels = parse_labels(f"{HEADER}\na.csv,6,400.00,J Smith,,,,,,?,,,nothing\n", "l.csv")
    ev = score([(labels[0], OUTCOMES[("a.csv", 6)])])
    assert ev.overall.as_dict()["acceptable"] is None
    assert ev.overall.review == 1 and ev.unknown_review == 1


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("a.csv,x,1.00,S,,,,,,62,62,1,r", "l.csv line 2, column 'row': 'x' is not a number"),
        ("a.csv,2,1,00,S,,,,,,62,62,1,r", "column 14: 14 cells, the header has 13"),
        ("a.csv,2,abc,S,,,,,,62,62,1,r", "line 2, column 'amount': 'abc' is not a number"),
        ("a.csv,2,1.00,S,,,,,,,62,1,r", "line 2, column 'exact': empty"),
        ("a.csv,2,1.00,S,,,,,,62,61,1,r", "column 'acceptable': must include exact '62'"),
        ("a.csv,2,1.00,S,,,,,,99.9,99.9,1,r", "column 'exact': '99.9' is not a code of the"),
        ("a.csv,2,1.00,S,,,,,,62,62;6 2,1,r", "column 'acceptable': '6 2' is not a code"),
        ("a.csv,2,1.00,S,,,,,,62,62,3,r", "column 'scope3_category': '3' is not 1 or 2"),
        ("a.csv,2,1.00,S,,,,,,62,62,,r", "column 'scope3_category': 1 or 2 for a costed"),
        ("a.csv,2,1.00,S,,,,,,x:staff,x:staff,1,r", "must be empty for an exclusion"),
        ("a.csv,2,1.00,S,,,,,,x:Staff pay,x:Staff pay,,r", "'x:Staff pay' is not x:REASON"),
        (",2,1.00,S,,,,,,62,62,1,r", "line 2, column 'file': empty"),
    ],
)
def test_bad_rows_name_file_line_and_column(row: str, message: str) -> None:
    with pytest.raises(LabelError, match=r"l\.csv line 2, column") as err:
        parse_labels(f"{HEADER}\n{row}\n", "l.csv", known_codes={"62", "61", "58"})
    assert message in str(err.value)


def test_missing_column_and_duplicate_row() -> None:
    with pytest.raises(LabelError, match=r"l\.csv line 1: missing column\(s\) acceptable"):
        parse_labels(HEADER.replace(",acceptable", "") + "\n", "l.csv")
    twice = f"{HEADER}\na.csv,2,1.00,S,,,,,,62,62,1,r\n\na.csv,2,1.00,S,,,,,,62,62,1,r\n"
    with pytest.raises(LabelError) as err:
        parse_labels(twice, "l.csv")
    assert "l.csv line 4, column 'row': a.csv row 2 is already labelled on line 2" in str(err.value)
