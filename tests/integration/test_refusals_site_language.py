"""The store's, the plan's, the policy's and the chief's refusals speak the site's language.

They were English on a Chinese site (the catalog held only the screens' words): `init` with a plan missing a key,
a plan that cannot be read, a lane pointed at no store, a move to a room that does not exist, a room opened twice.
Each runs as a real process on a zh-CN site and on an English one; the Chinese refusal holds no English word once the
data (paths, ids, the plan's keys, what was typed, the commands to type) is taken out, as test_cli_site_language checks the morning.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE_PLAN, TEST_PIN
from tests.integration.test_cli_site_language import _english_left

EXAMOPS = str(Path(sys.executable).parent / "examops")
TICKET = "21150054251571"


def _env(home: Path, lang: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("EXAMOPS_", "LC_", "LANG"))}
    env.update(EXAMOPS_HOME=str(home), EXAMOPS_PIN=TEST_PIN, EXAMOPS_CLOCK="2021-10-16T08:10", LANG="C.UTF-8",
               EXAMOPS_LANG=lang)
    return env


def _run(folder: Path, lang: str, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([EXAMOPS, *argv], cwd=folder, env=_env(folder / "home", lang), capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module", params=["zh-CN", "en"])
def site(request, tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp(request.param)
    (folder / "no_site.toml").write_text('[exam]\nname = "x"\n', encoding="utf-8")
    (folder / "weak_pin.txt").write_text("1234\n", encoding="utf-8")
    (folder / "wrong_pin.txt").write_text("99999999\n", encoding="utf-8")
    (folder / "bad_room.toml").write_text(SAMPLE_PLAN.read_text(encoding="utf-8") + '\n[[backup_rooms]]\nid = "Q1"\n'
                                          'capacity = 0\n', encoding="utf-8")
    assert _run(folder, request.param, "status").returncode != 0  # no store yet: the first refusal below
    return folder, request.param


CASES = {  # name -> (argv, a phrase the Chinese refusal holds, a phrase the English one holds)
    "no_store": (["status"], "没有数据库：请先运行", "no store at"),
    "plan_key": (["init", "--plan", "no_site.toml"], "no_site.toml 第 1 行：exam.site：缺少；请添加", "line 1: exam.site: missing"),
    "plan_gone": (["init", "--plan", "absent.toml"], "无法读取考试计划 absent.toml：文件或文件夹不存在",
                  "cannot read the plan absent.toml: no such file or folder"),
    "plan_value": (["init", "--plan", "bad_room.toml"], "capacity：至少为 1", "capacity: must be at least 1"),
    "init": (["init", "--plan", str(SAMPLE_PLAN)], None, None),
    "import": (["roster", "import", str(ROOT / "rosters" / "sample_roster.xlsx")], None, None),
    "no_room": (["move", TICKET, "--room", "NOPE", "--reason", "调整", "--session", "S1", "--by", "王总监"],
                "没有考场 NOPE；请用", "no room NOPE; open it with"),
    "isolation": (["move", TICKET, "--room", "G01", "--reason", "调整", "--session", "S1", "--by", "王总监"],
                  "没有已批准的隔离考场异常", "has no approved isolation-room exception"),
    "room_twice": (["room", "add", "G01", "--name", "隔离", "--capacity", "2", "--kind", "isolation", "--by", "王总监"],
                   "考场 G01 已存在", "room G01 already exists"),
    "roster_gone": (["roster", "import", "absent.xlsx"], "absent.xlsx：文件或文件夹不存在", "absent.xlsx: no such file or folder"),
    "docs_out": (["docs", "--session", "S1", "--room", "001", "--out", "/proc/examops-nope"],
                 "无法写入 /proc/examops-nope：文件或文件夹不存在", "cannot write into /proc/examops-nope: no such file or folder"),
    "report_out": (["report", "--session", "S1", "--out", "./home"], "是文件夹，不是文件", "is a directory"),
    "no_case": (["resolve", "ffffffff", "--note", "证明已到", "--by", "王总监"], "没有异常 ffffffff", "no exception ffffffff"),
    "long_lane": (["check", TICKET, "--lane", "A" * 61, "--staff", "李"], "通道名称有 61 个字符，最多只能保存 60 个",
                  "the lane's name is 61 characters long; at most 60 fit"),
    "weak_pin": (["init", "--plan", str(SAMPLE_PLAN), "--change-pin", "--new-pin-file", "weak_pin.txt"], "密码是连续递增",
                 "the PIN counts up or down (like 1234)"),
    "purge_pin": (["--pin-file", "wrong_pin.txt", "photos", "purge", "--by", "王总监"], "密码错误：只有总监考才能删除照片",
                  "wrong PIN: only the chief proctor can purge the photos"),  # last: a wrong PIN backs the next ones off
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_refusal_in_the_site_language(site, name):
    folder, lang = site
    argv, chinese, english = CASES[name]
    done = _run(folder, lang, *argv)
    if chinese is None:  # a step of the morning the refusals after it need
        assert done.returncode == 0, done.stderr
        return
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    said = done.stdout + done.stderr
    if lang == "zh-CN":
        assert chinese in said, said
        data = re.sub(r"`[^`]*`|NOPE|ffffffff|examops (?:report|check)|\b(?:exam\.site|backup_rooms\[\d+\]\.capacity)\b", " ", said)  # typed, keys
        assert _english_left(data) == [], said
    else:
        assert english in said, said
