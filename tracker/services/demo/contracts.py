"""Demo contracts: invented registers for the demo authorities, imported through the real
contract importer (Transparency Code register CSV), so that the pipeline has something to
rank and contracts have payments linked to them.

Every name is invented (the suppliers are those of ``tracker.services.demo.seed``). End dates
are set from the day the demo is seeded: waste, IT and home-care contracts of several
authorities end within 24 months of it, overlapping, and a few end too soon (under six
months) or too late (over three years) to be in the pipeline.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from tracker.access import Viewer
from tracker.domain.pipeline import add_months
from tracker.services.contracts.imports import import_contract_file

DEMO_IMPORTER = Viewer(user_id=None, email="demo", role="admin", authority_id=None)
HEADER = [
    "Organisation Name",
    "Contract Reference Number / ID",
    "Title of the Agreement",
    "Description of goods and services",
    "Procurement Classification: CPV Code",
    "Contract Start Date",
    "End Date",
    "Contract Value",
    "Supplier Name",
    "Tender Process Type",
]

# (authority code, reference, title, CPV, supplier, start, months from today to the end,
# value in £)
CONTRACTS: tuple[tuple[str, str, str, str, str, dt.date, int, int], ...] = (
    ("EMB", "EMB-W01", "Refuse and recycling collection", "90511000",
     "Greenway Waste Services Ltd", dt.date(2021, 4, 1), 11, 6_500_000),
    ("EMB", "EMB-I04", "IT service desk and support", "72000000",
     "Bytewell Systems Ltd", dt.date(2022, 4, 1), 16, 1_800_000),
    ("EMB", "EMB-C07", "Home care framework", "85312000",
     "Kindred Hands Homecare Ltd", dt.date(2022, 10, 1), 20, 4_200_000),
    ("BRC", "BRC/2020/011", "Waste collection and street cleansing", "90511000",
     "Cinderpath Recycling Ltd", dt.date(2020, 4, 1), 14, 14_000_000),
    ("BRC", "BRC/2022/003", "Managed IT services", "72000000",
     "Bytewell Systems Ltd", dt.date(2022, 1, 1), 9, 3_100_000),
    ("BRC", "BRC/2021/020", "Highways maintenance term contract", "45233141",
     "Amberline Highways Ltd", dt.date(2021, 4, 1), 30, 12_000_000),
    ("HDC", "HDC-0419", "Domestic waste collection", "90511000",
     "Greenway Waste Services Ltd", dt.date(2021, 7, 1), 18, 2_600_000),
    ("HDC", "HDC-0502", "Supported living and home care", "85312000",
     "Hearthside Support Ltd", dt.date(2022, 4, 1), 22, 1_500_000),
    ("KCC", "KCC-WST-19", "Residual waste collection and disposal", "90511000",
     "Greenway Waste Services Ltd", dt.date(2019, 4, 1), 23, 24_000_000),
    ("KCC", "KCC-HWY-21", "Highways term maintenance", "45233141",
     "Amberline Highways Ltd", dt.date(2021, 4, 1), 28, 40_000_000),
    ("KCC", "KCC-ICT-23", "Cloud hosting and digital services", "72000000",
     "Cobalt Harbour Digital Ltd", dt.date(2023, 4, 1), 40, 5_000_000),
    ("MMB", "MMB-ASC-22", "Home care services", "85312000",
     "Kindred Hands Homecare Ltd", dt.date(2022, 4, 1), 13, 6_000_000),
    ("MMB", "MMB-ICT-21", "Desktop support", "72000000",
     "Bytewell Systems Ltd", dt.date(2021, 4, 1), 4, 2_000_000),
    ("WNT", "WNT-CL-22", "Community clinics", "85100000",
     "Clearwater Clinics Ltd", dt.date(2022, 4, 1), 19, 3_000_000),
    ("WNT", "WNT-FM-23", "Patient and staff catering", "55520000",
     "Harvest Table Catering Ltd", dt.date(2023, 1, 1), 12, 900_000),
)  # fmt: skip


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def seed_demo_contracts(
    session: Session, *, data_dir: Path, names: dict[str, str], today: dt.date
) -> int:
    """Import each demo authority's register (``names``: code → name, the buyer named in
    its file); the imports link the payments. Returns how many contracts were imported."""
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for code, name in names.items():
            rows = [c for c in CONTRACTS if c[0] == code]
            if not rows:
                continue
            path = Path(tmp) / f"{code.lower()}-contracts-register.csv"
            with path.open("w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(HEADER)
                for _, ref, title, cpv, supplier, start, months, value in rows:
                    end = month_end(add_months(today, months))
                    writer.writerow([
                        name, ref, title, title, cpv, start.strftime("%d/%m/%Y"),
                        end.strftime("%d/%m/%Y"), f"{value:,}", supplier, "Invitation to tender",
                    ])  # fmt: skip
            result = import_contract_file(
                session, viewer=DEMO_IMPORTER, path=path, data_dir=data_dir, authority=code
            )
            total += sum(result.added.values())
    return total
