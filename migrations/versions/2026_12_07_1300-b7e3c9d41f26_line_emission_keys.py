"""line emission keys

A run's line emissions were one 26-column row per line, 21 of them the same for every
line of a key (outcome, classification, factor, price indices, deflator, exchange rate,
data quality). They are now stored once per key of a run in ``line_emission_key``, and
``line_emission`` keeps per line only its run, spend line, key and two amounts, with
the primary key (run_id, spend_line_id) instead of a surrogate id. Its foreign keys are
(run_id, key_id) to its key (which cascades from the run) and spend_line_id: two checks
per line on PostgreSQL instead of five.

Rows already stored are moved: each run's distinct combinations of the 21 columns are
numbered 1, 2, 3 … (DENSE_RANK over all of them, NULLs alike) and each line points to
its own. The downgrade joins them back into the wide table. On a partitioned
line_emission (tracker db partition-sql) the new table is a plain one: partition it again.

Revision ID: b7e3c9d41f26
Revises: 73127d892bd8
Create Date: 2026-12-07 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7e3c9d41f26"
down_revision: str | None = "73127d892bd8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The 21 columns that are the same for every line of a key (frozen copy of the model's).
_KEY_COLUMNS = (
    ("status", sa.String(16), False),
    ("scope3_category", sa.Integer(), True),
    ("confidence", sa.String(8), True),
    ("dq", sa.String(5), True),
    ("method", sa.String(32), True),
    ("match_level", sa.String(32), True),
    ("matched_code", sa.String(100), True),
    ("decided_by", sa.String(200), True),
    ("overruled", sa.String(200), True),
    ("reason", sa.Text(), True),
    ("category_code", sa.String(32), True),
    ("factor_id", sa.Integer(), True),
    ("factor_set_id", sa.Integer(), True),
    ("factor_year", sa.Integer(), True),
    ("factor_value", sa.Numeric(24, 12), True),
    ("price_index_key", sa.String(64), True),
    ("price_index_spend_year", sa.Numeric(18, 6), True),
    ("price_index_factor_year", sa.Numeric(18, 6), True),
    ("deflator", sa.Numeric(24, 12), True),
    ("fx_rate", sa.Numeric(18, 8), True),
    ("supplier_factor_id", sa.Integer(), True),
)
_NAMES = tuple(name for name, _, _ in _KEY_COLUMNS)
_FIELDS = ", ".join(_NAMES)
_RANK = f"DENSE_RANK() OVER (PARTITION BY run_id ORDER BY {_FIELDS})"
_REFERENCES = (
    ("factor_id", "factor"),
    ("factor_set_id", "factor_set"),
    ("supplier_factor_id", "supplier_factor"),
)


def _key_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [sa.Column(name, type_, nullable=null) for name, type_, null in _KEY_COLUMNS]


def _factor_keys(table: str) -> list[sa.ForeignKeyConstraint]:
    return [
        sa.ForeignKeyConstraint([column], [f"{refers}.id"], name=f"fk_{table}_{column}_{refers}")
        for column, refers in _REFERENCES
    ]


def _spend_line_key() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["spend_line_id"],
        ["spend_line.id"],
        name="fk_line_emission_spend_line_id_spend_line",
        ondelete="CASCADE",
    )


def _primary_key_name(final: str) -> str:
    """A new table's primary key name while the old table still holds ``final`` (an
    index name on PostgreSQL, which must be unique; SQLite has no such names)."""
    return final if op.get_bind().dialect.name == "sqlite" else f"{final}_new"


def _rename_primary_key(table: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute(f"ALTER TABLE {table} RENAME CONSTRAINT pk_{table}_new TO pk_{table}")


def upgrade() -> None:
    op.create_table(
        "line_emission_key",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False, autoincrement=False),
        *_key_columns(),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["inventory_run.id"],
            name="fk_line_emission_key_run_id_inventory_run",
            ondelete="CASCADE",
        ),
        *_factor_keys("line_emission_key"),
        sa.PrimaryKeyConstraint("run_id", "key_id", name="pk_line_emission_key"),
    )
    op.execute(
        f"INSERT INTO line_emission_key (run_id, key_id, {_FIELDS}) "
        f"SELECT DISTINCT run_id, {_RANK}, {_FIELDS} FROM line_emission"
    )
    op.create_table(
        "line_emission_new",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("spend_line_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("spend_in_factor_year", sa.Numeric(24, 6), nullable=True),
        sa.Column("kgco2e", sa.Numeric(24, 6), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id", "key_id"],
            ["line_emission_key.run_id", "line_emission_key.key_id"],
            name="fk_line_emission_run_id_line_emission_key",
            ondelete="CASCADE",
        ),
        _spend_line_key(),
        sa.PrimaryKeyConstraint(
            "run_id", "spend_line_id", name=_primary_key_name("pk_line_emission")
        ),
    )
    op.execute(
        "INSERT INTO line_emission_new (run_id, spend_line_id, key_id, spend_in_factor_year, "
        f"kgco2e) SELECT run_id, spend_line_id, {_RANK}, spend_in_factor_year, kgco2e "
        "FROM line_emission"
    )
    op.drop_table("line_emission")
    op.rename_table("line_emission_new", "line_emission")
    _rename_primary_key("line_emission")
    op.create_index("ix_line_emission_spend_line", "line_emission", ["spend_line_id"])


def downgrade() -> None:
    op.create_table(
        "line_emission_wide",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("spend_line_id", sa.Integer(), nullable=False),
        *_key_columns(),
        sa.Column("spend_in_factor_year", sa.Numeric(24, 6), nullable=True),
        sa.Column("kgco2e", sa.Numeric(24, 6), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["inventory_run.id"],
            name="fk_line_emission_run_id_inventory_run",
            ondelete="CASCADE",
        ),
        _spend_line_key(),
        *_factor_keys("line_emission"),
        sa.PrimaryKeyConstraint("id", name=_primary_key_name("pk_line_emission")),
    )
    keyed = ", ".join(f"k.{name}" for name in _NAMES)
    op.execute(
        "INSERT INTO line_emission_wide (id, run_id, spend_line_id, "
        f"{_FIELDS}, spend_in_factor_year, kgco2e) "
        "SELECT ROW_NUMBER() OVER (ORDER BY e.run_id, e.spend_line_id), e.run_id, "
        f"e.spend_line_id, {keyed}, e.spend_in_factor_year, e.kgco2e "
        "FROM line_emission e JOIN line_emission_key k "
        "ON k.run_id = e.run_id AND k.key_id = e.key_id"
    )
    op.drop_table("line_emission")
    op.drop_table("line_emission_key")
    op.rename_table("line_emission_wide", "line_emission")
    _rename_primary_key("line_emission")
    if op.get_bind().dialect.name == "postgresql":  # the ids were given, not drawn
        op.execute("CREATE SEQUENCE line_emission_id_seq OWNED BY line_emission.id")
        op.execute(
            "ALTER TABLE line_emission ALTER COLUMN id SET DEFAULT nextval('line_emission_id_seq')"
        )
        op.execute(
            "SELECT setval('line_emission_id_seq', COALESCE((SELECT max(id) FROM line_emission), 0) + 1, false)"
        )
    op.create_index("ix_line_emission_run", "line_emission", ["run_id"])
    op.create_index("ix_line_emission_spend_line", "line_emission", ["spend_line_id"])
