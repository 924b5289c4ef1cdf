"""Partitioned layouts on PostgreSQL: the DDL runs, rows land whole, the planner prunes.

Each test works inside one transaction that is rolled back (PostgreSQL DDL is
transactional), so the session's test database is left as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Connection, text

from tracker import migrate
from tracker.cli import cli
from tracker.db import make_engine
from tracker.storage.partitioning import partition_script

# 3,000 lines: line g belongs to authority 1 + g % 20, is dated 2021-01-01 + (g % 1095)
# days (calendar years 2021-2023) and is for (g % 1000) + 0.50.
LINES = (
    "INSERT INTO {table} (id, authority_id, batch_id, source_row, transaction_date, "
    "date_precision, amount, currency) "
    "SELECT g, 1 + g % 20, 1, g, DATE '2021-01-01' + (g % 1095), 'day', (g % 1000) + 0.50, "
    "'GBP' FROM generate_series(1, 3000) AS g"
)


@pytest.fixture
def conn(postgres_url: str) -> Iterator[Connection]:
    engine = make_engine(postgres_url)
    migrate.upgrade(engine)  # the source tables must exist (idempotent at head)
    with engine.connect() as connection:
        trans = connection.begin()
        try:
            yield connection
        finally:
            trans.rollback()
    engine.dispose()


def _run(conn: Connection, statements: list[str]) -> None:
    for statement in statements:
        conn.execute(text(statement))


def _scanned(conn: Connection, query: str) -> set[str]:
    """The tables the planner's plan for ``query`` reads."""
    plan = conn.execute(text(f"EXPLAIN (FORMAT JSON) {query}")).scalar_one()
    found: set[str] = set()

    def walk(node: dict[str, Any]) -> None:
        if "Relation Name" in node:
            found.add(node["Relation Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return found


def _home(conn: Connection, table: str, where: str) -> set[str]:
    """The partitions that hold the rows matching ``where``."""
    rows = conn.execute(
        text(f"SELECT DISTINCT tableoid::regclass::text FROM {table} WHERE {where}")
    )
    return set(rows.scalars())


@pytest.mark.postgres
def test_by_authority_one_authority_reads_one_partition(conn: Connection) -> None:
    # The DDL exactly as `tracker db partition-sql` prints it, without BEGIN/COMMIT.
    printed = CliRunner().invoke(
        cli, ["db", "partition-sql", "--by", "authority", "--partitions", "8", "--table", "sl_a"]
    )
    assert printed.exit_code == 0, printed.output
    statements = [
        s for s in printed.output.split(";\n") if s.strip() not in ("BEGIN", "COMMIT", "")
    ]
    assert len(statements) == 2 + 8 + 3  # table, primary key, partitions, indexes
    _run(conn, statements)
    conn.execute(text(LINES.format(table="sl_a")))
    conn.execute(text("ANALYZE sl_a"))

    # Authority 7 has lines g = 6, 26, …, 2986 (150 lines); g % 1000 runs 6, 26, …, 986
    # three times: 3 × (50 × 6 + 20 × (0 + 1 + … + 49)) = 74,400, plus 150 × 0.50.
    total = conn.execute(text("SELECT count(*), sum(amount) FROM sl_a WHERE authority_id = 7"))
    assert tuple(total.one()) == (150, Decimal("74475.00"))
    assert conn.execute(text("SELECT count(*) FROM sl_a")).scalar_one() == 3000

    home = _home(conn, "sl_a", "authority_id = 7")
    assert len(home) == 1
    query = "SELECT sum(amount) FROM sl_a WHERE authority_id = 7"
    assert _scanned(conn, query) == home
    # Without the authority every partition is read.
    assert len(_scanned(conn, "SELECT sum(amount) FROM sl_a")) == 8


@pytest.mark.postgres
def test_by_year_one_financial_year_reads_two_calendar_partitions(conn: Connection) -> None:
    _run(conn, partition_script("year", table="sl_y", years=range(2020, 2025)))
    conn.execute(text(LINES.format(table="sl_y")))
    conn.execute(text("ANALYZE sl_y"))
    query = (
        "SELECT sum(amount) FROM sl_y WHERE authority_id = 7 "
        "AND transaction_date BETWEEN DATE '2022-04-01' AND DATE '2023-03-31'"
    )
    assert _scanned(conn, query) == {"sl_y_y2022", "sl_y_y2023"}
    assert _home(conn, "sl_y", "transaction_date < DATE '2022-01-01'") == {"sl_y_y2021"}
    assert conn.execute(text("SELECT count(*) FROM sl_y_default")).scalar_one() == 0


@pytest.mark.postgres
def test_line_emissions_by_run_read_one_partition(conn: Connection) -> None:
    _run(conn, partition_script("run", table="le_r", partitions=4))
    conn.execute(
        text(
            "INSERT INTO le_r (run_id, spend_line_id, key_id, kgco2e) "
            "SELECT 1 + g % 10, g, 1, 1 FROM generate_series(1, 1000) AS g"
        )
    )
    conn.execute(text("ANALYZE le_r"))
    query = "SELECT sum(kgco2e) FROM le_r WHERE run_id = 3"
    assert _scanned(conn, query) == _home(conn, "le_r", "run_id = 3")
    assert conn.execute(text(query)).scalar_one() == 100


def test_a_bad_scheme_or_count_is_refused() -> None:
    with pytest.raises(ValueError, match="scheme must be one of"):
        partition_script("supplier")
    with pytest.raises(ValueError, match="between 1 and 1024"):
        partition_script("authority", partitions=0)
    with pytest.raises(ValueError, match="not a plain SQL name"):
        partition_script("authority", table="x; DROP TABLE spend_line")
