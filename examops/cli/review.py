"""The chief proctor's commands: exceptions, approve, reject, resolve, reallocate, move, room add."""

from __future__ import annotations

import click

from examops.cli.common import Failure, chief_pin, emit, literal, open_site, require_session
from examops.cli.help_words import CASE_HELP, JSON_HELP, SESSION_HELP, TICKET_HELP, argument, command, group, option
from examops.domain.state import APPROVAL_LEVEL_WORDS, CASE_STATUS_WORDS
from examops.i18n import N_, NP_, _, language, word


def _refused():
    from examops.services.review import ReviewRefused
    from examops.services.seating import Shortage

    return (ReviewRefused, Shortage)


STATUS_WORDS = CASE_STATUS_WORDS
LEVEL_WORDS = APPROVAL_LEVEL_WORDS
ACTION_WORDS = {"hold": N_("hold"), "backup_room": N_("backup room"), "isolation_room": NP_("review.action.isolation_room", "isolation"),
                "admit": NP_("review.action.admit", "admit"), "deny": N_("deny")}
RECORD_WORDS = {"plan_changed": N_("plan changed"), "pin_changed": N_("PIN changed"), "override_granted": N_("override granted"),
                "photos_imported": N_("photos replaced"), "photos_purged": N_("photos purged"),
                "early_leave_authorised": N_("early leave authorised before the allowed time"),
                "unsealed_decision": N_("a decision without the chief's seal (examops verify names it)")}
ROOM_KIND_WORDS = {"backup": N_("backup"), "isolation": NP_("roster.kind.isolation", "isolation"), "regular": N_("regular")}
FINDING_WORDS = {"double_read": N_("a double read of the scanner"), "rescan": N_("a rescan by mistake"),
                 "incident": N_("an incident")}


def _said(table: dict, key: object) -> str:
    """A plan or policy id in the catalog's words where the catalog has it, else shown as it is."""
    return word(table, key) if key in table else literal(key)


def _code(policy, code: str | None) -> str:  # noqa: ANN001 - a Policy
    found = policy.codes.get(code or "")
    return literal(found.label(language()) if found is not None else code)


def _case_line(case: dict, policy) -> str:  # noqa: ANN001 - the site's Policy
    chain = ", ".join(f"{_said(LEVEL_WORDS, a['level'])}:{literal(a['by'])}" for a in case["approvals"]) or "-"
    status = _said(STATUS_WORDS, case["status"])
    if case["status"] == "pending":
        status += " → " + _said(LEVEL_WORDS, case["next_level"])
    return (f"{case['id'][:8]}  {literal(case['session'])}  {literal(case['ticket'])}  {literal(case['name'])}  "
            f"{_code(policy, case['code'])}/{_said(ACTION_WORDS, case['action'])}  {status}  "
            + _("approvals: {chain}").format(chain=chain))


@command(help=N_("List exception cases with their approval chain."))
@option("--session", "session_id", help=N_("Only this session (default: every session)."))
@option("--status", type=click.Choice(["pending", "approved", "rejected", "resolved", "closed", "denied"]),
        help=N_("Only cases in this state."))
@option("--code", help=N_("Only this exception code."))
@option("--lane", help=N_("Only cases raised at this lane."))
@option("--room", help=N_("Only cases in this room."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def exceptions(ctx, session_id, status, code, lane, room, as_json) -> None:  # noqa: ANN001
    from examops.services.chief_record import chief_record
    from examops.services.chief_record import to_json as record_json
    from examops.services.review import conflicts, duplicate_alarms, list_cases

    site = open_site(ctx, check=False)
    record = chief_record(site)
    cases = [v.to_json() for v in list_cases(site, session=session_id, status=status, code=code, lane=lane, room=room)]
    alarms = duplicate_alarms(site, session_id)
    flags = conflicts(site, session_id)
    human = "\n".join(_case_line(c, site.policy) for c in cases) or _("no exceptions")
    open_alarms = [a for a in alarms if a.get("resolution") is None]
    if open_alarms:
        human += "\n" + _("{count} open duplicate-scan alarm(s) (possible impersonation; examops alarm resolve TICKET --as …): "
                          "{tickets}").format(count=len(open_alarms), tickets=", ".join(literal(a["ticket"]) for a in open_alarms))
    for found in (a for a in alarms if a.get("resolution") is not None):
        finding = found["resolution"]
        human += "\n" + _("alarm {ticket} resolved as {finding} by {by} at {at}: {note}").format(
            ticket=literal(found["ticket"]), finding=_said(FINDING_WORDS, finding["as"]), by=literal(finding["by"]),
            at=site.clock.shown(finding["at"]), note=literal(finding["note"]))
    if flags:
        human += "\n" + _("{count} admission conflict(s) between lanes: {tickets}").format(
            count=len(flags), tickets=", ".join(literal(f["ticket"]) for f in flags))
    for entry in record.entries:
        human += "\n" + _("chief's record: {at} {what} by {by}").format(
            at=site.clock.shown(entry.at, date=True), what=_said(RECORD_WORDS, entry.kind), by=literal(entry.by or "?")) + (
            f": {literal(entry.detail)}" if entry.detail else "")
    if record.refused_pins:
        human += "\n" + _("{count} wrong PIN(s) refused").format(count=record.refused_pins)
    emit({"exceptions": cases, "duplicate_alarms": alarms, "conflicts": flags,
           "levels": list(site.plan.approval_levels), "chief_record": record_json(record)}, as_json, human)


@command(help=N_("Approve exceptions at one level of the chain (chief proctor's PIN)."))
@argument("case_ids", nargs=-1, help=N_("The cases' ids (or --all-pending)."))
@option("--all-pending", is_flag=True, help=N_("Every case waiting for this level."))
@option("--code", help=N_("With --all-pending: only this exception code."))
@option("--session", "session_id", required=True, help=SESSION_HELP)
@option("--level", required=True, help=N_("The approval level signing (see the plan's [approval] levels)."))
@option("--by", "by", required=True, help=N_("Who approved (e.g. the supervision group member on the phone)."))
@option("--recorded-by", help=N_("Who recorded it on their behalf (default: --by)."))
@option("--note", default="", help=N_("A note kept with the approval."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def approve(ctx, case_ids, all_pending, code, session_id, level, by, recorded_by, note, as_json) -> None:  # noqa: ANN001
    from examops.services.review import approve as do_approve
    from examops.services.review import pending_ids

    if bool(case_ids) == all_pending:
        raise Failure(_("give exception ids, or --all-pending"))
    site = open_site(ctx)
    ids = list(case_ids) or pending_ids(site, session=session_id, level=level, code=code)
    if not ids:
        from collections import Counter

        from examops.services.review import list_cases

        waiting = Counter(v.next_level for v in list_cases(site, session=session_id, status="pending", code=code))
        why = "; ".join(_("{count} case(s) wait for the {level}'s approval").format(count=n, level=_said(LEVEL_WORDS, other))
                        for other, n in waiting.items())
        said = (_("nothing waits for the {level} in {session}: {waiting} first") if why else
                _("nothing waits for the {level} in {session}: no case is pending"))
        emit({"approved": [], "waiting": dict(waiting)}, as_json,
             said.format(level=_said(LEVEL_WORDS, level), session=literal(session_id), waiting=why))
        return
    try:
        views = do_approve(site, ids, level=level, by=by, note=note, recorded_by=recorded_by,
                           pin=chief_pin(), session=session_id)
    except _refused() as exc:
        raise Failure(exc) from None
    cases = [v.to_json() for v in views]
    emit({"approved": cases}, as_json, "\n".join(_case_line(c, site.policy) for c in cases))


@command(help=N_("Reject an exception: entry denied (reason required)."))
@argument("case_id", help=CASE_HELP)
@option("--by", "by", required=True, help=N_("Who rejects it."))
@option("--reason", required=True, help=N_("Why entry is denied."))
@option("--level", help=N_("The approval level rejecting (default: the one the case waits for)."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def reject(ctx, case_id, by, reason, level, as_json) -> None:  # noqa: ANN001
    from examops.services.review import reject as do_reject

    site = open_site(ctx)
    try:
        view = do_reject(site, case_id, by=by, reason=reason, level=level, pin=chief_pin())
    except _refused() as exc:
        raise Failure(exc) from None
    emit(view.to_json(), as_json, _case_line(view.to_json(), site.policy))


@command(help=N_("Resolve an exception: the candidate is admitted to their original seat."))
@argument("case_id", help=CASE_HELP)
@option("--by", "by", required=True, help=N_("Who resolves it."))
@option("--note", required=True, help=N_("How it was resolved (certificate arrived, re-test normal…)."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def resolve(ctx, case_id, by, note, as_json) -> None:  # noqa: ANN001
    from examops.services.review import resolve as do_resolve

    site = open_site(ctx)
    try:
        view = do_resolve(site, case_id, by=by, note=note, pin=chief_pin())
    except _refused() as exc:
        raise Failure(exc) from None
    emit(view.to_json(), as_json, _case_line(view.to_json(), site.policy))


@command(help=N_("Seat every fully approved backup/isolation case (chief proctor's PIN)."))
@option("--session", "session_id", required=True, help=SESSION_HELP)
@option("--by", "by", default="chief", show_default=True, help=N_("The chief proctor's name."))
@option("--preview", is_flag=True, help=N_("Show who would go where; move nobody."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def reallocate(ctx, session_id, by, preview, as_json) -> None:  # noqa: ANN001
    from examops.services.seating import plan_reallocation
    from examops.services.seating import reallocate as do_reallocate

    site = open_site(ctx)
    try:
        plan = (plan_reallocation(site, session_id) if preview
                else do_reallocate(site, session_id, by=by, pin=chief_pin()))
    except _refused() as exc:
        if as_json and hasattr(exc, "missing"):
            emit({"moves": [], "missing_seats": exc.missing, "error": str(exc)}, True)
        raise Failure(exc) from None
    moves = [m.to_json() for m in plan.moves]
    colon = _(": ")
    human = "\n".join(f"{literal(m['ticket'])} {literal(m['name'])}{colon}{literal(m['from_room'])}/{m['from_seat']} → "
                      f"{literal(m['room'])}/{m['seat']}" for m in moves)
    if preview and plan.unplaced:
        human += "\n" + _("missing seats: {seats}").format(seats=", ".join(
            f"{_said(ROOM_KIND_WORDS, kind)} {count}" for kind, count in plan.missing_seats().items()))
    if not human:
        from examops.services.review import list_cases

        pending = [v for v in list_cases(site, session=session_id, status="pending") if v.case.action in ("backup_room", "isolation_room")]
        human = (_("nobody to move: {waiting}").format(waiting=", ".join(
            _("{ticket} waits for the {level}'s approval").format(ticket=literal(v.card.ticket), level=_said(LEVEL_WORDS, v.next_level))
            for v in pending)) if pending else _("nobody to move: no approved backup- or isolation-room case is waiting for a seat"))
    emit({"moves": moves, "missing_seats": plan.missing_seats(), "preview": preview}, as_json, human)


@command(help=N_("Move a candidate to a room (and seat) by hand (chief proctor's PIN)."))
@argument("ticket", help=TICKET_HELP)
@option("--session", "session_id", required=True, help=SESSION_HELP)
@option("--room", required=True, help=N_("The room to move them to."))
@option("--seat", type=int, help=N_("The seat in that room (default: the first free one)."))
@option("--by", "by", required=True, help=N_("The chief proctor's name."))
@option("--reason", required=True, help=N_("Why the candidate is moved (listed in the moves record)."))
@option("--isolation-reason", default="", help=N_("Why a candidate without an approved fever case goes to the isolation room."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def move(ctx, ticket, session_id, room, seat, by, reason, isolation_reason, as_json) -> None:  # noqa: ANN001
    from examops.services.seating import move as do_move

    site = open_site(ctx)
    try:
        result = do_move(site, ticket, session=session_id, room=room, seat=seat, by=by, pin=chief_pin(), reason=reason,
                         isolation_reason=isolation_reason)
    except _refused() as exc:
        raise Failure(exc) from None
    colon = _(": ")
    emit(result, as_json, f"{literal(ticket)} {literal(result['name'])}{colon}{literal(result['from_room'])}/{result['from_seat']} → "
                          f"{literal(room)}/{result['seat']}")


@group(help=N_("Rooms opened on the day."))
def room() -> None:
    pass


@room.command("add", help=N_("Open another room on the spot (chief proctor's PIN)."))
@argument("room_id", help=N_("The new room's id, e.g. B201."))
@option("--name", required=True, help=N_("The room's name, as printed on its door list."))
@option("--capacity", type=int, required=True, help=N_("How many seats it has."))
@option("--kind", type=click.Choice(["backup", "isolation", "regular"]), required=True,
        help=N_("A backup room, an isolation room or a regular one."))
@option("--by", "by", default="chief", show_default=True, help=N_("The chief proctor's name."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def room_add(ctx, room_id, name, capacity, kind, by, as_json) -> None:  # noqa: ANN001
    from examops.services.seating import add_room

    site = open_site(ctx)
    try:
        result = add_room(site, room_id, name=name, capacity=capacity, kind=kind, by=by, pin=chief_pin())
    except _refused() as exc:
        raise Failure(exc) from None
    emit(result, as_json, _("room {room} ({kind}, {capacity} seats) opened").format(
        room=literal(room_id), kind=_said(ROOM_KIND_WORDS, kind), capacity=capacity))


@command("review", help=N_("Open the chief proctor's review screen (after the chief's PIN): exceptions, approvals, "
                           "reallocation, alarms."))
@option("--session", "session_id", help=N_("Session id (default: the one the plan's clock says is current)."))
@option("--lang", envvar="EXAMOPS_LANG", help=N_("zh-CN or en (default from the locale)."))
@click.pass_context
def review_screen(ctx, session_id, lang) -> None:  # noqa: ANN001
    from examops.tui.app import ExamopsApp

    site = open_site(ctx)
    require_session(site, session_id)
    from examops.tui.photo_terminal import detect

    app = ExamopsApp(site, mode="review", session_id=session_id, lang=lang or ctx.obj.get("lang"), photo_terminal=detect())  # asks the PIN first, as Ctrl+T does
    app.run()
    ctx.exit(app.return_code or 0)


COMMANDS = (exceptions, approve, reject, resolve, reallocate, move, room, review_screen)
