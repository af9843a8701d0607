"""click's own words — a forgotten option, a mistyped command — in the language asked for, not always English."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMOPS = str(Path(sys.executable).parent / "examops")


def _run(tmp_path: Path, *argv: str, lang: str | None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("EXAMOPS_", "LC_", "LANG"))}
    env.update(EXAMOPS_HOME=str(tmp_path / "home"), LANG="C.UTF-8", **({"EXAMOPS_LANG": lang} if lang else {}))
    return subprocess.run([EXAMOPS, *argv], env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize(("argv", "lang", "expected"), [
    (["check", "21150054251571"], "zh-CN", ["用法：examops check", "错误：缺少选项 '--lane'"]),
    (["chek"], "zh-CN", ["错误：没有命令 'chek'。", "运行 'examops --help' 查看帮助。"]),
    (["--lang=zh-CN", "chek"], None, ["错误：没有命令 'chek'。"]),
    (["--lang", "zh-CN", "exceptions", "--status", "bogus"], None, ["'--status' 的值无效：'bogus' 不是"]),
    (["check", "21150054251571"], "en", ["Usage: examops check", "Error: Missing option '--lane'"]),
    (["--lang", "en", "chek"], "zh-CN", ["Error: No such command 'chek'."]),
])
def test_usage_errors_speak_the_language_asked_for(tmp_path, argv, lang, expected):
    done = _run(tmp_path, *argv, lang=lang)
    assert done.returncode == 2, done.stderr
    for phrase in expected:
        assert phrase in done.stderr, done.stderr


def test_help_headings_follow_the_language(tmp_path):
    chinese = _run(tmp_path, "check", "--help", lang="zh-CN")
    assert chinese.returncode == 0 and chinese.stdout.startswith("用法：") and "\n选项：" in chinese.stdout
    english = _run(tmp_path, "check", "--help", lang="en")
    assert english.stdout.startswith("Usage:") and "\nOptions:" in english.stdout
