"""`examops demo` writes only inside its throw-away folder: store, keys, witness, documents, reports, marked copies.

HOME and every XDG dir point into the test's temp dir; after the demo (its set-up, what its screens
offer to write at their default places, and the real app in tmux) nothing may be there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.support.tmux import EXAMOPS, needs_tmux, pane


def _environment(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("EXAMOPS_", "XDG_"))}
    env.update(HOME=str(home), TMPDIR=str(tmp_path / "tmp"), XDG_DATA_HOME=str(home / ".local" / "share"),
               XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"),
               XDG_STATE_HOME=str(home / ".local" / "state"), XDG_RUNTIME_DIR=str(home / "run"))
    for folder in ("home", "tmp"):
        (tmp_path / folder).mkdir()
    return env


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if not p.is_dir())


DEFAULT_PLACES = textwrap.dedent("""
    import json
    from examops import locations, sample
    from examops.services.demo import prepare_demo
    from examops.services.documents import write_room_documents
    from examops.services.gate import Lane
    from examops.services.report import build_report
    from examops.services.demo import DEMO_PIN
    from examops.services.roster import import_roster

    site, info = prepare_demo()
    session = site.plan.sessions[0]
    verdict = Lane(site, "A", "demo").check("21150054251571", session_id=session.id)
    assert verdict.recorded, verdict
    write_room_documents(site, session.id, locations.default_documents_dir(session.id), fmt="both")
    offered = locations.default_report_path(session.id, session.date)
    offered.parent.mkdir(parents=True, exist_ok=True)  # as the report screen does before it builds
    build_report(site, session_ids=[session.id], out=offered, pin=DEMO_PIN)
    bad = locations.home() / "bad.csv"
    bad.write_text("准考证号,姓名\\n1,x\\n", encoding="utf-8")
    report = import_roster(site, [bad], errors_out=locations.home() / "marked.xlsx")
    print(json.dumps({"store": info["store"]}))
""")


def test_the_demo_and_what_it_offers_to_write_stay_in_its_folder(tmp_path):
    env = _environment(tmp_path)
    done = subprocess.run([sys.executable, "-c", DEFAULT_PLACES], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.splitlines()[-1])
    folder = tmp_path / "tmp" / f"examops-demo-{os.getuid()}"
    assert Path(out["store"]) == folder / "demo.sqlite3"
    assert _files(tmp_path / "home") == []
    written = _files(folder)
    assert {p.relative_to(folder).parts[0] for p in written} >= {"demo.sqlite3", "keys", "documents", "reports"}
    assert (folder / "marked.xlsx").exists()
    assert all(p.is_relative_to(folder) for p in _files(tmp_path / "tmp"))


@needs_tmux
def test_the_demo_app_scanning_in_a_terminal_writes_nothing_under_home(tmp_path):
    env = _environment(tmp_path)
    assignments = " ".join(f"{key}={env[key]}" for key in ("HOME", "TMPDIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME",
                                                           "XDG_CACHE_HOME", "XDG_STATE_HOME", "PYTHONPATH") if key in env)
    with pane(f"env -u EXAMOPS_HOME -u EXAMOPS_DB {assignments} {EXAMOPS} demo --lang en", size=(100, 30),
              name="examops-demo-folder") as demo:
        demo.wait_for_text("Session figures", what="the gate screen")
        demo.scan("21150054251571")
        demo.wait_for_text("21150054251571", what="the verdict")
    folder = tmp_path / "tmp" / f"examops-demo-{os.getuid()}"
    assert (folder / "demo.sqlite3").exists() and list((folder / "keys").iterdir())
    assert _files(tmp_path / "home") == []

