"""Locked years change only through a restatement; every version stays reproducible.

Defra 42.1-2, 2022 factor: 0.311372 kg/£ in the to-2023 edition, 0.32603907003604038 in
the to-2022 edition (methodology.md §3.8 B: "0.311 … but 0.326 with the to-2022 edition").
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from cli_helpers import TrackerCli

SPEND = "Payment Date,Supplier Name,Amount,SIC code\n15/06/2022,Road Co,1000.00,42110\n"
MORE = "Payment Date,Supplier Name,Amount,SIC code\n16/06/2022,Road Co,500.00,42110\n"


def _inv(tracker: TrackerCli, code: str, *extra: str) -> dict:  # type: ignore[type-arg]
    return tracker.json(  # type: ignore[no-any-return]
        "inventory", "--authority", code, "--year", "2022", "--format", "json", *extra
    )


def test_lock_restate_and_reproduce(tracker: TrackerCli, tmp_path: Path) -> None:
    code = "V" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Versions")
    (tmp_path / "a.csv").write_text(SPEND)
    tracker.run("import", str(tmp_path / "a.csv"), "--authority", code)
    v1 = _inv(tracker, code)
    assert (v1["version"], v1["total_kgco2e"]) == (1, pytest.approx(311.372))

    blank = tracker.run("lock", "--authority", code, "--year", "2022", "--reason", "  ",
                        ok=False)  # fmt: skip
    assert blank.exit_code == 2 and "A lock needs a reason" in blank.output
    unsaid = tracker.run("lock", "--authority", code, "--year", "2022", ok=False)
    assert unsaid.exit_code == 2 and "--reason" in unsaid.output
    assert not _inv(tracker, code)["locked"]
    tracker.run("lock", "--authority", code, "--year", "2022", "--reason", "published")
    tracker.run("authority", "set", code, "--edition", "to-2022")
    (tmp_path / "b.csv").write_text(MORE)
    tracker.run("import", str(tmp_path / "b.csv"), "--authority", code)
    locked = _inv(tracker, code)
    assert locked["version"] == 1 and locked["locked"] and locked["inputs_changed_since"]
    assert locked["total_kgco2e"] == pytest.approx(311.372)

    no_reason = tracker.run("restate", "--authority", code, "--year", "2022", "--reason", " ",
                            ok=False)  # fmt: skip
    assert no_reason.exit_code == 2 and "needs a reason" in no_reason.output
    tracker.run("restate", "--authority", code, "--year", "2022", "--reason", "to-2022 edition")
    v2 = _inv(tracker, code)
    assert v2["version"] == 2 and v2["locked"] and not v2["inputs_changed_since"]
    assert v2["version_reason"] == "to-2022 edition"
    # 1,500 × 0.32603907003604038 = 489.058605…
    assert v2["total_kgco2e"] == pytest.approx(489.058605, abs=1e-6)
    # Version 1 is unchanged.
    assert _inv(tracker, code, "--version", "1")["total_kgco2e"] == pytest.approx(311.372)
    missing = tracker.run("inventory", "--authority", code, "--year", "2022", "--version", "9",
                          ok=False)  # fmt: skip
    assert missing.exit_code == 2 and "versions: 1, 2" in missing.output

    log = tracker.json("audit", "--authority", code, "--json")
    assert [(e["action"], e["year"], e["reason"]) for e in log] == [
        ("lock", 2022, "published"),
        ("restate", 2022, "to-2022 edition"),
    ]
    assert log[1]["details"]["from_version"] == 1 and log[1]["details"]["to_version"] == 2
    diff = tracker.json(
        "inventory", "diff", "--authority", code, "--year", "2022", "--from", "1", "--to", "2",
        "--json",
    )  # fmt: skip
    # New £500 line at the to-2022 factor: 500 × 0.32603907003604038 = 163.019535 kg;
    # factor change on the £1,000 line: 1,000 × (0.32603907003604038 − 0.311372) =
    # 14.667070 kg; together the whole difference 489.058605 − 311.372 = 177.686605 kg.
    assert diff["new_lines"] == pytest.approx(0.163019535, abs=1e-9)
    assert diff["factor"] == pytest.approx(0.01466707, abs=1e-8)
    assert diff["difference"] == pytest.approx(0.177686605, abs=1e-9)
    assert diff["spend"] == diff["reclassification"] == diff["price_year"] == 0
