"""The comparison workbook across authorities (aggregates only, for admins).

Group figures are ratios of sums -- Σ kgCO2e / Σ spend and Σ kgCO2e / Σ population --
never averages of the authorities' ratios, and are given per currency, since spend in
different currencies does not add up. Each authority's factor set and edition is shown,
as figures from different editions are not strictly comparable.

``comparison_workbook(session, *, viewer=None, year=None) -> bytes`` shows the authorities
whose aggregates the viewer may compare (``tracker.access.aggregate_access_ids``); without
a viewer (the CLI, run by an administrator) every authority.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.access import Viewer, aggregate_access_ids
from tracker.domain.periods import fy_label, group_fy_label, year_phrase
from tracker.domain.uncertainty import combine, range95
from tracker.domain.units import to_tonnes
from tracker.models import Authority
from tracker.queries.runs import RunSummary, current_runs
from tracker.reports.cells import INTEGER, MONEY, PERCENT, RATIO, SCORE, TONNES, Sheet
from tracker.reports.printing import comparison_page

ZERO = Decimal(0)
# Spend, tCO2e, 95% low and high, kg per unit spend, population, kg per resident.
FIGURE_NAMES = [
    "Spend", "tCO2e", "95% low", "95% high", "kgCO2e per unit spend", "Population",
    "kgCO2e per resident",
]  # fmt: skip
FIGURES = [MONEY, TONNES, TONNES, TONNES, RATIO, INTEGER, RATIO]


@dataclass(frozen=True)
class CompareRow:
    code: str
    name: str
    currency: str
    population: int | None
    run: RunSummary


@dataclass(frozen=True)
class GroupTotal:
    currency: str
    authorities: int
    spend: Decimal
    kgco2e: Decimal
    sigma: Decimal | None
    population: int
    kg_with_population: Decimal

    @property
    def kg_per_unit_spend(self) -> Decimal | None:
        return None if self.spend == 0 else self.kgco2e / self.spend

    @property
    def kg_per_resident(self) -> Decimal | None:
        return None if self.population == 0 else self.kg_with_population / self.population


def comparison_rows(
    session: Session, *, authority_ids: Sequence[int] | None = None, year: int | None = None
) -> list[CompareRow]:
    """One row per authority: its inventory of ``year``, or its latest when ``year`` is None."""
    runs = current_runs(session, authority_ids=authority_ids)
    chosen: dict[int, RunSummary] = {}
    for r in runs:  # ordered by code then year: the last one kept is the latest
        if year is None or r.fy_year == year:
            chosen[r.authority_id] = r
    if not chosen:
        return []
    authorities = {
        a.id: a for a in session.scalars(select(Authority).where(Authority.id.in_(list(chosen))))
    }
    rows = [
        CompareRow(a.code, a.name, a.currency, a.population, chosen[a.id])
        for a in authorities.values()
    ]
    return sorted(rows, key=lambda r: r.code)


def group_totals(rows: Sequence[CompareRow]) -> list[GroupTotal]:
    """Per currency: Σ spend, Σ kg, σ of the sum (independent authorities, in quadrature),
    and Σ population with the Σ kg of the authorities that have a population."""
    out = []
    for currency in sorted({r.currency for r in rows}):
        group = [r for r in rows if r.currency == currency]
        sigmas = [r.run.sigma_kgco2e for r in group]
        out.append(
            GroupTotal(
                currency=currency,
                authorities=len(group),
                spend=sum((r.run.total_spend for r in group), ZERO),
                kgco2e=sum((r.run.total_kgco2e for r in group), ZERO),
                sigma=None if None in sigmas else combine(s for s in sigmas if s is not None),
                population=sum(r.population or 0 for r in group),
                kg_with_population=sum((r.run.total_kgco2e for r in group if r.population), ZERO),
            )
        )
    return out


def comparison_workbook(
    session: Session, *, viewer: Viewer | None = None, year: int | None = None
) -> bytes:
    """The comparison as .xlsx bytes: the authorities whose aggregates ``viewer`` may see
    (``tracker.access.aggregate_access_ids``), or every authority without a viewer."""
    ids = None if viewer is None else aggregate_access_ids(session, viewer)
    out = io.BytesIO()
    write_comparison_workbook(session, out, authority_ids=ids, year=year)
    return out.getvalue()


def write_comparison_workbook(
    session: Session,
    out: Path | BinaryIO,
    *,
    authority_ids: Sequence[int] | None = None,
    year: int | None = None,
) -> list[CompareRow]:
    rows = comparison_rows(session, authority_ids=authority_ids, year=year)
    # Named as the authorities name it (2023/24), or "year starting in 2023" when their
    # financial years start in different months.
    label = None if year is None else group_fy_label(year, {r.run.fy_start_month for r in rows})
    page = comparison_page(year_label=label)
    wb = Workbook(write_only=True)
    widths = (10, 36, 10, 16, 12, 9, 18, 14, 14, 14, 12, 12, 12, 10, 10)
    s = Sheet(wb, "Comparison", widths, page)
    s.title("Authorities compared, " + (year_phrase(label) if label else "latest year"))
    s.header(
        [
            "Code",
            "Authority",
            "Year",
            "Factor set",
            "Edition",
            "Version",
            *FIGURE_NAMES,
            "DQ mean",
            "Classified share",
            "Currency",
        ],
        repeat=True,  # the authorities' table runs down the pages; group totals follow
    )
    fmts = [*[None] * 6, *FIGURES, SCORE, PERCENT]
    for r in rows:
        run = r.run
        low, high = run.range95 or (None, None)
        per_resident = run.total_kgco2e / r.population if r.population else None
        s.row(
            [
                r.code,
                r.name,
                fy_label(run.fy_year, run.fy_start_month),
                run.factor_family,
                run.factor_edition,
                run.version,
                run.total_spend,
                to_tonnes(run.total_kgco2e),
                None if low is None else to_tonnes(low),
                None if high is None else to_tonnes(high),
                run.kg_per_currency_unit,
                r.population,
                per_resident,
                run.data_quality_mean,
                run.mapped_share,
                r.currency,
            ],
            fmts,
        )
    s.blank()
    s.title("Group totals (ratios of sums, per currency)")
    s.header(
        [
            "Currency",
            "Authorities",
            "",
            "",
            "",
            "",
            *FIGURE_NAMES,
        ]
    )
    for g in group_totals(rows):
        low, high = range95(g.kgco2e, g.sigma) if g.sigma is not None else (None, None)
        s.row(
            [
                g.currency,
                g.authorities,
                "",
                "",
                "",
                "",
                g.spend,
                to_tonnes(g.kgco2e),
                None if low is None else to_tonnes(low),
                None if high is None else to_tonnes(high),
                g.kg_per_unit_spend,
                g.population or None,
                g.kg_per_resident,
            ],
            [*[None] * 6, *FIGURES],
        )
    _by_year(Sheet(wb, "By year", (10, 36), page), session, authority_ids)
    wb.save(out)
    return rows


def _by_year(s: Sheet, session: Session, authority_ids: Sequence[int] | None) -> None:
    runs = current_runs(session, authority_ids=authority_ids)
    years = sorted({r.fy_year for r in runs})
    s.header(
        ["Code", "Authority", *[str(y) for y in years], "Factor edition (latest)"], repeat=True
    )
    by_authority: dict[str, list[RunSummary]] = {}
    for r in runs:
        by_authority.setdefault(r.authority_code, []).append(r)
    for code, own in by_authority.items():
        kg = {r.fy_year: to_tonnes(r.total_kgco2e) for r in own}
        latest = own[-1]
        s.row(
            [
                code,
                latest.authority_name,
                *[kg.get(y) for y in years],
                f"{latest.factor_family} {latest.factor_edition}",
            ],
            [None, None, *[TONNES] * len(years)],
        )
