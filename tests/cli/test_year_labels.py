"""The command line names financial years as the dashboard does (``2023/24``) and takes
them either way: by the calendar year they start in (``2023``) or by that label.

An April authority: 15/06/2023 falls in 2023/24 (1 April 2023 to 31 March 2024) and
10/05/2022 in 2022/23. A calendar-year authority's 2023 stays ``2023``.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from cli_helpers import TrackerCli, migrated_cli

SPEND = (
    "Payment Date,Supplier Name,Amount,SIC code\n"
    "10/05/2022,Greystone Roadworks Ltd,300000.00,42110\n"
    "15/06/2023,Greystone Roadworks Ltd,250000.00,42110\n"
    "20/07/2023,Unknown Payee,100.00,\n"
)


def _authority(db_url: str, tmp_path: Path, *extra: str) -> tuple[TrackerCli, str]:
    """The CLI and a new authority (April years unless ``extra`` says otherwise) holding
    ``SPEND``."""
    tracker = migrated_cli(db_url, tmp_path)
    code = "L" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Label Borough", *extra)
    (tmp_path / "spend.csv").write_text(SPEND, encoding="utf-8")
    tracker.run("import", str(tmp_path / "spend.csv"), "--authority", code)
    return tracker, code


def test_years_are_taken_as_labels_and_printed_as_labels(
    private_db_url: str, tmp_path: Path
) -> None:
    # A database of its own: `tracker compare` below reads every authority in it.
    tracker, code = _authority(private_db_url, tmp_path)
    out = tracker.run(
        "target", "set", "--authority", code, "--baseline-year", "2022/23",
        "--target-year", "2030", "--reduction", "50", "--interim", "2025/26=25",
    ).output  # fmt: skip
    assert out.strip() == (
        f"Target for {code}: −50 % by 2030/31 from the 2022/23 baseline, "
        "on a straight-line pathway."
    )
    progress = tracker.run("progress", "--authority", code).output
    assert "(2022/23); target" in progress and "by 2030/31 (straight-line pathway)" in progress
    assert "linear" not in progress
    assert "\n  2023/24  actual" in progress
    assert "Carbon budget to 2030/31:" in progress
    # The JSON keeps the start years a program reads.
    as_json = tracker.json("progress", "--authority", code, "--format", "json")
    assert as_json["baseline_years"] == [2022] and as_json["target_year"] == 2030

    out = tracker.run(
        "lock", "--authority", code, "--year", "2023/24", "--reason", "published"
    ).output
    assert out.startswith(f"Locked {code} 2023/24 at inventory run ")
    out = tracker.run("restate", "--authority", code, "--year", "2023", "--reason", "again").output
    assert out.startswith(f"Restated {code} 2023/24: version 1 ")
    audit = tracker.run("audit", "--authority", code).output
    assert " lock 2023/24: published" in audit and " restate 2023/24: again" in audit
    diff = tracker.run(
        "inventory", "diff", "--authority", code, "--year", "2023/24", "--from", "1", "--to", "2"
    ).output
    assert diff.startswith(f"{code} 2023/24: version 1 -> 2")
    change = tracker.run("inventory", "change", "--authority", code, "--year", "2023/24").output
    assert change.startswith(f"{code} 2022/23 -> 2023/24 (tCO2e):")
    review = tracker.run("review", "--authority", code, "--year", "2023/24").output
    assert review.startswith(f"{code} 2023/24: £100.00 unclassified")
    signoff = tracker.run("review", "--authority", code, "--year", "2023", "--signoff").output
    assert signoff.startswith(f"{code} 2023/24: ")
    classify = tracker.run("classify", "--authority", code).output
    assert f"{code} 2022/23: classified 100.0% of in-scope" in classify
    # £250,000 of £250,100 classified is 99.96 %, never shown as 100.0 %.
    assert f"{code} 2023/24: classified 99.96% of in-scope" in classify
    assert "by method: supplier's SIC code 100.0%" in classify
    compare = tracker.run("compare", "--year", "2023/24").output
    assert compare.startswith("Financial year 2023/24: ")
    # Human names, not "defra-uk-sic to-2023; matched"; 99.96 % reads 99.9%, not 100%.
    assert (
        "99.9%  –          Defra UK spend factors by SIC, edition to 2023; each year's own "
        "factors; spend brought to their price year with UK CPI (ONS series D7BT)"
    ) in compare


def test_a_calendar_year_keeps_its_plain_name(db_url: str, tmp_path: Path) -> None:
    tracker, code = _authority(db_url, tmp_path, "--fy-start-month", "1")
    out = tracker.run("lock", "--authority", code, "--year", "2023", "--reason", "published")
    assert out.output.startswith(f"Locked {code} 2023 at inventory run ")


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("2023/25", "the year after 2023 is 24 (2023/24)"),
        ("FY2023", "give 2023 or 2023/24"),
    ],
)
def test_a_year_that_is_not_one_is_refused_with_what_to_give(
    db_url: str, tmp_path: Path, given: str, says: str
) -> None:
    tracker, code = _authority(db_url, tmp_path)
    result = tracker.run(
        "lock", "--authority", code, "--year", given, "--reason", "published", ok=False
    )
    assert result.exit_code == 2
    assert "--year" in result.output and says in result.output
