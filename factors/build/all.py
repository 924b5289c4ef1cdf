"""Run every reference-data builder: ``python -m factors.build.all [--source DIR] [--out DIR]``.

Used by ``make factors``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from factors.build import (
    bea_price_indices,
    companies_house_sic,
    defra_uk,
    epa_supply_chain,
    ons_cpi,
)
from factors.build._common import run_cli

BUILDERS: tuple[tuple[str, Callable[[Path, Path], list[Path]]], ...] = (
    ("defra_uk", defra_uk.build),
    ("ons_cpi", ons_cpi.build),
    ("companies_house_sic", companies_house_sic.build),
    ("epa_supply_chain", epa_supply_chain.build),
    ("bea_price_indices", bea_price_indices.build),
)


def build(source_dir: Path, out_dir: Path) -> list[Path]:
    written: list[Path] = []
    for _name, builder in BUILDERS:
        written.extend(builder(source_dir, out_dir))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    return run_cli("Build all reference-data tables.", build, argv)


if __name__ == "__main__":
    sys.exit(main())
