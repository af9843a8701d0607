"""What every command shares: errors and exit codes, output, the PIN prompt, opening the site."""

from __future__ import annotations

import json
import os
import sys

import click

EXIT_NOT_VERIFIED = 1
EXIT_BAD_INPUT = 2
EXIT_NOT_RECORDED = 3

PIN_PROMPT = "Chief proctor PIN (总监考密码)"


class Failure(click.ClickException):
    """A clear error for the user; exit status 2."""

    exit_code = EXIT_BAD_INPUT

    def show(self, file=None) -> None:  # noqa: ANN001
        click.echo(f"examops: {self.format_message()}", err=True)


def emit(data, as_json: bool, human: str | None = None) -> None:  # noqa: ANN001
    """Print `data` as JSON with --json, else the `human` text (if any)."""
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=None if isinstance(data, dict) and "verdict" in data else 2))
    elif human is not None:
        click.echo(human)


def chief_pin(prompt: str = PIN_PROMPT) -> str:
    """The chief proctor's PIN: EXAMOPS_PIN, else asked on a terminal (never on a pipe)."""
    env = os.environ.get("EXAMOPS_PIN")
    if env:
        return env
    if not sys.stdin.isatty():
        raise Failure("the chief proctor's PIN is needed: pass it, or set EXAMOPS_PIN for scripts")
    return click.prompt(prompt, hide_input=True)


def open_site(ctx: click.Context, *, check: bool = True):  # noqa: ANN201 - a Site
    """The site for a command; `check` (for every command that writes) runs SQLite's integrity check first."""
    from examops.domain.plan import PlanError
    from examops.services.site import Site, SiteError, StoreError

    try:
        site = Site.open(ctx.obj.get("db"), check=check)
    except (StoreError, SiteError, PlanError) as exc:
        raise Failure(str(exc)) from None
    site.override = ctx.obj.get("override")
    return site


def require_session(site, session_id: str | None) -> None:  # noqa: ANN001 - a Site
    """A session named on the command line must be one of the plan's (the group turns the refusal into a Failure)."""
    if session_id:
        site.plan.session(session_id)
