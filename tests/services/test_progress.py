"""Progress against a target, worked by hand.

Calendar-year authority buying £1,000,000 of civil engineering (SIC 42110 → Defra 42.1-2)
each year; Defra to-2023 factors: 2019 0.350593, 2020 0.367664, 2021 0.334596 kg/£, so
actual emissions are 350,593 / 367,664 / 334,596 kg. Target: −50 % by 2030 from 2019,
linear. Pathway: 350,593 − (175,296.5 / 11)·(y − 2019): 2020 334,656.95, 2021 318,720.91.
2020 is off track (above pathway × 1.05); 2021 is within the 5 % margin (334,596 ≤
318,720.91 × 1.05 = 334,656.96) but, by the one status rule (tracker.domain.status), off
track: the budget runs out in 2028, before 2030 (below), and 1,052,853 kg used since 2019 is
more than the pathway's 350,593 + 334,656.95 + 318,720.91 = 1,003,970.86 kg to date.
Needed from 2021: (334,596 − 175,296.5) / 9 = 17,699.94 kg a year. Budget 2019–2030 =
12 × (350,593 + 175,296.5) / 2 = 3,155,337 kg. Trend (least squares over 2019–2021) =
(334,596 − 350,593) / 2 = −7,998.5 kg/yr; cumulative actual then projected passes the
budget in 2028 (3,171,067 kg).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from cli_helpers import TrackerCli


def test_progress_against_a_linear_target(tracker: TrackerCli, tmp_path: Path) -> None:
    code = "P" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Progress", "--fy-start-month", "1")
    rows = "".join(f"15/06/{y},Road Co,1000000,42110\n" for y in (2019, 2020, 2021))
    (tmp_path / "s.csv").write_text("Payment Date,Supplier Name,Amount,SIC code\n" + rows)
    tracker.run("import", str(tmp_path / "s.csv"), "--authority", code)
    for year in ("2019", "2020", "2021"):  # one line dated June stands for each year
        tracker.run("year", "confirm-complete", "--authority", code, "--year", year,
                    "--reason", "the year's spend in one line")  # fmt: skip
    missing = tracker.run("progress", "--authority", code, ok=False)
    assert missing.exit_code == 2 and "no target yet" in missing.output
    tracker.run("target", "set", "--authority", code, "--baseline-year", "2019",
                "--target-year", "2030", "--reduction", "50")  # fmt: skip
    p = tracker.json("progress", "--authority", code, "--format", "json")
    assert p["baseline_kgco2e"] == pytest.approx(350_593)
    assert p["target_kgco2e"] == pytest.approx(175_296.5)
    years = {y["year"]: y for y in p["years"]}
    assert years[2020]["pathway_kgco2e"] == pytest.approx(334_656.95, abs=0.01)
    assert years[2021]["pathway_kgco2e"] == pytest.approx(318_720.91, abs=0.01)
    assert (years[2020]["status"], years[2021]["status"]) == ("off track", "off track")
    # (334,596 − 318,720.91) / 318,720.91 = 4.98 % above the pathway
    assert years[2021]["status_explained"] == (
        "Off track: 2021 is 5 % above the pathway (within the 5 % margin), 1,053 tCO2e "
        "emitted since the 2019 baseline is more than the pathway's 1,004 tCO2e to date and "
        "at the current trend the carbon budget to 2030 (3,155 tCO2e) runs out in 2028."
    )
    assert p["target"] == (
        "−50 % by 2030 from the 2019 baseline of 351 tCO2e, on a straight-line pathway"
    )
    assert p["required_annual_cut_kgco2e"] == pytest.approx(17_699.94, abs=0.01)
    assert p["carbon_budget_kgco2e"] == pytest.approx(3_155_337)
    assert p["budget_used_kgco2e"] == pytest.approx(1_052_853)
    assert p["budget_exhausted_year"] == 2028


def test_a_part_year_is_left_out_until_confirmed(tracker: TrackerCli, tmp_path: Path) -> None:
    """2021's £1m falls in January to March only (£400k + £300k + £300k, the same 334,596
    kg as the module's example): a part year. Until an officer confirms it, it has no
    status and the budget used is 2019 + 2020 = 350,593 + 367,664 = 718,257 kg; once
    confirmed it counts as in the module's example (1,052,853 kg, off track)."""
    code = "P" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Part Year", "--fy-start-month", "1")
    rows = "".join(f"15/06/{y},Road Co,1000000,42110\n" for y in (2019, 2020))
    rows += "".join(f"15/{m}/2021,Road Co,{a},42110\n" for m, a in (
        ("01", 400000), ("02", 300000), ("03", 300000)))  # fmt: skip
    (tmp_path / "s.csv").write_text("Payment Date,Supplier Name,Amount,SIC code\n" + rows)
    tracker.run("import", str(tmp_path / "s.csv"), "--authority", code)
    for year in ("2019", "2020"):
        tracker.run("year", "confirm-complete", "--authority", code, "--year", year,
                    "--reason", "the year's spend in one line")  # fmt: skip
    tracker.run("target", "set", "--authority", code, "--baseline-year", "2019",
                "--target-year", "2030", "--reduction", "50")  # fmt: skip
    p = tracker.json("progress", "--authority", code, "--format", "json")
    y2021 = next(y for y in p["years"] if y["year"] == 2021)
    assert y2021["actual_kgco2e"] == pytest.approx(334_596)
    assert (y2021["status"], y2021["part_year"]) == (None, True)
    assert y2021["coverage"] == "Jan-Mar 2021: 3 of 12 months"
    assert y2021["status_explained"] == (
        "2021 is a part year (3 of 12 months): no status until the year is complete."
    )
    assert p["latest_year"] == 2020
    assert p["budget_used_kgco2e"] == pytest.approx(718_257)
    table = tracker.run("progress", "--authority", code).output
    assert "  2021  actual      334.6  pathway " in table and table.count("part year") == 1
    tracker.run("year", "confirm-complete", "--authority", code, "--year", "2021",
                "--reason", "road works paid in the first quarter")  # fmt: skip
    p = tracker.json("progress", "--authority", code, "--format", "json")
    y2021 = next(y for y in p["years"] if y["year"] == 2021)
    assert (y2021["status"], y2021["part_year"]) == ("off track", False)
    assert p["latest_year"] == 2021
    assert p["budget_used_kgco2e"] == pytest.approx(1_052_853)


def test_bad_target_is_explained(tracker: TrackerCli) -> None:
    code = "P" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Bad Target")
    bad = tracker.run("target", "set", "--authority", code, "--baseline-year", "2030",
                      "--target-year", "2020", "--reduction", "50", ok=False)  # fmt: skip
    assert bad.exit_code == 2 and "target year must be after the baseline year" in bad.output


def test_year_on_year_change_adds_up(tracker: TrackerCli, tmp_path: Path) -> None:
    """2019 → 2020 with one category: spend unchanged (£1m), so volume and mix are 0 and
    the whole change 367,664 − 350,593 = 17,071 kg is intensity (the factor moved)."""
    code = "Y" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Change", "--fy-start-month", "1")
    rows = "".join(f"15/06/{y},Road Co,1000000,42110\n" for y in (2019, 2020))
    (tmp_path / "s.csv").write_text("Payment Date,Supplier Name,Amount,SIC code\n" + rows)
    tracker.run("import", str(tmp_path / "s.csv"), "--authority", code)
    c = tracker.json("inventory", "change", "--authority", code, "--year", "2020", "--json")
    assert c["difference"] == pytest.approx(17.071)
    assert c["volume"] == pytest.approx(0, abs=1e-12) and c["mix"] == pytest.approx(0, abs=1e-12)
    assert c["intensity"] == pytest.approx(17.071)


def test_baseline_does_not_move_until_restated(tracker: TrackerCli, tmp_path: Path) -> None:
    """Spend added to the baseline year doubles its figure (2 × £1,000,000 × 0.350593 =
    701,186 kg): the target keeps the recorded 350,593 kg, its pathway and statuses, and
    says so, until `tracker target restate` applies the new figure with a reason."""
    code = "B" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Baseline", "--fy-start-month", "1")
    rows = "".join(f"15/06/{y},Road Co,1000000,42110\n" for y in (2019, 2020, 2021))
    (tmp_path / "s.csv").write_text("Payment Date,Supplier Name,Amount,SIC code\n" + rows)
    tracker.run("import", str(tmp_path / "s.csv"), "--authority", code)
    tracker.run("target", "set", "--authority", code, "--baseline-year", "2019",
                "--target-year", "2030", "--reduction", "50")  # fmt: skip
    before = tracker.json("progress", "--authority", code, "--format", "json")
    assert before["baseline_notice"] is None
    (tmp_path / "more.csv").write_text(
        "Payment Date,Supplier Name,Amount,SIC code\n20/07/2019,Bridge Co,1000000,42110\n"
    )
    tracker.run("import", str(tmp_path / "more.csv"), "--authority", code)
    after = tracker.json("progress", "--authority", code, "--format", "json")
    assert after["baseline_kgco2e"] == pytest.approx(350_593)
    # the baseline year's actual figure moves; pathway, statuses and sentences do not
    assert after["years"][0]["actual_kgco2e"] == pytest.approx(701_186)
    assert after["years"][1:] == before["years"][1:]
    assert [y["pathway_kgco2e"] for y in after["years"]] == [
        y["pathway_kgco2e"] for y in before["years"]
    ]
    assert after["baseline_notice"] == (
        "Baseline restated from 351 tCO2e to 701 tCO2e? The 2019 figures changed from "
        "351 tCO2e to 701 tCO2e (+100.0 %), at least the 5 % significance threshold, so the "
        "baseline should be restated. The target still uses 351 tCO2e until the baseline is "
        "restated with a reason."
    )
    table = tracker.run("progress", "--authority", code).output
    assert "Baseline restated from 351 tCO2e to 701 tCO2e?" in table

    blank = tracker.run("target", "restate", "--authority", code, "--reason", "  ", ok=False)
    assert blank.exit_code == 2 and "needs a reason" in blank.output
    done = tracker.run("targets", "restate", "--authority", code, "--reason", "2019 completed")
    assert "restated from 351 tCO2e to 701 tCO2e" in done.output
    restated = tracker.json("progress", "--authority", code, "--format", "json")
    assert restated["baseline_kgco2e"] == pytest.approx(701_186)
    assert restated["baseline_notice"] is None
    again = tracker.run("target", "restate", "--authority", code, "--reason", "again", ok=False)
    assert again.exit_code == 2 and "nothing to restate" in again.output

    audit = tracker.json("audit", "--authority", code, "--json")
    entry = next(e for e in audit if e["action"] == "restate baseline")
    assert entry["reason"] == "2019 completed" and entry["actor"].startswith("cli")
    details = entry["details"]
    assert Decimal(details["from_kgco2e"]) == Decimal("350593")
    assert Decimal(details["to_kgco2e"]) == Decimal("701186")
    assert details["from_versions"] == {"2019": 1} and details["to_versions"] == {"2019": 2}
    assert details["significant"] is True


def test_target_needs_its_baseline_inventory(tracker: TrackerCli) -> None:
    code = "N" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "No Spend", "--fy-start-month", "1")
    early = tracker.run("target", "set", "--authority", code, "--baseline-year", "2019",
                        "--target-year", "2030", "--reduction", "50", ok=False)  # fmt: skip
    assert early.exit_code == 2 and "no inventory for baseline year(s) 2019" in early.output
