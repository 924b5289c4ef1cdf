"""Payees treated differently across authorities (tracker.services.treatments), on both databases,
within the role scope of the viewer.

A payee with a made-up name ("Quillpen <random> Roads") is costed by A from its SIC code
42110 (shipped SIC crosswalk → Defra 42.1-2, £1,000) and excluded by B, whose line says
"road levy" (policy rule R009: a levy is a transfer to a public body, x:public_body, £400).
A shares its figures, B does not. B's officer sees B and A: the payee is treated
differently. An officer of D, which does not share either, sees D and A: A alone buys it,
so nothing is listed (B's treatment stays B's). An admin sees both.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from tests.services.test_compare import ADMIN, viewer_of
from tests.services.test_suggestion_scope import authority_with_spend
from tracker.domain.suppliers import supplier_key
from tracker.models import Authority
from tracker.services.authorities import set_sharing
from tracker.services.inventory.runs import ensure_inventory
from tracker.services.reference import load_shipped_reference_data
from tracker.services.treatments import treatment_differences


def _authority(session: Session, tmp_path: Path, name: str, spend: str) -> Authority:
    authority = authority_with_spend(session, tmp_path, name, spend)
    ensure_inventory(session, authority=authority, year=2023)
    return authority


def test_treated_differently_within_the_viewers_scope(session: Session, tmp_path: Path) -> None:
    load_shipped_reference_data(session)
    payee = f"Quillpen {uuid.uuid4().hex[:8]} Roads"
    a = _authority(session, tmp_path, "A", f"15/05/2023,{payee},1000.00,42110,,resurfacing\n")
    set_sharing(session, a, share=True, actor="test")
    b = _authority(session, tmp_path, "B", f"16/05/2023,{payee},400.00,,,road levy\n")
    d = _authority(session, tmp_path, "D", "17/05/2023,Other Payee,10.00,42110,,\n")
    key = supplier_key(payee)

    def listed(viewer: object) -> list[tuple[str, str, Decimal]]:
        found = treatment_differences(session, viewer, year=2023, top=10_000)  # type: ignore[arg-type]
        return [
            (u.authority, u.treatment, u.spend)
            for diff in found
            if diff.field == "supplier" and diff.key == key
            for u in diff.uses
        ]

    expected = sorted(
        [(a.code, "42.1-2", Decimal("1000.00")), (b.code, "x:public_body", Decimal("400.00"))]
    )
    assert sorted(listed(viewer_of(b.id, "officer"))) == expected
    assert listed(viewer_of(d.id, "officer")) == []
    assert sorted(listed(ADMIN)) == expected
