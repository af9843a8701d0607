"""`examops report`: the signed bureau report, its verification, the regional roll-up and the live view.

Exit status: 0 done, 1 a report failed verification (or a merge was refused
because of one), 2 bad input.
"""

from __future__ import annotations

import os

import click

from examops.cli.common import EXIT_NOT_VERIFIED, Failure, chief_pin, emit, literal, open_site, require_session
from examops.cli.help_words import JSON_HELP, argument, group, option
from examops.domain.said import os_reason
from examops.i18n import N_, _, spoken


def _refused():
    from examops.services.report import ReportRefused
    from examops.services.review import ReviewRefused

    return (ReviewRefused, ReportRefused)


def _figures_line(summary: dict) -> str:
    from examops.domain.figures import REASON_RECORDS, ZeroIncidentReason
    from examops.i18n import language
    from examops.i18n.report_words import reason_text

    reasons = [reason_text(ZeroIncidentReason(code, summary[code]), language()) for code in REASON_RECORDS if summary.get(code)]
    verdict = _("Zero incidents, zero mistakes, zero errors") if summary["zero_incident"] else _("not zero-incident: {reasons}").format(
        reasons=_("; ").join(reasons or summary["reasons"]))
    return _("{session}: expected {expected}, present {present}, absent {absent}, exceptions {exceptions}, reallocated "
             "{reallocated}, denied {denied}, incidents {incidents}, duplicates {duplicates} — {verdict}").format(
        **{key: summary[key] for key in ("expected", "present", "absent", "exceptions", "reallocated", "denied", "incidents",
                                         "duplicates")},
        session=literal(summary["session"]) if "session" in summary else _("total"), verdict=verdict)


@group("report", invoke_without_command=True,
       help=N_("The signed session report for the bureau (chief proctor's PIN, at the chief's desk): examops report "
               "(--session ID | --all) --out FILE.xlsx.\n\nSubcommands: `report verify FILE.xlsx`, `report merge "
               "SITE.xlsx… --out REGION.xlsx`, `report key`, `report view`."))
@option("--session", "session_id", help=N_("One session (场次)."))
@option("--all", "all_sessions", is_flag=True, help=N_("Every session of the plan."))
@option("--out", type=click.Path(dir_okay=False), help=N_("The workbook to write (.xlsx)."))
@option("--lang", type=click.Choice(["zh", "zh-CN", "en"], case_sensitive=False), default="zh", show_default=True,
        help=N_("Language of the report's words (names and rooms are printed as in the roster)."))
@option("--format", "fmt", type=click.Choice(["xlsx", "pdf", "both"]), default="xlsx", show_default=True,
        help=N_("The signed workbook, a PDF print of it (made directly, no LibreOffice), or both."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def report(ctx, session_id, all_sessions, out, lang, fmt, as_json) -> None:  # noqa: ANN001
    if ctx.invoked_subcommand is not None:
        return
    from examops.services.report import build_report

    site = open_site(ctx, check=False)  # first: a refusal of the command line is said in the site's language too
    if bool(session_id) == all_sessions:
        raise Failure(_("give --session ID or --all"))
    if not out:
        raise Failure(_("give --out FILE.xlsx"))
    try:
        result = build_report(site, session_ids=None if all_sessions else [session_id], out=out, lang=lang.lower(),
                              fmt=fmt, pin=chief_pin(), by=os.environ.get("USER", ""))
    except _refused() as exc:
        raise Failure(exc) from None
    except OSError as exc:
        raise Failure(_("cannot write {path}: {error}").format(path=out, error=spoken(os_reason(exc)))) from None
    lines = [_figures_line(s) for s in result.get("sessions", [result])]
    lines.append(_("written {files} · signed by key {fingerprint}").format(files=", ".join(result["files"]),
                                                                         fingerprint=result["fingerprint"]))
    emit(result, as_json, "\n".join(lines))


def _trust(path: str | None) -> set[str] | None:
    from examops.services.report import read_trust_file

    return read_trust_file(path) if path else None


@report.command("verify", help=N_("Recompute a report's digests from its cells, check its signature, its key and its look; exit 1 if "
                                  "anything is off."))
@argument("path", type=click.Path(exists=True, dir_okay=False), help=N_("The report workbook (.xlsx) to check."))
@option("--trust", "trust_path", type=click.Path(exists=True, dir_okay=False),
        help=N_("Accept only keys listed here (fingerprints or base64 public keys, one a line, # comments)."))
@option("--any-key", is_flag=True, help=N_("Without --trust: accept a valid signature by any key (says nothing about who signed)."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def report_verify(ctx, path, trust_path, any_key, as_json) -> None:  # noqa: ANN001
    from examops.services.report import verify_report

    try:
        result = verify_report(path, _trust(trust_path), any_key=any_key)
    except _refused() as exc:
        raise Failure(exc) from None
    if result.ok:
        human = _("OK {path}: {site} · {sessions} · signed {at} by key {fingerprint}").format(
            path=path, site=literal(result.site), sessions=", ".join(result.sessions), at=result.generated_at,
            fingerprint=result.fingerprint) + " " + (_("(trusted)") if result.trusted else _("(any key accepted: not checked who)"))
    else:
        human = _("NOT VERIFIED {path}:").format(path=path) + "\n" + "\n".join(f"  - {spoken(p)}" for p in result.problems)
    if as_json:
        emit(result.to_json(), True)
    elif result.ok:
        click.echo(human)
    else:
        click.echo(human, err=True)
    if not result.ok:
        ctx.exit(EXIT_NOT_VERIFIED)


@report.command("merge", help=N_("Verify every site report, then add them up per site and in total (nothing is written if one fails)."))
@argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False),
          help=N_("The sites' signed reports (.xlsx) to add up."))
@option("--out", required=True, type=click.Path(dir_okay=False), help=N_("The regional roll-up workbook."))
@option("--trust", "trust_path", type=click.Path(exists=True, dir_okay=False),
        help=N_("Accept only reports signed by keys listed here."))
@option("--any-key", is_flag=True, help=N_("Without --trust: accept valid signatures by any key (the roll-up says so)."))
@option("--lang", type=click.Choice(["zh", "zh-CN", "en"], case_sensitive=False), default="zh", show_default=True,
        help=N_("Language of the roll-up's words."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def report_merge(ctx, paths, out, trust_path, any_key, lang, as_json) -> None:  # noqa: ANN001
    from examops.i18n import resolve_language, set_language
    from examops.services.report import ReportNotVerified, ReportRefused
    from examops.services.report_merge import merge_reports

    set_language(resolve_language(ctx.obj.get("lang"), lang))  # no site here: the roll-up's language stands in for it
    try:
        trusted = _trust(trust_path)
        result = merge_reports(list(paths), out, trusted=trusted, any_key=any_key, lang=lang.lower())
    except ReportNotVerified as exc:
        click.echo(f"examops: {spoken(exc)}", err=True)
        ctx.exit(EXIT_NOT_VERIFIED)
    except ReportRefused as exc:
        raise Failure(exc) from None
    except OSError as exc:
        raise Failure(_("cannot write {path}: {error}").format(path=out, error=spoken(os_reason(exc)))) from None
    lines = [_("{site}: expected {expected}, present {present}, absent {absent}, incidents {incidents}").format(
        **{key: s[key] for key in ("expected", "present", "absent", "incidents")}, site=literal(s["site"])) for s in result["sites"]]
    total = result["totals"]
    lines.append(_("total ({sites} sites, {sessions} session(s)): expected {expected}, present {present}, absent {absent}, "
                   "incidents {incidents}").format(**{key: total[key] for key in ("sites", "sessions", "expected", "present",
                                                                                 "absent", "incidents")}))
    lines.append(_("written {files}").format(files=result["out"]))
    emit(result, as_json, "\n".join(lines))


@report.command("key", help=N_("This site's report key as a line of a trust list (`examops report key >> keys.txt`), for the bureau."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def report_key(ctx, as_json) -> None:  # noqa: ANN001
    from examops.services.audit import site_report_key

    key = site_report_key(open_site(ctx, check=False))
    if key["public_key"] is None:
        raise Failure(_("this store has no report key yet: run `examops init --plan PLAN.toml`"))
    emit(key, as_json, f"{key['public_key']}  # {literal(key['site'])} report key {key['fingerprint']}")


@report.command("view", help=N_("Open the report view (after the chief's PIN): live figures, arrivals, rooms, the verdict; B builds "
                                "the report."))
@option("--session", "session_id", help=N_("Session id (default: the one the plan's clock says is current)."))
@option("--lang", envvar="EXAMOPS_LANG", help=N_("zh-CN or en (default from the locale)."))
@click.pass_context
def report_view(ctx, session_id, lang) -> None:  # noqa: ANN001
    from examops.tui.app import ExamopsApp

    site = open_site(ctx)
    require_session(site, session_id)
    app = ExamopsApp(site, mode="report", session_id=session_id, lang=lang)  # asks the PIN first, as Ctrl+B does
    app.run()
    ctx.exit(app.return_code or 0)


COMMANDS = (report,)
