"""Artefact evidence decides nothing (docs/classification-policy.md §5): a code, a supplier's
SIC, a person's rule or default, the library or a suggestion that names an artefact group
(7, 24.4-5, 46, 47, 65.3), or a code whose row says nothing about the purchase, is set aside
with the reason recorded; the next evidence decides, or the line waits in review."""

from __future__ import annotations

from tests.domain.test_classify import T, table, words
from tracker.domain.classify import Classifier, LineInputs


def _classifier(**kw: object) -> Classifier:
    base: dict[str, object] = {
        "codes": (),
        "authority_rules": None,
        "library": None,
        "supplier_defaults": {},
    }
    base.update(kw)
    return Classifier(**base)  # type: ignore[arg-type]


def test_a_code_naming_an_artefact_group_gives_way_to_the_next_evidence() -> None:
    c = _classifier(
        codes=(("proclass", lambda ln: ln.proclass, table({"192100": T("47")})),),
        library=words({"stationery": ("R100", T("17", confidence="medium"))}),
    )
    got = c.classify(LineInputs(proclass="192100", description="Stationery"))
    assert (got.category_code, got.method, got.rule_ref) == ("17", "library", "R100")
    assert got.overruled is not None and "proclass 192100 → 47" in got.overruled
    assert "artefact group 47" in got.overruled


def test_only_artefact_evidence_leaves_the_line_in_review_with_the_reason() -> None:
    c = _classifier(
        supplier_code=table({"46900": T("46", confidence="medium")}),
        authority_rules=words({"licence": ("OWN1", T("65.3", made_by="officer@x"))}),
    )
    got = c.classify(LineInputs(sic="46900", description="Software licence"))
    assert got.status == "unmapped" and got.category_code is None
    assert got.scope3_category is None and got.confidence == "low"
    # the strongest kind is named as what was looked at; every refusal is on record
    assert (got.method, got.rule_ref, got.decided_by) == ("rule", "OWN1", "officer@x")
    assert got.overruled == (
        "refused: rule OWN1 → 65.3: artefact group 65.3, never used as a factor; "
        "sic 46900 → 46: artefact group 46, never used as a factor"
    )


def test_a_review_row_says_nothing_and_the_library_decides() -> None:
    review = T(None, scope3_category=None, confidence="low")  # neither group nor exclusion
    c = _classifier(
        codes=(("naics", lambda ln: ln.naics, table({"452210": review})),),
        library=words({"books": ("R087", T("58"))}),
    )
    got = c.classify(LineInputs(naics="452210", description="Books"))
    assert (got.category_code, got.method, got.confidence) == ("58", "library", "high")
    assert got.overruled == "naics 452210 → ?: says nothing about what was bought"
    alone = c.classify(LineInputs(naics="452210"))
    assert alone.status == "unmapped" and alone.method == "naics"


def test_an_included_exclusion_whose_group_is_an_artefact_is_refused() -> None:
    # An energy exclusion an authority switched on would use its if_included group.
    target = T(None, scope3_category=None, exclude_reason="energy_own", if_included="46")
    rules = words({"fuel card": ("OWN2", target)})
    line = LineInputs(description="Fuel card")
    assert _classifier(authority_rules=rules).classify(line).excluded_reason == "energy_own"
    included = _classifier(authority_rules=rules, included=frozenset({"energy_own"}))
    assert included.classify(line).status == "unmapped"


def test_supplier_defaults_and_suggestions_naming_an_artefact_are_refused() -> None:
    c = _classifier(
        supplier_defaults={"acme": T("7")},
        suggestions=words({"widgets": ("S1", T("24.4-5", confidence="medium"))}),
        library=words({"widgets": ("R200", T("25OTHER", confidence="low"))}),
    )
    got = c.classify(LineInputs(supplier="ACME", supplier_key="acme", description="Widgets"))
    assert (got.category_code, got.method) == ("25OTHER", "library")
    assert got.overruled is not None and "supplier-default ACME → 7" in got.overruled


def test_an_artefact_reading_of_the_ledger_is_no_rival() -> None:
    # A library reading that names an artefact group does not make a code's decision a
    # conflict (it is no evidence at all).
    c = _classifier(
        codes=(("cpv", lambda ln: ln.cpv, table({"30": T("26")})),),
        library=words({"goods": ("R300", T("46", confidence="high"))}),
    )
    got = c.classify(LineInputs(cpv="30", description="Goods"))
    assert (got.category_code, got.confidence, got.overruled) == ("26", "high", None)
