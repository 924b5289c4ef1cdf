"""run collaboration figures

What /collaboration reads of each run, one row per run (in-scope spend and kgCO2e per
supplier record bought from, classified spend and kgCO2e per category code), summed from
the run's run_supplier_total and run_category_total rows in the transaction that writes
them. Filled here for every run already stored, summed from its summary rows the same way
(tracker.services.inventory.collaboration_figures.figures_of).

Revision ID: 73127d892bd8
Revises: 5d2e8c1f7a90
Create Date: 2026-12-07 06:25:00
"""

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "73127d892bd8"
down_revision: str | None = "5d2e8c1f7a90"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_run = sa.table("inventory_run", sa.column("id"))
_supplier = sa.table(
    "run_supplier_total",
    sa.column("id"),
    sa.column("run_id"),
    sa.column("supplier_id"),
    sa.column("status"),
    sa.column("spend", sa.Numeric(18, 2)),
    sa.column("kgco2e", sa.Numeric(24, 6)),
)
_category = sa.table(
    "run_category_total",
    sa.column("id"),
    sa.column("run_id"),
    sa.column("status"),
    sa.column("category_code"),
    sa.column("spend", sa.Numeric(18, 2)),
    sa.column("kgco2e", sa.Numeric(24, 6)),
)
_figures = sa.table(
    "run_collaboration_figures",
    sa.column("run_id"),
    sa.column("suppliers", sa.JSON()),
    sa.column("categories", sa.JSON()),
)
RUNS_AT_A_TIME = 100  # a real run has up to a few thousand supplier rows


def _units(value: Any, places: int) -> int:
    scaled = Decimal(value).scaleb(places)
    if scaled != int(scaled):
        raise ValueError(f"{value} has more than {places} decimal places")
    return int(scaled)


def _sums(rows: Sequence[Any]) -> dict[Any, list[int]]:
    """Spend in hundredths and kgCO2e in millionths of a kg, summed by key."""
    out: dict[Any, list[int]] = {}
    for key, spend, kg in rows:
        entry = out.setdefault(key, [0, 0])
        entry[0] += _units(spend, 2)
        entry[1] += _units(kg, 6)
    return out


def _lists(sums: dict[Any, list[int]], name: str) -> dict[str, list[Any]]:
    keys = sorted(sums)
    return {name: keys, "spend": [sums[k][0] for k in keys], "kg": [sums[k][1] for k in keys]}


def _rows_by_run(
    conn: sa.Connection, table: sa.TableClause, key: str, status: Any, run_ids: list[int]
) -> dict[int, list[Any]]:
    c = table.c
    out: dict[int, list[Any]] = {run_id: [] for run_id in run_ids}
    for run_id, *row in conn.execute(
        sa.select(c.run_id, c[key], c.spend, c.kgco2e)
        .where(c.run_id.in_(run_ids), c[key].is_not(None), status)
        .order_by(c.run_id, c.id)
    ):
        out[run_id].append(row)
    return out


def _backfill(conn: sa.Connection) -> Iterator[list[dict[str, Any]]]:
    """Every run's row, RUNS_AT_A_TIME runs at a time (their summary rows in memory), as
    tracker.services.inventory.collaboration_figures writes it."""
    run_ids = list(conn.scalars(sa.select(_run.c.id).order_by(_run.c.id)))
    for i in range(0, len(run_ids), RUNS_AT_A_TIME):
        some = run_ids[i : i + RUNS_AT_A_TIME]
        in_scope = _supplier.c.status != "excluded"
        suppliers = _rows_by_run(conn, _supplier, "supplier_id", in_scope, some)
        classified = _category.c.status == "mapped"
        categories = _rows_by_run(conn, _category, "category_code", classified, some)
        yield [
            {
                "run_id": run_id,
                "suppliers": _lists(
                    {sid: v for sid, v in _sums(suppliers[run_id]).items() if v[0] > 0}, "ids"
                ),
                "categories": _lists(_sums(categories[run_id]), "codes"),
            }
            for run_id in some
        ]


def upgrade() -> None:
    op.create_table(
        "run_collaboration_figures",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("suppliers", sa.JSON(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["inventory_run.id"],
            name=op.f("fk_run_collaboration_figures_run_id_inventory_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_run_collaboration_figures")),
    )
    conn = op.get_bind()
    for rows in _backfill(conn):
        if rows:
            conn.execute(_figures.insert(), rows)


def downgrade() -> None:
    op.drop_table("run_collaboration_figures")
