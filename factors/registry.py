"""Loaders for the shipped reference tables. Pure reads; no network, no database.

All numbers are returned as :class:`decimal.Decimal` parsed from the stored text.
Errors are :class:`ReferenceDataError` (a :class:`LookupError`) and name the valid choices.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

DATA_DIR = Path(__file__).resolve().parent / "data"
CROSSWALK_FILE = Path(__file__).resolve().parent / "crosswalks" / "sic2007_to_defra_group.csv"
TRADE_CROSSWALK_FILE = Path(__file__).resolve().parent / "crosswalks" / "trade_sic_to_goods.csv"
PRICE_INDEX_DIR = DATA_DIR / "price-indices"
COMPANIES_HOUSE_DIR = DATA_DIR / "crosswalks" / "companies-house-sic"
_NON_FACTOR_DIRS = frozenset({"price-indices", "crosswalks"})

#: scheme value used by :func:`load_companies_house_sic` for integers that stand for two codes
AMBIGUOUS = "AMBIGUOUS"

CrosswalkLevel = Literal["subclass", "class", "group", "division", "division-default"]
_LEVELS: frozenset[str] = frozenset({"class", "group", "division", "division-default"})

#: ``note`` of the crosswalk rules that come from ``trade_sic_to_goods.csv``
TRADE = "trade"
#: the divisions whose codes resolve through the trade table (wholesale, retail)
TRADE_DIVISIONS = frozenset({"46", "47"})
_TRADE_CONFIDENCE = frozenset({"high", "medium"})
# "46", "46.5", "46.51", "46.34/1"
_TRADE_PREFIX = re.compile(r"(?P<div>4[67])(?:\.(?P<group>\d)(?P<cls>\d)?(?:/(?P<sub>[1-9]))?)?")


class ReferenceDataError(LookupError):
    """A requested table, code or year is not in the shipped reference data."""


def _read_json(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict):
        raise ReferenceDataError(f"{path}: metadata is not a JSON object")
    return data


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _choices(items: Iterable[object]) -> str:
    text = ", ".join(str(i) for i in items)
    return text or "(none)"


@dataclass(frozen=True, slots=True)
class FactorRow:
    code: str
    name: str
    year: int
    value: Decimal


@dataclass(frozen=True)
class FactorTable:
    """One edition of a factor set: its metadata and rows (one per code and year)."""

    key: str
    edition: str
    metadata: Mapping[str, Any]
    rows: tuple[FactorRow, ...]
    _index: Mapping[tuple[str, int], FactorRow] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        index = {(r.code, r.year): r for r in self.rows}
        object.__setattr__(self, "_index", MappingProxyType(index))

    @property
    def unit(self) -> str:
        return str(self.metadata["unit"])

    def codes(self) -> list[str]:
        return list(dict.fromkeys(r.code for r in self.rows))

    def years(self) -> list[int]:
        return sorted({r.year for r in self.rows})

    def names(self) -> dict[str, str]:
        return {r.code: r.name for r in self.rows}

    def row(self, code: str, year: int) -> FactorRow:
        found = self._index.get((code, year))
        if found is not None:
            return found
        label = f"{self.key}/{self.edition}"
        if code not in self.names():
            raise ReferenceDataError(
                f"code {code!r} is not in factor set {label}; valid codes: {_choices(self.codes())}"
            )
        raise ReferenceDataError(
            f"factor set {label} has no year {year} for code {code!r}; "
            f"valid years: {_choices(self.years())}"
        )

    def value(self, code: str, year: int) -> Decimal:
        return self.row(code, year).value


@dataclass(frozen=True)
class PriceIndexTable:
    key: str
    metadata: Mapping[str, Any]
    values: Mapping[int, Decimal]

    def value(self, year: int) -> Decimal:
        try:
            return self.values[year]
        except KeyError:
            years = sorted(self.values)
            raise ReferenceDataError(
                f"price index {self.key} has no year {year}; it covers {years[0]}–{years[-1]}"
            ) from None

    @property
    def last_year(self) -> int:
        return max(self.values)


@dataclass(frozen=True)
class CommodityPriceIndexTable:
    """A price index with one annual series per commodity code (e.g. BEA detail codes)."""

    key: str
    metadata: Mapping[str, Any]
    values: Mapping[str, Mapping[int, Decimal]]

    def codes(self) -> list[str]:
        return list(self.values)

    def series(self, code: str) -> Mapping[int, Decimal]:
        try:
            return self.values[code]
        except KeyError:
            raise ReferenceDataError(
                f"price index {self.key} has no code {code!r} ({len(self.values)} codes)"
            ) from None

    def value(self, code: str, year: int) -> Decimal:
        series = self.series(code)
        try:
            return series[year]
        except KeyError:
            years = sorted(series)
            raise ReferenceDataError(
                f"price index {self.key} has no year {year} for code {code!r}; "
                f"it covers {years[0]}–{years[-1]}"
            ) from None


@dataclass(frozen=True, slots=True)
class CompaniesHouseSic:
    sicc_int: str
    code: str
    scheme: str
    title: str


@dataclass(frozen=True, slots=True)
class CrosswalkEntry:
    """One rule of ``crosswalks/sic2007_to_defra_group.csv`` or ``trade_sic_to_goods.csv``.

    ``defra_group`` None = unmapped. Rules from the trade table have ``note`` ``"trade"``,
    the table's note as ``comment``, its ``confidence`` (``high``/``medium``, empty when
    the class does not say which goods) and the SIC title.
    """

    sic_prefix: str
    defra_group: str | None
    level: CrosswalkLevel
    note: str
    comment: str
    confidence: str = ""
    title: str = ""


@dataclass(frozen=True, slots=True)
class VerifyResult:
    path: str
    expected_sha256: str
    actual_sha256: str | None

    @property
    def ok(self) -> bool:
        return self.actual_sha256 == self.expected_sha256


def available_factor_sets() -> list[tuple[str, str]]:
    """(key, edition) of every shipped factor set, sorted."""
    found = [
        (meta.parent.parent.name, meta.parent.name)
        for meta in DATA_DIR.glob("*/*/metadata.json")
        if meta.parent.parent.name not in _NON_FACTOR_DIRS
        and (meta.parent / "factors.csv").is_file()
    ]
    return sorted(found)


def _index_kind(key: str) -> str:
    return str(
        _read_json(PRICE_INDEX_DIR / key / "metadata.json").get("index_kind", "economy-wide")
    )


def available_price_indices() -> list[str]:
    """Keys of the shipped economy-wide indices (one value per year), e.g. ``ons-cpi-d7bt``."""
    keys = sorted(p.parent.name for p in PRICE_INDEX_DIR.glob("*/metadata.json"))
    return [k for k in keys if _index_kind(k) != "commodity"]


def available_commodity_price_indices() -> list[str]:
    """Keys of the shipped commodity-specific indices (one series per code and year)."""
    keys = sorted(p.parent.name for p in PRICE_INDEX_DIR.glob("*/metadata.json"))
    return [k for k in keys if _index_kind(k) == "commodity"]


@functools.cache
def load_factor_set(key: str, edition: str) -> FactorTable:
    """Load ``factors/data/<key>/<edition>``, e.g. ``("defra-uk-sic", "to-2023")``."""
    available = available_factor_sets()
    if (key, edition) not in available:
        editions = [e for k, e in available if k == key]
        if editions:
            raise ReferenceDataError(
                f"factor set {key!r} has no edition {edition!r}; editions: {_choices(editions)}"
            )
        sets = sorted({k for k, _ in available})
        raise ReferenceDataError(f"unknown factor set {key!r}; available: {_choices(sets)}")
    folder = DATA_DIR / key / edition
    metadata = _read_json(folder / "metadata.json")
    rows = tuple(
        FactorRow(r["code"], r["name"], int(r["year"]), Decimal(r["kgco2e_per_unit"]))
        for r in _read_csv(folder / "factors.csv")
    )
    return FactorTable(key, edition, MappingProxyType(metadata), rows)


@functools.cache
def load_price_index(key: str) -> PriceIndexTable:
    """Load an economy-wide index, e.g. ``load_price_index("ons-cpi-d7bt")``.

    Commodity-specific indices (``bea-detail-io17``) have a value per code and year; load
    them with :func:`load_commodity_price_index`.
    """
    if key in available_commodity_price_indices():
        raise ReferenceDataError(
            f"price index {key!r} is commodity-specific; use load_commodity_price_index()"
        )
    if key not in available_price_indices():
        raise ReferenceDataError(
            f"unknown price index {key!r}; available: {_choices(available_price_indices())}"
        )
    folder = PRICE_INDEX_DIR / key
    metadata = _read_json(folder / "metadata.json")
    values = {int(r["year"]): Decimal(r["value"]) for r in _read_csv(folder / "index.csv")}
    return PriceIndexTable(key, MappingProxyType(metadata), MappingProxyType(values))


@functools.cache
def load_commodity_price_index(key: str) -> CommodityPriceIndexTable:
    """Load a commodity index, e.g. ``load_commodity_price_index("bea-detail-io17")``.

    ``values[code][year]`` is the index value (text of ``index.csv`` parsed as Decimal).
    """
    available = available_commodity_price_indices()
    if key not in available:
        raise ReferenceDataError(
            f"unknown commodity price index {key!r}; available: {_choices(available)}"
        )
    folder = PRICE_INDEX_DIR / key
    metadata = _read_json(folder / "metadata.json")
    values: dict[str, dict[int, Decimal]] = {}
    for r in _read_csv(folder / "index.csv"):
        values.setdefault(r["code"], {})[int(r["year"])] = Decimal(r["value"])
    frozen = {code: MappingProxyType(series) for code, series in values.items()}
    return CommodityPriceIndexTable(key, MappingProxyType(metadata), MappingProxyType(frozen))


@functools.cache
def load_factor_extras(key: str, edition: str) -> Mapping[tuple[str, int], Mapping[str, str]]:
    """Columns of a factor table beyond ``code,name,year,kgco2e_per_unit``, by (code, year).

    For ``epa-useeio-naics``: ``without_margins``, ``margins`` (published text) and
    ``reference_useeio_code`` (the key into the BEA price indices).
    """
    load_factor_set(key, edition)  # validates key and edition
    base = {"code", "name", "year", "kgco2e_per_unit"}
    extras: dict[tuple[str, int], Mapping[str, str]] = {}
    for r in _read_csv(DATA_DIR / key / edition / "factors.csv"):
        extra = {k: v for k, v in r.items() if k not in base}
        extras[(r["code"], int(r["year"]))] = MappingProxyType(extra)
    return MappingProxyType(extras)


def available_gas_tables() -> list[tuple[str, str]]:
    """(key, edition) of every shipped per-gas table (``gases.csv``), sorted."""
    return sorted(
        (meta.parent.parent.name, meta.parent.name)
        for meta in DATA_DIR.glob("*/*/metadata.json")
        if (meta.parent / "gases.csv").is_file()
    )


@functools.cache
def load_gas_table(key: str, edition: str) -> Mapping[str, Mapping[str, Decimal]]:
    """Per-gas factors ``code → gas → kg per unit`` (with margins), e.g.
    ``load_gas_table("epa-useeio-naics-bygas", "v1.3.0")["327320"]["CH4"]``.

    Gas ``HFCs and PFCs, unspecified`` is already kg CO2e (see the table's metadata).
    """
    if (key, edition) not in available_gas_tables():
        raise ReferenceDataError(
            f"unknown gas table {key}/{edition}; available: "
            f"{_choices(f'{k}/{e}' for k, e in available_gas_tables())}"
        )
    table: dict[str, dict[str, Decimal]] = {}
    for r in _read_csv(DATA_DIR / key / edition / "gases.csv"):
        table.setdefault(r["code"], {})[r["gas"]] = Decimal(r["with_margins"])
    return MappingProxyType({code: MappingProxyType(g) for code, g in table.items()})


@functools.cache
def load_companies_house_sic_rows() -> tuple[CompaniesHouseSic, ...]:
    """Every row of the Companies House code table (both codes of an ambiguous integer)."""
    return tuple(
        CompaniesHouseSic(r["sicc_int"], r["code"], r["scheme"], r["title"])
        for r in _read_csv(COMPANIES_HOUSE_DIR / "codes.csv")
    )


def load_companies_house_sic() -> dict[str, tuple[str, str]]:
    """``sicc_int`` → ``(code as Companies House writes it, scheme)``.

    ``"2400"`` → ``("02400", "SIC2007")``; ``"9305"`` → ``("9305", "SIC2003")``. The few
    integers that stand for two codes (e.g. ``"1110"``: SIC 2007 ``01110`` and SIC 2003
    ``1110``) map to ``("01110|1110", "AMBIGUOUS")`` — the candidate codes joined by ``|``.
    """
    grouped: dict[str, list[CompaniesHouseSic]] = {}
    for row in load_companies_house_sic_rows():
        grouped.setdefault(row.sicc_int, []).append(row)
    result: dict[str, tuple[str, str]] = {}
    for sicc_int, rows in grouped.items():
        if len(rows) == 1:
            result[sicc_int] = (rows[0].code, rows[0].scheme)
        else:
            codes = sorted((r.code for r in rows), key=lambda c: (-len(c), c))
            result[sicc_int] = ("|".join(codes), AMBIGUOUS)
    return result


@functools.cache
def load_sic_to_defra_table() -> Mapping[str, CrosswalkEntry]:
    """The rules of ``sic2007_to_defra_group.csv`` alone (every division, 46 and 47 included).

    The resolver uses :func:`load_sic_crosswalk`, which replaces divisions 46 and 47 by the
    trade table.
    """
    entries: dict[str, CrosswalkEntry] = {}
    for n, r in enumerate(_read_csv(CROSSWALK_FILE), start=2):
        level = r["level"]
        if level not in _LEVELS:
            raise ReferenceDataError(
                f"{CROSSWALK_FILE.name} line {n}: level {level!r}; "
                f"valid: {_choices(sorted(_LEVELS))}"
            )
        prefix = r["sic_prefix"]
        if prefix in entries:
            raise ReferenceDataError(f"{CROSSWALK_FILE.name} line {n}: duplicate prefix {prefix}")
        entries[prefix] = CrosswalkEntry(
            sic_prefix=prefix,
            defra_group=r["defra_group"] or None,
            level=level,  # type: ignore[arg-type]  # checked against _LEVELS above
            note=r["note"],
            comment=r["comment"],
        )
    return MappingProxyType(entries)


def _trade_level(prefix: str) -> CrosswalkLevel | None:
    m = _TRADE_PREFIX.fullmatch(prefix)
    if m is None:
        return None
    if m.group("sub"):
        return "subclass" if m.group("cls") else None
    if m.group("cls"):
        return "class"
    return "group" if m.group("group") else "division"


@functools.cache
def load_trade_crosswalk() -> Mapping[str, CrosswalkEntry]:
    """``trade_sic_to_goods.csv``: SIC 2007 prefix under 46/47 → the group of the goods traded.

    Prefixes are written ``46``, ``46.5``, ``46.51`` or ``46.34/1`` (a subclass). An empty
    ``defra_group`` (with an empty confidence) means the class does not say which goods.
    """
    name = TRADE_CROSSWALK_FILE.name
    entries: dict[str, CrosswalkEntry] = {}
    for n, r in enumerate(_read_csv(TRADE_CROSSWALK_FILE), start=2):
        prefix = r["sic_prefix"]
        level = _trade_level(prefix)
        if level is None:
            raise ReferenceDataError(
                f"{name} line {n}: {prefix!r} is not a SIC 2007 prefix under 46 or 47 "
                "(46, 46.5, 46.51, 46.34/1)"
            )
        if prefix in entries:
            raise ReferenceDataError(f"{name} line {n}: duplicate prefix {prefix}")
        group = r["defra_group"] or None
        confidence = r["confidence"]
        if (group is None) != (confidence == "") or (
            confidence and confidence not in _TRADE_CONFIDENCE
        ):
            raise ReferenceDataError(
                f"{name} line {n}: confidence {confidence!r} with group {group!r}; a goods "
                f"group needs {_choices(sorted(_TRADE_CONFIDENCE))}, an empty group none"
            )
        entries[prefix] = CrosswalkEntry(
            sic_prefix=prefix,
            defra_group=group,
            level=level,
            note=TRADE,
            comment=r["note"],
            confidence=confidence,
            title=r["title"],
        )
    return MappingProxyType(entries)


@functools.cache
def load_sic_crosswalk() -> Mapping[str, CrosswalkEntry]:
    """SIC 2007 prefix (``"20"``, ``"10.1"``, ``"20.11"``, ``"46.34/1"``) → rule.

    The rules of ``sic2007_to_defra_group.csv``, except that wholesale and retail (divisions
    46 and 47) come from ``trade_sic_to_goods.csv``: a wholesaler or retailer is costed
    with the group of the goods it trades (classification policy §5).
    """
    merged = {
        prefix: entry
        for prefix, entry in load_sic_to_defra_table().items()
        if prefix[:2] not in TRADE_DIVISIONS
    }
    merged.update(load_trade_crosswalk())
    return MappingProxyType(merged)


def _shipped_metadata() -> Iterator[Path]:
    yield from sorted(DATA_DIR.rglob("metadata.json"))


def verify_shipped() -> list[VerifyResult]:
    """Re-hash every shipped table and compare with its metadata's ``table_sha256``."""
    results: list[VerifyResult] = []
    for meta_path in _shipped_metadata():
        meta = _read_json(meta_path)
        table = meta_path.parent / str(meta.get("table_file", ""))
        rel = table.relative_to(DATA_DIR).as_posix()
        actual = hashlib.sha256(table.read_bytes()).hexdigest() if table.is_file() else None
        results.append(VerifyResult(rel, str(meta.get("table_sha256", "")), actual))
    return results


__all__ = [
    "AMBIGUOUS",
    "TRADE",
    "TRADE_DIVISIONS",
    "CommodityPriceIndexTable",
    "CompaniesHouseSic",
    "CrosswalkEntry",
    "FactorRow",
    "FactorTable",
    "PriceIndexTable",
    "ReferenceDataError",
    "VerifyResult",
    "available_commodity_price_indices",
    "available_factor_sets",
    "available_gas_tables",
    "available_price_indices",
    "load_commodity_price_index",
    "load_companies_house_sic",
    "load_companies_house_sic_rows",
    "load_factor_extras",
    "load_factor_set",
    "load_gas_table",
    "load_price_index",
    "load_sic_crosswalk",
    "load_sic_to_defra_table",
    "load_trade_crosswalk",
    "verify_shipped",
]
