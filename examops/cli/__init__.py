"""The `examops` command: every job the app does can also be scripted.

The area modules define their commands without knowing this group; it adds
them here, so nothing imports the group back. Heavy imports (pandas,
openpyxl, textual) happen inside the commands that need them, so
`examops check` and `examops gate` start fast.
"""

from __future__ import annotations

import click

from examops.cli import admin, devices, docs, exits, gate, photos, report, review, roster, site, sync
from examops.cli.common import Failure, literal


class ExamopsGroup(click.Group):
    """Store failures (disk full, locked, a closed session) and unknown sessions become a clear message, never a traceback."""

    def invoke(self, ctx: click.Context):  # noqa: ANN201
        from examops.domain.plan import UnknownSession
        from examops.i18n import _, spoken
        from examops.services.ledger import SessionClosed
        from examops.services.site import SiteError, StoreError

        try:
            return super().invoke(ctx)
        except SessionClosed as exc:
            site = (ctx.obj or {}).get("site")
            at = site.clock.shown(exc.closed_at, date=True) if site is not None else exc.closed_at
            raise Failure(_("NOT RECORDED: session {session} was closed by {by} at {at}: a later record needs an "
                            "override with a reason (--override REASON)").format(
                session=literal(exc.session), by=literal(exc.by), at=at)) from None
        except StoreError as exc:
            raise Failure(_("NOT RECORDED: {error}").format(error=spoken(exc))) from None
        except UnknownSession as exc:
            raise Failure(exc) from None
        except SiteError as exc:
            raise Failure(exc) from None


@click.group(cls=ExamopsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="EXAMOPS_DB", help="Store URL or SQLite file (default: under EXAMOPS_HOME or the user data dir).")
@click.option("--override", metavar="REASON",
              help="Record into a session the chief proctor has closed, saying why (chief proctor's PIN).")
@click.option("--pin-file", type=click.Path(dir_okay=False), help="Read the chief proctor's PIN from this file's first line.")
@click.option("--lang", "lang", metavar="LANG",
              help="zh-CN or en: the words of the output (default: EXAMOPS_LANG, else the plan's [exam] language, else the locale).")
@click.version_option(package_name="examops")
@click.pass_context
def main(ctx: click.Context, db: str | None, override: str | None, pin_file: str | None, lang: str | None) -> None:
    """examops: exam-day operations for test centres (rosters, gate lanes, reports)."""
    from examops.i18n import resolve_language, set_language

    set_language(resolve_language(lang))  # until the site is open (open_site adds the plan's language): file refusals
    ctx.ensure_object(dict)
    ctx.obj["lang"] = lang
    ctx.obj["db"] = db
    ctx.obj["override"] = override
    ctx.obj["pin_file"] = pin_file


AREAS = (site, roster, photos, gate, exits, review, admin, report, docs, sync, devices)
for command in (command for area in AREAS for command in area.COMMANDS):
    main.add_command(command)

__all__ = ["main"]
