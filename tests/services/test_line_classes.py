"""Set-based classification through line_class, and line overrides.

The file below has five lines but three distinct classification inputs (the two paint
lines and the two legal lines share theirs), so three line_class rows classify all five.
Spend per category is worked out by hand from the amounts.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from cli_helpers import TrackerCli
from factories import Line, make_authority, make_run
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.db import make_engine
from tracker.errors import TrackerError
from tracker.models import Authority, LineClass, SpendLine
from tracker.services.classification.line_classes import classify_lines, set_overrides

SPEND = (
    "Payment Date,Supplier Name,Amount,Expense Type\n"
    "01/05/2023,Ashcombe Solicitors,1000.00,Legal fees\n"
    "02/05/2023,Ashcombe Solicitors,500.00,Legal fees\n"
    "03/05/2023,Zed Markings,400.00,Zebra crossings paint\n"
    "04/05/2023,Zed Markings,300.00,Zebra crossings paint\n"
    "05/05/2023,Hope Trust,250.00,Grant to voluntary body\n"
)


def _setup(tracker: TrackerCli, tmp_path: Path) -> tuple[str, int]:
    code = "L" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Line classes")
    (tmp_path / "s.csv").write_text(SPEND.replace("Zed Markings", f"Zed Markings {code}"))
    out = tracker.json("import", str(tmp_path / "s.csv"), "--authority", code, "--json")
    return code, int(out["batch_id"])


def _by_category(tracker: TrackerCli, code: str) -> dict[str | None, float]:
    inv = tracker.json("inventory", "--authority", code, "--year", "2023", "--format", "json")
    return {c["code"]: c["spend"] for c in inv["by_category"]}


def test_one_row_per_distinct_inputs_and_rule_change(tracker: TrackerCli, tmp_path: Path) -> None:
    code, _ = _setup(tracker, tmp_path)
    # Legal fees (library → 69.1): £1,500; paint has no rule yet; the grant is excluded.
    assert _by_category(tracker, code) == {"69.1": 1500.0, None: 700.0}
    engine = make_engine(tracker.env["TRACKER_DATABASE_URL"])
    with Session(engine) as session:
        rows = session.scalar(
            select(func.count())
            .select_from(LineClass)
            .join(Authority, Authority.id == LineClass.authority_id)
            .where(Authority.code == code)
        )
    engine.dispose()
    assert rows == 3
    tracker.run(
        "rules", "add", "PAINT1", "--authority", code, "--pattern", "crossings paint",
        "--field", "expense_type", "--group", "20.3",
    )  # fmt: skip
    assert _by_category(tracker, code) == {"69.1": 1500.0, "20.3": 700.0}


def test_override_outranks_rules_and_can_be_cleared(tracker: TrackerCli, tmp_path: Path) -> None:
    code, batch = _setup(tracker, tmp_path)
    # File row 2 is the first data row: £1,000 of legal fees, moved to group 70.
    tracker.run(
        "override", "set", "--authority", code, "--row", f"{batch}:2", "--group", "70",
        "--note", "management consultancy, not legal",
    )  # fmt: skip
    assert _by_category(tracker, code) == {"69.1": 500.0, "70": 1000.0, None: 700.0}
    inv = tracker.json("inventory", "--authority", code, "--year", "2023", "--format", "json")
    methods = {m["method"]: m["spend"] for m in inv["by_method"]}
    assert methods["override"] == pytest.approx(1000.0)

    # Excluding the two paint lines (rows 4 and 5) takes £700 out of scope.
    tracker.run(
        "override", "set", "--authority", code, "--row", f"{batch}:4", "--row", f"{batch}:5",
        "--exclude", "internal", "--note", "recharge from our depot",
    )  # fmt: skip
    assert _by_category(tracker, code) == {"69.1": 500.0, "70": 1000.0}
    tracker.run("override", "clear", "--authority", code, "--row", f"{batch}:2")
    assert _by_category(tracker, code) == {"69.1": 1500.0}


def test_override_is_refused_for_bad_input(tracker: TrackerCli, tmp_path: Path) -> None:
    code, batch = _setup(tracker, tmp_path)
    bad = tracker.run(
        "override", "set", "--authority", code, "--row", f"{batch}:99", "--group", "70",
        "--note", "x", ok=False,
    )  # fmt: skip
    assert bad.exit_code == 2 and f"no stored line at {batch}:99" in bad.output
    bad = tracker.run(
        "override", "set", "--authority", code, "--row", f"{batch}:2", "--group", "99.9",
        "--note", "x", ok=False,
    )  # fmt: skip
    assert "'99.9' is not a Defra product group code" in bad.output


def test_override_cannot_touch_another_authoritys_line(session: Session) -> None:
    a = make_authority(session)
    b = make_authority(session)
    with pytest.raises(TrackerError, match="has no spend line"):
        set_overrides(
            session, authority=a, line_ids=[_line(session, b)], note="x", actor="t",
            defra_group="70",
        )  # fmt: skip


def test_keys_are_backfilled_for_older_lines(session: Session) -> None:
    authority = make_authority(session)
    line_id = _line(session, authority)
    result = classify_lines(session, authority)
    assert result.backfilled == 1 and result.keys == 1
    key = session.scalar(select(SpendLine.class_key).where(SpendLine.id == line_id))
    assert key is not None and len(key) == 32
    # Nothing changed: a second run classifies nothing.
    again = classify_lines(session, authority)
    assert (again.keys, again.full, again.backfilled) == (0, False, 0)


def _line(session: Session, authority: Authority) -> int:
    """One line stored the way lines were before class keys existed (no class_key)."""
    run = make_run(
        session, authority=authority, fy_year=2023, lines=[Line("Ashcombe Solicitors", "10.00")]
    )
    return session.scalars(
        select(SpendLine.id).where(SpendLine.authority_id == run.authority_id)
    ).one()


def test_unspsc_code_classifies(tracker: TrackerCli, tmp_path: Path) -> None:
    """UNSPSC 86101600 is in segment 86, education and training services → Defra 85,
    ahead of the library's reading of the expense type."""
    code = "U" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "UNSPSC")
    (tmp_path / "u.csv").write_text(
        "Payment Date,Supplier Name,Amount,Expense Type,Commodity\n"
        "01/05/2023,Skills Ltd,640.00,Legal fees,86101600\n"
    )
    tracker.run("import", str(tmp_path / "u.csv"), "--authority", code, "--map",
                "unspsc=Commodity")  # fmt: skip
    assert _by_category(tracker, code) == {"85": 640.0}


def test_a_capital_cost_centre_is_a_class_of_its_own_in_category_2(
    tracker: TrackerCli, tmp_path: Path
) -> None:
    """Three building-works lines (library R037 → 41.2, category 1), one booked to the
    cost centre "CAPITAL": two classes, and the capital line is category 2 (policy §13).
    Same group, year and deflator, so category 2 has 1,000 / (400 + 100) = 2 times the
    tonnes of category 1."""
    code = "L" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Capital classes")
    (tmp_path / "c.csv").write_text(
        "Payment Date,Supplier Name,Amount,Expense Type,Cost Centre\n"
        "01/05/2023,Builders Ltd,1000.00,Building works,CAPITAL\n"
        "02/05/2023,Builders Ltd,400.00,Building works,Parks\n"
        "03/05/2023,Builders Ltd,100.00,Building works,Highways\n"
    )
    batch = tracker.json("import", str(tmp_path / "c.csv"), "--authority", code, "--json")

    def scope3() -> dict[int, float]:
        inv = tracker.json("inventory", "--authority", code, "--year", "2023", "--format", "json")
        return {c["category"]: c["kgco2e"] for c in inv["by_scope3_category"]}

    by_category = scope3()
    assert set(by_category) == {1, 2}
    assert by_category[2] / by_category[1] == pytest.approx(2.0, rel=1e-12)
    engine = make_engine(tracker.env["TRACKER_DATABASE_URL"])
    with Session(engine) as session:
        classes = session.execute(
            select(LineClass.scope3_category, LineClass.defra_group)
            .join(Authority, Authority.id == LineClass.authority_id)
            .where(Authority.code == code)
        ).all()
    engine.dispose()
    assert sorted(tuple(c) for c in classes) == [(1, "41.2"), (2, "41.2")]
    # An override that names no category keeps the capital line in category 2.
    tracker.run(
        "override", "set", "--authority", code, "--row", f"{batch['batch_id']}:2",
        "--group", "41.2", "--note", "checked: new school block",
    )  # fmt: skip
    assert scope3() == by_category


def _numbers(session: Session, authority: Authority) -> dict[str, tuple[int, str, str | None]]:
    """Each class's supplier (read from one of its lines) → (decision number, status,
    group)."""
    rows = session.execute(
        select(SpendLine.supplier_name, LineClass.decision, LineClass.status,
               LineClass.defra_group)
        .join(LineClass, (LineClass.authority_id == SpendLine.authority_id)
              & (LineClass.class_key == SpendLine.class_key))
        .where(SpendLine.authority_id == authority.id)
    ).all()  # fmt: skip
    return {name: (number, status, group) for name, number, status, group in rows}


def test_equal_decisions_share_a_number_and_new_ones_get_the_next(
    session: Session, tmp_path: Path
) -> None:
    """line_class.decision: the two solicitors' classes (different suppliers, so different
    keys) are decided alike by the library's legal-fees entry and share a number; the
    paint (unmapped) and the grant (excluded) each have their own. Classes added later
    (a third solicitor, and a fuel line the library classifies differently) take the
    solicitors' number and the next unused one."""
    from tracker.services.imports import import_spend_file
    from tracker.services.reference import load_shipped_reference_data

    load_shipped_reference_data(session)
    authority = make_authority(session)
    first = SPEND.replace("02/05/2023,Ashcombe", "02/05/2023,Bexley")
    (tmp_path / "a.csv").write_text(first)
    import_spend_file(session, authority=authority, path=tmp_path / "a.csv", data_dir=tmp_path)
    classify_lines(session, authority)
    numbers = _numbers(session, authority)
    assert numbers["Ashcombe Solicitors"] == numbers["Bexley Solicitors"]
    assert numbers["Ashcombe Solicitors"][1:] == ("mapped", "69.1")
    assert numbers["Zed Markings"][1] == "unmapped"
    assert numbers["Hope Trust"][1] == "excluded"
    assert sorted({n for n, _, _ in numbers.values()}) == [1, 2, 3]
    (tmp_path / "b.csv").write_text(
        "Payment Date,Supplier Name,Amount,Expense Type\n"
        "01/06/2023,Carey Solicitors,200.00,Legal fees\n"
        "02/06/2023,Fuel Direct,80.00,Diesel fuel\n"
    )
    import_spend_file(session, authority=authority, path=tmp_path / "b.csv", data_dir=tmp_path)
    again = classify_lines(session, authority)
    assert (again.keys, again.full) == (2, False)
    later = _numbers(session, authority)
    assert {k: later[k] for k in numbers} == numbers
    assert later["Carey Solicitors"] == numbers["Ashcombe Solicitors"]
    assert later["Fuel Direct"][0] == 4 and later["Fuel Direct"][1:] != numbers["Zed Markings"][1:]
