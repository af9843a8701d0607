"""`examops roster import`: candidate rosters into the store, checked cell by cell."""

from __future__ import annotations

import sys

import click

from examops.cli.common import EXIT_BAD_INPUT, Failure, emit, literal, open_site, progress_printer, say, speak_site_language
from examops.cli.help_words import JSON_HELP, argument, group, option
from examops.i18n import N_


@group(help=N_("Import and check candidate rosters."))
def roster() -> None:
    pass


@roster.command("import", help=N_("Import roster workbooks (.xlsx, .xls, .csv); a file with any error imports nothing."))
@argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False), help=N_("The roster workbooks."))
@option("--dry-run", is_flag=True, help=N_("Check everything, write nothing."))
@option("--replace", is_flag=True, help=N_("The files are the whole roster: drop candidates not in them (never one the event log mentions)."))
@option("--errors-out", type=click.Path(dir_okay=False), help=N_("Write a copy of each workbook with the bad cells highlighted (several files: X-<file>.xlsx; never over an existing file)."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def import_command(ctx: click.Context, files: tuple[str, ...], dry_run: bool, replace: bool, errors_out: str | None, as_json: bool) -> None:
    from examops.domain.said import os_reason
    from examops.i18n import _, spoken
    from examops.services.roster_files import RosterFiles  # no store library: the read starts before they load

    for path in files:
        try:
            open(path, "rb").close()
        except OSError as exc:
            raise Failure(_("{path}: {reason}").format(path=path, reason=spoken(os_reason(exc)))) from None
    progress = progress_printer(not as_json and sys.stderr.isatty())
    with RosterFiles(files) as ahead:  # the first file's cells are read while the store opens
        from examops.i18n import _, word
        from examops.i18n.roster_words import SEVERITY, localised, on_screen, problem_line

        report = _imported_plainly(ctx, files, ahead, dry_run, replace, errors_out, progress)
        if report is None:
            from examops.services.roster import import_roster

            site = open_site(ctx)
            report = import_roster(site, list(files), dry_run=dry_run, replace=replace, errors_out=errors_out,
                                   progress=progress, files=ahead)
    shown = [on_screen(p) for p in report.problems]  # ID numbers masked in a terminal as on the gate's (and in JSON, as
    # `candidates find --json` masks them); the --errors-out copy keeps them: it is a copy of the clerk's own file
    if as_json:
        emit({**report.to_json(), "problems": [localised(p).to_dict() for p in shown]}, True)
    else:
        colon = _(": ")
        for problem in shown:
            say(f"{word(SEVERITY, problem.severity)}{colon}{literal(problem_line(problem))}", err=problem.severity == "error")
        if report.errors:
            summary = _("{count} error(s): nothing imported. Fix the file(s) and import again.").format(count=len(report.errors))
            click.echo(summary + ("" if errors_out else " " + _("(--errors-out FILE.xlsx marks the cells)")), err=True)
            for source, copy in report.marked_copies:
                line = (_("marked copy of {source}: {path}").format(source=source, path=copy) if copy
                        else _("no marked copy of {source}: it could not be read").format(source=source))
                say(line, err=True)
        else:
            summary = (_("would import {candidates} candidates in {rooms} rooms ({added} new, {updated} updated, {unchanged} "
                         "unchanged, {dropped} dropped)") if dry_run else
                       _("imported {candidates} candidates in {rooms} rooms ({added} new, {updated} updated, {unchanged} "
                         "unchanged, {dropped} dropped)"))
            click.echo(summary.format(candidates=report.candidates, rooms=len(report.rooms), added=report.added,
                                      updated=report.updated, unchanged=report.unchanged, dropped=report.dropped))
    if report.errors:
        ctx.exit(EXIT_BAD_INPUT)


def _imported_plainly(ctx: click.Context, files, ahead, dry_run, replace, errors_out, progress):  # noqa: ANN001, ANN202
    """The report of a first import into a SQLite store, read, checked and written without SQLAlchemy
    (`services.plain_roster`); None, nothing written, for every other store: the full path imports it."""
    if ctx.obj.get("override"):
        return None  # the chief's PIN first, on the full path
    from examops.services.plain_roster import import_plain

    def opened(site) -> None:  # noqa: ANN001 - a OneShotSite
        ctx.obj["site"] = site
        speak_site_language(site)

    answered = import_plain(ctx.obj.get("db"), list(files), ahead, dry_run=dry_run, replace=replace,
                            errors_out=errors_out, progress=progress, opened=opened)
    return None if answered is None else answered[1]


COMMANDS = (roster,)
