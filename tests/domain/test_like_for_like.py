"""/compare calls figures like for like only within stated limits: coverage, completeness
and method mix (issue 16); the limits in docs/inventory-method.md. Worked by hand."""

from __future__ import annotations

from decimal import Decimal as D

from tracker.domain.benchmark import Basis, comparability, method_distance


def _basis(code: str, **kw: object) -> Basis:
    values: dict[str, object] = {
        "currency": "GBP",
        "factor_family": "defra-uk-sic",
        "factor_edition": "to-2023",
        "price_year_policy": "matched",
        "classified_share": D("0.9"),
    }
    values.update(kw)
    return Basis(code=code, **values)  # type: ignore[arg-type]


def test_within_every_limit_nothing_is_said() -> None:
    a = _basis("A", methods=(("sic", D("0.8")), ("rule", D("0.2"))))
    b = _basis("B", classified_share=D("0.8"), methods=(("sic", D("0.6")), ("rule", D("0.4"))))
    # coverage 90 % against 80 %: 10 points, within 15; methods |0.8-0.6| + |0.2-0.4| = 0.4,
    # half is 0.2, within 0.25
    assert method_distance(a.methods, b.methods) == D("0.2")
    assert comparability([a, b]) == []


def test_a_part_year_fails_the_completeness_limit() -> None:
    a = _basis("A")
    b = _basis("B", part_year="Apr-Jun 2024/25: 3 of 12 months")
    [warning] = comparability([a, b])
    assert warning.kind == "completeness" and warning.authorities == ("B",)
    assert warning.message == (
        "Completeness differs: B has Apr-Jun 2024/25: 3 of 12 months; a part year is not "
        "comparable with full years (the limit: twelve months, or a part year an officer "
        "confirmed complete)."
    )


def test_method_mixes_too_far_apart() -> None:
    a = _basis("A", methods=(("sic", D(1)),))
    b = _basis("B", methods=(("rule", D("0.7")), ("sic", D("0.3"))))
    c = _basis("C", methods=(("sic", D("0.9")), ("rule", D("0.1"))))
    # A-B: (|1-0.3| + |0-0.7|) / 2 = 0.7; A-C: 0.1; B-C: (0.6 + 0.6) / 2 = 0.6
    assert method_distance(a.methods, b.methods) == D("0.7")
    [warning] = comparability([a, b, c])
    assert warning.kind == "method_mix" and warning.authorities == ("A", "B")
    assert warning.message == (
        "Method mixes differ: A classified its spend by sic 100% against rule 70%, sic 30% "
        "for B, 70% apart (the limit: 25%)."
    )
    named = {"sic": "supplier's SIC code", "rule": "rule"}
    [labelled] = comparability([a, b, c], method_label=named.__getitem__)
    assert "A classified its spend by supplier's SIC code 100% against rule 70%, " in (
        labelled.message
    )
