"""run compare figures

What /compare reads of each run, one row per run (classified kgCO2e per category code,
classified spend per classification method, the factor sets used), summed from the run's
run_category_total rows in the transaction that writes them. Filled here for every run
already stored, summed from its category rows the same way
(tracker.services.inventory.run_figures.figures_of).

Revision ID: 743ef73e8b9b
Revises: 9b9f943f199c
Create Date: 2026-12-07 05:20:00
"""

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "743ef73e8b9b"
down_revision: str | None = "9b9f943f199c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_run = sa.table("inventory_run", sa.column("id"))
_category = sa.table(
    "run_category_total",
    sa.column("id"),
    sa.column("run_id"),
    sa.column("status"),
    sa.column("category_code"),
    sa.column("method"),
    sa.column("factor_set_id"),
    sa.column("spend", sa.Numeric(18, 2)),
    sa.column("kgco2e", sa.Numeric(24, 6)),
)
_figures = sa.table(
    "run_compare_figures",
    sa.column("run_id"),
    sa.column("category_kg", sa.JSON()),
    sa.column("method_spend", sa.JSON()),
    sa.column("factor_set_ids", sa.JSON()),
)
RUNS_AT_A_TIME = 100  # a real run has up to a few thousand category rows


def _figures_of(run_id: int, rows: Sequence[Any]) -> dict[str, Any]:
    """One run's row, as tracker.services.inventory.run_figures writes it."""
    kg: dict[str, Decimal] = {}
    spend: dict[str, Decimal] = {}
    sets: set[int] = set()
    for status, code, method, factor_set_id, amount, kgco2e in rows:
        if factor_set_id is not None:
            sets.add(factor_set_id)
        if status != "mapped":
            continue
        spend[method or "unknown"] = spend.get(method or "unknown", Decimal(0)) + Decimal(amount)
        if code is not None:
            kg[code] = kg.get(code, Decimal(0)) + Decimal(kgco2e)
    return {
        "run_id": run_id,
        "category_kg": {c: str(v) for c, v in kg.items()},
        "method_spend": {m: str(v) for m, v in spend.items()},
        "factor_set_ids": sorted(sets),
    }


def _backfill(conn: sa.Connection) -> Iterator[list[dict[str, Any]]]:
    """Every run's row, RUNS_AT_A_TIME runs at a time (their category rows in memory)."""
    run_ids = list(conn.scalars(sa.select(_run.c.id).order_by(_run.c.id)))
    c = _category.c
    for i in range(0, len(run_ids), RUNS_AT_A_TIME):
        some = run_ids[i : i + RUNS_AT_A_TIME]
        rows: dict[int, list[Any]] = {run_id: [] for run_id in some}
        for run_id, *row in conn.execute(
            sa.select(
                c.run_id, c.status, c.category_code, c.method, c.factor_set_id, c.spend, c.kgco2e
            )
            .where(c.run_id.in_(some))
            .order_by(c.run_id, c.id)
        ):
            rows[run_id].append(row)
        yield [_figures_of(run_id, found) for run_id, found in rows.items()]


def upgrade() -> None:
    op.create_table(
        "run_compare_figures",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("category_kg", sa.JSON(), nullable=False),
        sa.Column("method_spend", sa.JSON(), nullable=False),
        sa.Column("factor_set_ids", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["inventory_run.id"],
            name=op.f("fk_run_compare_figures_run_id_inventory_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_run_compare_figures")),
    )
    conn = op.get_bind()
    for rows in _backfill(conn):
        if rows:
            conn.execute(_figures.insert(), rows)


def downgrade() -> None:
    op.drop_table("run_compare_figures")
