"""The review page says what a suggestion rests on, and when the evidence only supports
the current (low-confidence) category it says so without an Accept button."""

from __future__ import annotations

from decimal import Decimal

from dashboards.data.review import ReviewRow
from dashboards.layouts.review import _accept_button, _suggestion
from tracker.domain.suggest import Suggestion
from tracker.queries.review import ReviewGroup
from tracker.services.classification.review import ReviewItem

EVIDENCE = "3 lines of this supplier in your authority were classified 26 by rule R123"


def _text(component: object) -> str:
    children = getattr(component, "children", component)
    if isinstance(children, list):
        return "".join(_text(c) for c in children)
    return str(children)


def _row(status: str, confirms: bool) -> ReviewRow:
    return ReviewRow(
        supplier="Acme", expense_type=None, spend=Decimal("100"), lines=2, status=status,
        suggested_group="26", suggested_name="Computer products", confidence=Decimal("0.5"),
        basis="the same supplier's classified spend", evidence=EVIDENCE, confirms=confirms,
    )  # fmt: skip


def test_a_suggestion_agreeing_with_the_current_category_confirms_it() -> None:
    s = Suggestion("26", Decimal("0.5"), "same supplier", key="acme")
    low = ReviewGroup("Acme", None, Decimal("100"), 2, "mapped", category="26")
    assert ReviewItem(low, s).confirms
    assert not ReviewItem(
        ReviewGroup("Acme", None, Decimal("100"), 2, "mapped", category="62"), s
    ).confirms
    assert not ReviewItem(ReviewGroup("Acme", None, Decimal("100"), 2, "unmapped"), s).confirms


def test_the_page_shows_the_evidence_and_no_accept_for_a_confirmation() -> None:
    offered = _row("unmapped", confirms=False)
    assert _text(_suggestion(offered)) == f"Computer products (26), 50% confident: {EVIDENCE}"
    assert _accept_button(0, offered) != "–"
    confirmed = _row("mapped", confirms=True)
    assert _text(_suggestion(confirmed)) == (
        f"The evidence supports the current category, Computer products (26): {EVIDENCE}"
    )
    assert _accept_button(0, confirmed) == "–"
