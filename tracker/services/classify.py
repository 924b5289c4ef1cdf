"""Classification of spend lines to factor categories.

Today a line is classified by its SIC 2007 code (as Companies House gives it, or a
4- or 2-digit code) to a Defra product group, through the shipped crosswalk.
"""

from __future__ import annotations

from functools import lru_cache

from factors.registry import load_companies_house_sic, load_sic_crosswalk
from tracker.domain.sic import SicResolver


@lru_cache(maxsize=1)
def default_resolver() -> SicResolver:
    """The shipped SIC → Defra group resolver (it caches one result per distinct code)."""
    return SicResolver(load_sic_crosswalk(), load_companies_house_sic())
