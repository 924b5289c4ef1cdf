"""The ``tracker`` command line. Thin: each command opens a session and calls a service.

The command names, options and JSON fields are a stable contract; extend, don't break.
"""

from __future__ import annotations

import click

from tracker.cli.aliases import alias_group
from tracker.cli.authorities import authority
from tracker.cli.batches import batch_group
from tracker.cli.classify import classify_cmd, review_cmd, rules_group, supplier_default_group
from tracker.cli.compare import collaboration_cmd, compare_cmd, share_cmd
from tracker.cli.contract_links import ambiguous_cmd, link_cmd, pipeline_cmd, settle_cmd
from tracker.cli.contracts import contracts_group
from tracker.cli.db import db
from tracker.cli.factors import factors_group
from tracker.cli.imports import import_cmd
from tracker.cli.inventory import audit_cmd, inventory_cmd, lock_cmd, restate_cmd
from tracker.cli.overrides import override_group
from tracker.cli.rates import rates_group, supplier_factor_group
from tracker.cli.recalculate import recalculate_cmd
from tracker.cli.reports import report_cmd
from tracker.cli.serve import demo_cmd, serve_cmd
from tracker.cli.suppliers import suppliers_group
from tracker.cli.support import TrackerGroup
from tracker.cli.targets import progress_cmd, target_group, targets_alias
from tracker.cli.users import user_group
from tracker.cli.years import year_group
from tracker.config import Settings
from tracker.errors import TrackerError


@click.group(cls=TrackerGroup)
@click.version_option(package_name="netzero-procurement-tracker")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Net Zero procurement emissions tracker.

    The database is TRACKER_DATABASE_URL (default: a SQLite file under
    ~/.local/share/netzero-tracker); uploaded files are kept in TRACKER_DATA_DIR.
    """
    try:
        ctx.obj = Settings.from_env()
    except ValueError as exc:
        raise TrackerError(f"Configuration: {exc}") from None


cli.add_command(db)
cli.add_command(authority)
cli.add_command(import_cmd)
cli.add_command(inventory_cmd)
cli.add_command(lock_cmd)
cli.add_command(restate_cmd)
cli.add_command(audit_cmd)
cli.add_command(report_cmd)
cli.add_command(serve_cmd)
cli.add_command(demo_cmd)
cli.add_command(batch_group)
cli.add_command(contracts_group)
contracts_group.add_command(link_cmd)
contracts_group.add_command(pipeline_cmd)
contracts_group.add_command(ambiguous_cmd)
contracts_group.add_command(settle_cmd)
cli.add_command(target_group)
cli.add_command(targets_alias)
cli.add_command(progress_cmd)
cli.add_command(classify_cmd)
cli.add_command(recalculate_cmd)
cli.add_command(review_cmd)
cli.add_command(rules_group)
cli.add_command(supplier_default_group)
cli.add_command(override_group)
cli.add_command(factors_group)
cli.add_command(rates_group)
cli.add_command(supplier_factor_group)
cli.add_command(compare_cmd)
authority.add_command(share_cmd)
authority.add_command(alias_group)
cli.add_command(collaboration_cmd)
cli.add_command(user_group)
cli.add_command(year_group)
cli.add_command(suppliers_group)


def main() -> None:
    cli(prog_name="tracker")
