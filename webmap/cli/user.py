"""`naeringskart user`: planner and admin accounts (there is no self-registration)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
import psycopg

from gis.accounts.users import (
    ROLES,
    AccountError,
    add_account,
    disable_account,
    provisioning_uri,
    reset_password,
)
from gis.db import libpq_dsn, owner_database_url
from webmap.cli.context import Context, pass_context


@contextmanager
def _connect(ctx: Context) -> Iterator[psycopg.Connection]:
    with psycopg.connect(libpq_dsn(owner_database_url(ctx.settings))) as conn:
        yield conn


def _password(value: str | None) -> str:
    return value or click.prompt("Password (at least 12 characters; a phrase of uncommon words)",
                                 hide_input=True, confirmation_prompt=True)


@click.group(help="Planner and admin accounts.")
def user() -> None:
    """Account commands."""


@user.command("add", help="Create an account. Admins always get a TOTP second factor.")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="planner", show_default=True)
@click.option("--name", "display_name", help="Full name shown in the history.")
@click.option("--totp", is_flag=True, help="Turn on the TOTP second factor (always on for admins).")
@click.option("--password", envvar="NAERINGSKART_NEW_PASSWORD",
              help="The password (else asked for; or NAERINGSKART_NEW_PASSWORD).")
@click.option("--kommune", "kommuner", multiple=True, metavar="KOMMUNENUMMER",
              help="Plans only for this kommune of the instance (repeat for several; "
                   "default: every kommune).")
@pass_context
def add(ctx: Context, username: str, role: str, display_name: str | None, totp: bool,
        password: str | None, kommuner: tuple[str, ...]) -> None:
    try:
        with _connect(ctx) as conn:
            account = add_account(conn, username, _password(password), role=role,  # type: ignore[arg-type]
                                  display_name=display_name, totp=totp,
                                  kommune_name=ctx.settings.kommune.name,
                                  kommuner=list(kommuner) or None)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"created {account.role} {account.username}")
    uri = provisioning_uri(account, f"Næringskart {ctx.settings.kommune.name}")
    if uri:
        click.echo("TOTP is on: add this to the authenticator app (or type the secret):")
        click.echo(f"  {uri}")
        click.echo(f"  secret: {account.totp_secret}")


@user.command("disable", help="Disable an account and end its sessions.")
@click.argument("username")
@pass_context
def disable(ctx: Context, username: str) -> None:
    try:
        with _connect(ctx) as conn:
            disable_account(conn, username)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"disabled {username}; its sessions are ended")


@user.command("reset-password", help="Set a new password (re-enables the account, ends sessions).")
@click.argument("username")
@click.option("--password", envvar="NAERINGSKART_NEW_PASSWORD",
              help="The new password (else asked for; or NAERINGSKART_NEW_PASSWORD).")
@pass_context
def reset(ctx: Context, username: str, password: str | None) -> None:
    try:
        with _connect(ctx) as conn:
            reset_password(conn, username, _password(password),
                           kommune_name=ctx.settings.kommune.name)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"new password set for {username}; its sessions are ended")
