"""Tables: one schema for SQLite and PostgreSQL (SQLAlchemy Core).

`events` is the append-only source of truth. `admissions` is its uniqueness
guard: a row is written in the same transaction as the admission event, and
its primary key makes a second admission of one candidate impossible.
Roster tables (candidates, seats, rooms, sessions) are reference data that a
corrected roster may update; nothing about a candidate's day lives there.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# SQLite only aliases rowid for INTEGER PRIMARY KEY; PostgreSQL gets BIGINT identity.
_Position = BigInteger().with_variant(Integer(), "sqlite")

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("applied_at", String(40), nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

site_secrets = Table(
    "site_secrets",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)
"""What the lanes' login may not read on PostgreSQL: the chief's PIN hash and its refusal count."""

sessions = Table(
    "sessions",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", Text, nullable=False),
    Column("date", String(10), nullable=False),
    Column("start", String(5), nullable=False),
    Column("end", String(5), nullable=False),
    Column("late_entry_minutes", Integer, nullable=False),
)

rooms = Table(
    "rooms",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", Text, nullable=False),
    Column("capacity", Integer),
    Column("kind", String(20), nullable=False),
)

candidates = Table(
    "candidates",
    metadata,
    Column("ticket", String(32), primary_key=True),
    Column("name", Text, nullable=False),
    Column("id_number", String(18), nullable=False),
    Column("id_tail", String(6), nullable=False),
    Column("sex", String(1)),
    Column("site", Text),
    sqlite_with_rowid=False,  # the ticket is the key: no second b-tree for a rowid
)

seats = Table(
    "seats",
    metadata,
    Column("session_id", String(40), nullable=False),
    Column("ticket", String(32), nullable=False),
    Column("room_id", String(40), nullable=False),
    Column("seat", Integer, nullable=False),
    PrimaryKeyConstraint("session_id", "ticket"),
    sqlite_with_rowid=False,
)

events = Table(
    "events",
    metadata,
    Column("pos", _Position, primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("kind", String(40), nullable=False),
    Column("at", String(32), nullable=False),
    Column("device", String(120), nullable=False),
    Column("device_seq", Integer, nullable=False),
    Column("session_id", String(40)),
    Column("ticket", String(32)),
    Column("lane", String(60)),
    Column("staff", String(120)),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("signer", String(60)),  # the device's public key; NULL on events written before signing
    Column("signature", String(100)),
    UniqueConstraint("device", "device_seq", name="uq_events_device_seq"),
)

admissions = Table(
    "admissions",
    metadata,
    Column("session_id", String(40), nullable=False),
    Column("ticket", String(32), nullable=False),
    Column("slot", Integer, nullable=False),
    Column("event_id", String(36), nullable=False, unique=True),
    PrimaryKeyConstraint("session_id", "ticket", "slot"),
)

# Registration photos, one per candidate, as the exam office's pack gave them (JPEG or PNG bytes).
# Not keyed to `candidates` by a foreign key: a corrected roster may drop and re-add a ticket.
# A rowid table on SQLite: rows of tens of kilobytes belong out of a WITHOUT ROWID b-tree.
photos = Table(
    "photos",
    metadata,
    Column("ticket", String(32), primary_key=True),
    Column("format", String(8), nullable=False),  # "jpeg" or "png"
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("digest", String(64), nullable=False),  # SHA-256 of `data`, as the log records it
    Column("source", Text, nullable=False),  # the pack entry it came from
    Column("data", LargeBinary, nullable=False),
)

# Secondary indexes (unique ones included) are dropped during a bulk roster load and
# built again afterwards: building from all rows at once is several times faster.
ROSTER_INDEXES = (
    Index("uq_candidates_id_number", candidates.c.id_number, unique=True),
    Index("uq_seats_place", seats.c.session_id, seats.c.room_id, seats.c.seat, unique=True),
    Index("ix_candidates_name", candidates.c.name),
    Index("ix_candidates_id_tail", candidates.c.id_tail),
)
EVENT_INDEXES = (
    Index("ix_events_subject", events.c.session_id, events.c.ticket),
    Index("ix_events_kind", events.c.kind, events.c.session_id),
    Index("ix_events_lane", events.c.lane, events.c.pos),
)
