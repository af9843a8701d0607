"""`examops check`, `gate` and `candidates find`: the lane, scriptable and on screen, and looking someone up."""

from __future__ import annotations

import json
import queue
import sys
import threading

import click

from examops.cli.common import (
    EXIT_NOT_RECORDED,
    Failure,
    chief_pin,
    emit,
    limited,
    literal,
    open_site,
    require_session,
    shown_lines,
    speak_site_language,
)
from examops.cli.help_words import JSON_HELP, argument, command, group, option
from examops.domain.confirm import CONFIRM_MODES
from examops.i18n import N_, NP_, _, language, ngettext, spoken, word


def _fields(pairs) -> dict[str, str]:  # noqa: ANN001
    evidence = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise Failure(_("--field {pair}: write KEY=VALUE, e.g. temp1=37.8").format(pair=repr(pair)))
        evidence[key.strip()] = value.strip()
    return evidence


VIA_WORDS = {"reallocation": N_("reallocation"), "move": N_("moved by the chief proctor"), "approval": N_("approval"),
             "resolve": N_("resolved by the chief proctor")}
"""How a seat or an admission came from the chief's desk (the event's `via`); another value is shown as it is."""


def _via(value: str | None) -> str:
    return word(VIA_WORDS, value) if value in VIA_WORDS else literal(value or _("the chief proctor"))


def _moved_from(placement) -> str:  # noqa: ANN001 - a Placement
    """'B01-1, moved from 001-4 by reallocation' in the catalog's words, from the placement's fields."""
    here = f"{literal(placement.room)}-{literal(placement.seat)}"
    return _("{here}, moved from {room}-{seat} by {via}").format(
        here=here, room=literal(placement.from_room), seat=literal(placement.from_seat), via=_via(placement.via))


def _place(card) -> str:  # noqa: ANN001 - a CandidateCard
    """'room 001 seat 4', or the seat now and where it came from: 'room B01 seat 1 (B01-1, moved from 001-4 by reallocation)'."""
    where = _("room {room} seat {seat}").format(room=literal(card.current_room), seat=literal(card.current_seat))
    return f"{where} ({_moved_from(card.placement)})" if card.placement and card.placement.moved else where


def _first_admission(verdict, clock) -> str:  # noqa: ANN001 - a Verdict, a Clock
    first_at = clock.shown(verdict.first_at) if verdict.first_at else "-"
    if verdict.first_lane is None and verdict.first_via:
        return " " + _("first admitted at the chief's desk ({via}) by {by} at {at}").format(
            via=_via(verdict.first_via), by=literal(verdict.first_by), at=first_at)
    return " " + _("first at {at} on lane {lane} by {staff}").format(
        at=first_at, lane=literal(verdict.first_lane), staff=literal(verdict.first_staff))


VERDICT_WORDS = {"admitted": N_("ADMITTED"), "exception": N_("EXCEPTION"), "denied": N_("DENIED"), "duplicate": N_("DUPLICATE"),
                 "unknown": N_("UNKNOWN"), "invalid": N_("INVALID"), "arrived": N_("ARRIVED"), "returned": N_("RETURNED"),
                 "not_recorded": N_("NOT RECORDED"), "session_closed": N_("SESSION CLOSED"),
                 "outside_window": N_("OUTSIDE THE ENTRY WINDOW"), "wrong_session": N_("WRONG SESSION"),
                 "no_reentry": N_("NO RE-ENTRY")}
UNRECORDED_BY_NATURE = ("invalid", "not_recorded", "session_closed")
"""Verdicts that say themselves that nothing was written: no second "NOT RECORDED" after them."""
GO_KIND_WORDS = {"isolation": N_("→ go to isolation room {room}"), "backup": N_("→ go to backup room {room}")}
WINDOW_WORDS = {"other_day": N_("{session} is on {date}, entry from {opens}"), "not_yet": N_("{session}: entry from {opens}"),
                "ended": N_("{session}: entry closed at {closes} on {date}")}
FIXED_REASONS = {  # the lane's own sentences (the service words them in English), said again from the catalog
    "duplicate": N_("already admitted: possible impersonation, call the chief proctor"),
    "returned": N_("back from a temporary leave"),
    "no_reentry": N_("left the exam for good: no re-entry"),
    "wrong_session": N_("no seat in this session"),
}


def _reason(verdict) -> str:  # noqa: ANN001 - a Verdict
    """Why, in the catalog's words where the lane itself said it; a policy's reason (kept in the event) as it is."""
    kind = verdict.verdict
    if kind in FIXED_REASONS:
        return word(FIXED_REASONS, kind)
    if kind == "outside_window" and verdict.window in WINDOW_WORDS and verdict.opens_at and verdict.closes_at:
        (date, opens), closes = verdict.opens_at.split("T"), verdict.closes_at.split("T")[1]
        return word(WINDOW_WORDS, verdict.window).format(session=literal(verdict.session), date=date, opens=opens[:5],
                                                        closes=closes[:5])
    if kind == "session_closed":
        return _("session {session} was closed by {by} at {at}: nothing more is recorded; call the chief proctor").format(
            session=literal(verdict.session), by=literal(verdict.closed_by), at=literal(verdict.closed_at))
    if kind == "arrived" and verdict.card is not None:
        card = verdict.card
        moved = card.placement is not None and card.placement.moved
        seat = _moved_from(card.placement) if moved else f"{literal(card.current_room)}-{literal(card.current_seat)}"
        return _("seated by the chief: {seat}").format(seat=seat)
    if kind == "invalid":
        from examops.domain.scan import SCAN_REFUSALS

        return literal(_(verdict.reason)) if verdict.reason in SCAN_REFUSALS else literal(verdict.reason)
    if verdict.failure is not None:  # not recorded: why, in the site's language
        return literal(spoken(verdict.failure))
    return literal(_policy_reason(verdict.reason))


def _policy_reason(reason: str) -> str:
    """A reason the policy recorded (English in the event), in the site's language as the lane screen says it."""
    from examops.i18n.document_words import gate_reason

    ctx = click.get_current_context(silent=True)
    site = (ctx.find_root().obj or {}).get("site") if ctx else None
    labels = {key: code.label(language()) for key, code in site.policy.codes.items()} if site is not None else None
    return gate_reason(reason, language(), labels)


ACTION_WORDS = {"admit": NP_("action.admit", "admit"), "hold": N_("hold for the chief proctor"),
                "backup_room": N_("send to the backup room"), "isolation_room": N_("send to the isolation room"),
                "deny": N_("deny entry")}


def _code_words(verdict) -> str:  # noqa: ANN001 - a Verdict
    """'fever/hold' as the site's policy names the code, in the site's language, and the action in the catalog's words."""
    ctx = click.get_current_context(silent=True)
    site = (ctx.find_root().obj or {}).get("site") if ctx else None
    code = site.policy.codes.get(verdict.code) if site is not None else None
    label = literal(code.label(language())) if code is not None else literal(verdict.code)
    action = word(ACTION_WORDS, verdict.action) if verdict.action in ACTION_WORDS else literal(verdict.action)
    return f"{label}/{action}"


def _human(verdict, clock, scanned: str) -> str:  # noqa: ANN001 - a Verdict, the site's Clock
    """One line a person reads: the session, what happened, who, where to go, why; times in site time."""
    card = verdict.card
    who = f"{literal(card.ticket)} {literal(card.name)} {_place(card)}" if card else literal(verdict.scanned or scanned[:80])
    extra = f" [{_code_words(verdict)}]" if verdict.code else ""
    if verdict.verdict == "duplicate":
        extra += _first_admission(verdict, clock)
    if verdict.go_room and verdict.go_kind in GO_KIND_WORDS:
        extra += " " + word(GO_KIND_WORDS, verdict.go_kind).format(room=literal(verdict.go_room))
        extra += " " + _("seat {seat}").format(seat=verdict.go_seat) if verdict.go_seat else ""
    elif verdict.verdict in ("arrived", "returned") and verdict.go_room:
        extra += " " + _("→ go to room {room} seat {seat}").format(room=literal(verdict.go_room), seat=literal(verdict.go_seat))
    label = word(VERDICT_WORDS, verdict.verdict) if verdict.verdict in VERDICT_WORDS else verdict.verdict.replace("_", " ").upper()
    said = verdict.verdict in UNRECORDED_BY_NATURE or "NOT RECORDED" in verdict.reason
    state = "" if verdict.recorded or said else " " + _("NOT RECORDED")
    at = " " + _("at {time}").format(time=clock.shown(verdict.at)) if verdict.recorded and verdict.at else ""
    reason = _reason(verdict) if verdict.reason else ""
    return f"{literal(verdict.session)} {label}{state}{at} {who}{extra}" + (_(": ") + reason if reason else "")


def _parse_stdin_line(line: str) -> tuple[str, str | None, dict]:
    parts = line.split("\t")
    code = parts[0]
    outcome = parts[1].strip() if len(parts) > 1 and parts[1].strip() else None
    evidence = {}
    for part in parts[2:]:
        key, sep, value = part.partition("=")
        if sep:
            evidence[key.strip()] = value.strip()
    return code, outcome, evidence


IDLE_TICK_S = 0.5
BURST_MAX = 256  # scans committed together at most: the write lock is held for one group's work


def _stdin_bursts(gate):  # noqa: ANN001, ANN202 - a ResilientLane; yields lists of raw lines
    """Scan lines as they come, each list what had arrived by the time the lane was free (one commit per list).

    On a shared store, `gate.maintain()` also runs between bursts (uploads) and the admissions copy is refreshed
    beside them, on a thread of its own (no scan waits for it).
    """
    lines: queue.Queue[bytes | None] = queue.Queue()
    stop = threading.Event()
    gate.keep_mirror(stop, _note)

    def pump() -> None:
        try:
            for raw in sys.stdin.buffer:
                lines.put(raw)
        finally:
            lines.put(None)

    threading.Thread(target=pump, name="stdin", daemon=True).start()
    try:
        while True:
            if gate.can_go_offline:
                _note(gate.maintain(mirror=False))
            try:
                raw = lines.get(timeout=IDLE_TICK_S)
            except queue.Empty:
                continue
            burst = []
            while raw is not None:
                burst.append(raw)
                if len(burst) >= BURST_MAX:
                    break
                try:
                    raw = lines.get_nowait()
                except queue.Empty:
                    break
            if burst:
                yield burst
            if raw is None:
                return
    finally:
        stop.set()


def _note(text: object) -> None:
    """A line for the operator on stderr: a `Said` (the services' words) in the site's language."""
    if text:
        click.echo(f"examops: {spoken(text)}", err=True)


def _went_offline(gate, was_online: bool) -> None:  # noqa: ANN001
    if was_online and not gate.online:
        _note(_("OFFLINE: {reason}; recording on this laptop ({store}), uploads when the server answers").format(
            reason=spoken(gate.offline_reason), store=gate.local_site.store.location))


def _finish_offline(gate, *, retry: bool) -> None:  # noqa: ANN001
    """Before exiting: one more upload attempt (`retry`, or if one is due); say plainly what still waits on this laptop."""
    if gate.online:
        return
    if retry:
        from examops.services.offline import describe_upload

        result = gate.try_upload()
        _note(describe_upload(result) if result.ok else None if result.unreachable else
              _("upload failed: {error}").format(error=spoken(result.error)))
    else:
        _note(gate.maintain())
    if not gate.online and gate.pending:
        _note(ngettext("OFFLINE: {count} event recorded on this laptop waits for upload; "
                       "it uploads when this lane next runs with the server answering",
                       "OFFLINE: {count} events recorded on this laptop wait for upload; "
                       "they upload when this lane next runs with the server answering", gate.pending).format(count=gate.pending))


def _check_burst(gate, burst: list[bytes], session_id: str | None, outcome: str | None) -> list:  # noqa: ANN001
    """(verdict, scan) for each scan line of a burst, committed together: answered only once durable."""
    scans = []
    for raw in burst:
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        if line.strip():
            scan, line_outcome, evidence = _parse_stdin_line(line)
            scans.append((scan, line_outcome or outcome, evidence))
    was_online = gate.online
    verdicts = gate.check_burst(scans, session_id=session_id)
    _went_offline(gate, was_online)
    return list(zip(verdicts, (scan for scan, _outcome, _evidence in scans)))


def _checked_once(ctx, code, lane, staff, session_id, outcome, fields, device, as_json) -> bool:  # noqa: ANN001
    """A one-shot plain admission or duplicate on a SQLite store, recorded and said without SQLAlchemy
    (`services.one_shot`); False, nothing written, for every other scan: the lane below answers it."""
    if ctx.obj.get("override"):
        return False  # recording into a closed session: the chief's PIN first, on the full path
    try:
        evidence = _fields(fields)
    except Failure:
        return False  # refused below, once the site's language is known
    from examops.services.one_shot import check_once

    answered = check_once(ctx.obj.get("db"), code, lane=lane, staff=staff, device=device, session_id=session_id,
                          outcome=outcome, evidence=evidence)
    if answered is None:
        return False
    site, verdict = answered
    ctx.obj["site"] = site
    speak_site_language(site)
    emit(verdict.to_json(), as_json, None if as_json else _human(verdict, site.clock, code))
    if not verdict.recorded:
        ctx.exit(EXIT_NOT_RECORDED)  # the store stayed locked: nothing written, rescan
    return True


@command(help=N_("Check one candidate in at the gate; without --outcome a clean candidate is admitted."))
@argument("code", required=False, help=N_("The scanned or typed ticket or ID number (none with --stdin)."))
@option("--lane", required=True, callback=limited("lane"), help=N_("This lane's name, e.g. A or 1号通道."))
@option("--staff", required=True, callback=limited("staff"), help=N_("Who is scanning."))
@option("--session", "session_id", help=N_("Session id (default: the one the plan's clock says is current)."))
@option("--outcome", help=N_("admit, or an exception code of the policy (late, fever, no_test_cert, …)."))
@option("--field", "fields", multiple=True, help=N_("Evidence KEY=VALUE, e.g. temp1=37.8 or sampled_at='2021-10-14 09:30'."))
@option("--stdin", "from_stdin", is_flag=True, help=N_("One scan per line: CODE or CODE<TAB>OUTCOME[<TAB>KEY=VALUE…]; one JSON line each."))
@option("--device", callback=limited("device"), help=N_("Device id for this lane's hash chain (default: host/lane)."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def check(ctx, code, lane, staff, session_id, outcome, fields, from_stdin, device, as_json) -> None:  # noqa: ANN001
    if code and not from_stdin and _checked_once(ctx, code, lane, staff, session_id, outcome, fields, device, as_json):
        return
    site = open_site(ctx, check_meanwhile=True)  # first: a refusal of the command line in the site's language too;
    # the lane's code is imported and its look-up runs during the quick check
    if from_stdin == bool(code):
        raise Failure(_("give one CODE, or --stdin"))
    from examops.services.offline import ResilientLane

    gate = ResilientLane(site, lane, staff, device)
    if gate.cache_error:
        _note(_("no offline copy on this laptop ({error}): if the shared store stops answering, scans will NOT be recorded")
              .format(error=spoken(gate.cache_error)))
    if gate.carried_over is not None:
        from examops.services.offline import describe_upload

        carried = gate.carried_over
        _note(_("an earlier run's queue: {upload}").format(upload=spoken(describe_upload(carried))) if carried.ok else
              ngettext("OFFLINE: an earlier run's {count} event could not be uploaded ({error}); recording on this laptop",
                       "OFFLINE: an earlier run's {count} events could not be uploaded ({error}); recording on this laptop",
                       gate.pending).format(count=gate.pending, error=spoken(carried.error)))
    gate.session(session_id)
    if outcome and outcome != "admit" and outcome not in site.policy.codes:
        raise Failure(_("unknown outcome {outcome}; this site's codes: {codes}").format(
            outcome=repr(outcome), codes=", ".join(("admit", *site.policy.codes))))
    if not from_stdin:
        was_online = gate.online
        verdict = gate.check(code, session_id=session_id, outcome=outcome, evidence=_fields(fields))
        _went_offline(gate, was_online)
        emit(verdict.to_json(), as_json, None if as_json else _human(verdict, site.clock, code))  # JSON: no catalog to load
        _finish_offline(gate, retry=False)
        if not verdict.recorded and verdict.verdict != "invalid":
            ctx.exit(EXIT_NOT_RECORDED)
        return
    from examops.services.bulk_work import resume_collection

    resume_collection()  # a lane runs for hours: only a one-shot runs without the collector (ExamopsGroup.main)
    failures = 0
    for burst in _stdin_bursts(gate):
        answers = _check_burst(gate, burst, session_id, outcome)
        failures += sum(not verdict.recorded and verdict.verdict != "invalid" for verdict, _scan in answers)
        sys.stdout.write("".join((json.dumps(verdict.to_json(), ensure_ascii=False) if as_json else
                                  shown_lines(_human(verdict, site.clock, scan))) + "\n" for verdict, scan in answers))
        sys.stdout.flush()
    _finish_offline(gate, retry=True)
    if failures:
        ctx.exit(EXIT_NOT_RECORDED)


@command(help=N_("Open the gate screen for one lane (scanner-first)."))
@option("--lane", required=True, callback=limited("lane"), help=N_("This lane's name, e.g. A or 1号通道."))
@option("--staff", required=True, callback=limited("staff"), help=N_("Who is scanning."))
@option("--session", "session_id", help=N_("Session id (default: the one the plan's clock says is current)."))
@option("--lang", envvar="EXAMOPS_LANG", help=N_("zh-CN or en (default from the locale)."))
@option("--confirm", type=click.Choice(CONFIRM_MODES), default="photo", show_default=True,
        help=N_("Wait for Enter before admitting: always, only where the site has photos, or never."))
@click.pass_context
def gate(ctx, lane, staff, session_id, lang, confirm) -> None:  # noqa: ANN001
    from examops.services.bulk_work import pause_collection_for_start

    pause_collection_for_start()  # until the first frame is out (ExamopsApp turns it back on)
    site = _lane_site(ctx)
    require_session(site, session_id)
    from examops.tui.app import ExamopsApp

    ExamopsApp(site, mode="gate", lane=lane, staff=staff, session_id=session_id, lang=lang or ctx.obj.get("lang"),
               confirm=confirm, photo_terminal=_photo_terminal(site)).run()


def _lane_site(ctx: click.Context):  # noqa: ANN202 - a SiteHead or a Site
    """A SQLite site's head, read without SQLAlchemy: the first frame is drawn from it, and the gate's lane worker
    opens the store after it (its first write waits for the quick check). Else the site, opened now."""
    from examops.services.site_head import SiteHead
    from examops.services.store_check import begin_quick_check

    head = None if ctx.obj.get("override") else SiteHead.read(ctx.obj.get("db"))
    if head is None:
        begin_quick_check(ctx.obj.get("db"))  # SQLite reads the file while SQLAlchemy and the lane's code are imported
        return open_site(ctx, check_meanwhile=True)  # the first frame does not wait for the quick check; the first scan does
    ctx.obj["site"] = head  # the group words refusals in the site's time
    speak_site_language(head)
    return head


def _photo_terminal(site):  # noqa: ANN001, ANN202 - a Site or SiteHead; a PhotoTerminal
    """How this terminal draws photos, asked only where the site has some (asking loads textual-image and numpy)."""
    from examops.services.site_head import site_has_photos
    from examops.tui.photo_terminal import PhotoTerminal, detect

    try:
        with_photos = site_has_photos(site)
    except Exception:  # noqa: BLE001 - a store that does not answer: the gate screen says so, and draws no photos
        with_photos = False
    return detect() if with_photos else PhotoTerminal(why="the site has no photos")


STATE_WORDS = {"expected": N_("not yet arrived"), "admitted": NP_("state.admitted", "admitted"),
               "held": N_("held for the chief proctor"), "denied": NP_("state.denied", "denied"),
               "out": N_("out on a temporary leave"), "left": N_("left for good")}


def _state(state: str | None) -> str:
    return word(STATE_WORDS, state) if state in STATE_WORDS else literal(state)


@group(help=N_("Look candidates up."))
def candidates() -> None:
    pass


@candidates.command("find", help=N_("Find by ticket, ID number or its last digits, or name."))
@argument("query", help=N_("A ticket, an ID number or its last digits, or a name."))
@option("--session", "session_id", help=N_("Show the seat and state in this session (default: the current one)."))
@option("--reveal-id", is_flag=True, help=N_("Show full ID numbers (chief proctor; needs the PIN)."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def find_command(ctx: click.Context, query: str, session_id: str | None, reveal_id: bool, as_json: bool) -> None:
    from examops.services import gate_view

    site = open_site(ctx, check=False)
    require_session(site, session_id)
    if reveal_id and not site.check_pin(chief_pin(prompt="Chief proctor PIN"), purpose="reveal ID numbers"):
        raise Failure(_("wrong PIN: ID numbers stay masked"))
    session = gate_view.current_session(site, session_id)
    found = gate_view.find_candidates(site, query, session.id if session else None)
    rows = [{"ticket": c.ticket, "name": c.name, "sex": c.sex, "id_number": c.id_number if reveal_id else c.id_masked,
             **c.place_json(), "roster_room": c.room, "roster_seat": c.seat, "session": c.session, "state": c.state}
            for c in found]
    no_seat, colon = _("no seat"), _(": ")
    human = "\n".join(f"{literal(c.ticket)}  {literal(c.name)}  {r['id_number']}  {_place(c) if c.current_room else no_seat}"
                      f"  {literal(c.session)}{colon}{_state(c.state)}" for c, r in zip(found, rows)) or _("no match")
    emit(rows, as_json, human)


COMMANDS = (check, gate, candidates)
