"""Collaboration: authorities buying the same things from the same suppliers.

Four views of one financial year, over the authorities a user may see as aggregates
(``tracker.access.aggregate_access_ids``: their own and those that opted in to sharing;
every authority for an admin):

* **Shared suppliers**: suppliers (one ``Supplier`` record, matched across authorities by
  normalised name) that two or more of the authorities buy from, with their combined
  in-scope spend and kgCO2e and each authority's part.
* **Engagement ranking**: every supplier ranked by the combined kgCO2e of the group's
  purchases from it (then by the number of authorities buying from it, then by supplier
  record id so that ties are stable), with its share of the group's total emissions.
  Combined kgCO2e is the footprint the group's spend with the supplier carries, so it is
  the most the group could influence by engaging that supplier together: a supplier that
  halves its intensity cuts about half of it. It is an estimate from category averages,
  not the supplier's own footprint.
* **Category spreads**: the same category bought at very different kgCO2e per £ by
  different authorities (defined in ``tracker.domain.spread``).
* **Treated differently**: payees and expense types whose spend one authority costs in
  one category, or excludes, and another treats otherwise (``tracker.services.treatments``).

Privacy. Supplier names and per-authority totals of an opted-in authority's purchases
are shown to users of other authorities: this is the aggregate of spend that authorities
already publish (the "spend over £500" data), and sharing is the authority's choice. An
authority that has not opted in contributes nothing, not even to group totals, to anyone
but its own users and admins. No spend line, date, description or transaction is ever
returned; in-scope means excluded lines (salaries, grants …) are left out; a supplier
counts as bought from when the authority's net spend with it is positive.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from tracker.access import Viewer, aggregate_access_ids
from tracker.domain.benchmark import year_with_most
from tracker.domain.spread import (
    DEFAULT_MIN_SPEND,
    DEFAULT_MIN_SPREAD,
    CategorySpread,
    category_spreads,
    widest_spread_codes,
)
from tracker.domain.treatments import Difference
from tracker.models import Authority, InventoryRun
from tracker.queries import groups as gq
from tracker.queries.current import current_run_ids
from tracker.services.inventory.collaboration_figures import (
    SPEND_PLACES,
    CollaborationFigures,
    as_kg,
    as_spend,
    collaboration_figures,
    units,
)
from tracker.services.treatments import treatment_differences_among
from tracker.storage.memo import Memo, database_key

ZERO = Decimal(0)
DEFAULT_TOP = 20


@dataclass(frozen=True)
class Buyer:
    code: str
    name: str
    spend: Decimal
    kgco2e: Decimal


@dataclass(frozen=True)
class RankedSupplier:
    rank: int
    supplier_id: int
    name: str
    authorities: int
    spend: Decimal
    kgco2e: Decimal
    share_of_group: Decimal | None  # of the group's total kgCO2e in the year
    buyers: tuple[Buyer, ...]  # largest kgCO2e first

    def as_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "supplier": self.name,
            "authorities": self.authorities,
            "spend": self.spend,
            "kgco2e": self.kgco2e,
            "share_of_group_kgco2e": self.share_of_group,
            "buyers": [
                {"authority": b.code, "spend": b.spend, "kgco2e": b.kgco2e} for b in self.buyers
            ],
        }


@dataclass(frozen=True)
class Collaboration:
    fy_year: int | None
    years: tuple[int, ...]
    authorities: tuple[str, ...]  # codes of the authorities in the group that year
    currencies: tuple[str, ...]
    group_kgco2e: Decimal  # Σ of their inventory totals
    shared_count: int  # suppliers bought from by two or more of them
    shared: tuple[RankedSupplier, ...]  # the top shared suppliers
    engagement: tuple[RankedSupplier, ...]  # the top suppliers of all
    spreads: tuple[CategorySpread, ...]
    # payees and expense types the authorities treat differently (tracker.services.treatments)
    treated_differently: tuple[Difference, ...] = ()
    # The financial-year start months of the authorities that year (to name the year).
    fy_start_months: tuple[int, ...] = ()

    @property
    def mixed_currencies(self) -> bool:
        return len(self.currencies) > 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.fy_year,
            "years": list(self.years),
            "authorities": list(self.authorities),
            "currencies": list(self.currencies),
            "group_kgco2e": self.group_kgco2e,
            "shared_supplier_count": self.shared_count,
            "shared_suppliers": [s.as_dict() for s in self.shared],
            "engagement_ranking": [s.as_dict() for s in self.engagement],
            "category_spreads": [
                {
                    "code": s.code,
                    "category": s.name,
                    "currency": s.currency,
                    "spread": s.spread,
                    "pooled_kgco2e_per_unit": s.pooled_intensity,
                    "drivers": list(s.drivers),
                    "authorities": [
                        {
                            "authority": u.authority,
                            "spend": u.spend,
                            "kgco2e": u.kgco2e,
                            "kgco2e_per_unit": u.intensity,
                            "supplier_specific_spend": u.supplier_specific_spend,
                            "factor_basis": u.factor_basis,
                        }
                        for u in s.uses
                    ],
                }
                for s in self.spreads
            ],
            "treated_differently": [
                {
                    "field": d.field,
                    "key": d.key,
                    "spend": d.spend,
                    "authorities": [
                        {
                            "authority": u.authority,
                            "treatment": u.treatment,
                            "spend": u.spend,
                            "lines": u.lines,
                            "share": u.share,
                        }
                        for u in d.uses
                    ],
                }
                for d in self.treated_differently
            ],
        }


Rollup = tuple[int, int, Decimal, Decimal]  # supplier id, authorities, spend, kgCO2e


def supplier_rollup(figures: Iterable[CollaborationFigures]) -> list[Rollup]:
    """(supplier id, number of authorities, in-scope spend, kgCO2e) of every supplier
    bought from, over the figures of one current run per authority."""
    sums: dict[int, list[int]] = {}
    for f in figures:
        s = f.suppliers
        for sid, spend, kg in zip(s.keys, s.spend, s.kg, strict=True):
            entry = sums.get(sid)
            if entry is None:
                sums[sid] = [1, spend, kg]
            else:
                entry[0] += 1
                entry[1] += spend
                entry[2] += kg
    return [(sid, n, as_spend(spend), as_kg(kg)) for sid, (n, spend, kg) in sums.items()]


def rank(rollup: Sequence[Rollup], *, min_authorities: int, top: int) -> list[Rollup]:
    """The ``top`` suppliers bought from by at least ``min_authorities``: by combined
    kgCO2e, then by number of authorities, then by supplier record id (stable ties)."""
    kept = [r for r in rollup if r[1] >= min_authorities]
    return sorted(kept, key=lambda r: (-r[3], -r[1], r[0]))[:top]


def _ranked(
    chosen: list[Rollup],
    names: dict[int, str],
    parts: list[gq.SupplierPart],
    runs: dict[int, gq.RunRow],
    group_kg: Decimal,
) -> tuple[RankedSupplier, ...]:
    buyers: dict[int, list[Buyer]] = {}
    for p in parts:
        run = runs[p.authority_id]
        buyers.setdefault(p.supplier_id, []).append(Buyer(run.code, run.name, p.spend, p.kgco2e))
    return tuple(
        RankedSupplier(
            rank=i,
            supplier_id=sid,
            name=names[sid],
            authorities=n,
            spend=spend,
            kgco2e=kg,
            share_of_group=kg / group_kg if group_kg > 0 else None,
            buyers=tuple(sorted(buyers.get(sid, []), key=lambda b: (-b.kgco2e, b.code))),
        )
        for i, (sid, n, spend, kg) in enumerate(chosen, start=1)
    )


def collaboration(
    session: Session, viewer: Viewer, *, year: int | None = None, top: int = DEFAULT_TOP
) -> Collaboration:
    """Shared suppliers, the engagement ranking and category spreads for ``year``
    (default: the most recent year in which most of the authorities have an inventory).

    The answer is kept (``_ANSWERS``) under everything it is worked out from, and served
    again while that stands; the supplier names it shows are read afresh each time."""
    if top < 1:
        raise ValueError("top must be at least 1")
    ids = aggregate_access_ids(session, viewer)
    counts = gq.inventory_year_counts(session, ids)
    fy_year = year if year is not None else year_with_most(counts)
    stamps = _year_runs(session, ids, fy_year)
    key = (database_key(session), tuple(ids), tuple(sorted(counts.items())), fy_year, top, stamps)
    kept = _ANSWERS.get(key)
    if kept is not None and gq.supplier_names(session, sorted(kept.names)) == kept.names:
        return kept.answer
    answer, names = _work_out(session, ids, sorted(counts), fy_year, top)
    # kept only if nothing it rests on changed while it was read
    if (
        gq.inventory_year_counts(session, ids) == counts
        and _year_runs(session, ids, fy_year) == stamps
    ):
        _ANSWERS.put(key, _Kept(answer, names))
    return answer


@dataclass(frozen=True)
class _Kept:
    answer: Collaboration
    names: dict[int, str]  # the names of the suppliers it lists, as they were read


# Whole answers, by everything ``collaboration`` reads: the database; the authorities the
# viewer may see as aggregates (two viewers share an answer only when they see the same
# ones); how many of them have an inventory in each year (the year list and the default
# year); the year and ``top``; and each current run of the year with its authority's
# code, name, currency and year start (``_year_runs``). A run and its summary rows never
# change once stored (a recalculation is a new run, with a new id and time), and its
# suggestion evidence (the treatments) is learned once, in the transaction that sets its
# ``evidence_texts``, so that column stands for it. Supplier names, which a rename
# changes, are checked on every use.
_ANSWERS: Memo[_Kept] = Memo(size=64)


def _work_out(
    session: Session,
    ids: Sequence[int],
    years: list[int],
    fy_year: int | None,
    top: int,
) -> tuple[Collaboration, dict[int, str]]:
    """The answer read afresh (the year's tallies may be kept), with the supplier names
    it shows."""
    runs = (
        {}
        if fy_year is None
        else {r.authority_id: r for r in gq.current_run_rows(session, ids, fy_year)}
    )
    present = sorted(runs)
    group_kg = sum((r.kgco2e for r in runs.values()), ZERO)
    shared: tuple[RankedSupplier, ...] = ()
    engagement: tuple[RankedSupplier, ...] = ()
    shared_count = 0
    spreads: list[CategorySpread] = []
    names: dict[int, str] = {}
    if fy_year is not None and present:
        tallies = _year_tallies(session, runs, fy_year, top)
        shared_count = tallies.shared_count
        names = gq.supplier_names(session, tallies.wanted)
        shared = _ranked(tallies.top_shared, names, tallies.parts, runs, group_kg)
        engagement = _ranked(tallies.top_all, names, tallies.parts, runs, group_kg)
        spreads = list(tallies.spreads)
    answer = Collaboration(
        fy_year=fy_year,
        years=tuple(years),
        authorities=tuple(sorted(r.code for r in runs.values())),
        currencies=tuple(sorted({r.currency for r in runs.values()})),
        fy_start_months=tuple(sorted({r.fy_start_month for r in runs.values()})),
        group_kgco2e=group_kg,
        shared_count=shared_count,
        shared=shared,
        engagement=engagement,
        spreads=tuple(spreads),
        treated_differently=tuple(
            treatment_differences_among(session, ids, year=fy_year, top=top)
            if fy_year is not None and present
            else ()
        ),
    )
    return answer, names


@dataclass(frozen=True)
class _Tallies:
    """What collaboration works out from the year's current runs: the supplier roll-up's
    counts and top suppliers and their parts, from each run's collaboration figures (one
    row per run: ``tracker.services.inventory.collaboration_figures``), and the category
    spreads, chosen from those figures and read from the summary rows of the chosen
    categories alone."""

    shared_count: int
    top_shared: list[Rollup]
    top_all: list[Rollup]
    wanted: list[int]  # the supplier ids of both lists
    parts: list[gq.SupplierPart]
    spreads: tuple[CategorySpread, ...]


# The tallies by the runs they are read from. A run and its summary rows never change once
# stored (a recalculation is a new run, with a new id and time), and factor rows are never
# changed in place, so the key is the database, the year, ``top``, each authority's code and
# currency (which the spreads name) and the year's current runs (id, creation time): a new
# run is a new key. Supplier names and the treatments are read afresh every time.
_TALLIES: Memo[_Tallies] = Memo(size=64)


def _year_tallies(session: Session, runs: dict[int, gq.RunRow], fy_year: int, top: int) -> _Tallies:
    present = sorted(runs)
    stamps = _run_stamps(_year_runs(session, present, fy_year))
    # The key names the runs of ``runs`` only if no run was committed since they were read
    # (PostgreSQL reads each statement at its own snapshot): else these tallies, read from
    # ``runs``, are neither looked up nor kept under the newer runs.
    keep = [s[0] for s in stamps] == sorted(r.run_id for r in runs.values())
    known = {aid: (r.code, r.currency) for aid, r in runs.items()}
    key = (database_key(session), fy_year, top, tuple(sorted(known.items())), stamps)
    kept = _TALLIES.get(key) if keep else None
    if kept is not None:
        return kept
    figures = collaboration_figures(session, [r.run_id for r in runs.values()])
    by_authority = {aid: figures[r.run_id] for aid, r in runs.items()}
    rollup = supplier_rollup(by_authority.values())
    top_shared = rank(rollup, min_authorities=2, top=top)
    top_all = rank(rollup, min_authorities=1, top=top)
    wanted = sorted({r[0] for r in top_shared} | {r[0] for r in top_all})
    codes = widest_spread_codes(
        (
            (code, runs[aid].currency, spend, kg)
            for aid, f in by_authority.items()
            for code, spend, kg in zip(
                f.categories.keys, f.categories.spend, f.categories.kg, strict=True
            )
        ),
        min_spend=units(DEFAULT_MIN_SPEND, SPEND_PLACES),
        min_spread=DEFAULT_MIN_SPREAD,
        limit=top,
    )
    tallies = _Tallies(
        shared_count=sum(1 for r in rollup if r[1] >= 2),
        top_shared=top_shared,
        top_all=top_all,
        wanted=wanted,
        parts=_parts(by_authority, set(wanted)),
        spreads=tuple(
            category_spreads(gq.category_uses(session, present, fy_year, known, codes))[:top]
        ),
    )
    if keep and _run_stamps(_year_runs(session, present, fy_year)) == stamps:  # nothing new
        _TALLIES.put(key, tallies)
    return tallies


def _parts(
    by_authority: dict[int, CollaborationFigures], wanted: set[int]
) -> list[gq.SupplierPart]:
    """Each authority's in-scope spend and kgCO2e with each of the ``wanted`` suppliers."""
    return [
        gq.SupplierPart(supplier_id=sid, authority_id=aid, spend=as_spend(s), kgco2e=as_kg(k))
        for aid, f in by_authority.items()
        for sid, s, k in zip(f.suppliers.keys, f.suppliers.spend, f.suppliers.kg, strict=True)
        if sid in wanted
    ]


YearRun = tuple[int, str, str, str, int, int, str, int | None]


def _year_runs(
    session: Session, authority_ids: Sequence[int], fy_year: int | None
) -> tuple[YearRun, ...]:
    """The year's current runs, by id: (authority id, its code, name, currency and year
    start month, run id, the run's creation time as the database's text, its
    ``evidence_texts``)."""
    if fy_year is None or not authority_ids:
        return ()
    stmt = (
        select(
            InventoryRun.authority_id,
            Authority.code,
            Authority.name,
            Authority.currency,
            Authority.fy_start_month,
            InventoryRun.id,
            cast(InventoryRun.created_at, String),
            InventoryRun.evidence_texts,
        )
        .join(Authority, Authority.id == InventoryRun.authority_id)
        .where(InventoryRun.id.in_(current_run_ids(authority_ids, fy_year)))
        .order_by(InventoryRun.id)
    )
    return tuple(
        (aid, code, name, currency, month, run_id, str(created), texts)
        for aid, code, name, currency, month, run_id, created, texts in session.execute(stmt)
    )


def _run_stamps(year_runs: Sequence[YearRun]) -> tuple[tuple[int, str], ...]:
    """(id, creation time) of each run: what identifies a run's summary rows."""
    return tuple((r[5], r[6]) for r in year_runs)
