"""The `site_secrets` table: the chief's PIN hash and its refusal count, apart from `settings`.

On PostgreSQL the lanes' login may not read this table. A lane checks a PIN
through two functions that run as the store's owner (made by the migration):
`examops_pin_salt()` gives the hash's parameters and salt, never the hash;
`examops_pin_try(digest)` compares the digest the lane computed, counts a
wrong one and enforces the back-off with the server's clock, so a lane login
calling it directly cannot guess faster than the chief's own tries.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select, text

from examops.adapters.store.schema import site_secrets

PIN_HASH = "chief_pin_hash"
REFUSED_IN_ROW = "pin_refused_in_row"
REFUSED_AT = "pin_refused_at"
KEYS = (PIN_HASH, REFUSED_IN_ROW, REFUSED_AT)


def read_statement(key: str):  # noqa: ANN201 - a Select
    """One secret's value: compiled for the SQLite import without SQLAlchemy too (`store.compiled`, the PIN hash)."""
    return select(site_secrets.c.value).where(site_secrets.c.key == key)


def read_secret(conn: Connection, key: str) -> str | None:
    return conn.execute(read_statement(key)).scalar()


def put_secret(conn: Connection, key: str, value: str) -> None:
    conn.execute(delete(site_secrets).where(site_secrets.c.key == key))
    conn.execute(insert(site_secrets).values(key=key, value=value))


def forget_all(conn: Connection) -> None:
    """Empty the table (a lane's cache keeps no PIN hash, even one an older version copied there)."""
    conn.execute(delete(site_secrets))


def readable(conn: Connection) -> bool:
    """Whether this login may read the secrets (always on SQLite; the owner, not the lane role, on PostgreSQL)."""
    if conn.dialect.name != "postgresql":
        return True
    return bool(conn.exec_driver_sql("SELECT has_table_privilege('site_secrets', 'SELECT')").scalar())


def pin_salt(conn: Connection) -> str | None:
    """`scrypt$N$r$p$salt` of the stored PIN hash, through the owner's function (PostgreSQL)."""
    return conn.execute(text("SELECT examops_pin_salt()")).scalar()


def pin_try(conn: Connection, digest_b64: str) -> tuple[str, int, int]:
    """("ok" | "wrong" | "wait", wrong PINs in a row, seconds to wait), from the owner's function (PostgreSQL)."""
    answer = conn.execute(text("SELECT examops_pin_try(:digest)"), {"digest": digest_b64}).scalar()
    verdict, refused, wait = (answer or "wrong:0:0").split(":")
    return verdict, int(refused), int(wait)


def pg_functions(schema: str, free_guesses: int, max_delay: int) -> list[str]:
    """The two functions, bound to the store's schema (a SECURITY DEFINER function must not follow a caller's path)."""
    path = f'SET search_path = "{schema}", pg_temp'
    return [
        f"""CREATE OR REPLACE FUNCTION examops_pin_salt() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER {path} AS $$
            SELECT array_to_string((string_to_array(value, '$'))[1:5], '$') FROM site_secrets WHERE key = '{PIN_HASH}'
        $$""",
        f"""CREATE OR REPLACE FUNCTION examops_pin_try(digest text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
        DECLARE
            refused integer := coalesce((SELECT value::integer FROM site_secrets WHERE key = '{REFUSED_IN_ROW}'), 0);
            last_at double precision := coalesce((SELECT value::double precision FROM site_secrets WHERE key = '{REFUSED_AT}'), 0);
            now_s double precision := extract(epoch FROM clock_timestamp());
            stored text := (SELECT value FROM site_secrets WHERE key = '{PIN_HASH}');
            wait double precision;
        BEGIN
            wait := (CASE WHEN refused < {free_guesses} THEN 0
                          ELSE least({max_delay}, 2 ^ (refused - {free_guesses} + 1)) END) - (now_s - last_at);
            IF wait > 0 THEN
                RETURN 'wait:' || refused || ':' || ceil(wait)::integer;
            END IF;
            IF stored IS NOT NULL AND digest IS NOT NULL AND (string_to_array(stored, '$'))[6] = digest THEN
                DELETE FROM site_secrets WHERE key = '{REFUSED_IN_ROW}';
                INSERT INTO site_secrets (key, value) VALUES ('{REFUSED_IN_ROW}', '0');
                RETURN 'ok:0:0';
            END IF;
            DELETE FROM site_secrets WHERE key IN ('{REFUSED_IN_ROW}', '{REFUSED_AT}');
            INSERT INTO site_secrets (key, value) VALUES ('{REFUSED_IN_ROW}', (refused + 1)::text), ('{REFUSED_AT}', now_s::text);
            RETURN 'wrong:' || (refused + 1) || ':0';
        END
        $$""",
    ]
