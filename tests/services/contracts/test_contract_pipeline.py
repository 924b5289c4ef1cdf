"""The pipeline respects sharing consent exactly as /compare does (aggregate_access_ids).

Three authorities renew waste contracts (CPV 90 → Defra 38): A does not share, B shares,
C does not share. Each contract runs 1 April 2024 - 31 March 2027 (1,095 days, so its
value a year is value × 365.25 / 1095) at 2024 prices: the 2023 factor 1.30688 with UK
CPI 130.5 / 133.9 (shipped D7BT). Today is 15 January 2026, so 31 March 2027 is 14.5
months away: "within 15 months".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from contract_factories import make_contract
from factories import make_authority
from sqlalchemy.orm import Session

from dashboards.format import money, tonnes
from tracker.access import Viewer
from tracker.models import Authority
from tracker.services.contracts.pipeline import pipeline
from tracker.services.reference import load_shipped_reference_data

D = dt.date
TODAY = D(2026, 1, 15)


@pytest.fixture
def three(session: Session) -> dict[str, Authority]:
    load_shipped_reference_data(session)
    out = {}
    for key, shares in (("a", False), ("b", True), ("c", False)):
        auth = make_authority(session, name=f"{key.upper()} Council")
        auth.share_in_comparisons = shares
        make_contract(session, authority_id=auth.id, supplier="Binco Ltd", start=D(2024, 4, 1),
                      end=D(2027, 3, 31), value="1095000", title=f"{key} secret waste")  # fmt: skip
        out[key] = auth
    # Out of the window: ends within six months.
    make_contract(session, authority_id=out["b"].id, supplier="Binco Ltd", start=D(2024, 4, 1),
                  end=D(2026, 3, 31), value="99999999")  # fmt: skip
    session.flush()
    return out


def test_officer_sees_own_and_sharing_authorities_only(
    session: Session, three: dict[str, Authority]
) -> None:
    a, b, c = three["a"], three["b"], three["c"]
    p = pipeline(
        session, Viewer(1, "o@x", "officer", a.id), today=TODAY, money=money, tonnes=tonnes
    )
    assert set(p.authorities) >= {a.code, b.code} and c.code not in p.authorities
    mine = {a.code, b.code, c.code}
    assert {x.authority_code for x in p.contracts} & mine == {a.code, b.code}
    (op,) = [o for o in p.opportunities if a.code in o.group.authorities]
    assert op.group.authorities == tuple(sorted((a.code, b.code)))
    # 2 × 1,095,000 × 365.25 / 1095 = £730,500 a year
    assert op.group.value_a_year == Decimal("730500")
    # 730,500 × 130.5 × 1.30688 / 133.9 = 930,434.63 kg (bc)
    assert op.group.kg_a_year == pytest.approx(Decimal("930434.63"), abs=Decimal("0.01"))
    assert op.months == 15
    assert op.sentence.startswith("Two authorities renew Waste collection")
    assert op.sentence.endswith("with one supplier within 15 months: £730,500 and 930 tCO2e a year")
    # B's contract title is not shown to A's officer; A's own is.
    titles = {x.authority_code: x.title for x in p.contracts}
    assert titles == {a.code: "a secret waste", b.code: ""}


def test_admin_sees_all_three(session: Session, three: dict[str, Authority]) -> None:
    p = pipeline(session, Viewer(1, "a@x", "admin", None), today=TODAY, money=money, tonnes=tonnes)
    (op,) = [o for o in p.opportunities if three["a"].code in o.group.authorities]
    # (On PostgreSQL, contracts committed by CLI tests may join the group.)
    assert set(op.group.authorities) >= {three[k].code for k in "abc"}


def test_window_must_run_forward(session: Session, three: dict[str, Authority]) -> None:
    with pytest.raises(ValueError):
        pipeline(session, Viewer(1, "a@x", "admin", None), today=TODAY, money=money,
                 tonnes=tonnes, from_months=12, to_months=6)  # fmt: skip


def test_an_authority_without_usable_factors_does_not_break_it(
    session: Session, three: dict[str, Authority]
) -> None:
    """B's factor set is not loaded: its contract keeps its value a year, without a
    category or tonnes, and everyone's pipeline still opens."""
    three["b"].default_factor_family = "not-loaded"
    p = pipeline(session, Viewer(1, "o@x", "officer", three["a"].id), today=TODAY,
                 money=money, tonnes=tonnes)  # fmt: skip
    (b,) = [x for x in p.contracts if x.authority_code == three["b"].code]
    assert (b.category_code, b.kg_a_year, b.value_a_year) == (None, None, Decimal("365250"))


def test_contracts_with_a_doubtful_end_date_are_left_out_and_counted(
    session: Session, three: dict[str, Authority]
) -> None:
    """B's two more waste contracts end in the window, but one ends before it starts and
    the other is flagged implausible too: neither is grouped nor ranked; both are counted,
    the second under both reasons."""
    b = three["b"]
    before = make_contract(session, authority_id=b.id, supplier="Binco Ltd",
                           start=D(2028, 4, 1), end=D(2027, 3, 31), value="5000000")  # fmt: skip
    before.flags = ["end_date_before_start"]
    both = make_contract(session, authority_id=b.id, supplier="Binco Ltd",
                         start=D(2028, 4, 1), end=D(2027, 3, 31), value="7000000")  # fmt: skip
    both.flags = ["end_date_before_start", "end_date_implausible", "value_negative"]
    session.flush()
    p = pipeline(session, Viewer(1, "o@x", "officer", three["a"].id), today=TODAY,
                 money=money, tonnes=tonnes)  # fmt: skip
    ids = {x.contract_id for x in p.contracts}
    assert before.id not in ids and both.id not in ids
    (op,) = [o for o in p.opportunities if three["a"].code in o.group.authorities]
    assert op.group.value_a_year == Decimal("730500")  # as without them
    assert p.left_out == {"total": 2, "end_date_before_start": 2, "end_date_implausible": 1}
    assert p.left_out_text == (
        "2 contracts ending in this window were left out because their end date is doubtful "
        "(ends before it starts: 2; ends implausibly late (over 30 years after it starts, or "
        "after 2099): 1)."
    )
    out = p.as_dict()["left_out"]
    assert out["doubtful_end_date"] == 2
    assert out["by_reason"]["ends before it starts"] == 2
