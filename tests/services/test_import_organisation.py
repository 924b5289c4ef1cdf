"""A file naming another body than the authority is refused unless the officer confirms
(issue 16: "another council's file ... went in without a word")."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import shared_file
from tracker.errors import TrackerError
from tracker.models import AuditEntry, Authority, ImportBatch, SpendLine
from tracker.services import imports
from tracker.services.aliases import add_alias, aliases, remove_alias
from tracker.services.authorities import add_authority

CSV = (
    "Body Name,Payment Date,Supplier Name,Amount\n"
    "Manchester City Council,01/09/2014,Ecomix,646.40\n"
    "Manchester City Council,02/09/2014,Acme Ltd,100.00\n"
)


def _authority(session: Session, name: str) -> Authority:
    return add_authority(session, code="O" + uuid.uuid4().hex[:6], name=name)


def _lines(session: Session, authority_id: int) -> int | None:
    return session.scalar(
        select(func.count()).select_from(SpendLine).where(SpendLine.authority_id == authority_id)
    )


def test_a_file_naming_another_council_is_refused_and_nothing_stored(
    session: Session, tmp_path: Path
) -> None:
    salford = _authority(session, "Salford City Council")
    path = tmp_path / "manchester.csv"
    path.write_text(CSV, encoding="utf-8")
    with pytest.raises(imports.OtherOrganisationError) as refused:
        imports.import_spend_file(
            session, authority=salford, path=path, data_dir=tmp_path / "store"
        )
    assert str(refused.value).startswith(
        "manchester.csv: column 'Body Name' names 'Manchester City Council', "
        "not Salford City Council. Nothing was stored."
    )
    assert _lines(session, salford.id) == 0
    # a dry run reports it without refusing
    dry = imports.import_spend_file(
        session, authority=salford, path=path, data_dir=tmp_path / "store", dry_run=True
    )
    assert dry.other_organisation == (
        "manchester.csv: column 'Body Name' names 'Manchester City Council', "
        "not Salford City Council."
    )
    assert dry.as_dict()["other_organisation"] == dry.other_organisation


def test_a_confirmed_file_is_imported_and_the_confirmation_kept(
    session: Session, tmp_path: Path
) -> None:
    salford = _authority(session, "Salford City Council")
    path = tmp_path / "manchester.csv"
    path.write_text(CSV, encoding="utf-8")
    result = imports.import_spend_file(
        session,
        authority=salford,
        path=path,
        data_dir=tmp_path / "store",
        confirm_organisation=True,
    )
    assert result.rows_imported == 2 and _lines(session, salford.id) == 2
    batch = session.get_one(ImportBatch, result.batch_id)
    assert (
        "organisation confirmed by the officer: manchester.csv: column 'Body Name' names "
        "'Manchester City Council', not Salford City Council."
    ) in batch.report["notes"]


def test_the_own_council_passes_without_confirmation(session: Session, tmp_path: Path) -> None:
    manchester = _authority(session, "Manchester City Council")
    path = tmp_path / "manchester.csv"
    path.write_text(CSV, encoding="utf-8")
    result = imports.import_spend_file(
        session, authority=manchester, path=path, data_dir=tmp_path / "store"
    )
    assert result.other_organisation is None and result.rows_imported == 2


def test_the_real_manchester_file(session: Session, tmp_path: Path) -> None:
    """shared/data/spend/uk-manchester-2014-09.xls: Body Name "Manchester City Council"
    on its 3,584 rows (README there)."""
    path = shared_file("spend", "uk-manchester-2014-09.xls")
    manchester = _authority(session, "Manchester City Council")
    salford = _authority(session, "Salford City Council")
    own = imports.import_spend_file(
        session, authority=manchester, path=path, data_dir=tmp_path / "store", dry_run=True
    )
    assert own.other_organisation is None and own.rows_imported == 3584
    other = imports.import_spend_file(
        session, authority=salford, path=path, data_dir=tmp_path / "store", dry_run=True
    )
    assert other.other_organisation == (
        "uk-manchester-2014-09.xls: column 'Body Name' names 'Manchester City Council', "
        "not Salford City Council."
    )
    with pytest.raises(imports.OtherOrganisationError, match="Nothing was stored"):
        imports.import_spend_file(
            session, authority=salford, path=path, data_dir=tmp_path / "store"
        )


def test_a_title_row_naming_another_council(session: Session, tmp_path: Path) -> None:
    salford = _authority(session, "Salford City Council")
    path = tmp_path / "titled.csv"
    path.write_text(
        "Stockport MBC spend over 500 pounds\n\nDate,Supplier,Amount\n01/09/2014,Acme,10.00\n",
        encoding="utf-8",
    )
    dry = imports.import_spend_file(
        session, authority=salford, path=path, data_dir=tmp_path / "store", dry_run=True
    )
    assert dry.other_organisation == (
        "titled.csv: title row 1 names 'Stockport MBC spend over 500 pounds', "
        "not Salford City Council."
    )


HULL_CSV = (
    "Body Name,Payment Date,Supplier Name,Amount\n"
    "Hull City Council,01/09/2014,Ecomix,646.40\n"
    "Hull City Council,02/09/2014,Acme Ltd,100.00\n"
)


def test_a_file_under_an_alias_of_the_authority_is_its_own(
    session: Session, tmp_path: Path
) -> None:
    """Kingston upon Hull City Council publishes as "Hull City Council": refused until the
    name is recorded as an alias, then imported without confirmation."""
    hull = _authority(session, "Kingston upon Hull City Council")
    path = tmp_path / "hull.csv"
    path.write_text(HULL_CSV, encoding="utf-8")
    with pytest.raises(imports.OtherOrganisationError) as refused:
        imports.import_spend_file(session, authority=hull, path=path, data_dir=tmp_path / "s")
    assert str(refused.value).endswith(
        f"or record the name it publishes under: tracker authority alias add {hull.code} NAME."
    )
    assert add_alias(session, hull, "  Hull   City Council ", actor="ana") is True
    assert add_alias(session, hull, "HULL CITY COUNCIL", actor="ana") is False  # recorded
    assert aliases(session, hull) == ["Hull City Council"]
    result = imports.import_spend_file(session, authority=hull, path=path, data_dir=tmp_path / "s")
    assert result.other_organisation is None and result.rows_imported == 2
    # Removed, the name is another body's again (the dry run of the next file says so).
    assert remove_alias(session, hull, "hull city council", actor="ana") == "Hull City Council"
    later = tmp_path / "hull-october.csv"
    later.write_text(HULL_CSV.replace("/09/2014", "/10/2014"), encoding="utf-8")
    dry = imports.import_spend_file(
        session, authority=hull, path=later, data_dir=tmp_path / "s", dry_run=True
    )
    assert dry.other_organisation == (
        "hull-october.csv: column 'Body Name' names 'Hull City Council', "
        "not Kingston upon Hull City Council."
    )
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.authority_id == hull.id).order_by(AuditEntry.id)
    ).all()
    assert actions == ["alias add", "alias remove"]


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("   ", "An alias needs a name"),
        ("x" * 201, r"at most 200 characters \(201 given\)"),
        ("kingston upon hull city council", "own name or code: it needs no alias"),
    ],
)
def test_an_alias_that_cannot_be_one_is_refused(session: Session, name: str, says: str) -> None:
    hull = _authority(session, "Kingston upon Hull City Council")
    with pytest.raises(TrackerError, match=says):
        add_alias(session, hull, name, actor="ana")


def test_removing_an_unknown_alias_lists_the_known_ones(session: Session) -> None:
    hull = _authority(session, "Kingston upon Hull City Council")
    add_alias(session, hull, "Hull City Council", actor="ana")
    with pytest.raises(TrackerError) as missing:
        remove_alias(session, hull, "Hull CC", actor="ana")
    assert str(missing.value) == (
        f"{hull.code} has no alias 'Hull CC' (aliases: 'Hull City Council')."
    )
