"""`examops exit`: an admitted candidate leaves for a while (re-checked at the gate) or for good."""

from __future__ import annotations

import click

from examops.cli.common import Failure, chief_pin, emit, literal, open_site, require_session
from examops.cli.help_words import JSON_HELP, TICKET_HELP, argument, command, option
from examops.i18n import N_, _


@command("exit", help=N_("Record that an admitted candidate leaves the exam room."))
@argument("ticket", help=TICKET_HELP)
@option("--reason", required=True, help=N_("Why they leave (toilet, unwell, finished early…)."))
@option("--temporary/--final", "temporary", default=True,
        help=N_("--temporary (default): back through a gate later; --final: an early leave, no re-entry."))
@option("--by", "by", required=True, help=N_("Who records it (the room proctor or the lane's staff)."))
@option("--session", "session_id", help=N_("Session id (default: the one the plan's clock says is current)."))
@option("--lane", help=N_("The lane recording it, if at a gate."))
@option("--authorised-by", "authorised_by",
        help=N_("--final before the plan's early_leave_minutes (e.g. a sick candidate): the chief proctor who "
                "authorises it (chief proctor's PIN)."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def exit_command(ctx, ticket, reason, temporary, by, session_id, lane, authorised_by, as_json) -> None:  # noqa: ANN001
    from examops.services import gate_view
    from examops.services.exits import ExitRefused, early_leave_from, record_exit

    site = open_site(ctx)
    require_session(site, session_id)
    session = gate_view.current_session(site, session_id)
    if session is None:
        raise Failure(_("the plan has no sessions"))
    early = not temporary and early_leave_from(site, session.id) is not None
    pin = chief_pin() if early and (authorised_by or "").strip() else None  # asked only when it is needed
    try:
        done = record_exit(site, ticket, session=session.id, reason=reason, final=not temporary, by=by, lane=lane,
                           authorised_by=authorised_by, pin=pin)
    except ExitRefused as exc:
        raise Failure(exc) from None
    how = _("left for good (no re-entry)") if done.final else _("left for a while (re-checked at the gate on return)")
    line = _("{ticket} {name} {how} from room {room} seat {seat}: {reason} (recorded by {by})").format(
        ticket=literal(done.ticket), name=literal(done.name), how=how, room=literal(done.room), seat=literal(done.seat),
        reason=literal(done.reason), by=literal(by))
    if done.authorised_early_by:
        line += "\n" + _("early, before the allowed time: authorised by the chief proctor {name}").format(
            name=literal(done.authorised_early_by))
    emit({"ticket": done.ticket, "name": done.name, "session": done.session, "final": done.final, "reason": done.reason,
          "room": done.room, "seat": done.seat, "event_id": done.event.id, "at": done.event.at, "by": by,
          "authorised_early_by": done.authorised_early_by}, as_json, line)


COMMANDS = (exit_command,)
