"""Supplier identity: names and identifiers as the real contract files spell them.

The names below are copied from the Contracts Finder 2022 awards file
(../shared/data/contracts/uk_contracts_finder_2022_awards_with_suppliers_and_buyer.csv);
the expected groups were worked out by reading the file's rows and the companies'
Companies House records, not from this code.
"""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import shared_file
from tracker.domain.supplier_identity import (
    Identifier,
    IdentityIndex,
    SupplierFacts,
    decide,
    match_name,
    may_be_doubtful,
    normalise_identifier,
    split_trading_name,
    trading_key,
)

COH = "GB-COH"


@pytest.mark.parametrize(
    ("scheme", "raw", "expected"),
    [
        ("GB-COH", "01628868", Identifier(COH, "01628868")),
        ("GB-COH", "1628868", Identifier(COH, "01628868")),  # file 3: "1584718" style
        ("GB-COH", "gb/02165763", Identifier(COH, "02165763")),  # Norfolk register style
        (None, "2165763", Identifier(COH, "02165763")),  # bare number, no scheme
        ("gb-coh", " SC319443 ", Identifier(COH, "SC319443")),  # Scottish company
        ("GB-COH", "OC309402", Identifier(COH, "OC309402")),  # LLP
        ("GB-COH", "SC1234", Identifier(COH, "SC001234")),
        ("GB-COH", "2548628.0", Identifier(COH, "02548628")),  # a spreadsheet's float
        ("GB-COH", "0", None),  # file 3 has 51 of these
        ("GB-COH", "", None),
        ("GB-COH", "DX 33050 C", None),  # a document exchange address
        ("GB-COH", "007279669", None),  # nine digits: not a company number
        ("GB-CHC", "1089464", Identifier("GB-CHC", "1089464")),
        ("GB-CHC", "0", None),
        ("GB-SC", "SC012345", Identifier("GB-SC", "SC012345")),
        (None, None, None),
    ],
)
def test_normalise_identifier(scheme: str | None, raw: str | None, expected: object) -> None:
    assert normalise_identifier(scheme, raw) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("CIVICA UK LIMITED", "civica uk"),
        ("Civica UK Ltd.", "civica uk"),
        ("Ove Arup &amp; Partners Ltd", "ove arup and partners"),
        ("OVE ARUP & PARTNERS LIMITED", "ove arup and partners"),
        ("St Raphael&#039;s Orthodontics Limited", "st raphael s orthodontics"),
        ("COMPUTACENTER (U K) LTD", "computacenter uk"),
        ("Emergency One (U.K.) Limited", "emergency one uk"),
        ("IBM United Kingdom Limited", "ibm uk"),
        ("FISHER SCIENTIFIC U.K., LIMITED", "fisher scientific uk"),
        ("Ford Motor Company Limited", "ford motor"),
        ("Smith & Co", "smith"),
        ("Krol Corlett Construction Limted", "krol corlett construction"),
        ("Ridge and Partners LLP", "ridge and partners"),
        ("LEWIS LIVE LIMITED T/A LIVE GROUP", "lewis live"),
        ("The Casey Group Ltd", "casey group"),
        ("GRANICUS LLC", "granicus"),  # another country's legal form, at the end only
        ("Arup Singapore Pte Ltd", "arup singapore"),
        ("AB Hotels Ltd", "ab hotels"),
        ("   ", ""),
    ],
)
def test_match_name(name: str, expected: str) -> None:
    assert match_name(name) == expected


def test_trading_name_is_split_off() -> None:
    assert split_trading_name("NSS Properties Ltd T/A Saltaire Orthodontics") == (
        "NSS Properties Ltd",
        "Saltaire Orthodontics",
    )
    assert split_trading_name("Woods Building Services Limited t/a AA Woods") == (
        "Woods Building Services Limited",
        "AA Woods",
    )


def _facts(name: str, *ids: str) -> SupplierFacts:
    return SupplierFacts(name, frozenset(Identifier(COH, i) for i in ids))


def test_identifier_beats_name() -> None:
    # 02081369 is Dell Corporation Limited; file 3 also calls it "Dell Technologies".
    d = decide(
        _facts("DELL CORPORATION LIMITED", "02081369"), _facts("Dell Technologies", "02081369")
    )
    assert d.verdict == "same"
    assert d.reasons == ("same Companies House number 02081369",)


def test_two_company_numbers_never_merge_whatever_the_names() -> None:
    d = decide(_facts("Civica UK Limited", "01628868"), _facts("Civica UK Ltd", "09999999"))
    assert d.verdict == "different"
    assert "01628868" in d.reasons[0] and "09999999" in d.reasons[0]


@pytest.mark.parametrize(
    ("a", "b", "verdict"),
    [
        ("CIVICA UK LIMITED", "Civica UK Ltd.", "same"),
        ("Ove Arup &amp; Partners Limited", "OVE ARUP & PARTNERS LIMITED", "same"),
        ("Computacenter (UK) Ltd", "COMPUTACENTER (U K) LTD", "same"),
        ("Phoenix Software Ltd", "Phonenix Software Ltd", "doubtful"),  # a typo in file 3
        ("Specialist Computer Centres Plc", "Specialised Computer Centres", "doubtful"),
        ("Ernst &amp; Young LLP", "Ernst &amp; Young (EY) LLP", "doubtful"),
        ("Allpay", "ALLPAY LIMITED", "same"),
        ("Fisher Scientific", "FISHER SCIENTIFIC U.K., LIMITED", "doubtful"),
        ("LEWIS LIVE LIMITED T/A LIVE GROUP", "Live Group Ltd", "doubtful"),
        ("Hatch Regeneris", "HATCH ASSOCIATES LIMITED", "different"),
        ("Civica UK Limited", "Capita Business Services Ltd", "different"),
    ],
)
def test_decide_on_names(a: str, b: str, verdict: str) -> None:
    assert decide(SupplierFacts(a), SupplierFacts(b)).verdict == verdict


def test_index_groups_real_spellings() -> None:
    """The spellings of file 3 resolve to the hand-worked groups, in file order."""
    rows = [
        ("CIVICA UK LIMITED", "01628868"),
        ("Civica UK Ltd.", None),  # no identifier: joins by name
        ("Civica UK Limited", "1628868"),  # unpadded number
        ("Phoenix Software Limited", "02548628"),
        ("Phonenix Software Ltd", None),  # doubtful: a review, not a merge
        ("Phonenix Software Ltd", "02548628"),  # the number settles it
        ("Civica UK Ltd", "09999999"),  # another company with the same name
    ]
    index = IdentityIndex()
    assigned: list[int] = []
    verdicts: list[str] = []
    next_id = 1
    for name, raw in rows:
        ident = normalise_identifier(COH, raw)
        facts = SupplierFacts(name, frozenset([ident]) if ident else frozenset())
        res = index.resolve(facts)
        verdicts.append(res.verdict)
        if res.supplier_id is None:
            sid, next_id = next_id, next_id + 1
        else:
            sid = res.supplier_id
        index.add(sid, facts)
        assigned.append(sid)
    assert verdicts == ["new", "same", "same", "new", "doubtful", "same", "new"]
    assert assigned == [1, 1, 1, 2, 3, 2, 4]


# --- properties -------------------------------------------------------------------------

names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
numbers = st.integers(min_value=1, max_value=99_999_999)


@given(names, names)
def test_decide_is_symmetric(a: str, b: str) -> None:
    assert decide(SupplierFacts(a), SupplierFacts(b)).verdict == (
        decide(SupplierFacts(b), SupplierFacts(a)).verdict
    )


@given(names, names, numbers, numbers)
def test_different_company_numbers_never_same(a: str, b: str, x: int, y: int) -> None:
    ia, ib = normalise_identifier(COH, str(x)), normalise_identifier(COH, str(y))
    assert ia is not None and ib is not None
    verdict = decide(SupplierFacts(a, frozenset([ia])), SupplierFacts(b, frozenset([ib]))).verdict
    assert verdict == ("same" if x == y else "different")


@given(numbers)
def test_identifier_normalisation_is_idempotent_and_accepts_every_spelling(n: int) -> None:
    ident = normalise_identifier(COH, str(n))
    assert ident is not None and len(ident.value) == 8
    assert normalise_identifier(COH, ident.value) == ident
    assert normalise_identifier(COH, f"gb/{ident.value}") == ident
    assert normalise_identifier(None, f" {n} ") == ident


@given(
    st.from_regex(r"[A-Za-z][A-Za-z ]{2,30}", fullmatch=True),
    st.sampled_from(["Ltd", "Limited", "LIMITED", "Ltd.", "PLC", "plc", "LLP"]),
)
def test_legal_form_and_case_do_not_change_identity(stem: str, form: str) -> None:
    assert decide(SupplierFacts(stem), SupplierFacts(f"{stem.upper()} {form}")).verdict in (
        "same",
        "different",  # only when the stem itself is made of legal-form words or empty
    )
    if match_name(stem):
        assert match_name(f"{stem.upper()} {form}") == match_name(stem)


# --- the real file ----------------------------------------------------------------------


def test_real_file_suppliers_across_councils() -> None:
    """Resolving every supplier of file 3 puts each company's rows on one supplier.

    Expected, rows with the company number: the shared/data/contracts README's table
    "Same supplier across councils, file 3" (councils = distinct buyer names containing
    "Council"): Civica 7, Phoenix 6, NEC Software Solutions 4, Allpay 4. All rows: the
    councils listed by hand below from the file's rows naming Civica UK and Allpay (with
    or without the number; "Civica Election Services" is another company, 02263092, and
    "ALLPAY GROUP" only a doubtful match).
    """
    path = shared_file("contracts", "uk_contracts_finder_2022_awards_with_suppliers_and_buyer.csv")
    index = IdentityIndex()
    with_number: dict[int, set[str]] = defaultdict(set)
    every_row: dict[int, set[str]] = defaultdict(set)
    by_number: dict[str, int] = {}
    next_id = 1
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            scheme = row["supplier_identifier_scheme"]
            ident = normalise_identifier(scheme, row["supplier_identifier_id"]) if scheme else None
            facts = SupplierFacts(
                row["supplier_name"], frozenset([ident]) if ident else frozenset()
            )
            res = index.resolve(facts)
            sid = res.supplier_id
            if sid is None:
                sid, next_id = next_id, next_id + 1
            index.add(sid, facts)
            if ident:
                by_number.setdefault(ident.value, sid)
                assert by_number[ident.value] == sid, row["supplier_name"]
            if "Council" in row["buyer_name"]:
                every_row[sid].add(row["buyer_name"])
                if ident:
                    with_number[sid].add(row["buyer_name"])
    numbers = ("01628868", "02548628", "00968498", "02933191")
    assert [len(with_number[by_number[n]]) for n in numbers] == [7, 6, 4, 4]
    assert every_row[by_number["01628868"]] == {
        "Brighton & Hove City Council",
        "Durham County Council",
        "Epping Forest District Council",
        "Norwich City Council",
        "Rugby Borough Council",
        "South Tyneside Council",
        "Wolverhampton City Council",
        "Bournemouth Christchurch and Poole Council",
        "Bristol City Council",
        "Leeds City Council",
        "Liverpool City Council",
        "Runnymede Borough Council",
        "St.Helens Council",
        "West Lindsey District Council",
    }
    assert every_row[by_number["02933191"]] == {
        "Eastbourne Borough Council",
        "Epping Forest District Council",
        "London Borough of Camden Council",
        "Nottingham City Council",
        "Liverpool City Council",
        "Wyre Forest District Council",
    }


_WORDS = ["Civica", "Civic", "UK", "Amey", "Amy", "Live", "Group", "Lewis", "Ltd", "T/A", "&",
          "Services", "Service", "The", "Co", "Highways", "Highway", "Limited"]  # fmt: skip
company_names = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=5).map(" ".join)


@given(company_names | names, company_names | names)
def test_the_prefilter_never_hides_a_doubtful_pair(a: str, b: str) -> None:
    """IdentityIndex skips decide() where may_be_doubtful is False: decide must then say
    something other than doubtful, or the index's decisions would change."""
    if not may_be_doubtful(match_name(a), trading_key(a), match_name(b), trading_key(b)):
        assert decide(SupplierFacts(a), SupplierFacts(b)).verdict != "doubtful"


@pytest.mark.parametrize(
    ("a", "b", "doubtful"),
    [
        ("Civica", "Civica UK Ltd", True),  # words added
        ("Lewis Live Ltd T/A Live Group", "Live Group", True),  # trades as the other
        ("Live Group", "Lewis Live Ltd T/A Live Group", True),
        ("Civic Centre Services Ltd", "Civica Ltd", False),  # 6 and 21 letters: at most 44%
        ("Amey Highways", "Amey Highway", True),  # 12 and 13 letters: may be 96% alike
    ],
)
def test_the_prefilter_on_known_pairs(a: str, b: str, doubtful: bool) -> None:
    assert may_be_doubtful(match_name(a), trading_key(a), match_name(b), trading_key(b)) is (
        doubtful
    )
    if not doubtful:
        assert decide(SupplierFacts(a), SupplierFacts(b)).verdict == "different"
