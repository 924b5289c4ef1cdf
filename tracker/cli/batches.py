"""`tracker batch ...`: list import batches and delete one as a unit."""

from __future__ import annotations

import click

from tracker.cli.support import TrackerGroup, open_session, print_json
from tracker.config import Settings
from tracker.domain.money import money_exact
from tracker.domain.units import to_tonnes


@click.group("batch", cls=TrackerGroup)
def batch_group() -> None:
    """Imported files (batches): list them, or delete one with everything it added."""


@batch_group.command("list")
@click.option("--authority", "code", required=True)
@click.option("--all", "include_deleted", is_flag=True, help="Include deleted batches.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def batch_list(settings: Settings, code: str, include_deleted: bool, as_json: bool) -> None:
    """List an authority's import batches.

    \b
    Example:
        tracker batch list --authority SAL
    """
    from tracker.services.authorities import get_authority
    from tracker.services.batches import list_batches

    with open_session(settings) as session:
        authority = get_authority(session, code)
        batches = list_batches(session, authority, include_deleted=include_deleted)
        amounts = [money_exact(b.total_amount, authority.currency) for b in batches]
        rows = [
            {
                "batch_id": b.id,
                "file": b.file_name,
                "sha256": b.sha256,
                "imported_at": b.imported_at,
                "status": b.status,
                "rows_imported": b.rows_imported,
                "rows_rejected": b.rows_rejected,
                "total_amount": b.total_amount,
                "date_min": b.date_min,
                "date_max": b.date_max,
            }
            for b in batches
        ]
    if as_json:
        print_json(rows)
        return
    for r, amount in zip(rows, amounts, strict=True):
        click.echo(
            f"{r['batch_id']:>6}  {r['status']:<8} {r['file']}  {r['rows_imported']:,} rows  "
            f"{amount}  {r['date_min']} to {r['date_max']}"
        )


@batch_group.command("delete")
@click.argument("batch_id", type=int)
@click.option("--authority", "code", required=True)
@click.option("--reason", default="deleted by user", show_default=True)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def batch_delete(settings: Settings, batch_id: int, code: str, reason: str, yes: bool) -> None:
    """Delete a batch's lines and recompute the inventories it touched.

    The effect on each financial year is shown first. The batch record and its raw file
    are kept, marked deleted, and the same file can be imported again.

    \b
    Example:
        tracker batch delete 12 --authority SAL --reason "wrong month uploaded"
    """
    from tracker.domain.periods import fy_label
    from tracker.errors import TrackerError
    from tracker.services.authorities import get_authority
    from tracker.services.batches import batch_effect, delete_batch, get_batch
    from tracker.services.recalculate import refresh_inventories

    with open_session(settings) as session:
        authority = get_authority(session, code)
        batch = get_batch(session, authority, batch_id)
        effect = batch_effect(session, authority, batch)
        click.echo(
            f"Batch {batch.id} ({batch.file_name}): {effect.lines:,} lines, "
            f"{money_exact(effect.spend, authority.currency)}, "
            f"{to_tonnes(effect.kgco2e):,.1f} tCO2e in current inventories."
        )
        for y in effect.years:
            click.echo(
                f"  {fy_label(y.year, authority.fy_start_month)}: −{y.lines:,} lines, "
                f"−{money_exact(y.spend, authority.currency)}, "
                f"−{to_tonnes(y.kgco2e):,.1f} of {to_tonnes(y.year_kgco2e):,.1f} tCO2e"
            )
        if not yes and not click.confirm("Delete this batch?", default=False):
            raise TrackerError("Nothing deleted.")
        delete_batch(session, authority, batch, reason)
    with open_session(settings) as session:
        notes = refresh_inventories(
            session,
            authority=get_authority(session, code),
            years=[y.year for y in effect.years],
        )
    click.echo(f"Deleted batch {batch_id}; inventories recomputed.")
    for note in notes:
        click.echo(f"  note: {note}")
