"""The plain data functions behind the dashboard pages, one module per page, and the only
dashboards code that opens database sessions (through :mod:`dashboards.data.sessions`).

Every function that returns authority data takes the signed-in
:class:`~tracker.access.Viewer` first and asks ``tracker.access`` what it may see: lines
and per-supplier figures only of authorities the viewer has full access to
(:func:`tracker.access.full_access_ids`); a refusal is :class:`~tracker.access.AccessDenied`.
Results are plain frozen data, never ORM objects.
"""
