"""target baselines recorded

A target records the baseline figure it was set against (the mean of its baseline years'
current inventories, kgCO2e), the inventory version of each baseline year, when and by
whom it was recorded, and the significance threshold (%, default 5) above which a change
of the baseline year's figures should be restated (GHG Protocol base-year recalculation
policy). Existing targets get their baseline years' current figures recorded here; a
target whose baseline years have no inventory yet keeps NULL.

Revision ID: 7b3e9d1c5a20
Revises: 3f6d2a9c41b7
Create Date: 2026-12-06 20:40:00
"""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision: str = "7b3e9d1c5a20"
down_revision: str | None = "3f6d2a9c41b7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MICRO = Decimal("0.000001")


def upgrade() -> None:
    op.add_column("target", sa.Column("baseline_kg", sa.Numeric(24, 6), nullable=True))
    op.add_column("target", sa.Column("baseline_versions", sa.JSON(), nullable=True))
    op.add_column(
        "target", sa.Column("baseline_recorded_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("target", sa.Column("baseline_recorded_by", sa.String(length=200), nullable=True))
    op.add_column(
        "target",
        sa.Column("significance_pct", sa.Numeric(5, 2), nullable=False, server_default="5"),
    )
    _record_baselines()


def _record_baselines() -> None:
    conn = op.get_bind()
    target = sa.table(
        "target",
        sa.column("id", sa.Integer),
        sa.column("authority_id", sa.Integer),
        sa.column("baseline_years", sa.JSON),
        sa.column("baseline_kg", sa.Numeric(24, 6)),
        sa.column("baseline_versions", sa.JSON),
        sa.column("baseline_recorded_at", sa.DateTime(timezone=True)),
        sa.column("baseline_recorded_by", sa.String),
    )
    run = sa.table(
        "inventory_run",
        sa.column("id", sa.Integer),
        sa.column("authority_id", sa.Integer),
        sa.column("fy_year", sa.Integer),
        sa.column("version", sa.Integer),
        sa.column("total_kgco2e", sa.Numeric(24, 6)),
    )
    now = dt.datetime.now(dt.UTC)
    for target_id, authority_id, years in conn.execute(
        sa.select(target.c.id, target.c.authority_id, target.c.baseline_years)
    ).all():
        current: dict[int, tuple[int, Decimal]] = {}
        for year in years:
            # The current run of a year is its latest (highest id), as tracker.queries reads it.
            row = conn.execute(
                sa.select(run.c.version, run.c.total_kgco2e)
                .where(run.c.authority_id == authority_id, run.c.fy_year == year)
                .order_by(run.c.id.desc())
                .limit(1)
            ).first()
            if row is not None:
                current[int(year)] = (int(row[0]), Decimal(str(row[1])))
        if not years or len(current) < len(years):
            continue
        mean = sum((kg for _, kg in current.values()), Decimal(0)) / len(current)
        conn.execute(
            target.update()
            .where(target.c.id == target_id)
            .values(
                baseline_kg=mean.quantize(MICRO),
                baseline_versions={str(y): v for y, (v, _) in sorted(current.items())},
                baseline_recorded_at=now,
                baseline_recorded_by="migration 7b3e9d1c5a20",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("target") as batch:
        batch.drop_column("significance_pct")
        batch.drop_column("baseline_recorded_by")
        batch.drop_column("baseline_recorded_at")
        batch.drop_column("baseline_versions")
        batch.drop_column("baseline_kg")
