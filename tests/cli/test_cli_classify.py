"""Classification through the CLI: library rules, exclusions, own rules, supplier defaults,
the review queue and coverage.

Which category each line lands in and the spend shares are worked out by hand from the
file below: in-scope spend £1,000 + £400 + £300 = £1,700; £2,000 of salaries excluded.
"""

from __future__ import annotations

import csv
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cli_helpers import TrackerCli
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db import make_engine
from tracker.models import Authority, ClassificationRule

SPEND = (
    "Payment Date,Supplier Name,Amount,Expense Type\n"
    "01/05/2023,Ashcombe Solicitors,1000.00,Legal fees\n"
    "02/05/2023,Payroll,2000.00,Salaries\n"
    "03/05/2023,Zed Markings,400.00,Zebra crossings paint\n"
    "04/05/2023,Zed Markings,300.00,Zebra crossings paint\n"
)


@pytest.fixture
def share(tracker: TrackerCli) -> Iterator[Callable[[str], None]]:
    """Opt authorities in to sharing for one test: a review learns only from authorities
    that share. They stop sharing afterwards, since the PostgreSQL database is shared
    with other tests that count the authorities visible to an officer."""
    codes: list[str] = []

    def on(code: str) -> None:
        tracker.run("authority", "share", code, "--on")
        codes.append(code)

    yield on
    for code in codes:
        tracker.run("authority", "share", code, "--off")


def _setup(tracker: TrackerCli, tmp_path: Path) -> str:
    code = "K" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Classify Test")
    (tmp_path / "s.csv").write_text(SPEND.replace("Zed Markings", f"Zed Markings {code}"))
    tracker.run("import", str(tmp_path / "s.csv"), "--authority", code)
    return code


def _inv(tracker: TrackerCli, code: str) -> dict:  # type: ignore[type-arg]
    return tracker.json(  # type: ignore[no-any-return]
        "inventory", "--authority", code, "--year", "2023", "--format", "json"
    )


def test_library_rules_exclusions_and_review(tracker: TrackerCli, tmp_path: Path) -> None:
    code = _setup(tracker, tmp_path)
    inv = _inv(tracker, code)
    assert {c["code"] for c in inv["by_category"]} == {"69.1", None}
    assert inv["excluded"] == [{"reason": "staff", "spend": 2000.0, "lines": 1}]
    assert inv["largest_excluded_payees"] == [
        {"payee": "Payroll", "reason": "staff", "spend": 2000.0, "lines": 1}
    ]
    assert inv["unmapped_spend"] == pytest.approx(700.0)

    review = tracker.json("review", "--authority", code, "--year", "2023", "--json")
    assert review["unclassified_spend"] == pytest.approx(700.0)
    assert [(g["expense_type"], g["spend"], g["lines"]) for g in review["groups"]] == [
        ("Zebra crossings paint", 700.0, 2)
    ]
    coverage = tracker.json("classify", "--authority", code, "--json")["coverage"]
    # £1,000 of £1,700 in-scope spend is classified, all by the shared library.
    assert coverage[0]["classified_share"] == pytest.approx(1000 / 1700)
    assert coverage[0]["by_method"] == {"library": pytest.approx(1000 / 1700)}


POLICY_SPEND = (
    "Payment Date,Supplier Name,Amount,Expense Type,ProClass\n"
    # ProClass 341000 is stationery, paper products (Defra 17): the levy policy outranks the code.
    "01/05/2023,Waste Disposal Authority,5000.00,Waste Disposal Levy,341000\n"
    # The code on the line decides; the ledger text reads software (58): a conflict.
    "02/05/2023,Paperwise Ltd,300.00,Software licences,341000\n"
    "03/05/2023,Paperwise Ltd,200.00,Stationery,341000\n"
)


def test_policy_conflicts_and_the_evidence_that_lost(tracker: TrackerCli, tmp_path: Path) -> None:
    """docs/classification-policy.md §3, §4 and §6 through the CLI and the lines CSV."""
    code = "P" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Policy Test")
    (tmp_path / "p.csv").write_text(POLICY_SPEND)
    tracker.run("import", str(tmp_path / "p.csv"), "--authority", code)
    inv = _inv(tracker, code)
    assert inv["excluded"] == [{"reason": "public_body", "spend": 5000.0, "lines": 1}]
    assert {c["code"]: c["spend"] for c in inv["by_category"]} == {"17": pytest.approx(500.0)}
    out = tmp_path / "csv"
    tracker.run("report", "--authority", code, "--year", "2023", "--csv-dir", str(out))
    with (out / f"{code}-2023-lines.csv").open(encoding="utf-8-sig") as fh:
        lines = {r["Source row"]: r for r in csv.DictReader(fh)}
    levy, software, stationery = lines["2"], lines["3"], lines["4"]
    assert levy["Status"] == "excluded"
    assert levy["Decided by"] == "group-wide policy"
    assert levy["Evidence that lost"] == "proclass 341000 → 17"
    assert (software["Category code"], software["Evidence that lost"]) == (
        "17", "conflict: library R096 → 58"
    )  # fmt: skip
    assert stationery["Evidence that lost"] == ""
    review = tracker.json("review", "--authority", code, "--year", "2023", "--json")
    # The conflict is low confidence, so it waits in the review queue.
    assert any(g["expense_type"] == "Software licences" for g in review["groups"])


def test_own_rule_and_supplier_default(tracker: TrackerCli, tmp_path: Path) -> None:
    code = _setup(tracker, tmp_path)
    tracker.run(
        "rules", "add", "PAINT1", "--authority", code, "--pattern", "crossings paint",
        "--field", "expense_type", "--group", "20.3",
    )  # fmt: skip
    inv = _inv(tracker, code)
    paint = {c["code"]: c for c in inv["by_category"]}["20.3"]
    assert paint["spend"] == pytest.approx(700.0)
    assert inv["unmapped_spend"] == pytest.approx(0.0)

    tracker.run("supplier-default", "set", "Ashcombe Solicitors", "--authority", code,
                "--group", "70")  # fmt: skip
    inv = _inv(tracker, code)
    assert {c["code"] for c in inv["by_category"]} == {"70", "20.3"}

    exported = tracker.run("rules", "export", "--authority", code).output
    assert "PAINT1,50,expense_type,crossings paint,contains,20.3" in exported
    other = "K" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", other, "--name", "Sharing")
    (tmp_path / "rules.csv").write_text(exported)
    tracker.run("rules", "import", str(tmp_path / "rules.csv"), "--authority", other)
    assert "PAINT1" in tracker.run("rules", "list", "--authority", other).output

    defaults = tracker.run("supplier-default", "export", "--authority", code).output
    assert defaults.splitlines() == [
        "supplier,defra_group,exclude_reason,scope3_category,note",
        "Ashcombe Solicitors,70,,,",
    ]
    (tmp_path / "defaults.csv").write_text(defaults + "'=Formula Supplier Ltd,62,,,\n")
    tracker.run("supplier-default", "import", str(tmp_path / "defaults.csv"), "--authority", other)
    shared = tracker.run("supplier-default", "list", "--authority", other).output
    assert "Ashcombe Solicitors,70,,," in shared and "'=Formula Supplier Ltd,62" in shared


def test_bad_rule_is_explained(tracker: TrackerCli, tmp_path: Path) -> None:
    code = _setup(tracker, tmp_path)
    bad = tracker.run("rules", "add", "X", "--authority", code, "--pattern", "x",
                      "--group", "99.9", ok=False)  # fmt: skip
    assert bad.exit_code == 2 and "'99.9' is not a Defra product group code" in bad.output
    bad = tracker.run("rules", "add", "Y", "--authority", code, "--pattern", "(",
                      "--match", "regex", "--group", "70", ok=False)  # fmt: skip
    assert bad.exit_code == 2 and "invalid regular expression" in bad.output
    # Patterns that normalise to nothing used to be stored and then stop every inventory
    # build of the authority with "empty pattern" (issue 15, finding 4).
    for pattern, match in (("!!!", "contains"), ("%%%", "exact")):
        bad = tracker.run("rules", "add", "Z", "--authority", code, "--pattern", pattern,
                          "--match", match, "--group", "70", ok=False)  # fmt: skip
        assert bad.exit_code == 2
        assert f"rule Z: empty pattern {pattern!r}" in bad.output
        assert "Traceback" not in bad.output
    bad = tracker.run("rules", "add", "N", "--authority", code, "--pattern", "le\x00gal",
                      "--group", "70", ok=False)  # fmt: skip
    assert bad.exit_code == 2 and "rule N: the pattern holds a NUL character" in bad.output
    assert "Z," not in tracker.run("rules", "list", "--authority", code).output


def test_rules_import_refuses_a_bad_pattern_naming_the_row(
    tracker: TrackerCli, tmp_path: Path
) -> None:
    code = _setup(tracker, tmp_path)
    rules = tmp_path / "rules.csv"
    rules.write_text(
        "rule_id,priority,field,pattern,match,defra_group,scope3_category,exclude_reason,"
        "if_included,confidence,note\n"
        "GOOD1,50,any,legal,contains,70,,,,high,\n"
        "BAD1,50,any,!!!,contains,70,,,,high,\n"
    )
    bad = tracker.run("rules", "import", str(rules), "--authority", code, ok=False)
    assert bad.exit_code == 2
    assert "rules.csv: row 3: rule BAD1: empty pattern '!!!'" in bad.output
    listed = tracker.run("rules", "list", "--authority", code).output
    assert "GOOD1" not in listed  # all or nothing


def test_rules_delete(tracker: TrackerCli, tmp_path: Path) -> None:
    code = _setup(tracker, tmp_path)
    tracker.run("rules", "add", "LEGAL9", "--authority", code, "--pattern", "legal",
                "--group", "70")  # fmt: skip
    assert "LEGAL9" in tracker.run("rules", "list", "--authority", code).output
    done = tracker.run("rules", "delete", "LEGAL9", "--authority", code)
    assert f"Rule LEGAL9 deleted ({code})." in done.output
    assert "LEGAL9" not in tracker.run("rules", "list", "--authority", code).output
    again = tracker.run("rules", "delete", "LEGAL9", "--authority", code, ok=False)
    assert again.exit_code == 2 and f"No rule 'LEGAL9' of {code}." in again.output


def test_a_stored_bad_rule_is_skipped_with_a_warning(tracker: TrackerCli, tmp_path: Path) -> None:
    """A rule stored before patterns were checked on write is skipped, with a warning in
    the run, and every other rule still applies: the inventory is computed, no traceback."""
    code = _setup(tracker, tmp_path)
    tracker.run("rules", "add", "PAINT1", "--authority", code, "--pattern", "crossings paint",
                "--field", "expense_type", "--group", "20.3")  # fmt: skip
    engine = make_engine(tracker.env["TRACKER_DATABASE_URL"])
    with Session(engine) as session, session.begin():
        authority = session.scalar(select(Authority).where(Authority.code == code))
        assert authority is not None
        session.add(
            ClassificationRule(authority_id=authority.id, rule_id="BANG", priority=1,
                               field="any", pattern="!!!", match="contains",
                               defra_group="70", created_by="test")
        )  # fmt: skip
    engine.dispose()
    # The rule was written behind the CLI's back: recalculate explicitly (reports only read).
    tracker.run("recalculate", "--authority", code)
    table = tracker.run("inventory", "--authority", code, "--year", "2023")
    assert "Traceback" not in table.output
    warning = (
        "rule BANG: empty pattern '!!!' (a contains pattern is matched on words: give at "
        "least one letter or digit); skipped (mend it or run tracker rules delete BANG)"
    )
    assert f"Warning: {warning}" in " ".join(table.output.split())
    report = _inv(tracker, code)
    assert report["skipped_rules"] == [warning]
    # The good rule still classifies the paint (£400 + £300 in group 20.3).
    paint = [c for c in report["by_category"] if c["code"] == "20.3"]
    assert [c["spend"] for c in paint] == [700.0]
    tracker.run("rules", "delete", "BANG", "--authority", code)
    assert _inv(tracker, code)["skipped_rules"] == []


def test_naics_targets_through_the_cli(tracker: TrackerCli, tmp_path: Path) -> None:
    """A US authority's rule and override may name an EPA NAICS-6 code; a UK one may not."""
    us = "U" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", us, "--name", "US Test", "--country", "US",
                "--currency", "USD", "--fy-start-month", "1")  # fmt: skip
    (tmp_path / "us.csv").write_text(SPEND)
    tracker.run("import", str(tmp_path / "us.csv"), "--authority", us)
    ok = tracker.run("rules", "add", "PAINT1", "--authority", us, "--pattern", "crossings paint",
                     "--naics", "325510")  # fmt: skip
    assert f"Rule PAINT1 saved ({us})" in ok.output
    bad = tracker.run("rules", "add", "X", "--authority", us, "--pattern", "x",
                      "--naics", "999999", ok=False)  # fmt: skip
    assert bad.exit_code == 2 and "not a NAICS-6 code with an EPA factor" in bad.output
    uk = _setup(tracker, tmp_path)
    bad = tracker.run("rules", "add", "X", "--authority", uk, "--pattern", "x",
                      "--naics", "325510", ok=False)  # fmt: skip
    assert bad.exit_code == 2 and "give a Defra group" in bad.output
    bad = tracker.run("override", "set", "--authority", uk, "--line", "1", "--naics", "325510",
                      "--note", "paint", ok=False)  # fmt: skip
    assert bad.exit_code == 2 and "give a Defra group" in bad.output


def test_suggestion_from_another_authority_is_accepted(
    tracker: TrackerCli, share: Callable[[str], None], tmp_path: Path
) -> None:
    """Authority A (sharing its figures) buys from a supplier whose lines carry SIC 62020
    (→ Defra 62); B buys from the same supplier with no code: B's review suggests 62 with
    confidence 0.50 (all of the supplier's classified spend is in 62, times the cap of 0.5
    on the same supplier), saying why, and accepting it classifies B's £250."""
    supplier = f"Bytewell Systems {uuid.uuid4().hex[:6]} Ltd"
    a, b = ("S" + uuid.uuid4().hex[:8].upper() for _ in range(2))
    for code in (a, b):
        tracker.run("authority", "add", code, "--name", "Suggest")
    share(a)
    (tmp_path / "a.csv").write_text(
        f"Payment Date,Supplier Name,Amount,SIC code\n01/05/2023,{supplier},1000,62020\n"
    )
    (tmp_path / "b.csv").write_text(
        f"Payment Date,Supplier Name,Amount,Expense Type\n01/05/2023,{supplier},250,Sundries\n"
    )
    tracker.run("import", str(tmp_path / "a.csv"), "--authority", a)
    tracker.run("import", str(tmp_path / "b.csv"), "--authority", b)
    review = tracker.json("review", "--authority", b, "--year", "2023", "--json")
    (group,) = review["groups"]
    assert group["suggestion"]["defra_group"] == "62"
    assert group["suggestion"]["confidence"] == 0.5
    assert group["suggestion"]["basis"] == "same supplier"
    assert group["suggestion"]["evidence"] == (
        "1 line of this supplier in 1 authority sharing with yours was classified 62 by sic 62020"
    )
    assert group["confirms"] is False
    done = tracker.json(
        "review", "--authority", b, "--year", "2023", "--accept-above", "0.45", "--json"
    )
    assert done["accepted"] == [
        {"supplier": supplier, "expense_type": "Sundries", "field": "supplier", "group": "62"}
    ]
    assert done["unclassified_spend"] == 0
    inv = _inv(tracker, b)
    assert {c["code"]: c["spend"] for c in inv["by_category"]} == {"62": 250.0}


def test_expense_type_suggestion_applies_after_codes(
    tracker: TrackerCli, share: Callable[[str], None], tmp_path: Path
) -> None:
    """A classifies "Zebra crossings paint" to 20.3 with its own rule; B books the same
    expense type with a new supplier: B's review suggests 20.3 from the expense type, with
    confidence 300 / (300 + 80) x 0.5 = 0.39 (B's own £80 line of that text carries SIC
    62020 and is classified to 62; 0.5 caps the same expense type). Once accepted it
    classifies B's £120 line by "suggestion", but not the £80 line: a code outranks an
    accepted suggestion."""
    a, b = ("E" + uuid.uuid4().hex[:8].upper() for _ in range(2))
    for code in (a, b):
        tracker.run("authority", "add", code, "--name", "Suggest text")
    share(a)
    text = f"Zebra crossings paint {a}"  # unique: the PostgreSQL database is shared
    tracker.run(
        "rules", "add", f"P{a}", "--authority", a, "--pattern", text,
        "--field", "expense_type", "--match", "exact", "--group", "20.3",
    )  # fmt: skip
    head = "Payment Date,Supplier Name,Amount,Expense Type,SIC code\n"
    (tmp_path / "a.csv").write_text(head + f"01/05/2023,Old Paints,300,{text},\n")
    (tmp_path / "b.csv").write_text(
        head + f"01/05/2023,New Co {b},120,{text.upper()},\n"
        f"02/05/2023,Bytes {b},80,{text.upper()},62020\n"
    )
    tracker.run("import", str(tmp_path / "a.csv"), "--authority", a)
    tracker.run("import", str(tmp_path / "b.csv"), "--authority", b)
    tracker.json("inventory", "--authority", a, "--year", "2023", "--format", "json")
    review = tracker.json("review", "--authority", b, "--year", "2023", "--json")
    (group,) = review["groups"]
    assert group["suggestion"]["defra_group"] == "20.3"
    assert group["suggestion"]["basis"] == "same expense type"
    assert group["suggestion"]["confidence"] == 0.39
    tracker.run("review", "--authority", b, "--year", "2023", "--accept-above", "0.35")
    inv = _inv(tracker, b)
    assert {c["code"]: c["spend"] for c in inv["by_category"]} == {"20.3": 120.0, "62": 80.0}
    methods = {m["method"]: m["spend"] for m in inv["by_method"]}
    assert methods == {"suggestion": 120.0, "sic": 80.0}


def _letters(n: int = 10) -> str:
    """A word of letters only, new to the database (the PostgreSQL one is shared)."""
    return "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:n])


def test_word_suggestion_from_descriptions(
    tracker: TrackerCli, share: Callable[[str], None], tmp_path: Path
) -> None:
    """A's two lines carry SIC 62020 (→ Defra 62) and descriptions sharing one new word;
    B pays a supplier never seen before with that word in its line's description. The
    word is in two classified texts that agree, so P(62 | word) = 2 / (2 + 1) = 0.67, B's
    only known word (its supplier's name is new too, "invoice" a stop word): B's review
    suggests 62 at 0.67 x 0.4 (the cap on words) = 0.27 from the words, and accepting it
    keys a rule on B's supplier."""
    word, supplier = _letters(), _letters().capitalize()
    a, b = ("W" + uuid.uuid4().hex[:8].upper() for _ in range(2))
    for code in (a, b):
        tracker.run("authority", "add", code, "--name", "Words")
    share(a)
    head = "Payment Date,Supplier Name,Amount,Description,SIC code\n"
    (tmp_path / "a.csv").write_text(
        head + f"01/05/2023,Alpha {a},500,{word} licences,62020\n"
        f"02/05/2023,Beta {a},300,{word} support,62020\n"
    )
    (tmp_path / "b.csv").write_text(head + f"01/05/2023,{supplier},90,{word.upper()} INVOICE,\n")
    tracker.run("import", str(tmp_path / "a.csv"), "--authority", a)
    tracker.run("import", str(tmp_path / "b.csv"), "--authority", b)
    tracker.json("inventory", "--authority", a, "--year", "2023", "--format", "json")
    review = tracker.json("review", "--authority", b, "--year", "2023", "--json")
    (group,) = review["groups"]
    assert group["suggestion"] == {
        "defra_group": "62",
        "confidence": 0.27,
        "basis": f"words: {word}",
        "field": "supplier",
        "key": None,
        "similarity": None,
        "evidence": f"the words {word} (2 of 2 classified texts in 62)",
    }
    tracker.run("review", "--authority", b, "--year", "2023", "--accept-above", "0.25")
    inv = _inv(tracker, b)
    assert {c["code"]: c["spend"] for c in inv["by_category"]} == {"62": 90.0}


def test_db_upgrade_learns_evidence_of_older_runs(tracker: TrackerCli, tmp_path: Path) -> None:
    """A run computed before review evidence was kept (no evidence rows, NULL count) gets
    it from `tracker db upgrade`, which says so; a second upgrade has nothing to learn."""
    from sqlalchemy import text

    from tracker.db import make_engine

    code = _setup(tracker, tmp_path)
    _inv(tracker, code)
    engine = make_engine(tracker.env["TRACKER_DATABASE_URL"])
    try:
        runs = "SELECT r.id FROM inventory_run r JOIN authority a ON a.id = r.authority_id"
        runs += " WHERE a.code = :code"
        with engine.begin() as conn:
            conn.execute(text(f"DELETE FROM run_evidence WHERE run_id IN ({runs})"), {"code": code})
            conn.execute(
                text(f"UPDATE inventory_run SET evidence_texts = NULL WHERE id IN ({runs})"),
                {"code": code},
            )
        out = tracker.run("db", "upgrade").output
        assert "learned review-suggestion evidence for 1 inventory runs" in out
        with engine.connect() as conn:
            rows = conn.execute(
                text(f"SELECT count(*) FROM run_evidence WHERE run_id IN ({runs})"), {"code": code}
            ).scalar_one()
        assert rows > 0
        assert "learned" not in tracker.run("db", "upgrade").output
    finally:
        engine.dispose()


# --evaluate: the fixture file and labels of tests/services/test_evaluation_join.py, whose
# docstring works out the figures by hand: 4 decided lines of £8,600, 3 right (£8,000), one
# line sent to review (£400), row 6 wrong (62 where the label says 58), and two labels
# (row 99, other-file.csv) that match no line.
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "evaluation"
LABELS = str(FIXTURES / "eval-uk-spend.labels.csv")


def _setup_labelled(tracker: TrackerCli) -> str:
    code = "V" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Evaluate Test", "--fy-start-month", "1")
    tracker.run("import", str(FIXTURES / "eval-uk-spend.csv"), "--authority", code)
    return code


def test_evaluate_json_and_table(tracker: TrackerCli) -> None:
    code = _setup_labelled(tracker)
    out = tracker.json("classify", "--authority", code, "--evaluate", LABELS, "--json")
    ev = out["evaluation"]
    assert (ev["authority"], ev["labels"], ev["scored"]) == (code, 7, 5)
    assert [u["row"] for u in ev["unmatched"]] == [99, 2]
    overall = ev["overall"]
    assert (overall["decided"], overall["review"], overall["review_spend"]) == (4, 1, 400.0)
    assert overall["acceptable"] == pytest.approx(3 / 4)
    assert overall["exact_by_spend"] == pytest.approx(8000 / 8600)
    assert [(w["row"], w["got"], w["expected"]) for w in ev["largest_wrong"]] == [(6, "62", "58")]

    text = tracker.run("classify", "--authority", code, "--evaluate", LABELS).output
    assert f"{code}: 7 labelled lines in eval-uk-spend.labels.csv, 5 scored" in text
    # 4 decided, £8,600; 75.0 % by count, 93.0 % (8,000 / 8,600) by spend; 1 to review
    [total] = [ln.split() for ln in text.splitlines() if ln.startswith("all ")]
    assert total == ["all", "4", "8,600", "75.0%", "75.0%", "93.0%", "93.0%", "1", "400"]
    assert "eval-uk-spend.csv row 6" in text and "got 62 expected 58" in text
    assert "not scored: eval-uk-spend.labels.csv line 7 (eval-uk-spend.csv row 99)" in text


def test_evaluate_needs_an_authority_and_good_labels(tracker: TrackerCli, tmp_path: Path) -> None:
    missing = tracker.run("classify", "--evaluate", LABELS, ok=False)
    assert missing.exit_code == 2 and "--evaluate needs --authority" in missing.output
    code = _setup_labelled(tracker)
    bad = tmp_path / "bad.csv"
    bad.write_text(Path(LABELS).read_text().replace(",69.1,69.1,1,", ",69.1,62,1,"))
    result = tracker.run("classify", "--authority", code, "--evaluate", str(bad), ok=False)
    assert result.exit_code != 0
    assert "bad.csv line 2, column 'acceptable': must include exact '69.1'" in result.output


# A person's rule, supplier default or override naming an artefact group (7, 24.4-5, 46,
# 47, 65.3) is refused, saying why (docs/classification-policy.md §10; the review page:
# tests/dashboards/test_review_artefacts.py).
def _refused(output: str, group: str) -> None:
    assert f"Defra group {group} is an artefact group" in output, output
    assert "never used as a factor" in output


def test_rules_defaults_and_overrides_naming_an_artefact_are_refused(
    tracker: TrackerCli, tmp_path: Path
) -> None:
    code = "A" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Artefacts")
    (tmp_path / "s.csv").write_text(
        "Payment Date,Supplier Name,Amount,Expense Type\n"
        "01/05/2023,Softcat Plc,1000.00,Software licences\n"
    )
    batch = tracker.json("import", str(tmp_path / "s.csv"), "--authority", code, "--json")
    bad = tracker.run("rules", "add", "W1", "--authority", code, "--pattern", "licences",
                      "--group", "46", ok=False)  # fmt: skip
    assert bad.exit_code == 2
    _refused(bad.output, "46")
    (tmp_path / "rules.csv").write_text(
        "rule_id,priority,field,pattern,match,defra_group,scope3_category,exclude_reason,"
        "if_included,confidence,note\nW2,50,any,licences,contains,47,1,,,high,\n"
    )
    bad = tracker.run("rules", "import", str(tmp_path / "rules.csv"), "--authority", code,
                      ok=False)  # fmt: skip
    _refused(bad.output, "47")
    bad = tracker.run("supplier-default", "set", "Softcat Plc", "--authority", code,
                      "--group", "65.3", ok=False)  # fmt: skip
    _refused(bad.output, "65.3")
    row = f"{batch['batch_id']}:2"
    bad = tracker.run("override", "set", "--authority", code, "--row", row, "--group", "7",
                      "--note", "ore", ok=False)  # fmt: skip
    _refused(bad.output, "7")
    assert "W1" not in tracker.run("rules", "list", "--authority", code).output


def test_a_code_that_says_nothing_is_set_aside_on_the_lines(
    tracker: TrackerCli, tmp_path: Path
) -> None:
    """ProClass 192100 "Facilities & Management Services > Retail" is a review row
    (policy §10): beside a ledger text the library reads, the text decides and the code
    is recorded as set aside; alone, the line is unclassified and says why."""
    code = "R" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Retail heading")
    (tmp_path / "r.csv").write_text(
        "Payment Date,Supplier Name,Amount,Expense Type,ProClass\n"
        "01/05/2023,Corner Shop Ltd,80.00,Stationery,192100\n"
        "02/05/2023,Corner Shop Ltd,20.00,,192100\n"
    )
    tracker.run("import", str(tmp_path / "r.csv"), "--authority", code)
    out = tmp_path / "csv"
    tracker.run("report", "--authority", code, "--year", "2023", "--csv-dir", str(out))
    with (out / f"{code}-2023-lines.csv").open(encoding="utf-8-sig") as fh:
        lines = {r["Source row"]: r for r in csv.DictReader(fh)}
    said_nothing = "proclass 192100 → ?: says nothing about what was bought"
    assert (lines["2"]["Category code"], lines["2"]["Evidence that lost"]) == (
        "17", said_nothing
    )  # fmt: skip
    assert lines["3"]["Status"] == "unmapped"
    assert lines["3"]["Evidence that lost"] == f"refused: {said_nothing}"
    assert lines["3"]["Note"].startswith("the line's evidence was set aside")
