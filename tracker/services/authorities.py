"""Create and look up authorities."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import NotFoundError, TrackerError
from tracker.models import Authority

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")


def add_authority(
    session: Session,
    *,
    code: str,
    name: str,
    country: str = "GB",
    currency: str = "GBP",
    population: int | None = None,
    fy_start_month: int = 4,
) -> Authority:
    if not _CODE.match(code):
        raise TrackerError(
            f"Authority code {code!r} is not valid: use up to 32 letters, digits, '-' or '_'."
        )
    if not 1 <= fy_start_month <= 12:
        raise TrackerError(f"--fy-start-month must be between 1 and 12, got {fy_start_month}.")
    if population is not None and population < 0:
        raise TrackerError("--population cannot be negative.")
    if session.scalar(select(Authority.id).where(Authority.code == code)) is not None:
        raise TrackerError(f"An authority with code {code!r} already exists.")
    authority = Authority(
        code=code,
        name=name,
        country=country.upper(),
        currency=currency.upper(),
        population=population,
        fy_start_month=fy_start_month,
    )
    session.add(authority)
    session.flush()
    return authority


def get_authority(session: Session, code: str) -> Authority:
    authority = session.scalar(select(Authority).where(Authority.code == code))
    if authority is None:
        known = (
            ", ".join(session.scalars(select(Authority.code).order_by(Authority.code))) or "none"
        )
        raise NotFoundError(f"No authority with code {code!r}. Known codes: {known}.")
    return authority


def list_authorities(session: Session) -> list[Authority]:
    return list(session.scalars(select(Authority).order_by(Authority.code)))
