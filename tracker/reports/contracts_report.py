"""Contract imports and contract lists as text for the command line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tracker.importers.contracts import FLAG_TEXT, FORMAT_NAMES
from tracker.services.contracts.imports import ContractImportResult
from tracker.services.contracts.listing import ContractPage


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{code} {n:,}" for code, n in sorted(counts.items()) if n) or "none"


def render_contract_import(result: ContractImportResult, *, max_items: int = 20) -> str:
    head = (
        f"Checked (dry run, nothing stored): {result.file_name}"
        if result.dry_run
        else f"Imported as contract file {result.file_id}: {result.file_name}"
    )
    lines = [
        head,
        f"  {FORMAT_NAMES.get(result.format, result.format)}; {result.records:,} records read, "
        f"{result.contracts_read:,} contracts in the file",
        f"  added: {_counts(result.added)}",
        f"  updated: {_counts(result.updated)}",
        f"  unchanged: {_counts(result.unchanged)}",
    ]
    if any(result.superseded.values()):
        lines.append(f"  planned contracts replaced by their award: {_counts(result.superseded)}")
    lines += [f"  buyer mapped: {m}" for m in result.mapped]
    if result.payments_linked:
        lines.append(f"  payments linked to contracts: {_counts(result.payments_linked)}")
    for title, buyers in (
        ("buyers not mapped to an authority (not imported)", result.unmapped),
        ("buyers mapped to authorities not named (not imported)", result.elsewhere),
    ):
        if buyers:
            lines.append(f"  {len(buyers):,} {title}, most contracts first:")
            lines += [f"    {n:>6,}  {name}" for name, n in list(buyers.items())[:max_items]]
            if len(buyers) > max_items:
                lines.append(f"    … and {len(buyers) - max_items:,} more (--json lists all)")
    for flag, n in sorted(result.flags.items()):
        lines.append(f"  {n:,} contract(s) flagged: {FLAG_TEXT.get(flag, flag)}")
    for title, items in (("refused", result.refused), ("not contracts", result.skipped)):
        if items:
            lines.append(f"  {len(items):,} {title}:")
            lines += [f"    {r.text(result.file_name)}" for r in items[:max_items]]
            if len(items) > max_items:
                lines.append(f"    … and {len(items) - max_items:,} more (--json lists all)")
    return "\n".join(lines)


def _date(value: dt.date | None) -> str:
    return value.strftime("%d %b %Y") if value else "–"


def _value(value: Decimal | None, currency: str | None) -> str:
    """Whole units: ``£93,007``, ``USD 487,280``; none given, an en dash."""
    if value is None:
        return "–"
    sign, unit = ("-" if value < 0 else ""), (currency or "")
    prefix = "£" if unit == "GBP" else f"{unit} " if unit else ""
    return f"{sign}{prefix}{abs(value):,.0f}"


def render_contract_page(page: ContractPage) -> str:
    if not page.total:
        return "No contracts."
    first = (page.page - 1) * page.page_size + 1
    lines = [f"Showing {first:,}–{first + len(page.rows) - 1:,} of {page.total:,} contracts"]
    for r in page.rows:
        suppliers = ", ".join(r.suppliers) or "no supplier named"
        lines.append(
            f"{r.authority_code:<6} ends {_date(r.end_date):<11} "
            f"{_value(r.value, r.currency):>10}  {r.status:<9} {r.title[:60]}"
        )
        lines.append(f"{'':<6} {r.category[:50]} · {suppliers[:80]}")
    return "\n".join(lines)
