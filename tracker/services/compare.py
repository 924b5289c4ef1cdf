"""Benchmarks: how the authorities a user may see compare in one financial year.

For each authority with an inventory for the year: kgCO2e per unit of in-scope spend
(spend net of VAT, out-of-scope spend such as salaries and grants left out; unclassified
spend stays in, at zero emissions), kgCO2e per resident, the mix of emissions by broad
category group, progress against its target, and the factor sets, price-year policy and
classification methods behind the figures. Group figures are pooled (Σ/Σ, see
``tracker.domain.benchmark``), and every way in which the figures are not like for like
is reported as a warning.

Only aggregates are used, and only of the authorities in
``tracker.access.aggregate_access_ids``: the user's own and those that opted in to sharing
(every authority for an admin).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from tracker.access import Viewer, aggregate_access_ids
from tracker.domain.benchmark import (
    Basis,
    MixShare,
    NotComparable,
    Pooled,
    comparability,
    default_year,
    kg_by_group,
    mix_shares,
    pooled,
    pooled_by_currency,
)
from tracker.domain.completeness import YearCompleteness, part_year_notes
from tracker.domain.money import currency_symbol
from tracker.domain.plausibility import DEFAULT_LIMITS, Limits, describe_outlier, group_outliers
from tracker.errors import TrackerError
from tracker.models import Authority, FactorSet, InventoryRun, Target
from tracker.queries import groups as gq
from tracker.queries.sql import among
from tracker.services.completeness import completeness_by_id
from tracker.services.inventory.run_figures import (
    RunFigures,
    StoredFigures,
    run_figures,
    stored_figures,
)
from tracker.services.plausibility import year_checks
from tracker.services.progress import assessment, describe_target, target_model
from tracker.storage.memo import Memo, database_key

ZERO = Decimal(0)


@dataclass(frozen=True)
class AuthorityBenchmark:
    """One authority's figures for one financial year, with what they rest on."""

    run: gq.RunRow
    mix: tuple[MixShare, ...]
    methods: tuple[tuple[str, Decimal], ...]  # classification method, share of classified spend
    factor_sets: tuple[tuple[str, str, int], ...]  # (family, edition, data year) used
    progress_status: str | None  # on track | at risk | off track | None
    progress_note: str  # why there is no status, or the target and the status explained
    #: None for a complete year; else the months covered ("Apr-Jun 2024/25: 3 of 12 months")
    part_year: str | None = None

    @property
    def code(self) -> str:
        return self.run.code

    @property
    def in_scope_spend(self) -> Decimal:
        return self.run.total_spend - self.run.excluded_spend

    @property
    def classified_share(self) -> Decimal | None:
        spend = self.in_scope_spend
        return self.run.mapped_spend / spend if spend > 0 else None

    @property
    def kg_per_unit(self) -> Decimal | None:
        """kgCO2e per unit of in-scope spend (per £ for GBP authorities)."""
        spend = self.in_scope_spend
        return self.run.kgco2e / spend if spend > 0 else None

    @property
    def kg_per_resident(self) -> Decimal | None:
        population = self.run.population
        return self.run.kgco2e / population if population else None

    @property
    def basis(self) -> Basis:
        r = self.run
        return Basis(
            code=r.code,
            currency=r.currency,
            factor_family=r.factor_family,
            factor_edition=r.factor_edition,
            price_year_policy=r.price_year_policy,
            classified_share=self.classified_share,
            part_year=self.part_year,
            methods=self.methods,
        )

    def as_dict(self) -> dict[str, Any]:
        r = self.run
        return {
            "authority": r.code,
            "name": r.name,
            "currency": r.currency,
            "population": r.population,
            "run_id": r.run_id,
            "version": r.version,
            "kgco2e": r.kgco2e,
            "in_scope_spend": self.in_scope_spend,
            "excluded_spend": r.excluded_spend,
            "classified_share": self.classified_share,
            "kgco2e_per_currency_unit": self.kg_per_unit,
            "kgco2e_per_resident": self.kg_per_resident,
            "category_mix": [
                {"group": m.group, "kgco2e": m.kgco2e, "share": m.share} for m in self.mix
            ],
            "progress_status": self.progress_status,
            "progress_note": self.progress_note,
            "part_year": self.part_year,
            "factor_set": {"family": r.factor_family, "edition": r.factor_edition},
            "factor_sets_used": [
                {"family": f, "edition": e, "data_year": y} for f, e, y in self.factor_sets
            ],
            "price_year_policy": r.price_year_policy,
            "price_index": r.price_index_key,
            "classification_methods": dict(self.methods),
            "supplier_specific_share": r.supplier_specific_share,
        }


@dataclass(frozen=True)
class GroupFigures:
    """Pooled figures over the authorities compared."""

    per_currency_unit: dict[str, Pooled]  # currency → Σ kgCO2e / Σ in-scope spend
    per_resident: Pooled  # Σ kgCO2e / Σ population, authorities with a population

    def as_dict(self) -> dict[str, Any]:
        return {
            "kgco2e_per_currency_unit": {
                c: {
                    "kgco2e": p.numerator,
                    "in_scope_spend": p.denominator,
                    "ratio": p.ratio,
                    "authorities": list(p.members),
                }
                for c, p in self.per_currency_unit.items()
            },
            "kgco2e_per_resident": {
                "kgco2e": self.per_resident.numerator,
                "population": self.per_resident.denominator,
                "ratio": self.per_resident.ratio,
                "authorities": list(self.per_resident.members),
            },
        }


@dataclass(frozen=True)
class Comparison:
    fy_year: int | None  # None when no authority the user may see has an inventory
    years: tuple[int, ...]  # every year with at least one inventory, oldest first
    authorities: tuple[AuthorityBenchmark, ...]  # by code
    group: GroupFigures
    warnings: tuple[NotComparable, ...]
    without_inventory: tuple[str, ...]  # codes of visible authorities with no run that year

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.fy_year,
            "years": list(self.years),
            "authorities": [a.as_dict() for a in self.authorities],
            "group": self.group.as_dict(),
            "warnings": [
                {"kind": w.kind, "message": w.message, "authorities": list(w.authorities)}
                for w in self.warnings
            ],
            "without_inventory": list(self.without_inventory),
        }


def group_figures(benchmarks: Sequence[AuthorityBenchmark]) -> GroupFigures:
    return GroupFigures(
        per_currency_unit=pooled_by_currency(
            (b.code, b.run.currency, b.run.kgco2e, b.in_scope_spend) for b in benchmarks
        ),
        per_resident=pooled(
            (
                b.code,
                b.run.kgco2e,
                None if b.run.population is None else Decimal(b.run.population),
            )
            for b in benchmarks
        ),
    )


def _progress(
    session: Session,
    totals: Sequence[tuple[int, int, Decimal]],
    in_year: Sequence[gq.RunRow],
    year: int,
    coverage: Mapping[int, Mapping[int, YearCompleteness]],
) -> dict[int, tuple[str | None, str]]:
    """(status, note) in ``year`` for each authority of ``in_year``, from its target and
    the totals of its current inventories ``(authority id, year, kgCO2e)``."""
    codes = {r.authority_id: r.code for r in in_year}
    months = {r.authority_id: r.fy_start_month for r in in_year}
    ids = sorted(codes)
    targets = {
        t.authority_id: t
        for t in session.scalars(select(Target).where(among(Target.authority_id, ids)))
    }
    actual: dict[int, dict[int, Decimal]] = {}
    for aid, fy, kg in totals:
        if aid in codes:
            actual.setdefault(aid, {})[fy] = kg
    out: dict[int, tuple[str | None, str]] = {}
    for aid in ids:
        target = targets.get(aid)
        if target is None:
            out[aid] = (None, "no target set")
            continue
        try:
            model = target_model(target, code=codes[aid])
        except TrackerError:
            out[aid] = (None, "no recorded baseline")
            continue
        note = f"Target: {describe_target(model, months[aid])}."
        judged = assessment(
            model,
            actual[aid],
            year,
            fy_start_month=months[aid],
            part_years=part_year_notes(coverage[aid]),
        )
        if judged is not None:
            note += " " + judged.sentence
        elif year <= model.baseline_year:
            note += " This year is not after the baseline."
        out[aid] = (None if judged is None else judged.status, note)
    return out


def _shares(spend: dict[str, Decimal]) -> tuple[tuple[str, Decimal], ...]:
    total = sum(spend.values(), ZERO)
    if total <= 0:
        return ()
    return tuple((m, s / total) for m, s in sorted(spend.items(), key=lambda i: (-i[1], i[0])))


def compare(
    session: Session,
    viewer: Viewer,
    *,
    year: int | None = None,
    method_label: Callable[[str], str] = str,
    limits: Limits = DEFAULT_LIMITS,
) -> Comparison:
    """Benchmarks of the authorities ``viewer`` may see as aggregates, for ``year``
    (default: the most recent year in which most of them have an inventory);
    ``method_label`` names a classification method in the warnings; ``limits`` flag
    implausible years and outliers (the settings', ``Settings.plausibility``)."""
    return compare_among(
        session,
        aggregate_access_ids(session, viewer),
        year=year,
        method_label=method_label,
        limits=limits,
    )


def compare_among(
    session: Session,
    ids: Sequence[int],
    *,
    year: int | None = None,
    method_label: Callable[[str], str] = str,
    limits: Limits = DEFAULT_LIMITS,
) -> Comparison:
    """``compare`` of the authorities ``ids``: ``aggregate_access_ids`` of the viewer, as
    the caller read them (``tracker.services.compare_memo`` keys its answer on the very ids
    it read, so an answer never covers authorities other than its key's)."""
    # every current run's kgCO2e and in-scope spend, read once for progress and the checks
    yearly = gq.yearly_figures(session, ids)
    totals = [(aid, y, kg) for aid, y, kg, _ in yearly]
    years = tuple(sorted({y for _, y, _ in totals}))
    fy_year = year if year is not None else default_year((a, y) for a, y, _ in totals)
    in_year = [] if fy_year is None else gq.current_run_rows(session, ids, fy_year)
    present = [r.authority_id for r in in_year]
    if fy_year is None or not in_year:
        return _empty(session, ids, fy_year, years)
    figures = _run_figures(session, in_year)
    # the months each authority's lines cover: one scan of their lines, used three times
    coverage = completeness_by_id(session, {r.authority_id: r.fy_start_month for r in in_year})
    progress = _progress(session, totals, in_year, fy_year, coverage)
    part_years = _part_years(coverage, fy_year)
    benchmarks = tuple(
        AuthorityBenchmark(
            run=r,
            mix=figures[r.authority_id].mix,
            methods=figures[r.authority_id].methods,
            factor_sets=figures[r.authority_id].factor_sets,
            progress_status=progress[r.authority_id][0],
            progress_note=progress[r.authority_id][1],
            part_year=part_years.get(r.authority_id),
        )
        for r in in_year
    )
    return Comparison(
        fy_year=fy_year,
        years=years,
        authorities=benchmarks,
        group=group_figures(benchmarks),
        warnings=(
            *comparability([b.basis for b in benchmarks], method_label=method_label),
            *plausibility_warnings(session, benchmarks, fy_year, limits, coverage, yearly),
        ),
        without_inventory=_codes_without(session, ids, set(present)),
    )


@dataclass(frozen=True)
class _RunFigures:
    """What compare shows of one run's summary."""

    mix: tuple[MixShare, ...]
    methods: tuple[tuple[str, Decimal], ...]
    factor_sets: tuple[tuple[str, str, int], ...]


# Each run's figures by the run (database, id, creation time): a run and its figures never
# change once stored (a recalculation is a new run), so after one authority's import only
# its new run's row is read again. Room for 400 authorities' ten years many times over.
_RUN_FIGURES: Memo[_RunFigures] = Memo(size=20_000)


def _run_figures(session: Session, in_year: Sequence[gq.RunRow]) -> dict[int, _RunFigures]:
    """The figures of each run of ``in_year`` (the year's current runs), by authority id:
    kept ones from ``_RUN_FIGURES``, the others from each run's one row of compare figures
    (``tracker.services.inventory.run_figures``)."""
    database = database_key(session)
    run_ids = [r.run_id for r in in_year]
    created = dict(
        session.execute(
            select(InventoryRun.id, cast(InventoryRun.created_at, String)).where(
                among(InventoryRun.id, run_ids)
            )
        ).all()
    )
    keys = {r.run_id: (database, r.run_id, str(created.get(r.run_id))) for r in in_year}
    out: dict[int, _RunFigures] = {}
    for run_id, key in keys.items():
        kept = _RUN_FIGURES.get(key)
        if kept is not None:
            out[run_id] = kept
    missing = [run_id for run_id in run_ids if run_id not in out]
    # the stored text, summed here by group (tracker.domain.benchmark.kg_by_group) rather
    # than made into a Decimal per category first; a run without its row is summed from its
    # category rows (run_figures)
    stored: dict[int, RunFigures | StoredFigures] = {**stored_figures(session, missing)}
    stored |= run_figures(session, [run_id for run_id in missing if run_id not in stored])
    for run_id, figures in _shown(session, stored).items():
        _RUN_FIGURES.put(keys[run_id], figures)
        out[run_id] = figures
    return {r.authority_id: out[r.run_id] for r in in_year}


def _shown(
    session: Session, stored: Mapping[int, RunFigures | StoredFigures]
) -> dict[int, _RunFigures]:
    """Runs' stored figures as compare shows them: the mix by broad group, the share of
    classified spend by method, the factor sets by name."""
    used = sorted({i for f in stored.values() for i in f.factor_set_ids})
    names = {
        row.id: (row.family, row.edition, row.data_year)
        for row in session.execute(
            select(FactorSet.id, FactorSet.family, FactorSet.edition, FactorSet.data_year).where(
                FactorSet.id.in_(used)
            )
        )
    }
    out: dict[int, _RunFigures] = {}
    for run_id, figures in stored.items():
        out[run_id] = _RunFigures(
            mix=mix_shares(kg_by_group(figures.category_kg)),
            methods=_shares({m: Decimal(s) for m, s in figures.method_spend.items()}),
            factor_sets=tuple(
                sorted({names[i] for i in figures.factor_set_ids}, key=lambda n: (n[2], n[0], n[1]))
            ),
        )
    return out


def _part_years(
    coverage: Mapping[int, Mapping[int, YearCompleteness]], fy_year: int
) -> dict[int, str]:
    """Authority id -> the months its ``fy_year`` covers in words, for a part year no
    officer confirmed complete."""
    out = {}
    for aid, years in coverage.items():
        year = years.get(fy_year)
        if year is not None and not year.complete:
            out[aid] = year.describe()
    return out


def plausibility_warnings(
    session: Session,
    benchmarks: Sequence[AuthorityBenchmark],
    fy_year: int,
    limits: Limits = DEFAULT_LIMITS,
    coverage: Mapping[int, Mapping[int, YearCompleteness]] | None = None,
    yearly: Sequence[tuple[int, int, Decimal, Decimal]] | None = None,
) -> list[NotComparable]:
    """The year's implausible figures: a jump against the authority's previous year, and
    an authority far outside the group per resident or per unit of in-scope spend (among
    authorities of one currency). ``coverage`` and ``yearly`` (``gq.yearly_figures``): the
    caller's, when it has read them."""
    flags = year_checks(
        session,
        [b.run.authority_id for b in benchmarks],
        limits=limits,
        coverage=coverage,
        figures=yearly,
        authorities={
            b.run.authority_id: (b.run.fy_start_month, b.run.currency) for b in benchmarks
        },
    )
    out = [
        NotComparable(
            kind="implausible year", message=f"{b.code}: {f.reason}", authorities=(b.code,)
        )
        for b in benchmarks
        for f in flags.get(b.run.authority_id, [])
        if f.year == fy_year
    ]
    residents = {b.code: b.kg_per_resident for b in benchmarks}
    per_resident = {code: kg for code, kg in residents.items() if kg is not None}
    spread = limits.spread
    for code, ratio in group_outliers(per_resident, spread=spread).items():
        kg = per_resident[code]
        what = f"{code}: {kg:,.{1 if kg >= 10 else 3}f} kgCO2e per resident"
        out.append(NotComparable("outlier", describe_outlier(what, ratio, spread), (code,)))
    for currency in sorted({b.run.currency for b in benchmarks}):
        units = {b.code: b.kg_per_unit for b in benchmarks if b.run.currency == currency}
        per_unit = {code: kg for code, kg in units.items() if kg is not None}
        unit = currency_symbol(currency).strip()
        for code, ratio in group_outliers(per_unit, spread=spread).items():
            what = f"{code}: {per_unit[code]:,.3f} kgCO2e per {unit} of in-scope spend"
            out.append(NotComparable("outlier", describe_outlier(what, ratio, spread), (code,)))
    return out


def _codes_without(session: Session, ids: Sequence[int], present: set[int]) -> tuple[str, ...]:
    missing = [i for i in ids if i not in present]
    if not missing:
        return ()
    return tuple(
        session.scalars(
            select(Authority.code).where(Authority.id.in_(missing)).order_by(Authority.code)
        )
    )


def _empty(
    session: Session, ids: Sequence[int], fy_year: int | None, years: tuple[int, ...]
) -> Comparison:
    return Comparison(
        fy_year=fy_year,
        years=years,
        authorities=(),
        group=group_figures(()),
        warnings=(),
        without_inventory=_codes_without(session, ids, set()),
    )
