"""OCDS (Open Contracting Data Standard) release and record packages to contracts.

One contract per award of a contracting process (its releases compiled first, see
:mod:`.merge`); an award that was unsuccessful is no contract. A process with no award
yet whose tender is planned or open becomes a *planned* contract (the pipeline wants
what is about to be bought), with the tender's anticipated contract period when given;
a tender that ended without an award (unsuccessful, cancelled, withdrawn) is no contract
and is reported as such. A record is read from its ``compiledRelease``, or from its
releases when they are embedded; a record holding only links to releases is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from tracker.domain.contract_estimate import VALUE_INCLUDES_VAT
from tracker.domain.contracts import party_identifier

from .merge import Json, compile_releases
from .model import ParsedContract, ParsedContracts, ParsedParty, Refusal

PLANNED_TENDER = {"planning", "planned", "active", None}
NO_CONTRACT_TENDER = {"unsuccessful", "cancelled", "withdrawn"}


class FieldError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def read_releases(out: ParsedContracts, releases: list[tuple[str, Any]]) -> None:
    """Compile ``releases`` (each with where it was read) by ocid, then read contracts."""
    by_ocid: dict[str, list[tuple[str, Json]]] = {}
    for where, release in releases:
        if not isinstance(release, dict):
            out.refused.append(Refusal(where, "releases", "a release is not a JSON object"))
            continue
        ocid = release.get("ocid")
        if not isinstance(ocid, str) or not ocid.strip():
            out.refused.append(Refusal(where, "ocid", "missing: a release needs its ocid"))
            continue
        by_ocid.setdefault(ocid.strip(), []).append((where, release))
    for ocid, group in by_ocid.items():
        where = (
            f"{group[0][0]}, ocid {ocid}"
            if len(group) == 1
            else f"{len(group)} releases of ocid {ocid}"
        )
        compiled = compile_releases(r for _, r in group)
        read_compiled(out, compiled, where, _line_of(group[0][0]))


def read_records(out: ParsedContracts, records: Iterable[tuple[str, Any]]) -> None:
    for where, record in records:
        if not isinstance(record, dict):
            out.refused.append(Refusal(where, "records", "a record is not a JSON object"))
            continue
        ocid = str(record.get("ocid") or "").strip()
        where = f"{where}, ocid {ocid}" if ocid else where
        compiled = record.get("compiledRelease")
        embedded = [r for r in record.get("releases") or [] if isinstance(r, dict) and "ocid" in r]
        if isinstance(compiled, dict):
            read_compiled(out, compiled, where, _line_of(where))
        elif embedded:
            read_compiled(out, compile_releases(embedded), where, _line_of(where))
        else:
            out.refused.append(
                Refusal(
                    where,
                    "compiledRelease",
                    "the record has no compiled release and its releases are only links "
                    "(URLs), so the contract cannot be read from the file; publish the "
                    "record with its compiledRelease or the releases themselves",
                )
            )


def read_compiled(out: ParsedContracts, release: Json, where: str, line: int | None) -> None:
    ocid = str(release.get("ocid") or "").strip()
    try:
        contracts, skipped = contracts_of(release, ocid, line)
    except FieldError as exc:
        out.refused.append(Refusal(where, exc.field, str(exc)))
        return
    out.contracts.extend(contracts)
    if skipped:
        out.skipped.append(Refusal(where, "", skipped))


def contracts_of(
    release: Json, ocid: str, line: int | None
) -> tuple[list[ParsedContract], str | None]:
    """The contracts of one compiled release, or why it holds none."""
    if not ocid:
        raise FieldError("ocid", "missing: a release needs its ocid")
    tender = _object(release, "tender")
    buyer = _buyer_name(release, tender)
    parties = {str(p.get("id")): p for p in _list(release, "parties") if isinstance(p, dict)}
    scheme, code = _classification(release, tender)
    released = _datetime(release.get("date"), "date")
    common = {
        "ocid": ocid,
        "buyer_name": buyer,
        "source_row": line,
        "classification_scheme": scheme,
        "classification_code": code,
        "procurement_route": _text(tender.get("procurementMethodDetails"))
        or _text(tender.get("procurementMethod")),
        "released_at": released,
    }
    awards = [a for a in _list(release, "awards") if isinstance(a, dict)]
    if not awards:
        status = tender.get("status")
        if status in NO_CONTRACT_TENDER:
            return [], f"no contract: the tender is {status} and has no award"
        if status not in PLANNED_TENDER:
            return [], f"no contract: no award, and the tender is {status}"
        return [_planned(tender, common, ocid)], None
    contracts_by_award: dict[str, list[Json]] = {}
    for contract in _list(release, "contracts"):
        if isinstance(contract, dict) and contract.get("awardID") is not None:
            contracts_by_award.setdefault(str(contract["awardID"]), []).append(contract)
    out = []
    unsuccessful = 0
    for index, award in enumerate(awards):
        if award.get("status") == "unsuccessful":
            unsuccessful += 1
            continue
        award_id = str(award.get("id") if award.get("id") is not None else index)
        out.append(
            _awarded(award, contracts_by_award.get(award_id, []), tender, parties, common, award_id)
        )
    reason = f"{unsuccessful} unsuccessful award(s) are no contract" if unsuccessful else None
    return out, reason


def _planned(tender: Json, common: dict[str, Any], ocid: str) -> ParsedContract:
    value, currency, with_vat = _value(tender, "tender.value")
    flags = []
    if value is None:
        value, currency, with_vat = _value(tender, "tender.minValue", key="minValue")
        flags = ["value_is_minimum"] if value is not None else []
    if with_vat:
        flags.append(VALUE_INCLUDES_VAT)
    start, end = _period(tender.get("contractPeriod"), "tender.contractPeriod")
    contract = ParsedContract(
        source_key=f"{ocid}/tender",
        status="planned",
        title=_text(tender.get("title")),
        description=_text(tender.get("description")),
        value_amount=value,
        currency=currency,
        start_date=start,
        end_date=end,
        flags=flags,
        **common,
    )
    contract.check()
    return contract


def _awarded(
    award: Json,
    contracts: list[Json],
    tender: Json,
    parties: dict[str, Json],
    common: dict[str, Any],
    award_id: str,
) -> ParsedContract:
    where = f"awards[{award_id}]"
    value, currency, with_vat = _value(award, f"{where}.value")
    signed = [_value(c, f"contracts[{c.get('id')}].value") for c in contracts]
    if (
        signed
        and all(v is not None for v, _, _ in signed)
        and len({(c, vat) for _, c, vat in signed}) == 1
    ):
        # The contracts signed under the award, as amended, outrank the award notice
        # (when they agree in currency and in whether they include VAT).
        value = sum((v for v, _, _ in signed if v is not None), Decimal(0))
        currency, with_vat = signed[0][1], signed[0][2]
    start, end = _period(award.get("contractPeriod"), f"{where}.contractPeriod")
    if start is None and end is None:
        spans = [_period(c.get("period"), f"contracts[{c.get('id')}].period") for c in contracts]
        starts = [s for s, _ in spans if s]
        ends = [e for _, e in spans if e]
        start, end = min(starts, default=None), max(ends, default=None)
    if start is None and end is None:
        start, end = _period(tender.get("contractPeriod"), "tender.contractPeriod")
    cancelled = award.get("status") == "cancelled" or (
        contracts and all(c.get("status") == "cancelled" for c in contracts)
    )
    contract = ParsedContract(
        source_key=f"{common['ocid']}/{award_id}",
        award_id=award_id,
        status="cancelled" if cancelled else "awarded",
        title=_text(award.get("title")) or _text(tender.get("title")),
        description=_text(award.get("description")) or _text(tender.get("description")),
        value_amount=value,
        currency=currency,
        start_date=start,
        end_date=end,
        parties=[_party(s, parties, where) for s in _list(award, "suppliers")],
        flags=[VALUE_INCLUDES_VAT] if with_vat and value is not None else [],
        **common,
    )
    contract.check()
    return contract


def _party(ref: Any, parties: dict[str, Json], where: str) -> ParsedParty:
    if not isinstance(ref, dict):
        raise FieldError(f"{where}.suppliers", "a supplier is not a JSON object")
    party = parties.get(str(ref.get("id")), {}) if ref.get("id") is not None else {}
    name = _text(ref.get("name")) or _text(party.get("name"))
    if not name:
        raise FieldError(f"{where}.suppliers.name", "a supplier has no name")
    identifier = party.get("identifier") or ref.get("identifier") or {}
    if not isinstance(identifier, dict):
        identifier = {}
    scheme, ident = party_identifier(
        _text(identifier.get("scheme")), _text(identifier.get("id")), _text(party.get("id"))
    )
    details = party.get("details") if isinstance(party.get("details"), dict) else {}
    scale = (details or {}).get("scale")
    sme = True if scale in ("sme", "micro", "small", "medium") else False if scale else None
    return ParsedParty(name=name, scheme=scheme, identifier=ident, sme=sme)


def _buyer_name(release: Json, tender: Json) -> str:
    buyer = release.get("buyer")
    names = [buyer.get("name")] if isinstance(buyer, dict) else []
    names += [
        p.get("name")
        for p in _list(release, "parties")
        if isinstance(p, dict) and "buyer" in (p.get("roles") or [])
    ]
    entity = tender.get("procuringEntity")
    names += [entity.get("name")] if isinstance(entity, dict) else []
    for name in names:
        if text := _text(name):
            return text
    raise FieldError("buyer.name", "missing: no buyer (nor procuring entity) is named")


def _classification(release: Json, tender: Json) -> tuple[str | None, str | None]:
    candidates = [tender.get("classification")]
    for block in [tender, *_list(release, "awards"), *_list(release, "contracts")]:
        if isinstance(block, dict):
            for item in block.get("items") or []:
                if isinstance(item, dict):
                    candidates.append(item.get("classification"))
    for found in candidates:
        if isinstance(found, dict) and found.get("id") not in (None, ""):
            scheme = classification_scheme(
                _text(found.get("scheme")) or "", _text(found.get("description")) or ""
            )
            if scheme:
                return scheme, classification_code(scheme, str(found["id"]))
    return None, None


def classification_scheme(scheme: str, description: str) -> str | None:
    """CPV, UNSPSC (also a national catalogue "based on UNSPSC"), ProClass or NIGP."""
    upper = scheme.upper()
    for known in ("CPV", "UNSPSC", "NIGP"):
        if upper == known or upper.startswith(known):
            return known
    if upper.replace(" ", "") == "PROCLASS":
        return "ProClass"
    if "UNSPSC" in description.upper():
        return "UNSPSC"
    return None


def classification_code(scheme: str, code: str) -> str:
    """The code without check digits or catalogue suffixes: CPV ``63712400-3`` is
    ``63712400``; the Paraguayan catalogue's ``30181503-001`` is UNSPSC ``30181503``."""
    code = code.strip()
    if scheme in ("CPV", "UNSPSC"):
        return code.split("-", 1)[0][:8]
    return code[:32]


def _value(block: Json, where: str, key: str = "value") -> tuple[Decimal | None, str | None, bool]:
    """A Value object's amount to the penny, its currency and whether the amount includes
    VAT. The net amount is taken when the publisher gives it (``amountNet``, OCDS 1.2);
    else ``amount``, which includes VAT when the publisher says so
    (``valueAddedTaxIncluded``) or gives it equal to ``amountGross``; else
    ``amountGross``."""
    value = block.get(key)
    if not isinstance(value, dict):
        return None, None, False
    net = _number(value, "amountNet", where)
    amount = _number(value, "amount", where)
    gross = _number(value, "amountGross", where)
    if net is not None:
        number, includes_vat = net, False
    elif amount is not None:
        number = amount
        includes_vat = value.get("valueAddedTaxIncluded") is True or amount == gross
    elif gross is not None:
        number, includes_vat = gross, True
    else:
        return None, None, False
    currency = _text(value.get("currency"))
    if currency is not None and (len(currency) != 3 or not currency.isalpha()):
        raise FieldError(f"{where}.currency", f"{currency!r} is not a 3-letter currency code")
    return number, currency.upper() if currency else None, includes_vat


def _number(value: Json, key: str, where: str) -> Decimal | None:
    """One amount of a Value object to the penny (None when not given)."""
    amount = value.get(key)
    if amount is None:
        return None
    if isinstance(amount, bool) or not isinstance(amount, int | float | str):
        raise FieldError(f"{where}.{key}", f"{amount!r} is not a number")
    try:
        number = Decimal(str(amount))
    except InvalidOperation:
        raise FieldError(f"{where}.{key}", f"{amount!r} is not a number") from None
    if not number.is_finite() or abs(number) >= Decimal(10) ** 16:
        raise FieldError(f"{where}.{key}", f"{amount!r} is out of range")
    return number.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _period(period: Any, where: str) -> tuple[dt.date | None, dt.date | None]:
    if not isinstance(period, dict):
        return None, None
    return _date(period.get("startDate"), f"{where}.startDate"), _date(
        period.get("endDate"), f"{where}.endDate"
    )


def _date(value: Any, where: str) -> dt.date | None:
    """The date of an OCDS date-time as published, in its own offset (an end date
    ``2025-04-23T23:59:59+01:00`` ends on the 23rd)."""
    if value in (None, ""):
        return None
    try:
        return dt.datetime.fromisoformat(str(value).strip()).date()
    except ValueError:
        raise FieldError(where, f"{value!r} is not an ISO 8601 date-time") from None


def _datetime(value: Any, where: str) -> dt.datetime | None:
    """An OCDS date-time, in UTC (none given: UTC)."""
    if value in (None, ""):
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise FieldError(where, f"{value!r} is not an ISO 8601 date-time") from None
    return parsed.astimezone(dt.UTC) if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _object(release: Json, key: str) -> Json:
    value = release.get(key)
    return value if isinstance(value, dict) else {}


def _list(block: Json, key: str) -> list[Any]:
    value = block.get(key)
    return value if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()
    return text or None


def _line_of(where: str) -> int | None:
    """The line number in ``"line 12, …"`` (JSON lines), else None."""
    if where.startswith("line "):
        number = where[5:].split(",", 1)[0]
        return int(number) if number.isdigit() else None
    return None


def iter_package_releases(package: Json, where: str) -> Iterator[tuple[str, Any]]:
    for index, release in enumerate(package.get("releases") or [], start=1):
        yield f"{where}release {index}", release
