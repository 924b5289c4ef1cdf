"""Overlapping uploads, saved column mappings and batch deletion through the CLI.

Emission figures: SIC 42110 → Defra group 42.1-2, 2023 factor 0.26547 kgCO2e/£
(methodology.md §3.8 B), so £1,000 = 265.47 kg.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from cli_helpers import TrackerCli

MAY = (
    "Payment Date,Supplier Name,Amount,SIC code,Transaction Number\n"
    "02/05/2023,Road Co,1000.00,42110,A1\n"
    "03/05/2023,Road Co,1000.00,42110,A2\n"
    "03/05/2023,Road Co,1000.00,42110,A2\n"
)
# A re-issued file: the same three rows (one of the identical pair only once) plus one new.
MAY_AGAIN = (
    "Payment Date,Supplier Name,Amount,SIC code,Transaction Number\n"
    "02/05/2023,ROAD CO,1000.00,42110,A1\n"
    "03/05/2023,Road Co,1000.00,42110,A2\n"
    "20/05/2023,Road Co,2000.00,42110,A3\n"
)


def _authority(tracker: TrackerCli) -> str:
    code = "B" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Batch Test")
    return code


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _kg(tracker: TrackerCli, code: str) -> float:
    inv = tracker.json("inventory", "--authority", code, "--year", "2023", "--format", "json")
    return float(inv["total_kgco2e"])


def test_overlap_is_refused_then_skipped(tracker: TrackerCli, tmp_path: Path) -> None:
    code = _authority(tracker)
    tracker.run("import", _write(tmp_path, "may.csv", MAY), "--authority", code)
    again = _write(tmp_path, "may-again.csv", MAY_AGAIN)

    dry = tracker.json("import", again, "--authority", code, "--dry-run", "--json")
    assert dry["overlap"]["rows"] == 2 and dry["overlap"]["amount"] == 2000.0

    refused = tracker.run("import", again, "--authority", code, ok=False)
    assert refused.exit_code == 2
    assert "2 rows (£2,000.00) are already stored" in refused.output
    assert _kg(tracker, code) == pytest.approx(3 * 265.47)

    skipped = tracker.json("import", again, "--authority", code, "--on-overlap", "skip", "--json")
    assert skipped["rows_imported"] == 1
    assert skipped["rows_skipped"]["already stored"] == 2
    # £3,000 stored before + £2,000 new, nothing counted twice.
    assert _kg(tracker, code) == pytest.approx(5 * 265.47)


def test_replace_deletes_the_earlier_batch(tracker: TrackerCli, tmp_path: Path) -> None:
    code = _authority(tracker)
    first = tracker.json("import", _write(tmp_path, "may.csv", MAY), "--authority", code, "--json")
    again = _write(tmp_path, "may-again.csv", MAY_AGAIN)
    replaced = tracker.json(
        "import", again, "--authority", code, "--on-overlap", "replace", "--json"
    )
    assert replaced["replaced_batches"] == [first["batch_id"]]
    assert _kg(tracker, code) == pytest.approx(4 * 265.47)
    batches = tracker.json("batch", "list", "--authority", code, "--all", "--json")
    assert [(b["batch_id"], b["status"]) for b in batches] == [
        (first["batch_id"], "deleted"),
        (replaced["batch_id"], "imported"),
    ]


def test_batch_delete_shows_its_effect_and_recomputes(tracker: TrackerCli, tmp_path: Path) -> None:
    code = _authority(tracker)
    path = _write(tmp_path, "may.csv", MAY)
    batch = tracker.json("import", path, "--authority", code, "--json")["batch_id"]
    declined = tracker.run("batch", "delete", str(batch), "--authority", code, ok=False)
    assert "3 lines, £3,000.00, 0.8 tCO2e" in declined.output
    assert declined.exit_code != 0 and _kg(tracker, code) == pytest.approx(3 * 265.47)

    done = tracker.run("batch", "delete", str(batch), "--authority", code, "--yes")
    assert "2023/24: −3 lines, −£3,000.00, −0.8 of 0.8 tCO2e" in done.output
    assert _kg(tracker, code) == 0
    # The deleted file may be imported again.
    tracker.run("import", path, "--authority", code)
    assert _kg(tracker, code) == pytest.approx(3 * 265.47)


LEDGER = "Posted,Payee Ref,Value GBP,Code\n01/06/2023,Road Co,1000.00,42110\n"
LEDGER_NEXT = "Posted,Payee Ref,Value GBP,Code,Notes\n01/07/2023,Road Co,500.00,42110,x\n"


def test_mapping_is_saved_and_offered_for_a_changed_layout(
    tracker: TrackerCli, tmp_path: Path
) -> None:
    code = _authority(tracker)
    june = _write(tmp_path, "june.csv", LEDGER)
    failed = tracker.run("import", june, "--authority", code, ok=False)
    assert failed.exit_code == 2 and "june.csv" in failed.output
    tracker.run(
        "import", june, "--authority", code,
        "--map", "date=Posted", "--map", "amount=Value GBP",
        "--map", "supplier=Payee Ref", "--map", "sic=Code",
    )  # fmt: skip
    july = tracker.json(
        "import", _write(tmp_path, "july.csv", LEDGER_NEXT), "--authority", code, "--json"
    )
    assert july["rows_imported"] == 1
    assert july["mapping"]["sic"] == "Code"
    assert any("june.csv" in n for n in july["notes"])
    assert any("new columns: Notes" in n for n in july["notes"])
    assert _kg(tracker, code) == pytest.approx(1500 * 0.26547)


def test_preview_shows_rows_as_they_will_be_stored(tracker: TrackerCli, tmp_path: Path) -> None:
    code = _authority(tracker)
    out = tracker.run(
        "import", _write(tmp_path, "may.csv", MAY), "--authority", code, "--dry-run"
    ).output
    assert "Checked (dry run, nothing stored)" in out
    assert "row=2, date=2023-05-02, date_precision=day, amount=1000.0, supplier=Road Co" in out


def test_row_and_column_limits_are_configurable(tracker: TrackerCli, tmp_path: Path) -> None:
    code = _authority(tracker)
    limited = TrackerCli(env=tracker.env | {"TRACKER_MAX_ROWS": "2"})
    result = limited.run("import", _write(tmp_path, "may.csv", MAY), "--authority", code, ok=False)
    assert result.exit_code == 2 and "row limit" in result.output
    bad = TrackerCli(env=tracker.env | {"TRACKER_MAX_ROWS": "lots"})
    result = bad.run("authority", "list", ok=False)
    assert result.exit_code == 2 and "TRACKER_MAX_ROWS must be a whole number" in result.output
