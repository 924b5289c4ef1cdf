"""Who is looking: the one place the comparison and collaboration pages get their Viewer.

Every layout and callback of ``/compare`` and ``/collaboration`` calls ``current_viewer()``
and passes the result down to ``dashboards.data``, which scopes every query with
``tracker.access``. The dashboard has no log-in yet and is open to whoever reaches it, so
until then this returns an admin Viewer, which matches what every other page shows today.
When log-in is merged, this function returns the signed-in user's Viewer instead (and
nothing else changes).
"""

from __future__ import annotations

from tracker.access import Viewer

OPEN_DASHBOARD_VIEWER = Viewer(
    user_id=None, email="open dashboard (no log-in)", role="admin", authority_id=None
)


def current_viewer() -> Viewer:
    return OPEN_DASHBOARD_VIEWER
