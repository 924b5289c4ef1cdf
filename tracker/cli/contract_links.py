"""`tracker contracts link` and `tracker contracts pipeline`: payments joined to contracts,
and the contracts authorities could renew together."""

from __future__ import annotations

import datetime as dt

import click

from tracker.cli.compare import CLI_VIEWER
from tracker.cli.support import open_session, print_json
from tracker.config import Settings


@click.command("link")
@click.option("--authority", "code", default=None, help="Authority code (default: every one).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def link_cmd(settings: Settings, code: str | None, as_json: bool) -> None:
    """Link each authority's payments to the contract they fall under (same supplier,
    within the contract's dates, a plausible amount) and report how much was linked.
    Imports do this themselves; run it after changing contracts or suppliers by hand.

    \b
    Example:
        tracker contracts link --authority LCC --json
    """
    from sqlalchemy import select

    from tracker.models import Authority
    from tracker.services.authorities import get_authority
    from tracker.services.contracts.linking import link_authority

    with open_session(settings) as session:
        authorities = (
            [get_authority(session, code)]
            if code
            else list(session.scalars(select(Authority).order_by(Authority.code)))
        )
        reports = {a.code: link_authority(session, authority_id=a.id) for a in authorities}
    if as_json:
        print_json({c: r.as_dict() for c, r in reports.items()})
        return
    for c, r in reports.items():
        d = r.as_dict()
        share = d["linked_share_of_supplier_spend"]
        click.echo(
            f"{c}: {r.contracts:,} contracts; {r.linked_lines:,} of "
            f"{r.lines_with_contract_supplier:,} payments to their suppliers linked "
            f"({r.linked_spend:,.2f} of {r.spend_with_contract_supplier:,.2f}"
            + (f", {share:.1%}" if share is not None else "")
            + f"); {r.ambiguous_lines:,} could belong to several contracts"
        )


@click.command("ambiguous")
@click.option("--authority", "code", required=True, help="Authority code.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def ambiguous_cmd(settings: Settings, code: str, as_json: bool) -> None:
    """The payments that could belong to several contracts (they count in none until an
    officer settles them), largest first, each with its contracts.

    \b
    Example:
        tracker contracts ambiguous --authority LCC
    """
    from tracker.services.authorities import get_authority
    from tracker.services.contracts.settle import ambiguous_payments

    with open_session(settings) as session:
        payments = ambiguous_payments(session, get_authority(session, code))
    if as_json:
        print_json([p.as_dict() for p in payments])
        return
    for p in payments:
        contracts = "; ".join(
            f"contract {c.contract_id} {c.title or ''} (score {c.score})".replace("  ", " ")
            for c in p.candidates
        )
        click.echo(
            f"row {p.batch_id}:{p.source_row} {p.date.isoformat()} {p.supplier or '-'} "
            f"{p.amount:,.2f}: {contracts}"
        )
    if not payments:
        click.echo(f"{code}: no payment could belong to several contracts.")


@click.command("settle")
@click.option("--authority", "code", required=True, help="Authority code.")
@click.option("--row", "row", required=True, help="BATCH:ROW, the payment's row in its file.")
@click.option("--contract", "contract_id", type=int, required=True, help="The contract's id.")
@click.option("--reason", required=True, help="Why the payment falls under it (kept).")
@click.pass_obj
def settle_cmd(settings: Settings, code: str, row: str, contract_id: int, reason: str) -> None:
    """Settle a payment found ambiguous: it falls under CONTRACT, one of the contracts it
    could belong to, and counts in its spend to date from now on (every linking keeps
    the decision while the contract stands; the audit log records it).

    \b
    Example:
        tracker contracts settle --authority LCC --row 12:418 --contract 93 --reason "PO 4471"
    """
    from tracker.cli.overrides import _batch_row
    from tracker.services.authorities import get_authority
    from tracker.services.contracts.settle import settle_payment
    from tracker.services.versions import default_actor

    batch, source_row = _batch_row(row)
    with open_session(settings) as session:
        payment = settle_payment(
            session, authority=get_authority(session, code), batch_id=batch,
            source_row=source_row, contract_id=contract_id, actor=default_actor(),
            reason=reason,
        )  # fmt: skip
    click.echo(
        f"Row {row} ({payment.supplier or '-'}, {payment.amount:,.2f}) now falls under "
        f"contract {contract_id}."
    )


@click.command("pipeline")
@click.option(
    "--authority",
    "code",
    default=None,
    help="See it as this authority's users do: their own and the sharing authorities' "
    "contracts (default: every authority, as an admin).",
)
@click.option("--from-months", type=int, default=6, show_default=True)
@click.option("--to-months", type=int, default=36, show_default=True)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Count months from this date (default: today).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def pipeline_cmd(
    settings: Settings,
    code: str | None,
    from_months: int,
    to_months: int,
    today: dt.datetime | None,
    as_json: bool,
) -> None:
    """Contracts ending in 6-36 months grouped by category and supplier across
    authorities, and the categories two or more authorities renew, ranked by estimated
    tonnes a year.

    \b
    Example:
        tracker contracts pipeline --authority EMB --json
    """
    from dashboards.format import money, tonnes
    from tracker.access import Viewer
    from tracker.errors import TrackerError
    from tracker.services.authorities import get_authority
    from tracker.services.contracts.pipeline import pipeline

    day = today.date() if today else dt.datetime.now(dt.UTC).date()
    with open_session(settings) as session:
        viewer = CLI_VIEWER
        if code:
            viewer = Viewer(None, "command line", "viewer", get_authority(session, code).id)
        try:
            result = pipeline(
                session, viewer, today=day, money=money, tonnes=tonnes,
                from_months=from_months, to_months=to_months,
            )  # fmt: skip
        except ValueError as exc:
            raise TrackerError(str(exc)) from None
    if as_json:
        print_json(result.as_dict())
        return
    click.echo(
        f"{len(result.contracts):,} contracts of {len(result.authorities):,} authorities end "
        f"between {from_months} and {to_months} months from {day.isoformat()}."
    )
    if result.left_out_text:
        click.echo(result.left_out_text)
    for o in result.opportunities:
        click.echo(f"{o.rank:>3}. {o.sentence}")
    if not result.opportunities:
        click.echo("No category is renewed by two or more authorities in this window.")
