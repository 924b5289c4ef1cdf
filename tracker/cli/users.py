"""`tracker user add|password|role|list`: the people who sign in to the dashboard."""

from __future__ import annotations

import sys

import click

from tracker.cli.support import TrackerGroup, open_session, print_json
from tracker.config import Settings
from tracker.errors import TrackerError
from tracker.models.users import ROLES
from tracker.services.authorities import get_authority
from tracker.services.users import add_user, list_users, set_password, set_role


def read_password() -> str:
    """The new password from standard input: asked twice without echo on a terminal,
    else the first line of piped input."""
    if sys.stdin.isatty():
        first = click.prompt("Password", hide_input=True, err=True)
        again = click.prompt("Repeat password", hide_input=True, err=True)
        if first != again:
            raise TrackerError("The two passwords differ; nothing was changed.")
        return str(first)
    line = sys.stdin.readline()
    if not line:
        raise TrackerError("No password on standard input.")
    return line.rstrip("\r\n")


@click.group("user", cls=TrackerGroup)
def user_group() -> None:
    """Dashboard users and their roles (admin, officer, viewer)."""


@user_group.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--authority", "code", default=None, help="Authority of an officer or viewer.")
@click.pass_obj
def user_add(settings: Settings, email: str, role: str, code: str | None) -> None:
    """Add a user; the password is read from standard input (never an argument).

    \b
    Example:
        tracker user add officer@example.gov.uk --role officer --authority SAL
        printf '%s\\n' "$PASSWORD" | tracker user add admin@example.org --role admin
    """
    password = read_password()
    with open_session(settings) as session:
        authority = get_authority(session, code) if code else None
        user = add_user(session, email=email, password=password, role=role, authority=authority)
        click.echo(f"Added {user.email} ({role}{f', {code}' if code else ''}).")


@user_group.command("password")
@click.argument("email")
@click.pass_obj
def user_password(settings: Settings, email: str) -> None:
    """Set a user's password, read from standard input; their open sessions end.

    \b
    Example:
        tracker user password officer@example.gov.uk
    """
    password = read_password()
    with open_session(settings) as session:
        user = set_password(session, email=email, password=password)
        click.echo(f"Password changed for {user.email}.")


@user_group.command("role")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--authority", "code", default=None, help="Authority of an officer or viewer.")
@click.pass_obj
def user_role(settings: Settings, email: str, role: str, code: str | None) -> None:
    """Change a user's role (and authority); their open dashboard sessions end.

    \b
    Example:
        tracker user role officer@example.gov.uk --role viewer --authority SAL
        tracker user role someone@example.org --role admin
    """
    with open_session(settings) as session:
        authority = get_authority(session, code) if code else None
        user = set_role(session, email=email, role=role, authority=authority)
        click.echo(f"{user.email} is now {role}{f' of {code}' if code else ''}.")


@user_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def user_list(settings: Settings, as_json: bool) -> None:
    """List users with their role, authority and last log-in.

    \b
    Example:
        tracker user list --json
    """
    with open_session(settings) as session:
        rows = [
            {
                "email": user.email,
                "role": user.role,
                "authority": code,
                "active": user.is_active,
                "last_login_at": user.last_login_at,
            }
            for user, code in list_users(session)
        ]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        last = f"{r['last_login_at']:%Y-%m-%d %H:%M}" if r["last_login_at"] else "never"
        state = "" if r["active"] else " (inactive)"
        click.echo(f"{r['email']}  {r['role']}  {r['authority'] or '-'}  last log-in {last}{state}")
