"""`examops exit`: an admitted candidate leaves for a while (re-checked at the gate) or for good."""

from __future__ import annotations

import click

from examops.cli.common import Failure, emit, literal, open_site, require_session
from examops.i18n import _


@click.command("exit")
@click.argument("ticket")
@click.option("--reason", required=True, help="Why they leave (toilet, unwell, finished early…).")
@click.option("--temporary/--final", "temporary", default=True,
              help="--temporary (default): back through a gate later; --final: an early leave, no re-entry.")
@click.option("--by", "by", required=True, help="Who records it (the room proctor or the lane's staff).")
@click.option("--session", "session_id", help="Session id (default: the one the plan's clock says is current).")
@click.option("--lane", help="The lane recording it, if at a gate.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def exit_command(ctx, ticket, reason, temporary, by, session_id, lane, as_json) -> None:  # noqa: ANN001
    """Record that an admitted candidate leaves the exam room."""
    from examops.services import gate_view
    from examops.services.exits import ExitRefused, record_exit

    site = open_site(ctx)
    require_session(site, session_id)
    session = gate_view.current_session(site, session_id)
    if session is None:
        raise Failure(_("the plan has no sessions"))
    try:
        done = record_exit(site, ticket, session=session.id, reason=reason, final=not temporary, by=by, lane=lane)
    except ExitRefused as exc:
        raise Failure(exc) from None
    how = _("left for good (no re-entry)") if done.final else _("left for a while (re-checked at the gate on return)")
    emit({"ticket": done.ticket, "name": done.name, "session": done.session, "final": done.final, "reason": done.reason,
          "room": done.room, "seat": done.seat, "event_id": done.event.id, "at": done.event.at, "by": by}, as_json,
         _("{ticket} {name} {how} from room {room} seat {seat}: {reason} (recorded by {by})").format(
             ticket=literal(done.ticket), name=literal(done.name), how=how, room=literal(done.room), seat=literal(done.seat),
             reason=literal(done.reason), by=literal(by)))


COMMANDS = (exit_command,)
