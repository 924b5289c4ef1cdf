"""An upload through /upload and `tracker import` take the same path
(tracker.services.import_refresh): a file for a year with no exchange rate is stored all
the same, the year is marked as waiting for the rate, and both say so in the same words.

The authority is British (GBP) with the EPA USEEIO factors (dollars): its 2022/23 lines
need a GBP→USD rate for 2022, and none is loaded.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_helpers import migrated_cli
from dash_seed_data import PASSWORD
from factories import suffix
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from dashboards.callbacks.upload import confirm, receive
from tracker.access import Viewer
from tracker.config import Settings
from tracker.db import make_engine
from tracker.models import Authority, ImportBatch, InventoryPending, InventoryRun, SpendLine
from tracker.services.authorities import add_authority, configure_factors
from tracker.services.reference import load_shipped_reference_data
from tracker.services.users import add_user, viewer_of

CSV = (
    "Date,Supplier,Amount,NAICS\n"
    "01/05/2022,Soft Co,1000.00,541511\n"
    "01/06/2022,Soft Co,250.00,541511\n"
)
NOTE = (
    "inventory 2022/23 not computed: No GBP→USD exchange rate for 2022. Load the annual "
    "average rate with `tracker rates load FILE`"
)


@pytest.fixture
def officer(session: Session, session_factory: sessionmaker[Session]) -> tuple[str, Viewer]:
    load_shipped_reference_data(session)
    tag = suffix().upper()
    authority = add_authority(session, code=f"FX{tag}", name="Rate Test Council")
    configure_factors(session, authority, family="epa-useeio-naics", edition="v1.3.0")
    user = add_user(
        session, email=f"officer-{tag.lower()}@example.org", password=PASSWORD,
        role="officer", authority=authority,
    )  # fmt: skip
    return authority.code, viewer_of(user)


def _url(text: str) -> str:
    return "data:text/csv;base64," + base64.b64encode(text.encode()).decode()


def _stored(session: Session, code: str) -> tuple[int, int, str, list[tuple[int, str]]]:
    """(batches, lines, total spend, pending years with their reasons) of ``code``; it
    has no inventory run."""
    a = session.scalars(select(Authority).where(Authority.code == code)).one()
    batches = session.scalar(
        select(func.count(ImportBatch.id)).where(ImportBatch.authority_id == a.id)
    )
    lines, total = session.execute(
        select(func.count(SpendLine.id), func.sum(SpendLine.amount)).where(
            SpendLine.authority_id == a.id
        )
    ).one()
    pending = session.execute(
        select(InventoryPending.fy_year, InventoryPending.reason)
        .where(InventoryPending.authority_id == a.id)
        .order_by(InventoryPending.fy_year)
    ).all()
    runs = session.scalar(
        select(func.count(InventoryRun.id)).where(InventoryRun.authority_id == a.id)
    )
    assert runs == 0
    return int(batches or 0), int(lines), f"{total:.2f}", [(y, r) for y, r in pending]


@dataclass(frozen=True)
class CliImport:
    note: str  # the import's note on the year it could not compute
    stored: tuple[int, int, str, list[tuple[int, str]]]


@pytest.fixture
def cli_import(db_url: str, tmp_path: Path) -> CliImport:
    """`tracker import` of the file for an authority of its own, done (and committed)
    before the test's own transaction begins: on PostgreSQL the CLI would otherwise wait
    for the rows that transaction holds."""
    cli = migrated_cli(db_url, tmp_path)
    code = f"FC{suffix().upper()}"
    cli.run("authority", "add", code, "--name", "Rate Test Council")
    cli.run("authority", "set", code, "--factor-set", "epa-useeio-naics", "--edition", "v1.3.0")
    (tmp_path / "fx.csv").write_text(CSV, encoding="utf-8")
    imported = cli.json("import", str(tmp_path / "fx.csv"), "--authority", code, "--json")
    [note] = [n for n in imported["notes"] if n.startswith("inventory ")]
    engine = make_engine(cli.env["TRACKER_DATABASE_URL"])
    with Session(engine) as session:
        stored = _stored(session, code)
    engine.dispose()
    return CliImport(note, stored)


def test_upload_and_tracker_import_store_and_say_the_same(
    cli_import: CliImport,
    officer: tuple[str, Viewer],
    session: Session,
    dash_settings: Settings,
) -> None:
    code, viewer = officer
    token, _preview = receive(viewer, code, "fx.csv", _url(CSV), dash_settings)
    assert token is not None
    done = str(confirm(viewer, code, token, {}, None, dash_settings, []))
    assert "Imported 2 rows from fx.csv" in done
    uploaded = _stored(session, code)
    # 1,000.00 + 250.00 stored in one batch; 2022/23 waits for the rate the note names
    assert uploaded[:3] == (1, 2, "1250.00")
    [(year, reason)] = uploaded[3]
    assert year == 2022 and reason.startswith("No GBP→USD exchange rate for 2022.")
    # tracker import stored the same and said the same, in the same words as the page
    assert cli_import.note.startswith(NOTE)
    assert cli_import.note in done
    assert cli_import.stored == uploaded
