"""Every real contracts file in ../shared/data/contracts imports or is refused with a
reason, with counts from the files' README (shared/data/contracts/README.md) or counted
here with plain ``json`` and ``csv``, never from the importer's own output."""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import shared_file
from tracker.importers.contracts import ParsedParty, parse_contract_file

pytestmark = pytest.mark.shared


def contracts_file(name: str) -> Path:
    return shared_file("contracts", name)


def test_file1_release_package() -> None:
    """README: 100 releases, 94 ocids, 6 of them with two releases to compile; 59 awards,
    two of them repeated by an awardUpdate of the same award id."""
    path = contracts_file("uk_contracts_finder_ocds_release_package_2025-01-23.json")
    releases = json.loads(path.read_text(encoding="utf-8"))["releases"]
    awards = {(r["ocid"], a["id"]) for r in releases for a in r.get("awards", [])}
    suppliers = {
        (r["ocid"], a["id"], s["id"])
        for r in releases
        for a in r.get("awards", [])
        for s in a["suppliers"]
    }
    with_award = {ocid for ocid, _ in awards}
    assert (len(releases), len({r["ocid"] for r in releases}), len(awards)) == (100, 94, 57)
    parsed = parse_contract_file(path)
    assert (parsed.format, parsed.records, parsed.refused, parsed.skipped) == (
        "ocds-release-package",
        100,
        [],
        [],
    )
    awarded = [c for c in parsed.contracts if c.status == "awarded"]
    planned = [c for c in parsed.contracts if c.status == "planned"]
    assert len(awarded) == len(awards) == 57
    assert len(planned) == 94 - len(with_award) == 37
    assert sum(len(c.parties) for c in awarded) == len(suppliers) == 70
    assert all(c.classification_scheme == "CPV" for c in parsed.contracts)  # all 100 have CPV
    # README: Merton's parking pilot, tender value 372,032, awarded at 93,007.
    [merton] = [c for c in awarded if c.buyer_name == "London Borough of Merton"
                and c.title == "Parking Pilot - CEO"]  # fmt: skip
    assert merton.value_amount == Decimal("93007.00")
    assert (merton.start_date, merton.end_date) == (dt.date(2025, 1, 23), dt.date(2025, 4, 23))


def test_file2_tender_lines() -> None:
    """README: 200 packages of one tender release each: 191 unsuccessful, 7 active and 2
    cancelled tenders; only the active ones are (planned) contracts."""
    path = contracts_file("uk_contracts_finder_ocds_tenders_2014-2015.jsonl")
    parsed = parse_contract_file(path)
    assert (parsed.format, parsed.records, len(parsed.refused)) == ("ocds-jsonl", 200, 0)
    assert [c.status for c in parsed.contracts] == ["planned"] * 7
    reasons = sorted(r.message for r in parsed.skipped)
    assert (
        reasons
        == ["no contract: the tender is cancelled and has no award"] * 2
        + ["no contract: the tender is unsuccessful and has no award"] * 191
    )


def test_file3_award_csv() -> None:
    """README: 26,196 rows, 20,778 awards; one contract per award with its suppliers."""
    path = contracts_file("uk_contracts_finder_2022_awards_with_suppliers_and_buyer.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    named = {(r["award_id"], html.unescape(r["supplier_name"]).strip()) for r in rows}
    parties = {k for k in named if k[1]}
    no_supplier = {a for a, name in named if not name} - {a for a, _ in parties}
    late = {
        r["award_id"]
        for r in rows
        if r["award_contractPeriod_endDate"][:4] > "2099"
        or int(r["award_contractPeriod_endDate"][:4]) - int(r["award_contractPeriod_startDate"][:4])
        > 30
    }
    parsed = parse_contract_file(path)
    assert (parsed.format, parsed.records, parsed.refused) == ("award-csv", 26_196, [])
    assert len(parsed.contracts) == 20_778
    assert sum(len(c.parties) for c in parsed.contracts) == len(parties)
    flagged = {c.award_id for c in parsed.contracts if "no_supplier" in c.flags}
    assert flagged == no_supplier and len(no_supplier) == 59
    assert {c.award_id for c in parsed.contracts if "end_date_implausible" in c.flags} == late
    # A supplier named twice on an award, once with its identifier, is one party with it.
    arup = [c for c in parsed.contracts if c.award_id == "9837f33d-fcd4-42e6-a937-5e3bf5c3c17e"]
    assert ParsedParty("Ove Arup & Partners Limited", "GB-COH", "01312453") in arup[0].parties
    # README: the latest end date is 2122-04-14, flagged, not silently accepted.
    assert max(c.end_date for c in parsed.contracts if c.end_date) == dt.date(2122, 4, 14)
    # README: CIVICA UK LIMITED is GB-COH 01628868.
    civica = {p for c in parsed.contracts for p in c.parties if p.name == "CIVICA UK LIMITED"}
    assert {(p.scheme, p.identifier) for p in civica} >= {("GB-COH", "01628868")}


def _words(text: str) -> str:
    return " ".join(re.findall(r"[0-9a-z&]+", text.casefold().replace("limited", "ltd")))


def test_file4_contract_register() -> None:
    """README: 5,729 rows, 355 without the organisation, 6 negative values in
    parentheses. A contract is a reference, supplier and title (a row without a
    reference adds its start date); rows repeating one are reported, not stored twice."""
    path = contracts_file("norfolk_county_council_contracts_register_2015-03-28.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    ref = "Contract Reference number / ID"
    keys = {
        (r[ref].strip(), _words(r["Supplier name"]), _words(r["Title of the Agreement"]),
         "" if r[ref].strip() else r["Contract start date"].strip())
        for r in rows
    }  # fmt: skip
    parsed = parse_contract_file(path)
    assert (parsed.format, parsed.records, parsed.refused) == ("contract-register-csv", 5729, [])
    assert len(parsed.contracts) == len(keys) == 5639
    assert len(parsed.skipped) == 5729 - 5639
    assert {c.buyer_name for c in parsed.contracts} == {"Norfolk County Council"}
    negative = [c for c in parsed.contracts if "value_negative" in c.flags]
    assert len(negative) == 6 and Decimal("-3728") in {c.value_amount for c in negative}
    filled = sum("buyer_filled" in c.flags for c in parsed.contracts)
    assert filled <= 355 and filled > 300  # repeats among the 355 are not stored twice
    # README: "gb/02165763" style and bare company numbers, e.g. row 2 (INCATERN LIMITED).
    assert parsed.contracts[0].parties == [ParsedParty("INCATERN LIMITED", "GB-COH", "02165763")]


def test_file5_record_lines() -> None:
    """README: 12 records, 10 with a compiledRelease and one award each; 2 (284437,
    284453) only link their releases and are refused, naming the ocid and the field."""
    path = contracts_file("paraguay_dncp_ocds_record_packages_sample.jsonl")
    parsed = parse_contract_file(path)
    assert (parsed.format, parsed.records, len(parsed.contracts)) == ("ocds-jsonl", 12, 10)
    assert [(r.record.split("ocid ")[1], r.field) for r in parsed.refused] == [
        ("ocds-03ad3f-284437", "compiledRelease"),
        ("ocds-03ad3f-284453", "compiledRelease"),
    ]
    assert {c.classification_scheme for c in parsed.contracts} == {"UNSPSC"}
    assert "Municipalidad de Asunción" in {c.buyer_name for c in parsed.contracts}


def test_file6_portland_record() -> None:
    """README: one record, one award (USD 391,600) and its contract (USD 487,280, the same
    period 2015-09-23 to 2016-12-31) with MOURI Tech LLC."""
    path = contracts_file("portland_or_ocds_record_118001.json")
    parsed = parse_contract_file(path)
    [contract] = parsed.contracts
    assert (contract.value_amount, contract.currency) == (Decimal("487280.00"), "USD")
    assert (contract.start_date, contract.end_date) == (dt.date(2015, 9, 23), dt.date(2016, 12, 31))
    assert contract.buyer_name == "CITYWIDE PROJECTS - OMF"
    assert [p.name for p in contract.parties] == ["MOURI Tech LLC"]
