"""`tracker contracts link|pipeline` end to end, on SQLite and PostgreSQL.

Two authorities import an IT support register (CPV 72250000 → Defra 62): £1,095,000 from
1 April 2024 to 31 March 2027 (1,095 days: £365,250 a year). One of them also pays its
supplier £12,000 on 15 June 2024, inside the period: linked through the shared supplier record.
"""

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


def _register(path: Path, buyer: str, supplier: str) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerow([buyer, "W1", "IT support", "01/04/2024", "31/03/2027", "1,095,000",
                     supplier, "72250000-2"])  # fmt: skip
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_link_and_pipeline(db_url: str, tmp_path: Path) -> None:
    tracker, first = cli_with_authority(db_url, tmp_path, "First Council")
    second = "C" + uuid.uuid4().hex[:7].upper()
    tracker.run("authority", "add", second, "--name", "Second Council")
    tag = uuid.uuid4().hex[:6]
    bins = f"Bins {tag} Ltd"
    report = tracker.json(
        "contracts", "import", str(_register(tmp_path / "r1.csv", f"First {tag}", bins)),
        "--authority", first, "--json",
    )  # fmt: skip
    assert report["payments_linked"] == {first: 0}  # no spend yet
    tracker.run("contracts", "import", str(_register(tmp_path / "r2.csv", f"Second {tag}",
                f"Green {tag} Ltd")), "--authority", second)  # fmt: skip
    spend = tmp_path / "spend.csv"
    spend.write_text(
        f"Payment Date,Supplier Name,Amount,Expense Type\n15/06/2024,{bins.upper()},12000.00,"
        "IT support\n01/07/2024,Other Co,500.00,Stationery\n",
        encoding="utf-8",
    )
    imported = tracker.json("import", str(spend), "--authority", first, "--json")
    assert "Payments linked to contracts: 1." in imported["notes"]
    linked = tracker.json("contracts", "link", "--authority", first, "--json")[first]
    assert (linked["linked_lines"], linked["linked_spend"]) == (1, 12000.0)
    # the contract import made the shared supplier record the payment then resolved to
    assert linked["methods"] == {"supplier-record": 1}

    # As First's users see it: Second does not share, so it is not there. (On PostgreSQL
    # other tests' sharing authorities may be there too: only these two are checked.)
    alone = tracker.json("contracts", "pipeline", "--authority", first, "--today", "2026-01-15",
                         "--json")  # fmt: skip
    assert first in alone["authorities"] and second not in alone["authorities"]
    assert not any(second in o["authorities"] for o in alone["opportunities"])
    tracker.run("authority", "share", second, "--on")
    both = tracker.json("contracts", "pipeline", "--authority", first, "--today", "2026-01-15",
                        "--json")  # fmt: skip
    (op,) = [o for o in both["opportunities"] if first in o["authorities"]]
    assert {first, second} <= set(op["authorities"])
    if len(op["authorities"]) == 2:
        assert op["value_a_year"] == 730500.0  # 2 × 1,095,000 × 365.25 / 1,095
    assert op["within_months"] == 15
    text = tracker.run("contracts", "pipeline", "--authority", first, "--today",
                       "2026-01-15").stdout  # fmt: skip
    assert "Two authorities renew Computer programming" in text
    tracker.run("authority", "share", second, "--off")  # leave the shared database as found
    bad = tracker.run("contracts", "pipeline", "--from-months", "9", "--to-months", "3", ok=False)
    assert bad.exit_code == 2 and "window must run forward" in bad.output
