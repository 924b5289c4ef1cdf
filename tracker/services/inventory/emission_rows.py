"""A run's line emissions as stored: one ``line_emission_key`` row per key (everything
the key's lines share) and one slim ``line_emission`` row per line (its key and two
amounts). ``KeyedRows`` splits whole rows, as the per-line path makes them, into the two;
the set path (tracker.services.inventory.keys) writes them from its keys directly."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from tracker.models import LineEmissionKey
from tracker.models.emissions import line_emission_table
from tracker.storage.bulk import bulk_insert

KEY_TABLE = cast(Table, LineEmissionKey.__table__)
# What every line of a key shares, in line_emission_key's column order.
KEY_FIELDS = tuple(c.name for c in KEY_TABLE.columns if c.name not in ("run_id", "key_id"))
KEY_COLUMNS = ("run_id", "key_id", *KEY_FIELDS)
LINE_COLUMNS = tuple(c.name for c in line_emission_table.columns)
AMOUNT_FIELDS = ("spend_in_factor_year", "kgco2e")
# Every field of a whole row (the per-line path's rows, and LineEmission's attributes).
ROW_FIELDS = ("run_id", "spend_line_id", *KEY_FIELDS, *AMOUNT_FIELDS)


class KeyedRows:
    """Numbers the distinct key fields of a run's whole rows, 1, 2, 3 … in the order met."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.ids: dict[tuple[Any, ...], int] = {}
        self.new_keys: list[dict[str, Any]] = []  # met since last taken

    def line(self, row: dict[str, Any]) -> dict[str, Any]:
        """``row``'s line_emission row, its key numbered (and kept if new)."""
        fields = tuple(row[name] for name in KEY_FIELDS)
        key_id = self.ids.get(fields)
        if key_id is None:
            key_id = self.ids[fields] = len(self.ids) + 1
            named = dict(zip(KEY_FIELDS, fields, strict=True))
            self.new_keys.append({"run_id": self.run_id, "key_id": key_id, **named})
        return {
            "run_id": self.run_id,
            "spend_line_id": row["spend_line_id"],
            "key_id": key_id,
            "spend_in_factor_year": row["spend_in_factor_year"],
            "kgco2e": row["kgco2e"],
        }

    def take_new_keys(self) -> list[dict[str, Any]]:
        out, self.new_keys = self.new_keys, []
        return out


def write_rows(session: Session, run_id: int, rows: Iterable[dict[str, Any]], chunk: int) -> int:
    """Store whole rows of run ``run_id`` ``chunk`` lines at a time, each chunk's new keys
    first; return how many lines."""
    keyed = KeyedRows(run_id)
    written = 0
    it: Iterator[dict[str, Any]] = iter(rows)
    while batch := [keyed.line(row) for row in islice(it, chunk)]:
        bulk_insert(session, KEY_TABLE, keyed.take_new_keys(), columns=KEY_COLUMNS)
        written += bulk_insert(session, line_emission_table, batch, columns=LINE_COLUMNS)
    return written
