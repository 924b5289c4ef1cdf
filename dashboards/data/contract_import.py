"""The contracts page's data: the authorities a user may see, a staged contracts file's
preview (a dry run of the real import), its import, and a page of contracts.

Files are staged as spend uploads are (``dashboards.data.upload``: per user, removed once
imported or refused). The import links the payments of the authorities it changed to
their contracts (``tracker.services.contracts.imports``).
"""

from __future__ import annotations

import shutil

from sqlalchemy import select

from dashboards.data.access import authority_for
from dashboards.data.sessions import read_session, write_session
from dashboards.data.upload import EditableAuthority, staged_file
from tracker.access import Viewer, full_access_ids
from tracker.config import Settings
from tracker.domain.contracts import buyer_key
from tracker.models import Authority
from tracker.services.contracts.imports import ContractImportResult, import_contract_file
from tracker.services.contracts.listing import ContractPage, list_contracts


def visible_authorities(viewer: Viewer) -> list[tuple[EditableAuthority, bool]]:
    """The authorities whose contracts the user may see, and whether they may import."""
    with read_session() as session:
        ids = full_access_ids(session, viewer)
        rows = session.execute(
            select(Authority.id, Authority.code, Authority.name)
            .where(Authority.id.in_(ids))
            .order_by(Authority.code)
        )
        return [(EditableAuthority(code, name), viewer.can_edit(aid)) for aid, code, name in rows]


def preview_contracts(
    viewer: Viewer, code: str, token: str, settings: Settings
) -> ContractImportResult:
    """What importing the staged file for ``code`` would do (nothing is stored)."""
    path = staged_file(viewer, token, settings)
    with read_session() as session:
        name = authority_for(session, viewer, code).name
        result = import_contract_file(
            session, viewer=viewer, path=path, data_dir=settings.data_dir, authority=code,
            dry_run=True, limits=settings.import_limits(),
        )  # fmt: skip
    result.unmapped = likely_first(result.unmapped, name)
    return result


def likely_first(buyers: dict[str, int], authority_name: str) -> dict[str, int]:
    """The file's unmapped buyers, those sharing most words with the authority's name
    first (then most contracts), so an officer finds the authority's own spellings among
    a file's hundreds of buyers.

    >>> list(likely_first({"Ministry of Justice": 382, "Leeds City Council - PACS": 1},
    ...                   "Leeds City Council"))
    ['Leeds City Council - PACS', 'Ministry of Justice']
    """
    own = set(buyer_key(authority_name).split()) - {"council", "city", "county", "of", "the"}

    def shared(name: str) -> int:
        return len(own & set(buyer_key(name).split()))

    ordered = sorted(buyers.items(), key=lambda item: (-shared(item[0]), -item[1], item[0]))
    return dict(ordered)


def import_contracts(
    viewer: Viewer, code: str, token: str, buyers: list[str], settings: Settings
) -> ContractImportResult:
    """Import the staged file for ``code``, mapping ``buyers`` (names as the file writes
    them) to it."""
    path = staged_file(viewer, token, settings)
    with write_session() as session:
        result = import_contract_file(
            session, viewer=viewer, path=path, data_dir=settings.data_dir, authority=code,
            buyers=dict.fromkeys(buyers, code), limits=settings.import_limits(),
        )  # fmt: skip
    shutil.rmtree(path.parent, ignore_errors=True)
    return result


def contract_page(viewer: Viewer, code: str, page: int) -> ContractPage:
    """A page of the authority's contracts (AccessDenied unless the user sees it)."""
    with read_session() as session:
        authority = authority_for(session, viewer, code)
        return list_contracts(session, viewer, authority_id=authority.id, page=page)
