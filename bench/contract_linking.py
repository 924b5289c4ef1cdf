"""Linking payments to contracts, measured on the real files in ../shared.

Run ``make bench`` or ``python -m bench.contract_linking``. In a temporary SQLite database:

* each council whose spend is in ``../shared/data/spend`` and who buys in the Contracts
  Finder 2022 award CSV (contracts file 3) gets an authority holding its spend files;
  the award CSV is imported with those councils' buyer names mapped to them, which links
  their payments (``tracker.services.contracts.linking``). For each council: its contracts,
  the payments to suppliers that hold one of its contracts (buyer and supplier overlap),
  and how much of that spend is linked or ambiguous;
* the City of Portland OCDS record (file 6) carries five payments to its supplier
  (``implementation.transactions``): they are imported as a spend file of a Portland
  authority, with the record, to see how many of five known payments are linked.

A sample of the links is written for hand-checking to
``factors/evaluation/contract_links_sample.csv`` when that file does not exist yet; when
it does, its judgements (``right``/``wrong``/``unsure`` with a reason) are counted.
Results go under ``contract_linking`` in bench/results.json. Skips (exit 0) without
../shared.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

if not __package__:  # run as ``python bench/contract_linking.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.results import merge_section

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared" / "data"
AWARDS = "uk_contracts_finder_2022_awards_with_suppliers_and_buyer.csv"
PORTLAND = "portland_or_ocds_record_118001.json"
SAMPLE = REPO_ROOT / "factors" / "evaluation" / "contract_links_sample.csv"
SAMPLE_SIZE = 30
KEY = "contract_linking"

#: council code → (buyer name in the award CSV, its spend files, column mapping)
COUNCILS: dict[str, tuple[str, tuple[str, ...], dict[str, str]]] = {
    "BIR": ("Birmingham City Council", ("uk-birmingham-pcard-2019-11.xls",
            "uk-birmingham-pcard-2020-02.xls"), {}),
    "LDS": ("Leeds City Council", ("uk-leeds-2020-06.csv",), {}),
    "LBL": ("London Borough of Lambeth", ("uk-lambeth-2012-06.csv",), {}),
    "MAN": ("Manchester City Council", ("uk-manchester-2014-09.xls",), {}),
    "OXF": ("Oxford City Council", ("uk-oxford-2014-q1.csv",), {}),
    "SAL": ("Salford City Council", ("uk-salford-2019-sic-enriched.csv",), {"sic": "sicc_int"}),
    "STO": ("Stockport Metropolitan Borough Council", ("uk-stockport-2014-09.xls",), {}),
    "TAM": ("Tameside Metropolitan Borough Council", ("uk-tameside-2014-09.csv",), {}),
    "TRA": ("Trafford Council", ("uk-trafford-2014-09.csv", "uk-trafford-pcard-2025-26.csv"), {}),
}  # fmt: skip
SAMPLE_COLUMNS = [
    "authority", "spend_file", "spend_row", "payment_date", "amount", "payee", "expense_type",
    "description", "contract_source_key", "contract_title", "contract_description",
    "contract_start", "contract_end", "contract_value", "contract_supplier", "outcome",
    "judgement", "reason",
]  # fmt: skip


def _portland_spend(record: Path, out: Path) -> int:
    """The record's payments to its supplier as a spend CSV; how many."""
    data = json.loads(record.read_text(encoding="utf-8"))
    rows = []
    for contract in data["compiledRelease"].get("contracts", []):
        for t in contract.get("implementation", {}).get("transactions", []):
            rows.append([t["date"][:10], t["payee"]["name"], f"{t['value']['amount']:.2f}",
                         t.get("relatedImplementationMilestone", {}).get("title", "")])  # fmt: skip
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Payment Date", "Supplier Name", "Amount", "Description"])
        writer.writerows(rows)
    return len(rows)


def _import_spend(
    session: Any, authority: Any, path: Path, mapping: dict[str, str], work: Path
) -> None:
    from tracker.services.imports import import_spend_file

    import_spend_file(
        session, authority=authority, path=path, data_dir=work / "files",
        mapping=mapping or None, confirm_organisation=True, on_overlap="skip",
    )  # fmt: skip


def _row(code: str, file_name: str, line: Any, contract: Any, supplier: str) -> dict[str, str]:
    return {
        "authority": code, "spend_file": file_name, "spend_row": str(line.source_row),
        "payment_date": line.transaction_date.isoformat(), "amount": f"{line.amount:.2f}",
        "payee": line.supplier_name or "", "expense_type": line.expense_type or "",
        "description": (line.description or "")[:200],
        "contract_source_key": contract.source_key, "contract_title": contract.title or "",
        "contract_description": (contract.description or "")[:300],
        "contract_start": contract.start_date.isoformat() if contract.start_date else "",
        "contract_end": contract.end_date.isoformat() if contract.end_date else "",
        "contract_value": f"{contract.value_amount}" if contract.value_amount else "",
        "contract_supplier": supplier,
    }  # fmt: skip


def _outcome(session: Any, authority_id: int, line: Any) -> dict[int, str]:
    """Each same-supplier contract of a payment and what the matcher made of it."""
    from tracker.domain.contract_links import Party, Payment, amount_plausible, date_fit
    from tracker.domain.suppliers import supplier_key
    from tracker.services.contracts.linking import ContractIndex, contract_terms

    index = ContractIndex(contract_terms(session, authority_id))
    payee = Party(line.supplier_id, frozenset(), supplier_key(line.supplier_name or "") or None)
    payment = Payment(line.id, authority_id, line.transaction_date, line.amount, payee,
                      line.date_precision or "day")  # fmt: skip
    out = {}
    for c in index.candidates(payee):
        fit = date_fit(payment, c.start, c.end)
        if fit is None:
            out[c.id] = "not linked: paid outside the contract period and its grace"
        elif not amount_plausible(payment.amount, c.value):
            out[c.id] = "not linked: payment over 110 % of the contract value"
        else:
            out[c.id] = f"candidate ({fit})"
    return out


def _sample_rows(session: Any, authority_ids: dict[int, str], size: int) -> list[dict[str, str]]:
    """Every kind of outcome for hand-checking: links (all, up to ``size``) and as many
    payments to a contract's supplier that were not linked, each with its contract."""
    from sqlalchemy import select

    from tracker.domain.suppliers import supplier_key
    from tracker.models import Contract, ContractParty, ContractSpendLink, ImportBatch, SpendLine

    rng = random.Random(19)
    links = session.execute(
        select(ContractSpendLink, SpendLine, Contract, ImportBatch.file_name)
        .join(SpendLine, SpendLine.id == ContractSpendLink.spend_line_id)
        .join(Contract, Contract.id == ContractSpendLink.contract_id)
        .join(ImportBatch, ImportBatch.id == SpendLine.batch_id)
        .order_by(ContractSpendLink.id)
    ).all()
    linked_lines = {link.spend_line_id for link, _, _, _ in links}
    out = []
    for link, line, contract, file_name in rng.sample(links, min(size, len(links))):
        supplier = session.scalar(
            select(ContractParty.name).where(ContractParty.contract_id == contract.id).limit(1)
        )
        row = _row(authority_ids[link.authority_id], file_name, line, contract, supplier or "")
        out.append(row | {"outcome": f"{link.status} ({link.method}, score {link.score})"})
    parties = session.execute(
        select(Contract.authority_id, ContractParty.name, ContractParty.supplier_id).join(
            ContractParty, ContractParty.contract_id == Contract.id
        )
    ).all()
    keys = {(a, supplier_key(n)) for a, n, _ in parties} | {(a, s) for a, _, s in parties if s}
    lines = [
        (line, file_name)
        for line, file_name in session.execute(
            select(SpendLine, ImportBatch.file_name)
            .join(ImportBatch, ImportBatch.id == SpendLine.batch_id)
            .order_by(SpendLine.id)
        ).all()
        if line.id not in linked_lines
        and ((line.authority_id, supplier_key(line.supplier_name or "")) in keys
             or (line.authority_id, line.supplier_id) in keys)
    ]  # fmt: skip
    known = [x for x in lines if authority_ids[x[0].authority_id] == "PDX"]  # all of them
    others = [x for x in lines if authority_ids[x[0].authority_id] != "PDX"]
    for line, file_name in known + rng.sample(others, min(size, len(others))):
        outcomes = _outcome(session, line.authority_id, line)
        cid = min(outcomes)  # the first contract of the supplier, for a stable sample
        contract = session.get(Contract, cid)
        supplier = session.scalar(
            select(ContractParty.name).where(ContractParty.contract_id == cid).limit(1)
        )
        row = _row(authority_ids[line.authority_id], file_name, line, contract, supplier or "")
        out.append(
            row | {"outcome": outcomes[cid] + f"; {len(outcomes)} contract(s) of the supplier"}
        )
    out.sort(key=lambda r: (r["authority"], r["spend_file"], int(r["spend_row"])))
    return [r | {"judgement": "", "reason": ""} for r in out]


def measure(work: Path, shared: Path) -> dict[str, Any]:
    from tracker import migrate
    from tracker.access import Viewer
    from tracker.db import make_engine, make_session_factory, session_scope
    from tracker.services.authorities import add_authority
    from tracker.services.contracts.imports import import_contract_file
    from tracker.services.contracts.linking import link_authority
    from tracker.services.reference import load_shipped_reference_data

    admin = Viewer(None, "bench", "admin", None)
    engine = make_engine(f"sqlite:///{work / 'contract-linking.db'}")
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    seconds: dict[str, float] = {}
    with session_scope(factory) as session:
        load_shipped_reference_data(session)
    ids: dict[int, str] = {}
    start = time.perf_counter()
    with session_scope(factory) as session:
        for code, (buyer, files, mapping) in COUNCILS.items():
            authority = add_authority(session, code=code, name=buyer)
            ids[authority.id] = code
            for name in files:
                _import_spend(session, authority, shared / "spend" / name, mapping, work)
    seconds["spend_imports"] = round(time.perf_counter() - start, 1)
    start = time.perf_counter()
    with session_scope(factory) as session:
        result = import_contract_file(
            session, viewer=admin, path=shared / "contracts" / AWARDS, data_dir=work / "files",
            buyers={buyer: code for code, (buyer, _, _) in COUNCILS.items()},
        )  # fmt: skip
    seconds["award_import_and_linking"] = round(time.perf_counter() - start, 1)
    councils = {}
    with session_scope(factory) as session:
        for authority_id, code in ids.items():
            councils[code] = link_authority(session, authority_id=authority_id).as_dict()
    # Portland: five known payments under one contract.
    with session_scope(factory) as session:
        pdx = add_authority(session, code="PDX", name="CITYWIDE PROJECTS - OMF",
                            country="US", currency="USD")  # fmt: skip
        spend = work / "portland-payments.csv"
        payments = _portland_spend(shared / "contracts" / PORTLAND, spend)
        _import_spend(session, pdx, spend, {}, work)
        import_contract_file(session, viewer=admin, path=shared / "contracts" / PORTLAND,
                             data_dir=work / "files", authority="PDX")  # fmt: skip
        portland = link_authority(session, authority_id=pdx.id).as_dict() | {
            "payments_in_record": payments
        }
        ids[pdx.id] = "PDX"
        sample = _sample_rows(session, ids, SAMPLE_SIZE)
    engine.dispose()
    return {
        "contracts_added": dict(result.added),
        "councils": councils,
        "portland": portland,
        "seconds": seconds,
        "sample": sample,
    }


def totals(councils: dict[str, dict[str, Any]]) -> dict[str, Any]:
    overlap = sum(float(c["spend_with_contract_supplier"]) for c in councils.values())
    linked = sum(float(c["linked_spend"]) for c in councils.values())
    ambiguous = sum(float(c["ambiguous_spend"]) for c in councils.values())
    return {
        "spend_with_contract_supplier": round(overlap, 2),
        "linked_spend": round(linked, 2),
        "ambiguous_spend": round(ambiguous, 2),
        "linked_share": round(linked / overlap, 4) if overlap else None,
        "lines_with_contract_supplier": sum(
            c["lines_with_contract_supplier"] for c in councils.values()
        ),
        "linked_lines": sum(c["linked_lines"] for c in councils.values()),
    }


def judged(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    counts = Counter(
        ("linked" if r["outcome"].startswith("linked") else "not linked", r["judgement"] or "-")
        for r in rows
    )
    right = counts.get(("linked", "right"), 0)
    wrong = counts.get(("linked", "wrong"), 0)
    return {
        "rows": len(rows),
        "judgements": {f"{a}: {b}": n for (a, b), n in sorted(counts.items())},
        "link_precision": round(right / (right + wrong), 3) if right + wrong else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--sample", type=Path, default=SAMPLE)
    args = parser.parse_args(argv)
    if not (args.shared / "contracts" / AWARDS).exists():
        print(f"{KEY}: skipped, {args.shared} is not available")
        return 0
    with tempfile.TemporaryDirectory(prefix="tracker-links-") as tmp:
        found = measure(Path(tmp), args.shared)
    sample = found.pop("sample")
    if not args.sample.exists():
        args.sample.parent.mkdir(parents=True, exist_ok=True)
        with args.sample.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, SAMPLE_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(sample)
        print(f"Wrote {len(sample)} links to judge by hand: {args.sample}")
    found["all_councils"] = totals(found["councils"])
    found["hand_checked"] = judged(args.sample)
    print("Payments linked to contracts (Contracts Finder 2022 awards × council spend):")
    print(f"{'council':8} {'contracts':>9} {'lines*':>7} {'spend*':>14} {'linked':>7} "
          f"{'linked £':>14} {'share':>6} {'ambig.':>6}")  # fmt: skip
    for code, c in found["councils"].items():
        share = c["linked_share_of_supplier_spend"]
        share_text = "" if share is None else f"{float(share):.1%}"
        print(f"{code:8} {c['contracts']:>9,} {c['lines_with_contract_supplier']:>7,} "
              f"{float(c['spend_with_contract_supplier']):>14,.2f} {c['linked_lines']:>7,} "
              f"{float(c['linked_spend']):>14,.2f} {share_text:>6} "
              f"{c['ambiguous_lines']:>6,}")  # fmt: skip
    print("* payments to suppliers holding one of the council's contracts (buyer and supplier "
          "overlap)")  # fmt: skip
    print(f"all: {found['all_councils']}")
    print(f"Portland (5 known payments): {found['portland']}")
    print(f"hand-checked sample: {found['hand_checked']}")
    merge_section(KEY, json.loads(json.dumps(found, default=str)))
    print(f"Results in bench/results.json under '{KEY}'.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
