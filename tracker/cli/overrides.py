"""`tracker override …`: an officer's decision for individual spend lines."""

from __future__ import annotations

import click
from sqlalchemy.orm import Session

from tracker.cli.support import TrackerGroup, open_session
from tracker.config import Settings
from tracker.domain.periods import fy_label
from tracker.models import Authority


def _line_ids(
    session: Session, authority: Authority, lines: tuple[int, ...], rows: tuple[str, ...]
) -> list[int]:
    from tracker.services.classification.line_classes import line_ids_for_rows

    ids = list(lines)
    if rows:
        ids += line_ids_for_rows(session, authority, [_batch_row(r) for r in rows])
    if not ids:
        raise click.UsageError("Give the lines with --line ID or --row BATCH:ROW.")
    return ids


def _batch_row(text: str) -> tuple[int, int]:
    batch, _, row = text.partition(":")
    if not (batch.isdigit() and row.isdigit()):
        raise click.BadParameter(f"{text!r}: write the batch and the file's row as BATCH:ROW.")
    return int(batch), int(row)


@click.group("override", cls=TrackerGroup)
def override_group() -> None:
    """Classify or exclude individual lines; an override outranks every rule."""


@override_group.command("set")
@click.option("--authority", "code", required=True)
@click.option("--line", "lines", type=int, multiple=True, help="Spend line id (repeatable).")
@click.option("--row", "rows", multiple=True, help="BATCH:ROW, the row in the uploaded file.")
@click.option("--group", "defra_group", default=None, help="Defra product group, e.g. 69.1.")
@click.option("--naics", default=None, help="EPA NAICS-6 commodity instead (US authorities).")
@click.option("--exclude", "exclude_reason", default=None, help="Exclusion reason, e.g. grants.")
@click.option("--scope3-category", type=click.IntRange(1, 2), default=None)
@click.option("--note", required=True, help="Why (kept with the override).")
@click.pass_obj
def override_set(
    settings: Settings, code: str, lines: tuple[int, ...], rows: tuple[str, ...],
    defra_group: str | None, naics: str | None, exclude_reason: str | None,
    scope3_category: int | None, note: str,
) -> None:  # fmt: skip
    """Set the category (or exclusion) of the given lines and recompute their years.

    \b
    Example:
        tracker override set --authority SAL --row 3:118 --group 49.1-2 --note "coach hire"
    """
    from tracker.services.authorities import get_authority
    from tracker.services.classification.line_classes import set_overrides
    from tracker.services.recalculate import refresh_inventories
    from tracker.services.versions import default_actor

    with open_session(settings) as session:
        authority = get_authority(session, code)
        result = set_overrides(
            session, authority=authority, line_ids=_line_ids(session, authority, lines, rows),
            note=note, actor=default_actor(), defra_group=defra_group,
            exclude_reason=exclude_reason, scope3_category=scope3_category, naics=naics,
        )  # fmt: skip
        notes = refresh_inventories(session, authority=authority, years=result.years)
        years = ", ".join(fy_label(y, authority.fy_start_month) for y in result.years)
    for n in notes:
        click.echo(f"note: {n}")
    click.echo(f"Override saved for {result.lines} line(s); inventories updated: {years}.")


@override_group.command("clear")
@click.option("--authority", "code", required=True)
@click.option("--line", "lines", type=int, multiple=True)
@click.option("--row", "rows", multiple=True, help="BATCH:ROW")
@click.pass_obj
def override_clear(
    settings: Settings, code: str, lines: tuple[int, ...], rows: tuple[str, ...]
) -> None:
    """Remove overrides, so that the rules classify the lines again.

    \b
    Example:
        tracker override clear --authority SAL --row 3:118
    """
    from tracker.services.authorities import get_authority
    from tracker.services.classification.line_classes import clear_overrides
    from tracker.services.recalculate import refresh_inventories

    with open_session(settings) as session:
        authority = get_authority(session, code)
        result = clear_overrides(
            session, authority=authority, line_ids=_line_ids(session, authority, lines, rows)
        )
        refresh_inventories(session, authority=authority, years=result.years)
    click.echo(f"Removed {result.lines} override(s).")
