from decimal import Decimal

from tracker.domain.naics import naics_for_decision, resolve_naics

CODES = {"327310": Decimal("3.924"), "327320": Decimal("0.606"), "327331": Decimal("0.5"),
         "541511": Decimal("0.084")}  # fmt: skip


def test_exact_code() -> None:
    m = resolve_naics("327320", CODES, CODES)
    assert (m.code, m.level) == ("327320", "naics6")


def test_fallback_takes_the_median_published_factor_under_the_longest_prefix() -> None:
    # 3273xx holds 0.5, 0.606, 3.924: the median is 0.606 (327320).
    m = resolve_naics("3273", CODES, CODES)
    assert (m.code, m.level) == ("327320", "naics4")
    m = resolve_naics("541519", CODES, CODES)  # not published: 54151 → only 541511
    assert (m.code, m.level) == ("541511", "naics5")


def test_unusable_codes_are_explained() -> None:
    assert resolve_naics("x", CODES).reason == "not a NAICS code: 'x'"
    assert resolve_naics("999999", CODES).code is None


GROUPS = {"29": "336112", "69.1": "541110", "46": None}
RULES: dict[str, str | None] = {"R051": "336390", "R139": None}


def test_a_library_rule_refinement_beats_the_group_commodity() -> None:
    # R051 (vehicle parts) puts lines in group 29, whose commodity is light trucks; its
    # refinement says parts.
    way = naics_for_decision("29", "library", "R051", group_naics=GROUPS, rule_naics=RULES)
    assert (way.naics, way.via, way.trace) == ("336390", "rule", "R051 > 29 > 336390")


def test_otherwise_the_group_commodity() -> None:
    way = naics_for_decision("29", "library", "R066", group_naics=GROUPS, rule_naics=RULES)
    assert (way.naics, way.via, way.trace) == ("336112", "group", "R066 > 29 > 336112")
    # An authority's own rule may reuse a library id: only library rules are refined.
    own = naics_for_decision("29", "rule", "R051", group_naics=GROUPS, rule_naics=RULES)
    assert own.naics == "336112"
    code = naics_for_decision("69.1", "sic", "69102", group_naics=GROUPS, rule_naics=RULES)
    assert (code.naics, code.trace) == ("541110", "69102 > 69.1 > 541110")


def test_a_group_without_a_commodity_names_the_group() -> None:
    way = naics_for_decision("46", "library", "R999", group_naics=GROUPS, rule_naics=RULES)
    assert way.naics is None and way.trace == "R999 > 46"
    assert way.reason is not None and "Defra group 46" in way.reason
    missing = naics_for_decision("99", None, None, group_naics=GROUPS, rule_naics=RULES)
    assert missing.naics is None and "Defra group 99" in (missing.reason or "")


def test_a_rule_listed_without_a_code_sends_its_lines_to_review() -> None:
    # R139 reads "services" and "Spec Contractual Svc": the group (82) is a guess, and
    # one NAICS commodity would claim more than the text says.
    way = naics_for_decision("82", "library", "R139", group_naics=GROUPS, rule_naics=RULES)
    assert (way.naics, way.via, way.trace) == (None, "rule", "R139 > 82")
    assert way.reason is not None and "rule R139 is too vague" in way.reason
    # Only library rules: an authority's own rule with that id is costed by its group.
    own = naics_for_decision("29", "rule", "R139", group_naics=GROUPS, rule_naics=RULES)
    assert own.naics == "336112"
