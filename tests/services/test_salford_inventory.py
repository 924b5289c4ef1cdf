"""Salford 2019 (supplier SIC codes) through the CLI, checked against the Defra table.

The expected total is computed here independently of the tracker: the Salford file and
the publisher's Defra "to 2023" multipliers (2019 column) are read with the csv module,
and each supplier SIC code is mapped to its Defra group by the rules written out below
(from the group titles in the Defra file, e.g. "20A … - 20.11/13/15"). Calendar-2019 spend
uses 2019 factors, so no deflation applies. Codes that Companies House writes with 4
digits are legacy SIC 2003 and have no SIC 2007 group: they count as unmapped, as do
blank and "0" (none supplied) codes.

Classification policy 2026.1 §5: wholesale and retail codes (46, 47) are costed with the
group of the goods traded, read here from the policy's own table
(factors/crosswalks/trade_sic_to_goods.csv, longest prefix; an empty group is unmapped),
and the artefact groups (7, 24.4-5, 46, 47, 65.3) are never used: those lines are unmapped.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from cli_helpers import cli_for

from tests.conftest import REPO_ROOT, shared_file

pytestmark = pytest.mark.shared

# SIC 2007 class/group prefixes of the divisions that Defra splits or merges.
SPLIT = {
    "10": {
        "101": "10.1",
        "102": "10.2-3",
        "103": "10.2-3",
        "104": "10.4",
        "105": "10.5",
        "106": "10.6",
        "107": "10.7",
        "108": "10.8",
        "109": "10.9",
    },
    "11": {
        "1101": "11.01-6",
        "1102": "11.01-6",
        "1103": "11.01-6",
        "1104": "11.01-6",
        "1105": "11.01-6",
        "1106": "11.01-6",
        "1107": "11.07",
    },
    "20": {
        "2011": "20A",
        "2013": "20A",
        "2015": "20A",
        "2014": "20B",
        "2016": "20B",
        "2017": "20B",
        "2060": "20B",
        "2012": "20C",
        "202": "20C",
        "203": "20.3",
        "204": "20.4",
        "205": "20.5",
    },
    "23": {"235": "23.5-6", "236": "23.5-6"},  # else 23OTHER
    "24": {"241": "24.1-3", "242": "24.1-3", "243": "24.1-3", "244": "24.4-5", "245": "24.4-5"},
    "25": {"254": "25.4"},  # else 25OTHER
    "30": {"301": "30.1", "303": "30.3"},  # else 30OTHER
    "33": {"3315": "33.15", "3316": "33.16"},  # else 33OTHER
    "35": {"351": "35.1", "352": "35.2-3", "353": "35.2-3"},
    "41": {"411": "41.2", "412": "41.2"},
    "42": {"42": "42.1-2"},  # all civil engineering (CPA 42), by the Defra group titles
    "43": {"43": "42.99"},
    "49": {"491": "49.1-2", "492": "49.1-2", "493": "49.3-5", "494": "49.3-5", "495": "49.3-5"},
    "65": {"651": "65.1-2", "652": "65.1-2", "653": "65.3"},
    "68": {"681": "68.12", "682": "68.12", "683": "68.3"},
    "69": {"691": "69.1", "692": "69.2"},
}
OTHER = {"23": "23OTHER", "25": "25OTHER", "30": "30OTHER", "33": "33OTHER"}
TRADE_TABLE = REPO_ROOT / "factors" / "crosswalks" / "trade_sic_to_goods.csv"


def trade_table() -> dict[str, str | None]:
    with TRADE_TABLE.open(encoding="utf-8") as fh:
        return {r["sic_prefix"]: r["defra_group"] or None for r in csv.DictReader(fh)}


def defra_group(code: str, groups: set[str], trade: dict[str, str | None]) -> str | None:
    division = code[:2]
    if division in ("46", "47"):
        d = code
        for key in (f"{d[:2]}.{d[2:4]}/{d[4]}", f"{d[:2]}.{d[2:4]}", f"{d[:2]}.{d[2]}", d[:2]):
            if key in trade:
                return trade[key]
        return None
    if division in SPLIT:
        for prefix in sorted(SPLIT[division], key=len, reverse=True):
            if code.startswith(prefix):
                return SPLIT[division][prefix]
        return OTHER.get(division)
    plain = str(int(division))
    return plain if plain in groups else None


def read_factors(defra: Path, year: int) -> dict[str, Decimal]:
    factors: dict[str, Decimal] = {}
    with defra.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            cells = line.rstrip("\n").split("|")
            factors[cells[0].replace(" ", "")] = Decimal(cells[2 + year - 2015])
    return factors


def written_codes(cosic: Path) -> dict[str, str]:
    """Companies House integer code → the code as written (repairs lost leading zeros)."""
    with cosic.open(encoding="utf-8") as fh:
        return {
            row["sicc_int"]: row["siccode_sictext_1"].split(" - ")[0].strip()
            for row in csv.DictReader(fh)
        }


# docs/classification-policy.md §5 and the Defra notes on artefact groups: never a factor.
ARTEFACTS = {"46", "47", "7", "24.4-5", "65.3"}
# Energy and water companies are own energy and water (policy §4): not costed by SIC.
UTILITIES = ("35", "36", "37")


def test_salford_2019_inventory_matches_the_defra_table(db_url: str, tmp_path: Path) -> None:
    """Every line costed by its supplier's SIC code is costed with the Defra 2019 factor of
    the group the code's title names (worked out here from the publisher's files), and no
    line is costed with an artefact group or as an energy or water company's purchase."""
    salford = shared_file("spend", "uk-salford-2019-sic-enriched.csv")
    defra = shared_file(
        "factors", "defra-uk-carbon-footprint", "uk-spend-multipliers-sic-2015-2023.txt"
    )
    cosic = shared_file("factors", "crosswalks", "CoSicCode.csv")
    if db_url.startswith("sqlite"):
        db_url = f"sqlite:///{tmp_path / 'salford.db'}"
    tracker = cli_for(db_url, tmp_path / "files")
    tracker.run("db", "upgrade")
    code = "SALTEST" if db_url.startswith("sqlite") else "SALTESTPG"
    tracker.run(
        "authority", "add", code, "--name", "Salford City Council (test)", "--fy-start-month", "1"
    )
    imported = tracker.json(
        "import", str(salford), "--authority", code, "--map", "sic=sicc_int", "--json"
    )
    assert imported["rows_imported"] == 16_793
    assert imported["rows_rejected"] == 0

    inv = tracker.json("inventory", "--authority", code, "--year", "2019", "--format", "json")
    total = Decimal(0)
    sic_of_row: dict[int, str] = {}
    with salford.open(encoding="utf-8") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            total += Decimal(row["amount"])
            sic_of_row[n] = row["sicc_int"].strip()
    assert inv["total_spend"] == pytest.approx(float(total), abs=0.005)

    out = tmp_path / "csv"
    tracker.run("report", "--authority", code, "--year", "2019", "--csv-dir", str(out))
    with (out / f"{code}-2019-lines.csv").open(encoding="utf-8-sig") as fh:
        lines = list(csv.DictReader(fh))
    factors = read_factors(defra, 2019)
    written = written_codes(cosic)
    trade = trade_table()
    spend = kg = Decimal(0)
    checked = 0
    for line in lines:
        group = line["Category code"]
        assert group not in ARTEFACTS, line
        method = line["Classified by (rule)"].split(" ")[0]
        if method != "sic":
            continue
        raw = sic_of_row[int(line["Source row"])]
        sic = written.get(raw, raw)
        assert len(sic) == 5 and raw not in ("", "0"), line  # SIC 2003 codes are unmapped
        assert not sic.startswith(UTILITIES), line
        assert group == defra_group(sic, set(factors), trade), line
        checked += 1
        amount = Decimal(line["Spend (net of VAT)"])
        expected = amount * factors[group]  # 2019 spend, 2019 factor: no deflation
        assert Decimal(line["kgCO2e"]) == pytest.approx(expected, abs=Decimal("0.000001"))
        spend += amount
        kg += Decimal(line["kgCO2e"])
    assert checked > 5000
    by_sic = {m["method"]: m for m in inv["by_method"]}["sic"]
    assert by_sic["spend"] == pytest.approx(float(spend), abs=0.005)
    assert by_sic["kgco2e"] == pytest.approx(float(kg), abs=0.1)
