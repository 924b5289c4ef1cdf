"""Every data function and callback behind the pages, called as each role: nothing of an
authority the user may not see (its code, name, suppliers or lines) ever comes back, and
asking for it directly is refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from dash_seed_data import SeedUsers
from dash_tree import text
from factories import DashSeed

from dashboards.callbacks.authority import change_year_state, drill_down, select_year
from dashboards.callbacks.review import accept, show_queue, write_rule, years_for
from dashboards.data import review as review_data
from dashboards.data import upload as upload_data
from dashboards.data.access import visible_authorities
from dashboards.data.authority import authority_data, category_lines
from dashboards.data.overview import overview_data
from dashboards.data.reports import report_workbook
from dashboards.layouts.authority import authority_layout
from dashboards.layouts.overview import overview_layout
from dashboards.layouts.reports import report_link, reports_layout
from dashboards.layouts.review import review_layout
from tracker.access import AccessDenied, Viewer

ALPHA_ONLY = ("Alpha Catering", "Alpha IT")
BETA_ONLY = ("Beta District Council", "Beta Secret Supplies")


def _seen(viewer: Viewer, seed: DashSeed) -> str:
    """Everything the viewer can get back from the read functions, for both authorities."""
    out: list[str] = [
        repr(overview_data(viewer)),
        text(overview_layout(viewer)),
        repr(visible_authorities(viewer)),
        text(review_layout(visible_authorities(viewer), True)),
        text(reports_layout(visible_authorities(viewer))),
        repr(upload_data.editable_authorities(viewer)),
    ]
    for code in (seed.alpha.code, seed.beta.code):
        calls: list[Callable[[], Any]] = [
            lambda c=code: authority_data(viewer, c, 2023),
            lambda c=code: text(authority_layout(viewer, c, 2023)),
            lambda c=code: text(select_year(viewer, c, 2023).panel),
            lambda c=code: select_year(viewer, c, 2023).years_figure.to_json(),
            lambda c=code: category_lines(viewer, c, 2023, "49"),
            lambda c=code: category_lines(viewer, c, 2023, None),
            lambda c=code: text(drill_down(viewer, c, 2023, "10.1", 0).table),
            lambda c=code: report_link(viewer, c, 2023),
            lambda c=code: years_for(viewer, c),
        ]
        for call in calls:
            try:
                out.append(repr(call()))
            except AccessDenied:
                out.append("<refused>")
    return "\n".join(out)


@pytest.mark.parametrize("who", ["alpha_officer", "alpha_viewer"])
def test_alpha_users_never_receive_beta_data(
    dash_seed: DashSeed, users: SeedUsers, who: str
) -> None:
    viewer = users.viewer(getattr(users, who))
    seen = _seen(viewer, dash_seed)
    assert dash_seed.beta.code not in seen
    for marker in BETA_ONLY:
        assert marker not in seen
    # … while their own authority's data is there, the shared supplier with Alpha's spend only.
    assert "Alpha Borough Council" in seen and "Alpha Catering" in seen
    assert "Shared Coaches Ltd" in seen


def test_beta_officer_never_receives_alpha_data(dash_seed: DashSeed, users: SeedUsers) -> None:
    seen = _seen(users.viewer(users.beta_officer), dash_seed)
    assert dash_seed.alpha.code not in seen and "Alpha Borough Council" not in seen
    for marker in ALPHA_ONLY:
        assert marker not in seen
    assert "Beta Secret Supplies" in seen


def test_admin_sees_both(dash_seed: DashSeed, users: SeedUsers) -> None:
    seen = _seen(users.viewer(users.admin), dash_seed)
    assert "<refused>" not in seen
    for marker in (*ALPHA_ONLY, *BETA_ONLY):
        assert marker in seen


def test_direct_requests_for_another_authority_are_refused(
    dash_seed: DashSeed, users: SeedUsers
) -> None:
    viewer = users.viewer(users.alpha_viewer)
    beta = dash_seed.beta.code
    refused: list[Callable[[], Any]] = [
        lambda: authority_data(viewer, beta),
        lambda: category_lines(viewer, beta, 2023, "10.1"),
        lambda: drill_down(viewer, beta, 2023, "10.1", 0),
        lambda: report_workbook(viewer, beta, 2023),
        lambda: review_data.review_queue(viewer, beta, 2023),
        lambda: show_queue(viewer, beta, 2023),
        lambda: accept(viewer, beta, 2023, 0),
        lambda: write_rule(viewer, beta, "coaches", "supplier", "49"),
        lambda: change_year_state(viewer, "authority-lock", beta, 2023, "x"),
    ]
    for call in refused:
        with pytest.raises(AccessDenied):
            call()
    assert report_link(viewer, beta, 2023) == ("", "", True)
    assert years_for(viewer, beta) == ([], None)


def test_viewers_cannot_change_their_own_authority(dash_seed: DashSeed, users: SeedUsers) -> None:
    viewer = users.viewer(users.alpha_viewer)
    alpha = dash_seed.alpha.code
    for call in (
        lambda: change_year_state(viewer, "authority-lock", alpha, 2023, "published"),
        lambda: write_rule(viewer, alpha, "coaches", "supplier", "49"),
        lambda: accept(viewer, alpha, 2023, 0),
    ):
        with pytest.raises(AccessDenied):
            call()
    assert upload_data.editable_authorities(viewer) == []


def test_suggestion_basis_never_names_another_authoritys_supplier() -> None:
    assert review_data._basis("same supplier") == "the same supplier's classified spend"
    for basis in ("similar supplier name: beta secret supplies", "similar expense type: beta"):
        assert "beta" not in review_data._basis(basis).lower()
    # the words of a word suggestion are the reviewed group's own
    assert review_data._basis("words: dairies, milk") == (
        "classified spend with the words dairies, milk"
    )
