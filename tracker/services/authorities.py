"""Create and look up authorities."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.codes import PriceYearPolicy
from tracker.errors import NotFoundError, TrackerError
from tracker.models import Authority, ExclusionNote, FactorSet
from tracker.queries.reference import authority_by_code

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")

# The factor set a new authority starts with, by country (changeable per authority).
DEFAULT_FACTOR_SETS: dict[str, tuple[str, str]] = {
    "GB": ("defra-uk-sic", "to-2023"),
    "US": ("epa-useeio-naics", "v1.3.0"),
}


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
    family, edition = DEFAULT_FACTOR_SETS.get(country.upper(), DEFAULT_FACTOR_SETS["GB"])
    authority = Authority(
        code=code,
        name=name,
        country=country.upper(),
        currency=currency.upper(),
        population=population,
        fy_start_month=fy_start_month,
        default_factor_family=family,
        default_factor_edition=edition,
        price_year_policy=PriceYearPolicy.MATCHED,
    )
    session.add(authority)
    session.flush()
    return authority


def get_authority(session: Session, code: str) -> Authority:
    authority = authority_by_code(session, code)
    if authority is None:
        known = (
            ", ".join(session.scalars(select(Authority.code).order_by(Authority.code))) or "none"
        )
        raise NotFoundError(f"No authority with code {code!r}. Known codes: {known}.")
    return authority


def list_authorities(session: Session) -> list[Authority]:
    return list(session.scalars(select(Authority).order_by(Authority.code)))


def configure_factors(
    session: Session,
    authority: Authority,
    *,
    family: str | None = None,
    edition: str | None = None,
    policy: str | None = None,
    vintage: int | None = None,
) -> Authority:
    """Change the factor set, edition or price-year policy an authority's inventories use."""
    if family is not None or edition is not None:
        family = family or authority.default_factor_family
        edition = edition or authority.default_factor_edition
        years = session.scalars(
            select(FactorSet.data_year).where(
                FactorSet.family == family, FactorSet.edition == edition
            )
        ).all()
        if not years:
            loaded = sorted(
                {
                    f"{f} {e}"
                    for f, e in session.execute(select(FactorSet.family, FactorSet.edition))
                }
            )
            raise TrackerError(
                f"Factor set {family} {edition} is not loaded; loaded sets: {', '.join(loaded)}."
            )
        authority.default_factor_family = family
        authority.default_factor_edition = edition
    if policy is not None:
        if policy not in tuple(PriceYearPolicy):
            raise TrackerError("--price-year-policy must be 'matched' or 'fixed'.")
        authority.price_year_policy = policy
    if vintage is not None:
        authority.fixed_vintage_year = vintage
    if authority.price_year_policy == PriceYearPolicy.FIXED:
        years = session.scalars(
            select(FactorSet.data_year).where(
                FactorSet.family == authority.default_factor_family,
                FactorSet.edition == authority.default_factor_edition,
            )
        ).all()
        if authority.fixed_vintage_year not in years:
            raise TrackerError(
                "The fixed-vintage policy needs --vintage YEAR, one of the factor years "
                f"{', '.join(map(str, sorted(years)))}."
            )
    session.flush()
    return authority


def set_sharing(session: Session, authority: Authority, *, share: bool, actor: str) -> bool:
    """Opt an authority in to (or out of) showing its aggregates to other authorities'
    users in comparisons and collaboration; recorded in the audit log. Returns whether the
    setting changed."""
    from tracker.services.versions import record

    if authority.share_in_comparisons == share:
        return False
    authority.share_in_comparisons = share
    record(
        session,
        actor=actor,
        action="share" if share else "unshare",
        authority=authority,
        details={"share_in_comparisons": share},
    )
    session.flush()
    return True


def set_exclusion(
    session: Session,
    authority: Authority,
    reason: str,
    *,
    include: bool,
    note: str | None = None,
    actor: str,
) -> bool:
    """Count the spend the policy excludes for ``reason`` (``include``, with a ``note``
    saying why, disclosed on the authority page), or leave it out again as the policy
    does. Recorded in the audit log; the next inventory applies it. Returns whether the
    setting changed."""
    from factors.classification import exclusion_reasons
    from tracker.services.versions import record

    known = exclusion_reasons()
    if reason not in known:
        raise TrackerError(
            f"Unknown exclusion reason {reason!r}; reasons are {', '.join(sorted(known))}."
        )
    note = (note or "").strip()
    if include and not note:
        raise TrackerError(f"Say why {authority.code} counts {reason} spend: give --note.")
    included = set(authority.included_exclusions or ())
    stored = session.get(ExclusionNote, (authority.id, reason))
    if include:
        changed = reason not in included or stored is None or stored.note != note
        included.add(reason)
        if stored is None:
            session.add(ExclusionNote(authority_id=authority.id, reason=reason, note=note,
                                      created_by=actor))  # fmt: skip
        else:
            stored.note, stored.created_by = note, actor
    else:
        changed = reason in included
        included.discard(reason)
        if stored is not None:
            session.delete(stored)
    if not changed:
        return False
    authority.included_exclusions = sorted(included)
    record(
        session,
        actor=actor,
        action="include_exclusion" if include else "exclude_again",
        authority=authority,
        details={"reason": reason, "note": note if include else None},
    )
    session.flush()
    return True


def counted_exclusions(session: Session, authority: Authority) -> tuple[tuple[str, str], ...]:
    """The exclusions the authority chose to count, each with its note, by reason."""
    stored = session.scalars(
        select(ExclusionNote).where(ExclusionNote.authority_id == authority.id)
    )
    notes = {n.reason: n.note for n in stored}
    return tuple((r, notes.get(r, "")) for r in sorted(authority.included_exclusions or ()))
