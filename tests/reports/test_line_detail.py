"""The line detail of the workbook and the lines CSV (tracker.reports.line_detail)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from factories import Line, make_authority, make_factor_set, make_run
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import LineEmission, SpendLine
from tracker.reports.line_detail import LINE_COLUMNS, line_chunks


def test_lines_come_by_date_with_their_source_factor_and_rule(session: Session) -> None:
    authority = make_authority(session)
    factors = make_factor_set(session, factors={"42.1-2": ("Construction", "0.26547")})
    family = next(iter(factors.values())).factor_set.family
    run = make_run(
        session,
        authority=authority,
        fy_year=2023,
        lines=[
            Line("Roads Ltd", "250000.00", "66367.5", factors["42.1-2"], cost_centre="Highways"),
            Line("=HYPERLINK()", "-12.50"),
            Line(None, "500.00", excluded="grants"),
        ],
    )
    emissions = session.scalars(
        select(LineEmission)
        .where(LineEmission.run_id == run.id)
        .order_by(LineEmission.spend_line_id)
    ).all()
    emissions[0].method, emissions[0].match_level = "sic", "class"
    emissions[1].method = "override"  # no match level
    emissions[1].decided_by = "jo@example.gov.uk"  # who set the override
    lines = session.scalars(select(SpendLine).where(SpendLine.authority_id == authority.id)).all()
    roads, credit, grant = sorted(lines, key=lambda x: x.id)
    roads.transaction_date = dt.date(2023, 7, 1)
    credit.transaction_date = grant.transaction_date = dt.date(2023, 5, 1)
    session.flush()

    def rows(*, exact: bool) -> list[tuple[object, ...]]:
        chunks = line_chunks(session, run_id=run.id, authority_id=authority.id, exact=exact)
        return [tuple(row) for chunk in chunks for row in chunk]

    exact = rows(exact=True)
    assert [r[0] for r in exact] == [credit.id, grant.id, roads.id]  # by date, then id
    assert all(len(r) == len(LINE_COLUMNS) for r in exact)
    assert exact[2] == (
        roads.id, "spend-2023.csv", 2, dt.date(2023, 7, 1), "ROADS LTD", None, None,
        "Highways", Decimal("250000"), "mapped", 1, None, "42.1-2", "Construction",
        "sic (class)", "shipped code crosswalk", None, None, None, None, None, family,
        "test-1", 2022, Decimal("0.26547"),
        None, None, Decimal(1), Decimal("66367.5"), None,
    )  # fmt: skip
    assert all(isinstance(v, Decimal) for v in (exact[2][8], exact[2][24], exact[2][28]))
    assert [r[14] for r in exact] == ["override", None, "sic (class)"]
    # Who decided: the person behind an override, rule or default; else the shipped table.
    assert [r[15] for r in exact] == ["jo@example.gov.uk", None, "shipped code crosswalk"]
    assert [r[4] for r in exact] == ["=HYPERLINK()", None, "ROADS LTD"]  # guarded by writers
    assert exact[0][8] == Decimal("-12.50") and exact[1][29] == "excluded: grants"

    floats = rows(exact=False)
    assert [(r[8], r[24], r[27], r[28]) for r in floats] == [
        (-12.5, None, None, 0.0),
        (500.0, None, None, 0.0),
        (250000.0, 0.26547, 1.0, 66367.5),
    ]
    assert all(isinstance(v, float) for v in floats[2][24:29:3])


def test_decided_by_names_the_source_where_no_person_decided(session: Session) -> None:
    """Nobody wrote a rule for these: the line detail names what decided instead."""
    authority = make_authority(session)
    factors = make_factor_set(session, factors={"42.1-2": ("Construction", "0.26547")})
    run = make_run(
        session,
        authority=authority,
        fy_year=2023,
        lines=[Line(f"Co {i}", "100.00", "26.547", factors["42.1-2"]) for i in range(4)],
    )
    emissions = session.scalars(
        select(LineEmission)
        .where(LineEmission.run_id == run.id)
        .order_by(LineEmission.spend_line_id)
    ).all()
    methods = ("mcc", "library", "supplier", "rule")
    for emission, method in zip(emissions, methods, strict=True):
        emission.method = method
    emissions[3].decided_by = "ana@example.gov.uk"
    session.flush()
    who = [c.name for c in LINE_COLUMNS].index("Decided by")
    rows = [
        r
        for chunk in line_chunks(session, run_id=run.id, authority_id=authority.id, exact=True)
        for r in chunk
    ]
    assert sorted(r[who] for r in rows) == sorted(
        [
            "shipped code crosswalk",
            "shared rule library",
            "supplier-specific factor",
            "ana@example.gov.uk",
        ]
    )
