"""Two `examops demo` at once on one laptop (a trainer's two terminals, two helpers on one machine): the second one
takes a folder of its own instead of wiping the first one's store.

Found at 120×40: a second demo re-created /tmp/examops-demo-<uid> under a running one, whose lane then answered
every scan "NOT RECORDED" (the store file was replaced) and its figures "unavailable".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

DEMO = textwrap.dedent("""
    import json, sys
    from examops.services.demo import prepare_demo
    from examops.services.gate import Lane

    site, info = prepare_demo()
    print(json.dumps({"folder": info["folder"]}), flush=True)
    sys.stdin.readline()  # the other demo starts meanwhile
    verdict = Lane(site, "A", "demo").check("21150054251571", session_id=site.plan.sessions[0].id)
    print(json.dumps({"recorded": verdict.recorded, "verdict": verdict.verdict}), flush=True)
""")


def _env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("EXAMOPS_")}
    env["TMPDIR"] = str(tmp_path)
    return env


def test_a_second_demo_leaves_the_running_one_its_store(tmp_path):
    first = subprocess.Popen([sys.executable, "-c", DEMO], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                             env=_env(tmp_path))
    try:
        first_folder = json.loads(first.stdout.readline())["folder"]
        second = subprocess.run([sys.executable, "-c", DEMO], input="\n", capture_output=True, text=True,
                                env=_env(tmp_path), timeout=300)
        assert second.returncode == 0, second.stderr
        second_folder = json.loads(second.stdout.splitlines()[0])["folder"]
        first.stdin.write("\n")
        first.stdin.flush()
        answer = json.loads(first.stdout.readline())
    finally:
        first.stdin.close()
        first.wait(timeout=120)
    assert second_folder != first_folder
    assert answer == {"recorded": True, "verdict": "admitted"}, answer
    assert Path(first_folder, "demo.sqlite3").exists()


def test_a_demo_reuses_the_folder_a_finished_demo_left(tmp_path):
    folders = []
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", DEMO], input="\n", capture_output=True, text=True,
                              env=_env(tmp_path), timeout=300)
        assert done.returncode == 0, done.stderr
        folders.append(json.loads(done.stdout.splitlines()[0])["folder"])
    assert folders[0] == folders[1] == str(tmp_path / f"examops-demo-{os.getuid()}")


RACE = textwrap.dedent("""
    import json, sys
    from examops.services.demo import prepare_demo
    from examops.services.gate import Lane

    ticket = sys.argv[1]
    sys.stdin.readline()  # the start: both demos are let go at once
    try:
        site, info = prepare_demo()
        verdict = Lane(site, "A", "demo").check(ticket, session_id=site.plan.sessions[0].id)
        from examops.adapters.store import events as event_log
        from examops.domain.events import Kind
        with site.store.read() as conn:
            admitted = sorted(e.ticket for e in event_log.events_of_kind(conn, Kind.ADMITTED))
        print(json.dumps({"folder": info["folder"], "recorded": verdict.recorded, "admitted": admitted}), flush=True)
    except Exception as exc:
        print(json.dumps({"failed": repr(exc)}), flush=True)
        raise
    sys.stdin.readline()  # both stay up until both are done: neither folder is free to take meanwhile
""")
TICKETS = ("21150054251571", "21150054251572")


def _left_in(tmp: Path) -> list[str]:
    return sorted(p.name for p in tmp.iterdir())


def _race(tmp_path: Path) -> tuple[list[dict], list[int], list[str]]:
    """Two demos let go at once, each scanning its own ticket: their answers, exit codes and error output."""
    demos = [subprocess.Popen([sys.executable, "-c", RACE, ticket], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=_env(tmp_path)) for ticket in TICKETS]
    try:
        _tell(demos)
        answers = [json.loads(demo.stdout.readline() or '{"failed": "no answer"}') for demo in demos]
        _tell(demos)
    finally:
        for demo in demos:
            try:
                demo.stdin.close()
            except BrokenPipeError:
                pass
        errors = [demo.stderr.read() for demo in demos]
        codes = [demo.wait(timeout=120) for demo in demos]
    return answers, codes, errors


def _tell(demos: list[subprocess.Popen]) -> None:
    """A line to each demo, as nearly at once as two pipes allow (one that died early cannot read it)."""
    for demo in demos:
        demo.stdin.write("\n")
    for demo in demos:
        try:
            demo.stdin.flush()
        except BrokenPipeError:
            pass


def _left_by_a_finished_demo(tmp_path: Path) -> None:
    """The shared folder as a demo that wrote its room documents leaves it: many files for the next demo to clear
    (which widens the moment in which a second demo could take it too)."""
    papers = tmp_path / f"examops-demo-{os.getuid()}" / "documents"
    papers.mkdir(parents=True, exist_ok=True)
    for number in range(3000):
        (papers / f"S1_{number:04d}.xlsx").write_bytes(b"PK")


def test_two_demos_started_at_the_same_instant_each_get_a_store_of_their_own(tmp_path):
    """Found with two `examops demo` started together: both saw the shared folder free and both set it up, the
    second wiping the first one's store (its lock file lived inside the folder it wiped), or failing to make it.
    Both are let go at once, three times over; each must record its scan into a store that holds only its own."""
    for _round in range(3):
        _left_by_a_finished_demo(tmp_path)
        answers, codes, errors = _race(tmp_path)
        assert codes == [0, 0], (answers, errors)
        assert [a["admitted"] for a in answers] == [[t] for t in TICKETS], answers
        assert answers[0]["folder"] != answers[1]["folder"]
        assert str(tmp_path / f"examops-demo-{os.getuid()}") in {a["folder"] for a in answers}


def test_the_folder_a_second_demo_took_goes_when_it_ends(tmp_path):
    """Found listing /tmp: a folder examops-demo-<uid>-<pid> for every demo that ran beside another. The shared
    folder stays (the next demo reuses it, and what the demo wrote can be looked at); a demo's own one does not."""
    answers, codes, errors = _race(tmp_path)
    assert codes == [0, 0], (answers, errors)
    assert _left_in(tmp_path) == [f"examops-demo-{os.getuid()}"], _left_in(tmp_path)


def test_a_demo_clears_the_folders_of_demos_that_were_killed(tmp_path):
    """A demo killed before it could tidy up (SIGKILL, a closed terminal) leaves its own folder: the next demo removes
    it, and never a folder whose demo still runs."""
    uid = os.getuid()
    first = subprocess.Popen([sys.executable, "-c", DEMO], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                             env=_env(tmp_path))
    try:
        json.loads(first.stdout.readline())
        second = subprocess.Popen([sys.executable, "-c", DEMO], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                  env=_env(tmp_path))
        killed = json.loads(second.stdout.readline())["folder"]
        second.kill()
        second.wait(timeout=60)
        assert Path(killed).exists()
        third = subprocess.Popen([sys.executable, "-c", DEMO], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                 env=_env(tmp_path))
        own = json.loads(third.stdout.readline())["folder"]
        assert not Path(killed).exists() and Path(own).exists()
        assert Path(tmp_path / f"examops-demo-{uid}" / "demo.sqlite3").exists()  # the running first demo's, untouched
        third.communicate("\n", timeout=120)
        assert third.returncode == 0
    finally:
        first.communicate("\n", timeout=120)
    assert first.returncode == 0
    assert _left_in(tmp_path) == [f"examops-demo-{uid}"], _left_in(tmp_path)
