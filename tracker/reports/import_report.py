"""The import report as text for the command line."""

from __future__ import annotations

from decimal import Decimal

from tracker.domain.money import money_exact
from tracker.services.imports import ImportResult


def render_import_result(
    result: ImportResult, *, preview_rows: int = 0, max_errors: int = 20
) -> str:
    lines: list[str] = []
    if result.dry_run:
        lines.append(f"Checked (dry run, nothing stored): {result.file_name}")
    else:
        lines.append(f"Imported as batch {result.batch_id}: {result.file_name}")
    where = [f"format {result.file_format}"]
    if result.encoding:
        where.append(f"encoding {result.encoding}")
    if result.sheet:
        where.append(f"sheet {result.sheet!r}")
    where.append(f"header on row {result.header_row}")
    where.append(f"amount rule: {result.amount_rule}")
    lines.append("  " + ", ".join(where))
    lines.append("  columns: " + ", ".join(f"{k}={v!r}" for k, v in result.mapping.items()))
    skipped = sum(result.rows_skipped.values())
    lines.append(
        f"  rows read {result.rows_read:,}, imported {result.rows_imported:,}, "
        f"rejected {result.rows_rejected:,}, skipped {skipped:,}"
        + (f" {result.rows_skipped}" if result.rows_skipped else "")
    )
    lines.append(
        f"  total {result.total_amount:,.2f}, dates {result.date_min} to {result.date_max}"
    )
    lines.extend(f"  note: {note}" for note in result.notes)
    if result.other_organisation and result.dry_run:
        lines.append(
            f"  WARNING: {result.other_organisation} The import will be refused unless "
            "--confirm-organisation is given."
        )
    overlap = result.overlap
    if overlap.get("rows"):
        action = result.overlap_action or "none chosen yet (use --on-overlap skip|replace)"
        lines.append(
            f"  overlap: {overlap['rows']:,} rows "
            f"({money_exact(Decimal(str(overlap['amount'])), result.currency)}) already stored; "
            f"action: {action}"
        )
    if result.replaced_batches:
        lines.append("  replaced batches: " + ", ".join(map(str, result.replaced_batches)))
    for err in result.errors[:max_errors]:
        column = f", column {err.column!r}" if err.column else ""
        lines.append(f"  row {err.row}{column}: {err.message}")
    if len(result.errors) > max_errors:
        lines.append(
            f"  … and {len(result.errors) - max_errors} more problems (use --json for all)"
        )
    if preview_rows:
        lines.append(
            f"  first {min(preview_rows, len(result.preview))} rows as they will be stored:"
        )
        for row in result.preview[:preview_rows]:
            lines.append("    " + ", ".join(f"{k}={v}" for k, v in row.items()))
    return "\n".join(lines)
