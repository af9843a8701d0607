"""The chief proctor's record-keeping: incidents in the rooms, a session's close-out, voiding a wrong event."""

from __future__ import annotations

import getpass

import click

from examops.cli.common import Failure, chief_pin, emit, literal, open_site
from examops.cli.help_words import JSON_HELP, SESSION_HELP, argument, command, group, option
from examops.i18n import N_, _, language, spoken, word

KINDS_HELP = N_("违纪/misconduct, 作弊/cheating, 考场异常/room_irregularity, 其他/other")
SEVERITY_WORDS = {"low": N_("low"), "medium": N_("medium"), "high": N_("high")}
FINDING_WORDS = {"double_read": N_("a double read of the scanner"), "rescan": N_("a rescan by mistake"),
                 "incident": N_("an incident")}


@command(help=N_("Record an incident in a room (违纪, 作弊, 考场异常, 其他)."))
@option("--session", "session_id", required=True, help=SESSION_HELP)
@option("--room", required=True, help=N_("The room it happened in."))
@option("--kind", required=True, help=KINDS_HELP)
@option("--candidate", "ticket", help=N_("The candidate's ticket, if one is concerned."))
@option("--note", required=True, help=N_("What happened."))
@option("--severity", type=click.Choice(["low", "medium", "high"]), default="medium", show_default=True,
        help=N_("How serious it is."))
@option("--by", "by", help=N_("Who reports it (default: the logged-in user)."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def incident(ctx, session_id, room, kind, ticket, note, severity, by, as_json) -> None:  # noqa: ANN001
    from examops.i18n.report_words import incident_label
    from examops.services.incidents import record_incident
    from examops.services.review import ReviewRefused

    site = open_site(ctx)
    try:
        event = record_incident(site, session=session_id, room=room, kind=kind, note=note, by=by or getpass.getuser(),
                                ticket=ticket, severity=severity)
    except ReviewRefused as exc:
        raise Failure(exc) from None
    data = {"id": event.id, "session": event.session, "ticket": event.ticket, "at": event.at, **event.payload}
    emit(data, as_json, _("incident {id} recorded: {session} room {room} {kind} ({severity})").format(
        id=event.id[:8], session=literal(session_id), room=literal(room), kind=literal(incident_label(data["kind"], language())),
        severity=word(SEVERITY_WORDS, severity)))


@command(help=N_("Sign a session off (chief proctor's PIN); later records need --override REASON."))
@option("--session", "session_id", required=True, help=N_("The session (场次) to sign off."))
@option("--by", "by", required=True, help=N_("The chief proctor signing the session off."))
@option("--reason", default="", help=N_("Why the session is closed before its end (required then)."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def close(ctx, session_id, by, reason, as_json) -> None:  # noqa: ANN001
    from examops.services.incidents import close_session
    from examops.services.review import ReviewRefused

    site = open_site(ctx)
    try:
        event, left = close_session(site, session=session_id, by=by, pin=chief_pin(), reason=reason)
    except ReviewRefused as exc:
        raise Failure(exc) from None
    human = _("session {session} closed by {by} at {at}").format(session=literal(session_id), by=literal(by),
                                                                  at=site.clock.shown(event.at, date=True))
    human += "".join("\n  " + _("still open: {item}").format(item=spoken(line)) for line in left)
    emit({"session": session_id, "closed_by": by, "at": event.at, "id": event.id, "still_open": [str(line) for line in left]}, as_json, human)


@command(help=N_("Void a recorded event (chief proctor's PIN): the log keeps both, state ignores the voided one."))
@argument("event_id", help=N_("The id of the event to void."))
@option("--reason", required=True, help=N_("Why the event is wrong."))
@option("--by", "by", required=True, help=N_("The chief proctor's name."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def void(ctx, event_id, reason, by, as_json) -> None:  # noqa: ANN001
    from examops.services.corrections import CorrectionRefused, void_event

    site = open_site(ctx)
    try:
        stored = void_event(site, event_id, reason=reason, by=by, pin=chief_pin())
    except CorrectionRefused as exc:
        raise Failure(exc) from None
    emit({"voided": event_id, "event_id": stored.id}, as_json,
         _("voided {target} (event {id})").format(target=literal(event_id), id=stored.id))


@group(help=N_("Duplicate-scan alarms and lane conflicts: the chief's finding on each."))
def alarm() -> None:
    pass


@alarm.command("resolve", help=N_("Record the chief's finding on an alarm, named by its event id (or the start of it) or by the "
                                  "candidate's ticket when that candidate has one open alarm (chief proctor's PIN)."))
@argument("event_id", metavar="TICKET|EVENT", help=N_("The alarm's event id (or the start of it), or the candidate's ticket."))
@option("--as", "resolution", type=click.Choice(["double_read", "rescan", "incident"]), required=True,
        help=N_("double_read: the scanner read twice; rescan: staff scanned again by mistake; incident: a real one."))
@option("--note", required=True, help=N_("What was found."))
@option("--by", "by", required=True, help=N_("The chief proctor's name."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def alarm_resolve(ctx, event_id, resolution, note, by, as_json) -> None:  # noqa: ANN001
    from examops.services.incidents import resolve_alarm
    from examops.services.review import ReviewRefused

    site = open_site(ctx)
    try:
        event = resolve_alarm(site, event_id, resolution=resolution, note=note, by=by, pin=chief_pin())
    except ReviewRefused as exc:
        raise Failure(exc) from None
    emit({"id": event.id, "session": event.session, "ticket": event.ticket, **event.payload}, as_json,
         _("alarm {id} ({ticket}) resolved as {finding} by {by}").format(
             id=event.payload["target"][:8], ticket=literal(event.ticket), finding=word(FINDING_WORDS, resolution), by=literal(by)))


COMMANDS = (incident, close, void, alarm)
