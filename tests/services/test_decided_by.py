"""Every line records who decided its classification (both databases).

Four lines, each classified a different way (worked out from the decision order, line
override > supplier default > code > own rule > library):

- "Road works" with SIC 42110: the shipped SIC table (nobody; "shipped code crosswalk");
- "Legal fees": the shared library's rule R075 (nobody; "shared rule library");
- "Zebra crossings paint": the authority's rule Z1, written by ana@example.gov.uk;
- Quarry Co: a supplier default set by ben@example.gov.uk;
- and the Zebra line of row 5 overridden by cy@example.gov.uk, which outranks Z1.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import LineEmission, SpendLine
from tracker.queries.lines import category_lines
from tracker.reports.line_detail import LINE_COLUMNS, line_chunks
from tracker.services.authorities import add_authority
from tracker.services.classification.line_classes import set_overrides
from tracker.services.classification.rules import add_rule, set_supplier_default
from tracker.services.imports import import_spend_file
from tracker.services.inventory.runs import ensure_inventory
from tracker.services.reference import load_shipped_reference_data

SPEND = (
    "Date,Supplier,Amount,SIC,Expense Type\n"
    "15/05/2023,Road Co,1000.00,42110,Road works\n"
    "16/05/2023,Ashcombe Solicitors,500.00,,Legal fees\n"
    "17/05/2023,Zed Markings,400.00,,Zebra crossings paint\n"
    "18/05/2023,Zed Markings,300.00,,Zebra crossings paint\n"
    "19/05/2023,Quarry Co,200.00,,Stone\n"
)


def test_each_line_records_who_decided(session: Session, tmp_path: Path) -> None:
    load_shipped_reference_data(session)
    code = "D" + uuid.uuid4().hex[:6].upper()
    authority = add_authority(session, code=code, name="Decided", fy_start_month=1)
    path = tmp_path / "spend.csv"
    path.write_text(SPEND, encoding="utf-8")
    import_spend_file(session, authority=authority, path=path, data_dir=tmp_path)
    add_rule(
        session, authority=authority, rule_id="Z1", pattern="zebra crossings",
        field="expense_type", defra_group="23.5-6", actor="ana@example.gov.uk",
    )  # fmt: skip
    set_supplier_default(
        session, authority=authority, supplier_name="Quarry Co", defra_group="8",
        exclude_reason=None, scope3_category=None, actor="ben@example.gov.uk",
    )  # fmt: skip
    zebra_row_5 = session.scalar(
        select(SpendLine.id).where(
            SpendLine.authority_id == authority.id, SpendLine.source_row == 5
        )
    )
    assert zebra_row_5 is not None
    set_overrides(
        session, authority=authority, line_ids=[zebra_row_5], note="paint is for the depot",
        actor="cy@example.gov.uk", defra_group="20.3",
    )  # fmt: skip
    run = ensure_inventory(session, authority=authority, year=2023)

    decided = dict(
        session.execute(
            select(SpendLine.source_row, LineEmission.decided_by)
            .join(LineEmission, LineEmission.spend_line_id == SpendLine.id)
            .where(LineEmission.run_id == run.id)
        ).all()
    )
    assert decided == {
        2: None,  # SIC table
        3: None,  # library R075
        4: "ana@example.gov.uk",  # rule Z1
        5: "cy@example.gov.uk",  # the override outranks Z1
        6: "ben@example.gov.uk",  # supplier default
    }

    # The workbook's and CSV's line detail names the shipped tables where nobody did.
    rows = [r for c in line_chunks(session, run_id=run.id, authority_id=authority.id,
                                   exact=True) for r in c]  # fmt: skip
    names = [c.name for c in LINE_COLUMNS]
    row_at, by, who = (
        names.index("Source row"),
        names.index("Classified by (rule)"),
        names.index("Decided by"),
    )
    assert {r[row_at]: (r[by], r[who]) for r in rows} == {
        # A supplier's SIC code is at most medium confidence (classification policy §5).
        2: ("sic (medium)", "shipped code crosswalk"),
        3: ("library (high)", "shared rule library"),
        4: ("rule (high)", "ana@example.gov.uk"),
        5: ("override (high)", "cy@example.gov.uk"),
        6: ("supplier-default (high)", "ben@example.gov.uk"),
    }

    # The dashboard's drill-down carries it too.
    _total, lines = category_lines(
        session, run_id=run.id, authority_id=authority.id, category_code="23.5-6"
    )
    assert [(ln.method, ln.rule, ln.decided_by) for ln in lines] == [
        ("rule", "Z1", "ana@example.gov.uk")
    ]
