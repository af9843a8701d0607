"""`examops init`, `status`, `verify` and `demo`: the site's store, its health, and a throw-away one to try."""

from __future__ import annotations

import os
from pathlib import Path

import click

from examops.cli.common import (
    EXIT_NOT_VERIFIED,
    PIN_PROMPT,
    Failure,
    chief_pin,
    emit,
    given_pin,
    literal,
    new_pin_twice,
    open_site,
    read_pin_file,
    speak_site_language,
)
from examops.cli.help_words import JSON_HELP, command, option
from examops.i18n import N_, NP_, _, ngettext, spoken, word

ROOM_KINDS = {"regular": N_("regular"), "backup": N_("backup"), "isolation": NP_("roster.kind.isolation", "isolation")}


@command(help=N_("Create the store from an exam plan, or change the plan (or PIN) of a live store with the current "
                 "PIN.\n\nOn PostgreSQL it also makes the lanes' own login, which may add events and read the roster "
                 "but not change the log or read the PIN hash: the lanes connect with the URL it prints."))
@option("--plan", "plan_path", required=True, type=click.Path(dir_okay=False), help=N_("The exam plan TOML."))
@option("--change-pin", is_flag=True, help=N_("Replace the chief proctor's PIN (needs the current one; the new one is asked twice)."))
@option("--new-pin-file", type=click.Path(dir_okay=False), help=N_("With --change-pin: read the new PIN from this file (or EXAMOPS_NEW_PIN)."))
@option("--lane-role", metavar="ROLE", help=N_("PostgreSQL: the lanes' login (default: <your login>_lane); made if missing, granted a lane's rights."))
@option("--over-edits", is_flag=True, help=N_("Go on although `examops verify` found the plan, PIN or roster tables edited "
                                               "outside examops (needs the PIN; the log keeps what was edited)."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def init(ctx: click.Context, plan_path: str, change_pin: bool, new_pin_file: str | None, lane_role: str | None,
         over_edits: bool, as_json: bool) -> None:
    from examops.domain.plan import PlanError
    from examops.domain.policy import PolicyError
    from examops.services.site import SiteError, StoreError, has_chief_pin, init_site, lacks_report_key, plan_would_change, status

    url = ctx.obj.get("db")
    _speak_plan_language(ctx, plan_path)  # its prompts and refusals come before any site is open
    if new_pin_file and not change_pin:  # else the file would be ignored and the PIN asked or taken from elsewhere
        raise Failure(_("--new-pin-file goes with --change-pin; a new store's first PIN comes from --pin-file FILE or "
                        "EXAMOPS_PIN"))
    current = new = None
    if not has_chief_pin(url):
        new = given_pin() or new_pin_twice(PIN_PROMPT, first=True)
    else:
        if change_pin:
            new = read_pin_file(new_pin_file) if new_pin_file else (os.environ.get("EXAMOPS_NEW_PIN") or new_pin_twice())
        if change_pin or over_edits or plan_would_change(url, plan_path) or lacks_report_key(url):
            current = chief_pin()
    try:
        site = init_site(plan_path, url=url, chief_pin=current, new_pin=new, by=os.environ.get("USER", ""),
                         over_edits=over_edits)
    except (PlanError, PolicyError, SiteError, StoreError) as exc:
        raise Failure(exc) from None
    speak_site_language(site)
    info = status(site)
    count = len(info["sessions"])
    lines = [ngettext("store ready at {store}: {exam} · {site} · {count} session", "store ready at {store}: {exam} · {site} · "
                      "{count} sessions", count).format(store=info["store"], exam=literal(info["exam"]), site=literal(info["site"]),
                                                       count=count)]
    if not site.store.is_sqlite:
        from examops.services.lane_role import prepare_lane_role

        try:
            info["lane_role"] = role = prepare_lane_role(site, lane_role)
        except ValueError as exc:
            raise Failure(exc) from None
        lines.append(_lane_role_words(role))
    emit(info, as_json, "\n".join(lines))


def _speak_plan_language(ctx: click.Context, plan_path: str) -> None:
    """--lang, else EXAMOPS_LANG, else the language the plan names, else the locale; a plan that does not read leaves
    the language as it is (its refusal comes from init_site)."""
    from examops.domain.plan import PlanError, parse_plan
    from examops.i18n import resolve_language, set_language

    try:
        plan = parse_plan(Path(plan_path).read_text(encoding="utf-8"), plan_path)
    except (OSError, UnicodeDecodeError, PlanError, ValueError):
        return
    set_language(resolve_language((ctx.find_root().obj or {}).get("lang"), plan.language))


def _lane_role_words(role: dict) -> str:
    if role["refused"]:
        return _("the lanes' role {role} does not exist and this login may not create it ({refused}): ask the server's "
                 "administrator to run\n  {sql}\nthen run this `examops init` again to grant it").format(
            role=role["role"], refused=role["refused"], sql=role["admin_sql"])
    made = _("created; its password is in {path} (copy that line into each lane's ~/.pgpass)").format(path=role["password_file"]) \
        if role["created"] else _("granted (it existed: its password is unchanged)")
    return _("lanes connect as {role}, {made}:").format(role=role["role"], made=made) + \
        f"\n  examops --db '{role['url']}' gate --lane A --staff NAME"


@command("status", help=N_("Exam, site, sessions, rooms, candidate and event counts, store location."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def status_command(ctx: click.Context, as_json: bool) -> None:
    from examops.services.site import status

    site = open_site(ctx, check=False)
    info = status(site)
    lines = [f"{literal(info['exam'])} · {literal(info['site'])}", _("store: {store}").format(store=info["store"]),
             _("clock: {clock}").format(clock=_clock_line(site.clock, info)),
             _("candidates: {candidates}  events: {events}  policy: {policy}").format(
                 candidates=info["candidates"], events=info["events"], policy=literal(info["policy"]))]
    if info["photos"]["with_photo"] or info["photos"]["not_in_roster"]:
        lines.append(_("photos: {with_photo} with, {without_photo} without").format(
            with_photo=info["photos"]["with_photo"], without_photo=info["photos"]["without_photo"]))
    lines += [f"  {literal(s['id'])} {literal(s['name'])} {s['date']} {s['start']}-{s['end']}" + _closed_words(site.clock, s["closed"])
              for s in info["sessions"]]
    lines += ["  " + _("room {id} {name} ({kind}): {candidates}").format(
        id=literal(r["id"]), name=literal(r["name"]), kind=word(ROOM_KINDS, r["kind"]) if r["kind"] in ROOM_KINDS else literal(r["kind"]),
        candidates=r["candidates"]) for r in info["rooms"]]
    emit(info, as_json, "\n".join(lines))


def _clock_line(clock, info: dict) -> str:  # noqa: ANN001 - a Clock
    """Site time now, and for a drill the EXAMOPS_CLOCK value every process on this store shares."""
    now = clock.shown(info["now"], date=True)
    drill = info["drill"]
    if drill is None:
        return f"{now} ({clock.tz.key})"
    began = _(", running since {at} real time").format(at=clock.shown(drill["began_at"], date=True)) if drill["began_at"] else ""
    return _("{now} ({zone}; drill EXAMOPS_CLOCK={clock}{began}: processes with that value continue it, another value "
             "starts a new drill)").format(now=now, zone=clock.tz.key, clock=literal(drill["clock"]), began=began)


def _closed_words(clock, closed: dict | None) -> str:  # noqa: ANN001 - a Clock
    if closed is None:
        return ""
    reason = f": {literal(closed['reason'])}" if closed["reason"] else ""
    return "  " + _("CLOSED by {by} at {at}").format(by=literal(closed["by"]), at=clock.shown(closed["at"], date=True)) + reason


@command(help=N_("Check the store, every device's chain and signatures, roster and plan digests, and every witness; "
                 "non-zero on any break."))
@option("--report", "reports", multiple=True, type=click.Path(exists=True, dir_okay=False),
        help=N_("A signed report to use as a witness: the store must still hold every chain head it recorded."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def verify(ctx: click.Context, reports: tuple[str, ...], as_json: bool) -> None:
    from examops.i18n import spoken
    from examops.services.audit import verify as run_verify

    site = open_site(ctx, check=False)
    report = run_verify(site, reports)
    human = (_("ok: {events} events on {chains} device chain(s)").format(events=report.events, chains=len(report.devices))
             if report.ok else _("BROKEN:") + "\n" + "\n".join("  " + spoken(f) for f in report.findings))
    emit(report.to_json(), as_json, human)
    if not report.ok:
        ctx.exit(EXIT_NOT_VERIFIED)


@command(help=N_("Set up a throw-away store from the bundled sample roster and open the app."))
@option("--lang", envvar="EXAMOPS_LANG", help=N_("zh-CN or en (default from the locale)."))
@option("--no-ui", is_flag=True, help=N_("Set up the demo store and exit (for scripts)."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
def demo(lang: str | None, no_ui: bool, as_json: bool) -> None:
    from examops.services.demo import prepare_demo

    try:
        site, info = prepare_demo()
    except Exception as exc:  # noqa: BLE001 - the demo must explain, not trace back
        raise Failure(_("demo set-up failed: {error}").format(error=spoken(exc))) from None
    from examops.i18n import resolve_language, set_language

    set_language(resolve_language(lang, site.plan.language))
    if no_ui:
        shown = {key: info[key] for key in ("store", "folder", "candidates", "clock")}
        emit(info, as_json, _("demo store at {store} (everything it writes stays in {folder}): {candidates} candidates; "
                              "clock {clock}").format(**shown) if info["kept"] else
             _("demo store at {store} (another demo is running: this one works in {folder}, removed when it ends): "
               "{candidates} candidates; clock {clock}").format(**shown))
        return
    from examops.tui.app import ExamopsApp
    from examops.tui.photo_terminal import detect

    ExamopsApp(site, mode="gate", lane="A", staff="demo", lang=lang, photo_terminal=detect()).run()


COMMANDS = (init, status_command, verify, demo)
