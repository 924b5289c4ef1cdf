"""The compare page's data: benchmarks of the authorities a viewer may see."""

from __future__ import annotations

from dashboards.data.sessions import plausibility_limits, read_session
from tracker.access import Viewer
from tracker.domain.vocabulary import method_name
from tracker.services.compare import Comparison
from tracker.services.compare_memo import Options, remembered_compare


def comparison_data(viewer: Viewer, year: int | None = None) -> Comparison:
    """Benchmarks of the authorities ``viewer`` may see as aggregates
    (``tracker.services.compare``), kept between visits while nothing they rest on
    changes (``tracker.services.compare_memo``)."""
    with read_session() as session:
        return remembered_compare(
            session, viewer, year, Options(method_label=method_name, limits=plausibility_limits())
        )
