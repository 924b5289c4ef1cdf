"""`tracker classify`, `tracker review`, `tracker rules …`, `tracker supplier-default …`."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.cli.support import FINANCIAL_YEAR, TrackerGroup, echo_notes, open_session, print_json
from tracker.config import Settings
from tracker.domain.codes import LineStatus
from tracker.domain.money import money_exact
from tracker.domain.periods import fy_label
from tracker.domain.units import share_percent, to_tonnes
from tracker.domain.vocabulary import method_name
from tracker.models import Authority
from tracker.queries.breakdowns import CoverageRow


def _years(session: Session, authority_id: int, fy_start: int) -> list[int]:
    from tracker.domain.periods import fy_of
    from tracker.models import SpendLine

    days = session.scalars(
        select(SpendLine.transaction_date).where(SpendLine.authority_id == authority_id).distinct()
    )
    return sorted({fy_of(d, fy_start) for d in days})


@click.command("classify")
@click.option("--authority", "code", default=None, help="One authority (default: all).")
@click.option(
    "--evaluate",
    "labels",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    help="Score the classification against a hand-labelled file "
    "(factors/evaluation/labels/*.csv; needs --authority).",
)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def classify_cmd(settings: Settings, code: str | None, labels: Path | None, as_json: bool) -> None:
    """Classify all spend again with the current rules and recompute the inventories.

    Prints the share of spend classified, excluded and unclassified, by method. With
    --evaluate, prints instead how often the classification of the labelled lines is
    right (exact and acceptable, by count and by spend; lines sent to review apart).

    \b
    Example:
        tracker classify --authority SAL
        tracker classify --authority MAN --evaluate uk-manchester-2014-09.csv
    """
    if labels is not None and code is None:
        raise click.UsageError("--evaluate needs --authority.")
    from tracker.queries.breakdowns import coverage
    from tracker.queries.current import current_run, lock_of
    from tracker.services.authorities import get_authority, list_authorities
    from tracker.services.recalculate import refresh_inventories

    report = []
    notes: list[str] = []
    with open_session(settings) as session:
        authorities = [get_authority(session, code)] if code else list_authorities(session)
        for a in authorities:
            years = _years(session, a.id, a.fy_start_month)
            label = partial(fy_label, start_month=a.fy_start_month)
            notes += refresh_inventories(session, authority=a, years=years)
            for year in years:
                run = current_run(session, a.id, year)
                if run is None:
                    continue
                rows = coverage(session, run_id=run.id, authority_id=a.id)
                is_locked = lock_of(session, a.id, year) is not None
                report.append(
                    _coverage(a.code, year, rows, is_locked)
                    | {"label": label(year), "currency": a.currency}
                )
        if labels is not None:
            _evaluate(session, authorities[0], labels, notes, as_json)
            return
    if as_json:
        print_json({"coverage": report, "notes": notes})
        return
    for note in notes:
        click.echo(f"note: {note}")
    for r in report:
        locked = " (locked: restate to apply new rules)" if r["locked"] else ""
        click.echo(
            f"{r['authority']} {r['label']}: classified {_share(r['classified_share'])} of "
            f"in-scope spend, excluded {_money(r['excluded'], r['currency'])}, "
            f"unclassified {_money(r['unclassified'], r['currency'])}"
            f"{locked}"
        )
        methods = ", ".join(f"{method_name(m)} {s:.1%}" for m, s in r["by_method"].items())
        click.echo(f"    by method: {methods}")


def _money(amount: float, currency: str) -> str:
    """An amount of the JSON report (a float of a two-place Decimal) as text."""
    return money_exact(Decimal(str(amount)), currency)


def _share(fraction: float) -> str:
    """``99.9%`` for a share short of the whole, never ``100.0%``."""
    return f"{share_percent(Decimal(str(fraction)), 1)}%"


def _evaluate(
    session: Session, authority: Authority, path: Path, notes: list[str], as_json: bool
) -> None:
    from tracker.domain.evaluation import format_table
    from tracker.services.classification.evaluation import evaluate_authority, read_labels

    labels = read_labels(session, authority, path)
    report = evaluate_authority(session, authority=authority, labels=labels)
    if as_json:
        print_json({"evaluation": report.as_dict(), "notes": notes})
        return
    for note in notes:
        click.echo(f"note: {note}")
    click.echo(
        f"{authority.code}: {report.labels} labelled lines in {path.name}, "
        f"{report.labels - len(report.unmatched)} scored; precision of decided lines "
        "(accept, exact by count; accept£, exact£ by spend)"
    )
    for line in format_table(report.evaluation):
        click.echo(line)
    for u in report.unmatched:
        click.echo(f"not scored: {u.source} line {u.line} ({u.file} row {u.row}): {u.why}")


def _coverage(code: str, year: int, rows: list[CoverageRow], locked: bool) -> dict[str, Any]:
    mapped = sum((r.spend for r in rows if r.status == LineStatus.MAPPED), Decimal(0))
    excluded = sum((r.spend for r in rows if r.status == LineStatus.EXCLUDED), Decimal(0))
    unmapped = sum((r.spend for r in rows if r.status == LineStatus.UNMAPPED), Decimal(0))
    in_scope = mapped + unmapped
    by_method: dict[str, Decimal] = {}
    for r in rows:
        if r.status == LineStatus.MAPPED:
            by_method[r.method or "?"] = by_method.get(r.method or "?", Decimal(0)) + r.spend
    share = (mapped / in_scope) if in_scope else Decimal(0)
    return {
        "authority": code,
        "year": year,
        "locked": locked,
        "classified": float(mapped),
        "excluded": float(excluded),
        "unclassified": float(unmapped),
        "classified_share": float(share),
        "by_method": {m: float(v / in_scope) if in_scope else 0.0 for m, v in by_method.items()},
    }


@click.command("review")
@click.option("--authority", "code", required=True)
@click.option("--year", type=FINANCIAL_YEAR, required=True)
@click.option("--limit", type=int, default=30, show_default=True)
@click.option(
    "--accept-above",
    "threshold",
    type=click.FloatRange(0, 1),
    default=None,
    help="Accept every suggestion at least this confident as a rule of the authority "
    "(applied after the shared library).",
)
@click.option(
    "--rank",
    type=click.Choice(["spend", "tonnes"]),
    default="spend",
    show_default=True,
    help="Order the queue by spend, or by tonnes at stake (tonnes x doubt).",
)
@click.option(
    "--signoff",
    is_flag=True,
    help="List the fewest groups making 80 % of the year's tonnes, with their evidence.",
)
@click.option(
    "--confirm",
    "confirm",
    type=click.IntRange(1),
    multiple=True,
    help="Confirm group N of the --signoff list (repeatable).",
)
@click.option(
    "--confirm-line", "confirm_lines", type=int, multiple=True, help="Confirm one line by id."
)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def review_cmd(
    settings: Settings,
    code: str,
    year: int,
    limit: int,
    threshold: float | None,
    rank: str,
    signoff: bool,
    confirm: tuple[int, ...],
    confirm_lines: tuple[int, ...],
    as_json: bool,
) -> None:
    """The review queue: unclassified and low-confidence spend by supplier and expense type,
    largest first, with a suggested category learned from its own spend and that of
    authorities sharing their figures.

    \b
    Example:
        tracker review --authority SAL --year 2023
        tracker review --authority SAL --year 2023 --accept-above 0.9
        tracker review --authority SAL --year 2023 --rank tonnes
        tracker review --authority SAL --year 2023 --signoff
        tracker review --authority SAL --year 2023 --signoff --confirm 1 --confirm 2
    """
    from tracker.services.authorities import get_authority
    from tracker.services.classification.review import (
        accept_suggestions,
        review_group_count,
        review_queue,
    )
    from tracker.services.recalculate import refresh_inventories
    from tracker.services.versions import default_actor

    if signoff or confirm or confirm_lines:
        from tracker.cli.signoff import signoff_review

        signoff_review(settings, code, year, confirm, confirm_lines, as_json=as_json)
        return
    with open_session(settings) as session:
        a = get_authority(session, code)
        run, items = review_queue(session, authority=a, year=year, limit=limit, rank=rank)
        accepted = []
        if threshold is not None:
            accepted = accept_suggestions(
                session,
                authority=a,
                items=items,
                threshold=Decimal(str(threshold)),
                actor=default_actor(),
            )
            if accepted:  # the accepted rules apply at once: recalculate, then read again
                refresh_inventories(session, authority=a)
                run, items = review_queue(session, authority=a, year=year, limit=limit, rank=rank)
        unmapped = run.total_spend - run.mapped_spend - run.excluded_spend
        total_groups = review_group_count(session, run=run)
        label = fy_label(year, a.fy_start_month)
        currency = a.currency
    if as_json:
        print_json(
            {
                "authority": code,
                "year": year,
                "unclassified_spend": unmapped,
                "accepted": [
                    {
                        "supplier": i.group.supplier,
                        "expense_type": i.group.expense_type,
                        "field": i.suggestion.field,
                        "group": i.suggestion.defra_group,
                    }
                    for i in accepted
                    if i.suggestion
                ],
                "rank": rank,
                "total_groups": total_groups,
                "groups": [
                    i.group.__dict__
                    | {
                        "at_stake_kg": i.at_stake_kg,
                        "suggestion": None if i.suggestion is None else i.suggestion.__dict__,
                        "confirms": i.confirms,
                    }
                    for i in items
                ],
            }
        )
        return
    for i in accepted:
        click.echo(
            f"Accepted: {i.group.supplier} -> {i.suggestion.defra_group if i.suggestion else ''}"
        )
    order = "most tonnes at stake first" if rank == "tonnes" else "largest groups first"
    click.echo(f"{code} {label}: {money_exact(unmapped, currency)} unclassified; {order}")
    click.echo(f"Showing {len(items):,} of {total_groups:,} groups")
    covered = Decimal(0)
    for i in items:
        g = i.group
        if g.status == LineStatus.UNMAPPED:
            covered += g.spend
        share = f"{covered / unmapped:6.1%}" if unmapped else "     -"
        labels: dict[str, str] = {
            LineStatus.MAPPED: "low confidence",
            LineStatus.EXCLUDED: "excluded (low)",
        }
        label = labels.get(g.status, "unclassified")
        hint = ""
        if i.suggestion:
            s = i.suggestion
            said = s.evidence or s.basis
            hint = (
                f"  -> the evidence supports {s.defra_group}: {said}"
                if i.confirms
                else f"  -> {s.defra_group} ({s.confidence}: {said})"
            )
        stake = f"{to_tonnes(i.at_stake_kg):>10,.1f} t at stake  " if rank == "tonnes" else ""
        click.echo(
            f"  {share}  {money_exact(g.spend, currency):>15}  {stake}{g.lines:>5} lines  "
            f"{label:<14} "
            f"{g.supplier or '-'} | {g.expense_type or '-'}{hint}"
        )


@click.group("rules", cls=TrackerGroup)
def rules_group() -> None:
    """Classification rules of an authority (or shared by all with --shared)."""


def _authority(session: Session, code: str | None) -> Authority | None:
    from tracker.services.authorities import get_authority

    return get_authority(session, code) if code else None


@rules_group.command("list")
@click.option("--authority", "code", default=None, help="Default: the shared rules.")
@click.pass_obj
def rules_list(settings: Settings, code: str | None) -> None:
    """List rules as CSV (the rule-library layout)."""
    from tracker.services.classification.rules import export_rules, list_rules

    with open_session(settings) as session:
        click.echo(export_rules(list_rules(session, _authority(session, code))), nl=False)


def _export_alias(group: click.Group, listing: click.Command, what: str) -> None:
    """``export``: the same as ``list``, named for sharing with other authorities."""
    group.add_command(
        click.Command(
            "export", callback=listing.callback, params=listing.params,
            help=f"Export {what} as CSV (same as list), to share with other authorities.",
        )
    )  # fmt: skip


_export_alias(rules_group, rules_list, "rules")


@rules_group.command("add")
@click.argument("rule_id")
@click.option("--authority", "code", default=None, help="Default: shared by all authorities.")
@click.option("--pattern", required=True)
@click.option(
    "--field",
    default="any",
    show_default=True,
    type=click.Choice(["expense_type", "description", "supplier", "any"]),
)
@click.option(
    "--match",
    default="contains",
    show_default=True,
    type=click.Choice(["contains", "regex", "exact"]),
)
@click.option(
    "--priority",
    type=int,
    default=50,
    show_default=True,
    help="Lower numbers win; the library uses 5-100.",
)
@click.option("--group", "defra_group", default=None, help="Defra product group, e.g. 69.1.")
@click.option("--naics", default=None, help="EPA NAICS-6 code instead of a group (US, shared).")
@click.option("--exclude", "exclude_reason", default=None, help="Exclusion reason, e.g. grants.")
@click.option("--scope3-category", type=click.IntRange(1, 2), default=None)
@click.option("--note", default=None)
@click.pass_obj
def rules_add(
    settings: Settings, rule_id: str, code: str | None, pattern: str, field: str, match: str,
    priority: int, defra_group: str | None, naics: str | None, exclude_reason: str | None,
    scope3_category: int | None, note: str | None,
) -> None:  # fmt: skip
    """Add (or replace) a rule and bring the inventories it applies to up to date.

    \b
    Example:
        tracker rules add LEGAL1 --authority SAL --pattern "legal" --group 69.1
        tracker rules add JAIL1 --authority PHX --pattern "jail" --naics 561210
    """
    from tracker.services.classification.rules import add_rule
    from tracker.services.recalculate import refresh_after_change
    from tracker.services.versions import default_actor

    with open_session(settings) as session:
        authority = _authority(session, code)
        rule = add_rule(
            session, authority=authority, rule_id=rule_id,
            pattern=pattern, field=field, match=match, priority=priority,
            defra_group=defra_group, exclude_reason=exclude_reason,
            scope3_category=scope3_category, note=note, actor=default_actor(), naics=naics,
        )  # fmt: skip
        notes = refresh_after_change(session, authority)
        click.echo(f"Rule {rule.rule_id} saved ({'shared' if code is None else code}).")
    echo_notes(notes)


@rules_group.command("delete")
@click.argument("rule_id")
@click.option("--authority", "code", default=None, help="Default: the shared rules.")
@click.pass_obj
def rules_delete(settings: Settings, rule_id: str, code: str | None) -> None:
    """Delete a rule and bring the inventories it applied to up to date."""
    from tracker.services.classification.rules import delete_rule
    from tracker.services.recalculate import refresh_after_change

    with open_session(settings) as session:
        authority = _authority(session, code)
        delete_rule(session, authority=authority, rule_id=rule_id)
        notes = refresh_after_change(session, authority)
    click.echo(f"Rule {rule_id} deleted ({'shared' if code is None else code}).")
    echo_notes(notes)


@rules_group.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--authority", "code", default=None, help="Default: shared by all authorities.")
@click.pass_obj
def rules_import(settings: Settings, file: Path, code: str | None) -> None:
    """Import rules from a CSV in the rule-library layout (all or nothing), and bring the
    inventories they apply to up to date."""
    from tracker.services.classification.rules import import_rules
    from tracker.services.recalculate import refresh_after_change
    from tracker.services.versions import default_actor

    with open_session(settings) as session:
        authority = _authority(session, code)
        count = import_rules(session, authority=authority, path=file, actor=default_actor())
        notes = refresh_after_change(session, authority)
    click.echo(f"Imported {count} rule(s) from {file.name}.")
    echo_notes(notes)


@click.group("supplier-default", cls=TrackerGroup)
def supplier_default_group() -> None:
    """Classify everything bought from a supplier to one category (or exclude it)."""


@supplier_default_group.command("set")
@click.argument("supplier")
@click.option("--authority", "code", default=None, help="Default: shared by all authorities.")
@click.option("--group", "defra_group", default=None)
@click.option("--naics", default=None, help="EPA NAICS-6 code instead of a group (US, shared).")
@click.option("--exclude", "exclude_reason", default=None)
@click.option("--scope3-category", type=click.IntRange(1, 2), default=None)
@click.pass_obj
def supplier_default_set(
    settings: Settings, supplier: str, code: str | None, defra_group: str | None,
    naics: str | None, exclude_reason: str | None, scope3_category: int | None,
) -> None:  # fmt: skip
    """Set a supplier's default category, and bring the inventories it applies to up to
    date.

    \b
    Example:
        tracker supplier-default set "Greystone Roadworks Ltd" --group 42.1-2
    """
    from tracker.services.classification.rules import set_supplier_default
    from tracker.services.recalculate import refresh_after_change
    from tracker.services.versions import default_actor

    with open_session(settings) as session:
        authority = _authority(session, code)
        set_supplier_default(
            session, authority=authority, supplier_name=supplier,
            defra_group=defra_group, exclude_reason=exclude_reason,
            scope3_category=scope3_category, actor=default_actor(), naics=naics,
        )  # fmt: skip
        notes = refresh_after_change(session, authority)
    click.echo(f"Supplier default for {supplier} saved.")
    echo_notes(notes)


@supplier_default_group.command("list")
@click.option("--authority", "code", default=None, help="Default: the shared defaults.")
@click.pass_obj
def supplier_default_list(settings: Settings, code: str | None) -> None:
    """List supplier defaults as CSV (supplier, defra_group, exclude_reason, …)."""
    from tracker.services.classification.rules import (
        export_supplier_defaults,
        list_supplier_defaults,
    )

    with open_session(settings) as session:
        rows = list_supplier_defaults(session, _authority(session, code))
        click.echo(export_supplier_defaults(rows), nl=False)


_export_alias(supplier_default_group, supplier_default_list, "supplier defaults")


@supplier_default_group.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--authority", "code", default=None, help="Default: shared by all authorities.")
@click.pass_obj
def supplier_default_import(settings: Settings, file: Path, code: str | None) -> None:
    """Import supplier defaults from a CSV in the export layout (all or nothing), and
    bring the inventories they apply to up to date.

    \b
    Example:
        tracker supplier-default import defaults.csv --authority SAL
    """
    from tracker.services.classification.rules import import_supplier_defaults
    from tracker.services.recalculate import refresh_after_change
    from tracker.services.versions import default_actor

    with open_session(settings) as session:
        authority = _authority(session, code)
        count = import_supplier_defaults(
            session, authority=authority, path=file, actor=default_actor()
        )
        notes = refresh_after_change(session, authority)
    click.echo(f"Imported {count} supplier default(s).")
    echo_notes(notes)
