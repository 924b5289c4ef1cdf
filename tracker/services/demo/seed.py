"""Synthetic demo data: invented authorities and suppliers, imported through the real path.

Every supplier and authority name here is invented. Spend files are generated as CSV,
imported with the same importer users use, and inventories are computed as for real data.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import secrets
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.periods import fy_bounds
from tracker.models import Authority, User
from tracker.services.authorities import add_authority
from tracker.services.demo.contracts import seed_demo_contracts
from tracker.services.demo.suppliers import seed_demo_commitments
from tracker.services.imports import import_spend_file
from tracker.services.inventory.runs import ensure_inventory
from tracker.services.progress import set_target
from tracker.services.users import add_user, set_password

DEMO_YEARS = range(2019, 2025)  # financial years 2019/20 to 2024/25


@dataclass(frozen=True)
class DemoAuthority:
    code: str
    name: str
    population: int
    annual_spend_m: float  # £ million of third-party spend in the first year
    trend: float  # yearly change in real spend
    target_pct: int = 50  # cut by 2030 from the first demo year
    pathway: str = "linear"


AUTHORITIES = (
    DemoAuthority("EMB", "Eastmere Borough Council", 182_000, 9.0, 0.01),
    DemoAuthority("BRC", "Brackenford City Council", 415_000, 22.0, -0.02),
    DemoAuthority("HDC", "Halloway District Council", 96_000, 4.0, 0.03, 30),
    DemoAuthority("KCC", "Kestrelton County Council", 760_000, 38.0, -0.01, 42, "sbti-1.5c"),
    DemoAuthority("MMB", "Marlowick Metropolitan Borough Council", 310_000, 16.0, 0.00),
    DemoAuthority("WNT", "Wrenfield Community Health Trust", 250_000, 12.0, 0.02),
)

# (SIC 2007 subclass, expense type, invented supplier stems, relative weight)
CATEGORIES: tuple[tuple[str, str, tuple[str, ...], int], ...] = (
    ("42110", "Highways maintenance", ("Amberline Highways", "Greystone Roadworks"), 10),
    ("41201", "Building works", ("Oakhollow Construction", "Fenwick Vale Builders"), 9),
    ("43390", "Building repairs", ("Tidemark Property Care", "Lowfield Repairs"), 6),
    ("87300", "Residential care", ("Willowmere Care Homes", "Brightleaf Living"), 9),
    ("88100", "Home care services", ("Kindred Hands Homecare", "Hearthside Support"), 8),
    ("86210", "Medical services", ("Clearwater Clinics", "Meadowbank Health Partners"), 4),
    ("85200", "Education services", ("Lanternfield Learning", "Quillstone Tutors"), 4),
    ("78200", "Agency staff", ("Peregrine Staffing", "Northlight Recruitment"), 7),
    ("62020", "IT services", ("Bytewell Systems", "Cobalt Harbour Digital"), 6),
    ("62012", "Software development", ("Lumenforge Software",), 3),
    ("26200", "IT hardware", ("Pixelridge Computers",), 2),
    ("61100", "Telecommunications", ("Skylark Networks",), 2),
    ("69102", "Legal fees", ("Ashcombe & Pryor Solicitors", "Vantage Legal"), 3),
    ("70229", "Consultancy", ("Meridian Advisory", "Foxglove Consulting"), 3),
    ("71121", "Engineering consultancy", ("Keystone Engineering Design",), 3),
    ("38110", "Waste collection", ("Greenway Waste Services", "Cinderpath Recycling"), 6),
    ("81210", "Cleaning", ("Sparrowhawk Cleaning", "Polished Pine Facilities"), 3),
    ("80100", "Security services", ("Watchtower Security",), 2),
    ("56290", "Catering services", ("Harvest Table Catering", "Copperpot Kitchens"), 4),
    ("10710", "Catering provisions", ("Goldcrust Bakeries",), 1),
    ("10890", "Food supplies", ("Pantry Lane Foods",), 2),
    ("49410", "Freight and haulage", ("Longmile Haulage",), 2),
    ("49390", "Passenger transport", ("Bluebell Coaches", "Riverlink Minibus"), 4),
    ("29100", "Vehicles", ("Ironbridge Motors",), 2),
    ("45200", "Vehicle repairs", ("Gearwheel Garage Services",), 2),
    ("17120", "Paper and stationery", ("Quire & Leaf Paper",), 1),
    ("18129", "Printing", ("Inkwell Press",), 1),
    ("22290", "Plastic products", ("Polymark Products",), 1),
    ("23630", "Ready-mixed concrete", ("Stonebridge Aggregates",), 2),
    ("25110", "Steel structures", ("Girderline Fabrication",), 1),
    ("28220", "Lifting equipment", ("Hoistwell Engineering",), 1),
    ("31090", "Furniture", ("Elmwood Furnishings",), 1),
    ("32500", "Medical equipment", ("Careline Medical Supplies",), 2),
    ("21200", "Pharmaceuticals", ("Apothecary Row Pharma",), 2),
    ("14120", "Workwear", ("Threadfast Workwear",), 1),
    ("20411", "Cleaning materials", ("Brightsuds Chemicals",), 1),
    ("16230", "Timber", ("Sawmill Hollow Timber",), 1),
    ("73110", "Advertising", ("Megaphone Media",), 1),
    ("77110", "Vehicle hire", ("Rentwell Vehicle Hire",), 1),
    ("79110", "Travel", ("Wayfarer Travel Services",), 1),
    ("68320", "Property management", ("Cornerstone Estates Management",), 2),
    ("65120", "Insurance", ("Harbourguard Insurance",), 2),
    ("93110", "Leisure facilities", ("Active Valley Leisure",), 2),
    ("82990", "Business support", ("Paperbridge Admin Services",), 1),
    ("", "Grants to voluntary groups", ("Community Chest Partnership",), 2),
    ("", "Miscellaneous", ("Sundry Payee",), 1),
)

HEADER = [
    "Payment Date",
    "Supplier Name",
    "Amount",
    "Expense Type",
    "SIC code",
    "Transaction Number",
]


def _lines(
    auth: DemoAuthority,
    year: int,
    start_month: int,
    rng: random.Random,
    first_year: int = DEMO_YEARS[0],
) -> list[list[str]]:
    start, end = fy_bounds(year, start_month)
    days = (end - start).days
    weights = [c[3] for c in CATEGORIES]
    budget = auth.annual_spend_m * 1e6 * (1 + auth.trend) ** (year - first_year)
    budget *= 1.03 ** (year - first_year)  # inflation
    count = int(600 + budget / 40_000)
    mean = budget / count
    rows = []
    for i in range(count):
        sic, expense, suppliers, _ = rng.choices(CATEGORIES, weights=weights)[0]
        amount = Decimal(str(round(rng.lognormvariate(0, 0.9) * mean * 0.67, 2)))
        if rng.random() < 0.02:
            amount = -amount / 4  # a credit note
        day = start + dt.timedelta(days=rng.randrange(days + 1))
        rows.append(
            [
                day.strftime("%d/%m/%Y"),
                rng.choice(suppliers) + " Ltd",
                f"{amount:,.2f}",
                expense,
                sic,
                f"{auth.code}-{year}-{i:05d}",
            ]
        )
    return rows


def seed_demo(
    session: Session,
    *,
    data_dir: Path,
    seed: int = 2024,
    authorities: Sequence[DemoAuthority] = AUTHORITIES,
    years: Sequence[int] = DEMO_YEARS,
) -> str:
    """Create the demo authorities with spend for ``years``; idempotent. (Tests seed a
    smaller demo with fewer authorities and years.)"""
    if session.scalar(select(Authority.id).where(Authority.code == authorities[0].code)):
        return "Demo data already present."
    rng = random.Random(seed)
    lines = 0
    with tempfile.TemporaryDirectory() as tmp:
        for auth in authorities:
            authority = add_authority(
                session,
                code=auth.code,
                name=auth.name,
                population=auth.population,
                fy_start_month=4,
            )
            authority.share_in_comparisons = True  # on by default in the demo
            for year in years:
                path = Path(tmp) / f"{auth.code.lower()}-spend-{year}.csv"
                with path.open("w", newline="", encoding="utf-8") as fh:
                    writer = csv.writer(fh)
                    writer.writerow(HEADER)
                    writer.writerows(_lines(auth, year, authority.fy_start_month, rng, years[0]))
                result = import_spend_file(
                    session,
                    authority=authority,
                    path=path,
                    data_dir=data_dir,
                    mapping={"sic": "SIC code"},
                )
                lines += result.rows_imported
                ensure_inventory(session, authority=authority, year=year)
            set_target(
                session,
                authority=authority,
                baseline_years=[years[0]],
                target_year=2030,
                reduction_pct=Decimal(auth.target_pct),
                net_zero_year=2040,
                pathway=auth.pathway,
                actor="demo",
            )
        contracts = seed_demo_contracts(
            session,
            data_dir=data_dir,
            names={a.code: a.name for a in authorities},
            today=dt.datetime.now(dt.UTC).date(),
        )
    commitments = seed_demo_commitments(session)
    return (
        f"Seeded {len(authorities)} demo authorities with {lines:,} spend lines for "
        f"financial years {years[0]} to {years[-1]}, {contracts:,} contracts and "
        f"{commitments} supplier commitments."
    )


DEMO_USERS = (  # (e-mail, role, authority code)
    ("admin@demo.invalid", "admin", None),
    ("officer@demo.invalid", "officer", AUTHORITIES[0].code),
    ("viewer@demo.invalid", "viewer", AUTHORITIES[0].code),
)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    authority: str | None
    password: str


def seed_demo_users(session: Session) -> list[DemoLogin]:
    """One demo user of each role, each with a newly generated password (printed by
    ``tracker demo``): an admin, and an officer and a viewer of the first demo authority.
    Run again, it gives the same users new passwords."""
    logins = []
    for email, role, code in DEMO_USERS:
        password = secrets.token_urlsafe(12)
        if session.scalar(select(User.id).where(User.email == email)) is None:
            authority = (
                session.scalar(select(Authority).where(Authority.code == code)) if code else None
            )
            add_user(session, email=email, password=password, role=role, authority=authority)
        else:
            set_password(session, email=email, password=password)
        logins.append(DemoLogin(email, role, code, password))
    return logins
