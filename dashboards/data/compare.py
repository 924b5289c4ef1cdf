"""The compare page's data: benchmarks of the authorities a viewer may see."""

from __future__ import annotations

from dashboards.data.sessions import plausibility_limits, read_session
from tracker.access import Viewer
from tracker.domain.vocabulary import method_name
from tracker.services.compare import Comparison, compare


def comparison_data(viewer: Viewer, year: int | None = None) -> Comparison:
    """Benchmarks of the authorities ``viewer`` may see as aggregates
    (``tracker.services.compare``)."""
    with read_session() as session:
        return compare(
            session, viewer, year=year, method_label=method_name, limits=plausibility_limits()
        )
