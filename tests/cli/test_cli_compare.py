"""`tracker compare` and `tracker collaboration` end to end, on SQLite and PostgreSQL.

Calendar-year authorities, 2019 spend, Defra "to 2023" factors for 2019 (matched price
year, so no deflation): SIC 42110 → 42.1-2 at 0.350593 kg/£, SIC 87300 → 87 at 0.179044.

* A (100,000 residents): Road Co £1,000,000 → 350,593 kg.
* B (50,000 residents): Road Co £500,000 → 175,296.5 kg; Care Co £500,000 → 89,522 kg;
  total 264,818.5 kg.

Group: (350,593 + 264,818.5) / £2,000,000 = 0.30770575 kg/£; 615,411.5 kg / 150,000
residents = 4.102743 kg each. Road Co is shared: £1,500,000, 525,889.5 kg.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from cli_helpers import TrackerCli


def test_compare_and_collaboration(tracker: TrackerCli, tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:8].upper()
    a, b = f"CA{tag}", f"CB{tag}"
    road, care = f"Road Co {tag}", f"Care Co {tag}"
    header = "Payment Date,Supplier Name,Amount,SIC code\n"
    files = {
        a: header + f"15/06/2019,{road},1000000,42110\n",
        b: header + f"15/06/2019,{road},500000,42110\n15/07/2019,{care},500000,87300\n",
    }
    for code, population in ((a, "100000"), (b, "50000")):
        tracker.run("authority", "add", code, "--name", code, "--population", population,
                    "--fy-start-month", "1")  # fmt: skip
        path = tmp_path / f"{code}.csv"
        path.write_text(files[code])
        tracker.run("import", str(path), "--authority", code)

    result = tracker.json("compare", "--year", "2019", "--json")
    rows = {r["authority"]: r for r in result["authorities"]}
    assert rows[a]["kgco2e"] == pytest.approx(350_593)
    assert rows[a]["kgco2e_per_currency_unit"] == pytest.approx(0.350593)
    assert rows[b]["kgco2e"] == pytest.approx(264_818.5)
    assert rows[b]["kgco2e_per_resident"] == pytest.approx(264_818.5 / 50_000)
    assert rows[b]["factor_set"] == {"family": "defra-uk-sic", "edition": "to-2023"}
    assert rows[b]["classified_share"] == pytest.approx(1)
    groups = {g["group"]: g["share"] for g in rows[b]["category_mix"]}
    assert groups["Construction"] == pytest.approx(175_296.5 / 264_818.5)
    assert groups["Health and social care"] == pytest.approx(89_522 / 264_818.5)
    if set(rows) == {a, b}:  # the group is exactly these two on a fresh database
        group = result["group"]
        assert group["kgco2e_per_currency_unit"]["GBP"]["ratio"] == pytest.approx(0.30770575)
        assert group["kgco2e_per_resident"]["ratio"] == pytest.approx(615_411.5 / 150_000)

    # Every supplier of 2019 in the shared test database, not the top 50: other tests' 2019
    # lines could rank above Care Co and push it out of a short list.
    collab = tracker.json("collaboration", "--year", "2019", "--top", "100000", "--json")
    shared = {s["supplier"]: s for s in collab["shared_suppliers"]}
    assert shared[road]["authorities"] == 2
    assert shared[road]["spend"] == pytest.approx(1_500_000)
    assert shared[road]["kgco2e"] == pytest.approx(525_889.5)
    assert {x["authority"] for x in shared[road]["buyers"]} == {a, b}
    assert care not in shared
    ranked = [s["supplier"] for s in collab["engagement_ranking"]]
    assert ranked.index(road) < ranked.index(care)

    table = tracker.run("compare", "--year", "2019").output
    assert a in table and "kgCO2e per GBP" in table
    text = tracker.run("collaboration", "--year", "2019").output
    assert road in text


def test_compare_with_nothing_to_compare(tracker: TrackerCli) -> None:
    out = tracker.run("compare", "--year", "1990").output
    # No authority has the year, so no financial-year start month names it (issue 16:
    # one year format; it was "for 1990").
    assert "No inventories to compare for the year starting in 1990" in out
    text = tracker.run("collaboration", "--year", "1990").output
    assert "No inventories for the year starting in 1990" in text
    assert tracker.run("collaboration", "--top", "0", ok=False).exit_code == 2


def test_authority_share_switches_sharing_and_is_audited(tracker: TrackerCli) -> None:
    code = "SH" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Sharing Council")
    assert "shares its aggregates" in tracker.run("authority", "share", code, "--on").output
    assert "(unchanged)" in tracker.run("authority", "share", code, "--on").output
    off = tracker.run("authority", "share", code, "--off").output
    assert "does not share" in off
    audit = tracker.json("audit", "--authority", code, "--json")
    assert [e["action"] for e in audit] == ["share", "unshare"]
    assert tracker.run("authority", "share", code, ok=False).exit_code == 2
