"""`tracker year completeness` and `tracker year confirm-complete` on stored lines.

Hand-worked: an April financial year; lines dated 1 Apr, 15 Apr, 3 May and 30 Jun 2023
cover Apr-Jun 2023/24 (3 of 12 months); 31 Mar 2023 is the last month of 2022/23; a line
in a deleted batch does not count.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from cli_helpers import TrackerCli

SPEND = (
    "Payment Date,Supplier Name,Amount,Expense Type\n"
    "31/03/2023,Ashcombe Solicitors,100.00,Legal fees\n"
    "01/04/2023,Ashcombe Solicitors,100.00,Legal fees\n"
    "15/04/2023,Ashcombe Solicitors,100.00,Legal fees\n"
    "03/05/2023,Paperwise Ltd,200.00,Stationery\n"
    "30/06/2023,Paperwise Ltd,200.00,Stationery\n"
)
LATER = (
    "Payment Date,Supplier Name,Amount,Expense Type\n01/09/2023,Paperwise Ltd,50.00,Stationery\n"
)


def _fail(tracker: TrackerCli, *args: str) -> str:
    result = tracker.run(*args, ok=False)
    assert result.exit_code != 0
    return result.output


def test_completeness_and_confirmation(tracker: TrackerCli, tmp_path: Path) -> None:
    code = "Y" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Year Test")
    (tmp_path / "a.csv").write_text(SPEND)
    tracker.run("import", str(tmp_path / "a.csv"), "--authority", code)
    (tmp_path / "b.csv").write_text(LATER)
    tracker.run("import", str(tmp_path / "b.csv"), "--authority", code)
    years = tracker.json("year", "completeness", "--authority", code, "--json")
    assert [(y["year"], y["months_covered"], y["coverage"]) for y in years] == [
        (2022, 1, "Mar 2022/23: 1 of 12 months"),
        (2023, 4, "Apr-Jun, Sep 2023/24: 4 of 12 months"),
    ]
    assert not any(y["complete"] for y in years)

    # A deleted batch's lines no longer count.
    batches = tracker.json("batch", "list", "--authority", code, "--json")
    later = next(b for b in batches if b["file"] == "b.csv")
    tracker.run("batch", "delete", str(later["batch_id"]), "--authority", code, "--yes")
    years = tracker.json("year", "completeness", "--authority", code, "--json")
    assert years[1]["coverage"] == "Apr-Jun 2023/24: 3 of 12 months"

    failed = _fail(
        tracker, "year", "confirm-complete", "--authority", code, "--year", "2023", "--reason", " "
    )
    assert "needs a reason" in failed
    failed = _fail(
        tracker, "year", "confirm-complete", "--authority", code, "--year", "2021", "--reason", "x"
    )
    assert f"{code} 2021/22 has no spend lines to confirm" in failed

    out = tracker.run(
        "year", "confirm-complete", "--authority", code, "--year", "2023",
        "--reason", "service closed from July",
    )  # fmt: skip
    assert "Apr-Jun 2023/24: 3 of 12 months, confirmed complete by cli:" in out.output
    years = tracker.json("year", "completeness", "--authority", code, "--json")
    assert [y["complete"] for y in years] == [False, True]
    failed = _fail(
        tracker,
        "year",
        "confirm-complete",
        "--authority",
        code,
        "--year",
        "2023",
        "--reason",
        "again",
    )
    assert "already confirmed complete" in failed
    audit = tracker.run("audit", "--authority", code).output
    assert "confirm complete" in audit and "service closed from July" in audit


def test_a_confirmation_is_withdrawn_with_a_reason_and_audited(
    tracker: TrackerCli, tmp_path: Path
) -> None:
    code = "W" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Withdraw Test")
    (tmp_path / "a.csv").write_text(SPEND)
    tracker.run("import", str(tmp_path / "a.csv"), "--authority", code)
    args = ("year", "withdraw-confirmation", "--authority", code, "--year", "2023/24")
    # Nothing confirmed yet: nothing to withdraw.
    assert "2023/24 was not confirmed complete: nothing to withdraw" in _fail(
        tracker, *args, "--reason", "x"
    )
    tracker.run(
        "year", "confirm-complete", "--authority", code, "--year", "2023", "--reason", "closed"
    )
    assert "needs a reason" in _fail(tracker, *args, "--reason", "  ")

    out = tracker.run(*args, "--reason", "July to March still to come").output
    assert "Withdrawn the confirmation by cli:" in out
    assert f"{code} Apr-Jun 2023/24: 3 of 12 months is a part year again." in out
    years = tracker.json("year", "completeness", "--authority", code, "--json")
    assert [(y["year"], y["complete"], y["confirmed_by"]) for y in years] == [
        (2022, False, None),
        (2023, False, None),
    ]
    audit = tracker.json("audit", "--authority", code, "--json")
    withdrawn = next(e for e in audit if e["action"] == "withdraw confirmation")
    assert withdrawn["year"] == 2023
    assert withdrawn["reason"] == "July to March still to come"
    assert withdrawn["details"]["confirmed_because"] == "closed"
    assert withdrawn["details"]["months_covered"] == 3
    # It can be confirmed again afterwards.
    tracker.run(
        "year", "confirm-complete", "--authority", code, "--year", "2023", "--reason", "again"
    )
