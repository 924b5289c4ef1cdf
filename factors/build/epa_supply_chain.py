"""Build the US EPA Supply Chain GHG Emission Factors (USEEIO, by 2017 NAICS-6 commodity).

Versions produced:

* ``v1.3.0`` — ``SupplyChainGHGEmissionFactors_v1.3.0_NAICS_CO2e_USD2022.csv`` (kg CO2e per
  2022 USD, purchaser price, IPCC AR5) and the by-gas file ``..._byGHG_USD2022.csv``.
* ``v1.2`` — ``..._v1.2_NAICS_CO2e_USD2021.csv`` (kg CO2e per 2021 USD, IPCC AR4) and
  ``..._byGHG_USD2021.csv``.

Output per version:

* ``<out>/epa-useeio-naics/<version>/factors.csv`` with ``code,name,year,kgco2e_per_unit,
  without_margins,margins,reference_useeio_code``. ``year`` is the dollar year of the
  factor; ``kgco2e_per_unit`` is the published "with margins" value (SEF+MEF, per
  purchaser-price dollar), ``without_margins`` (SEF) and ``margins`` (MEF) are carried for
  spend at producer prices. Values are the published text, never re-rendered.
* ``<out>/epa-useeio-naics-bygas/<version>/gases.csv`` with ``code,gas,unit,with_margins``:
  ``gas`` is a short identifier (``CO2``, ``CH4``, ``HFC-134a``, ``c-C4F8``; the published
  names are in ``metadata.gas_names``), ``unit`` the numerator of the published unit
  (``kg`` or ``kg CO2e``; the whole published unit is ``metadata.source_units``). The row
  ``HFCs and PFCs, unspecified`` is an aggregate already in kg CO2e (labelled so in v1.3.0;
  v1.2 labels it ``kg``).

The parsers (:func:`parse_co2e_csv`, :func:`parse_bygas_csv`) are pure functions over the
file bytes, shared with ``tracker factors load epa``.

Run: ``python -m factors.build.epa_supply_chain [--source DIR] [--out DIR]``.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from factors.build._common import (
    SourceDataError,
    csv_bytes,
    read_source,
    run_cli,
    write_table,
)

KEY = "epa-useeio-naics"
KEY_BYGAS = "epa-useeio-naics-bygas"
PUBLISHER = "US EPA Office of Research and Development"
BUILT_BY = "factors/build/epa_supply_chain.py"
SOURCE_DIR = "epa-supply-chain-factors"
HEADER = (
    "code",
    "name",
    "year",
    "kgco2e_per_unit",
    "without_margins",
    "margins",
    "reference_useeio_code",
)
GAS_HEADER = ("code", "gas", "unit", "with_margins")
SOURCE_COLUMNS = (
    "2017 NAICS Code",
    "2017 NAICS Title",
    "GHG",
    "Unit",
    "Supply Chain Emission Factors without Margins",
    "Margins of Supply Chain Emission Factors",
    "Supply Chain Emission Factors with Margins",
    "Reference USEEIO Code",
)
ALL_GHGS = "All GHGs"
UNSPECIFIED_HFC_PFC = "HFCs and PFCs, unspecified"
#: published gas name → identifier used in ``gases.csv`` and :mod:`tracker.domain.gwp`
GAS_IDS: dict[str, str] = {
    "Carbon dioxide": "CO2",
    "Methane": "CH4",
    "Nitrous oxide": "N2O",
    "Carbon tetrafluoride": "CF4",
    "Hexafluoroethane": "C2F6",
    "Perfluoropropane": "C3F8",
    "Perfluorobutane": "C4F10",
    "Perfluorocyclobutane": "c-C4F8",
    "Perfluorohexane": "C6F14",
    "Sulfur hexafluoride": "SF6",
    "Nitrogen trifluoride": "NF3",
    "HFC-23": "HFC-23",
    "HFC-32": "HFC-32",
    "HFC-125": "HFC-125",
    "HFC-134a": "HFC-134a",
    "HFC-143a": "HFC-143a",
    "HFC-236fa": "HFC-236fa",
    UNSPECIFIED_HFC_PFC: UNSPECIFIED_HFC_PFC,
}
_GAS_ORDER = {gas: i for i, gas in enumerate(GAS_IDS.values())}

LICENCE = "US federal government work; public domain"
LICENCE_URL = "https://pasteur.epa.gov/license/sciencehub-license.html"
LICENCE_NOTE = (
    "Work of the US federal government, not subject to copyright in the US; EPA's data.gov "
    "record points to the EPA Science Hub licence (no restrictions). Attribution is "
    "recommended; do not imply EPA endorsement."
)
CODE_NOTE = (
    "code is the 2017 NAICS 6-digit commodity code as published. reference_useeio_code is "
    "the publisher's 'Reference USEEIO Code' with the spaces after commas removed; several "
    "codes mean the NAICS factor is an output-weighted mix of those USEEIO sectors."
)
VALUE_NOTE = (
    "kgco2e_per_unit is 'Supply Chain Emission Factors with Margins' (SEF+MEF, cradle to "
    "point of sale), the factor for spend at purchaser prices. without_margins (SEF) is for "
    "spend at producer prices; margins (MEF) is shown for reference. Never add SEF or MEF "
    "results to SEF+MEF results."
)

_CODE = re.compile(r"\d{6}")
_CO2E_UNIT = re.compile(r"kg CO2e/(\d{4}) USD, purchaser price")
_GAS_UNIT = re.compile(r"kg( CO2e)?/(\d{4}) USD, purchaser price")
_USEEIO_CODE = re.compile(r"[0-9A-Z]{3,6}")
# The three published columns are each rounded, so SEF + MEF may miss SEF+MEF by up to
# three half-units of the last (third) decimal.
_MARGIN_TOLERANCE = Decimal("0.0015")


@dataclass(frozen=True)
class EpaVersion:
    edition: str
    co2e_file: str
    co2e_sha_prefix: str
    bygas_file: str
    bygas_sha_prefix: str
    dollar_year: int
    gas_count: int
    gwp: str
    doi: str
    released: str
    ghg_data_year: int
    io_schema: str
    model_note: str


VERSIONS: tuple[EpaVersion, ...] = (
    EpaVersion(
        edition="v1.3.0",
        co2e_file="SupplyChainGHGEmissionFactors_v1.3.0_NAICS_CO2e_USD2022.csv",
        co2e_sha_prefix="c7f508646ee091cb",
        bygas_file="SupplyChainGHGEmissionFactors_v1.3.0_NAICS_byGHG_USD2022.csv",
        bygas_sha_prefix="963952e5911dd5c5",
        dollar_year=2022,
        gas_count=18,
        gwp="IPCC AR5 GWP-100",
        doi="10.23719/1531143",
        released="2024-07",
        ghg_data_year=2022,
        io_schema="BEA 2017 benchmark input-output tables",
        model_note="USEEIO v2.2.22-GHG",
    ),
    EpaVersion(
        edition="v1.2",
        co2e_file="SupplyChainGHGEmissionFactors_v1.2_NAICS_CO2e_USD2021.csv",
        co2e_sha_prefix="792fbce179b10539",
        bygas_file="SupplyChainGHGEmissionFactors_v1.2_NAICS_byGHG_USD2021.csv",
        bygas_sha_prefix="cdb9b7641b17d550",
        dollar_year=2021,
        gas_count=16,
        gwp="IPCC AR4 GWP-100",
        doi="10.23719/1528686",
        released="2023",
        ghg_data_year=2019,
        io_schema="BEA 2012 schema input-output tables",
        model_note="USEEIO 2012-schema model",
    ),
)


@dataclass(frozen=True, slots=True)
class EpaFactor:
    """One row of an EPA CO2e file, values as published text."""

    code: str
    name: str
    year: int
    with_margins: str
    without_margins: str
    margins: str
    reference_useeio_code: str

    def as_row(self) -> tuple[str, str, str, str, str, str, str]:
        return (
            self.code,
            self.name,
            str(self.year),
            self.with_margins,
            self.without_margins,
            self.margins,
            self.reference_useeio_code,
        )


@dataclass(frozen=True, slots=True)
class EpaGasFactor:
    code: str
    gas: str
    published_gas: str
    unit: str  # "kg" or "kg CO2e", per USD of the file's dollar year (purchaser price)
    with_margins: str


def _records(data: bytes, source_name: str) -> csv.DictReader[str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceDataError(f"{source_name}: not UTF-8 text ({exc.reason})") from exc
    buf = io.StringIO(text, newline="")
    reader = csv.DictReader(buf)
    fields = tuple((f or "").strip() for f in (reader.fieldnames or ()))
    if fields != SOURCE_COLUMNS:
        raise SourceDataError(
            f"{source_name} line 1: unexpected header {list(fields)}; expected the EPA "
            f"supply-chain factor columns {list(SOURCE_COLUMNS)}"
        )
    reader.fieldnames = list(SOURCE_COLUMNS)
    return reader


def _where(source_name: str, line: int, column: str) -> str:
    return f"{source_name} line {line}, column {column!r}"


def _number(text: str, where: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise SourceDataError(f"{where}: not a number: {text!r}") from exc
    if not value.is_finite() or value < 0:
        raise SourceDataError(f"{where}: implausible factor {text!r}")
    return value


def _fields(record: dict[str | Any, Any], source_name: str, line: int) -> dict[str, str]:
    if None in record or any(v is None for v in record.values()):
        raise SourceDataError(
            f"{source_name} line {line}: expected {len(SOURCE_COLUMNS)} fields per row"
        )
    return {str(k): str(v).strip() for k, v in record.items()}


def _reference(text: str, where: str) -> str:
    codes = [c.strip() for c in text.split(",")]
    if not codes or not all(_USEEIO_CODE.fullmatch(c) for c in codes):
        raise SourceDataError(f"{where}: not a USEEIO code list: {text!r}")
    return ",".join(codes)


def parse_co2e_csv(data: bytes, source_name: str) -> list[EpaFactor]:
    """Parse an EPA ``..._NAICS_CO2e_USDyyyy.csv`` file (all GHGs, kg CO2e per USD).

    Checks the header, 6-digit NAICS codes (unique), ``GHG`` = ``All GHGs``, one dollar
    year in ``Unit``, non-negative numbers with SEF + MEF = SEF+MEF within rounding.
    Errors name the file, line and column.
    """
    reader = _records(data, source_name)
    rows: list[EpaFactor] = []
    seen: set[str] = set()
    year: int | None = None
    for record in reader:
        line = reader.line_num
        f = _fields(record, source_name, line)
        if not any(f.values()):
            continue
        code = f[SOURCE_COLUMNS[0]]
        if not _CODE.fullmatch(code):
            raise SourceDataError(
                f"{_where(source_name, line, SOURCE_COLUMNS[0])}: not a 6-digit NAICS code: "
                f"{code!r}"
            )
        if code in seen:
            raise SourceDataError(
                f"{_where(source_name, line, SOURCE_COLUMNS[0])}: duplicate code {code}"
            )
        seen.add(code)
        if f["GHG"] != ALL_GHGS:
            raise SourceDataError(
                f"{_where(source_name, line, 'GHG')}: {f['GHG']!r}, expected {ALL_GHGS!r} "
                "(is this a by-gas file?)"
            )
        unit = _CO2E_UNIT.fullmatch(f["Unit"])
        if unit is None:
            raise SourceDataError(
                f"{_where(source_name, line, 'Unit')}: {f['Unit']!r}, expected "
                "'kg CO2e/YYYY USD, purchaser price'"
            )
        row_year = int(unit.group(1))
        if year is None:
            year = row_year
        elif row_year != year:
            raise SourceDataError(
                f"{_where(source_name, line, 'Unit')}: dollar year {row_year}, but earlier "
                f"rows are {year}"
            )
        sef_col, mef_col, total_col = SOURCE_COLUMNS[4:7]
        sef = _number(f[sef_col], _where(source_name, line, sef_col))
        mef = _number(f[mef_col], _where(source_name, line, mef_col))
        total = _number(f[total_col], _where(source_name, line, total_col))
        if abs(sef + mef - total) > _MARGIN_TOLERANCE:
            raise SourceDataError(
                f"{_where(source_name, line, total_col)}: {f[total_col]} is not "
                f"{f[sef_col]} + {f[mef_col]} (columns swapped?)"
            )
        name = f[SOURCE_COLUMNS[1]]
        if not name:
            raise SourceDataError(f"{_where(source_name, line, SOURCE_COLUMNS[1])}: empty title")
        ref_col = SOURCE_COLUMNS[7]
        rows.append(
            EpaFactor(
                code=code,
                name=name,
                year=row_year,
                with_margins=f[total_col],
                without_margins=f[sef_col],
                margins=f[mef_col],
                reference_useeio_code=_reference(f[ref_col], _where(source_name, line, ref_col)),
            )
        )
    if not rows:
        raise SourceDataError(f"{source_name}: no data rows")
    return rows


def parse_bygas_csv(data: bytes, source_name: str) -> list[EpaGasFactor]:
    """Parse an EPA ``..._NAICS_byGHG_USDyyyy.csv`` file (kg of each gas per USD).

    Every code must carry the same set of gases, each once; gas names must be known
    (:data:`GAS_IDS`). Rows are returned in file order.
    """
    reader = _records(data, source_name)
    rows: list[EpaGasFactor] = []
    seen: set[tuple[str, str]] = set()
    year: int | None = None
    for record in reader:
        line = reader.line_num
        f = _fields(record, source_name, line)
        if not any(f.values()):
            continue
        code = f[SOURCE_COLUMNS[0]]
        if not _CODE.fullmatch(code):
            raise SourceDataError(
                f"{_where(source_name, line, SOURCE_COLUMNS[0])}: not a 6-digit NAICS code: "
                f"{code!r}"
            )
        published = f["GHG"]
        gas = GAS_IDS.get(published)
        if gas is None:
            raise SourceDataError(
                f"{_where(source_name, line, 'GHG')}: unknown gas {published!r}; known: "
                + ", ".join(GAS_IDS)
            )
        if (code, gas) in seen:
            raise SourceDataError(
                f"{_where(source_name, line, 'GHG')}: duplicate gas {published!r} for {code}"
            )
        seen.add((code, gas))
        unit = _GAS_UNIT.fullmatch(f["Unit"])
        if unit is None:
            raise SourceDataError(
                f"{_where(source_name, line, 'Unit')}: {f['Unit']!r}, expected "
                "'kg/YYYY USD, purchaser price'"
            )
        row_year = int(unit.group(2))
        if year is None:
            year = row_year
        elif row_year != year:
            raise SourceDataError(
                f"{_where(source_name, line, 'Unit')}: dollar year {row_year}, but earlier "
                f"rows are {year}"
            )
        total_col = SOURCE_COLUMNS[6]
        _number(f[total_col], _where(source_name, line, total_col))
        mass_unit = "kg CO2e" if unit.group(1) else "kg"
        rows.append(EpaGasFactor(code, gas, published, mass_unit, f[total_col]))
    if not rows:
        raise SourceDataError(f"{source_name}: no data rows")
    gases_by_code: dict[str, set[str]] = {}
    for r in rows:
        gases_by_code.setdefault(r.code, set()).add(r.gas)
    gas_sets = {frozenset(g) for g in gases_by_code.values()}
    if len(gas_sets) != 1:
        raise SourceDataError(f"{source_name}: codes carry different sets of gases")
    return rows


def _base_metadata(version: EpaVersion) -> dict[str, Any]:
    return {
        "edition": version.edition,
        "publisher": PUBLISHER,
        "released": version.released,
        "currency": "USD",
        "currency_year": version.dollar_year,
        "price_basis": "purchaser price",
        "code_system": "NAICS 2017 (6-digit)",
        "code_note": CODE_NOTE,
        "gwp": version.gwp,
        "ghg_data_year": version.ghg_data_year,
        "io_schema": version.io_schema,
        "model": version.model_note,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "licence_note": LICENCE_NOTE,
        "attribution": f"Source: US EPA Office of Research and Development, Supply Chain "
        f"Greenhouse Gas Emission Factors {version.edition} for US Industries and "
        f"Commodities, doi:{version.doi}.",
        "doi": version.doi,
        "source_url": f"https://doi.org/{version.doi}",
    }


def build_version(source_dir: Path, out_dir: Path, version: EpaVersion) -> list[Path]:
    co2e_rel = f"{SOURCE_DIR}/{version.co2e_file}"
    data, digest = read_source(source_dir, co2e_rel, version.co2e_sha_prefix)
    factors = parse_co2e_csv(data, co2e_rel)
    years = sorted({f.year for f in factors})
    if years != [version.dollar_year]:
        raise SourceDataError(f"{co2e_rel}: dollar years {years}, expected {version.dollar_year}")
    multi = [f.code for f in factors if "," in f.reference_useeio_code]
    metadata: dict[str, Any] = {
        "key": KEY,
        **_base_metadata(version),
        "title": f"Supply Chain GHG Emission Factors {version.edition} for US commodities by "
        f"2017 NAICS-6, kg CO2e per {version.dollar_year} USD (purchaser price)",
        "unit": "kgCO2e per USD (purchaser price)",
        "value_column": "Supply Chain Emission Factors with Margins",
        "value_note": VALUE_NOTE,
        "precision_note": "Values copied as the published text (rounded by EPA to 3 decimals).",
        "source_file": version.co2e_file,
        "source_sha256": digest,
        "years": years,
        "code_count": len(factors),
        "reference_code_count": len({f.reference_useeio_code for f in factors}),
        "multi_reference_codes": multi,
        "row_count": len(factors),
        "built_by": BUILT_BY,
    }
    table = csv_bytes(HEADER, (f.as_row() for f in factors))
    written = write_table(out_dir / KEY / version.edition, "factors.csv", table, metadata)

    gas_rel = f"{SOURCE_DIR}/{version.bygas_file}"
    gas_data, gas_digest = read_source(source_dir, gas_rel, version.bygas_sha_prefix)
    gases = parse_bygas_csv(gas_data, gas_rel)
    order = {f.code: i for i, f in enumerate(factors)}
    missing = {g.code for g in gases} ^ set(order)
    if missing:
        raise SourceDataError(
            f"{gas_rel}: codes differ from the CO2e file: {', '.join(sorted(missing)[:10])}"
        )
    gases.sort(key=lambda g: (order[g.code], _GAS_ORDER[g.gas]))
    gas_names = {g.gas: g.published_gas for g in gases}
    units = [f"{g.unit}/{version.dollar_year} USD, purchaser price" for g in gases]
    if len(gas_names) != version.gas_count:
        raise SourceDataError(f"{gas_rel}: {len(gas_names)} gases, expected {version.gas_count}")
    gas_meta: dict[str, Any] = {
        "key": KEY_BYGAS,
        **_base_metadata(version),
        "title": f"Supply Chain GHG Emission Factors {version.edition} by gas, for US "
        f"commodities by 2017 NAICS-6, kg of gas per {version.dollar_year} USD "
        "(purchaser price)",
        "unit": f"kg of gas per USD (purchaser price); '{UNSPECIFIED_HFC_PFC}' in kg CO2e",
        "gwp_note": f"The CO2e table of this version uses {version.gwp}. Multiply each gas "
        f"by a GWP set to recompute CO2e; the row '{UNSPECIFIED_HFC_PFC}' is already CO2e "
        "(EPA aggregates them before publication) and is added as it is.",
        "value_column": "Supply Chain Emission Factors with Margins",
        "source_units": sorted(set(units)),
        "gas_names": dict(sorted(gas_names.items(), key=lambda kv: _GAS_ORDER[kv[0]])),
        "source_file": version.bygas_file,
        "source_sha256": gas_digest,
        "years": years,
        "code_count": len(order),
        "gas_count": len(gas_names),
        "row_count": len(gases),
        "built_by": BUILT_BY,
    }
    gas_table = csv_bytes(GAS_HEADER, ((g.code, g.gas, g.unit, g.with_margins) for g in gases))
    written += write_table(out_dir / KEY_BYGAS / version.edition, "gases.csv", gas_table, gas_meta)
    return written


def build(source_dir: Path, out_dir: Path) -> list[Path]:
    written: list[Path] = []
    for version in VERSIONS:
        written.extend(build_version(source_dir, out_dir, version))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    return run_cli("Build the US EPA supply-chain GHG emission factor tables.", build, argv)


if __name__ == "__main__":
    sys.exit(main())
