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
