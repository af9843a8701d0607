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
)
from examops.domain.confirm import CONFIRM_MODES


def _fields(pairs) -> dict[str, str]:  # noqa: ANN001
    evidence = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise Failure(f"--field {pair!r}: write KEY=VALUE, e.g. temp1=37.8")
        evidence[key.strip()] = value.strip()
    return evidence


def _place(card) -> str:  # noqa: ANN001 - a CandidateCard
    """'room 001 seat 4', or the seat now and where it came from: 'room B01 seat 1 (B01-1, moved from 001-4 by reallocation)'."""
    where = f"room {literal(card.current_room)} seat {literal(card.current_seat)}"
    return f"{where} ({literal(card.placement.describe())})" if card.placement and card.placement.moved else where


def _first_admission(verdict, clock) -> str:  # noqa: ANN001 - a Verdict, a Clock
    first_at = clock.shown(verdict.first_at) if verdict.first_at else "-"
    if verdict.first_lane is None and verdict.first_via:
        return f" first admitted at the chief's desk ({literal(verdict.first_via)}) by {literal(verdict.first_by)} at {first_at}"
    return f" first at {first_at} on lane {literal(verdict.first_lane)} by {literal(verdict.first_staff)}"


VERDICT_WORDS = {"not_recorded": "NOT RECORDED", "session_closed": "SESSION CLOSED", "outside_window": "OUTSIDE THE ENTRY WINDOW",
                 "wrong_session": "WRONG SESSION", "no_reentry": "NO RE-ENTRY"}
UNRECORDED_BY_NATURE = ("invalid", "not_recorded", "session_closed")
"""Verdicts that say themselves that nothing was written: no second "NOT RECORDED" after them."""


def _human(verdict, clock, scanned: str) -> str:  # noqa: ANN001 - a Verdict, the site's Clock
    """One line a person reads: the session, what happened, who, where to go, why; times in site time."""
    card = verdict.card
    who = f"{literal(card.ticket)} {literal(card.name)} {_place(card)}" if card else literal(verdict.scanned or scanned[:80])
    extra = f" [{literal(verdict.code)}/{literal(verdict.action)}]" if verdict.code else ""
    if verdict.verdict == "duplicate":
        extra += _first_admission(verdict, clock)
    if verdict.go_room and verdict.go_kind in ("isolation", "backup"):
        extra += f" → go to {verdict.go_kind} room {literal(verdict.go_room)}" + (
            f" seat {verdict.go_seat}" if verdict.go_seat else "")
    elif verdict.verdict in ("arrived", "returned") and verdict.go_room:
        extra += f" → go to room {literal(verdict.go_room)} seat {literal(verdict.go_seat)}"
    label = VERDICT_WORDS.get(verdict.verdict, verdict.verdict.replace("_", " ").upper())
    said = verdict.verdict in UNRECORDED_BY_NATURE or "NOT RECORDED" in verdict.reason
    state = "" if verdict.recorded or said else " NOT RECORDED"
    at = f" at {clock.shown(verdict.at)}" if verdict.recorded and verdict.at else ""
    reason = f": {literal(verdict.reason)}" if verdict.reason else ""
    return f"{literal(verdict.session)} {label}{state}{at} {who}{extra}{reason}"


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

    On a shared store, `gate.maintain()` also runs while the scanner is quiet.
    """
    lines: queue.Queue[bytes | None] = queue.Queue()

    def pump() -> None:
        try:
            for raw in sys.stdin.buffer:
                lines.put(raw)
        finally:
            lines.put(None)

    threading.Thread(target=pump, name="stdin", daemon=True).start()
    while True:
        if gate.can_go_offline:
            _note(gate.maintain())
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


def _note(text: str | None) -> None:
    if text:
        click.echo(f"examops: {text}", err=True)


def _went_offline(gate, was_online: bool) -> None:  # noqa: ANN001
    if was_online and not gate.online:
        _note(f"OFFLINE: {gate.offline_reason}; recording on this laptop ({gate.local_site.store.location}), "
              "uploads when the server answers")


def _finish_offline(gate, *, retry: bool) -> None:  # noqa: ANN001
    """Before exiting: one more upload attempt (`retry`, or if one is due); say plainly what still waits on this laptop."""
    if gate.online:
        return
    if retry:
        from examops.services.offline import describe_upload

        result = gate.try_upload()
        _note(describe_upload(result) if result.ok else None if result.unreachable else f"upload failed: {result.error}")
    else:
        _note(gate.maintain())
    if not gate.online and gate.pending:
        _note(f"OFFLINE: {gate.pending} event(s) recorded on this laptop wait for upload; "
              "they upload when this lane next runs with the server answering")


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


@click.command()
@click.argument("code", required=False)
@click.option("--lane", required=True, callback=limited("lane"), help="This lane's name, e.g. A or 1号通道.")
@click.option("--staff", required=True, callback=limited("staff"), help="Who is scanning.")
@click.option("--session", "session_id", help="Session id (default: the one the plan's clock says is current).")
@click.option("--outcome", help="admit, or an exception code of the policy (late, fever, no_test_cert, …).")
@click.option("--field", "fields", multiple=True, help="Evidence KEY=VALUE, e.g. temp1=37.8 or sampled_at='2021-10-14 09:30'.")
@click.option("--stdin", "from_stdin", is_flag=True, help="One scan per line: CODE or CODE<TAB>OUTCOME[<TAB>KEY=VALUE…]; one JSON line each.")
@click.option("--device", callback=limited("device"), help="Device id for this lane's hash chain (default: host/lane).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def check(ctx, code, lane, staff, session_id, outcome, fields, from_stdin, device, as_json) -> None:  # noqa: ANN001
    """Check one candidate in at the gate; without --outcome a clean candidate is admitted."""
    from examops.services.offline import ResilientLane

    if from_stdin == bool(code):
        raise Failure("give one CODE, or --stdin")
    site = open_site(ctx)
    gate = ResilientLane(site, lane, staff, device)
    if gate.cache_error:
        _note(f"no offline copy on this laptop ({gate.cache_error}): if the shared store stops answering, "
              "scans will NOT be recorded")
    if gate.carried_over is not None:
        from examops.services.offline import describe_upload

        carried = gate.carried_over
        _note(f"an earlier run's queue: {describe_upload(carried)}" if carried.ok else
              f"OFFLINE: an earlier run's {gate.pending} event(s) could not be uploaded ({carried.error}); recording on this laptop")
    gate.session(session_id)
    if outcome and outcome != "admit" and outcome not in site.policy.codes:
        raise Failure(f"unknown outcome {outcome!r}; this site's codes: admit, {', '.join(site.policy.codes)}")
    if not from_stdin:
        was_online = gate.online
        verdict = gate.check(code, session_id=session_id, outcome=outcome, evidence=_fields(fields))
        _went_offline(gate, was_online)
        emit(verdict.to_json(), as_json, _human(verdict, site.clock, code))
        _finish_offline(gate, retry=False)
        if not verdict.recorded and verdict.verdict != "invalid":
            ctx.exit(EXIT_NOT_RECORDED)
        return
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


@click.command()
@click.option("--lane", required=True, callback=limited("lane"))
@click.option("--staff", required=True, callback=limited("staff"))
@click.option("--session", "session_id")
@click.option("--lang", envvar="EXAMOPS_LANG", help="zh-CN or en (default from the locale).")
@click.option("--confirm", type=click.Choice(CONFIRM_MODES), default="photo", show_default=True,
              help="Wait for Enter before admitting: always, only where the site has photos, or never.")
@click.pass_context
def gate(ctx, lane, staff, session_id, lang, confirm) -> None:  # noqa: ANN001
    """Open the gate screen for one lane (scanner-first)."""
    from examops.tui.app import ExamopsApp
    from examops.tui.photo_terminal import detect

    site = open_site(ctx)
    require_session(site, session_id)
    ExamopsApp(site, mode="gate", lane=lane, staff=staff, session_id=session_id, lang=lang, confirm=confirm,
               photo_terminal=detect()).run()


@click.group()
def candidates() -> None:
    """Look candidates up."""


@candidates.command("find")
@click.argument("query")
@click.option("--session", "session_id", help="Show the seat and state in this session (default: the current one).")
@click.option("--reveal-id", is_flag=True, help="Show full ID numbers (chief proctor; needs the PIN).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def find_command(ctx: click.Context, query: str, session_id: str | None, reveal_id: bool, as_json: bool) -> None:
    """Find by ticket, ID number or its last digits, or name."""
    from examops.services import gate_view

    site = open_site(ctx, check=False)
    require_session(site, session_id)
    if reveal_id and not site.check_pin(chief_pin(prompt="Chief proctor PIN"), purpose="reveal ID numbers"):
        raise Failure("wrong PIN: ID numbers stay masked")
    session = gate_view.current_session(site, session_id)
    found = gate_view.find_candidates(site, query, session.id if session else None)
    rows = [{"ticket": c.ticket, "name": c.name, "sex": c.sex, "id_number": c.id_number if reveal_id else c.id_masked,
             **c.place_json(), "roster_room": c.room, "roster_seat": c.seat, "session": c.session, "state": c.state}
            for c in found]
    human = "\n".join(f"{literal(c.ticket)}  {literal(c.name)}  {r['id_number']}  {_place(c) if c.current_room else 'no seat'}"
                      f"  {literal(c.session)}: {c.state or '-'}" for c, r in zip(found, rows)) or "no match"
    emit(rows, as_json, human)


COMMANDS = (check, gate, candidates)
