"""Demo supplier commitments: invented suppliers of ``tracker.services.demo.seed`` with invented
Carbon Reduction Plans, net-zero commitments and science-based targets (sources on
example.invalid), recorded through the real maintenance path, so that /suppliers and the
supplier KPIs show shares that change over the demo years."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from tracker.models import Supplier
from tracker.services.suppliers.maintenance import add_commitment
from tracker.services.suppliers.resolution import SupplierResolver

# (invented supplier, kind, made on)
COMMITMENTS: tuple[tuple[str, str, dt.date], ...] = (
    ("Greenway Waste Services Ltd", "carbon-reduction-plan", dt.date(2021, 9, 30)),
    ("Bytewell Systems Ltd", "science-based-target", dt.date(2021, 11, 1)),
    ("Bytewell Systems Ltd", "carbon-reduction-plan", dt.date(2022, 3, 31)),
    ("Amberline Highways Ltd", "net-zero-commitment", dt.date(2022, 6, 1)),
    ("Willowmere Care Homes Ltd", "carbon-reduction-plan", dt.date(2023, 9, 30)),
    ("Kindred Hands Homecare Ltd", "carbon-reduction-plan", dt.date(2024, 5, 1)),
    ("Oakhollow Construction Ltd", "science-based-target", dt.date(2023, 2, 15)),
)


def seed_demo_commitments(session: Session) -> int:
    """Record the demo commitments (again: the same record is updated); how many."""
    resolver = SupplierResolver(session, source="demo")
    for name, kind, made_on in COMMITMENTS:
        sid = resolver.resolve(name)
        assert sid is not None
        slug = name.lower().replace(" ", "-")
        add_commitment(session, supplier=session.get_one(Supplier, sid), kind=kind,
                       made_on=made_on, source_url=f"https://{slug}.example.invalid/{kind}.pdf",
                       actor="demo")  # fmt: skip
    return len(COMMITMENTS)
