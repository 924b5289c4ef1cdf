"""What the overview and the authority page say about an authority's target."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tracker.domain.periods import fy_label
from tracker.errors import TrackerError
from tracker.models import Authority
from tracker.services.progress import Progress, progress


@dataclass(frozen=True)
class TargetStatus:
    """What the overview and the authority page say about a target: the target in words,
    the latest year's status with the sentence that explains it, and the notice shown
    while the baseline years' figures differ from the recorded baseline."""

    statement: str
    target_year_label: str
    status: str | None  # on track | at risk | off track; None for no status yet
    sentence: str | None
    baseline_notice: str | None = None
    no_status_reason: str = "The latest year is the baseline year: no status yet."


def target_status(p: Progress, fy_start_month: int) -> TargetStatus:
    latest = p.latest
    return TargetStatus(
        statement=p.target_text,
        target_year_label=fy_label(p.target_year, fy_start_month),
        status=None if latest is None else latest.status,
        sentence=None if latest is None else latest.sentence,
        baseline_notice=p.baseline_notice,
    )


def progress_or_none(session: Session, authority: Authority) -> Progress | None:
    try:
        return progress(session, authority=authority)
    except TrackerError:  # no target, or no inventory for the baseline
        return None
