"""`tracker suppliers ...` end to end on SQLite and PostgreSQL.

Expected figures are worked out by hand from the Defra "to 2023" multipliers
(shared/docs/methodology.md §3.8 B), as in tests/cli/test_cli.py: SIC 42110 → 0.26547 kg/£,
SIC 70229 → 0.0811877 kg/£ in 2023. Spend in FY 2023/24: Greystone £250,000
(66,367.5 kg), Meridian £120,000 (9,742.524 kg), an unclassified £100 (0 kg) and a grant
of £500 (excluded, out of the KPI). In-scope spend £370,100; kgCO2e 76,110.024.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from cli_helpers import TrackerCli


def test_commitments_disclosures_and_kpis(tracker: TrackerCli, tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:6].upper()
    code = "S" + tag
    grey, meri = f"Greystone Roadworks {tag} Ltd", f"Meridian Advisory {tag} Ltd"
    tracker.run("authority", "add", code, "--name", "Supplier Borough")
    spend = tmp_path / "spend.csv"
    spend.write_text(
        "Payment Date,Supplier Name,Amount,Expense Type,SIC code\n"
        f'15/06/2023,{grey},"250,000.00",Highways,42110\n'
        f"20/07/2023,{meri},120000.00,Consultancy,70229\n"
        "01/08/2023,Sundry Payee,500.00,Grants,\n"
        "02/08/2023,Misc Payee,100.00,Misc,\n",
        encoding="utf-8",
    )
    tracker.run("import", str(spend), "--authority", code)
    tracker.run("inventory", "--authority", code, "--year", "2023", "--format", "json")

    def mine() -> dict[str, object]:
        out = tracker.json("suppliers", "kpis", "--year", "2023", "--json")
        return next(r for r in out["kpis"] if r["authority"] == code)

    before = mine()
    assert before["spend"] == pytest.approx(370_100.0)
    assert before["kgco2e"] == pytest.approx(76_110.024)
    assert before["spend_share_plan_or_sbt"] == 0.0
    assert before["year_label"] == "2023/24"

    added = tracker.json(
        "suppliers", "commitment", "add", grey, "--kind", "carbon-reduction-plan",
        "--date", "2023-01-15", "--source", "https://example.org/grey-crp.pdf", "--json",
    )  # fmt: skip
    assert added["kind"] == "carbon-reduction-plan"
    # An SBT set after the year ended does not count for 2023/24.
    tracker.run("suppliers", "commitment", "add", meri, "--kind", "science-based-target",
                "--date", "2024-06-01", "--source", "https://example.org/meri-sbt")  # fmt: skip
    after = mine()
    assert after["spend_share_plan_or_sbt"] == pytest.approx(250_000 / 370_100)
    assert after["kgco2e_share_plan_or_sbt"] == pytest.approx(66_367.5 / 76_110.024)
    assert after["spend_share_sbt"] == 0.0

    # A disclosure sets the shared factor: (100 + 20) t × 1000 / £2,000,000 = 0.06 kg/£.
    disclosed = tracker.json(
        "suppliers", "disclosure", "add", meri, "--year", "2023", "--scope1", "100",
        "--scope2", "20", "--revenue", "2,000,000", "--source", "https://example.org/ar", "--json",
    )  # fmt: skip
    assert disclosed["kgco2e_per_unit"] == pytest.approx(0.06)

    shown = tracker.json("suppliers", "show", meri, "--json")
    assert [c["kind"] for c in shown["commitments"]] == ["science-based-target"]
    assert shown["disclosures"][0]["kgco2e_per_unit"] == pytest.approx(0.06)
    assert [(b["authority_code"], b["year_label"], b["spend"]) for b in shown["buyers"]] == [
        (code, "2023/24", 120_000.0)
    ]
    # As another authority's users see it: this one does not share, so it is left out.
    other = "O" + tag
    tracker.run("authority", "add", other, "--name", "Other Borough")
    seen_all = tracker.json("suppliers", "kpis", "--authority", other, "--json")
    assert seen_all["contracts_not_assessed"] == 0  # Other Borough has no contracts
    seen = seen_all["kpis"]
    assert code not in {r["authority"] for r in seen}
    tracker.run("authority", "share", code, "--on")
    seen = tracker.json("suppliers", "kpis", "--authority", other, "--json")["kpis"]
    assert code in {r["authority"] for r in seen}

    listed = tracker.json("suppliers", "list", "--search", f"greystone roadworks {tag}", "--json")
    assert [(r["name"], r["commitments"]) for r in listed] == [(grey, ["Carbon Reduction Plan"])]


def test_a_row_naming_no_supplier_it_can_read_is_refused_not_skipped(
    tracker: TrackerCli, tmp_path: Path
) -> None:
    """A blank supplier name and an identifier no registry reads (a Companies House number
    is eight characters) named no supplier: the row was left out while the rest were
    recorded. It is refused, with its row and column, and nothing is recorded."""
    tag = uuid.uuid4().hex[:6]
    path = tmp_path / "crp.csv"
    path.write_text(
        "supplier,scheme,identifier,kind,date,source_url\n"
        f"Alpha {tag} Ltd,,,CRP,2023-03-31,https://example.org/a\n"
        ",GB-COH,N/A-123,CRP,2023-03-31,https://example.org/b\n",
        encoding="utf-8",
    )
    result = tracker.run("suppliers", "commitment", "import", str(path), ok=False)
    assert result.exit_code == 2
    assert (
        "crp.csv, row 3, column identifier: 'N/A-123' is not a valid GB-COH identifier, "
        "and no supplier name is given; nothing was recorded." in result.output
    )
    assert tracker.json("suppliers", "list", "--search", f"alpha {tag}", "--json") == []


def test_bad_commitment_file_records_nothing(tracker: TrackerCli, tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:6]
    path = tmp_path / "crp.csv"
    path.write_text(
        "supplier,scheme,identifier,kind,date,source_url\n"
        f"Alpha {tag} Ltd,GB-COH,,CRP,2023-03-31,https://example.org/a\n"
        f"Beta {tag} Ltd,,,a promise,31/03/2023,https://example.org/b\n",
        encoding="utf-8",
    )
    result = tracker.run("suppliers", "commitment", "import", str(path), ok=False)
    assert result.exit_code == 2
    assert (
        "crp.csv, row 3, column kind" in result.output and "nothing was recorded" in result.output
    )
    assert tracker.json("suppliers", "list", "--search", f"alpha {tag}", "--json") == []
    path.write_text(
        "Supplier,Kind,Date,Source_URL\n"
        f"Alpha {tag} Ltd,CRP,2023-03-31,https://example.org/a\n"
        f"Beta {tag} Ltd,SBTi,31/03/2023,https://example.org/b\n",
        encoding="utf-8",
    )
    done = tracker.json("suppliers", "commitment", "import", str(path), "--json")
    assert (done["recorded"], done["suppliers_created"], done["errors"]) == (2, 2, [])
