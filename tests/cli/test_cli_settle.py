"""`tracker contracts ambiguous` and `tracker contracts settle` on the command line (the
service is tested in tests/services/contracts/test_settle_payments.py)."""

from __future__ import annotations

import uuid

from cli_helpers import TrackerCli


def test_ambiguous_and_settle_commands(tracker: TrackerCli) -> None:
    code = "S" + uuid.uuid4().hex[:7].upper()
    tracker.run("authority", "add", code, "--name", "Settle Town")
    listed = tracker.run("contracts", "ambiguous", "--authority", code)
    assert f"{code}: no payment could belong to several contracts." in listed.output
    assert tracker.json("contracts", "ambiguous", "--authority", code, "--json") == []
    refused = tracker.run(
        "contracts", "settle", "--authority", code, "--row", "1:2", "--contract", "7",
        "--reason", "PO 4471", ok=False,
    )  # fmt: skip
    assert refused.exit_code == 2
    assert f"row 1:2 of {code} is no payment found ambiguous between contracts" in refused.output
    bad = tracker.run(
        "contracts", "settle", "--authority", code, "--row", "12", "--contract", "7",
        "--reason", "x", ok=False,
    )  # fmt: skip
    assert bad.exit_code == 2 and "BATCH:ROW" in bad.output
