"""The exam plan: exam, site, sessions, rooms, policy choice and approval chain.

Parsed from the plan TOML into frozen dataclasses. Every semantic error names
the key and the line it stands on, so a chief proctor can fix the file alone.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

from examops.domain.roster_values import canonical_room
from examops.domain.said import N_, Said, SaidError, said

ROOM_KINDS = ("regular", "backup", "isolation")


class PlanError(SaidError, ValueError):
    """A plan file that cannot be used; the message names key and line (a `Said`: the site's language at the edge)."""


class UnknownSession(KeyError):
    """A session id the plan does not have; carries the plan's ids so the message can list them."""

    def __init__(self, session_id: str, known: tuple[str, ...]) -> None:
        super().__init__(session_id)
        self.session_id = session_id
        self.known = known

    @property
    def said(self) -> Said:
        """The message as a `Said`, so the edges say it in the site's language."""
        return said(N_("no session {session} in the plan; sessions: {sessions}"), session=repr(self.session_id),
                    sessions=", ".join(self.known))

    def __str__(self) -> str:
        return str(self.said)


@dataclass(frozen=True, slots=True)
class Session:
    """One paper sitting: the gate opens `entry_opens_minutes` before `start` and closes `late_entry_minutes` after;
    a candidate may leave for good from `early_leave_minutes` after `start` (before that only with the chief's PIN)."""

    id: str
    name: str
    date: dt.date
    start: dt.time
    end: dt.time
    late_entry_minutes: int = 30
    entry_opens_minutes: int = 45
    early_leave_minutes: int | None = None  # None: as late_entry_minutes, so no one leaves while a late one may come in

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start)

    @property
    def ends_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.end)

    @property
    def entry_closes_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.late_entry_minutes)

    @property
    def early_leave_from(self) -> dt.datetime:
        """From this local time a candidate may leave for good (an early leave); before it only the chief authorises one."""
        minutes = self.late_entry_minutes if self.early_leave_minutes is None else self.early_leave_minutes
        return self.starts_at + dt.timedelta(minutes=minutes)


@dataclass(frozen=True, slots=True)
class Room:
    """A room candidates sit in; backup and isolation rooms come from the plan."""

    id: str
    name: str
    capacity: int | None = None
    kind: str = "regular"


@dataclass(frozen=True, slots=True)
class Plan:
    """An exam plan: its sessions, rooms and policy preset, as parsed from its TOML."""

    exam_name: str
    site: str
    sessions: tuple[Session, ...]
    approval_levels: tuple[str, ...] = ("chief",)
    policy_preset: str | None = "standard"
    policy_path: str | None = None
    rooms: tuple[Room, ...] = ()
    backup_rooms: tuple[Room, ...] = ()
    timezone: str = "Asia/Shanghai"
    language: str | None = None  # the site's language for screens and documents, e.g. "zh-CN"; None: the locale's
    source_text: str = field(default="", repr=False, compare=False)

    def session(self, session_id: str) -> Session:
        for session in self.sessions:
            if session.id == session_id:
                return session
        raise UnknownSession(session_id, tuple(s.id for s in self.sessions))

    def session_aliases(self) -> dict[str, str]:
        """Every spelling of a session a roster may use (id, name) → session id."""
        aliases: dict[str, str] = {}
        for session in self.sessions:
            aliases[session.id] = session.id
            aliases[session.id.upper()] = session.id
            aliases[session.name] = session.id
        return aliases

    def current_session(self, now_local: dt.datetime) -> Session | None:
        """The lane's session at `now_local`: the one whose doors are open (to its end), else the next, else the last."""
        from examops.domain.windows import lane_window  # windows builds on Session, defined here

        found = lane_window(self.sessions, now_local)
        return found.session if found else None


def _line_of(text: str, key: str, occurrence: int = 0) -> int | None:
    """Line number (1-based) where `key =` or `[key]` is written, for error messages."""
    pattern = re.compile(rf"^\s*(\[\[?\s*{re.escape(key)}\s*\]\]?|{re.escape(key)}\s*=)", re.M)
    matches = list(pattern.finditer(text))
    if len(matches) > occurrence:
        return text.count("\n", 0, matches[occurrence].start()) + 1
    return None


class _Reader:
    """Typed access to TOML tables, raising PlanError with the key's line."""

    def __init__(self, text: str, source: str):
        self.text = text
        self.source = source

    def where(self, key: str, occurrence: int = 0) -> Said | str:
        line = _line_of(self.text, key, occurrence)
        return said(N_("{file}, line {line}"), file=self.source, line=line) if line else self.source

    def fail(self, key: str, message: Said, occurrence: int = 0) -> PlanError:
        return PlanError(said(N_("{where}: {key}: {problem}"), where=self.where(key.split(".")[-1], occurrence), key=key,
                              problem=message))

    def get(self, table: dict, key: str, path: str, kind: type | tuple, *, required=True, default=None, occurrence=0):
        if key not in table:
            if required:
                raise PlanError(said(N_("{where}: {key}: missing; add `{name} = …`"),
                                     where=self.where(path.split(".")[0], occurrence), key=path, name=key))
            return default
        value = table[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise self.fail(path, said(N_("expected {kind}, got {value}"), kind=names, value=repr(value)), occurrence)
        return value


def _parse_time(reader: _Reader, value: Any, path: str, occurrence: int) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value.strip())
        except ValueError:
            pass
    raise reader.fail(path, said(N_('expected a time like "08:30", got {value}'), value=repr(value)), occurrence)


def _parse_date(reader: _Reader, value: Any, path: str, occurrence: int) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise reader.fail(path, said(N_('expected a date like "2021-10-16", got {value}'), value=repr(value)), occurrence)


def _parse_rooms(reader: _Reader, raw: Any, key: str, default_kind: str) -> tuple[Room, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise reader.fail(key, said(N_("expected a list of tables: [[{key}]]"), key=key))
    rooms = []
    for index, item in enumerate(raw):
        path = f"{key}[{index}]"
        room_id = str(reader.get(item, "id", f"{path}.id", (str, int), occurrence=index)).strip()
        if not room_id:
            raise reader.fail(f"{path}.id", said(N_("must not be empty")), index)
        name = reader.get(item, "name", f"{path}.name", str, required=False, default=room_id, occurrence=index)
        capacity = reader.get(item, "capacity", f"{path}.capacity", int, required=default_kind != "regular", occurrence=index)
        if capacity is not None and capacity < 1:
            raise reader.fail(f"{path}.capacity", said(N_("must be at least 1")), index)
        kind = reader.get(item, "kind", f"{path}.kind", str, required=False, default=default_kind, occurrence=index)
        if kind not in ROOM_KINDS:
            raise reader.fail(f"{path}.kind", said(N_("must be one of {choices}, got {value}"), choices=", ".join(ROOM_KINDS),
                                                  value=repr(kind)), index)
        rooms.append(Room(canonical_room(room_id), name, capacity, kind))
    return tuple(rooms)


def parse_plan(text: str, source: str = "plan") -> Plan:
    """Parse plan TOML text; raise PlanError naming the key and line on any problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(said(N_("{file}: not valid TOML: {detail}"), file=source, detail=exc)) from None
    reader = _Reader(text, source)
    exam = reader.get(data, "exam", "exam", dict)
    exam_name = reader.get(exam, "name", "exam.name", str).strip()
    site = reader.get(exam, "site", "exam.site", str).strip()
    timezone = reader.get(exam, "timezone", "exam.timezone", str, required=False, default="Asia/Shanghai")
    language = reader.get(exam, "language", "exam.language", str, required=False)
    if language is not None and not language.strip().lower().startswith(("zh", "en")):
        raise reader.fail("exam.language", said(N_('unknown language {value}: use "zh-CN" or "en"'), value=repr(language)))

    policy = reader.get(data, "policy", "policy", dict, required=False, default={"preset": "standard"})
    preset = reader.get(policy, "preset", "policy.preset", str, required=False)
    policy_path = reader.get(policy, "path", "policy.path", str, required=False)
    if preset is None and policy_path is None:
        raise reader.fail("policy", said(N_('set preset = "standard" or "covid-2021", or path = "my_policy.toml"')))

    approval = reader.get(data, "approval", "approval", dict, required=False, default={"levels": ["chief"]})
    levels = reader.get(approval, "levels", "approval.levels", list)
    if not levels or not all(isinstance(level, str) and level.strip() for level in levels):
        raise reader.fail("approval.levels", said(N_('expected a non-empty list of names, e.g. ["chief", "deputy"]')))
    if len(set(levels)) != len(levels):
        raise reader.fail("approval.levels", said(N_("a level is listed twice")))

    raw_sessions = reader.get(data, "sessions", "sessions", list)
    if not raw_sessions:
        raise reader.fail("sessions", said(N_("the plan needs at least one [[sessions]] table")))
    sessions = []
    for index, item in enumerate(raw_sessions):
        path = f"sessions[{index}]"
        if not isinstance(item, dict):
            raise reader.fail("sessions", said(N_("expected [[sessions]] tables")))
        session_id = reader.get(item, "id", f"{path}.id", str, occurrence=index).strip()
        name = reader.get(item, "name", f"{path}.name", str, required=False, default=session_id, occurrence=index)
        date = _parse_date(reader, reader.get(item, "date", f"{path}.date", (str, dt.date), occurrence=index), f"{path}.date", index)
        start = _parse_time(reader, reader.get(item, "start", f"{path}.start", (str, dt.time), occurrence=index), f"{path}.start", index)
        end = _parse_time(reader, reader.get(item, "end", f"{path}.end", (str, dt.time), occurrence=index), f"{path}.end", index)
        late = reader.get(item, "late_entry_minutes", f"{path}.late_entry_minutes", int, required=False, default=30, occurrence=index)
        opens = reader.get(item, "entry_opens_minutes", f"{path}.entry_opens_minutes", int, required=False, default=45, occurrence=index)
        if not 0 <= opens <= 240:
            raise reader.fail(f"{path}.entry_opens_minutes", said(N_("must be between 0 and 240")), index)
        if end <= start:
            raise reader.fail(f"{path}.end", said(N_("ends ({end}) before it starts ({start})"), end=f"{end:%H:%M}", start=f"{start:%H:%M}"),
                              index)
        if not 0 <= late <= 240:
            raise reader.fail(f"{path}.late_entry_minutes", said(N_("must be between 0 and 240")), index)
        early = reader.get(item, "early_leave_minutes", f"{path}.early_leave_minutes", int, required=False, occurrence=index)
        length = (dt.datetime.combine(date, end) - dt.datetime.combine(date, start)) // dt.timedelta(minutes=1)
        if early is not None and not late <= early <= length:
            raise reader.fail(f"{path}.early_leave_minutes", said(
                N_("must be between late_entry_minutes ({late}: no one leaves while a late candidate may still come in) "
                   "and the paper's length ({length})"), late=late, length=length), index)
        sessions.append(Session(session_id, name, date, start, end, late, opens, early))
    ids = [s.id for s in sessions]
    if len(set(ids)) != len(ids):
        raise reader.fail("sessions", said(N_("two sessions share an id: {ids}"), ids=ids))

    rooms = _parse_rooms(reader, data.get("rooms"), "rooms", "regular")
    backup_rooms = _parse_rooms(reader, data.get("backup_rooms"), "backup_rooms", "backup")
    for room in backup_rooms:
        if room.kind == "regular":
            raise reader.fail("backup_rooms", said(N_("room {room}: kind must be backup or isolation"), room=room.id))
    all_ids = [r.id for r in rooms + backup_rooms]
    if len(set(all_ids)) != len(all_ids):
        raise reader.fail("backup_rooms", said(N_("two rooms share an id: {ids}"), ids=all_ids))

    return Plan(
        exam_name=exam_name,
        site=site,
        sessions=tuple(sessions),
        approval_levels=tuple(level.strip() for level in levels),
        policy_preset=preset,
        policy_path=policy_path,
        rooms=rooms,
        backup_rooms=backup_rooms,
        timezone=timezone,
        language=language.strip() if language else None,
        source_text=text,
    )
