"""The factors page's data: the provenance of every loaded factor set edition."""

from __future__ import annotations

from dashboards.data.sessions import read_session
from tracker.queries import reference
from tracker.queries.reference import FactorEdition


def factor_editions() -> list[FactorEdition]:
    """Every loaded factor set edition: public reference data, the same for every role."""
    with read_session() as session:
        return reference.factor_editions(session)
