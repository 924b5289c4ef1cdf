"""An authority counts spend the policy excludes, with a note (issue 14: "an authority
setting can include [energy suppliers] with a note"), on both databases.

One £1,000 line from an electricity retailer (SIC 35140, trade of electricity): the
policy excludes it as the authority's own energy (energy_own, docs/classification-policy.md
§2). Counted with a note, the next inventory classifies it instead and the authority
page says so; excluded again, it is left out once more.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboards.layouts.authority_year import counted_note
from tests.services.test_suggestion_scope import authority_with_spend
from tracker.errors import TrackerError
from tracker.models import LineEmission
from tracker.services.authorities import counted_exclusions, set_exclusion
from tracker.services.inventory.runs import ensure_inventory
from tracker.services.reference import load_shipped_reference_data

NOTE = "no Scope 2 report yet"


def _status(session: Session, run_id: int) -> list[tuple[str, str | None]]:
    rows = session.execute(
        select(LineEmission.status, LineEmission.reason).where(LineEmission.run_id == run_id)
    )
    return [(s, r) for s, r in rows]


def test_count_energy_suppliers_with_a_note(session: Session, tmp_path: Path) -> None:
    load_shipped_reference_data(session)
    payee = f"Voltwise {uuid.uuid4().hex[:6]} Energy Ltd"
    a = authority_with_spend(session, tmp_path, "X", f"15/05/2023,{payee},1000.00,35140,,\n")
    run = ensure_inventory(session, authority=a, year=2023)
    assert _status(session, run.id) == [("excluded", "excluded: energy_own")]

    with pytest.raises(TrackerError, match="give --note"):
        set_exclusion(session, a, "energy_own", include=True, actor="test")
    with pytest.raises(TrackerError, match="Unknown exclusion reason 'energy'"):
        set_exclusion(session, a, "energy", include=True, note=NOTE, actor="test")

    assert set_exclusion(session, a, "energy_own", include=True, note=NOTE, actor="test")
    assert not set_exclusion(session, a, "energy_own", include=True, note=NOTE, actor="test")
    counted = ensure_inventory(session, authority=a, year=2023)
    assert counted.id != run.id
    ((status, _reason),) = _status(session, counted.id)
    assert status == "mapped"
    assert counted_exclusions(session, a) == (("energy_own", NOTE),)
    shown = str(getattr(counted_note(counted_exclusions(session, a)), "children", ""))
    assert NOTE in shown and "Counted by this authority's choice" in shown

    assert set_exclusion(session, a, "energy_own", include=False, actor="test")
    again = ensure_inventory(session, authority=a, year=2023)
    assert _status(session, again.id) == [("excluded", "excluded: energy_own")]
    assert counted_exclusions(session, a) == ()


def test_cli_says_what_it_did(db_url: str, tmp_path: Path) -> None:
    from cli_helpers import cli_for

    if db_url.startswith("sqlite"):
        db_url = f"sqlite:///{tmp_path / 'cli.db'}"
    tracker = cli_for(db_url, tmp_path / "files")
    tracker.run("db", "upgrade")
    code = "N" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Notes")
    refused = tracker.run("authority", "exclusion", code, "energy_own", "--include", ok=False)
    assert refused.exit_code == 2 and "give --note" in refused.output
    done = tracker.run("authority", "exclusion", code, "energy_own", "--include", "--note", NOTE)
    assert f"{code}: energy_own spend is counted" in done.output
    again = tracker.run("authority", "exclusion", code, "energy_own", "--exclude")
    assert f"{code}: energy_own spend is excluded" in again.output
