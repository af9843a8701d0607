"""The lanes' own PostgreSQL login: it may add events and read the roster, never change the log or read the PIN hash.

Append-only is then the database's rule, not only examops': the role gets
SELECT on what a lane reads, INSERT on `events` and `admissions` (and the
sequence that numbers events), EXECUTE on the two PIN functions, and nothing
on `site_secrets`; no UPDATE, DELETE or TRUNCATE anywhere. Granting is
idempotent, so `init` run again after an upgrade re-grants new tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

LANE_READS = ("schema_migrations", "settings", "sessions", "rooms", "candidates", "seats", "photos", "events", "admissions")
LANE_INSERTS = ("events", "admissions")
LANE_FUNCTIONS = ("examops_pin_salt()", "examops_pin_try(text)")
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
INSUFFICIENT_PRIVILEGE = "42501"


@dataclass
class LaneRole:
    name: str
    created: bool = False
    granted: bool = False
    refused: str | None = None
    """Why the connecting login could not create the role (then `admin_sql` is what an administrator runs)."""
    admin_sql: str = ""


def _quoted(name: str) -> str:
    if not ROLE_NAME.match(name):
        raise ValueError(f"{name!r} is not a plain role name (lower-case letters, digits and _, up to 63)")
    return f'"{name}"'


def grants(role: str, schema: str, sequence: str) -> list[str]:
    """The statements that make `role` a lane of the store in `schema` (`sequence` numbers its events)."""
    who, where = _quoted(role), f'"{schema}"'
    return [
        f"GRANT USAGE ON SCHEMA {where} TO {who}",
        f"GRANT SELECT ON {', '.join(f'{where}.{t}' for t in LANE_READS)} TO {who}",
        f"GRANT INSERT ON {', '.join(f'{where}.{t}' for t in LANE_INSERTS)} TO {who}",
        f"GRANT USAGE ON SEQUENCE {sequence} TO {who}",
        f"REVOKE ALL ON {where}.site_secrets FROM {who}",
        f"GRANT EXECUTE ON FUNCTION {', '.join(f'{where}.{f}' for f in LANE_FUNCTIONS)} TO {who}",
    ]


def ensure_lane_role(engine: Engine, role: str, password: str) -> LaneRole:
    """Create `role` (LOGIN, `password`) unless it exists, and grant it a lane's rights on this store's schema."""
    result = LaneRole(role)
    quoted = _quoted(role)
    with engine.connect() as conn:
        schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
        sequence = conn.exec_driver_sql("SELECT pg_get_serial_sequence('events', 'pos')").scalar()
        exists = conn.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %(r)s", {"r": role}).scalar()
        conn.rollback()
        if not exists:
            try:
                with conn.begin():
                    conn.exec_driver_sql(f"CREATE ROLE {quoted} LOGIN PASSWORD '{password}'")
                result.created = True
            except DBAPIError as exc:
                if getattr(exc.orig, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
                    raise
                result.refused = str(exc.orig).strip().splitlines()[0]
                result.admin_sql = f"CREATE ROLE {quoted} LOGIN PASSWORD '…';"
                return result
        with conn.begin():
            for statement in grants(role, schema, sequence):
                conn.exec_driver_sql(statement)
        result.granted = True
    return result
