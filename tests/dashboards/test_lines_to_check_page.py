"""The authority page names a line that carries most of its category's emissions
(tracker.domain.concentration), as ``tracker inventory`` does.

Category 49 at 0.7 kg/£: one £8,000 line (5,600 kg) and nine of £100 (70 kg each): the
category is 5,600 + 9 x 70 = 6,230 kg, the large line 5,600 / 6,230 = 89.9 % of it and,
the category being the whole year, of the year. The page shows it with the line's batch
and row, supplier, date and amount, and the category with the name its factor has in
the run's factor set ("Land transport services", as the set below names code 49); a
year of ten £100 lines shows no such section.
"""

from __future__ import annotations

import uuid

from factories import Line, make_factor_set, make_run
from sqlalchemy.orm import Session, sessionmaker

from dashboards.data.authority import authority_data
from dashboards.layouts.authority import authority_body
from tracker.access import Viewer
from tracker.services.authorities import add_authority

ADMIN = Viewer(user_id=None, email="admin@example.org", role="admin", authority_id=None)


def test_the_authority_page_names_a_line_carrying_its_category(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    f = make_factor_set(session, factors={"49": ("Land transport services", "0.7")})
    big = add_authority(session, code="B" + uuid.uuid4().hex[:7].upper(), name="Big Line")
    lines = [Line("Coach Hire Ltd", "8000.00", "5600", f["49"])]
    lines += [Line(f"Taxi {i}", "100.00", "70", f["49"]) for i in range(9)]
    make_run(session, authority=big, fy_year=2023, lines=lines)
    even = add_authority(session, code="E" + uuid.uuid4().hex[:7].upper(), name="Even")
    make_run(session, authority=even, fy_year=2023,
             lines=[Line(f"Taxi {i}", "100.00", "70", f["49"]) for i in range(10)])  # fmt: skip
    page = authority_data(ADMIN, big.code)
    assert page.selected is not None
    [check] = page.selected.lines_to_check
    # the factory stores the payee as a file's upper case and dates its lines in June
    assert (
        "(COACH HIRE LTD, 2023-06-01, £8,000.00): 89.9 % of the 6.2 tCO2e of category 49 "
        "(Land transport services)" in check
    )
    assert check.endswith("and 89.9 % of the year's. One payment, or a total row or a "
                          "misplaced decimal point?")  # fmt: skip
    body = str(authority_body(page, big.code))
    assert "Lines to check" in body and "COACH HIRE LTD" in body
    quiet = authority_data(ADMIN, even.code)
    assert quiet.selected is not None and quiet.selected.lines_to_check == ()
    assert "Lines to check" not in str(authority_body(quiet, even.code))
