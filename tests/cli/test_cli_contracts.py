"""`tracker contracts import|list|buyers` end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path

from cli_helpers import cli_with_authority

HEADER = [
    "Organisation name", "Contract Reference number / ID", "Title of the Agreement",
    "Contract start date", "End date", "Contract value", "Supplier name",
    "Procurement classification: CPV code",
]  # fmt: skip


def register(tmp_path: Path, buyer: str) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerow([buyer, "R1", "Waste collection", "01/04/2024", "31/03/2027", "1,200,000",
                     "Bins Ltd", "90511000-2"])  # fmt: skip
    writer.writerow([buyer, "R2", "Taxis", "01/04/2024", "31/03/2025", "(3728)", "Cabs", ""])
    # Three decimals, as 4 awards of the Contracts Finder 2022 file: stored to the penny.
    writer.writerow([buyer, "R3", "Paper", "01/04/2024", "", "221.047", "Mill", ""])
    path = tmp_path / "register.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_import_list_and_buyers(db_url: str, tmp_path: Path) -> None:
    tracker, code = cli_with_authority(db_url, tmp_path, "Contracts Council")
    buyer = f"Contracts Council {uuid.uuid4().hex[:6]}"
    path = register(tmp_path, buyer)
    report = tracker.json("contracts", "import", str(path), "--authority", code, "--json")
    assert (report["format"], report["records"], report["added"]) == (
        "contract-register-csv", 3, {code: 3},
    )  # fmt: skip
    assert report["flags"] == {"value_negative": 1}
    assert report["buyers_mapped"] == [f"{buyer} → {code}"]
    again = tracker.json("contracts", "import", str(path), "--authority", code, "--json")
    assert (again["added"], again["updated"], again["unchanged"]) == ({}, {}, {code: 3})
    listed = tracker.json("contracts", "list", "--authority", code, "--json")
    assert listed["total"] == 3
    # Ending soonest first: the taxis (31/03/2025), the waste contract, then no end date.
    taxis, waste, paper = listed["contracts"]
    assert (paper["title"], paper["value"], paper["end_date"]) == ("Paper", 221.05, None)
    assert (taxis["title"], taxis["value"], taxis["end_date"]) == ("Taxis", -3728.0, "2025-03-31")
    assert (waste["suppliers"], waste["value"], waste["category"]) == (
        ["Bins Ltd"], 1_200_000.0, "Sewage, refuse, cleaning and environmental services",
    )  # fmt: skip
    buyers = tracker.json("contracts", "buyers", str(path), "--json")
    assert buyers == [{"buyer": buyer, "contracts": 3, "authority": code}]
    text = tracker.run("contracts", "list", "--authority", code).stdout
    assert "Showing 1–3 of 3 contracts" in text and "£1.2m" not in text
    assert "£1,200,000" in text


def test_unreadable_file_is_one_line_error(db_url: str, tmp_path: Path) -> None:
    tracker, code = cli_with_authority(db_url, tmp_path, "Contracts Council")
    path = tmp_path / "spend.csv"
    path.write_text("Date,Amount\n01/04/2024,5\n", encoding="utf-8")
    result = tracker.run("contracts", "import", str(path), "--authority", code, ok=False)
    assert result.exit_code == 2
    assert "spend.csv: not a contracts file this tracker reads" in result.output
    assert "nothing was stored" in result.output
