"""Whether a file's organisation column or title rows name the authority (issue 16).

The organisation values are those of the real files in shared/data/spend (README there):
Manchester "Manchester City Council" (Body Name), Stockport "SMBC", Trafford "Trafford"
(Body name) and "Trafford Council" (OrganisationLabel), Leeds "Leeds City Council" and
"Leeds City Council as Accountable Body", Salford "salford" (org_short_name), Oxford
"Oxford City Council" (body_name).
"""

from __future__ import annotations

import pytest

from tracker.domain.organisation import (
    NameFound,
    describe_other_bodies,
    initials,
    is_organisation_header,
    name_key,
    other_bodies,
    same_body,
)

MANCHESTER = ["Manchester City Council", "MAN"]
SALFORD = ["Salford City Council", "SAL"]


@pytest.mark.parametrize(
    "header, expected",
    [
        ("Body Name", True),
        ("Body name", True),
        ("body_name", True),
        ("OrganisationLabel", True),
        ("Organisation Label", True),
        ("org_short_name", True),
        ("Authority", True),
        ("Organisation Code", False),  # a URI, not a name
        ("Supplier Name", False),
        ("Service Area", False),
    ],
)
def test_organisation_headers(header: str, expected: bool) -> None:
    assert is_organisation_header(header) is expected


def test_name_key_drops_case_punctuation_and_the_kind_of_body() -> None:
    assert name_key("Manchester City Council") == "manchester"
    assert name_key("City of Manchester") == "manchester"
    assert name_key("STOCKPORT METROPOLITAN BOROUGH COUNCIL") == "stockport"
    assert name_key("Trafford Council.") == "trafford"
    assert name_key("London Borough of Lambeth") == "lambeth"
    assert initials("Stockport Metropolitan Borough Council") == "smbc"


@pytest.mark.parametrize(
    "found, names",
    [
        ("Manchester City Council", MANCHESTER),
        ("MANCHESTER CITY COUNCIL", MANCHESTER),
        ("salford", SALFORD),
        ("SMBC", ["Stockport Metropolitan Borough Council", "STO"]),
        ("Trafford", ["Trafford Council", "TRA"]),
        ("Trafford Council", ["Trafford Metropolitan Borough Council"]),
        ("Leeds City Council as Accountable Body", ["Leeds City Council"]),
        ("Oxford City Council", ["Oxford City Council"]),
        ("SAL", SALFORD),  # the authority's own code
        ("salford", ["Salford City Council (test)"]),
    ],
)
def test_the_same_body(found: str, names: list[str]) -> None:
    assert same_body(found, names)


@pytest.mark.parametrize(
    "found, names",
    [
        ("Manchester City Council", SALFORD),
        ("salford", MANCHESTER),
        ("SMBC", SALFORD),  # Salford City Council's initials are "scc"
        ("Trafford", ["Stockport Metropolitan Borough Council"]),
        ("Greater Manchester Combined Authority", MANCHESTER),
        ("Salfordshire", SALFORD),  # whole words only
    ],
)
def test_another_body(found: str, names: list[str]) -> None:
    assert not same_body(found, names)


def test_a_manchester_file_passes_into_manchester_and_is_stopped_in_salford() -> None:
    found = [NameFound("Body Name", "Manchester City Council")]
    assert other_bodies(found, MANCHESTER) == []
    assert other_bodies(found, SALFORD) == found
    message = describe_other_bodies("uk-manchester-2014-09.xls", found, "Salford City Council")
    assert message == (
        "uk-manchester-2014-09.xls: column 'Body Name' names 'Manchester City Council', "
        "not Salford City Council."
    )


def test_uris_and_blank_values_name_nobody() -> None:
    found = [
        NameFound("Body", "http://statistics.data.gov.uk/id/local-authority/00BU"),
        NameFound("Body Name", "  "),
    ]
    assert other_bodies(found, SALFORD) == []


def test_title_rows_count_only_when_they_name_a_council() -> None:
    lambeth = NameFound("title row 1", "Lambeth Invoices Over Specified Nett Amount")
    assert other_bodies([lambeth], SALFORD) == []  # says no "council": names no body
    stockport = NameFound("title row 1", "Stockport MBC - spend over £500, September 2014")
    assert other_bodies([stockport], SALFORD) == [stockport]
    assert other_bodies([stockport], ["Stockport Metropolitan Borough Council"]) == []
    own = NameFound("title row 2", "Salford City Council payments to suppliers")
    assert other_bodies([own], SALFORD) == []
    message = describe_other_bodies("s.csv", [stockport], "Salford City Council")
    assert message == (
        "s.csv: title row 1 names 'Stockport MBC - spend over £500, September 2014', "
        "not Salford City Council."
    )


def test_the_refusal_lists_each_column_once_with_its_names() -> None:
    found = [
        NameFound("Body Name", "Manchester City Council"),
        NameFound("Body Name", "Trafford Council"),
        NameFound("OrganisationLabel", "Trafford Council"),
        NameFound("title row 1", "Stockport MBC spend over £500"),
    ]
    others = other_bodies(found, SALFORD)
    assert others == found
    assert describe_other_bodies("f.csv", others, "Salford City Council") == (
        "f.csv names other bodies than Salford City Council:\n"
        "  column 'Body Name' names 'Manchester City Council' and 'Trafford Council';\n"
        "  column 'OrganisationLabel' names 'Trafford Council';\n"
        "  title row 1 names 'Stockport MBC spend over £500'."
    )
    many = [NameFound("Body", name) for name in ("Bury", "Bolton", "Wigan", "Oldham", "Leeds")]
    assert describe_other_bodies("g.csv", many, "Salford City Council") == (
        "g.csv: column 'Body' names 'Bury', 'Bolton', 'Wigan' and 2 more, not Salford City Council."
    )


def test_an_alias_is_one_of_the_authoritys_names() -> None:
    # "Kingston upon Hull" and "Hull" share no start of their distinctive words.
    hull = ["Kingston upon Hull City Council", "HUL"]
    found = [NameFound("Body Name", "Hull City Council")]
    assert other_bodies(found, hull) == found
    assert other_bodies(found, [*hull, "Hull City Council"]) == []
