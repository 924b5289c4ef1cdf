"""`tracker authority alias add|remove|list`: other names an authority publishes under."""

from __future__ import annotations

import click

from tracker.cli.support import TrackerGroup, open_session, print_json
from tracker.config import Settings


@click.group("alias", cls=TrackerGroup)
def alias_group() -> None:
    """Other names the authority publishes its spend under, so that a file naming one of
    them passes the organisation check on import."""


def _change(settings: Settings, code: str, name: str, *, add: bool) -> None:
    from tracker.services.aliases import add_alias, remove_alias
    from tracker.services.authorities import get_authority
    from tracker.services.versions import default_actor

    with open_session(settings) as session:
        authority = get_authority(session, code)
        if add:
            added = add_alias(session, authority, name, actor=default_actor())
            state = "" if added else " (already recorded)"
            text = f"{authority.code} is also known as {' '.join(name.split())!r}{state}."
        else:
            removed = remove_alias(session, authority, name, actor=default_actor())
            text = f"{authority.code} is no longer known as {removed!r}."
    click.echo(text)


@alias_group.command("add")
@click.argument("code")
@click.argument("name")
@click.pass_obj
def alias_add(settings: Settings, code: str, name: str) -> None:
    """Record NAME as another name of the authority CODE (recorded in the audit log).

    \b
    Example:
        tracker authority alias add HUL "Hull City Council"
    """
    _change(settings, code, name, add=True)


@alias_group.command("remove")
@click.argument("code")
@click.argument("name")
@click.pass_obj
def alias_remove(settings: Settings, code: str, name: str) -> None:
    """Remove the alias NAME of the authority CODE (recorded in the audit log).

    \b
    Example:
        tracker authority alias remove HUL "Hull City Council"
    """
    _change(settings, code, name, add=False)


@alias_group.command("list")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def alias_list(settings: Settings, code: str, as_json: bool) -> None:
    """The authority's aliases.

    \b
    Example:
        tracker authority alias list HUL
    """
    from tracker.services.aliases import aliases
    from tracker.services.authorities import get_authority

    with open_session(settings) as session:
        authority = get_authority(session, code)
        names = aliases(session, authority)
        own = authority.name
    if as_json:
        print_json({"authority": code, "name": own, "aliases": names})
        return
    if not names:
        click.echo(f"{code} ({own}) has no aliases.")
    for name in names:
        click.echo(name)
