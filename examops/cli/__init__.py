"""The `examops` command: every job the app does can also be scripted.

The area modules define their commands without knowing this group; it adds
them here, so nothing imports the group back. An area module is imported
only when one of its commands runs (or `--help` lists them all), and heavy
imports (pandas, openpyxl, textual) happen inside the commands that need
them, so a one-shot `examops check` and `examops gate` start fast.
"""

from __future__ import annotations

import importlib

import click

from examops.cli.common import Failure, literal
from examops.cli.help_words import Group, Option, group, option
from examops.i18n import N_
from examops.services.bulk_work import collection_paused_for_command, resume_collection

AREAS = ("site", "roster", "photos", "gate", "exits", "review", "admin", "report", "docs", "sync", "devices")
COMMAND_AREAS = {
    "init": "site", "status": "site", "verify": "site", "demo": "site", "roster": "roster", "photos": "photos",
    "check": "gate", "gate": "gate", "candidates": "gate", "exit": "exits", "exceptions": "review", "approve": "review",
    "reject": "review", "resolve": "review", "reallocate": "review", "move": "review", "room": "review",
    "review": "review", "incident": "admin", "close": "admin", "void": "admin", "alarm": "admin", "report": "report",
    "docs": "docs", "sync": "sync", "device": "devices",
}
"""Which area module defines each command (tests/unit/test_cli_package.py holds it to the modules' COMMANDS)."""
CHECKED_MEANWHILE = ("check",)
"""The lanes' commands: they open the store with `check_meanwhile`, so the group begins that quick check first (the
gate begins it where it opens the store: `cli.gate._lane_site`, `SiteHead.open`)."""


class ExamopsGroup(Group):
    """Store failures (disk full, locked, a closed session) and unknown sessions become a clear message, never a traceback.

    Commands come from their area modules on first use."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """click's own words (a mistyped command, --help's headings) in the language `--lang` or the locale asks for."""
        from examops.cli.click_words import speak_click
        from examops.i18n import resolve_language, set_language

        asked = next((value for flag, value in zip(args, args[1:]) if flag == "--lang"), None)
        asked = next((arg.split("=", 1)[1] for arg in args if arg.startswith("--lang=")), asked)
        set_language(resolve_language(asked))
        speak_click()
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMAND_AREAS, *self.commands})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMAND_AREAS:
            add_area(self, COMMAND_AREAS[name])
        return self.commands.get(name)

    def main(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        """The cycle collector waits until the command is known: a one-shot `check` runs its whole short life without
        it (its ~100 collector passes over SQLAlchemy's import free nothing); every other command turns it back on in
        the group callback, before anything heavy is imported, and `check --stdin` before its stream of scans."""
        own_process = not args and kwargs.get("args") is None  # the console script: the arguments are sys.argv
        with collection_paused_for_command(resume_after=not own_process):  # a process of its own exits right after
            return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context):  # noqa: ANN201
        try:
            return super().invoke(ctx)
        except Exception as exc:  # the store's and the site's classes are imported only for a failure
            _refusal(ctx, exc)
            raise


def _refusal(ctx: click.Context, exc: Exception) -> None:
    """Raise the Failure that says `exc` plainly if it is a refusal of the store or the site; else return."""
    if isinstance(exc, (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort)):
        return  # click's exits (a lane's exit 3 among them) and errors, ours included, go on as they are
    from examops.domain.plan import UnknownSession
    from examops.i18n import _, spoken
    from examops.services.ledger import SessionClosed
    from examops.services.site import SiteError, StoreError

    if isinstance(exc, SessionClosed):
        site = (ctx.obj or {}).get("site")
        at = site.clock.shown(exc.closed_at, date=True) if site is not None else exc.closed_at
        raise Failure(_("NOT RECORDED: session {session} was closed by {by} at {at}: a later record needs an "
                        "override with a reason (--override REASON)").format(
            session=literal(exc.session), by=literal(exc.by), at=at)) from None
    if isinstance(exc, StoreError):
        raise Failure(_("NOT RECORDED: {error}").format(error=spoken(exc))) from None
    if isinstance(exc, (UnknownSession, SiteError)):
        raise Failure(exc) from None


@group(cls=ExamopsGroup, context_settings={"help_option_names": ["-h", "--help"]},
       help=N_("examops: exam-day operations for test centres (rosters, gate lanes, reports)."))
@option("--db", envvar="EXAMOPS_DB", help=N_("Store URL or SQLite file (default: under EXAMOPS_HOME or the user data dir)."))
@option("--override", metavar="REASON",
        help=N_("Record into a session the chief proctor has closed, saying why (chief proctor's PIN)."))
@option("--pin-file", type=click.Path(dir_okay=False), help=N_("Read the chief proctor's PIN from this file's first line."))
@option("--lang", "lang", metavar="LANG",
        help=N_("zh-CN or en: the words of the output (default: EXAMOPS_LANG, else the plan's [exam] language, else the locale)."))
@click.version_option(package_name="examops", cls=Option, help=N_("Show the version and exit."))
@click.pass_context
def main(ctx: click.Context, db: str | None, override: str | None, pin_file: str | None, lang: str | None) -> None:
    from examops.i18n import resolve_language, set_language

    if ctx.invoked_subcommand not in ("check", "gate"):  # a one-shot, or a screen whose first frame ends the pause
        resume_collection()  # see ExamopsGroup.main
    if ctx.invoked_subcommand in CHECKED_MEANWHILE:
        from examops.services.store_check import begin_quick_check

        begin_quick_check(db)  # SQLite reads the file while SQLAlchemy and the lane's code are imported
    set_language(resolve_language(lang))  # until the site is open (open_site adds the plan's language): file refusals
    ctx.ensure_object(dict)
    ctx.obj["lang"] = lang
    ctx.obj["db"] = db
    ctx.obj["override"] = override
    ctx.obj["pin_file"] = pin_file


def add_area(group: click.Group, area: str) -> None:
    for command in importlib.import_module(f"examops.cli.{area}").COMMANDS:
        group.add_command(command)


__all__ = ["main"]
