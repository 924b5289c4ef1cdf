"""``tracker factors list|show|verify|load`` against a migrated SQLite database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pytest
from cli_helpers import cli_for
from click.testing import CliRunner, Result

from tests.conftest import shared_file
from tracker.cli import cli as tracker_cli
from tracker.cli.factors import factors_group
from tracker.config import Settings


def _root() -> click.Group:
    """The real ``tracker`` group once ``factors`` is registered there; else a stand-in."""
    if "factors" in tracker_cli.commands:
        return tracker_cli

    @click.group()
    @click.pass_context
    def root(ctx: click.Context) -> None:
        ctx.obj = Settings.from_env()

    root.add_command(factors_group)
    return root


class FactorsCli:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def run(self, *args: str, code: int = 0) -> Result:
        result = CliRunner().invoke(_root(), ["factors", *args], env=self.env)
        assert result.exit_code == code, result.output
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args).stdout)


@pytest.fixture(scope="module")
def upgraded_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    root = tmp_path_factory.mktemp("factors-cli")
    url = f"sqlite:///{root / 'cli.db'}"
    cli_for(url, root / "files").run("db", "upgrade")
    return url, root


@pytest.fixture
def factors(upgraded_db: tuple[str, Path], tmp_path: Path) -> FactorsCli:
    # Each test gets its own copy so loads do not leak between tests.
    _url, root = upgraded_db
    db = tmp_path / "cli.db"
    db.write_bytes((root / "cli.db").read_bytes())
    return FactorsCli(
        {"TRACKER_DATABASE_URL": f"sqlite:///{db}", "TRACKER_DATA_DIR": str(tmp_path)}
    )


def test_list_shows_shipped_sets(factors: FactorsCli) -> None:
    rows = factors.json("list", "--json")
    by_key = {(r["family"], r["edition"]): r for r in rows}
    epa = by_key[("epa-useeio-naics", "v1.3.0")]
    assert epa["data_years"] == [2022] and epa["rows"] == 1016
    assert epa["unit"] == "kgCO2e per USD (purchaser price)" and epa["currency"] == "USD"
    assert epa["licence"] == "US federal government work; public domain"
    assert by_key[("defra-uk-sic", "to-2023")]["data_years"] == list(range(2015, 2024))
    text = factors.run("list").stdout
    assert "epa-useeio-naics" in text and "1,016 rows" in text


def test_show_provenance_and_one_code(factors: FactorsCli) -> None:
    data = factors.json("show", "epa-useeio-naics", "--code", "327320", "--json")
    assert data["edition"] == "v1.3.0"  # latest data year chosen by default
    assert data["gwp"] == "IPCC AR5 GWP-100"
    assert data["source_url"] == "https://doi.org/10.23719/1531143"
    assert data["price_basis"] == "purchaser price"
    assert len(data["source_sha256"]) == 64 and len(data["table_sha256"]) == 64
    assert data["factors"] == [
        {"code": "327320", "name": "Ready-Mix Concrete Manufacturing", "value": 0.606}
    ]
    text = factors.run("show", "defra-uk-sic", "--edition", "to-2023", "--year", "2022").stdout
    assert "Open Government Licence v3.0" in text and "first 10 of 112" in text
    missing = factors.run("show", "epa-useeio-naics", "--edition", "v9", code=2)
    assert "editions: v1.2, v1.3.0" in missing.output
    assert (
        "not in factor set" in factors.run("show", "epa-useeio-naics", "--code", "1", code=2).output
    )


def test_verify_ok_then_mismatch(factors: FactorsCli) -> None:
    result = factors.run("verify")
    assert "All checksums match." in result.stdout
    data = factors.json("verify", "--json")
    assert data["ok"] is True
    assert {"kind": "price_index", "name": "us-gdpdef", "status": "ok"} in data["database"]
    import sqlite3

    db = factors.env["TRACKER_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE factor_set SET table_sha256 = 'x' WHERE family = 'epa-useeio-naics' "
            "AND edition = 'v1.2'"
        )
    bad = factors.run("verify", code=1)
    assert "MISMATCH factor set epa-useeio-naics v1.2 (2021)" in bad.stdout


CUSTOM = (
    "code,name,year,kgco2e_per_unit\n"
    "A1,Widgets,2023,0.5\nA1,Widgets,2024,0.45\nB2,Gadgets,2024,1.25\n"
)


def test_load_custom(factors: FactorsCli, tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(CUSTOM, encoding="utf-8")
    opts = ["--family", "my-set", "--edition", "2025", "--unit", "kgCO2e per GBP"]
    opts += ["--currency", "GBP", "--publisher", "Example body", "--licence", "CC BY 4.0"]
    opts += ["--source-url", "https://example.org/f"]
    result = factors.run("load", "custom", str(path), *opts)
    assert "2 data year(s) (2023, 2024), 3 factors" in result.stdout
    assert "already loaded" in factors.run("load", "custom", str(path), *opts).stdout
    shown = factors.json("show", "my-set", "--year", "2024", "--json")
    assert shown["publisher"] == "Example body" and shown["source_file"] == "mine.csv"
    assert [f["code"] for f in shown["factors"]] == ["A1", "B2"]
    verify = factors.json("verify", "--json")
    assert {"kind": "factor_set", "name": "my-set 2025 (2024)", "status": "not shipped"} in (
        verify["database"]
    )
    # Same family/edition/year from different content is refused.
    path.write_text(CUSTOM.replace("0.45", "0.46"), encoding="utf-8")
    refused = factors.run("load", "custom", str(path), *opts, code=2)
    assert "new edition name" in refused.output


def test_load_custom_errors(factors: FactorsCli, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("code,name,year,kgco2e_per_unit\nA1,Widgets,2023,abc\n", encoding="utf-8")
    missing = factors.run("load", "custom", str(path), "--family", "x", "--edition", "1", code=2)
    assert "--unit, --currency, --publisher, --licence, --source-url" in missing.output
    opts = ["--family", "x", "--edition", "1", "--unit", "u", "--currency", "GBP"]
    opts += ["--publisher", "p", "--licence", "l", "--source-url", "s"]
    bad = factors.run("load", "custom", str(path), *opts, code=2)
    assert f"{path} line 2, column 'kgco2e_per_unit': not a number" in bad.output


def test_load_defra_extract(factors: FactorsCli, tmp_path: Path) -> None:
    path = tmp_path / "extract.txt"
    path.write_text(
        "# Columns: SIC code|SIC category|2022|2023\n01|Crops|0.5|0.4\n10.2 -3|Fish|0.3|0.2\n",
        encoding="utf-8",
    )
    result = factors.run(
        "load", "defra", str(path), "--family", "defra-test", "--edition", "e1", "--year", "2023"
    )
    assert "1 data year(s) (2023), 2 factors" in result.stdout
    shown = factors.json("show", "defra-test", "--json")
    assert shown["currency"] == "GBP" and shown["licence"] == "Open Government Licence v3.0"
    assert [(f["code"], f["value"]) for f in shown["factors"]] == [("1", 0.4), ("10.2-3", 0.2)]
    wrong = factors.run(
        "load", "defra", str(path), "--family", "d", "--edition", "e", "--year", "2019", code=2
    )
    assert "no data year 2019" in wrong.output


@pytest.mark.shared
def test_load_epa_published_file_matches_shipped_table(factors: FactorsCli) -> None:
    source = shared_file(
        "factors",
        "epa-supply-chain-factors",
        "SupplyChainGHGEmissionFactors_v1.3.0_NAICS_CO2e_USD2022.csv",
    )
    # The shipped set was built from this file: same table sha256, so nothing new is stored.
    same = factors.run(
        "load", "epa", str(source), "--family", "epa-useeio-naics", "--edition", "v1.3.0"
    )
    assert "already loaded from the same table" in same.stdout
    fresh = factors.run("load", "epa", str(source), "--family", "epa-copy", "--edition", "a")
    assert "1,016 factors" in fresh.stdout
    shown = factors.json("show", "epa-copy", "--code", "541511", "--json")
    assert shown["gwp"] == "IPCC AR5 GWP-100" and shown["data_year"] == 2022
    assert shown["factors"][0]["value"] == 0.084
    shipped = factors.json("show", "epa-useeio-naics", "--edition", "v1.3.0", "--json")
    assert shown["table_sha256"] == shipped["table_sha256"]
