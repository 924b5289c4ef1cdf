"""The collaboration page's data: what the viewer's group of authorities buys in common."""

from __future__ import annotations

from dashboards.data.sessions import read_session
from tracker.access import Viewer
from tracker.services.collaboration import DEFAULT_TOP, Collaboration, collaboration


def collaboration_data(
    viewer: Viewer, year: int | None = None, top: int = DEFAULT_TOP
) -> Collaboration:
    """Shared suppliers, engagement ranking and category spreads for ``viewer``'s group."""
    with read_session() as session:
        return collaboration(session, viewer, year=year, top=top)
