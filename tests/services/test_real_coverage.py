"""Classified share of in-scope spend on the real files, using only the shipped
crosswalks and the default rule library (issue goal: ≥ 95 % for files carrying
ProClass or merchant category codes, ≥ 80 % for text-only files). Skipped without
../shared. Salford's codes are suppliers' SIC codes on 65 % of rows; its other rows carry
only a payee name, which the library's supplier-name rules classify or exclude where the
name says what the payee is (public bodies, schools, nurseries, care, solicitors, trades);
it counts as a partly coded file (goal 80 %). The rest is a long tail of names that say
nothing about what was bought, left to the review queue.

On every file, no line's class is an artefact group (policy §5), and Salford's electricity
and gas suppliers are excluded as own energy (policy §4).
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from cli_helpers import TrackerCli, cli_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import SPEND_PUBLISHERS, shared_file
from tracker.db import make_engine
from tracker.models import LineClass, SpendLine

pytestmark = pytest.mark.shared

GOALS = {
    "uk-trafford-2014-09.csv": 0.95,  # ProClass on 68 % of rows, text for the rest
    "uk-birmingham-pcard-2020-02.xls": 0.95,  # merchant category codes
    "uk-trafford-pcard-2025-26.csv": 0.95,  # merchant category codes
    "uk-birmingham-pcard-2019-11.xls": 0.95,  # ledger descriptions and merchant names
    "uk-manchester-2014-09.xls": 0.80,  # text only
    "uk-leeds-2020-06.csv": 0.80,  # text only
    "uk-lambeth-2012-06.csv": 0.80,
    "uk-oxford-2014-q1.csv": 0.80,
    "uk-tameside-2014-09.csv": 0.80,
    "uk-stockport-2014-09.xls": 0.80,
    # Supplier SIC codes on 65 % of rows: a partly coded file (goal 80 %, decided in the
    # classification issue that brought policy 2026.1). Artefact groups, head-office SIC
    # codes and unlabelled wholesalers now go to review rather than to a wrong group.
    "uk-salford-2019-sic-enriched.csv": 0.80,
}
MAPS = {"uk-salford-2019-sic-enriched.csv": ("--map", "sic=sicc_int")}


@pytest.mark.parametrize("name", sorted(GOALS))
def test_classified_share(name: str, tmp_path: Path) -> None:
    path = shared_file("spend", name)
    tracker: TrackerCli = cli_for(f"sqlite:///{tmp_path / 'c.db'}", tmp_path / "files")
    tracker.run("db", "upgrade")
    code = "C" + uuid.uuid4().hex[:6]
    tracker.run("authority", "add", code, "--name", SPEND_PUBLISHERS[name], "--fy-start-month", "1")
    tracker.run("import", str(path), "--authority", code, *MAPS.get(name, ()))
    report = tracker.json("classify", "--authority", code, "--json")["coverage"]
    classified = sum(r["classified"] for r in report)
    unclassified = sum(r["unclassified"] for r in report)
    share = classified / (classified + unclassified)
    assert share >= GOALS[name], f"{name}: {share:.1%} classified"
    classes = _classes(tmp_path / "c.db")
    # Policy §5: no line of any real file is costed with an artefact group.
    assert not [c for c in classes if c[2] in ARTEFACT_GROUPS], name
    if name == "uk-salford-2019-sic-enriched.csv":
        # Electricity and gas suppliers (SIC 35.1x, 35.2x) are own energy (policy §4).
        energy = [c for c in classes if (c[0] or "")[:3] in ("351", "352")]
        assert energy and all(c[3] == "energy_own" for c in energy), energy


# The Defra groups never used as a factor, as docs/classification-policy.md §5 names them.
ARTEFACT_GROUPS = {"7", "24.4-5", "46", "47", "65.3"}


def _classes(db: Path) -> list[tuple[str | None, str | None, str | None, str | None]]:
    """(SIC code, supplier, Defra group, exclusion reason) of every stored line's class."""
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as session:
        rows = session.execute(
            select(SpendLine.sic, SpendLine.supplier_name, LineClass.defra_group,
                   LineClass.exclude_reason)
            .join(LineClass, (LineClass.authority_id == SpendLine.authority_id)
                  & (LineClass.class_key == SpendLine.class_key))
        ).all()  # fmt: skip
    engine.dispose()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_us_text_only_file_is_classified_to_epa_commodities(tmp_path: Path) -> None:
    """Phoenix 2018-03 carries an object-of-expenditure class on every line and no NAICS
    code. As a US authority (EPA NAICS factors) its lines are costed through the library:
    text → rule → Defra group → NAICS commodity. Coverage is read from the run's lines,
    so a line whose group has no EPA commodity (84 "Permit Fees") counts as unclassified.
    Measured 87.9 % of in-scope spend under policy 2026.2 (goal 80 %); the rest is the
    catch-all classes that go to review for a US authority (policy §9: "Spec Contractual
    Svc", "All Other Equipment", "Mat to Maint Infr/Eq") and classes with no rule
    ("Inventories", "Inventories-Offline"), which do not say what was bought."""
    path = shared_file("spend", "us-phoenix-2018-03.csv")
    tracker: TrackerCli = cli_for(f"sqlite:///{tmp_path / 'c.db'}", tmp_path / "files")
    tracker.run("db", "upgrade")
    code = "P" + uuid.uuid4().hex[:6]
    tracker.run(
        "authority", "add", code, "--name", "Phoenix", "--country", "US", "--currency", "USD",
        "--fy-start-month", "7",
    )  # fmt: skip
    tracker.run("import", str(path), "--authority", code)
    (report,) = tracker.json("classify", "--authority", code, "--json")["coverage"]
    share = report["classified"] / (report["classified"] + report["unclassified"])
    assert share >= 0.80, f"Phoenix: {share:.1%} classified"
    assert not [c for c in _classes(tmp_path / "c.db") if c[2] in ARTEFACT_GROUPS]
    assert report["excluded"] > 0
    inventory = tracker.json(
        "inventory", "--authority", code, "--year", str(report["year"]), "--format", "json"
    )
    assert inventory["factor_set"]["source"] == "epa-useeio-naics"
    codes = {c["code"] for c in inventory["by_category"] if c["code"] is not None}
    assert "336112" in codes and all(len(c) == 6 and c.isdigit() for c in codes)
