"""PostgreSQL partitioned layouts for the two big tables, for a national deployment.

``spend_line`` is partitioned by HASH of ``authority_id`` (every dashboard and inventory
query names one authority, so it reads one partition) or by RANGE of ``transaction_date``
in calendar years (a financial year reads two; old years can be detached and archived).
``line_emission`` is partitioned by HASH of ``run_id`` (every breakdown reads one run;
its keys, ``line_emission_key``, are a few per run and stay one table).
See docs/scaling.md for the choice, the indexes and how to adopt it.

:func:`partition_script` writes the DDL of a partitioned copy of a table with the same
columns, defaults and indexes; it is plain SQL for a DBA to review and run (``tracker db
partition-sql``), and what ``bench/scale_bench.py`` measures. Nothing here runs on SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEMES = ("authority", "year", "run")


@dataclass(frozen=True)
class Layout:
    """How one table is partitioned and which indexes each partition gets."""

    source: str
    key_sql: str  # the PARTITION BY clause
    primary_key: tuple[str, ...]
    indexes: tuple[tuple[str, ...], ...]


_SPEND_INDEXES = (
    ("authority_id", "transaction_date"),
    ("batch_id",),
    ("authority_id", "class_key"),
)
_EMISSION_INDEXES = (("spend_line_id",),)  # the primary key starts with run_id

LAYOUTS = {
    "authority": Layout(
        "spend_line", "HASH (authority_id)", ("id", "authority_id"), _SPEND_INDEXES
    ),
    "year": Layout(
        "spend_line", "RANGE (transaction_date)", ("id", "transaction_date"), _SPEND_INDEXES
    ),
    "run": Layout("line_emission", "HASH (run_id)", ("run_id", "spend_line_id"), _EMISSION_INDEXES),
}


def _ident(name: str) -> str:
    if not name.replace("_", "").isalnum() or not name[0].isalpha():
        raise ValueError(f"not a plain SQL name: {name!r}")
    return name


def partition_script(
    scheme: str,
    *,
    table: str | None = None,
    partitions: int = 16,
    years: range = range(2015, 2031),
) -> list[str]:
    """The statements that create ``table``, a partitioned copy (empty) of the source.

    ``scheme`` is "authority" or "year" (for spend_line) or "run" (for line_emission).
    HASH layouts get ``partitions`` partitions; the year layout one partition per
    calendar year in ``years`` plus a default partition for dates outside them.
    """
    if scheme not in LAYOUTS:
        raise ValueError(f"scheme must be one of {', '.join(SCHEMES)}, not {scheme!r}")
    layout = LAYOUTS[scheme]
    name = _ident(table or f"{layout.source}_by_{scheme}")
    statements = [
        f"CREATE TABLE {name} (LIKE {layout.source} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) "
        f"PARTITION BY {layout.key_sql}",
        f"ALTER TABLE {name} ADD PRIMARY KEY ({', '.join(layout.primary_key)})",
    ]
    if scheme == "year":
        for year in years:
            statements.append(
                f"CREATE TABLE {name}_y{year} PARTITION OF {name} "
                f"FOR VALUES FROM ('{year}-01-01') TO ('{year + 1}-01-01')"
            )
        statements.append(f"CREATE TABLE {name}_default PARTITION OF {name} DEFAULT")
    else:
        if not 1 <= partitions <= 1024:
            raise ValueError(f"partitions must be between 1 and 1024, not {partitions}")
        statements += [
            f"CREATE TABLE {name}_p{i:02d} PARTITION OF {name} "
            f"FOR VALUES WITH (MODULUS {partitions}, REMAINDER {i})"
            for i in range(partitions)
        ]
    # An index on the partitioned table is created on every partition (and on new ones).
    statements += [
        f"CREATE INDEX ix_{name}_{'_'.join(columns)} ON {name} ({', '.join(columns)})"
        for columns in layout.indexes
    ]
    return statements
