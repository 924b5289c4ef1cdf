"""Import a spend file, then bring the inventories it touches up to date: the one path of
``tracker import`` and the dashboard's ``/upload``.

Two units of work, in order: the import is stored in one transaction (all of the file or
nothing); then the years it touches are recalculated, and the authority's payments linked
to its contracts. A year that cannot be computed yet (a missing exchange rate, index or
factor) does not undo the import: it is marked pending with what to load
(tracker.services.recalculate) and the result's notes say so, in the same words on both
paths ("inventory 2022/23 not computed: No GBP→USD exchange rate for 2022. Load …").

The caller gives how a unit of work is opened (``unit``: the CLI's ``open_session``, the
dashboard's ``write_session``), and how the authority is found in it (``resolve``: by
code for the CLI, with the officer's edit right checked for the dashboard), so access is
checked once, where the import is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from sqlalchemy.orm import Session

from tracker.importers.limits import ImportLimits
from tracker.models import Authority
from tracker.services.contracts.linking import link_authority, link_note
from tracker.services.imports import ImportResult, import_spend_file
from tracker.services.recalculate import pending_years, refresh_inventories


def import_and_refresh(
    unit: Callable[[], AbstractContextManager[Session]],
    resolve: Callable[[Session], Authority],
    *,
    path: Path,
    data_dir: Path,
    limits: ImportLimits,
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    on_overlap: str | None = None,
    confirm_organisation: bool = False,
) -> ImportResult:
    """Import ``path`` for the authority ``resolve`` finds (a dry run only reads and
    checks it), then recalculate the years it touches; see the module docstring."""
    with unit() as session:
        authority = resolve(session)
        authority_id = authority.id
        result = import_spend_file(
            session,
            authority=authority,
            path=path,
            data_dir=data_dir,
            sheet=sheet,
            mapping=mapping,
            dry_run=dry_run,
            on_overlap=on_overlap,
            confirm_organisation=confirm_organisation,
            limits=limits,
        )
    if dry_run:
        return result
    with unit() as session:
        authority = session.get_one(Authority, authority_id)
        notes = refresh_inventories(session, authority=authority, years=result.financial_years)
        result.notes += notes
        # the years left pending, each with its note (both in year order)
        pending = pending_years(session, authority_id, result.financial_years)
        result.not_computed = dict(zip(pending, notes, strict=True))
        # New payments may fall under the authority's contracts.
        if note := link_note(link_authority(session, authority_id=authority_id)):
            result.notes.append(note)
    return result
