"""Amounts printed by the command line are in the authority's currency: a US authority's
spend is in dollars and never shown with a pound sign (the inventory table and its CSV,
`tracker classify`, `tracker review`, `tracker batch list` and `tracker batch delete`).

The file of test_cli_classify, imported for a US authority (calendar years): $1,000 of legal fees
(library rule R075), $2,000 of salaries (excluded: staff) and $400 + $300 of road paint
that no rule classifies, so $700.00 is unclassified, $2,000.00 excluded, and the batch
holds $1,000 + $2,000 + $400 + $300 = $3,700.00.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from cli_helpers import TrackerCli
from test_cli_classify import SPEND


def _us_authority(tracker: TrackerCli, tmp_path: Path) -> tuple[str, int]:
    code = "D" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Dollar Town", "--country", "US",
                "--currency", "USD", "--fy-start-month", "1")  # fmt: skip
    (tmp_path / "us.csv").write_text(SPEND.replace("Zed Markings", f"Zed Markings {code}"))
    batch = tracker.json("import", str(tmp_path / "us.csv"), "--authority", code, "--json")
    return code, int(batch["batch_id"])


def test_a_us_authority_is_shown_in_dollars(tracker: TrackerCli, tmp_path: Path) -> None:
    code, batch = _us_authority(tracker, tmp_path)

    classify = tracker.run("classify", "--authority", code).output
    assert "excluded $2,000.00, unclassified $700.00" in classify

    review = tracker.run("review", "--authority", code, "--year", "2023").output
    assert "$700.00 unclassified" in review
    assert "$700.00" in review.splitlines()[2]  # the one group: both paint lines

    listed = tracker.run("batch", "list", "--authority", code).output
    assert "$3,700.00" in listed

    table = tracker.run("inventory", "--authority", code, "--year", "2023").output
    assert "Spend $3,700.00 (4 lines)" in table and "unmapped $700.00" in table
    assert "Excluded from Scope 3 categories 1-2: $2,000.00 (staff $2,000)" in table
    assert "Spend $" in table
    csv_text = tracker.run(
        "inventory", "--authority", code, "--year", "2023", "--format", "csv"
    ).output
    assert csv_text.splitlines()[0] == "authority,year,code,category,spend_usd,kgco2e"
    as_json = tracker.json("inventory", "--authority", code, "--year", "2023", "--format", "json")
    assert as_json["currency"] == "USD"

    deleted = tracker.run("batch", "delete", str(batch), "--authority", code, "--yes").output
    assert "4 lines, $3,700.00" in deleted
    for text in (classify, review, listed, table, csv_text, deleted):
        assert "£" not in text
