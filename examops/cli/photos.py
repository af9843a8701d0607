"""`examops photos import` and `photos purge`: the exam office's registration photos in, and out again after the exam."""

from __future__ import annotations

import os
import sys

import click

from examops.cli.common import (
    EXIT_BAD_INPUT,
    PIN_PROMPT,
    Failure,
    chief_pin,
    emit,
    given_pin,
    literal,
    open_site,
    progress_printer,
    say,
)
from examops.cli.help_words import JSON_HELP, argument, group, option
from examops.i18n import N_, _

SHOWN_TICKETS = 10  # a list longer than this is cut, with a count (--json has all of it)


@group(help=N_("Registration photos for the gate's identity check and the photo seat plans."))
def photos() -> None:
    pass


def _listed(tickets: list[str]) -> str:
    from examops.i18n.photo_words import summary_word

    shown = ", ".join(tickets[:SHOWN_TICKETS])
    if len(tickets) > SHOWN_TICKETS:
        shown += " " + summary_word("more", count=len(tickets) - SHOWN_TICKETS)
    return shown


def _pin_if_any() -> str | None:
    """The chief's PIN when replacing photos: --pin-file, EXAMOPS_PIN, else asked on a terminal; None on a pipe."""
    pin = given_pin()
    if pin or not sys.stdin.isatty():
        return pin
    return click.prompt(_(PIN_PROMPT), hide_input=True, err=True)


@photos.command("import", help=N_("Import photo packs (a zip, a folder, or single JPEG/PNG files named by ticket or ID number); any "
                                  "error imports nothing.\n\nA photo for a candidate who has one already replaces it (and says so); "
                                  "candidates the packs leave out keep theirs."))
@argument("packs", nargs=-1, required=True, type=click.Path(), help=N_("Zip files, folders or single JPEG/PNG files."))
@option("--dry-run", is_flag=True, help=N_("Check everything, write nothing."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def import_command(ctx: click.Context, packs: tuple[str, ...], dry_run: bool, as_json: bool) -> None:
    from examops.i18n import word
    from examops.i18n.photo_words import SUMMARY_WORDS, problem_words, summary_word
    from examops.services.photos import import_photos

    site = open_site(ctx)
    report = import_photos(site, list(packs), dry_run=dry_run, by=os.environ.get("USER", ""), authorise=_pin_if_any,
                           progress=progress_printer(not as_json and sys.stderr.isatty()))
    if as_json:
        data = report.to_json()
        for problem, shown in zip(report.problems, data["problems"]):
            shown["message"], shown["fix"] = problem_words(problem.code, {**problem.params, "ticket": problem.ticket})
        emit(data, True)
    else:
        for problem in report.problems:
            message, fix = problem_words(problem.code, {**problem.params, "ticket": problem.ticket})
            colon = _(": ")
            where = colon.join(literal(part) for part in (os.path.basename(problem.pack.rstrip("/")), problem.entry) if part)
            say(f"{word(SUMMARY_WORDS, problem.severity)}{colon}{where + colon if where else ''}{message}" + (f" — {fix}" if fix else ""),
                err=problem.severity == "error")
        if report.without_photo and not report.errors:
            say(summary_word("without_list", tickets=_listed(report.without_photo)))
        if report.skipped:
            say(summary_word("skipped", count=report.skipped))
        if report.errors:
            say(summary_word("refused", errors=len(report.errors)), err=True)
        else:
            key = "would_import" if dry_run else "imported"
            say(summary_word(key, photos=report.photos, added=len(report.added), replaced=len(report.replaced),
                             unchanged=len(report.unchanged)))
            if report.replaced:
                say(summary_word("replaced_list", tickets=_listed(report.replaced)))
    if report.errors:
        ctx.exit(EXIT_BAD_INPUT)


@photos.command("purge", help=N_("Remove every photo from the store after the exam (chief proctor's PIN); the purge is recorded."))
@option("--by", default="", help=N_("Who purges (recorded)."))
@option("--reason", default="", help=N_("Why (recorded), e.g. the exam is over."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def purge_command(ctx: click.Context, by: str, reason: str, as_json: bool) -> None:
    from examops.i18n.photo_words import summary_word
    from examops.services.photos import purge_photos
    from examops.services.site import SiteError

    site = open_site(ctx)
    try:
        result = purge_photos(site, chief_pin(), by=by or os.environ.get("USER", ""), reason=reason)
    except SiteError as exc:
        raise Failure(exc) from None
    human = summary_word("purged", removed=result.removed)
    if result.reclaim_failure:
        human += "\n" + summary_word("reclaim", reason=result.reclaim_failure)
    emit({"removed": result.removed, "reclaimed": result.reclaim_failure is None, "reclaim_failure": result.reclaim_failure},
         as_json, human)


COMMANDS = (photos,)
