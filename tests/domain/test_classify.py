"""The decision order of docs/classification-policy.md §3, conflicts (§6) and the merchant
code giving way to the ledger text (§5), on small hand-made tables."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain.classify import Classifier, LineInputs, TargetLike, agrees


@dataclass(frozen=True)
class T:
    defra_group: str | None = None
    scope3_category: int | None = 1
    exclude_reason: str | None = None
    if_included: str | None = None
    confidence: str = "high"
    made_by: str = ""
    naics_code: str | None = None


def table(mapping: dict[str, TargetLike]):  # type: ignore[no-untyped-def]
    def look(raw: str) -> tuple[str, TargetLike] | None:
        return (raw, mapping[raw]) if raw in mapping else None

    return look


def words(mapping: dict[str, tuple[str, TargetLike]]):  # type: ignore[no-untyped-def]
    """A rule matcher: the first key found in the expense type, description or supplier."""

    def match(
        expense_type: str | None, description: str | None, supplier: str | None
    ) -> tuple[str, TargetLike] | None:
        text = " ".join(t.lower() for t in (expense_type, description, supplier) if t)
        for word, hit in mapping.items():
            if word in text:
                return hit
        return None

    return match


LEVY = T(None, None, "public_body", "38")
PROCLASS = table({"182015": T("38"), "341100": T("17")})
MCC = table({"5311": T("32")})
SIC = table({"46510": T("26"), "62020": T("62"), "55900": T("55")})
POLICY = words({"levy": ("P1", LEVY), "unitary charge": ("R071", T("41.2", confidence="medium"))})
LIBRARY = words(
    {
        "books": ("R087", T("58")),
        "software": ("R096", T("58", confidence="medium")),
        "materials": ("R131", T("23OTHER", confidence="low")),
        "stationery": ("R085", T("17", confidence="medium")),
    }
)


def classifier(**kw: object) -> Classifier:
    args: dict[str, object] = {
        "codes": (
            ("proclass", lambda ln: ln.proclass, PROCLASS),
            ("mcc", lambda ln: ln.mcc, MCC),
        ),
        "authority_rules": None,
        "library": LIBRARY,
        "supplier_defaults": {},
        "policy": POLICY,
        "supplier_code": SIC,
    }
    args.update(kw)
    return Classifier(**args)  # type: ignore[arg-type]


def test_policy_outranks_a_purchase_code_and_records_it() -> None:
    # Trafford's waste disposal levy carries ProClass 182015 (waste); the policy excludes it.
    c = classifier().classify(LineInputs(proclass="182015", expense_type="WASTE DISPOSAL LEVY"))
    assert (c.status, c.excluded_reason, c.method, c.rule_ref) == (
        "excluded", "public_body", "policy", "P1"
    )  # fmt: skip
    assert c.overruled == "proclass 182015 → 38"
    assert c.confidence == "high"  # policy settles it: not a conflict to review


def test_an_included_exclusion_uses_its_group() -> None:
    c = classifier(included=frozenset({"public_body"})).classify(LineInputs(expense_type="Levy"))
    assert (c.category_code, c.excluded_reason, c.scope3_category) == ("38", None, 1)


def test_pfi_policy_outranks_the_supplier_sic() -> None:
    line = LineInputs(sic="55900", expense_type="Unitary Charge Payments")
    c = classifier().classify(line)
    assert (c.category_code, c.method, c.confidence) == ("41.2", "policy", "medium")
    assert c.overruled == "sic 55900 → 55"


def test_line_code_outranks_supplier_sic_and_a_disagreeing_description_is_a_conflict() -> None:
    # ProClass 341100 (paper) against a description that reads software (58): kinds differ.
    c = classifier().classify(LineInputs(proclass="341100", description="Software licence"))
    assert (c.category_code, c.method, c.confidence) == ("17", "proclass", "low")
    assert c.overruled == "conflict: library R096 → 58"


def test_a_low_confidence_description_is_no_conflict() -> None:
    c = classifier().classify(LineInputs(proclass="341100", description="Materials"))
    assert (c.category_code, c.confidence, c.overruled) == ("17", "high", None)


def test_agreeing_evidence_is_no_conflict() -> None:
    c = classifier().classify(LineInputs(proclass="341100", description="Stationery"))
    assert (c.category_code, c.confidence, c.overruled) == ("17", "high", None)


def test_supplier_sic_against_a_description_is_a_conflict_sent_to_review() -> None:
    # A wholesaler of computers (goods group 26) paid for software licences (58).
    c = classifier().classify(LineInputs(sic="46510", description="Software licences"))
    assert (c.category_code, c.method, c.confidence) == ("26", "sic", "low")
    assert c.overruled == "conflict: library R096 → 58"


def test_software_and_it_services_are_one_family() -> None:
    c = classifier().classify(LineInputs(sic="62020", description="Software licences"))
    assert (c.category_code, c.confidence, c.overruled) == ("62", "high", None)
    assert agrees("41.2", "42.99") and agrees("87", "88") and not agrees("26", "58")


def test_merchant_code_gives_way_to_the_ledger_text() -> None:
    # "Books" bought from a general retailer (MCC 5311, department stores → 32).
    c = classifier().classify(LineInputs(mcc="5311", expense_type="Books"))
    assert (c.category_code, c.method, c.rule_ref) == ("58", "library", "R087")
    assert c.overruled == "mcc 5311 → 32"


def test_authority_rules_and_defaults_outrank_supplier_sic_but_not_line_codes() -> None:
    mine = words({"paper": ("T1", T("18", made_by="jo@council.example"))})
    defaults: dict[str, TargetLike] = {"acme": T("70", made_by="al@council.example")}
    c = classifier(authority_rules=mine).classify(LineInputs(sic="62020", description="Paper"))
    assert (c.category_code, c.method, c.decided_by) == ("18", "rule", "jo@council.example")
    assert c.overruled == "sic 62020 → 62"  # a person decided: on record, not a conflict
    c = classifier(supplier_defaults=defaults).classify(
        LineInputs(proclass="341100", supplier="Acme", supplier_key="acme")
    )
    assert (c.category_code, c.method) == ("17", "proclass")


def test_capital_flag_sends_the_group_to_category_2() -> None:
    c = classifier().classify(LineInputs(proclass="341100", capital_or_revenue="C"))
    assert (c.category_code, c.scope3_category) == ("17", 2)


def test_nothing_known_is_unclassified() -> None:
    c = classifier().classify(LineInputs(supplier="RHS Worsley"))
    assert (c.status, c.method, c.overruled) == ("unmapped", None, None)
