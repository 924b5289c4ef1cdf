"""The review page refuses a rule naming an artefact group, saying why, and does not offer
those groups (docs/classification-policy.md §5)."""

from __future__ import annotations

from dash_seed_data import SeedUsers
from dash_tree import text
from factories import DashSeed

from dashboards.callbacks.review import write_rule
from dashboards.layouts.review import rule_form


def test_the_review_page_refuses_and_never_offers_an_artefact_group(
    dash_seed: DashSeed, users: SeedUsers
) -> None:
    officer = users.viewer(users.alpha_officer)
    shown = text(write_rule(officer, dash_seed.alpha.code, "licences", "description", "24.4-5"))
    assert "Defra group 24.4-5 is an artefact group" in shown
    assert "never used as a factor" in shown
    options = repr(rule_form())
    for group in ("7", "24.4-5", "46", "47", "65.3"):
        assert f"'value': '{group}'" not in options
    assert "'value': '26'" in options
