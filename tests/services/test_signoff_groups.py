"""The sign-off review over a run (tracker.services.classification.signoff), on both databases.

The run is the year of tests/domain/test_signoff.py, worked by hand: Byte Ltd, two lines
of one class (£1,000 → 500 kg and £200 → 100 kg, high confidence); Paper Co £400 → 200 kg
(medium); £300 unclassified; a £1,000 levy excluded (high). Intensity 800 kg / £1,600 =
0.5 kg/£; the year's kg 600 + 200 + 150 = 950; the sign-off list Byte Ltd then Paper Co
(800 kg, 84.2 %).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from factories import Line, make_authority, make_factor_set, make_run, set_emission_fields
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.signoff import CONFIRMED, RECONFIRM, signoff_list
from tracker.errors import TrackerError
from tracker.models import AuditEntry, LineConfirmation, LineEmission, SpendLine
from tracker.queries.lines import category_lines
from tracker.reports.line_detail import LINE_COLUMNS, line_chunks
from tracker.services.classification.signoff import confirm_group, run_groups


def _year(session: Session):  # type: ignore[no-untyped-def]
    f = make_factor_set(session, factors={"26": ("Computers", "0.5"), "17": ("Paper", "0.5")})
    authority = make_authority(session)
    run = make_run(
        session,
        authority=authority,
        fy_year=2023,
        lines=[
            Line("Byte Ltd", "1000.00", "500", f["26"]),
            Line("Byte Ltd", "200.00", "100", f["26"]),
            Line("Paper Co", "400.00", "200", f["17"]),
            Line(None, "300.00"),
            Line("Levy Board", "1000.00", excluded="levy"),
        ],
    )
    # make_run sets no class keys or confidences: give them as classification would.
    keys = ["k-byte", "k-byte", "k-paper", "k-none", "k-levy"]
    confidence = ["high", "high", "medium", None, "high"]
    lines = session.scalars(
        select(SpendLine).where(SpendLine.authority_id == authority.id).order_by(SpendLine.id)
    ).all()
    for line, key, conf in zip(lines, keys, confidence, strict=True):
        line.class_key = key
        set_emission_fields(session, LineEmission.spend_line_id == line.id, confidence=conf)
    session.flush()
    return authority, run, f


def test_groups_tonnes_at_stake_and_the_signoff_list(session: Session) -> None:
    authority, run, _ = _year(session)
    groups = {g.class_key: g for g in run_groups(session, authority, run)}
    assert set(groups) == {"k-byte", "k-paper", "k-none", "k-levy"}
    byte = groups["k-byte"]
    assert (byte.lines, byte.spend, byte.counted_kg) == (2, D("1200"), D("600"))
    assert byte.at_stake_kg == D("30")  # 600 × 5 %
    assert groups["k-paper"].at_stake_kg == D("40")  # 200 × 20 %
    assert groups["k-none"].counted_kg == D("150")  # £300 × 0.5 kg/£
    assert groups["k-none"].at_stake_kg == D("150")
    assert groups["k-levy"].counted_kg == 0
    assert groups["k-levy"].at_stake_kg == D("25")  # £1,000 × 0.5 × 5 %
    chosen = signoff_list(list(groups.values()), lambda g: g.counted_kg)
    assert [g.class_key for g in chosen] == ["k-byte", "k-paper"]


def test_a_confirmation_survives_and_flags_a_changed_decision(session: Session) -> None:
    authority, run, f = _year(session)
    byte = next(g for g in run_groups(session, authority, run) if g.class_key == "k-byte")
    confirm_group(session, authority=authority, year=2023, group=byte, actor="ana@example.gov.uk")
    stored = session.scalars(
        select(LineConfirmation).where(LineConfirmation.authority_id == authority.id)
    ).one()
    assert (stored.class_key, stored.status, stored.category_code, stored.factor_code) == (
        "k-byte", "mapped", "26", "26"
    )  # fmt: skip
    audit = session.scalars(
        select(AuditEntry).where(
            AuditEntry.authority_id == authority.id, AuditEntry.action == "confirm classification"
        )
    ).one()
    assert audit.actor == "ana@example.gov.uk" and audit.details["class_key"] == "k-byte"
    again = next(g for g in run_groups(session, authority, run) if g.class_key == "k-byte")
    assert again.confirmation is not None
    assert (again.confirmation.state, again.confirmation.by) == (CONFIRMED, "ana@example.gov.uk")

    # Reclassified as paper (17): the confirmation stays, and asks to be renewed.
    ids = select(SpendLine.id).where(SpendLine.class_key == "k-byte")
    set_emission_fields(
        session, LineEmission.spend_line_id.in_(ids), category_code="17", factor_id=f["17"].id
    )
    moved = next(g for g in run_groups(session, authority, run) if g.class_key == "k-byte")
    assert moved.confirmation is not None and moved.confirmation.state == RECONFIRM

    # Confirming again replaces the earlier confirmation.
    confirm_group(session, authority=authority, year=2023, group=moved, actor="ben@example.gov.uk")
    rows = session.scalars(
        select(LineConfirmation).where(LineConfirmation.authority_id == authority.id)
    ).all()
    assert [(r.category_code, r.confirmed_by) for r in rows] == [("17", "ben@example.gov.uk")]


def test_unclassified_lines_cannot_be_confirmed(session: Session) -> None:
    authority, run, _ = _year(session)
    none = next(g for g in run_groups(session, authority, run) if g.class_key == "k-none")
    with pytest.raises(TrackerError, match="unclassified lines cannot be confirmed"):
        confirm_group(session, authority=authority, year=2023, group=none, actor="ana")


def test_the_line_listings_show_confidence_and_confirmation(session: Session) -> None:
    """The Lines sheet / lines CSV and the drill-down: a class confirmation covers both
    Byte Ltd lines; one line's own confirmation (of another decision) outranks it."""
    authority, run, _ = _year(session)
    byte = next(g for g in run_groups(session, authority, run) if g.class_key == "k-byte")
    confirm_group(session, authority=authority, year=2023, group=byte, actor="ana@example.gov.uk")
    first, second = session.scalars(
        select(SpendLine.id).where(SpendLine.class_key == "k-byte").order_by(SpendLine.id)
    ).all()
    session.add(
        LineConfirmation(
            authority_id=authority.id, spend_line_id=second, status="mapped",
            category_code="17", factor_code="17", confirmed_by="ben@example.gov.uk",
        )
    )  # fmt: skip
    session.flush()
    names = [c.name for c in LINE_COLUMNS]
    cols = [names.index(n) for n in ("Confidence", "Confirmation", "Confirmed by")]
    every = [
        r
        for chunk in line_chunks(session, run_id=run.id, authority_id=authority.id, exact=True)
        for r in chunk
    ]
    rows = {r[0]: tuple(r[i] for i in cols) for r in every}
    assert rows[first] == ("high", CONFIRMED, "ana@example.gov.uk")
    assert rows[second] == ("high", RECONFIRM, "ben@example.gov.uk")
    assert sum(1 for v in rows.values() if v[1] is None) == 3  # nobody confirmed the rest
    on = names.index("Confirmed on")
    assert [r[on] is not None for r in every if r[0] in (first, second)] == [True, True]

    _, drill = category_lines(session, run_id=run.id, authority_id=authority.id, category_code="26")
    assert {(r.spend_line_id, r.confidence, r.confirmation, r.confirmed_by) for r in drill} == {
        (first, "high", CONFIRMED, "ana@example.gov.uk"),
        (second, "high", RECONFIRM, "ben@example.gov.uk"),
    }
