"""`examops demo`: a throw-away store from the bundled sample site, on a simulated morning."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

from examops.services.clock import Clock
from examops.services.roster import import_roster
from examops.services.site import Site, init_site

DEMO_PIN = "3917"


def sample_dir() -> Path:
    """The bundled `rosters/` folder; generated afresh into a temp dir when not shipped."""
    here = Path(__file__).resolve().parents[2] / "rosters"
    if (here / "sample_plan.toml").exists() and (here / "sample_roster.xlsx").exists():
        return here
    target = Path(tempfile.mkdtemp(prefix="examops-sample-"))
    from examops import sample

    (target / "sample_plan.toml").write_text(sample.sample_plan_toml(), encoding="utf-8")
    sample.write_roster_xlsx(target / "sample_roster.xlsx", sample.synthetic_people(360), rooms=12,
                             instructions=sample.INSTRUCTIONS)
    return target


def prepare_demo(home: Path | None = None) -> tuple[Site, dict]:
    """Create a fresh demo store, import the sample roster, set the clock to 25 minutes before S1."""
    home = home or Path(tempfile.gettempdir()) / f"examops-demo-{os.getuid()}"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True, mode=0o700)
    url = f"sqlite:///{home / 'demo.sqlite3'}"
    source = sample_dir()
    site = init_site(source / "sample_plan.toml", url=url, chief_pin=DEMO_PIN)
    report = import_roster(site, [source / "sample_roster.xlsx"])
    if not report.imported:
        raise RuntimeError("the sample roster did not import: " + "; ".join(str(p) for p in report.errors[:3]))
    first = min(site.plan.sessions, key=lambda s: s.starts_at)
    start = first.starts_at - dt.timedelta(minutes=25)
    site.clock = Clock(site.plan.timezone, start)
    os.environ["EXAMOPS_DB"] = url
    info = {"store": site.store.location, "candidates": report.candidates, "rooms": len(report.rooms),
            "clock": start.isoformat(timespec="minutes"), "pin": DEMO_PIN}
    return site, info
