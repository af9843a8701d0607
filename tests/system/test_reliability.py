"""Reliability at the gate: racing lanes, killed lanes, full and read-only disks, scanner garbage.

Lanes run as real OS processes (`examops check --stdin`) against one store,
the way a test centre runs them. Faults are real where this machine allows:
a small tmpfs for a full disk, a read-only bind mount for a read-only one.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from examops.adapters.store import schema
from examops.domain.events import Kind
from examops.domain.scan import ticket_qr_payload
from examops.services.audit import verify
from examops.services.gate import Lane
from examops.services.site import Site, init_site
from tests.conftest import SAMPLE_PLAN, TEST_PIN, seed_roster

EXAMOPS = Path(sys.executable).parent / "examops"
NAIVE_LANE = Path(__file__).resolve().parents[1] / "support" / "naive_checkin.py"
LANES = ("L1", "L2", "L3", "L4")
WARM_UP = "-"  # an invalid scan: answered without touching the store, so it proves the lane is up
PROCESS_TIMEOUT = 60
UNKNOWN_TICKET = "211599999999"  # on nobody's ticket: recorded as an unknown scan, the lane's write path warmed


def examops_lane(url: str, lane: str) -> list[str]:
    return [str(EXAMOPS), "--db", url, "check", "--stdin", "--lane", lane, "--staff", f"staff-{lane}", "--session", "S1", "--json"]


def naive_lane(url: str, lane: str) -> list[str]:
    return [sys.executable, str(NAIVE_LANE), "--db", url, "--lane", lane, "--staff", f"staff-{lane}", "--session", "S1"]


def run_examops(url: str, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(EXAMOPS), "--db", url, *args], input=input, capture_output=True, timeout=PROCESS_TIMEOUT)


def verify_rc(url: str) -> tuple[int, str]:
    done = run_examops(url, "verify", "--json")
    return done.returncode, done.stdout.decode() + done.stderr.decode()


def wait_for(condition, timeout: float = PROCESS_TIMEOUT) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def count(site: Site, table, *where) -> int:
    with site.store.read() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def stored_ids(site: Site) -> tuple[set[str], set[str]]:
    """Event ids in the log, and event ids the admissions guard points at."""
    with site.store.read() as conn:
        events = {row[0] for row in conn.execute(select(schema.events.c.id))}
        guarded = {row[0] for row in conn.execute(select(schema.admissions.c.event_id))}
    return events, guarded


def admitted_events_per_ticket(site: Site, tickets: list[str] | None = None) -> Counter:
    """Admission events in the log per ticket (of `tickets`, or of everyone) in session S1."""
    E = schema.events
    query = select(E.c.ticket).where(E.c.kind == Kind.ADMITTED, E.c.session_id == "S1")
    if tickets is not None:
        query = query.where(E.c.ticket.in_(tickets))
    with site.store.read() as conn:
        return Counter(row[0] for row in conn.execute(query))


# -- four lanes racing over the same tickets ---------------------------------------


@dataclass
class RaceOutcome:
    """What the lanes printed and what the store holds after they all scanned the same tickets."""

    tickets: list[str]
    lines: dict[str, list[dict]]
    exit_codes: dict[str, int]
    stderr: dict[str, str]
    admitted_in_store: Counter
    admissions_rows: int

    @property
    def verdicts(self) -> Counter:
        return Counter(line["verdict"] for lines in self.lines.values() for line in lines)

    @property
    def admitted_in_output(self) -> Counter:
        return Counter(line["ticket"] for lines in self.lines.values() for line in lines if line["verdict"] == "admitted")

    def admitted_more_than_once(self) -> dict[str, int]:
        """Tickets that more than one lane admitted, by their output or by the store."""
        said = {t: n for t, n in self.admitted_in_output.items() if n > 1}
        stored = {t: n for t, n in self.admitted_in_store.items() if n > 1}
        return {t: max(said.get(t, 0), stored.get(t, 0)) for t in said.keys() | stored.keys()}


def race_lanes(url: str, tickets: list[str], command, *, seed: int) -> RaceOutcome:  # noqa: ANN001
    """Start one process per lane, wait until all are up, then feed each the tickets in its own order."""
    rng = random.Random(seed)
    procs = {lane: subprocess.Popen(command(url, lane), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE) for lane in LANES}
    try:
        for proc in procs.values():
            proc.stdin.write(f"{WARM_UP}\n".encode())
            proc.stdin.flush()
        for lane, proc in procs.items():
            ready = proc.stdout.readline()
            assert json.loads(ready)["verdict"] == "invalid", (lane, ready, proc.stderr.read() if not ready else "")
        orders = {lane: rng.sample(tickets, len(tickets)) for lane in LANES}
        for lane, proc in procs.items():  # a few hundred bytes each: the pipes take them at once
            proc.stdin.write("".join(f"{t}\n" for t in orders[lane]).encode())
            proc.stdin.flush()
        for proc in procs.values():
            proc.stdin.close()
        lines, exit_codes, stderr = {}, {}, {}
        for lane, proc in procs.items():
            out, err = proc.stdout.read(), proc.stderr.read()  # each lane's output fits in its pipe
            exit_codes[lane], stderr[lane] = proc.wait(timeout=PROCESS_TIMEOUT), err.decode()
            lines[lane] = [json.loads(line) for line in out.decode().splitlines()]
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    site = Site.open(url, check=False)
    try:
        outcome = RaceOutcome(tickets, lines, exit_codes, stderr, admitted_events_per_ticket(site, tickets),
                              count(site, schema.admissions, schema.admissions.c.ticket.in_(tickets)))
    finally:
        site.close()
    return outcome


@pytest.mark.slow
def test_four_lanes_racing_admit_each_ticket_exactly_once(seeded_site):
    url = seeded_site.store.url
    tickets = [p.ticket for p in seeded_site.people[:60]]
    outcome = race_lanes(url, tickets, examops_lane, seed=1016)

    assert outcome.exit_codes == dict.fromkeys(LANES, 0), outcome.stderr
    assert all(len(outcome.lines[lane]) == len(tickets) for lane in LANES)
    assert outcome.admitted_more_than_once() == {}
    assert outcome.admitted_in_output == Counter(dict.fromkeys(tickets, 1))
    assert outcome.verdicts == Counter(admitted=len(tickets), duplicate=len(tickets) * (len(LANES) - 1))
    assert all(line["recorded"] and line["event_id"] for lines in outcome.lines.values() for line in lines)
    assert outcome.admissions_rows == len(tickets)
    assert outcome.admitted_in_store == Counter(dict.fromkeys(tickets, 1))
    rc, report = verify_rc(url)
    assert rc == 0, report


@pytest.mark.slow
def test_race_harness_catches_a_check_then_insert_lane(site):
    """The naive lane admits tickets twice (about seven in a round here); the same check must say so."""
    people = seed_roster(site, n_rooms=6)
    doubles: dict[str, int] = {}
    for round_no in range(3):  # fresh tickets each round; one round is nearly always enough
        tickets = [p.ticket for p in people[round_no * 60:(round_no + 1) * 60]]
        outcome = race_lanes(site.store.url, tickets, naive_lane, seed=round_no)
        assert outcome.exit_codes == dict.fromkeys(LANES, 0), outcome.stderr
        doubles = outcome.admitted_more_than_once()
        if doubles:
            break
    assert doubles, "four naive lanes never admitted a ticket twice: the harness cannot see the race"


# -- a lane killed at random moments -------------------------------------------------


class LaneProcess:
    """`examops check --stdin` with a thread collecting its JSON lines as they arrive."""

    def __init__(self, url: str, lane: str):
        self.proc = subprocess.Popen(examops_lane(url, lane), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.lines: list[dict] = []
        self.first_line = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for raw in self.proc.stdout:
            if raw.endswith(b"\n"):  # a line cut short by the kill was never printed
                self.lines.append(json.loads(raw))
                self.first_line.set()

    def feed(self, scans: list[str], rng: random.Random) -> None:
        """Write scans one line at a time, as a scanner would; stop quietly once the lane is dead."""
        try:
            for scan in scans:
                self.proc.stdin.write(f"{scan}\n".encode())
                self.proc.stdin.flush()
                time.sleep(rng.uniform(0, 0.002))
        except (BrokenPipeError, ValueError):
            pass

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.finish()

    def finish(self) -> str:
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        self.proc.wait(timeout=PROCESS_TIMEOUT)
        self._reader.join(timeout=PROCESS_TIMEOUT)
        return self.proc.stderr.read().decode()


def assert_printed_scans_are_stored(site: Site, printed: list[dict]) -> None:
    events, guarded = stored_ids(site)
    for line in printed:
        if line["verdict"] == "invalid":
            continue
        assert line["recorded"] and line["event_id"] in events, line
        if line["verdict"] == "admitted":
            assert line["event_id"] in guarded, line


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_no_printed_scan(seeded_site):
    """A verdict that was printed survives the kill; nothing is admitted twice across restarts."""
    url = seeded_site.store.url
    rng = random.Random(20211016)
    tickets = [p.ticket for p in seeded_site.people[:50]]
    scans = tickets + rng.sample(tickets, 25) + ["211500000000", seeded_site.people[3].id_number, "garbage!"]
    rng.shuffle(scans)
    pending, printed_all, kills, cut_short = list(scans), [], 0, 0
    for round_no in range(8):
        lane = LaneProcess(url, "K")
        chunk = pending[:20]
        starting = round_no % 3 == 0
        if not starting:  # the lane is up, has written once and is idle, so the scans come at a scanner's pace
            lane.feed([UNKNOWN_TICKET], rng)
            assert lane.first_line.wait(PROCESS_TIMEOUT), lane.finish()
        writer = threading.Thread(target=lane.feed, args=(chunk, rng))
        writer.start()
        if starting:
            time.sleep(rng.uniform(0.0, 0.3))  # sometimes while it is still starting up
        else:  # while it is answering: once the chunk's first answer is out
            wait_for(lambda: len(lane.lines) >= 2 or not writer.is_alive())
            time.sleep(rng.uniform(0.0, 0.01))
        lane.kill()
        writer.join()
        kills += 1
        printed = lane.lines if starting else lane.lines[1:]
        assert len(printed) <= len(chunk)
        assert_printed_scans_are_stored(seeded_site, printed)
        rc, report = verify_rc(url)
        assert rc == 0, report
        printed_all += printed
        cut_short += 0 < len(printed) < len(chunk)
        pending = pending[len(printed):]  # the clerk re-scans whoever got no answer
    lane = LaneProcess(url, "K")
    lane.feed(pending, rng)
    stderr = lane.finish()
    assert lane.proc.returncode == 0, stderr
    assert len(lane.lines) == len(pending)
    printed_all += lane.lines
    assert_printed_scans_are_stored(seeded_site, printed_all)

    assert kills == 8 and len(printed_all) == len(scans)
    assert cut_short >= 2, "the kills should land while the lane is answering, not only before or after"
    said_admitted = Counter(line["ticket"] for line in printed_all if line["verdict"] == "admitted")
    assert max(said_admitted.values()) == 1
    in_store = admitted_events_per_ticket(seeded_site)
    assert in_store == Counter(dict.fromkeys(tickets, 1)), "every ticket admitted exactly once in the end"
    assert count(seeded_site, schema.admissions) == len(tickets)
    rc, report = verify_rc(url)
    assert rc == 0, report


# -- a full disk, a read-only store ---------------------------------------------------


def store_counts(site: Site) -> tuple[int, int]:
    return count(site, schema.events), count(site, schema.admissions)


@contextmanager
def mounted(target: Path, *mount_args: str):
    """Mount something at `target` for the test; skip where this machine does not let us mount."""
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", *mount_args, str(target)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here ({done.stderr.strip() or done.returncode}): needs root in a container that allows mounts")
    try:
        yield target
    finally:
        if subprocess.run(["umount", str(target)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(target)], capture_output=True)


def remount(target: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode},bind", str(target)], check=True, capture_output=True)


@contextmanager
def disk_filled(disk: Path):
    """Fill the filesystem at `disk` to the last byte; free it again on exit."""
    filler = disk / "filler"
    try:
        with open(filler, "wb") as out:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
    except OSError as exc:
        assert exc.errno == 28, exc  # ENOSPC
    try:
        yield
    finally:
        filler.unlink()


@pytest.fixture
def small_disk_site(tmp_path):
    """A seeded SQLite store alone on a 2 MB tmpfs, its WAL checkpointed to nothing (so a write must grow it)."""
    with mounted(tmp_path / "disk", "-t", "tmpfs", "-o", "size=2m", "tmpfs") as disk:
        site = init_site(SAMPLE_PLAN, url=f"sqlite:///{disk / 'store.sqlite3'}", chief_pin=TEST_PIN)
        site.people = seed_roster(site)
        with site.store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        site.disk = disk
        yield site
        site.close()


@pytest.fixture
def read_only_view(tmp_path):
    """A seeded SQLite store held open read-write (as running lanes hold it) and the same files through a read-only bind mount."""
    rw_dir = tmp_path / "rw"
    rw_dir.mkdir()
    site = init_site(SAMPLE_PLAN, url=f"sqlite:///{rw_dir / 'store.sqlite3'}", chief_pin=TEST_PIN)
    site.people = seed_roster(site)
    with mounted(tmp_path / "ro", "--bind", str(rw_dir)) as view:
        remount(view, "ro")
        site.read_only_url = f"sqlite:///{view / 'store.sqlite3'}"
        site.view = view
        yield site
        site.close()  # SQLite keeps a closed file open while the same file has other connections in this process


def test_full_disk_lane_says_not_recorded_leaves_nothing_and_recovers(small_disk_site):
    site, person = small_disk_site, small_disk_site.people[0]
    lane = Lane(site, "A", "s")
    before = store_counts(site)
    with disk_filled(site.disk):
        verdict = lane.check(person.ticket, session_id="S1")
        assert (verdict.verdict, verdict.recorded, verdict.event_id) == ("not_recorded", False, None)
        assert "disk is full" in verdict.reason
        unknown = lane.check("211599999999", session_id="S1")
        assert (unknown.verdict, unknown.recorded) == ("unknown", False) and "NOT RECORDED" in unknown.reason
        assert store_counts(site) == before
    again = lane.check(person.ticket, session_id="S1")
    assert (again.verdict, again.recorded) == ("admitted", True)
    assert store_counts(site) == (before[0] + 1, before[1] + 1)
    assert verify(site).ok


def test_full_disk_through_the_cli(small_disk_site):
    site, people = small_disk_site, small_disk_site.people
    url = site.store.url
    before = store_counts(site)
    with disk_filled(site.disk):
        done = run_examops(url, "check", people[0].ticket, "--lane", "A", "--staff", "s", "--json")
        assert done.returncode == 3, done.stderr
        assert json.loads(done.stdout)["verdict"] == "not_recorded"
        assert store_counts(site) == before
    done = run_examops(url, "check", people[0].ticket, "--lane", "A", "--staff", "s", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["verdict"] == "admitted"

    lane = LaneProcess(url, "B")
    lane.feed([people[1].ticket], random.Random(0))
    assert lane.first_line.wait(PROCESS_TIMEOUT)
    with disk_filled(site.disk):
        lane.feed([people[2].ticket], random.Random(0))
        wait_for(lambda: len(lane.lines) == 2)
    lane.feed([people[2].ticket], random.Random(0))
    wait_for(lambda: len(lane.lines) == 3)
    stderr = lane.finish()
    assert [line["verdict"] for line in lane.lines] == ["admitted", "not_recorded", "admitted"]
    assert lane.proc.returncode == 3, stderr  # the run had a scan that was not recorded
    assert "Traceback" not in stderr
    assert store_counts(site) == (before[0] + 3, before[1] + 3)
    assert verify_rc(url)[0] == 0


def test_store_at_its_page_limit_records_nothing_half_way(tmp_path):
    """SQLITE_FULL from `max_page_count` (no mount needed): the admission that hits it leaves no trace."""
    site = init_site(SAMPLE_PLAN, url=f"sqlite:///{tmp_path / 'store.sqlite3'}", chief_pin=TEST_PIN)
    people = seed_roster(site)
    engine = site.store.engine
    with engine.connect() as conn:
        limit = conn.exec_driver_sql("PRAGMA page_count").scalar() + 2

    def page_limit(dbapi_connection, _record):  # noqa: ANN001
        dbapi_connection.execute(f"PRAGMA max_page_count={limit}")

    event.listen(engine, "connect", page_limit)
    engine.dispose()
    lane = Lane(site, "A", "s")
    for person in people:
        before = store_counts(site)
        verdict = lane.check(person.ticket, session_id="S1")
        if verdict.verdict == "not_recorded":
            break
        assert verdict.verdict == "admitted"
    else:
        pytest.fail(f"{len(people)} admissions fit in {limit} pages")
    assert "disk is full" in verdict.reason and not verdict.recorded
    assert store_counts(site) == before
    assert admitted_events_per_ticket(site, [person.ticket]) == Counter()
    event.remove(engine, "connect", page_limit)
    engine.dispose()
    assert lane.check(person.ticket, session_id="S1").verdict == "admitted"
    assert store_counts(site) == (before[0] + 1, before[1] + 1)
    assert verify(site).ok
    site.close()


def test_read_only_connection_says_not_recorded_and_recovers(seeded_site):
    """A connection that may not write (SQLite `query_only`, a PostgreSQL read-only session)."""
    site, person = seeded_site, seeded_site.people[0]
    engine = site.store.engine

    def read_only(dbapi_connection, _record):  # noqa: ANN001
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA query_only=ON" if site.store.is_sqlite else "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        cursor.close()
        if not site.store.is_sqlite:
            dbapi_connection.commit()

    event.listen(engine, "connect", read_only)
    engine.dispose()
    before = store_counts(site)
    verdict = Lane(site, "A", "s").check(person.ticket, session_id="S1")
    assert (verdict.verdict, verdict.recorded, verdict.event_id) == ("not_recorded", False, None)
    assert "read-only" in verdict.reason
    assert store_counts(site) == before
    event.remove(engine, "connect", read_only)
    engine.dispose()
    assert Lane(site, "A", "s").check(person.ticket, session_id="S1").verdict == "admitted"
    assert store_counts(site) == (before[0] + 1, before[1] + 1)
    assert verify(site).ok


def test_read_only_mount_lane_says_not_recorded_and_recovers_when_remounted(read_only_view):
    site, person = read_only_view, read_only_view.people[0]
    lane_site = Site.open(site.read_only_url, check=False)
    try:
        lane = Lane(lane_site, "A", "s")
        before = store_counts(site)
        verdict = lane.check(person.ticket, session_id="S1")
        assert (verdict.verdict, verdict.recorded) == ("not_recorded", False)
        assert "read-only" in verdict.reason
        assert store_counts(site) == before
        remount(site.view, "rw")
        again = lane.check(person.ticket, session_id="S1")  # the same open lane, no restart
        assert (again.verdict, again.recorded) == ("admitted", True), again.reason
        assert store_counts(site) == (before[0] + 1, before[1] + 1)
        assert verify(site).ok
    finally:
        lane_site.close()


def test_read_only_mount_through_the_cli(read_only_view):
    """A lane started on a read-only view of a live store: NOT RECORDED, exit 3; fine once it can write."""
    site, person = read_only_view, read_only_view.people[0]
    before = store_counts(site)
    done = run_examops(site.read_only_url, "check", person.ticket, "--lane", "A", "--staff", "s", "--json")
    assert done.returncode == 3, done.stderr
    out = json.loads(done.stdout)
    assert out["verdict"] == "not_recorded" and "read-only" in out["reason"]
    assert b"Traceback" not in done.stderr
    assert store_counts(site) == before
    remount(site.view, "rw")
    done = run_examops(site.read_only_url, "check", person.ticket, "--lane", "A", "--staff", "s", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["verdict"] == "admitted"
    assert verify_rc(site.store.url)[0] == 0


def test_read_only_store_nobody_has_open_fails_loudly(tmp_path):
    """With no live lane keeping its -wal/-shm files, a WAL store on read-only media cannot even be opened."""
    rw_dir = tmp_path / "rw"
    rw_dir.mkdir()
    site = init_site(SAMPLE_PLAN, url=f"sqlite:///{rw_dir / 'store.sqlite3'}", chief_pin=TEST_PIN)
    person = seed_roster(site)[0]
    before = store_counts(site)  # init's enrolment and digests
    site.close()
    with mounted(tmp_path / "ro", "--bind", str(rw_dir)) as view:
        remount(view, "ro")
        done = run_examops(f"sqlite:///{view / 'store.sqlite3'}", "check", person.ticket, "--lane", "A", "--staff", "s", "--json")
    assert done.returncode != 0
    assert done.stderr.startswith(b"examops: ") and b"Traceback" not in done.stderr
    site = Site.open(f"sqlite:///{rw_dir / 'store.sqlite3'}")
    assert store_counts(site) == before
    assert before[1] == 0
    site.close()


# -- scanner garbage through `check --stdin` -----------------------------------------

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def test_scanner_garbage_through_check_stdin(seeded_site):
    people = seeded_site.people
    garbage = [
        b"\x00\x01\x02\x03",
        b"abc\x1b[2J",
        b"\x07" + people[10].ticket.encode(),  # a real ticket behind a control character is not trusted
        b"x" * 10_000,
        b"9" * 10_000,
        b"\xff\xfe\xfa\xc3\x28",
        people[11].ticket.encode() + b"\xc3\x28",
        b"'; DROP TABLE events; --",
        b"211500' OR '1'='1",
        b'" UNION SELECT id_number FROM candidates --',
        b"1 OR 1=1",
        b"211599999999",  # ticket-shaped but on nobody's ticket
        b"EXAMOPS:T:",
        b"EXAMOPS:T:../../etc/passwd",
        b'{"zkzh": null}',
        b"\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93",  # full-width 123
    ]
    empty = [b"", b"   ", b"\t", b"\r"]
    real = {  # what a scanner sends -> whose ticket it is
        people[0].ticket.translate(FULL_WIDTH).encode(): people[0].ticket,
        ticket_qr_payload(people[1].ticket).encode(): people[1].ticket,
        people[2].ticket.encode() + b"\r": people[2].ticket,  # CRLF scanner
        people[3].ticket.encode() + b"\t": people[3].ticket,  # scanner that ends with Tab
    }
    lines = garbage[:8] + empty[:2] + list(real)[:2] + garbage[8:] + empty[2:] + list(real)[2:]
    done = run_examops(seeded_site.store.url, "check", "--stdin", "--lane", "G", "--staff", "s", "--session", "S1",
                       "--json", input=b"\n".join(lines) + b"\n")

    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    answers = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert len(answers) == len(garbage) + len(real)
    by_line = dict(zip([line for line in lines if line.strip()], answers))
    for line in garbage:
        assert by_line[line]["verdict"] in ("invalid", "unknown"), (line[:40], by_line[line])
        assert by_line[line]["ticket"] is None
        assert len(json.dumps(by_line[line])) < 2000, "a 10,000-character scan is not echoed back whole"
    for line, ticket in real.items():
        assert (by_line[line]["verdict"], by_line[line]["ticket"]) == ("admitted", ticket), (line, by_line[line])
    assert count(seeded_site, schema.admissions) == len(real)
    assert verify_rc(seeded_site.store.url)[0] == 0


def test_stdin_run_exits_non_zero_when_any_scan_was_not_recorded(small_disk_site):
    with disk_filled(small_disk_site.disk):
        done = run_examops(small_disk_site.store.url, "check", "--stdin", "--lane", "A", "--staff", "s", "--json",
                           input=b"211599999999\n")
    out = json.loads(done.stdout)
    assert (out["verdict"], out["recorded"]) == ("unknown", False)
    assert done.returncode == 3
