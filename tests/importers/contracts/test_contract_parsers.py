"""Contract parsers on small files written here, one per format and quirk. Every expected
value is read off the fixture by hand."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from tracker.importers.contracts import ContractFileError, ParsedParty, parse_contract_file
from tracker.importers.contracts.merge import compile_releases
from tracker.importers.limits import ImportLimits

MERTON = {"id": "GB-CFS-1", "name": "London Borough of Merton"}


def release(ocid: str, date: str, **blocks: object) -> dict[str, object]:
    return {"ocid": ocid, "id": f"{ocid}-{date}", "date": date, "tag": ["x"], **blocks}


def period(start: str, end: str) -> dict[str, str]:
    return {"startDate": start, "endDate": end}


def csv_rows(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def write(tmp_path: Path, name: str, content: object) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content), encoding="utf-8")
    return path


def test_compile_follows_the_merge_rules() -> None:
    """Later date wins field by field, whatever the order in the file; arrays of objects
    with ids merge by id; other arrays are replaced; null removes a field."""
    later = release(
        "o",
        "2025-01-02T00:00:00Z",
        awards=[{"id": "a1", "value": {"amount": 90}}, {"id": "a2"}],
        tender={"title": None, "items": [{"x": 2}]},
    )
    earlier = release(
        "o",
        "2025-01-01T00:00:00Z",
        awards=[{"id": "a1", "status": "active", "value": {"amount": 100, "currency": "GBP"}}],
        tender={"title": "T", "status": "complete", "items": [{"x": 1}, {"x": 3}]},
    )
    compiled = compile_releases([later, earlier])
    assert compiled["awards"] == [
        {"id": "a1", "status": "active", "value": {"amount": 90, "currency": "GBP"}},
        {"id": "a2"},
    ]
    assert compiled["tender"] == {"status": "complete", "items": [{"x": 2}]}
    assert compiled["date"] == "2025-01-02T00:00:00Z"


def test_release_package_compiles_an_ocid_and_reads_its_award(tmp_path: Path) -> None:
    tender = release(
        "ocds-1",
        "2025-01-01T10:00:00Z",
        buyer=MERTON,
        tender={
            "title": "Parking",
            "status": "active",
            "procurementMethodDetails": "Open procedure",
            "classification": {"scheme": "CPV", "id": "63712400-3"},
            "value": {"amount": 372032, "currency": "GBP"},
            "contractPeriod": period("2025-02-01T00:00:00Z", "2026-01-31T23:59:59Z"),
        },
    )
    award = release(
        "ocds-1",
        "2025-01-23T22:10:19Z",
        buyer=MERTON,
        parties=[
            {
                "id": "GB-COH-2165763",
                "name": "Marstons Holdings plc",
                "details": {"scale": "large"},
                "identifier": {"scheme": "GB-COH", "id": "2165763"},
                "roles": ["supplier"],
            },
        ],
        awards=[
            {
                "id": "ocds-1-1",
                "status": "active",
                "value": {"amount": 93007.5, "currency": "GBP"},
                "suppliers": [{"id": "GB-COH-2165763", "name": "Marstons Holdings plc"}],
                "contractPeriod": period("2025-01-23T00:00:00Z", "2025-04-23T23:59:59+01:00"),
            }
        ],
    )
    path = write(tmp_path, "package.json", {"releases": [award, tender]})
    parsed = parse_contract_file(path)
    assert (parsed.format, parsed.records, parsed.refused, parsed.skipped) == (
        "ocds-release-package",
        2,
        [],
        [],
    )
    [contract] = parsed.contracts
    assert contract.source_key == "ocds-1/ocds-1-1"
    assert contract.status == "awarded"
    assert contract.buyer_name == "London Borough of Merton"
    assert (contract.classification_scheme, contract.classification_code) == ("CPV", "63712400")
    assert (contract.value_amount, contract.currency) == (Decimal("93007.50"), "GBP")
    # The award's own period, the end date as published in its own offset.
    assert (contract.start_date, contract.end_date) == (dt.date(2025, 1, 23), dt.date(2025, 4, 23))
    assert contract.title == "Parking" and contract.procurement_route == "Open procedure"
    assert contract.parties == [ParsedParty("Marstons Holdings plc", "GB-COH", "02165763", False)]
    assert contract.released_at == dt.datetime(2025, 1, 23, 22, 10, 19, tzinfo=dt.UTC)


def test_tenders_are_planned_or_no_contract(tmp_path: Path) -> None:
    """An open tender is a planned contract with its anticipated period and the minimum
    value flagged when that is all there is; an unsuccessful one is reported, not read."""
    open_tender = release(
        "ocds-2",
        "2014-12-17T16:44:57Z",
        buyer={"name": "Met Office"},
        tender={
            "status": "active",
            "title": " Standing list ",
            "value": {"amount": None},
            "minValue": {"amount": 283630, "currency": "GBP"},
            "contractPeriod": period("2026-04-01T00:00:00+01:00", "2031-03-31T23:59:59+01:00"),
        },
    )
    failed = release(
        "ocds-3",
        "2014-12-18T00:00:00Z",
        buyer={"name": "Met Office"},
        tender={"status": "unsuccessful"},
    )
    lines = "\n".join(json.dumps({"releases": [r]}) for r in (open_tender, failed))
    parsed = parse_contract_file(write(tmp_path, "tenders.jsonl", lines + "\n"))
    assert parsed.format == "ocds-jsonl" and parsed.records == 2
    [planned] = parsed.contracts
    assert planned.status == "planned" and planned.source_key == "ocds-2/tender"
    assert planned.title == "Standing list" and planned.source_row == 1
    assert planned.value_amount == Decimal("283630.00") and planned.flags == ["value_is_minimum"]
    assert (planned.start_date, planned.end_date) == (dt.date(2026, 4, 1), dt.date(2031, 3, 31))
    [skipped] = parsed.skipped
    assert skipped.text("tenders.jsonl") == (
        "tenders.jsonl: line 2, release 1, ocid ocds-3: no contract: the tender is "
        "unsuccessful and has no award"
    )


def test_record_package_uses_compiled_release_and_refuses_links_only(tmp_path: Path) -> None:
    compiled = release(
        "ocds-4",
        "2016-09-07T10:00:00-04:00",
        buyer={"name": "Municipalidad"},
        tender={
            "items": [
                {
                    "classification": {
                        "scheme": "Catálogo DNCP",
                        "id": "30181503-001",
                        "description": "Nivel 5, basado en UNSPSC",
                    }
                }
            ]
        },
        awards=[
            {
                "id": "aw",
                "status": "active",
                "value": {"amount": 100, "currency": "PYG"},
                "suppliers": [
                    {"name": "INFOCENTER S.A", "identifier": {"scheme": "RUC", "id": "80023118-0"}}
                ],
            }
        ],
        contracts=[
            {
                "id": "c1",
                "awardID": "aw",
                "value": {"amount": 60, "currency": "PYG"},
                "period": period("2016-06-28T00:00:00-04:00", "2018-06-28T00:00:00-04:00"),
            },
            {"id": "c2", "awardID": "aw", "value": {"amount": 55, "currency": "PYG"}},
        ],
    )
    package = {
        "records": [
            {
                "ocid": "ocds-4",
                "releases": [{"url": "https://x/1", "date": "2016"}],
                "compiledRelease": compiled,
            },
            {
                "ocid": "ocds-5",
                "releases": [{"url": "https://x/2", "date": "2017", "tag": ["tender"]}],
            },
        ]
    }
    parsed = parse_contract_file(write(tmp_path, "records.json", package))
    assert parsed.format == "ocds-record-package" and parsed.records == 2
    [contract] = parsed.contracts
    # The contracts signed under the award (60 + 55) outrank the award's 100; their span
    # stands in for the award's missing contract period.
    assert (contract.value_amount, contract.currency) == (Decimal("115.00"), "PYG")
    assert (contract.start_date, contract.end_date) == (dt.date(2016, 6, 28), dt.date(2018, 6, 28))
    assert (contract.classification_scheme, contract.classification_code) == ("UNSPSC", "30181503")
    assert contract.parties == [ParsedParty("INFOCENTER S.A", "RUC", "80023118-0")]
    [refused] = parsed.refused
    assert (refused.record, refused.field) == ("record 2, ocid ocds-5", "compiledRelease")
    assert "only links" in refused.message


def test_ocds_refusals_name_record_and_field(tmp_path: Path) -> None:
    bad = [
        release("ocds-6", "2025-01-01T00:00:00Z", tender={"status": "active"}),  # no buyer
        release("ocds-7", "not a date", buyer=MERTON),
        release(
            "ocds-8",
            "2025-01-01T00:00:00Z",
            buyer=MERTON,
            awards=[{"id": "1", "value": {"amount": "lots", "currency": "GBP"}}],
        ),
    ]
    parsed = parse_contract_file(write(tmp_path, "bad.json", {"releases": bad}))
    assert [(r.record, r.field) for r in parsed.refused] == [
        ("release 1, ocid ocds-6", "buyer.name"),
        ("release 2, ocid ocds-7", "date"),
        ("release 3, ocid ocds-8", "awards[1].value.amount"),
    ]
    assert parsed.contracts == []


REGISTER_HEADER = (
    "Organisation name,Contract Reference number / ID,Title of the Agreement,"
    "Description of goods and services,Contract start date,End date,Contract value,"
    "Supplier name,Supplier registered company number,Tender process type,"
    "Procurement classification: CPV code,SME supplier\n"
)


def test_contract_register_quirks(tmp_path: Path) -> None:
    norfolk, taxis = "Norfolk County Council", ["BAN2", "Taxis", "Transport", "01-Apr-2014"]
    cars = [norfolk, *taxis, "31/12/2050", "1500.50", "A CARS", "2165763", "Invitation to quote"]
    rows = [
        [
            norfolk,
            "BAN1",
            "Day care",
            "Care",
            "01/04/2014",
            "31/03/2016",
            "(3728)",
            "INCATERN LIMITED",
            "gb/02165763",
            "Other",
            "",
            "",
        ],
        [*cars, "60120000-5", "Yes"],
        [
            norfolk,
            *taxis,
            "31/12/2050",
            "1500.50",
            "B TAXIS",
            "SC042425",
            "Invitation to quote",
            "",
            "No",
        ],
        ["", "BAN3", "Grant", "Grant", "", "", "900", "MUTUAL LTD", "IP22981R", "Other", "", ""],
        [*cars, "60120000-5", "Yes"],  # row 3 again
        [norfolk, "BAN4", "Bad", "Bad", "31/02/2014", "", "10", "C LTD", "", "Other", "", ""],
    ]
    path = write(tmp_path, "register.csv", REGISTER_HEADER + csv_rows(rows))
    parsed = parse_contract_file(path)
    assert parsed.format == "contract-register-csv" and parsed.records == 6
    one, two, three, four = parsed.contracts
    assert one.value_amount == Decimal("-3728") and one.flags == ["value_negative"]
    assert (one.start_date, one.end_date) == (dt.date(2014, 4, 1), dt.date(2016, 3, 31))
    assert one.parties == [ParsedParty("INCATERN LIMITED", "GB-COH", "02165763")]
    assert one.currency == "GBP" and one.status == "awarded" and one.source_row == 2
    # The same reference with two suppliers is two contracts.
    assert two.source_key != three.source_key
    assert two.parties == [ParsedParty("A CARS", "GB-COH", "02165763", True)]
    assert three.parties == [ParsedParty("B TAXIS", "GB-COH", "SC042425", False)]
    assert (two.classification_scheme, two.classification_code) == ("CPV", "60120000")
    assert two.procurement_route == "Invitation to quote"
    assert two.flags == ["end_date_implausible"]  # 2014 to 2050: over 30 years
    assert four.buyer_name == "Norfolk County Council" and four.flags == ["buyer_filled"]
    assert four.parties == [ParsedParty("MUTUAL LTD", "GB-MPR", "IP22981R")]
    [repeat] = parsed.skipped
    assert repeat.record == "row 6" and "row 3" in repeat.message
    [bad] = parsed.refused
    assert bad.text("register.csv") == (
        "register.csv: row 7, Contract start date: date '31/02/2014' is not a valid date"
    )


AWARD_HEADER = (
    "_link_release,buyer_name,award_id,award_title,award_description,award_status,"
    "award_value_amount,award_value_currency,award_contractPeriod_startDate,"
    "award_contractPeriod_endDate,supplier_name,supplier_identifier_scheme,"
    "supplier_identifier_id,supplier_address_streetAddress,supplier_sme\n"
)


def test_award_csv_quirks(tmp_path: Path) -> None:
    period = ["GBP", "2022-06-01T00:00:00", "2023-06-30T00:00:00"]
    rows = [
        [
            "1",
            "Leeds City Council",
            "u-1",
            "",
            "Road works",
            "active",
            "37982.17",
            *period,
            "Ove Arup &amp; Partners Ltd",
            "GB-COH",
            "1628868",
            "Mitre House,\nKirkgate",
            "1.0",
        ],
        [
            "1",
            "Leeds City Council",
            "u-1",
            "",
            "Road works",
            "active",
            "37982.17",
            *period,
            "O&#039;Brien Ltd",
            "",
            "",
            "Leeds",
            "",
        ],
        [
            "2",
            "Leeds City Council",
            "u-2",
            "",
            "Forever",
            "active",
            "10",
            "GBP",
            "2022-01-01T00:00:00",
            "2122-04-14T00:00:00",
            "Acme",
            "",
            "",
            "",
            "",
        ],
        [
            "3",
            "Leeds City Council",
            "u-3",
            "",
            "x",
            "active",
            "10",
            *period,
            "Acme",
            "",
            "",
            "",
            "maybe",
        ],
    ]
    parsed = parse_contract_file(write(tmp_path, "awards.csv", AWARD_HEADER + csv_rows(rows)))
    assert parsed.format == "award-csv" and parsed.records == 4
    first, forever = parsed.contracts
    assert first.source_key == "award:u-1" and first.source_row == 2
    assert first.parties == [
        ParsedParty("Ove Arup & Partners Ltd", "GB-COH", "01628868", True),
        ParsedParty("O'Brien Ltd", None, None, None),
    ]
    assert (first.start_date, first.end_date) == (dt.date(2022, 6, 1), dt.date(2023, 6, 30))
    assert forever.flags == ["end_date_implausible"] and forever.end_date == dt.date(2122, 4, 14)
    [bad] = parsed.refused
    assert (bad.record, bad.field) == ("row 5", "supplier_sme")


def test_files_refused_whole(tmp_path: Path) -> None:
    with pytest.raises(ContractFileError, match=r"big\.json: file is 21 bytes, over the limit"):
        parse_contract_file(
            write(tmp_path, "big.json", '{"releases": [], "x"}'), limits=ImportLimits(max_bytes=10)
        )
    with pytest.raises(ContractFileError, match=r"broken\.json: not valid JSON"):
        parse_contract_file(write(tmp_path, "broken.json", '{"releases": ['))
    with pytest.raises(ContractFileError, match=r"spend\.csv: not a contracts file"):
        parse_contract_file(write(tmp_path, "spend.csv", "Date,Amount,Supplier\n1/1/2024,5,A\n"))
    with pytest.raises(ContractFileError, match=r"many\.csv: more than 1 data rows"):
        parse_contract_file(
            write(tmp_path, "many.csv", AWARD_HEADER + "1,B,u,,,,,,,,S,,,,\n" * 2),
            limits=ImportLimits(max_rows=1),
        )
    with pytest.raises(ContractFileError, match=r"list\.json: the file is a JSON list"):
        parse_contract_file(write(tmp_path, "list.json", "[1, 2]"))


def test_a_long_key_is_cut_to_its_column(tmp_path: Path) -> None:
    """An ocid and award id of 400 characters together give a key of 300, the same each
    time the file is read (so a re-import finds it)."""
    long = release("o" * 200, "2025-01-01T00:00:00Z", buyer=MERTON,
                   awards=[{"id": "a" * 199, "status": "active"}])  # fmt: skip
    path = write(tmp_path, "long.json", {"releases": [long]})
    keys = [parse_contract_file(path).contracts[0].source_key for _ in range(2)]
    assert len(keys[0]) == 300 and keys[0] == keys[1]


def test_an_unreadable_supplier_identifier_is_said_not_dropped(tmp_path: Path) -> None:
    """A Companies House number is eight characters (gov.uk "Companies House company
    number"): "N/A-123" is none. Without a supplier name, a row repeating an award was
    reported as if it named the same supplier, and a row of its own was kept with no
    word of the identifier given; with a name, the identifier was dropped silently."""
    period = ["GBP", "2022-06-01T00:00:00", "2023-06-30T00:00:00"]

    def award(award_id: str, supplier: str, identifier: str) -> list[str]:
        return ["1", "Leeds City Council", award_id, "", "Works", "active", "100", *period,
                supplier, "GB-COH", identifier, "", ""]  # fmt: skip

    rows = [
        award("u-1", "Acme Ltd", "1628868"),
        award("u-1", "", "N/A-123"),  # the same award, no name, an unreadable number
        award("u-2", "", "N/A-123"),
        award("u-3", "Beta Ltd", "N/A-123"),
    ]
    parsed = parse_contract_file(write(tmp_path, "awards.csv", AWARD_HEADER + csv_rows(rows)))
    assert parsed.records == 4 and parsed.refused == []
    first, nameless, named = parsed.contracts
    assert first.flags == [] and first.parties == [ParsedParty("Acme Ltd", "GB-COH", "01628868")]
    assert nameless.flags == ["no_supplier", "supplier_identifier_unreadable"]
    assert named.flags == ["supplier_identifier_unreadable"]
    assert named.parties == [ParsedParty("Beta Ltd", None, None)]
    [repeat] = parsed.skipped
    assert repeat.text("awards.csv") == (
        "awards.csv: row 3, supplier_name: repeats the contract of row 2 and names no "
        "supplier (its supplier identifier is no valid number of its register); the first "
        "is kept"
    )
    register = [["Norfolk County Council", "BAN1", "Day care", "Care", "01/04/2014",
                 "31/03/2016", "10", "C LTD", "N/A-123", "Other", "", ""]]  # fmt: skip
    path = write(tmp_path, "register.csv", REGISTER_HEADER + csv_rows(register))
    [kept] = parse_contract_file(path).contracts
    assert kept.flags == ["supplier_identifier_unreadable"]


def test_a_register_value_stated_with_vat_is_flagged(tmp_path: Path) -> None:
    """A council's register headed "Contract value (inc VAT)" keeps the value as published,
    flagged so that estimates take it net of VAT."""
    header = REGISTER_HEADER.replace("Contract value,", "Contract value (inc VAT),")
    register = [["Norfolk County Council", "BAN1", "Day care", "Care", "01/04/2014",
                 "31/03/2016", "1200", "C LTD", "", "Other", "", ""]]  # fmt: skip
    [kept] = parse_contract_file(write(tmp_path, "r.csv", header + csv_rows(register))).contracts
    assert (kept.value_amount, kept.flags) == (Decimal("1200.00"), ["value_includes_vat"])


def _award_value(tmp_path: Path, value: dict[str, object], name: str) -> tuple[object, ...]:
    """The value and flags of the one contract of an award whose OCDS value is ``value``."""
    award = release(
        "ocds-vat",
        "2025-01-23T10:00:00Z",
        buyer=MERTON,
        awards=[{"id": "1", "status": "active", "value": value,
                 "suppliers": [{"name": "Care Ltd"}]}],
    )  # fmt: skip
    [contract] = parse_contract_file(write(tmp_path, name, {"releases": [award]})).contracts
    return contract.value_amount, contract.currency, contract.flags


def test_an_ocds_value_is_taken_net_of_vat_or_flagged(tmp_path: Path) -> None:
    """OCDS 1.2's Value object gives ``amountNet`` and ``amountGross`` beside ``amount``:
    the net amount is taken when given; a value the publisher says includes VAT (only
    ``amountGross``, ``valueAddedTaxIncluded``, or ``amount`` equal to ``amountGross``) is
    kept as published and flagged, as a register's "inc VAT" column is, so that estimates
    take it net (1,200 / 1.2 = 1,000)."""
    both = {"amount": 1200, "amountNet": 1000, "amountGross": 1200, "currency": "GBP"}
    assert _award_value(tmp_path, both, "both.json") == (Decimal("1000.00"), "GBP", [])
    gross = {"amountGross": 1200, "currency": "GBP"}
    assert _award_value(tmp_path, gross, "gross.json") == (
        Decimal("1200.00"),
        "GBP",
        ["value_includes_vat"],
    )
    said = {"amount": 1200, "valueAddedTaxIncluded": True, "currency": "GBP"}
    assert _award_value(tmp_path, said, "said.json") == (
        Decimal("1200.00"),
        "GBP",
        ["value_includes_vat"],
    )
    equal = {"amount": 1200, "amountGross": 1200, "currency": "GBP"}
    assert _award_value(tmp_path, equal, "equal.json")[2] == ["value_includes_vat"]
    # amount beside a larger gross amount is the net one; amount alone is read as before
    net = {"amount": 1000, "amountGross": 1200, "currency": "GBP"}
    assert _award_value(tmp_path, net, "net.json") == (Decimal("1000.00"), "GBP", [])
    plain = {"amount": 1000, "currency": "GBP"}
    assert _award_value(tmp_path, plain, "plain.json") == (Decimal("1000.00"), "GBP", [])
    bad = {"amountGross": "lots", "currency": "GBP"}
    award = release("ocds-bad", "2025-01-23T10:00:00Z", buyer=MERTON,
                    awards=[{"id": "1", "value": bad, "suppliers": [{"name": "S"}]}])  # fmt: skip
    parsed = parse_contract_file(write(tmp_path, "bad.json", {"releases": [award]}))
    assert [(r.field, r.message) for r in parsed.refused] == [
        ("awards[1].value.amountGross", "'lots' is not a number")
    ]


def test_a_tender_value_including_vat_is_flagged(tmp_path: Path) -> None:
    tender = release(
        "ocds-t", "2025-01-01T10:00:00Z", buyer=MERTON,
        tender={"title": "Care", "status": "active",
                "value": {"amountGross": 600, "currency": "GBP"}},
    )  # fmt: skip
    [planned] = parse_contract_file(write(tmp_path, "t.json", {"releases": [tender]})).contracts
    assert (planned.status, planned.value_amount, planned.flags) == (
        "planned",
        Decimal("600.00"),
        ["value_includes_vat"],
    )


def test_an_award_csv_value_is_taken_net_of_vat_or_flagged(tmp_path: Path) -> None:
    header = AWARD_HEADER.replace(
        "award_value_amount,", "award_value_amount,award_value_amountNet,"
        "award_value_amountGross,award_value_valueAddedTaxIncluded,"
    )  # fmt: skip
    tail = ["GBP", "2022-06-01T00:00:00", "2023-06-30T00:00:00", "S Ltd", "", "", "", ""]
    rows = [
        ["1", "Leeds City Council", "both", "", "", "active", "1200", "1000", "1200", "", *tail],
        ["2", "Leeds City Council", "gross", "", "", "active", "", "", "1200", "", *tail],
        ["3", "Leeds City Council", "said", "", "", "active", "1200", "", "", "true", *tail],
        ["4", "Leeds City Council", "plain", "", "", "active", "1000", "", "", "", *tail],
    ]
    parsed = parse_contract_file(write(tmp_path, "awards.csv", header + csv_rows(rows)))
    assert parsed.refused == []
    assert [(c.award_id, c.value_amount, c.flags) for c in parsed.contracts] == [
        ("both", Decimal("1000.00"), []),
        ("gross", Decimal("1200.00"), ["value_includes_vat"]),
        ("said", Decimal("1200.00"), ["value_includes_vat"]),
        ("plain", Decimal("1000.00"), []),
    ]
