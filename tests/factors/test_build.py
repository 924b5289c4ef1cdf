"""Rebuild every shipped table from the publishers' files and compare byte for byte."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from factors.build import all as build_all
from factors.build import (
    bea_price_indices,
    companies_house_sic,
    defra_uk,
    epa_supply_chain,
    ons_cpi,
)
from factors.build._common import SourceDataError
from factors.registry import DATA_DIR

# First 16 hex characters of each source's sha256, as listed in shared/data/factors/README.md.
README_SHA16 = {
    "uk-spend-multipliers-sic-2015-2023.txt": "3f77ddee2becdb43",
    "eeio-factors-by-sic-2022.csv": "e0de763ba4350a1c",
    "ons_cpi_index_series.csv": "21b88cf6371970dc",
    "CoSicCode.csv": "0c8c553d685e964b",
    "SupplyChainGHGEmissionFactors_v1.3.0_NAICS_CO2e_USD2022.csv": "c7f508646ee091cb",
    "SupplyChainGHGEmissionFactors_v1.3.0_NAICS_byGHG_USD2022.csv": "963952e5911dd5c5",
    "SupplyChainGHGEmissionFactors_v1.2_NAICS_CO2e_USD2021.csv": "792fbce179b10539",
    "SupplyChainGHGEmissionFactors_v1.2_NAICS_byGHG_USD2021.csv": "cdb9b7641b17d550",
    "Detail_CPI_IO_17sch.csv": "dc60dd161d8cbda0",
    "Summary_CPI_IO_17sch.csv": "be960737a75e5640",
    "GDPDEF.csv": "f4e4be1a6ebe4c31",
}


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.shared
def test_rebuild_is_byte_identical(shared_factor_dir: Path, tmp_path: Path) -> None:
    written = build_all.build(shared_factor_dir, tmp_path)
    assert written
    rebuilt = _files(tmp_path)
    committed = _files(DATA_DIR)
    assert sorted(rebuilt) == sorted(committed)
    for name, data in rebuilt.items():
        assert data == committed[name], f"{name} differs from the committed table; rerun the build"


@pytest.mark.shared
def test_source_hashes_match_shared_readme(shared_factor_dir: Path) -> None:
    readme = (shared_factor_dir / "README.md").read_text(encoding="utf-8")
    seen = set()
    for meta_path in DATA_DIR.rglob("metadata.json"):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        name = meta["source_file"]
        row = re.search(rf"^\| `{re.escape(name)}` \|.*$", readme, flags=re.M)
        assert row is not None, f"{name} not listed in the shared README"
        assert meta["source_sha256"][:16] in row.group(0)
        assert meta["source_sha256"][:16] == README_SHA16[name]
        seen.add(name)
    assert seen == set(README_SHA16)


@pytest.mark.shared
def test_cli_builds_into_given_dir(shared_factor_dir: Path, tmp_path: Path) -> None:
    assert build_all.main(["--source", str(shared_factor_dir), "--out", str(tmp_path)]) == 0
    assert (tmp_path / "defra-uk-sic" / "to-2023" / "factors.csv").is_file()


@pytest.mark.shared
def test_builder_refuses_changed_source(shared_factor_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(shared_factor_dir / "price-indices", src / "price-indices")
    target = src / "price-indices" / "ons_cpi_index_series.csv"
    target.write_bytes(target.read_bytes().replace(b'"2025","138.4"', b'"2025","139.0"'))
    with pytest.raises(SourceDataError, match="sha256"):
        ons_cpi.build(src, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_builder_reports_missing_source(tmp_path: Path) -> None:
    for builder in (
        defra_uk.build,
        ons_cpi.build,
        companies_house_sic.build,
        epa_supply_chain.build,
        bea_price_indices.build,
    ):
        with pytest.raises(SourceDataError, match="not found"):
            builder(tmp_path, tmp_path / "out")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("01", "1"),
        ("1", "1"),
        ("10.2 -3", "10.2-3"),
        ("20.399999999999999", "20.4"),
        ("20A", "20A"),
        ("68.2IMP", "68.2IMP"),
        ("42.99", "42.99"),
        (" 07 ", "7"),
    ],
)
def test_canonical_defra_code(raw: str, expected: str) -> None:
    assert defra_uk.canonical_code(raw) == expected
