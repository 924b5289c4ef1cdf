"""`tracker suppliers ...`: suppliers as shared entities (admin scope, like every command)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click

from tracker.access import Viewer
from tracker.cli.support import TrackerGroup, open_session, print_json
from tracker.config import Settings
from tracker.domain.money import money_exact
from tracker.domain.units import to_tonnes
from tracker.errors import TrackerError
from tracker.models.suppliers import COMMITMENT_KINDS

ADMIN = Viewer(user_id=None, email="cli", role="admin", authority_id=None)


def _decimal(option: str, value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise TrackerError(f"{option} {value!r} is not a number.") from None


def _date(option: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise TrackerError(f"{option} {value!r} is not a date (YYYY-MM-DD).") from None


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


@click.group("suppliers", cls=TrackerGroup)
def suppliers_group() -> None:
    """Suppliers shared by every authority: identity, commitments, disclosures, KPIs."""


@suppliers_group.command("list")
@click.option("--search", default="", help="Part of the name, or an identifier.")
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def suppliers_list(settings: Settings, search: str, limit: int, as_json: bool) -> None:
    """List suppliers (merged ones are listed under the supplier they became).

    \b
    Example:
        tracker suppliers list --search civica
    """
    from tracker.services.suppliers.catalogue import search_suppliers

    with open_session(settings) as session:
        rows = [r.as_dict() for r in search_suppliers(session, ADMIN, search, limit=limit)]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        extra = "; ".join([*r["identifiers"], *r["commitments"]])  # type: ignore[misc]
        click.echo(f"#{r['id']:<6} {r['name']}" + (f"  ({extra})" if extra else ""))


@suppliers_group.command("show")
@click.argument("supplier")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def suppliers_show(settings: Settings, supplier: str, as_json: bool) -> None:
    """Show what is known of a supplier (by name, #ID or GB-COH:NUMBER).

    \b
    Example:
        tracker suppliers show GB-COH:01628868
    """
    from tracker.services.suppliers.catalogue import supplier_detail

    with open_session(settings) as session:
        detail = supplier_detail(session, ADMIN, supplier)
    if as_json:
        print_json(detail.as_dict())
        return
    click.echo(f"#{detail.id} {detail.name}")
    for name in detail.other_names:
        click.echo(f"  also: {name}")
    for i in detail.identifiers:
        click.echo(f"  {i['scheme']} {i['value']}  (from {i['source']})")
    for c in detail.commitments:
        ended = f", ended {c['ended_on']}" if c["ended_on"] else ""
        click.echo(f"  {c['kind_label']} from {c['made_on']}{ended}: {c['source_url']}")
    for d in detail.disclosures:
        click.echo(f"  disclosure {d['year']}: {d['kgco2e_per_unit']} kgCO2e per {d['currency']}")
    for b in detail.buyers:
        click.echo(
            f"  {b.authority_code} {b.year_label}: {money_exact(b.spend, b.currency)}, "
            f"{to_tonnes(b.kgco2e):,.1f} t"
        )
    for k in detail.contracts:
        click.echo(
            f"  contract {k.contract_id} ({k.authority_code}) {k.title or ''} to {k.end_date}"
        )


@suppliers_group.command("identify")
@click.option("--unresolved", is_flag=True, help="Only contract parties without a supplier yet.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def suppliers_identify(settings: Settings, unresolved: bool, as_json: bool) -> None:
    """Merge the suppliers that are one by the identity rules (the same name once
    normalised, no conflicting numbers: spend payees spelt two ways), then resolve every
    contract party to a shared supplier (identifier first, then name); doubtful matches are
    queued for `tracker suppliers merge --pending`.

    \b
    Example:
        tracker suppliers identify --json
    """
    from tracker.services.suppliers.resolution import (
        reconcile_suppliers,
        resolve_contract_parties,
    )
    from tracker.services.versions import default_actor

    with open_session(settings) as session:
        merged = reconcile_suppliers(session, actor=default_actor()).as_dict()
        counts = resolve_contract_parties(
            session, source=f"identify by {default_actor()}", only_unresolved=unresolved
        ).as_dict()
    out = {**merged, **counts}
    if as_json:
        print_json(out)
        return
    click.echo(
        f"Merged {out['suppliers_merged']} supplier(s) spelt two ways. Contract parties: "
        f"{out['same']} known suppliers, {out['new']} new, {out['doubtful']} doubtful (queued "
        f"for review); {out['identifiers_learnt']} identifiers learnt."
    )


@suppliers_group.command("merge")
@click.argument("keep", required=False)
@click.argument("merge", required=False)
@click.option("--reason", default=None)
@click.option("--pending", is_flag=True, help="List the doubtful merges to review.")
@click.option("--accept", "accept_id", type=int, default=None, help="Accept merge candidate ID.")
@click.option("--reject", "reject_id", type=int, default=None, help="Reject merge candidate ID.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def suppliers_merge(
    settings: Settings,
    keep: str | None,
    merge: str | None,
    reason: str | None,
    pending: bool,
    accept_id: int | None,
    reject_id: int | None,
    as_json: bool,
) -> None:
    """Merge MERGE into KEEP, or review the doubtful merges.

    \b
    Examples:
        tracker suppliers merge --pending
        tracker suppliers merge --accept 12
        tracker suppliers merge "#41" "#97" --reason "same company, renamed"
    """
    from tracker.models import Supplier
    from tracker.services.suppliers.maintenance import (
        MergeResult,
        decide_merge,
        find_supplier,
        merge_suppliers,
        pending_merges,
    )
    from tracker.services.versions import default_actor

    chosen = sum(x for x in (pending, accept_id is not None, reject_id is not None, bool(keep)))
    if chosen != 1:
        raise TrackerError("Give KEEP and MERGE, or one of --pending, --accept ID, --reject ID.")
    with open_session(settings) as session:
        if pending:
            rows: list[dict[str, Any]] = []
            for c in pending_merges(session):
                later, known = (
                    session.get_one(Supplier, c.supplier_id),
                    session.get_one(Supplier, c.candidate_id),
                )
                rows.append({"id": c.id, "supplier_id": later.id, "supplier": later.name,
                             "candidate_id": known.id, "candidate": known.name,
                             "score": c.score, "reasons": c.reasons})  # fmt: skip
            if as_json:
                print_json(rows)
            else:
                for r in rows:
                    click.echo(f"{r['id']}: {r['supplier']!r} may be {r['candidate']!r} "
                               f"({'; '.join(r['reasons'])})")  # fmt: skip
            return
        if keep:
            if not merge:
                raise TrackerError("Give the supplier to merge into KEEP.")
            result: MergeResult | None = merge_suppliers(
                session, keep=find_supplier(session, keep), merge=find_supplier(session, merge),
                actor=default_actor(), reason=reason,
            )  # fmt: skip
        else:
            candidate = accept_id if accept_id is not None else reject_id
            assert candidate is not None
            result = decide_merge(
                session, candidate, accept=accept_id is not None, actor=default_actor()
            )
        out = {"merged": None if result is None else result.as_dict()}
    if as_json:
        print_json(out)
    elif result is None:
        click.echo(f"Rejected merge candidate {reject_id}: the suppliers stay apart.")
    else:
        click.echo(
            f"Merged #{result.merged_id} into #{result.kept_id}: {result.spend_lines} spend "
            f"lines and {result.contract_parties} contract parties moved."
            + "".join(f"\n  not moved: {d}" for d in result.dropped)
        )


@suppliers_group.group("commitment", cls=TrackerGroup)
def commitment_group() -> None:
    """Carbon Reduction Plans, net-zero commitments and science-based targets."""


@commitment_group.command("add")
@click.argument("supplier")
@click.option("--kind", type=click.Choice(list(COMMITMENT_KINDS)), required=True)
@click.option("--date", "made_on", required=True, help="When made or published (YYYY-MM-DD).")
@click.option("--source", required=True, help="URL of the published plan or target.")
@click.option("--ended", default=None, help="When it lapsed or was withdrawn (YYYY-MM-DD).")
@click.option("--note", default=None)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def commitment_add(
    settings: Settings,
    supplier: str,
    kind: str,
    made_on: str,
    source: str,
    ended: str | None,
    note: str | None,
    as_json: bool,
) -> None:
    """Record a supplier's commitment (used by every authority's KPIs).

    \b
    Example:
        tracker suppliers commitment add GB-COH:01628868 --kind carbon-reduction-plan \\
            --date 2023-09-30 --source https://www.civica.com/carbon-reduction-plan.pdf
    """
    from tracker.services.suppliers.maintenance import add_commitment, find_supplier
    from tracker.services.versions import default_actor

    made = _date("--date", made_on)
    assert made is not None
    with open_session(settings) as session:
        found = find_supplier(session, supplier)
        row = add_commitment(
            session,
            supplier=found,
            kind=kind,
            made_on=made,
            source_url=source,
            actor=default_actor(),
            ended_on=_date("--ended", ended),
            note=note,
        )
        out = {"id": row.id, "supplier_id": found.id, "supplier": found.name, "kind": kind,
               "made_on": made, "source_url": row.source_url}  # fmt: skip
    if as_json:
        print_json(out)
    else:
        click.echo(f"Recorded {COMMITMENT_KINDS[kind]} of {out['supplier']} from {made}.")


@commitment_group.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def commitment_import(settings: Settings, file: Path, as_json: bool) -> None:
    """Import commitments from a CSV: supplier, scheme, identifier, kind, date, source_url
    (and optionally ended, note). A file with a bad row records nothing.

    \b
    Example:
        tracker suppliers commitment import carbon-reduction-plans.csv
    """
    from tracker.services.suppliers.commitment_import import import_commitments
    from tracker.services.versions import default_actor

    with open_session(settings) as session:
        result = import_commitments(session, file, actor=default_actor()).as_dict()
    if as_json:
        print_json(result)
    else:
        click.echo(
            f"Recorded {result['recorded']} commitment(s) from {file.name} "
            f"({result['suppliers_created']} supplier(s) new to the tracker)."
        )


@suppliers_group.group("disclosure", cls=TrackerGroup)
def disclosure_group() -> None:
    """Suppliers' reported emissions and revenue (they give supplier-specific factors)."""


@disclosure_group.command("add")
@click.argument("supplier")
@click.option("--year", type=int, required=True, help="The reporting year.")
@click.option("--scope1", required=True, help="Scope 1, tCO2e.")
@click.option("--scope2", required=True, help="Scope 2 (market-based), tCO2e.")
@click.option("--scope3", default=None, help="Upstream scope 3, tCO2e, when reported.")
@click.option("--revenue", required=True, help="Revenue in the year.")
@click.option("--currency", default="GBP", show_default=True)
@click.option("--source", required=True, help="URL of the report.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def disclosure_add(
    settings: Settings,
    supplier: str,
    year: int,
    scope1: str,
    scope2: str,
    scope3: str | None,
    revenue: str,
    currency: str,
    source: str,
    as_json: bool,
) -> None:
    """Record a disclosure; it sets the supplier's shared factor for the year.

    \b
    Example:
        tracker suppliers disclosure add "#12" --year 2023 --scope1 1200 --scope2 300 \\
            --revenue 10000000 --source https://example.org/annual-report-2023.pdf
    """
    from tracker.services.suppliers.maintenance import add_disclosure, find_supplier
    from tracker.services.versions import default_actor

    s1, s2, rev = (
        _decimal("--scope1", scope1),
        _decimal("--scope2", scope2),
        _decimal("--revenue", revenue),
    )
    assert s1 is not None and s2 is not None and rev is not None
    with open_session(settings) as session:
        found = find_supplier(session, supplier)
        row = add_disclosure(
            session,
            supplier=found,
            year=year,
            scope1_t=s1,
            scope2_t=s2,
            scope3_t=_decimal("--scope3", scope3),
            revenue=rev,
            currency=currency,
            source_url=source,
            actor=default_actor(),
        )
        from tracker.models import SupplierFactor

        factor = session.get_one(SupplierFactor, row.supplier_factor_id)
        out = {"supplier_id": found.id, "supplier": found.name, "year": year,
               "kgco2e_per_unit": factor.kgco2e_per_unit, "currency": factor.currency}  # fmt: skip
    if as_json:
        print_json(out)
    else:
        click.echo(
            f"{out['supplier']} {year}: {out['kgco2e_per_unit']:.4f} kgCO2e per {currency} "
            "(its shared supplier factor; recalculate the inventories to use it)."
        )


@suppliers_group.command("kpis")
@click.option("--year", type=int, default=None, help="Only this financial year.")
@click.option(
    "--authority",
    "code",
    default=None,
    help="As this authority's users see it: their own and the sharing authorities.",
)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def suppliers_kpis(settings: Settings, year: int | None, code: str | None, as_json: bool) -> None:
    """Share of spend and emissions with suppliers that had a Carbon Reduction Plan or a
    science-based target in the year, per authority and pooled for the group; and the
    contracts above the PPN 006 threshold (£5m a year incl. VAT) without a plan.

    \b
    Example:
        tracker suppliers kpis --year 2024 --json
        tracker suppliers kpis --authority EMB
    """
    from tracker.domain.supplier_kpis import not_assessed_sentence
    from tracker.services.authorities import get_authority
    from tracker.services.suppliers.kpis import (
        contracts_not_assessed,
        contracts_without_plan,
        supplier_kpis,
    )

    today = dt.datetime.now(dt.UTC).date()
    with open_session(settings) as session:
        viewer = ADMIN
        if code is not None:
            authority = get_authority(session, code)
            viewer = Viewer(user_id=None, email="cli", role="viewer", authority_id=authority.id)
        rows = [r.as_dict() for r in supplier_kpis(session, viewer, fy_year=year)]
        unplanned = [c.as_dict() for c in contracts_without_plan(session, viewer, today=today)]
        not_assessed = contracts_not_assessed(session, viewer, today=today)
    if as_json:
        print_json(
            {
                "kpis": rows,
                "contracts_without_plan": unplanned,
                "contracts_not_assessed": not_assessed,
            }
        )
        return
    for r in rows:
        who = r["authority"] or "Group"
        click.echo(
            f"{who:<8} {r['year_label']}: plan or SBT {_pct(r['spend_share_plan_or_sbt'])} of "  # type: ignore[arg-type]
            f"spend, {_pct(r['kgco2e_share_plan_or_sbt'])} of emissions; "  # type: ignore[arg-type]
            f"SBT {_pct(r['spend_share_sbt'])} / {_pct(r['kgco2e_share_sbt'])}"  # type: ignore[arg-type]
        )
    click.echo(f"{len(unplanned)} contract(s) above £5m a year incl. VAT without a plan on record.")
    if not_assessed:
        click.echo(not_assessed_sentence(not_assessed))
    for c in unplanned[:20]:
        click.echo(f"  {c['authority']} #{c['contract_id']} {c['supplier']}: "
                   f"£{c['value_a_year_incl_vat']:,.0f} a year incl. VAT")  # fmt: skip
