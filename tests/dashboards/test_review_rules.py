"""The review page's rules: patterns checked when written, the authority's own rules
listed with a Delete action, and a rule stored with a bad pattern shown, not a 500
(issue 15, findings 4 and 11)."""

from __future__ import annotations

import pytest
from dash_seed_data import SeedUsers
from dash_tree import by_id, text
from factories import DashSeed
from sqlalchemy.orm import Session

from dashboards import ids
from dashboards.callbacks.review import remove_rule, show_rules, write_rule
from dashboards.layouts.review import rule_form
from tracker.access import AccessDenied
from tracker.models import ClassificationRule


@pytest.mark.parametrize("pattern", ["!!!", "%%%", "coa\x00ches"])
def test_a_pattern_that_cannot_match_is_refused_with_a_message(
    dash_seed: DashSeed, users: SeedUsers, pattern: str
) -> None:
    officer = users.viewer(users.alpha_officer)
    answer = text(write_rule(officer, dash_seed.alpha.code, pattern, "supplier", "49"))
    assert "empty pattern" in answer or "NUL character" in answer
    assert "has no rules of its own" in text(show_rules(officer, dash_seed.alpha.code))


@pytest.mark.parametrize(
    "pattern, field, group",
    [(["coaches"], "supplier", "49"), ("coaches", {"a": 1}, "49"), ("coaches", "supplier", [])],
)
def test_lists_and_objects_instead_of_text_get_a_message(
    dash_seed: DashSeed, users: SeedUsers, pattern: object, field: object, group: object
) -> None:
    officer = users.viewer(users.alpha_officer)
    answer = text(write_rule(officer, dash_seed.alpha.code, pattern, field, group))
    assert answer == "The text, where to look and the category must each be text."
    assert text(remove_rule(officer, dash_seed.alpha.code, ["R1"])) == (
        "Choose an authority and a rule."
    )


def test_rules_are_listed_and_deleted(dash_seed: DashSeed, users: SeedUsers) -> None:
    officer = users.viewer(users.alpha_officer)
    alpha = dash_seed.alpha.code
    added = text(write_rule(officer, alpha, "coaches", "supplier", "20.3"))
    rule_id = added.split()[1]
    assert added.startswith(f"Rule {rule_id} added"), added
    listed = text(show_rules(officer, alpha))
    assert rule_id in listed and "coaches" in listed and "Delete" in listed
    # A viewer sees the rules, without the Delete action, and cannot delete.
    viewer = users.viewer(users.alpha_viewer)
    assert "Delete" not in text(show_rules(viewer, alpha))
    with pytest.raises(AccessDenied):
        remove_rule(viewer, alpha, rule_id)
    # Another authority's officer can neither see nor delete them.
    beta_officer = users.viewer(users.beta_officer)
    with pytest.raises(AccessDenied):
        show_rules(beta_officer, alpha)
    with pytest.raises(AccessDenied):
        remove_rule(beta_officer, alpha, rule_id)
    assert text(remove_rule(officer, alpha, rule_id)).startswith(f"Rule {rule_id} deleted")
    assert "has no rules of its own" in text(show_rules(officer, alpha))
    assert text(remove_rule(officer, alpha, rule_id)) == f"No rule '{rule_id}' of {alpha}."


def test_a_stored_bad_rule_is_shown_with_its_problem_and_can_be_deleted(
    session: Session, dash_seed: DashSeed, users: SeedUsers
) -> None:
    session.add(
        ClassificationRule(
            authority_id=dash_seed.alpha.id, rule_id="BANG", priority=1, field="any",
            pattern="!!!", match="contains", defra_group="70", created_by="test",
        )
    )  # fmt: skip
    session.flush()
    officer = users.viewer(users.alpha_officer)
    listed = " ".join(text(show_rules(officer, dash_seed.alpha.code)).split())
    assert "BANG" in listed and "empty pattern '!!!'" in listed
    assert text(remove_rule(officer, dash_seed.alpha.code, "BANG")).startswith("Rule BANG deleted")


def test_add_rule_with_empty_fields_says_everything_that_is_missing(
    dash_seed: DashSeed, users: SeedUsers
) -> None:
    officer = users.viewer(users.alpha_officer)
    alpha = dash_seed.alpha.code
    # What the form sends when "Add rule" is clicked with nothing filled in.
    answer = write_rule(officer, alpha, None, None, None, None)
    assert text(answer) == (
        "To add the rule, give the text to look for (at least three characters); "
        "where to look (expense type, description, supplier, any); "
        "the category the matching spend belongs to (or a NAICS code)."
    )
    assert answer.className == "form-error"
    only_text = text(write_rule(officer, alpha, "co", "supplier", "49"))
    assert only_text == "To add the rule, give the text to look for (at least three characters)."
    assert "has no rules of its own" in text(show_rules(officer, alpha))


def test_the_answer_to_add_rule_shows_beside_the_form() -> None:
    form = rule_form()
    status = by_id(form, ids.RULE_STATUS)
    assert status is not None and status.role == "status"
