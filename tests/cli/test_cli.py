"""The command line end to end on SQLite and PostgreSQL: import, inventory, report.

Expected emissions are worked out by hand from the Defra "to 2023" multipliers
(shared/docs/methodology.md §3.8 B): SIC 42110 → group 42.1-2 (2023: 0.26547 kg/£),
SIC 70229 → group 70 (2023: 0.0811877 kg/£); UK CPI 2023 = 130.5, 2025 = 138.4.
"""

from __future__ import annotations

import math
import uuid
from pathlib import Path

import pytest
from cli_helpers import TrackerCli, cli_for
from openpyxl import load_workbook

CSV = (
    "Payment Date,Supplier Name,Amount,Expense Type,SIC code,Transaction Number\n"
    '15/06/2023,Greystone Roadworks Ltd,"£250,000.00",Highways,42110,T1\n'
    '20/07/2023,Meridian Advisory Ltd,"120,000.00",Consultancy,70229,T2\n'
    "01/08/2023,Sundry Payee,500.00,Grants,,T3\n"
    '02/08/2023,=HYPERLINK("http://evil.example"),100.00,Misc,,T4\n'
)
CSV_2025 = (
    "Payment Date,Supplier Name,Amount,SIC code\n"
    "10/05/2025,Greystone Roadworks Ltd,250000.00,42110\n"
)


def _code() -> str:
    return "T" + uuid.uuid4().hex[:8].upper()


def test_commands_refuse_an_unmigrated_database(tmp_path: Path) -> None:
    t = cli_for(f"sqlite:///{tmp_path / 'empty.db'}", tmp_path / "files")
    result = t.run("authority", "list", ok=False)
    assert result.exit_code == 2
    assert "tracker db upgrade" in result.output


def test_import_inventory_and_report(tracker: TrackerCli, tmp_path: Path) -> None:
    code = _code()
    tracker.run("authority", "add", code, "--name", "Test Borough", "--population", "100000")
    listed = tracker.json("authority", "list", "--json")
    assert {"code": code, "name": "Test Borough"}.items() <= next(
        a for a in listed if a["code"] == code
    ).items()
    spend = tmp_path / "spend-2023.csv"
    spend.write_text(CSV, encoding="utf-8")

    dry = tracker.json("import", str(spend), "--authority", code, "--dry-run", "--json")
    assert dry["batch_id"] is None and dry["rows_imported"] == 4

    report = tracker.json("import", str(spend), "--authority", code, "--json")
    assert report["rows_read"] == 4
    assert report["rows_imported"] == 4
    assert report["rows_rejected"] == 0
    assert report["total_amount"] == pytest.approx(370_600.00)
    assert report["errors"] == []

    again = tracker.run("import", str(spend), "--authority", code, ok=False)
    assert again.exit_code == 2
    assert "already imported" in again.output

    inv = tracker.json("inventory", "--authority", code, "--year", "2023", "--format", "json")
    assert inv["period_start"] == "2023-04-01" and inv["period_end"] == "2024-03-31"
    assert inv["factor_set"]["source"] == "defra-uk-sic"
    assert inv["factor_set"]["edition"] == "to-2023"
    assert inv["total_spend"] == pytest.approx(370_600.00)
    assert inv["mapped_spend"] == pytest.approx(370_000.00)
    # 66,367.5 + 9,742.524 kg (methodology §3.8 B)
    assert inv["total_kgco2e"] == pytest.approx(76_110.024, abs=1e-6)
    by_code = {c["code"]: c for c in inv["by_category"]}
    assert by_code["42.1-2"]["kgco2e"] == pytest.approx(66_367.5)
    assert by_code["70"]["kgco2e"] == pytest.approx(9_742.524)
    # The grant is out of scope (library rule on the expense type); "Misc" is unclassified.
    assert by_code[None]["spend"] == pytest.approx(100.00)
    assert inv["excluded_spend"] == pytest.approx(500.00)
    assert inv["excluded"] == [{"reason": "grants", "spend": 500.0, "lines": 1}]
    assert inv["unmapped_spend"] == pytest.approx(100.00)
    suppliers = {s["supplier"]: s for s in inv["by_supplier"]}
    assert suppliers["Greystone Roadworks Ltd"]["kgco2e"] == pytest.approx(66_367.5)

    out = tmp_path / "report.xlsx"
    tracker.run("report", "--authority", code, "--year", "2023", "--out", str(out))
    wb = load_workbook(out)
    assert wb.sheetnames[:3] == ["Cover", "Summary", "By category"]
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True)}
    assert summary["Total emissions (tCO2e)"] == pytest.approx(76.110024)
    lines = list(wb["Lines"].iter_rows(values_only=True))
    header, body = lines[0], lines[1:]
    assert len(body) == 4
    col = {name: i for i, name in enumerate(header)}
    assert sum(r[col["kgCO2e"]] for r in body) == pytest.approx(76_110.024)
    evil = next(r for r in body if "HYPERLINK" in str(r[col["Supplier"]]))
    assert evil[col["Supplier"]] == '\'=HYPERLINK("http://evil.example")'
    assert (
        wb["Lines"].cell(row=1 + body.index(evil) + 1, column=col["Supplier"] + 1).data_type == "s"
    )
    resurfacing = next(r for r in body if r[col["Category code"]] == "42.1-2")
    assert resurfacing[col["Source file"]] == "spend-2023.csv"
    assert resurfacing[col["Source row"]] == 2
    assert resurfacing[col["Factor (kgCO2e per unit)"]] == pytest.approx(0.26547)


def test_spend_after_the_latest_factor_year_is_deflated(
    tracker: TrackerCli, tmp_path: Path
) -> None:
    code = _code()
    tracker.run("authority", "add", code, "--name", "Deflation Test")
    spend = tmp_path / "spend-2025.csv"
    spend.write_text(CSV_2025, encoding="utf-8")
    tracker.run("import", str(spend), "--authority", code)
    inv = tracker.json("inventory", "--authority", code, "--year", "2025", "--format", "json")
    # 250,000 × 130.5/138.4 × 0.26547 = 62,579.18 kg = 62.6 t (methodology §3.8 B)
    assert inv["total_kgco2e"] == pytest.approx(62_579.18, abs=0.01)


def test_a_file_without_usable_columns_exits_2_and_stores_nothing(
    tracker: TrackerCli, tmp_path: Path
) -> None:
    code = _code()
    tracker.run("authority", "add", code, "--name", "Bad File Test")
    bad = tmp_path / "notes.csv"
    bad.write_text("Name,Colour\nAlice,blue\n", encoding="utf-8")
    result = tracker.run("import", str(bad), "--authority", code, "--json", ok=False)
    assert result.exit_code == 2
    assert "notes.csv" in result.output
    # Reports only read: the (empty) 2023 inventory is computed explicitly first.
    tracker.run("recalculate", "--authority", code, "--year", "2023")
    inv = tracker.json("inventory", "--authority", code, "--year", "2023", "--format", "json")
    assert inv["line_count"] == 0 and inv["total_spend"] == 0


def test_unknown_authority_is_a_clear_error(tracker: TrackerCli, tmp_path: Path) -> None:
    result = tracker.run("inventory", "--authority", "NOPE", "--year", "2023", ok=False)
    assert result.exit_code == 2
    assert "No authority with code 'NOPE'" in result.output


def test_map_option_rejects_unknown_fields(tracker: TrackerCli, tmp_path: Path) -> None:
    spend = tmp_path / "s.csv"
    spend.write_text(CSV, encoding="utf-8")
    result = tracker.run("import", str(spend), "--authority", "X", "--map", "colour=Name", ok=False)
    assert result.exit_code == 2
    assert "unknown field 'colour'" in result.output


def test_credit_note_example_of_the_methodology(tracker: TrackerCli, tmp_path: Path) -> None:
    # methodology.md §3.8 B: a £10,000 invoice and a −£2,000 credit note for the same
    # resurfacing contract → net £8,000 × 0.26547 = 2,123.76 kg (≈ 2,124 kg).
    code = _code()
    tracker.run("authority", "add", code, "--name", "Credit Note Test")
    spend = tmp_path / "credit.csv"
    spend.write_text(
        "Payment Date,Supplier Name,Amount,SIC code,Transaction Number\n"
        '10/05/2023,Greystone Roadworks Ltd,"10,000.00",42110,INV1\n'
        "20/06/2023,Greystone Roadworks Ltd,-£2000.00,42110,CR1\n",
        encoding="utf-8",
    )
    tracker.run("import", str(spend), "--authority", code)
    inv = tracker.json("inventory", "--authority", code, "--year", "2023", "--format", "json")
    assert inv["total_kgco2e"] == pytest.approx(2_123.76, abs=1e-6)


def test_data_quality_and_95_percent_range(tracker: TrackerCli, tmp_path: Path) -> None:
    """One SIC-coded 2023 line, Defra 2023 factor, UK authority (methodology.md §4.2):
    technology Fair 3, time Very good 1, geography Very good 1, completeness Good 2,
    reliability Fair 3. Pedigree factors (ecoinvent v3, Weidema et al. 2013) for those
    scores: technology 1.20, temporal 1.00, geographical 1.00, completeness 1.02,
    reliability 1.10; basic uncertainty 1.5 for EEIO factors (tracker.domain.uncertainty).
    σ_ln = ½·sqrt(Σ ln² U); σ_kg = kg·sqrt(exp(σ_ln²) − 1); 95 % range = kg ± 1.96 σ_kg.
    """
    code = _code()
    tracker.run("authority", "add", code, "--name", "Quality Test")
    spend = tmp_path / "q.csv"
    spend.write_text(
        "Payment Date,Supplier Name,Amount,SIC code\n15/06/2023,Road Co,250000,42110\n"
    )
    tracker.run("import", str(spend), "--authority", code)
    inv = tracker.json("inventory", "--authority", code, "--year", "2023", "--format", "json")
    assert inv["data_quality"]["scores"] == {
        "technology": 3.0,
        "time": 1.0,
        "geography": 1.0,
        "completeness": 2.0,
        "reliability": 3.0,
    }
    assert (
        inv["data_quality"]["mean"] == 2.0 and inv["data_quality"]["supplier_specific_share"] == 0
    )
    kg = 250_000 * 0.26547
    s_ln = 0.5 * math.sqrt(sum(math.log(u) ** 2 for u in (1.5, 1.20, 1.00, 1.00, 1.02, 1.10)))
    sigma = kg * math.sqrt(math.exp(s_ln**2) - 1)
    assert inv["uncertainty"]["sigma_kgco2e"] == pytest.approx(sigma, rel=1e-6)
    low, high = inv["uncertainty"]["range95_kgco2e"]
    assert (low, high) == (
        pytest.approx(kg - 1.96 * sigma, rel=1e-6),
        pytest.approx(kg + 1.96 * sigma, rel=1e-6),
    )


OTHER_COUNCIL_CSV = (
    "Body Name,Payment Date,Supplier Name,Amount\n"
    "Manchester City Council,01/09/2014,Ecomix,646.40\n"
)


def test_another_councils_file_is_stopped_until_confirmed(
    tracker: TrackerCli, tmp_path: Path
) -> None:
    code = "S" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Salford City Council")
    spend = tmp_path / "manchester.csv"
    spend.write_text(OTHER_COUNCIL_CSV, encoding="utf-8")
    dry = tracker.run("import", str(spend), "--authority", code, "--dry-run")
    assert (
        "WARNING: manchester.csv: column 'Body Name' names 'Manchester City Council', "
        "not Salford City Council."
    ) in dry.output
    refused = tracker.run("import", str(spend), "--authority", code, ok=False)
    assert refused.exit_code == 2
    assert "names 'Manchester City Council', not Salford City Council" in refused.output
    assert "--confirm-organisation" in refused.output
    report = tracker.json(
        "import", str(spend), "--authority", code, "--confirm-organisation", "--json"
    )
    assert report["rows_imported"] == 1
    assert any(n.startswith("organisation confirmed by the officer") for n in report["notes"])
