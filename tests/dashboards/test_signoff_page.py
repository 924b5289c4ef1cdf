"""The sign-off page's plain functions, called as each role: officers of the authority
confirm, its leadership and admins read only, other authorities are refused."""

from __future__ import annotations

import pytest
from dash_seed_data import SeedUsers
from dash_tree import text
from factories import DashSeed
from sqlalchemy.orm import Session

from dashboards.callbacks.review import show_queue
from dashboards.callbacks.signoff import confirm, show_signoff
from dashboards.data import review as review_data
from dashboards.data import signoff as signoff_data
from tracker.access import AccessDenied
from tracker.services.recalculate import refresh_inventories
from tracker.services.reference import load_shipped_reference_data


@pytest.fixture(autouse=True)
def _shipped_factors(session: Session) -> None:
    """The inventory is brought up to date with the shipped factor sets, as in production."""
    load_shipped_reference_data(session)


def test_officer_sees_and_confirms_their_sign_off_list(
    dash_seed: DashSeed, users: SeedUsers, session: Session
) -> None:
    # Pages only read: the inventory is computed first, as an import would (it classifies
    # the lines, so each group has its classification key to confirm).
    refresh_inventories(session, authority=dash_seed.alpha)
    officer = users.viewer(users.alpha_officer)
    alpha = dash_seed.alpha.code
    view = signoff_data.signoff_view(officer, alpha, 2023)
    assert view.can_confirm
    row = next(r for r in view.rows if r.confirmable)
    shown = text(show_signoff(officer, alpha, 2023))
    assert row.supplier and row.supplier in shown and "Confirm" in shown

    message = text(confirm(officer, alpha, 2023, row.class_key))
    assert message.startswith("Confirmed:")
    again = signoff_data.signoff_view(officer, alpha, 2023)
    done = next(r for r in again.rows if r.class_key == row.class_key)
    assert done.confirmation.startswith("confirmed (confirmed by dashboard:alpha-officer")
    assert not done.confirmable and again.confirmed == view.confirmed + 1

    forged = text(confirm(officer, alpha, 2023, "not-a-group"))
    assert "no longer in the sign-off list" in forged


@pytest.mark.parametrize("who", ["alpha_viewer", "admin"])
def test_leadership_and_admins_read_only(dash_seed: DashSeed, users: SeedUsers, who: str) -> None:
    reader = users.viewer(getattr(users, who))
    alpha = dash_seed.alpha.code
    view = signoff_data.signoff_view(reader, alpha, 2023)
    assert not view.can_confirm and view.rows
    assert "Confirm" not in text(show_signoff(reader, alpha, 2023)).replace("Confirmation", "")
    with pytest.raises(AccessDenied):
        confirm(reader, alpha, 2023, view.rows[0].class_key)


def test_another_authority_is_refused(dash_seed: DashSeed, users: SeedUsers) -> None:
    beta_officer = users.viewer(users.beta_officer)
    alpha = dash_seed.alpha.code
    for call in (
        lambda: signoff_data.signoff_view(beta_officer, alpha, 2023),
        lambda: show_signoff(beta_officer, alpha, 2023),
        lambda: confirm(beta_officer, alpha, 2023, "any"),
    ):
        with pytest.raises(AccessDenied):
            call()


def test_review_queue_by_tonnes_at_stake(dash_seed: DashSeed, users: SeedUsers) -> None:
    """The same queue in the other order, with its tonnes at stake shown; an order the page
    does not offer falls back to spend."""
    officer = users.viewer(users.alpha_officer)
    alpha = dash_seed.alpha.code
    by_spend = review_data.review_queue(officer, alpha, 2023, "spend").rows
    by_tonnes = review_data.review_queue(officer, alpha, 2023, "tonnes").rows
    assert sorted(by_spend, key=lambda r: r.at_stake_kg, reverse=True) == list(by_tonnes)
    assert [abs(r.spend) for r in by_spend] == sorted(
        (abs(r.spend) for r in by_spend), reverse=True
    )
    assert review_data.review_queue(officer, alpha, 2023, "bogus").rows == by_spend
    assert "At stake" in text(show_queue(officer, alpha, 2023, "tonnes"))
