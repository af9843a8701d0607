"""`examops demo`: a throw-away store from the bundled sample site, on a simulated morning.

Everything the demo writes stays in its folder: the store, this laptop's key and witness file,
room documents, reports and error copies offered at their default places (EXAMOPS_HOME is the folder),
never the real user data dir.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

from examops.domain.plan import parse_plan
from examops.locations import private_dir
from examops.services.roster import import_roster
from examops.services.site import Site, init_site

DEMO_PIN = "3917"
DEMO_WITHOUT_PHOTO = ("21150054251578",)
"""Room 001 seat 8: the demo leaves one candidate without a photo, to show how the gate and the seat plan say so."""


def sample_dir(scratch: Path | None = None) -> Path:
    """The bundled `rosters/` folder; generated afresh into `scratch/sample` (else a temp dir) when not shipped."""
    here = Path(__file__).resolve().parents[2] / "rosters"
    if (here / "sample_plan.toml").exists() and (here / "sample_roster.xlsx").exists():
        return here
    target = private_dir(scratch / "sample") if scratch else Path(tempfile.mkdtemp(prefix="examops-sample-"))
    from examops import sample

    (target / "sample_plan.toml").write_text(sample.sample_plan_toml(), encoding="utf-8")
    sample.write_roster_xlsx(target / "sample_roster.xlsx", sample.synthetic_people(360), rooms=12,
                             instructions=sample.INSTRUCTIONS)
    return target


_LOCK = "demo.lock"
_held: list = []  # the open lock file of this process's demo, held until it exits


def _in_use(home: Path) -> bool:
    """Whether a running demo holds the folder's lock (a folder left by a demo that ended holds none)."""
    import fcntl

    try:
        with open(home / _LOCK, "rb") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
    except OSError:
        return False
    return False


def _hold(home: Path) -> None:
    import fcntl

    lock = open(home / _LOCK, "wb")  # noqa: SIM115 - held open for the process's life
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    _held.append(lock)


def prepare_demo(home: Path | None = None) -> tuple[Site, dict]:
    """Create a fresh demo store, import the sample roster, set the clock to 25 minutes before S1 (unless
    EXAMOPS_CLOCK names another moment to rehearse).

    This process (and any examops it starts) then works in the demo folder: EXAMOPS_HOME, EXAMOPS_DB
    and EXAMOPS_CLOCK name it, its store and its drill.
    """
    if home is None:
        home = Path(tempfile.gettempdir()) / f"examops-demo-{os.getuid()}"
        if _in_use(home):  # another demo runs from it: wiping it would pull its store from under its lanes
            home = home.with_name(f"{home.name}-{os.getpid()}")
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True, mode=0o700)
    _hold(home)
    url = f"sqlite:///{home / 'demo.sqlite3'}"
    source = sample_dir(home)
    first = min(parse_plan((source / "sample_plan.toml").read_text(encoding="utf-8"), "sample plan").sessions,
                key=lambda s: s.starts_at)
    chosen = os.environ.get("EXAMOPS_CLOCK", "").strip()  # a rehearsal of the cutoff, the day before...: kept as set
    clock = chosen or (first.starts_at - dt.timedelta(minutes=25)).isoformat(timespec="minutes")
    os.environ.update(EXAMOPS_HOME=str(home), EXAMOPS_DB=url, EXAMOPS_CLOCK=clock)
    site = init_site(source / "sample_plan.toml", url=url, chief_pin=DEMO_PIN)
    report = import_roster(site, [source / "sample_roster.xlsx"])
    if not report.imported:
        raise RuntimeError("the sample roster did not import: " + "; ".join(str(p) for p in report.errors[:3]))
    photos = _give_sample_photos(site, home)
    info = {"store": site.store.location, "folder": str(home), "candidates": report.candidates, "rooms": len(report.rooms),
            "photos": photos, "clock": clock, "pin": DEMO_PIN}
    return site, info


def _give_sample_photos(site: Site, home: Path) -> int:
    """Synthetic photos (grey silhouettes with the ticket drawn) for the sample candidates, through the real import."""
    from examops.adapters.store import roster_queries
    from examops.sample_photos import write_photo_pack
    from examops.services.photos import import_photos

    with site.store.read() as conn:
        tickets = sorted(roster_queries.all_tickets(conn) - set(DEMO_WITHOUT_PHOTO))
    pack = write_photo_pack(home / "sample_photos", tickets)
    try:
        report = import_photos(site, [pack], by="demo")
    finally:
        shutil.rmtree(pack, ignore_errors=True)
    if not report.imported:
        raise RuntimeError("the sample photos did not import: " + "; ".join(p.code for p in report.errors[:3]))
    return report.photos
