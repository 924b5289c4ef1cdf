"""The migration history is linear, reversible, and matches the models, on both databases."""

from __future__ import annotations

import ast
import datetime as dt
import json
import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from factories import Line, make_authority, make_factor_set, make_run
from sqlalchemy import Engine, delete, func, insert, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker import migrate
from tracker.db import make_engine
from tracker.errors import SchemaOutdatedError
from tracker.models import (
    Authority,
    AuthorityAlias,
    Base,
    BatchMonth,
    Contract,
    ContractBuyer,
    ContractFile,
    ContractParty,
    ImportBatch,
    LineConfirmation,
    LineEmission,
    RunCollaborationFigures,
    RunCompareFigures,
    SpendLine,
    Supplier,
    SupplierIdentifier,
    YearConfirmation,
)


def _revisions() -> list[tuple[str, str | None, str]]:
    out = []
    for path in sorted((migrate.MIGRATIONS_DIR / "versions").glob("*.py")):
        tree = ast.parse(path.read_text())
        values: dict[str, str | None] = {}
        for node in tree.body:
            if (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and node.target.id in ("revision", "down_revision")
                and node.value is not None
            ):
                values[node.target.id] = ast.literal_eval(node.value)
        out.append((str(values["revision"]), values.get("down_revision"), path.name))
    return out


def test_history_is_linear_and_files_sort_by_date() -> None:
    revisions = _revisions()
    assert revisions, "no migrations"
    previous: str | None = None
    for revision, down, name in revisions:
        assert down == previous, f"{name} revises {down}, expected {previous}"
        assert name[:4].isdigit() and name[4] == "_", f"{name} is not date-named"
        previous = revision
    assert previous == migrate.head_revision()


@pytest.fixture
def fresh_engine(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An empty database of the parametrised kind."""
    if db_url.startswith("sqlite"):
        eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('mig') / 'fresh.db'}")
        yield eng
        eng.dispose()
        return
    eng = make_engine(db_url)
    with eng.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS migtest CASCADE"))
        conn.execute(text("CREATE SCHEMA migtest"))
    eng.dispose()
    scoped = make_engine(db_url, connect_args={"options": "-csearch_path=migtest"})
    yield scoped
    scoped.dispose()
    cleanup = make_engine(db_url)
    with cleanup.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS migtest CASCADE"))
    cleanup.dispose()


def test_upgrade_downgrade_upgrade(fresh_engine: Engine) -> None:
    with pytest.raises(SchemaOutdatedError, match="tracker db upgrade"):
        migrate.check_schema(fresh_engine)
    migrate.upgrade(fresh_engine)
    migrate.check_schema(fresh_engine)
    assert "spend_line" in inspect(fresh_engine).get_table_names()
    migrate.downgrade(fresh_engine, "base")
    assert set(inspect(fresh_engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(fresh_engine)
    migrate.check_schema(fresh_engine)


def test_models_match_migrated_schema(engine: Engine) -> None:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_summary_backfill(fresh_engine: Engine) -> None:
    """Runs computed before the summary tables existed get their summary rows from the
    migration: dropping the tables (downgrade) and upgrading again restores the same rows."""
    migrate.upgrade(fresh_engine)
    with Session(fresh_engine) as session, session.begin():
        f = make_factor_set(session, factors={"49": ("Land transport services", "0.4")})
        run = make_run(
            session,
            authority=make_authority(session),
            fy_year=2023,
            lines=[
                Line("Bus Co", "2000.00", "800", f["49"], cost_centre=" Depot ", dq="32111"),
                Line("Bus Co", "-500.00", "-200", f["49"], cost_centre="Depot", dq="32111"),
                Line("Bus Co", "300.00", excluded=True, cost_centre="  "),
                Line(None, "120.00"),
            ],
        )
        run_id = run.id
    queries = {
        "category": "SELECT status, category_code, factor_id, supplier_specific, lines, spend,"
        " kgco2e FROM run_category_total WHERE run_id = :r ORDER BY status",
        "supplier": "SELECT supplier_id, supplier_name, status, lines, spend, kgco2e"
        " FROM run_supplier_total WHERE run_id = :r ORDER BY status",
        "department": "SELECT department, status, lines, spend, kgco2e"
        " FROM run_department_total WHERE run_id = :r ORDER BY status",
        "quality": "SELECT category_code, dq, lines, spend, abs_spend, kgco2e, kg2"
        " FROM run_quality_total WHERE run_id = :r",
    }

    def summaries() -> dict[str, list[tuple[object, ...]]]:
        with fresh_engine.connect() as conn:
            return {
                k: [tuple(r) for r in conn.execute(text(q), {"r": run_id})]
                for k, q in queries.items()
            }

    before = summaries()
    # Hand-worked: mapped 2,000 − 500 = 1,500 over two lines, 800 − 200 = 600 kg.
    assert [(r[0], r[4], float(r[5]), float(r[6])) for r in before["category"]] == [
        ("excluded", 1, 300.0, 0.0),
        ("mapped", 2, 1500.0, 600.0),
        ("unmapped", 1, 120.0, 0.0),
    ]
    # Departments: " Depot " and "Depot" are one; blank cost centres are NULL. Quality:
    # |2,000| + |−500| = 2,500 of weight; 800² + 200² = 680,000 kg².
    assert [(r[0], r[1], r[2], float(r[3])) for r in before["department"]] == [
        (None, "excluded", 1, 300.0),
        ("Depot", "mapped", 2, 1500.0),
        (None, "unmapped", 1, 120.0),
    ]
    quality = [(*r[:3], *(float(v) for v in r[3:])) for r in before["quality"]]
    assert quality == [("49", "32111", 2, 1500.0, 2500.0, 600.0, 680000.0)]
    migrate.downgrade(fresh_engine, "9d6475460b9a")  # before the summary tables
    assert "run_category_total" not in inspect(fresh_engine).get_table_names()
    migrate.upgrade(fresh_engine)
    assert summaries() == before


INITIAL = "5c7fc7a41cde"  # the first revision: authorities, batches, lines, runs


def test_stored_rows_survive_downgrade_and_upgrade(fresh_engine: Engine) -> None:
    """Rows in the tables of the first revision outlive every later migration both ways.
    On SQLite a batch migration copies a table and drops the old one; with foreign keys
    enforced, that drop would cascade-delete the rows that refer to it (an import
    batch's lines, a run's line emissions), so migrations run with them off."""
    migrate.upgrade(fresh_engine)
    with Session(fresh_engine) as session, session.begin():
        f = make_factor_set(session, factors={"49": ("Land transport services", "0.4")})
        make_run(
            session,
            authority=make_authority(session),
            fy_year=2023,
            lines=[Line("Bus Co", "2000.00", "800", f["49"]), Line(None, "120.00")],
        )
    tables = ("authority", "import_batch", "spend_line", "inventory_run", "line_emission")

    def counts() -> dict[str, int]:
        with fresh_engine.connect() as conn:
            return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}

    stored = counts()
    assert stored == {
        "authority": 1,
        "import_batch": 1,
        "spend_line": 2,
        "inventory_run": 1,
        "line_emission": 2,
    }
    migrate.downgrade(fresh_engine, INITIAL)
    assert counts() == stored
    migrate.upgrade(fresh_engine)
    assert counts() == stored
    migrate.check_schema(fresh_engine)


BEFORE_BASELINES = "3f6d2a9c41b7"  # the revision before targets recorded their baselines


def test_existing_targets_get_their_baseline_recorded(fresh_engine: Engine) -> None:
    """A target set before baselines were recorded gets the mean of its baseline years'
    current inventories: 2022 has versions of 800 kg and then 1,000 kg (current), 2023 has
    1,400 kg, so (1,000 + 1,400) / 2 = 1,200 kg, versions 2 and 1. A target whose baseline
    year has no inventory keeps NULL."""
    # Rows are made with today's models at head, then the database is taken down to
    # the revision, holding them as a database of that revision would.
    migrate.upgrade(fresh_engine)
    with Session(fresh_engine) as session, session.begin():
        f = make_factor_set(session, factors={"49": ("Land transport services", "0.4")})
        with_runs, without = make_authority(session), make_authority(session)
        make_run(session, authority=with_runs, fy_year=2022, whole_year=False,
                 lines=[Line("Bus Co", "2000.00", "800", f["49"])], evidence=False,
                 months=False, figures=False)  # fmt: skip
        second = make_run(session, authority=with_runs, fy_year=2022, whole_year=False,
                          lines=[Line("Bus Co", "2500.00", "1000", f["49"])],
                          evidence=False, months=False, figures=False)  # fmt: skip
        second.version = 2
        make_run(session, authority=with_runs, fy_year=2023, whole_year=False,
                 lines=[Line("Bus Co", "3500.00", "1400", f["49"])], evidence=False,
                 months=False, figures=False)  # fmt: skip
        ids = (with_runs.id, without.id)
    migrate.downgrade(fresh_engine, BEFORE_BASELINES)
    insert = text(
        "INSERT INTO target (authority_id, baseline_years, target_year, reduction_pct,"
        " pathway, interim, created_at) VALUES (:a, :y, 2030, 50, 'linear', '[]', :at)"
    )
    with fresh_engine.begin() as conn:
        for aid in ids:
            conn.execute(insert, {"a": aid, "y": "[2022, 2023]", "at": "2026-01-01 00:00:00"})
    migrate.upgrade(fresh_engine)
    with fresh_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT authority_id, baseline_kg, baseline_versions, baseline_recorded_by,"
                " significance_pct FROM target ORDER BY authority_id"
            )
        ).all()
    got = {r[0]: r[1:] for r in rows}
    kg, versions, by, significance = got[ids[0]]
    assert float(kg) == 1200.0 and float(significance) == 5.0
    assert (json.loads(versions) if isinstance(versions, str) else versions) == {
        "2022": 2,
        "2023": 1,
    }
    assert by == "migration 7b3e9d1c5a20"
    assert got[ids[1]][:3] == (None, None, None)
    migrate.downgrade(fresh_engine, BEFORE_BASELINES)
    assert "baseline_kg" not in {c["name"] for c in inspect(fresh_engine).get_columns("target")}


def test_line_confirmation_is_keyed_by_class_or_line(engine: Engine) -> None:
    """line_confirmation (the sign-off review) names a class of lines or one line, never
    both or neither, and one confirmation per class of an authority."""
    with Session(engine) as session, session.begin():
        authority = make_authority(session)
        authority_id = authority.id

    def add(**keys: object) -> None:
        with Session(engine) as session, session.begin():
            session.add(
                LineConfirmation(
                    authority_id=authority_id, status="mapped", confirmed_by="ana", **keys
                )
            )

    add(class_key="k1")
    for keys in ({}, {"class_key": "k1"}):  # neither; a second confirmation of the class
        with pytest.raises(IntegrityError):
            add(**keys)


def test_capital_cost_centre_lines_are_keyed_again(fresh_engine: Engine) -> None:
    """The capital cost-centre migration clears the classification keys of lines whose cost
    centre may name capital (the next classification keys them again, with the cost
    centre) and empties the line_class cache; other lines keep their keys. Both ways."""
    migrate.upgrade(fresh_engine)
    with Session(fresh_engine) as session, session.begin():
        authority = make_authority(session)
        make_run(
            session,
            authority=authority,
            fy_year=2023,
            lines=[Line("Builders", "900.00", cost_centre="CAPITAL"),
                   Line("Builders", "100.00", cost_centre="Parks")],
        )  # fmt: skip
        authority_id = authority.id

    def stage() -> None:
        with fresh_engine.begin() as conn:
            conn.execute(text("UPDATE spend_line SET class_key = 'k-' || cost_centre"))
            # line_class.decision exists from a later migration (5d2e8c1f7a90) on
            numbered = "decision" in {c["name"] for c in inspect(conn).get_columns("line_class")}
            conn.execute(
                text(
                    "INSERT INTO line_class (authority_id, class_key, status, rule_ref,"
                    f" fingerprint{', decision' * numbered}) VALUES"
                    f" (:a, 'k-Parks', 'unmapped', '', 'f'{', 1' * numbered})"
                ),
                {"a": authority_id},
            )

    def keys() -> tuple[list[tuple[object, ...]], int]:
        with fresh_engine.connect() as conn:
            lines = conn.execute(
                text("SELECT cost_centre, class_key FROM spend_line ORDER BY cost_centre")
            )
            cached = conn.execute(text("SELECT count(*) FROM line_class")).scalar_one()
            return [tuple(r) for r in lines], cached

    cleared = ([("CAPITAL", None), ("Parks", "k-Parks")], 0)
    stage()
    migrate.downgrade(fresh_engine, "9a4f7c2e1b63")
    assert keys() == cleared
    stage()
    migrate.upgrade(fresh_engine)
    assert keys() == cleared


def test_year_confirmation_is_one_per_authority_year(engine: Engine) -> None:
    """year_confirmation (a part year confirmed complete) holds at most one confirmation
    per authority and year, and needs who and why."""
    with Session(engine) as session, session.begin():
        authority_id = make_authority(session).id

    def add(year: int, **overrides: object) -> None:
        fields: dict[str, object] = {
            "months_covered": 3, "confirmed_by": "ana", "reason": "closed from July"
        } | overrides  # fmt: skip
        with Session(engine) as session, session.begin():
            session.add(YearConfirmation(authority_id=authority_id, fy_year=year, **fields))

    add(2024)
    add(2025)
    for year, overrides in ((2024, {}), (2026, {"reason": None})):
        with pytest.raises(IntegrityError):
            add(year, **overrides)


BEFORE_CONTRACTS = "c8e4a2f6b913"  # the revision before the contract tables
CONTRACT_TABLES = {"contract_file", "contract", "contract_party", "contract_buyer"}


def test_contract_tables_come_and_go(fresh_engine: Engine) -> None:
    """The contracts migration adds its four tables and its downgrade removes them only."""
    migrate.upgrade(fresh_engine)
    assert set(inspect(fresh_engine).get_table_names()) >= CONTRACT_TABLES
    migrate.downgrade(fresh_engine, BEFORE_CONTRACTS)
    tables = set(inspect(fresh_engine).get_table_names())
    assert not CONTRACT_TABLES & tables and "spend_line" in tables
    migrate.upgrade(fresh_engine)
    migrate.check_schema(fresh_engine)


def test_contract_is_one_per_authority_and_source_key(engine: Engine) -> None:
    """A contract read again (same source key) for the same authority is refused by the
    database, another authority may hold the same published contract, a buyer name maps
    to one authority, and deleting a contract deletes its suppliers."""
    with Session(engine) as session, session.begin():
        first, second = make_authority(session), make_authority(session)
        file = ContractFile(
            sha256="0" * 64, filename="f.json", size_bytes=1, format="ocds-release-package",
            imported_by="ana", report={},
        )  # fmt: skip
        session.add(file)
        session.flush()
        ids = (first.id, second.id, file.id)

    def add(authority_id: int, key: str) -> int:
        with Session(engine) as session, session.begin():
            contract = Contract(
                authority_id=authority_id, file_id=ids[2], source_key=key,
                buyer_name="Test Council", status="awarded",
            )  # fmt: skip
            session.add(contract)
            session.flush()
            session.add(ContractParty(contract_id=contract.id, name="Bus Co"))
            return contract.id

    kept = add(ids[0], "ocds-1/award-1")
    add(ids[1], "ocds-1/award-1")
    with pytest.raises(IntegrityError):
        add(ids[0], "ocds-1/award-1")
    with Session(engine) as session, session.begin():
        session.add(ContractBuyer(name_key="test council", name="Test", authority_id=ids[0],
                                  created_by="ana"))  # fmt: skip
    with pytest.raises(IntegrityError), Session(engine) as session, session.begin():
        session.add(ContractBuyer(name_key="test council", name="TEST", authority_id=ids[1],
                                  created_by="ana"))  # fmt: skip
    with Session(engine) as session, session.begin():
        session.execute(text("DELETE FROM contract WHERE id = :i"), {"i": kept})
    with engine.connect() as conn:
        parties = conn.execute(
            text("SELECT count(*) FROM contract_party WHERE contract_id = :i"), {"i": kept}
        )
        assert parties.scalar_one() == 0


BEFORE_SUPPLIER_ENTITIES = "605cfd15efa6"  # the contracts revision
SUPPLIER_TABLES = {
    "supplier_identifier",
    "supplier_commitment",
    "supplier_disclosure",
    "supplier_merge_candidate",
}


def test_supplier_entity_tables_come_and_go(fresh_engine: Engine) -> None:
    """The supplier-entities migration adds its four tables and supplier.merged_into_id,
    and its downgrade removes them only."""
    migrate.upgrade(fresh_engine)
    assert set(inspect(fresh_engine).get_table_names()) >= SUPPLIER_TABLES
    assert "merged_into_id" in {c["name"] for c in inspect(fresh_engine).get_columns("supplier")}
    migrate.downgrade(fresh_engine, BEFORE_SUPPLIER_ENTITIES)
    tables = set(inspect(fresh_engine).get_table_names())
    assert not SUPPLIER_TABLES & tables and "contract" in tables
    assert "merged_into_id" not in {
        c["name"] for c in inspect(fresh_engine).get_columns("supplier")
    }
    migrate.upgrade(fresh_engine)
    migrate.check_schema(fresh_engine)


def test_an_identifier_belongs_to_one_supplier(engine: Engine) -> None:
    """The same scheme and number cannot name two suppliers; deleting a supplier deletes
    its identifiers."""
    with Session(engine) as session, session.begin():
        a, b = Supplier(name_key="a ltd", name="A Ltd"), Supplier(name_key="b ltd", name="B Ltd")
        session.add_all([a, b])
        session.flush()
        session.add(SupplierIdentifier(supplier_id=a.id, scheme="GB-COH", value="01628868",
                                       source="test"))  # fmt: skip
        ids = (a.id, b.id)
    with pytest.raises(IntegrityError), Session(engine) as session, session.begin():
        session.add(SupplierIdentifier(supplier_id=ids[1], scheme="GB-COH", value="01628868",
                                       source="test"))  # fmt: skip
    with Session(engine) as session, session.begin():
        session.execute(text("DELETE FROM supplier WHERE id = :i"), {"i": ids[0]})
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM supplier_identifier")).scalar_one() == 0


BEFORE_LINKS = "e262549ea400"  # the supplier entities, before contract_spend_link


def test_contract_spend_link_comes_and_goes(fresh_engine: Engine) -> None:
    """The link migration adds contract_spend_link and its downgrade removes it only."""
    migrate.upgrade(fresh_engine)
    assert "contract_spend_link" in inspect(fresh_engine).get_table_names()
    migrate.downgrade(fresh_engine, BEFORE_LINKS)
    tables = set(inspect(fresh_engine).get_table_names())
    assert "contract_spend_link" not in tables and tables >= CONTRACT_TABLES
    migrate.upgrade(fresh_engine)
    migrate.check_schema(fresh_engine)


BEFORE_ALIASES = "3b7e91c4d2a8"  # the contract spend link revision


def test_authority_alias_comes_and_goes_and_is_one_per_name(
    fresh_engine: Engine, engine: Engine
) -> None:
    """authority_alias is added by its migration and removed by its downgrade; a name is
    recorded once per authority, and goes with its authority."""
    migrate.upgrade(fresh_engine)
    assert "authority_alias" in inspect(fresh_engine).get_table_names()
    migrate.downgrade(fresh_engine, BEFORE_ALIASES)
    tables = set(inspect(fresh_engine).get_table_names())
    assert "authority_alias" not in tables and "authority" in tables
    migrate.upgrade(fresh_engine)
    migrate.check_schema(fresh_engine)

    with Session(engine) as session, session.begin():
        authority_id = make_authority(session).id

    def add(name: str) -> None:
        with Session(engine) as session, session.begin():
            session.add(AuthorityAlias(authority_id=authority_id, name=name, created_by="ana"))

    add("Hull City Council")
    with pytest.raises(IntegrityError):
        add("Hull City Council")
    with Session(engine) as session, session.begin():
        session.execute(text("DELETE FROM authority WHERE id = :i"), {"i": authority_id})
    with engine.connect() as conn:
        left = conn.execute(
            text("SELECT count(*) FROM authority_alias WHERE authority_id = :i"),
            {"i": authority_id},
        )
        assert left.scalar_one() == 0


BEFORE_PENDING = "a41c7e9d5b20"  # the revision before inventory_pending


def test_inventory_pending_comes_and_goes(fresh_engine: Engine) -> None:
    """The inventory_pending migration adds its table and its downgrade removes it only."""
    migrate.upgrade(fresh_engine)
    assert "inventory_pending" in inspect(fresh_engine).get_table_names()
    migrate.downgrade(fresh_engine, BEFORE_PENDING)
    tables = set(inspect(fresh_engine).get_table_names())
    assert "inventory_pending" not in tables and "inventory_run" in tables
    migrate.upgrade(fresh_engine)
    migrate.check_schema(fresh_engine)


BEFORE_BATCH_MONTH = "b7d41e9a3c25"


def test_batch_months_are_filled_for_batches_already_imported(fresh_engine: Engine) -> None:
    """Batches imported before batch_month get their rows from the migration (their lines
    per calendar month: count and net spend); a deleted batch gets none; downgrading drops
    the table and upgrading again fills it the same."""
    # Rows are made with today's models at head, then the database is taken down to
    # the revision, holding them as a database of that revision would.
    migrate.upgrade(fresh_engine)
    with Session(fresh_engine) as session, session.begin():
        f = make_factor_set(session, factors={"49": ("Land transport services", "0.4")})
        authority = make_authority(session)
        lines = [Line("Bus Co", "2000.00", "800", f["49"]), Line(None, "-120.50")]
        live = make_run(session, authority=authority, fy_year=2022, lines=lines,
                        whole_year=False, evidence=False, months=False,
                        figures=False)  # fmt: skip
        gone = make_run(session, authority=authority, fy_year=2023, lines=lines[:1],
                        whole_year=False, evidence=False, months=False,
                        figures=False)  # fmt: skip
        batches = {
            run.fy_year: session.scalar(
                text("SELECT id FROM import_batch WHERE authority_id = :a AND file_name = :f"),
                {"a": authority.id, "f": f"spend-{run.fy_year}.csv"},
            )
            for run in (live, gone)
        }
        session.execute(
            text("UPDATE import_batch SET status = 'deleted' WHERE id = :b"), {"b": batches[2023]}
        )
        authority_id = authority.id
    migrate.downgrade(fresh_engine, BEFORE_BATCH_MONTH)

    def rows() -> list[tuple[object, ...]]:
        m = BatchMonth
        with Session(fresh_engine) as session:
            found = session.scalars(select(m).order_by(m.batch_id, m.year, m.month))
            return [(r.batch_id, r.authority_id, r.year, r.month, r.lines, r.amount) for r in found]

    migrate.upgrade(fresh_engine)
    expected = [(batches[2022], authority_id, 2022, 6, 2, Decimal("1879.50"))]
    assert rows() == expected
    migrate.downgrade(fresh_engine, BEFORE_BATCH_MONTH)
    assert "batch_month" not in inspect(fresh_engine).get_table_names()
    migrate.upgrade(fresh_engine)
    assert rows() == expected


BEFORE_RUN_FIGURES = "9b9f943f199c"


def test_run_figures_are_filled_for_runs_already_stored(fresh_engine: Engine) -> None:
    """Runs stored before run_compare_figures get their row from the migration, summed from
    their category rows; downgrading drops the table and upgrading again fills it the same.
    Hand-worked: 2,000 − 500 = 1,500 classified by the fixture's method, 800 − 200 = 600 kg
    in category 49; the excluded and unclassified lines count in neither."""
    # Rows are made with today's models at head, then the database is taken down to
    # the revision, holding them as a database of that revision would.
    migrate.upgrade(fresh_engine)
    with Session(fresh_engine) as session, session.begin():
        f = make_factor_set(session, factors={"49": ("Land transport services", "0.4")})
        lines = [
            Line("Bus Co", "2000.00", "800", f["49"]),
            Line("Bus Co", "-500.00", "-200", f["49"]),
            Line("Bus Co", "300.00", excluded=True),
            Line(None, "120.00"),
        ]
        run = make_run(session, authority=make_authority(session), fy_year=2023, lines=lines,
                       figures=False)  # fmt: skip
        empty = make_run(session, authority=make_authority(session), fy_year=2023, lines=[],
                         figures=False)  # fmt: skip
        method = session.scalar(
            select(LineEmission.method).where(
                LineEmission.run_id == run.id, LineEmission.status == "mapped"
            )
        )
        used = [f["49"].factor_set_id]
        expected = {
            run.id: ({"49": "600"}, {method or "unknown": "1500"}, used),
            empty.id: ({}, {}, []),
        }
    migrate.downgrade(fresh_engine, BEFORE_RUN_FIGURES)

    def rows() -> dict[int, tuple[object, ...]]:
        with Session(fresh_engine) as session:
            found = session.scalars(select(RunCompareFigures))
            return {r.run_id: (r.category_kg, r.method_spend, r.factor_set_ids) for r in found}

    migrate.upgrade(fresh_engine)
    assert {k: (_amounts(kg), _amounts(s), ids) for k, (kg, s, ids) in rows().items()} == {
        k: (_amounts(kg), _amounts(s), ids) for k, (kg, s, ids) in expected.items()
    }
    before = rows()
    migrate.downgrade(fresh_engine, BEFORE_RUN_FIGURES)
    assert "run_compare_figures" not in inspect(fresh_engine).get_table_names()
    migrate.upgrade(fresh_engine)
    assert rows() == before


def _amounts(values: object) -> dict[str, Decimal]:
    """Decimal text as numbers (600.000000 and 600 are the same kgCO2e)."""
    assert isinstance(values, dict)
    return {k: Decimal(v) for k, v in values.items()}


BEFORE_DECISIONS = "743ef73e8b9b"  # run_compare_figures, before contract_link_decision


def test_contract_link_decision_comes_and_goes(fresh_engine: Engine) -> None:
    """The decision migration adds contract_link_decision (one decision per spend line)
    and its downgrade removes it only."""
    migrate.upgrade(fresh_engine)
    inspector = inspect(fresh_engine)
    assert "contract_link_decision" in inspector.get_table_names()
    unique = inspector.get_unique_constraints("contract_link_decision")
    assert [u["column_names"] for u in unique] == [["spend_line_id"]]
    migrate.downgrade(fresh_engine, BEFORE_DECISIONS)
    tables = set(inspect(fresh_engine).get_table_names())
    assert "contract_link_decision" not in tables and "contract_spend_link" in tables


def _batch(session: Session, authority: Authority) -> int:
    batch = ImportBatch(
        authority_id=authority.id, file_name="spend.csv", sha256=uuid.uuid4().hex * 2, size_bytes=1,
        file_format="csv", header_row=1, column_mapping={}, amount_rule="net", rows_read=0,
        rows_imported=0, rows_rejected=0, rows_skipped=0, total_amount=Decimal(0), report={},
    )  # fmt: skip
    session.add(batch)
    session.flush()
    return batch.id


def _add_line(session: Session, authority_id: int, batch_id: int) -> None:
    line = {"authority_id": authority_id, "batch_id": batch_id, "source_row": 2,
            "transaction_date": dt.date(2023, 6, 1), "date_precision": "day",
            "amount": Decimal("10.00"), "currency": "GBP"}  # fmt: skip
    session.execute(insert(SpendLine.__table__).values(line))


def _lines(session: Session, batch_id: int) -> int:
    return session.scalar(select(func.count()).where(SpendLine.batch_id == batch_id)) or 0


def test_a_spend_line_belongs_to_a_batch_of_its_own_authority(session: Session) -> None:
    """spend_line's one key to (batch, authority) refuses a line of another authority's
    batch and a line of no batch, and deleting the batch or the authority deletes the
    lines (as the two keys it replaced did, and stricter)."""
    ours, theirs = make_authority(session), make_authority(session)
    batch, other_batch = _batch(session, ours), _batch(session, ours)
    _add_line(session, ours.id, batch)
    _add_line(session, ours.id, other_batch)
    for authority_id, batch_id in ((theirs.id, batch), (ours.id, batch + other_batch + 1)):
        with pytest.raises(IntegrityError), session.begin_nested():
            _add_line(session, authority_id, batch_id)
    assert (_lines(session, batch), _lines(session, other_batch)) == (1, 1)
    session.execute(delete(ImportBatch).where(ImportBatch.id == batch))
    assert (_lines(session, batch), _lines(session, other_batch)) == (0, 1)
    session.execute(delete(Authority).where(Authority.id == ours.id))
    assert _lines(session, other_batch) == 0


BEFORE_PAIR_KEY = "c5d8e2f1a7b3"


def test_the_batch_and_authority_key_comes_and_goes(fresh_engine: Engine) -> None:
    """Upgrading keeps the lines stored and replaces the two keys by the pair; downgrading
    brings the two keys back, each still refusing a line of no batch or no authority."""
    migrate.upgrade(fresh_engine, BEFORE_PAIR_KEY)

    def keys() -> list[tuple[tuple[str, ...], str]]:
        found = inspect(fresh_engine).get_foreign_keys("spend_line")
        return sorted((tuple(k["constrained_columns"]), k["referred_table"]) for k in found)

    two = [(("authority_id",), "authority"), (("batch_id",), "import_batch"),
           (("supplier_id",), "supplier")]  # fmt: skip
    assert keys() == two
    with Session(fresh_engine) as session, session.begin():
        authority = make_authority(session)
        batch = _batch(session, authority)
        _add_line(session, authority.id, batch)
        authority_id = authority.id
    migrate.upgrade(fresh_engine)
    assert keys() == [(("batch_id", "authority_id"), "import_batch"),
                      (("supplier_id",), "supplier")]  # fmt: skip
    migrate.downgrade(fresh_engine, BEFORE_PAIR_KEY)
    assert keys() == two
    with Session(fresh_engine) as session:
        assert _lines(session, batch) == 1
        for a, b in ((authority_id + 1, batch), (authority_id, batch + 1)):
            with pytest.raises(IntegrityError), session.begin_nested():
                _add_line(session, a, b)
    migrate.upgrade(fresh_engine)
    migrate.check_schema(fresh_engine)


BEFORE_CLASS_DECISION = "5e1f0c2a9d47"  # before line_class.decision


def test_line_classes_already_cached_are_numbered_by_decision(fresh_engine: Engine) -> None:
    """Rows cached before line_class.decision get a number per distinct decision within
    their authority (NULLs alike are alike): equal decisions share one, a difference in
    any one column (here the evidence that lost) makes another, and each authority counts
    from 1. Downgrading drops the column; upgrading numbers them the same again."""
    migrate.upgrade(fresh_engine, BEFORE_CLASS_DECISION)
    with Session(fresh_engine) as session, session.begin():
        ours, theirs = make_authority(session).id, make_authority(session).id
    legal = ("mapped", "69.1", "library", "L042", "high", None)
    unmapped = ("unmapped", None, None, "", None, None)
    rows = [
        (ours, "k1", *legal), (ours, "k2", *legal), (ours, "k3", *unmapped),
        (ours, "k4", *unmapped), (ours, "k5", *unmapped[:-1], "evidence lost"),
        (theirs, "k1", *legal),
    ]  # fmt: skip
    with fresh_engine.begin() as conn:
        for row in rows:
            conn.execute(
                text(
                    "INSERT INTO line_class (authority_id, class_key, status, defra_group,"
                    " method, rule_ref, confidence, overruled, fingerprint)"
                    " VALUES (:a, :k, :s, :g, :m, :r, :c, :o, 'f')"
                ),
                dict(zip(("a", "k", "s", "g", "m", "r", "c", "o"), row, strict=True)),
            )

    def numbers() -> dict[tuple[object, ...], object]:
        with fresh_engine.connect() as conn:
            found = conn.execute(text("SELECT authority_id, class_key, decision FROM line_class"))
            return {(a, k): n for a, k, n in found}

    migrate.upgrade(fresh_engine)
    first = numbers()
    assert first[(ours, "k1")] == first[(ours, "k2")]
    assert first[(ours, "k3")] == first[(ours, "k4")]
    assert len({first[(ours, k)] for k in ("k1", "k3", "k5")}) == 3
    assert {first[(ours, k)] for k in ("k1", "k3", "k5")} == {1, 2, 3}
    assert first[(theirs, "k1")] == 1
    migrate.downgrade(fresh_engine, BEFORE_CLASS_DECISION)
    columns = {c["name"] for c in inspect(fresh_engine).get_columns("line_class")}
    assert "decision" not in columns
    migrate.upgrade(fresh_engine)
    assert numbers() == first


BEFORE_COLLABORATION_FIGURES = "5d2e8c1f7a90"


def test_collaboration_figures_are_filled_for_runs_already_stored(fresh_engine: Engine) -> None:
    """Runs stored before run_collaboration_figures get their row from the migration,
    summed from their summary rows; downgrading drops the table and upgrading again fills
    it the same. Hand-worked: Bus Co 2,000 − 500 = 1,500 in scope (800 − 200 = 600 kg; the
    excluded 300 left out); Refunds Ltd nets −50, not bought from; the unclassified 120 of
    Misc counts for it (0 kg) and in no category; category 49 holds 2,000 − 500 − 50 =
    1,450 and 800 − 200 − 20 = 580 kg."""
    # Rows are made with today's models at head, then the database is taken down to
    # the revision, holding them as a database of that revision would.
    migrate.upgrade(fresh_engine)
    with Session(fresh_engine) as session, session.begin():
        f = make_factor_set(session, factors={"49": ("Land transport services", "0.4")})
        lines = [
            Line("Bus Co", "2000.00", "800", f["49"]),
            Line("Bus Co", "-500.00", "-200", f["49"]),
            Line("Bus Co", "300.00", excluded=True),
            Line("Refunds Ltd", "-50.00", "-20", f["49"]),
            Line("Misc", "120.00"),
        ]
        suppliers: dict[str, int] = {}
        run = make_run(session, authority=make_authority(session), fy_year=2023, lines=lines,
                       supplier_ids=suppliers, figures=False)  # fmt: skip
        empty = make_run(session, authority=make_authority(session), fy_year=2023, lines=[],
                         figures=False)  # fmt: skip
        bus, misc = sorted([suppliers["Bus Co"], suppliers["Misc"]])
        amounts = {bus: [150_000, 600_000_000], misc: [12_000, 0]}  # hundredths, millionths
        expected = {
            run.id: (
                {"ids": [bus, misc], "spend": [amounts[bus][0], amounts[misc][0]],
                 "kg": [amounts[bus][1], amounts[misc][1]]},
                {"codes": ["49"], "spend": [145_000], "kg": [580_000_000]},
            ),
            empty.id: ({"ids": [], "spend": [], "kg": []}, {"codes": [], "spend": [], "kg": []}),
        }  # fmt: skip
    migrate.downgrade(fresh_engine, BEFORE_COLLABORATION_FIGURES)

    def rows() -> dict[int, tuple[object, ...]]:
        with Session(fresh_engine) as session:
            found = session.scalars(select(RunCollaborationFigures))
            return {r.run_id: (r.suppliers, r.categories) for r in found}

    migrate.upgrade(fresh_engine)
    assert rows() == expected
    before = rows()
    migrate.downgrade(fresh_engine, BEFORE_COLLABORATION_FIGURES)
    assert "run_collaboration_figures" not in inspect(fresh_engine).get_table_names()
    migrate.upgrade(fresh_engine)
    assert rows() == before


BEFORE_EMISSION_KEYS = "73127d892bd8"  # run_collaboration_figures, before line_emission_key
WIDE = (
    "SELECT run_id, spend_line_id, status, method, category_code, factor_id, factor_value, "
    "dq, reason, spend_in_factor_year, kgco2e FROM line_emission ORDER BY run_id, spend_line_id"
)


def test_line_emissions_already_stored_are_keyed_per_run(fresh_engine: Engine) -> None:
    """Wide line_emission rows stored before line_emission_key get one key per distinct
    set of shared fields within their run (NULLs alike are alike), numbered from 1 in each
    run: of run 1's three lines, two of Bus Co with equal fields share a key and the
    unclassified line has its own; run 2's one line is key 1 of its run. Amounts stay
    with their lines, and downgrading gives back the same wide rows."""
    migrate.upgrade(fresh_engine)
    with Session(fresh_engine) as session, session.begin():
        f = make_factor_set(session, factors={"49": ("Land transport services", "0.4")})
        authority = make_authority(session)
        lines = [
            Line("Bus Co", "2000.00", "800", f["49"]),
            Line("Bus Co", "-500.00", "-200", f["49"]),
            Line(None, "120.00"),
        ]
        first = make_run(session, authority=authority, fy_year=2022, lines=lines)
        second = make_run(session, authority=authority, fy_year=2023, lines=lines[:1])
        runs = (first.id, second.id)
    migrate.downgrade(fresh_engine, BEFORE_EMISSION_KEYS)
    with fresh_engine.connect() as conn:
        wide = [tuple(r) for r in conn.execute(text(WIDE))]
    assert [(r[0], r[2], float(r[-1])) for r in wide] == [
        (runs[0], "mapped", 800.0),
        (runs[0], "mapped", -200.0),
        (runs[0], "unmapped", 0.0),
        (runs[1], "mapped", 800.0),
    ]
    migrate.upgrade(fresh_engine)
    with fresh_engine.connect() as conn:
        keyed = conn.execute(
            text(
                "SELECT run_id, spend_line_id, key_id, kgco2e FROM line_emission "
                "ORDER BY run_id, spend_line_id"
            )
        ).all()
        keys = conn.execute(
            text("SELECT run_id, key_id, status FROM line_emission_key ORDER BY run_id, key_id")
        ).all()
    assert [(r[0], r[1]) for r in keyed] == [(r[0], r[1]) for r in wide]
    assert [float(r[3]) for r in keyed] == [800.0, -200.0, 0.0, 800.0]
    bus, bus_refund, unmapped, other_year = (r[2] for r in keyed)
    assert bus == bus_refund != unmapped
    assert other_year == 1
    assert sorted((r[0], r[1]) for r in keys) == [(runs[0], 1), (runs[0], 2), (runs[1], 1)]
    migrate.downgrade(fresh_engine, BEFORE_EMISSION_KEYS)
    with fresh_engine.connect() as conn:
        assert [tuple(r) for r in conn.execute(text(WIDE))] == wide
    migrate.upgrade(fresh_engine)
    migrate.check_schema(fresh_engine)
