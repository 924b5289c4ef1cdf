"""The authority page's forms (issue 16, review and forms): restate the target's baseline,
confirm a part year complete, withdraw a confirmation. Officers and admins of the
authority only; each says what is missing and needs a reason; tested through the
callbacks' plain functions.

The seed (dash_seed_data): Alpha 2022/23 at 1,200 kg and 2023/24 at 1,300 kg, each one
line dated June and confirmed complete by "test fixture" (1 of 12 months).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from dash_seed_data import SeedUsers
from dash_tree import by_id, text
from factories import DashSeed, Line, make_factor_set, make_run
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboards import ids
from dashboards.callbacks.year_forms import baseline_action, part_year_action
from dashboards.data.authority import authority_data
from dashboards.layouts.authority import authority_layout
from tracker.access import AccessDenied
from tracker.models import AuditEntry
from tracker.services.progress import set_target


def _changed_baseline(session: Session, seed: DashSeed) -> None:
    """A target on 2022/23 at 1,200 kg; then 2022/23 becomes 1,500 kg (+25 %)."""
    set_target(session, authority=seed.alpha, baseline_years=[2022], target_year=2030,
               reduction_pct=D(50), actor="test")  # fmt: skip
    f = make_factor_set(session, factors={"49": ("Land transport services", "0.4")})
    make_run(session, authority=seed.alpha, fy_year=2022,
             lines=[Line("Shared Coaches Ltd", "3750.00", "1500", f["49"])])  # fmt: skip
    session.flush()


def _actions(session: Session, authority_id: int) -> list[str]:
    return list(
        session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.authority_id == authority_id)
            .order_by(AuditEntry.id)
        )
    )


def text_of(component: object) -> str:
    return text(component).strip()


def test_an_officer_restates_the_baseline_from_the_page(
    dash_seed: DashSeed, users: SeedUsers, session: Session
) -> None:
    _changed_baseline(session, dash_seed)
    code = dash_seed.alpha.code
    officer = users.viewer(users.alpha_officer)
    page = authority_layout(officer, code)
    assert "Baseline restated from 1.2 tCO2e to 1.5 tCO2e?" in text(page)
    by_id(page, ids.BASELINE_BUTTON)  # the action sits next to the notice
    with pytest.raises(KeyError):  # a viewer reads the notice but has no action
        by_id(authority_layout(users.viewer(users.alpha_viewer), code), ids.BASELINE_BUTTON)

    for blank in (None, "", "  "):
        assert text_of(baseline_action(officer, code, blank)) == (
            "Not done: Give the reason for restating the baseline."
        )
    done = baseline_action(officer, code, "2022/23 spend completed")
    assert text_of(done) == (
        f"Baseline of {code} restated from 1.2 tCO2e to 1.5 tCO2e; status and progress now use it."
    )
    assert done.className == "form-ok"
    target = authority_data(officer, code).target
    assert target is not None and target.baseline_notice is None
    assert "restate baseline" in _actions(session, dash_seed.alpha.id)
    again = text_of(baseline_action(officer, code, "again"))
    assert again.startswith("Not done: ") and "nothing to restate" in again
    with pytest.raises(KeyError):  # nothing left to restate: no form
        by_id(authority_layout(officer, code), ids.BASELINE_BUTTON)


def test_only_the_authoritys_officers_and_admins_restate(
    dash_seed: DashSeed, users: SeedUsers, session: Session
) -> None:
    _changed_baseline(session, dash_seed)
    code = dash_seed.alpha.code
    for user in (users.alpha_viewer, users.beta_officer):
        with pytest.raises(AccessDenied):
            baseline_action(users.viewer(user), code, "a reason")
    admin = users.viewer(users.admin)
    assert "restated from 1.2 tCO2e to 1.5 tCO2e" in text_of(baseline_action(admin, code, "ok"))


def test_a_confirmation_is_withdrawn_and_given_again(
    dash_seed: DashSeed, users: SeedUsers, session: Session
) -> None:
    code = dash_seed.alpha.code
    officer = users.viewer(users.alpha_officer)
    page = authority_layout(officer, code)
    assert "Part years" in text(page)
    options = by_id(page, ids.PART_YEAR).options
    assert [o["label"] for o in options] == [
        "Jun 2023/24: 1 of 12 months, confirmed complete by test fixture",
        "Jun 2022/23: 1 of 12 months, confirmed complete by test fixture",
    ]
    withdraw = ids.WITHDRAW_YEAR_BUTTON
    assert text_of(part_year_action(officer, withdraw, code, None, "x")) == (
        "Not done: choose a year first."
    )
    assert text_of(part_year_action(officer, withdraw, code, 2023, " ")) == (
        "Not done: Give the reason for withdrawing the confirmation."
    )
    done = part_year_action(officer, withdraw, code, 2023, "July to March still to come")
    assert text_of(done) == (
        "Withdrawn: 2023/24 is a part year again, left out of status and trend."
    )
    shown = authority_data(officer, code)
    assert shown.part_years == {2023: "part year (1 of 12 months)"}
    assert list(shown.confirmed_years) == [2022]
    options = by_id(authority_layout(officer, code), ids.PART_YEAR).options
    assert options[0] == {"label": "2023/24: part year (1 of 12 months)", "value": 2023}

    confirm = ids.CONFIRM_YEAR_BUTTON
    assert text_of(part_year_action(officer, confirm, code, 2023, "")) == (
        "Not done: Give the reason the part year is complete."
    )
    again = part_year_action(officer, confirm, code, "2023", "one payment for the year")
    assert text_of(again) == (
        "Confirmed complete: Jun 2023/24: 1 of 12 months, confirmed complete by "
        f"dashboard:{users.alpha_officer.email}. Status and trend now count it."
    )
    twice = text_of(part_year_action(officer, confirm, code, 2023, "again"))
    assert twice.startswith("Not done: ") and "already confirmed complete" in twice
    actions = _actions(session, dash_seed.alpha.id)
    assert actions[-2:] == ["withdraw confirmation", "confirm complete"]


def test_only_the_authoritys_officers_and_admins_confirm(
    dash_seed: DashSeed, users: SeedUsers
) -> None:
    code = dash_seed.alpha.code
    viewer = users.viewer(users.alpha_viewer)
    with pytest.raises(KeyError):  # no form for a viewer
        by_id(authority_layout(viewer, code), ids.PART_YEAR)
    for user in (users.alpha_viewer, users.beta_officer):
        for action in (ids.CONFIRM_YEAR_BUTTON, ids.WITHDRAW_YEAR_BUTTON):
            with pytest.raises(AccessDenied):
                part_year_action(users.viewer(user), action, code, 2023, "a reason")
