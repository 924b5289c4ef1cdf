"""The review page's rule form: a US authority's officer may name an EPA NAICS-6 code
instead of a product group (docs/classification-policy.md §9); a UK authority's officer
is told to choose a group. The form's callback (dashboards.callbacks.review.write_rule)
over the page's data function, on both databases."""

from __future__ import annotations

from dash import html
from dash_seed_data import SeedUsers
from factories import DashSeed
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboards.callbacks.review import write_rule
from tracker.models import ClassificationRule


def _text(component: object) -> str:
    assert isinstance(component, html.P)
    return str(component.children)


def test_a_us_officer_names_a_naics_code(
    session: Session, dash_seed: DashSeed, users: SeedUsers
) -> None:
    dash_seed.alpha.default_factor_family = "epa-useeio-naics"
    session.flush()
    officer = users.viewer(users.alpha_officer)
    ok = write_rule(officer, dash_seed.alpha.code, "coaches", "supplier", None, " 485510 ")
    assert ok.className == "form-ok"
    assert "→ NAICS 485510 (group 49.3-5)" in _text(ok)
    rule = session.scalars(
        select(ClassificationRule).where(ClassificationRule.authority_id == dash_seed.alpha.id)
    ).one()
    assert (rule.naics_code, rule.defra_group, rule.pattern) == ("485510", "49.3-5", "coaches")

    both = write_rule(officer, dash_seed.alpha.code, "coaches", "supplier", "49.3-5", "485510")
    assert both.className == "form-error"
    assert _text(both) == "Choose a category or give a NAICS code, not both."
    bad = write_rule(officer, dash_seed.alpha.code, "coaches", "supplier", None, "485")
    assert "'485' is not a NAICS-6 code with an EPA factor" in _text(bad)


def test_a_uk_officer_is_told_to_choose_a_group(dash_seed: DashSeed, users: SeedUsers) -> None:
    officer = users.viewer(users.beta_officer)
    refused = write_rule(officer, dash_seed.beta.code, "coaches", "supplier", None, "485510")
    assert refused.className == "form-error"
    assert "not the EPA NAICS factors: give a Defra group" in _text(refused)
