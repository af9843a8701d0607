"""Counting client↔server round trips on the wire: a TCP relay in front of a PostgreSQL server.

A round trip is what the client sends and then waits on: a simple Query ('Q'), a Sync ('S') closing an
extended-protocol batch (Parse/Bind/Execute), or a FunctionCall ('F'). BEGIN, COMMIT, ROLLBACK, a pool's
pre-ping and psycopg's own prepares are round trips like any other, so nothing a driver or a pool does
between the lane and the server escapes the count. The relay speaks no TLS: give the client sslmode=disable.
"""

from __future__ import annotations

import socket
import struct
import threading
from dataclasses import dataclass, field

from sqlalchemy import make_url

_UNTYPED_CODES = (80877103, 80877104)  # SSLRequest, GSSENCRequest: answered with one byte, then the startup message
_ROUND_TRIPS = (b"Q", b"S", b"F")


@dataclass
class Trip:
    """One round trip: the SQL it carried (a Parse's text, or what a named prepared statement was parsed from)."""

    connection: int
    sql: str


@dataclass
class WireCounter:
    """A relay on 127.0.0.1 to `target` (host, port); `trips` lists every round trip any client made through it."""

    target: tuple[str, int]
    trips: list[Trip] = field(default_factory=list)
    connections: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @classmethod
    def for_url(cls, url: str) -> tuple["WireCounter", str]:
        """A relay to the server of `url` and the same URL through the relay (TLS off)."""
        parsed = make_url(url)
        relay = cls((parsed.host or "127.0.0.1", parsed.port or 5432))
        relayed = parsed.set(host="127.0.0.1", port=relay.port).update_query_dict({"sslmode": "disable"})
        return relay, relayed.render_as_string(hide_password=False)

    def mark(self) -> int:
        with self._lock:
            return len(self.trips)

    def since(self, mark: int) -> list[Trip]:
        with self._lock:
            return list(self.trips[mark:])

    def close(self) -> None:
        self._closed = True
        self._listener.close()

    # -- relaying ------------------------------------------------------------
    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self.connections += 1
                number = self.connections
            threading.Thread(target=self._frontend, args=(client, server, number), daemon=True).start()
            threading.Thread(target=self._copy, args=(server, client), daemon=True).start()

    @staticmethod
    def _copy(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _frontend(self, client: socket.socket, server: socket.socket, number: int) -> None:
        """Relay the client's messages, noting each round trip; the startup packets carry no type byte."""
        buffer, untyped, names, pending = b"", True, {}, ""
        try:
            while data := client.recv(65536):
                server.sendall(data)
                buffer += data
                while True:
                    if untyped:
                        if len(buffer) < 8:
                            break
                        length, code = struct.unpack("!ii", buffer[:8])
                        if len(buffer) < length:
                            break
                        buffer, untyped = buffer[length:], code in _UNTYPED_CODES
                        continue
                    if len(buffer) < 5:
                        break
                    kind, length = buffer[:1], struct.unpack("!i", buffer[1:5])[0]
                    if len(buffer) < 1 + length:
                        break
                    body, buffer = buffer[5:1 + length], buffer[1 + length:]
                    if kind == b"P":  # Parse: statement name, query text
                        name, _, rest = body.partition(b"\0")
                        text = rest.partition(b"\0")[0].decode(errors="replace")
                        names[name], pending = text, text
                    elif kind == b"B":  # Bind: portal name, statement name
                        statement = body.partition(b"\0")[2].partition(b"\0")[0]
                        pending = pending or names.get(statement, f"<prepared {statement.decode(errors='replace')}>")
                    elif kind == b"Q":
                        pending = body.rstrip(b"\0").decode(errors="replace")
                    if kind in _ROUND_TRIPS:
                        with self._lock:
                            self.trips.append(Trip(number, pending or kind.decode()))
                        pending = ""
        except OSError:
            pass
        finally:
            for sock in (client, server):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
