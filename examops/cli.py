"""The `examops` command: every job the app does can also be scripted.

Heavy imports (pandas, openpyxl, textual) happen inside the commands that
need them, so `examops check` and `examops gate` start fast.
"""

from __future__ import annotations

import json
import os
import sys

import click

EXIT_BAD_INPUT = 2
EXIT_NOT_RECORDED = 3


class Failure(click.ClickException):
    """A clear error for the user; exit status 2."""

    exit_code = EXIT_BAD_INPUT

    def show(self, file=None) -> None:  # noqa: ANN001
        click.echo(f"examops: {self.format_message()}", err=True)


def _emit(data, as_json: bool, human: str | None = None) -> None:  # noqa: ANN001
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=None if isinstance(data, dict) and "verdict" in data else 2))
    elif human is not None:
        click.echo(human)


def open_site(ctx: click.Context, *, check: bool = True):
    """The site for a command; `check` (for every command that writes) runs SQLite's integrity check first."""
    from examops.adapters.store import StoreError
    from examops.domain.plan import PlanError
    from examops.services.site import Site, SiteError

    try:
        site = Site.open(ctx.obj.get("db"), check=check)
    except (StoreError, SiteError, PlanError) as exc:
        raise Failure(str(exc)) from None
    site.override = ctx.obj.get("override")
    return site


def require_session(site, session_id: str | None) -> None:  # noqa: ANN001 - a Site
    """A session named on the command line must be one of the plan's."""
    if session_id and session_id not in {s.id for s in site.plan.sessions}:
        raise Failure(f"no session {session_id!r} in the plan; sessions: {', '.join(s.id for s in site.plan.sessions)}")


def _pin(value: str | None, prompt: str) -> str:
    if value is not None:
        return value
    env = os.environ.get("EXAMOPS_PIN")
    if env:
        return env
    if not sys.stdin.isatty():
        raise Failure("the chief proctor's PIN is needed: pass it, or set EXAMOPS_PIN for scripts")
    return click.prompt(prompt, hide_input=True)


class ExamopsGroup(click.Group):
    """Store failures (disk full, locked, a closed session) become a clear message, never a traceback."""

    def invoke(self, ctx: click.Context):  # noqa: ANN201
        from examops.adapters.store import StoreError

        try:
            return super().invoke(ctx)
        except StoreError as exc:
            raise Failure(f"NOT RECORDED: {exc}") from None


@click.group(cls=ExamopsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="EXAMOPS_DB", help="Store URL or SQLite file (default: under EXAMOPS_HOME or the user data dir).")
@click.option("--override", metavar="REASON", help="Record into a session the chief proctor has closed, saying why.")
@click.version_option(package_name="examops")
@click.pass_context
def main(ctx: click.Context, db: str | None, override: str | None) -> None:
    """examops: exam-day operations for test centres (rosters, gate lanes, reports)."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    ctx.obj["override"] = override


@main.command()
@click.option("--plan", "plan_path", required=True, type=click.Path(dir_okay=False), help="The exam plan TOML.")
@click.option("--chief-pin", help="The chief proctor's PIN (prompted if absent; EXAMOPS_PIN for scripts).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def init(ctx: click.Context, plan_path: str, chief_pin: str | None, as_json: bool) -> None:
    """Create the store from an exam plan, or update the plan of an existing store."""
    from examops.adapters.store import Store, StoreError
    from examops.domain.plan import PlanError
    from examops.domain.policy import PolicyError
    from examops.services.site import PIN_KEY, SiteError, init_site, status

    pin = chief_pin or os.environ.get("EXAMOPS_PIN")
    if pin is None:
        try:
            has_pin = Store.open(ctx.obj.get("db"), create=False).get_setting(PIN_KEY) is not None
        except StoreError:
            has_pin = False
        if not has_pin:
            pin = _pin(None, "Chief proctor PIN (总监考密码)")
    try:
        site = init_site(plan_path, url=ctx.obj.get("db"), chief_pin=pin)
    except (PlanError, PolicyError, SiteError, StoreError) as exc:
        raise Failure(str(exc)) from None
    info = status(site)
    _emit(info, as_json, f"store ready at {info['store']}: {info['exam']} · {info['site']} · {len(info['sessions'])} session(s)")


@main.command("status")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def status_command(ctx: click.Context, as_json: bool) -> None:
    """Exam, site, sessions, rooms, candidate and event counts, store location."""
    from examops.services.site import status

    info = status(open_site(ctx, check=False))
    lines = [f"{info['exam']} · {info['site']}", f"store: {info['store']}",
             f"candidates: {info['candidates']}  events: {info['events']}  policy: {info['policy']}"]
    lines += [f"  {s['id']} {s['name']} {s['date']} {s['start']}-{s['end']}" for s in info["sessions"]]
    lines += [f"  room {r['id']} {r['name']} ({r['kind']}): {r['candidates']}" for r in info["rooms"]]
    _emit(info, as_json, "\n".join(lines))


from examops import cli_docs, cli_gate, cli_report, cli_review, cli_roster, cli_sync  # noqa: E402  (commands register on `main`)

__all__ = ["main", "cli_roster", "cli_gate", "cli_review", "cli_docs", "cli_sync", "cli_report"]
