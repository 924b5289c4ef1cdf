"""Property: any file either imports completely or is refused with nothing stored."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.errors import TrackerError
from tracker.importers import ImportFileError
from tracker.models import ImportBatch, SpendLine
from tracker.services.authorities import add_authority
from tracker.services.imports import import_spend_file

CELLS = st.one_of(
    st.sampled_from(["01/02/2023", "2023-13-40", "31/02/2023", "Sep 2014", "", "Total", "£1,2,3"]),
    st.sampled_from(["£1,234.56", "-£5.00", "(12.00)", "12.5-", "abc", "1e400", "NaN", " 7 "]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
)
ROWS = st.lists(st.lists(CELLS, min_size=0, max_size=6), max_size=12)
HEADERS = st.sampled_from(
    [
        ["Date", "Supplier", "Amount"],
        ["Payment Date", "Supplier Name", "Net Amount", "VAT", "Gross Amount"],
        ["Name", "Colour"],
        [],
    ]
)


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    def quote(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"'

    lines = [",".join(quote(c) for c in header)] + [",".join(quote(c) for c in r) for r in rows]
    return ("\r\n".join(lines)).encode("utf-8", "surrogatepass")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(header=HEADERS, rows=ROWS, raw=st.binary(max_size=200), use_raw=st.booleans())
def test_import_is_all_or_nothing(
    session: Session, header: list[str], rows: list[list[str]], raw: bytes, use_raw: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload.csv"
        path.write_bytes(raw if use_raw else _csv(header, rows))
        savepoint = session.begin_nested()
        try:
            authority = add_authority(session, code="H" + uuid.uuid4().hex[:8], name="Property")
            try:
                result = import_spend_file(
                    session, authority=authority, path=path, data_dir=Path(tmp) / "store"
                )
            except (TrackerError, ImportFileError) as exc:
                assert str(exc)
                batches = session.scalar(
                    select(func.count())
                    .select_from(ImportBatch)
                    .where(ImportBatch.authority_id == authority.id)
                )
                assert batches == 0
                return
            stored = session.scalar(
                select(func.count())
                .select_from(SpendLine)
                .where(SpendLine.batch_id == result.batch_id)
            )
            assert stored == result.rows_imported > 0
            skipped = sum(result.rows_skipped.values())
            assert result.rows_imported + result.rows_rejected + skipped == result.rows_read
            for error in result.errors:
                assert error.row >= 1 and error.message
        finally:
            savepoint.rollback()
