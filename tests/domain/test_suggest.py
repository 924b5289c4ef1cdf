from decimal import Decimal

from tracker.domain.suggest import suggest

EVIDENCE = {
    "acme widgets ltd": {"25OTHER": Decimal("900"), "28": Decimal("100")},
    "bytewell systems ltd": {"62": Decimal("500")},
}


def test_same_supplier_gets_its_largest_group_with_its_share() -> None:
    s = suggest("acme widgets ltd", EVIDENCE)
    assert s is not None and (s.defra_group, s.confidence) == ("25OTHER", Decimal("0.90"))


def test_similar_name_lends_its_evidence_at_a_discount() -> None:
    s = suggest("bytewell systems", EVIDENCE)  # token-set ratio 100: subset of the tokens
    assert s is not None and s.defra_group == "62" and s.confidence == Decimal("1.00")
    assert s.basis == "similar supplier name: bytewell systems ltd"


def test_unknown_supplier_gets_nothing() -> None:
    assert suggest("zebra crossings plc", EVIDENCE) is None
    assert suggest(None, EVIDENCE) is None
