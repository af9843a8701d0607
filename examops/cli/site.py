"""`examops init`, `status`, `verify` and `demo`: the site's store, its health, and a throw-away one to try."""

from __future__ import annotations

import os

import click

from examops.cli.common import (
    EXIT_NOT_VERIFIED,
    PIN_PROMPT,
    Failure,
    chief_pin,
    emit,
    given_pin,
    new_pin_twice,
    open_site,
    read_pin_file,
)


@click.command()
@click.option("--plan", "plan_path", required=True, type=click.Path(dir_okay=False), help="The exam plan TOML.")
@click.option("--change-pin", is_flag=True, help="Replace the chief proctor's PIN (needs the current one; the new one is asked twice).")
@click.option("--new-pin-file", type=click.Path(dir_okay=False), help="With --change-pin: read the new PIN from this file.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def init(ctx: click.Context, plan_path: str, change_pin: bool, new_pin_file: str | None, as_json: bool) -> None:
    """Create the store from an exam plan, or change the plan (or PIN) of a live store with the current PIN."""
    from examops.domain.plan import PlanError
    from examops.domain.policy import PolicyError
    from examops.services.site import SiteError, StoreError, has_chief_pin, init_site, plan_would_change, status

    url = ctx.obj.get("db")
    current = new = None
    if not has_chief_pin(url):
        new = given_pin() or new_pin_twice(PIN_PROMPT)
    else:
        if change_pin:
            new = read_pin_file(new_pin_file) if new_pin_file else (os.environ.get("EXAMOPS_NEW_PIN") or new_pin_twice())
        if change_pin or plan_would_change(url, plan_path):
            current = chief_pin()
    try:
        site = init_site(plan_path, url=url, chief_pin=current, new_pin=new, by=os.environ.get("USER", ""))
    except (PlanError, PolicyError, SiteError, StoreError) as exc:
        raise Failure(str(exc)) from None
    info = status(site)
    emit(info, as_json, f"store ready at {info['store']}: {info['exam']} · {info['site']} · {len(info['sessions'])} session(s)")


@click.command("status")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def status_command(ctx: click.Context, as_json: bool) -> None:
    """Exam, site, sessions, rooms, candidate and event counts, store location."""
    from examops.services.site import status

    info = status(open_site(ctx, check=False))
    lines = [f"{info['exam']} · {info['site']}", f"store: {info['store']}",
             f"candidates: {info['candidates']}  events: {info['events']}  policy: {info['policy']}"]
    if info["photos"]["with_photo"] or info["photos"]["not_in_roster"]:
        lines.append(f"photos: {info['photos']['with_photo']} with, {info['photos']['without_photo']} without")
    lines += [f"  {s['id']} {s['name']} {s['date']} {s['start']}-{s['end']}" for s in info["sessions"]]
    lines += [f"  room {r['id']} {r['name']} ({r['kind']}): {r['candidates']}" for r in info["rooms"]]
    emit(info, as_json, "\n".join(lines))


@click.command()
@click.option("--report", "reports", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A signed report to use as a witness: the store must still hold every chain head it recorded.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def verify(ctx: click.Context, reports: tuple[str, ...], as_json: bool) -> None:
    """Check the store, every device's chain and signatures, roster and plan digests, and every witness; non-zero on any break."""
    from examops.services.audit import verify as run_verify

    report = run_verify(open_site(ctx, check=False), reports)
    human = (f"ok: {report.events} events on {len(report.devices)} device chain(s)" if report.ok
             else "BROKEN:\n" + "\n".join(f"  {p}" for p in report.problems))
    emit(report.to_json(), as_json, human)
    if not report.ok:
        ctx.exit(EXIT_NOT_VERIFIED)


@click.command()
@click.option("--lang", envvar="EXAMOPS_LANG", help="zh-CN or en (default from the locale).")
@click.option("--no-ui", is_flag=True, help="Set up the demo store and exit (for scripts).")
@click.option("--json", "as_json", is_flag=True)
def demo(lang: str | None, no_ui: bool, as_json: bool) -> None:
    """Set up a throw-away store from the bundled sample roster and open the app."""
    from examops.services.demo import prepare_demo

    try:
        site, info = prepare_demo()
    except Exception as exc:  # noqa: BLE001 - the demo must explain, not trace back
        raise Failure(f"demo set-up failed: {exc}") from None
    if no_ui:
        emit(info, as_json, f"demo store at {info['store']}: {info['candidates']} candidates; clock {info['clock']}")
        return
    from examops.tui.app import ExamopsApp
    from examops.tui.photo_terminal import detect

    ExamopsApp(site, mode="gate", lane="A", staff="demo", lang=lang, photo_terminal=detect()).run()


COMMANDS = (init, status_command, verify, demo)
