"""`tracker review --signoff`, `--confirm N`, `--confirm-line ID`: the sign-off review."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from tracker.cli.support import open_session, print_json
from tracker.config import Settings
from tracker.domain.codes import LineStatus
from tracker.domain.periods import fy_label
from tracker.domain.units import to_tonnes
from tracker.errors import TrackerError

if TYPE_CHECKING:
    from tracker.services.classification.signoff import Signoff


def signoff_review(
    settings: Settings,
    code: str,
    year: int,
    confirm: tuple[int, ...],
    confirm_lines: tuple[int, ...],
    *,
    as_json: bool,
) -> None:
    """Confirm the groups and lines asked for, then print the sign-off list."""
    from tracker.services.authorities import get_authority
    from tracker.services.classification.signoff import confirm_group, confirm_line, signoff
    from tracker.services.versions import default_actor

    actor = default_actor()
    done: list[str] = []
    with open_session(settings) as session:
        a = get_authority(session, code)
        s = signoff(session, authority=a, year=year)
        for n in confirm:
            if n > len(s.groups):
                raise TrackerError(f"--confirm {n}: the sign-off list has {len(s.groups)} groups")
            g = s.groups[n - 1]
            if g.decision.status == LineStatus.UNMAPPED:
                raise TrackerError(
                    f"--confirm {n}: {g.supplier or 'the group'} is unclassified; classify it "
                    "(a rule, supplier default or override) before confirming"
                )
            confirm_group(session, authority=a, year=year, group=g, actor=actor)
            done.append(f"group {n} ({g.supplier or '-'})")
        for line_id in confirm_lines:
            confirm_line(session, authority=a, year=year, line_id=line_id, actor=actor)
            done.append(f"line {line_id}")
        if done:
            s = signoff(session, authority=a, year=year)
        currency = a.currency
        label = fy_label(year, a.fy_start_month)
    if as_json:
        print_json(_as_dict(code, year, s, done))
        return
    for what in done:
        click.echo(f"Confirmed {what} as {actor}")
    _print(code, label, currency, s)


def _print(code: str, label: str, currency: str, s: Signoff) -> None:
    from tracker.services.classification.signoff import (
        confirmation_text,
        decision_text,
        evidence_text,
    )

    share = s.covered_kg / s.total_kg if s.total_kg else 0
    click.echo(
        f"{code} {label}: {to_tonnes(s.total_kg):,.1f} t (unclassified spend at "
        f"{s.intensity:.4f} kg/{currency}); {len(s.groups)} groups make {share:.1%} of it; "
        f"{s.confirmed} confirmed"
    )
    for n, g in enumerate(s.groups, 1):
        click.echo(
            f"{n:>4}. {to_tonnes(g.counted_kg):>10,.1f} t  "
            f"{to_tonnes(g.at_stake_kg):>9,.1f} t at stake  "
            f"{g.confidence or '-':<6} {g.spend:>14,.2f} {currency}  {g.lines:>5} lines  "
            f"{g.supplier or '-'} | {g.description or '-'} | {g.expense_type or '-'}"
        )
        click.echo(f"      -> {decision_text(g)}; {evidence_text(g)}; {confirmation_text(g)}")


def _as_dict(code: str, year: int, s: Signoff, done: list[str]) -> dict[str, Any]:
    return {
        "authority": code,
        "year": year,
        "total_kg": s.total_kg,
        "covered_kg": s.covered_kg,
        "intensity": s.intensity,
        "confirmed": s.confirmed,
        "done": done,
        "groups": [
            {
                "class_key": g.class_key,
                "supplier": g.supplier,
                "description": g.description,
                "expense_type": g.expense_type,
                "status": g.decision.status,
                "category_code": g.decision.category_code,
                "factor_code": g.decision.factor_code,
                "exclusion": g.decision.exclusion,
                "confidence": g.confidence,
                "method": g.method,
                "rule": g.rule,
                "decided_by": g.decided_by,
                "overruled": g.overruled,
                "spend": g.spend,
                "lines": g.lines,
                "kg": g.counted_kg,
                "at_stake_kg": g.at_stake_kg,
                "confirmation": None
                if g.confirmation is None
                else {
                    "state": g.confirmation.state,
                    "by": g.confirmation.by,
                    "on": g.confirmation.on,
                },
            }
            for g in s.groups
        ],
    }
