"""Collaboration's per-run figures (run_collaboration_figures) and the answer worked out
from them, against an oracle: the GROUP BY over the year's summary rows that collaboration
ran before (moved here unchanged as the definition), and ``category_spreads`` over every
category's uses."""

from __future__ import annotations

import random
from collections.abc import Sequence
from decimal import Decimal

import pytest
from factories import Line, make_authority, make_factor_set, make_run
from sqlalchemy import Subquery, delete, func, select
from sqlalchemy.orm import Session

from tests.services.test_compare import ADMIN, viewer_of
from tracker.access import Viewer, aggregate_access_ids
from tracker.domain.codes import LineStatus
from tracker.domain.spread import CategoryUse, category_spreads, widest_spread_codes
from tracker.models import InventoryRun, RunCollaborationFigures, RunSupplierTotal
from tracker.queries import groups as gq
from tracker.queries.sql import KG, MONEY, dec, typed_sum
from tracker.services import collaboration as collab
from tracker.services.inventory.collaboration_figures import Amounts, collaboration_figures

D = Decimal
YEAR = 2023


def _per_supplier_authority(authority_ids: Sequence[int], fy_year: int) -> Subquery:
    """In-scope spend and kgCO2e per (supplier, authority); excluded lines left out."""
    t = RunSupplierTotal
    return (
        gq._totals(
            t,
            authority_ids,
            fy_year,
            t.supplier_id.label("supplier_id"),
            InventoryRun.authority_id.label("authority_id"),
            typed_sum(t.spend, MONEY).label("spend"),
            typed_sum(t.kgco2e, KG).label("kgco2e"),
        )
        .where(t.status != LineStatus.EXCLUDED, t.supplier_id.is_not(None))
        .group_by(t.supplier_id, InventoryRun.authority_id)
        .having(func.sum(t.spend) > 0)
        .subquery("per_supplier")
    )


def _oracle(session: Session, viewer: Viewer, top: int) -> dict[str, object]:
    """Shared count, both rankings with their buyers, and the spreads, from the summary
    rows by SQL."""
    ids = aggregate_access_ids(session, viewer)
    runs = {r.authority_id: r for r in gq.current_run_rows(session, ids, YEAR)}
    present = sorted(runs)
    per = _per_supplier_authority(present, YEAR)
    rollup = [
        (sid, n, dec(s), dec(k))
        for sid, n, s, k in session.execute(
            select(
                per.c.supplier_id,
                func.count(per.c.authority_id),
                typed_sum(per.c.spend, MONEY),
                typed_sum(per.c.kgco2e, KG),
            ).group_by(per.c.supplier_id)
        )
    ]
    parts = {
        (sid, runs[aid].code): (dec(s), dec(k))
        for sid, aid, s, k in session.execute(
            select(per.c.supplier_id, per.c.authority_id, per.c.spend, per.c.kgco2e)
        )
    }

    def listed(min_authorities: int) -> list[tuple[object, ...]]:
        chosen = collab.rank(rollup, min_authorities=min_authorities, top=top)
        return [
            (
                sid,
                n,
                s,
                k,
                sorted(
                    ((code, *amounts) for (p, code), amounts in parts.items() if p == sid),
                    key=lambda b: (-b[2], b[0]),
                ),
            )
            for sid, n, s, k in chosen
        ]

    known = {aid: (r.code, r.currency) for aid, r in runs.items()}
    uses = gq.category_uses(session, present, YEAR, known)
    return {
        "shared_count": sum(1 for r in rollup if r[1] >= 2),
        "shared": listed(2),
        "engagement": listed(1),
        "spreads": category_spreads(uses)[:top],
    }


def _answer(session: Session, viewer: Viewer, top: int) -> dict[str, object]:
    collab._ANSWERS.clear()
    collab._TALLIES.clear()
    result = collab.collaboration(session, viewer, year=YEAR, top=top)

    def listed(suppliers: Sequence[collab.RankedSupplier]) -> list[tuple[object, ...]]:
        return [
            (
                s.supplier_id,
                s.authorities,
                s.spend,
                s.kgco2e,
                [(b.code, b.spend, b.kgco2e) for b in s.buyers],
            )
            for s in suppliers
        ]

    return {
        "shared_count": result.shared_count,
        "shared": listed(result.shared),
        "engagement": listed(result.engagement),
        "spreads": list(result.spreads),
    }


def _seed_many(session: Session, rng: random.Random) -> list[int]:
    """Eight authorities (four sharing) buying from twelve suppliers in five categories,
    with credit notes, excluded and unclassified lines, two factor sets; returns the
    authority ids."""
    codes = ["49", "10.1", "20", "35", "62"]
    sets = [
        make_factor_set(session, factors={c: (f"Category {c}", "0.3") for c in codes})
        for _ in range(2)
    ]
    supplier_ids: dict[str, int] = {}
    authority_ids = []
    for i in range(8):
        authority = make_authority(session, code=f"OR{i}{rng.randrange(10**6)}")
        authority.share_in_comparisons = i % 2 == 0
        lines = []
        for _ in range(rng.randrange(15, 30)):
            supplier = rng.choice([f"Supplier {j}" for j in range(12)] + [None])
            amount = D(rng.randrange(-40_000, 400_000)) / 100
            kind = rng.random()
            if kind < 0.15:
                lines.append(Line(supplier, str(amount), excluded=True))
            elif kind < 0.25:
                lines.append(Line(supplier, str(amount)))
            else:
                factor = rng.choice(sets)[rng.choice(codes)]
                kg = (amount * D(rng.randrange(5, 120)) / 100).quantize(D("0.000001"))
                lines.append(Line(supplier, str(amount), str(kg), factor))
        # an older run of the year, replaced by the current one
        make_run(session, authority=authority, fy_year=YEAR, lines=lines[:3],
                 supplier_ids=supplier_ids)  # fmt: skip
        make_run(session, authority=authority, fy_year=YEAR, lines=lines,
                 supplier_ids=supplier_ids)  # fmt: skip
        authority_ids.append(authority.id)
    session.flush()
    return authority_ids


@pytest.mark.parametrize("top", [3, 20])
def test_answer_equals_the_oracle_for_admin_and_officer(session: Session, top: int) -> None:
    ids = _seed_many(session, random.Random(18 + top))
    for viewer in (ADMIN, viewer_of(ids[1], "officer"), viewer_of(ids[2], "viewer")):
        expected = _oracle(session, viewer, top)
        assert expected["engagement"], "the seed buys from suppliers"
        assert viewer != ADMIN or expected["spreads"], "the seed has spreads"
        assert _answer(session, viewer, top) == expected
    # Without the stored rows (summed from the summary rows instead): the same.
    session.execute(delete(RunCollaborationFigures))
    assert _answer(session, ADMIN, top) == _oracle(session, ADMIN, top)


def test_a_run_figures_are_its_in_scope_suppliers_and_classified_categories(
    session: Session,
) -> None:
    """Hand-worked: Bus Co 2,000 − 500 = 1,500 in scope (800 − 200 = 600 kg; the excluded
    300 left out); Refunds Ltd nets −50 and is not bought from; the unclassified 120 of
    Misc counts for the supplier (0 kg) but in no category."""
    f = make_factor_set(session, factors={"49": ("Land transport services", "0.4")})
    lines = [
        Line("Bus Co", "2000.00", "800", f["49"]),
        Line("Bus Co", "-500.00", "-200", f["49"]),
        Line("Bus Co", "300.00", excluded=True),
        Line("Refunds Ltd", "-50.00", "-20", f["49"]),
        Line("Misc", "120.00"),
        Line(None, "70.00", "28", f["49"]),
    ]
    suppliers: dict[str, int] = {}
    run = make_run(session, authority=make_authority(session), fy_year=YEAR, lines=lines,
                   supplier_ids=suppliers)  # fmt: skip
    stored = collaboration_figures(session, [run.id])[run.id]
    # in hundredths of a pound and millionths of a kg, by supplier id
    bus, misc = (150_000, 600_000_000), (12_000, 0)
    ordered = sorted([(suppliers["Bus Co"], *bus), (suppliers["Misc"], *misc)])
    assert stored.suppliers == Amounts(*(list(column) for column in zip(*ordered, strict=True)))
    # 2,000 − 500 − 50 + 70 = 1,520; 800 − 200 − 20 + 28 = 608 kg
    assert stored.categories == Amounts(["49"], [152_000], [608_000_000])
    session.execute(delete(RunCollaborationFigures))
    assert collaboration_figures(session, [run.id])[run.id] == stored


def test_widest_spread_codes_are_those_category_spreads_lists() -> None:
    """Spend in hundredths and kg in millionths, as collaboration stores them; amounts
    chosen so that intensities tie, fall under the minimum spend or are not positive."""
    rng = random.Random(7)
    for _ in range(300):
        uses = [
            CategoryUse(
                authority=f"A{a}",
                code=rng.choice(["1", "2", "3", "4"]),
                name="x",
                spend=D(rng.choice(["0", "500", "999.99", "1000", "2500.50", "9000"])),
                kgco2e=D(rng.choice(["-5", "0", "100.000001", "250", "400", "1000.5"])),
                supplier_specific_spend=D(0),
                factor_basis="f",
                currency=rng.choice(["GBP", "GBP", "EUR"]),
            )
            for a in range(rng.randrange(1, 8))
        ]
        top = rng.randrange(1, 5)
        amounts = [
            (u.code, u.currency, int(u.spend * 100), int(u.kgco2e * 1_000_000)) for u in uses
        ]
        expected = list(dict.fromkeys(s.code for s in category_spreads(uses)[:top]))
        assert widest_spread_codes(amounts, min_spend=100_000, limit=top) == expected
