"""Paged tables (dashboards.components.paged): plain records with hidden sort values, and
the server-side sort a click on a column header asks for."""

from __future__ import annotations

from decimal import Decimal

import pytest
from dash.exceptions import PreventUpdate
from dash_tree import by_id, text

from dashboards.callbacks.paged import on_sort
from dashboards.components.paged import Column, paged_table, records, sort_records

ROWS = [("Ashby", Decimal("2400")), ("bexley", None), ("Carden", Decimal("900"))]
COLUMNS = (
    Column("name", "Authority", lambda r: r[0]),
    Column("kg", "Emissions", lambda r: "–" if r[1] is None else f"{r[1] / 1000:,.1f} t",
           lambda r: r[1]),
)  # fmt: skip


def test_records_hold_text_and_sort_values() -> None:
    assert records(COLUMNS, ROWS) == [
        {"name": "Ashby", "kg": "2.4 t", "kg__sort": 2400.0},
        {"name": "bexley", "kg": "–", "kg__sort": None},
        {"name": "Carden", "kg": "0.9 t", "kg__sort": 900.0},
    ]


def test_sort_by_number_not_text_and_missing_last() -> None:
    data = records(COLUMNS, ROWS)
    up = sort_records(data, [{"column_id": "kg", "direction": "asc"}])
    assert [r["name"] for r in up] == ["Carden", "Ashby", "bexley"]  # 900 < 2,400 kg
    down = sort_records(data, [{"column_id": "kg", "direction": "desc"}])
    assert [r["name"] for r in down] == ["Ashby", "Carden", "bexley"]
    by_name = sort_records(data, [{"column_id": "name", "direction": "desc"}])
    assert [r["name"] for r in by_name] == ["Carden", "bexley", "Ashby"]  # case-insensitive
    assert sort_records(data, []) == data


def test_sort_callback_ignores_what_a_page_never_sends() -> None:
    with pytest.raises(PreventUpdate):
        on_sort([], [{"name": "Ashby"}])
    odd = [{"name": 3}, {"name": "Ashby"}, "not a row"]
    assert on_sort([{"column_id": "name", "direction": "asc"}], odd) == [
        {"name": 3},
        {"name": "Ashby"},
    ]


def test_paged_table_shows_headers_caption_and_cells() -> None:
    table = paged_table("t", COLUMNS, ROWS, caption="Figures", page_size=2)
    assert by_id(table, "t").page_size == 2
    assert text(table) == "Figures Authority Emissions Ashby 2.4 t bexley – Carden 0.9 t"
