"""The README's "A morning with examops" runs as written: every command, in order, on a fresh store.

The rules, and nothing else, that stand between the README and this run:
- the shell block is the first ```sh block under the heading; each line starting with `examops` (or
  `python rosters/`, a helper the repository ships, run with this interpreter) is a command, split as a shell
  would (quotes; `#` starts a comment; `<`, `>` and `>>` redirect from or into a file);
- the commands that open a screen (`examops gate`, `examops review`, `examops report view`) are skipped, and
  exactly these are: a person drives them;
- the chief's PIN comes from EXAMOPS_PIN (the README's way for scripts), the clock from the README's own
  `export EXAMOPS_CLOCK=...`; the working folder holds the repository's `rosters/` (its shipped scans file too).
Each command must exit 0; at the end the state must be the morning the README tells.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, TEST_PIN

EXAMOPS = str(Path(sys.executable).parent / "examops")
SCREENS = {("gate",), ("review",), ("report", "view")}


def _readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def morning_commands(text: str) -> list[list[str]]:
    """The README morning's examops command lines, each as a shell would split it (comments dropped)."""
    section = text.split("## A morning with examops", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the morning section has no ```sh block"
    return [shlex.split(line, comments=True) for line in block.group(1).splitlines()
            if line.strip().startswith(("examops", "python rosters/"))]


def readme_clock(text: str) -> str:
    found = re.search(r'export EXAMOPS_CLOCK="([^"]+)"', text.split("## A morning with examops", 1)[1])
    assert found, "the morning section says which clock to set"
    return found.group(1)


def _screen(argv: list[str]) -> bool:
    return any(tuple(argv[1:1 + len(words)]) == words for words in SCREENS)


def _redirections(argv: list[str]) -> tuple[list[str], str | None, tuple[str, str] | None]:
    """argv without its redirections; the file read on stdin; (mode, file) written from stdout."""
    args, stdin, stdout = [], None, None
    words = iter(argv)
    for word in words:
        if word == "<":
            stdin = next(words)
        elif word in (">", ">>"):
            stdout = ("a" if word == ">>" else "w", next(words))
        else:
            args.append(word)
    return args, stdin, stdout


def _run(folder: Path, env: dict, argv: list[str]) -> subprocess.CompletedProcess:
    args, stdin, stdout = _redirections(argv)
    program = {"examops": EXAMOPS, "python": sys.executable}[args[0]]
    source = open(folder / stdin, "rb") if stdin else subprocess.DEVNULL
    try:
        done = subprocess.run([program, *args[1:]], stdin=source, capture_output=True, cwd=folder, env=env, timeout=600)
    finally:
        if stdin:
            source.close()
    if stdout:
        with open(folder / stdout[1], stdout[0] + "b") as sink:
            sink.write(done.stdout)
    return done


@pytest.fixture(scope="module")
def morning(tmp_path_factory) -> tuple[Path, dict, dict[str, subprocess.CompletedProcess]]:
    text = _readme()
    folder = tmp_path_factory.mktemp("morning")
    (folder / "rosters").symlink_to(ROOT / "rosters", target_is_directory=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith("EXAMOPS_")}
    env.update(EXAMOPS_HOME=str(folder / "home"), EXAMOPS_PIN=TEST_PIN, EXAMOPS_CLOCK=readme_clock(text),
               EXAMOPS_LANG="zh-CN")
    commands = morning_commands(text)
    skipped = {tuple(argv[1:3]) for argv in commands if _screen(argv)}
    assert skipped == {("gate", "--lane"), ("review",), ("report", "view")}, skipped
    results = {}
    for argv in commands:
        if _screen(argv):
            continue
        done = _run(folder, env, argv)
        line = " ".join(argv)
        assert done.returncode == 0, f"{line}\nexit {done.returncode}\n{done.stderr.decode(errors='replace')}"
        results[line] = done
    return folder, env, results


def _json(done: subprocess.CompletedProcess):  # noqa: ANN202
    return json.loads(done.stdout)


def _one(results: dict, prefix: str) -> subprocess.CompletedProcess:
    [done] = [r for line, r in results.items() if line.startswith(prefix)]
    return done


def test_every_command_of_the_morning_exits_0_and_the_scans_file_is_shipped(morning):
    folder, _env, results = morning
    assert len(results) >= 25
    stdin_line = next(line for line in results if "--stdin" in line)
    assert stdin_line.endswith("< rosters/sample_scans.txt") and (ROOT / "rosters" / "sample_scans.txt").is_file()
    scans = [json.loads(line) for line in _one(results, "examops check --stdin").stdout.splitlines()]
    assert [s["verdict"] for s in scans] == ["admitted", "admitted", "exception", "exception", "denied", "duplicate"]


def test_every_case_went_through_all_three_levels_and_was_seated(morning):
    folder, env, _results = morning
    cases = _json(_run(folder, env, ["examops", "exceptions", "--session", "S1", "--json"]))
    assert [c["code"] for c in cases["exceptions"]] == ["fever", "no_test_cert"]
    for case in cases["exceptions"]:
        assert case["status"] == "approved"
        assert [a["level"] for a in case["approvals"]] == ["chief", "deputy", "supervisor"]
        assert case["seated_in"] is not None
    assert {c["code"]: c["seated_in"]["room"] for c in cases["exceptions"]} == {"fever": "G01", "no_test_cert": "B01"}
    assert [a["resolution"]["as"] for a in cases["duplicate_alarms"]] == ["double_read"]


def test_the_session_is_closed_reported_verified_and_merged(morning):
    folder, env, results = morning
    status = _json(_run(folder, env, ["examops", "status", "--json"]))
    [s1] = [s for s in status["sessions"] if s["id"] == "S1"]
    assert (s1["closed"]["by"], s1["closed"]["reason"]) == ("王总监", "drill ends early")
    report = _json(_one(results, "examops report --session S1"))
    assert (report["expected"], report["present"], report["approvals"], report["incidents"]) == (360, 5, 6, 1)
    assert (report["open_alarms"], report["unresolved"], report["zero_incident"]) == (0, 0, False)
    assert len(report["reasons"]) == 1  # only the incident stands between this morning and 三零
    assert "（可信密钥）" in _one(results, "examops report verify").stdout.decode()  # "(trusted)", in the site's words
    assert (folder / "region.xlsx").is_file() and (folder / "keys.txt").read_text().count("report key") == 1
    papers = {p.name for p in (folder / "papers").iterdir()}
    assert "S1_B02_考场门贴_签到表_座位贴.xlsx" in papers and "S1_考点汇总_违纪报告单.xlsx" in papers
    assert _one(results, "examops verify").stdout.decode().startswith("正常：")  # the sample site speaks zh-CN
    assert json.loads(_run(folder, env, ["examops", "status", "--json"]).stdout)["photos"]["with_photo"] == 0  # purged


def test_the_readme_rules_find_every_command_and_skip_only_the_screens():
    commands = morning_commands(_readme())
    assert commands[0][:2] == ["examops", "init"] and ["examops", "verify"] in commands
    assert ["python", "rosters/make_photos.py", "photos.zip"] in commands
    assert [argv for argv in commands if _screen(argv)] == [
        ["examops", "gate", "--lane", "A", "--staff", "张三"], ["examops", "review"], ["examops", "report", "view"]]
    assert _redirections(["examops", "report", "key", ">>", "keys.txt"]) == (["examops", "report", "key"], None, ("a", "keys.txt"))
