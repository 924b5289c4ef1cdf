"""Each change an authority's figures rest on gives a fresh kept answer at once: the
comparison (tracker.services.compare_memo) and collaboration answers served after the
change are the ones worked out afresh with every memo emptied, and show the change
(hand-worked on factories.seed_group: A, B and C have 2023 runs, B shares, A has a
target, every year is confirmed complete). The paths tests/services/test_compare_memo.py
and test_collaboration_memo.py do not cover already."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from factories import GroupSeed, seed_group
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.services.test_compare import ADMIN, viewer_of
from tracker.access import Viewer
from tracker.models import ImportBatch, Target, YearConfirmation
from tracker.services import collaboration as c
from tracker.services import compare as compare_service
from tracker.services import compare_memo, completeness
from tracker.services.authorities import set_sharing
from tracker.services.batches import delete_batch
from tracker.services.collaboration import Collaboration
from tracker.services.compare import Comparison
from tracker.services.completeness import confirm_complete
from tracker.services.progress import set_target


@pytest.fixture
def seed(session: Session) -> GroupSeed:
    return seed_group(session)


def kept_compare(session: Session, viewer: Viewer = ADMIN) -> Comparison:
    """The kept comparison of 2023, checked against one worked out with none of its memos
    (the collaboration's stay)."""
    session.flush()
    kept = compare_memo.remembered_compare(session, viewer, 2023)
    for memo in (compare_memo._COMPARISONS, compare_service._RUN_FIGURES, completeness._MONTHS):
        memo.clear()
    assert kept.as_dict() == compare_memo.remembered_compare(session, viewer, 2023).as_dict()
    return kept


def kept_collaboration(session: Session, viewer: Viewer = ADMIN) -> Collaboration:
    """The same for the collaboration of 2023 (the comparison's memos stay)."""
    session.flush()
    kept = c.collaboration(session, viewer, year=2023, top=50)
    c._TALLIES.clear()
    c._ANSWERS.clear()
    assert kept.as_dict() == c.collaboration(session, viewer, year=2023, top=50).as_dict()
    return kept


def _by_code(answer: Comparison) -> dict[str, compare_service.AuthorityBenchmark]:
    return {b.code: b for b in answer.authorities}


def _fill(session: Session, seed: GroupSeed) -> None:
    """Keep every answer the tests read: the admin's and A's officer's."""
    for viewer in (ADMIN, viewer_of(seed.a.id, "officer")):
        compare_memo.remembered_compare(session, viewer, 2023)
        c.collaboration(session, viewer, year=2023, top=50)


def test_a_renamed_authority_is_named_at_once(session: Session, seed: GroupSeed) -> None:
    _fill(session, seed)
    seed.a.name = "Ashby Borough Council"
    assert _by_code(kept_compare(session))[seed.a.code].run.name == "Ashby Borough Council"
    coaches = next(s for s in kept_collaboration(session).shared if s.name == "Shared Coaches")
    assert "Ashby Borough Council" in {b.name for b in coaches.buyers}


def test_a_new_code_is_shown_at_once(session: Session, seed: GroupSeed) -> None:
    _fill(session, seed)
    seed.c.code = f"{seed.c.code}Z"
    assert seed.c.code in _by_code(kept_compare(session))


def test_a_new_currency_is_pooled_apart_at_once(session: Session, seed: GroupSeed) -> None:
    _fill(session, seed)
    seed.c.currency = "EUR"
    group = kept_compare(session).group.per_currency_unit
    # C's 3,500 kgCO2e over its €10,000 in scope, alone in euros
    assert set(group) == {"GBP", "EUR"}
    assert group["EUR"].ratio == Decimal("0.35")
    assert kept_collaboration(session).currencies == ("EUR", "GBP")


def test_a_new_year_start_is_read_at_once(session: Session, seed: GroupSeed) -> None:
    _fill(session, seed)
    seed.a.fy_start_month = 1
    assert _by_code(kept_compare(session))[seed.a.code].run.fy_start_month == 1
    assert kept_collaboration(session).fy_start_months == (1, 4)


def test_a_target_removed_and_a_target_set_are_read_at_once(
    session: Session, seed: GroupSeed
) -> None:
    _fill(session, seed)
    session.delete(session.scalars(select(Target).where(Target.authority_id == seed.a.id)).one())
    assert _by_code(kept_compare(session))[seed.a.code].progress_note == "no target set"
    # B: 600 kgCO2e in 2023, its only year: the baseline, so 2023 is not after it
    set_target(
        session,
        authority=seed.b,
        baseline_years=[2023],
        target_year=2030,
        reduction_pct=Decimal(50),
        actor="test",
    )
    note = _by_code(kept_compare(session))[seed.b.code].progress_note
    assert note.startswith("Target: −50 % by 2030/31 from the 2023/24 baseline")
    assert note.endswith("This year is not after the baseline.")


def test_a_confirmation_and_a_deleted_batch_are_read_at_once(
    session: Session, seed: GroupSeed
) -> None:
    confirmation = session.get(YearConfirmation, (seed.c.id, 2023))
    assert confirmation is not None
    session.delete(confirmation)  # C's 2023 is a part year: its lines are all in June
    session.flush()
    assert _by_code(kept_compare(session))[seed.c.code].part_year is not None
    _fill(session, seed)
    confirm_complete(session, authority=seed.c, year=2023, reason="all paid in June", actor="t")
    assert _by_code(kept_compare(session))[seed.c.code].part_year is None
    # deleted: C's 2023 has no lines left, so no months to call a part year (its run stays
    # until it is computed again)
    session.delete(session.get_one(YearConfirmation, (seed.c.id, 2023)))
    session.flush()
    assert _by_code(kept_compare(session))[seed.c.code].part_year is not None
    batch = session.scalars(
        select(ImportBatch).where(
            ImportBatch.authority_id == seed.c.id, ImportBatch.status == "imported"
        )
    ).one()
    delete_batch(session, seed.c, batch, "wrong file")
    assert _by_code(kept_compare(session))[seed.c.code].part_year is None


@pytest.mark.parametrize("page", [kept_compare, kept_collaboration])
def test_an_authority_that_opts_in_joins_at_once(
    session: Session, seed: GroupSeed, page: Callable[[Session, Viewer], object]
) -> None:
    officer_a = viewer_of(seed.a.id, "officer")
    _fill(session, seed)
    assert seed.c.code not in str(page(session, officer_a))
    set_sharing(session, seed.c, share=True, actor="test")
    answer = page(session, officer_a)
    codes = (
        [b.code for b in answer.authorities]
        if isinstance(answer, Comparison)
        else list(answer.authorities)  # type: ignore[attr-defined]
    )
    assert codes == sorted([seed.a.code, seed.b.code, seed.c.code])
