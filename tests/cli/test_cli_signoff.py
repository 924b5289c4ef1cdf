"""`tracker review --rank tonnes`, `--signoff`, `--confirm` and `--confirm-line`.

Each line's kgCO2e is read from the lines CSV; the arithmetic on top is the sign-off
policy (docs/classification-policy.md, "Sign-off review"), worked here by hand: the
classified lines' kg over their spend is the year's intensity; unclassified spend counts
at that intensity with doubt 1, a low-confidence line at half its kg.
"""

from __future__ import annotations

import csv
import uuid
from pathlib import Path

import pytest
from cli_helpers import TrackerCli

SPEND = (
    "Payment Date,Supplier Name,Amount,Expense Type,ProClass\n"
    "01/05/2023,Ashcombe Solicitors,5000.00,Legal fees,\n"
    # ProClass 341000 (paper, 17) decides; the text reads software: a low-confidence conflict.
    "02/05/2023,Paperwise Ltd,300.00,Software licences,341000\n"
    "03/05/2023,Paperwise Ltd,200.00,Stationery,341000\n"
    "04/05/2023,Mystery Trading,400.00,Sundries,\n"
    "05/05/2023,Payroll,2000.00,Salaries,\n"
)


def _lines(tracker: TrackerCli, code: str, tmp_path: Path) -> dict[str, dict[str, str]]:
    out = tmp_path / f"csv-{uuid.uuid4().hex[:6]}"
    tracker.run("report", "--authority", code, "--year", "2023", "--csv-dir", str(out))
    with (out / f"{code}-2023-lines.csv").open(encoding="utf-8-sig") as fh:
        return {r["Source row"]: r for r in csv.DictReader(fh)}


def test_rank_signoff_and_confirm(tracker: TrackerCli, tmp_path: Path) -> None:
    code = "S" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Signoff Test")
    (tmp_path / "s.csv").write_text(SPEND)
    tracker.run("import", str(tmp_path / "s.csv"), "--authority", code)
    lines = _lines(tracker, code, tmp_path)
    legal, software, stationery, mystery, payroll = (lines[str(r)] for r in range(2, 7))
    assert [r["Status"] for r in (legal, software, stationery, mystery, payroll)] == [
        "mapped", "mapped", "mapped", "unmapped", "excluded"
    ]  # fmt: skip
    kg = {k: float(r["kgCO2e"]) for k, r in (("l", legal), ("sw", software), ("st", stationery))}
    intensity = (kg["l"] + kg["sw"] + kg["st"]) / 5500
    stake_software = 0.5 * kg["sw"]  # low confidence: half its kg
    stake_mystery = 400 * intensity  # unclassified: all of its estimated kg

    by_spend = tracker.json("review", "--authority", code, "--year", "2023", "--json")
    assert [g["supplier"] for g in by_spend["groups"]] == ["Mystery Trading", "Paperwise Ltd"]
    by_tonnes = tracker.json(
        "review", "--authority", code, "--year", "2023", "--rank", "tonnes", "--json"
    )
    stakes = {g["supplier"]: g["at_stake_kg"] for g in by_tonnes["groups"]}
    assert stakes == {
        "Mystery Trading": pytest.approx(stake_mystery),
        "Paperwise Ltd": pytest.approx(stake_software),
    }
    expected = sorted(stakes, key=stakes.__getitem__, reverse=True)
    assert [g["supplier"] for g in by_tonnes["groups"]] == expected

    s = tracker.json("review", "--authority", code, "--year", "2023", "--signoff", "--json")
    total = kg["l"] + kg["sw"] + kg["st"] + 400 * intensity
    assert s["total_kg"] == pytest.approx(total)
    ranked = sorted(
        [("Ashcombe Solicitors", kg["l"]), ("Paperwise Ltd", kg["sw"]),
         ("Paperwise Ltd", kg["st"]), ("Mystery Trading", 400 * intensity)],
        key=lambda p: p[1], reverse=True,
    )  # fmt: skip
    want, reached = [], 0.0
    for supplier, k in ranked:
        if reached >= 0.8 * total:
            break
        want.append(supplier)
        reached += k
    assert [g["supplier"] for g in s["groups"]] == want
    assert s["confirmed"] == 0

    first = s["groups"][0]
    out = tracker.run(
        "review", "--authority", code, "--year", "2023", "--confirm", "1",
        "--confirm-line", legal["Line id"],
    ).output  # fmt: skip
    assert "Confirmed group 1" in out and f"Confirmed line {legal['Line id']}" in out
    after = tracker.json("review", "--authority", code, "--year", "2023", "--signoff", "--json")
    assert after["groups"][0]["class_key"] == first["class_key"]
    assert after["groups"][0]["confirmation"]["state"] == "confirmed"
    assert after["confirmed"] == 1

    text = tracker.run("review", "--authority", code, "--year", "2023", "--signoff").output
    assert "groups make" in text and "confirmed (confirmed by" in text
    ranked_text = tracker.run(
        "review", "--authority", code, "--year", "2023", "--rank", "tonnes"
    ).output
    assert "most tonnes at stake first" in ranked_text and "t at stake" in ranked_text

    bad = tracker.run("review", "--authority", code, "--year", "2023", "--confirm-line", "0",
                      ok=False)  # fmt: skip
    assert bad.exit_code != 0 and "line 0 is not in" in bad.output
