"""`examops docs`: each room's door list, sign-in sheet and seat labels as A4 workbooks."""

from __future__ import annotations

import click

from examops.cli.common import Failure, emit, literal, open_site
from examops.cli.help_words import JSON_HELP, command, option
from examops.i18n import N_


@command(help=N_("Door lists (考场门贴), sign-in sheets (签到表) and seat labels (座位贴), one workbook per room; with photos "
                 "also the photo seat plan (考场座次表).\n\nReads who sits where now: run it again after a reallocation and "
                 "the files are rewritten."))
@option("--session", "session_id", required=True, help=N_("The session (场次) the papers are for."))
@option("--room", "room_id", help=N_("Only this room (default: every room anyone sits in)."))
@option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help=N_("Folder for the workbooks."))
@option("--lang", type=click.Choice(["zh", "zh-CN", "en"], case_sensitive=False), default="zh", show_default=True,
        help=N_("Language of the headings (names and rooms are printed as in the roster)."))
@option("--format", "fmt", type=click.Choice(["xlsx", "pdf", "both"]), default="xlsx", show_default=True,
        help=N_("A4 workbooks, PDFs made directly (no LibreOffice), or both."))
@option("--forms", is_flag=True,
        help=N_("The site's forms instead: the 考点 summary and a 违纪情况报告单 per misconduct or cheating incident."))
@option("--photos/--no-photos", default=None,
        help=N_("The photo seat plan (考场座次表) and photos on the seat labels (default: when the site has photos)."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def docs(ctx, session_id, room_id, out_dir, lang, fmt, forms, photos, as_json) -> None:  # noqa: ANN001
    from examops.domain.said import os_reason
    from examops.i18n import _, language, ngettext, spoken
    from examops.i18n.report_words import ROOM_KINDS, pick
    from examops.services.documents import DocumentsRefused, write_room_documents, write_site_forms

    site = open_site(ctx, check=False)
    if forms:
        try:
            result = write_site_forms(site, session_id, out_dir, lang=lang.lower(), fmt=fmt)
        except DocumentsRefused as exc:
            raise Failure(exc) from None
        except OSError as exc:
            raise Failure(_("cannot write into {path}: {error}").format(path=out_dir, error=spoken(os_reason(exc)))) from None
        emit(result, as_json, ngettext("{count} misconduct report → {files}", "{count} misconduct reports → {files}",
                                       result["misconduct_reports"]).format(count=result["misconduct_reports"],
                                                                            files=_(", ").join(result["files"])))
        return
    try:
        result = write_room_documents(site, session_id, out_dir, room=room_id, lang=lang.lower(), fmt=fmt, photos=photos)
    except DocumentsRefused as exc:
        raise Failure(exc) from None
    except OSError as exc:
        raise Failure(_("cannot write into {path}: {error}").format(path=out_dir, error=spoken(os_reason(exc)))) from None
    lines = [ngettext("{room} {name} ({kind}): {count} candidate → {files}", "{room} {name} ({kind}): {count} candidates → {files}",
                      r["candidates"]).format(room=literal(r["room"]), name=literal(r["name"]), kind=pick(ROOM_KINDS, r["kind"], language()),
                                              count=r["candidates"], files=_(", ").join(r["files"]))
             for r in result["rooms"]]
    emit(result, as_json, "\n".join(lines) or _("no rooms with candidates in {session}").format(session=literal(session_id)))


COMMANDS = (docs,)
