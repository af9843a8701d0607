"""`examops demo`: a throw-away store from the bundled sample site, on a simulated morning.

Everything the demo writes stays in its folder: the store, this laptop's key and witness file,
room documents, reports and error copies offered at their default places (EXAMOPS_HOME is the folder),
never the real user data dir.
"""

from __future__ import annotations

import atexit
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


def demo_folder() -> tuple[Path, int, bool]:
    """The folder this demo works in, locked for its life: the shared `examops-demo-<uid>` in the temp dir when no
    running demo holds it (a folder a finished demo left is emptied and reused), else one of this demo's own,
    removed when it exits. Returns the folder, its open descriptor holding the lock, and whether it is shared.

    The lock is on the folder itself (its directory inode), not on a file inside it: emptying the folder cannot
    drop a lock another demo holds, and two demos started at the same instant cannot both take it."""
    temp = Path(tempfile.gettempdir())
    shared = temp / f"examops-demo-{os.getuid()}"
    _clear_abandoned(temp, shared.name)
    try:
        shared.mkdir(mode=0o700)
    except FileExistsError:
        pass
    held = _lock_folder(shared)
    if held is not None:
        _empty(shared)
        return shared, held, True
    own = Path(tempfile.mkdtemp(prefix=f"{shared.name}-{os.getpid()}-", dir=temp))
    held = _lock_folder(own)
    if held is None:  # just made by mkdtemp, 0700: nobody else can hold it
        raise RuntimeError(f"could not lock the demo folder {own}")
    atexit.register(_remove_own, own, held)
    return own, held, False


def _lock_folder(folder: Path) -> int | None:
    """An open descriptor of `folder` holding its exclusive lock; None when another demo holds it, or when it is no
    folder of this user's (a symlink, another user's folder planted in a shared temp dir)."""
    import fcntl

    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        mine = os.fstat(fd).st_uid == os.getuid()
        if mine:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.fchmod(fd, 0o700)
    except OSError:  # BlockingIOError: a running demo holds it
        mine = False
    if not mine:
        os.close(fd)
        return None
    return fd


def _empty(folder: Path) -> None:
    """Everything a finished demo left in `folder`, removed (the folder itself, and with it the lock, stays)."""
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _remove_own(folder: Path, held: int) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    os.close(held)


def _clear_abandoned(temp: Path, shared_name: str) -> None:
    """Remove the own folders of demos that ended without tidying up (killed): their process is gone and nobody
    holds their lock. A folder whose demo still runs, or that is being made, keeps its live process id."""
    for folder in temp.glob(f"{shared_name}-*"):
        pid = folder.name[len(shared_name) + 1:].split("-", 1)[0]
        if not pid.isdigit() or _running(int(pid)):
            continue
        held = _lock_folder(folder)
        if held is not None:
            try:
                shutil.rmtree(folder, ignore_errors=True)
            finally:
                os.close(held)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_held: list[int] = []  # the demo folder's locked descriptor, open for the process's life


def prepare_demo(home: Path | None = None) -> tuple[Site, dict]:
    """Create a fresh demo store, import the sample roster, set the clock to 25 minutes before S1 (unless
    EXAMOPS_CLOCK names another moment to rehearse).

    This process (and any examops it starts) then works in the demo folder: EXAMOPS_HOME, EXAMOPS_DB
    and EXAMOPS_CLOCK name it, its store and its drill. `home` (tests) is used as it is, unlocked.
    """
    shared = True
    if home is None:
        home, held, shared = demo_folder()
        _held.append(held)
    else:
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True, mode=0o700)
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
    info = {"store": site.store.location, "folder": str(home), "kept": shared, "candidates": report.candidates,
            "rooms": len(report.rooms), "photos": photos, "clock": clock, "pin": DEMO_PIN}
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
