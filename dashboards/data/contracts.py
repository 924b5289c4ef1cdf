"""Contract figures for the dashboard, each read in a short read-only session and scoped by
the viewer (``tracker.services.contracts``)."""

from __future__ import annotations

import datetime as dt

from dashboards.data.sessions import read_session
from dashboards.format import money, tonnes
from tracker.access import Viewer
from tracker.services.contracts.figures import ContractFigures, one_contract
from tracker.services.contracts.pipeline import Pipeline, pipeline


def pipeline_data(viewer: Viewer, today: dt.date | None = None) -> Pipeline:
    """Contracts ending in 6-36 months across the authorities ``viewer`` may see as
    aggregates (their own and those that share), grouped and ranked."""
    with read_session() as session:
        return pipeline(
            session,
            viewer,
            today=today or dt.datetime.now(dt.UTC).date(),
            money=money,
            tonnes=tonnes,
        )


def contract_data(
    viewer: Viewer, contract_id: int, today: dt.date | None = None
) -> ContractFigures:
    """One contract's spend and emissions to date and its remaining estimate (AccessDenied
    unless the viewer sees its authority's lines)."""
    with read_session() as session:
        return one_contract(
            session, viewer, contract_id=contract_id, today=today or dt.datetime.now(dt.UTC).date()
        )
