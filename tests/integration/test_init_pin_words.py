"""`examops init` off a terminal names the way a script gives the PIN, and that way works.

The first PIN of a store comes as every PIN does (EXAMOPS_PIN, --pin-file: the README's way); the refusal named
EXAMOPS_NEW_PIN, which only `init --change-pin` reads (there EXAMOPS_PIN is the current PIN).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import SAMPLE_PLAN, TEST_PIN

EXAMOPS = str(Path(sys.executable).parent / "examops")
NEW_PIN = "5068"


def _init(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("EXAMOPS_PIN", "EXAMOPS_NEW_PIN")}
    environment.update({"EXAMOPS_HOME": str(home), "EXAMOPS_LANG": "en", **env})
    return subprocess.run([EXAMOPS, "init", "--plan", str(SAMPLE_PLAN), *args], capture_output=True, text=True,
                          env=environment, stdin=subprocess.DEVNULL, timeout=120)


def test_the_first_pin_refusal_names_examops_pin_and_following_it_works(tmp_path):
    home = tmp_path / "home"
    refused = _init(home)
    assert refused.returncode != 0
    assert "EXAMOPS_PIN" in refused.stderr and "EXAMOPS_NEW_PIN" not in refused.stderr, refused.stderr
    assert "--pin-file" in refused.stderr and "--new-pin-file" not in refused.stderr
    assert _init(home, EXAMOPS_NEW_PIN=TEST_PIN).returncode != 0  # not the way for a new store's PIN
    made = _init(home, EXAMOPS_PIN=TEST_PIN)
    assert made.returncode == 0, made.stderr


def test_a_pin_change_refusal_names_examops_new_pin_and_following_it_works(tmp_path):
    home = tmp_path / "home"
    assert _init(home, EXAMOPS_PIN=TEST_PIN).returncode == 0
    refused = _init(home, "--change-pin", EXAMOPS_PIN=TEST_PIN)
    assert refused.returncode != 0 and "EXAMOPS_NEW_PIN" in refused.stderr and "--new-pin-file" in refused.stderr
    changed = _init(home, "--change-pin", EXAMOPS_PIN=TEST_PIN, EXAMOPS_NEW_PIN=NEW_PIN)
    assert changed.returncode == 0, changed.stderr
    assert _init(home, "--change-pin", EXAMOPS_PIN=TEST_PIN, EXAMOPS_NEW_PIN="6173").returncode != 0  # the old PIN is gone
    assert _init(home, "--change-pin", EXAMOPS_PIN=NEW_PIN, EXAMOPS_NEW_PIN=TEST_PIN).returncode == 0


def test_the_refusal_speaks_chinese_too(tmp_path):
    refused = _init(tmp_path / "home", EXAMOPS_LANG="zh-CN")
    assert "新库的总监考密码" in refused.stderr and "EXAMOPS_PIN" in refused.stderr, refused.stderr


def test_new_pin_file_without_change_pin_is_refused_not_ignored(tmp_path):
    """Given for a new store (or a plan change), --new-pin-file was silently ignored and the PIN taken from elsewhere."""
    home = tmp_path / "home"
    pin_file = tmp_path / "new-pin.txt"
    pin_file.write_text(NEW_PIN + "\n", encoding="utf-8")
    refused = _init(home, "--new-pin-file", str(pin_file), EXAMOPS_PIN=TEST_PIN)
    assert refused.returncode != 0 and "--change-pin" in refused.stderr, refused.stderr
    assert not home.exists() or not any(home.rglob("*.db")), "the refused init made a store"
    assert _init(home, EXAMOPS_PIN=TEST_PIN).returncode == 0
    refused_live = _init(home, "--new-pin-file", str(pin_file), EXAMOPS_PIN=TEST_PIN)
    assert refused_live.returncode != 0 and "--change-pin" in refused_live.stderr
    changed = _init(home, "--change-pin", "--new-pin-file", str(pin_file), EXAMOPS_PIN=TEST_PIN)
    assert changed.returncode == 0, changed.stderr
    chinese = _init(home, "--new-pin-file", str(pin_file), EXAMOPS_PIN=NEW_PIN, EXAMOPS_LANG="zh-CN")
    assert chinese.returncode != 0 and "只与 --change-pin 一起使用" in chinese.stderr, chinese.stderr



def _read_until(fd: int, wanted: str, seen: bytearray, times: int = 1, timeout: float = 60.0) -> None:
    """Read the terminal into `seen` until `wanted` has been shown `times` times in all."""
    import select
    import time

    deadline = time.monotonic() + timeout
    while seen.decode("utf-8", "replace").count(wanted) < times:
        if time.monotonic() > deadline:
            raise AssertionError(f"{wanted!r} never came; the terminal showed {seen.decode('utf-8', 'replace')!r}")
        if select.select([fd], [], [], 0.5)[0]:
            try:
                seen.extend(os.read(fd, 4096))
            except OSError:  # the child closed the terminal
                return


def test_the_pin_prompts_on_a_terminal_speak_the_sites_language(tmp_path):
    """On a Chinese site the PIN was asked as "Chief proctor PIN (总监考密码)", click's "Repeat for confirmation" and
    its mismatch error in English: every word of the prompt now comes from the catalog."""
    import pty

    environment = {k: v for k, v in os.environ.items() if k not in ("EXAMOPS_PIN", "EXAMOPS_NEW_PIN")}
    environment.update({"EXAMOPS_HOME": str(tmp_path / "home"), "EXAMOPS_LANG": "zh-CN"})
    leader, follower = pty.openpty()
    child = subprocess.Popen([EXAMOPS, "init", "--plan", str(SAMPLE_PLAN)], stdin=follower, stdout=follower,
                             stderr=follower, env=environment, close_fds=True)
    os.close(follower)
    seen = bytearray()
    try:
        for answer, prompt, times in ((TEST_PIN, "总监考密码", 1), ("9999", "请再输入一次以确认", 1),
                                      (TEST_PIN, "两次输入不一致", 1), (TEST_PIN, "请再输入一次以确认", 2)):
            _read_until(leader, prompt, seen, times)
            if prompt != "两次输入不一致":
                os.write(leader, f"{answer}\r".encode())
            else:
                _read_until(leader, "总监考密码", seen, 2)
                os.write(leader, f"{answer}\r".encode())
        assert child.wait(timeout=120) == 0, seen.decode("utf-8", "replace")
    finally:
        if child.poll() is None:
            child.kill()
        os.close(leader)
    shown = seen.decode("utf-8", "replace")
    assert "Chief proctor" not in shown and "Repeat for confirmation" not in shown and "do not match" not in shown, shown
    assert TEST_PIN not in shown  # hidden input


def test_a_refused_init_speaks_the_plan_s_language_without_examops_lang(tmp_path):
    """Found as an insider: on the sample (zh-CN) site with no EXAMOPS_LANG and a C locale, `init` of a changed plan
    with a wrong PIN said "wrong PIN: the plan stays as it was" in English, while its success line was Chinese: the
    plan names the site's language before any store is open."""
    home = tmp_path / "home"
    assert _init(home, EXAMOPS_PIN=TEST_PIN).returncode == 0
    changed = tmp_path / "changed.toml"
    changed.write_text(SAMPLE_PLAN.read_text(encoding="utf-8").replace("late_entry_minutes = 30", "late_entry_minutes = 35"),
                       encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("EXAMOPS_", "LC_", "LANG"))}
    environment.update(EXAMOPS_HOME=str(home), EXAMOPS_PIN="8642", LANG="C.UTF-8")
    refused = subprocess.run([EXAMOPS, "init", "--plan", str(changed)], capture_output=True, text=True, env=environment,
                             stdin=subprocess.DEVNULL, timeout=120)
    assert refused.returncode != 0
    assert "密码错误：考试计划保持不变" in refused.stderr and "wrong PIN" not in refused.stderr, refused.stderr
