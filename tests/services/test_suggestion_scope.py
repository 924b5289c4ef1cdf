"""Review suggestions learn only from what the reviewing authority may see (security
review finding 10), on both databases.

Authority P buys from a supplier with a made-up name ("Quillfeather <random> Surfacing",
so no other test's data knows it) whose SIC code 42110 classifies its £2,000 to Defra
group 42.1-2 (shipped SIC crosswalk: 42.11 roads → 42.1-2). An officer of authority O
uploads one line naming that supplier and nothing else. While P does not share its
figures, O's review learns nothing about the supplier: no suggestion at all, not from
the supplier, its expense type or its words. Once P opts in to sharing, the same review
suggests 42.1-2 from the same supplier's spend, saying what it rests on (P's two lines,
decided by their SIC code).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy.orm import Session

from tracker.models import Authority
from tracker.services.authorities import add_authority, set_sharing
from tracker.services.classification.review import review_queue
from tracker.services.imports import import_spend_file
from tracker.services.inventory.runs import ensure_inventory
from tracker.services.reference import load_shipped_reference_data

HEADER = "Date,Supplier,Amount,SIC,Expense Type,Description\n"


def authority_with_spend(session: Session, tmp_path: Path, name: str, spend: str) -> Authority:
    """A new authority (code ``name`` and a random suffix) holding the CSV lines ``spend``
    (under HEADER)."""
    code = name + uuid.uuid4().hex[:6].upper()
    authority = add_authority(session, code=code, name=name, fy_start_month=1)
    path = tmp_path / f"{code}.csv"
    path.write_text(HEADER + spend, encoding="utf-8")
    import_spend_file(session, authority=authority, path=path, data_dir=tmp_path)
    return authority


def test_no_learning_from_an_authority_that_does_not_share(
    session: Session, tmp_path: Path
) -> None:
    load_shipped_reference_data(session)
    supplier = f"Quillfeather {uuid.uuid4().hex[:8]} Surfacing"
    private = authority_with_spend(
        session,
        tmp_path,
        "P",
        f"15/05/2023,{supplier},1500.00,42110,Quillfeather resurfacing,{supplier} resurfacing\n"
        f"16/05/2023,{supplier},500.00,42110,Quillfeather resurfacing,{supplier} patching\n",
    )
    run = ensure_inventory(session, authority=private, year=2023)
    assert run.authority_id == private.id
    officer = authority_with_spend(session, tmp_path, "O", f"20/05/2023,{supplier},250.00,,,\n")
    ensure_inventory(session, authority=officer, year=2023)  # reviews only read the run

    _run, items = review_queue(session, authority=officer, year=2023)
    (item,) = [i for i in items if i.group.supplier == supplier]
    assert item.suggestion is None

    set_sharing(session, private, share=True, actor="test")
    _run, items = review_queue(session, authority=officer, year=2023)
    (item,) = [i for i in items if i.group.supplier == supplier]
    assert item.suggestion is not None
    assert item.suggestion.defra_group == "42.1-2"
    assert item.suggestion.basis.startswith("same supplier")
    assert item.suggestion.evidence == (
        "2 lines of this supplier in 1 authority sharing with yours were classified 42.1-2 "
        "by sic 42110"
    )
