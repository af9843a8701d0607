"""The CLI speaks the site's language: on the sample plan's zh-CN site a clerk reads no English but data.

A morning's commands run as real processes twice on fresh stores: once as the plan says (zh-CN; no EXAMOPS_LANG,
no --lang), once with `examops --lang en`. The Chinese run's human output (stdout and stderr, notes and refusals) must
hold no ASCII word of three letters or more once the data is taken out: tickets, names, paths, ids, the plan's own ids
(sessions, rooms, approval levels, policy name), command lines the output tells the clerk to type, and the policy's
reasons, which the events keep as they were recorded. The English run must still read as English. `--json` stays as
it was: English keys and enum values on either site.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, TEST_PIN

EXAMOPS = str(Path(sys.executable).parent / "examops")
FIRST, SECOND, FEVER = "21150054251571", "21150054251572", "21150054251574"
STEPS = [  # (name, argv, stdin, exit status)
    ("init", ["init", "--plan", "rosters/sample_plan.toml"], None, 0),
    ("import", ["roster", "import", "rosters/sample_roster.xlsx"], None, 0),
    ("photos", ["photos", "import", "photos.zip"], None, 0),
    ("admit", ["check", FIRST, "--lane", "A", "--staff", "张三"], None, 0),
    ("duplicate", ["check", FIRST, "--lane", "A", "--staff", "张三"], None, 0),
    ("unknown", ["check", "211010100101", "--lane", "A", "--staff", "张三"], None, 0),
    ("stdin", ["check", "--stdin", "--lane", "B", "--staff", "李四"],
     (ROOT / "rosters" / "sample_scans.txt").read_text(encoding="utf-8") + "xx\n", 0),
    ("json", ["check", "21150054251573", "--lane", "A", "--staff", "张三", "--json"], None, 0),
    ("no_code", ["check", "--lane", "A", "--staff", "张三"], None, 2),
    ("bad_outcome", ["check", "21150054251580", "--lane", "A", "--staff", "张三", "--outcome", "bogus"], None, 2),
    ("bad_field", ["check", "21150054251580", "--lane", "A", "--staff", "张三", "--outcome", "fever", "--field", "x"], None, 2),
    ("no_session", ["check", "21150054251580", "--lane", "A", "--staff", "张三", "--session", "S9"], None, 2),
    ("status", ["status"], None, 0),
    ("find", ["candidates", "find", "王"], None, 0),
    ("find_none", ["candidates", "find", "无此人"], None, 0),
    ("leave", ["exit", FIRST, "--reason", "如厕", "--by", "监考员甲"], None, 0),
    ("back", ["check", FIRST, "--lane", "A", "--staff", "张三"], None, 0),
    ("too_early", ["exit", FIRST, "--reason", "提前交卷", "--final", "--by", "监考员甲"], None, 2),
    ("gone", ["exit", FIRST, "--reason", "突发疾病", "--final", "--by", "监考员甲", "--authorised-by", "王总监"], None, 0),
    ("no_reentry", ["check", FIRST, "--lane", "A", "--staff", "张三"], None, 0),
    ("approve", ["approve", "--all-pending", "--session", "S1", "--level", "chief", "--by", "王总监"], None, 0),
    ("exceptions", ["exceptions"], None, 0),
    ("approve_deputy", ["approve", "--all-pending", "--session", "S1", "--level", "deputy", "--by", "李副总监"], None, 0),
    ("approve_supervisor", ["approve", "--all-pending", "--session", "S1", "--level", "supervisor", "--by", "赵组长",
                            "--recorded-by", "王总监", "--note", "电话批准"], None, 0),
    ("preview", ["reallocate", "--session", "S1", "--preview"], None, 0),
    ("reallocate", ["reallocate", "--session", "S1"], None, 0),
    ("arrived", ["check", FEVER, "--lane", "A", "--staff", "张三"], None, 0),
    ("find_moved", ["candidates", "find", FEVER], None, 0),
    ("incident", ["incident", "--session", "S1", "--room", "001", "--kind", "违纪", "--candidate", SECOND,
                  "--note", "手机未按要求存放", "--by", "监考员甲"], None, 0),
    ("bad_incident", ["incident", "--session", "S1", "--room", "999", "--kind", "违纪", "--note", "x", "--by", "甲"], None, 2),
    ("alarm", ["alarm", "resolve", SECOND, "--as", "double_read", "--note", "扫码枪重复读取", "--by", "王总监"], None, 0),
    ("alarm_again", ["alarm", "resolve", "ffffffff", "--as", "rescan", "--note", "再查", "--by", "王总监"], None, 2),
    ("void_none", ["void", "ffffffff", "--reason", "录错", "--by", "王总监"], None, 2),
    ("close_early", ["close", "--session", "S1", "--by", "王总监"], None, 2),
    ("close", ["close", "--session", "S1", "--by", "王总监", "--reason", "演练提前结束"], None, 0),
    ("closed_check", ["check", "21150054251580", "--lane", "A", "--staff", "张三"], None, 3),
    ("closed_exit", ["exit", SECOND, "--reason", "如厕", "--by", "监考员甲"], None, 2),
    ("report", ["report", "--session", "S1", "--out", "S1.xlsx"], None, 0),
    ("report_usage", ["report", "--out", "S1.xlsx"], None, 2),
    ("report_no_session", ["report", "--session", "S9", "--out", "S9.xlsx"], None, 2),
    ("verify", ["verify"], None, 0),
    ("export", ["sync", "export", "--out", "lane.examops"], None, 0),
    ("merge", ["sync", "merge", "lane.examops"], None, 0),
]
DATA = [  # taken out before looking for English: what the output shows as it is
    r"Asia/Shanghai", r"\S+\.(?:xlsx|zip|toml|sqlite3|examops)\b", r"/\S*",  # the site's time zone, files and paths
    r"examops(?: (?:alarm resolve|reallocate|exceptions|init))?",  # the program, and the commands it tells you to type
    r"--[a-z][a-z-]*", r"\bEXAMOPS_[A-Z_]+\b", r"\bTICKET\|EVENT\b", r"\bPLAN\b", r"\bFILE\b", r"\bREASON\b", r"\bID\b",
    r"covid-2021", r"\b(?:chief|deputy|supervisor)\b", r"'bogus'",  # the plan's and the policy's own ids, what was typed
    r"\b(?:admit|late|id_mismatch|no_id|prohibited_item|wrong_site|health_code|fever|no_test_cert|other)\b",  # --outcome's
    r"'x'", r"\btemp1=37\.8\b",  # --field as typed, and the example of one
    r"re-test [\d.]+ °C is still ≥ [\d.]+ °C", r"no certificate shown",  # the policy's reasons, kept in the events
    r"\b[0-9a-f]{8}\b", r"\b[0-9a-f]{4}(?::[0-9a-f]{4}){7}\b",  # event ids, key fingerprints
]
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def _english_left(text: str) -> list[str]:
    for pattern in DATA:
        text = re.sub(pattern, " ", text)
    return ENGLISH_WORD.findall(text)


def _morning(folder: Path, lang: str | None) -> dict[str, subprocess.CompletedProcess]:
    (folder / "rosters").symlink_to(ROOT / "rosters", target_is_directory=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("EXAMOPS_", "LC_", "LANG"))}
    env.update(EXAMOPS_HOME=str(folder / "home"), EXAMOPS_PIN=TEST_PIN, EXAMOPS_CLOCK="2021-10-16T08:10", LANG="C.UTF-8")
    made = subprocess.run([sys.executable, "rosters/make_photos.py", "photos.zip"], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    runs = {}
    for name, argv, stdin, status in STEPS:
        options = ["--lang", lang] if lang else []
        done = subprocess.run([EXAMOPS, *options, *argv], cwd=folder, env=env, input=stdin, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == status, f"{name}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr, done.stderr
        runs[name] = done
    return runs


@pytest.fixture(scope="module")
def chinese(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    return _morning(tmp_path_factory.mktemp("zh"), None)


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    return _morning(tmp_path_factory.mktemp("en"), "en")


@pytest.mark.parametrize("name", [name for name, _argv, _stdin, _status in STEPS if name != "json"])
def test_a_chinese_site_reads_no_english_but_data(chinese, name):
    done = chinese[name]
    said = done.stdout + done.stderr
    assert said.strip(), f"{name} said nothing"
    assert _english_left(said) == [], said


def test_the_chinese_morning_says_what_happened(chinese):
    assert "2 个场次" in chinese["init"].stdout
    assert "\n已导入 12 个考场共 360 名考生（新增 360" in chinese["import"].stdout
    assert re.match(rf"S1 准予入场 于 08:10:\d\d {FIRST} 石婷 考场 001 座位 1$", chinese["admit"].stdout.strip())
    assert "重复入场" in chinese["duplicate"].stdout and "首次" in chinese["duplicate"].stdout
    lines = chinese["stdin"].stdout.splitlines()
    assert [line.split()[1] for line in lines] == ["准予入场", "准予入场", "异常", "异常", "禁止入场", "重复入场", "无效扫描"]
    assert "→ 前往隔离考场 G01" in lines[2] and "[体温异常/" in lines[2]
    assert "时钟：2021-10-16 08:1" in chinese["status"].stdout and "（备用）" in chinese["status"].stdout
    assert "请给出一个扫描码" in chinese["no_code"].stderr and "未知结果 'bogus'" in chinese["bad_outcome"].stderr
    assert "考试计划中没有场次 'S9'；现有场次：S1, S2" in chinese["no_session"].stderr
    assert "没有场次 S9；本考试计划的场次：S1, S2" in chinese["report_no_session"].stderr
    assert "已返回" in chinese["back"].stdout and "不得再入场" in chinese["no_reentry"].stdout
    assert "09:00 起方可提前离场；此前离场只能由总监考授权" in chinese["too_early"].stderr
    assert "经总监考 王总监 授权" in chinese["gone"].stdout
    assert "未到规定时间的提前离场已授权" in chinese["exceptions"].stdout and "突发疾病" in chinese["exceptions"].stdout
    assert re.search(r"已到新座位 于 08:1\d:\d\d \d+ \S+ 考场 G01 座位 1 \(G01-1，由 001-4 经调配调整\) → 前往考场 G01 座位 1："
                     r"总监考已安排座位：G01-1，由 001-4 经调配调整$", chinese["arrived"].stdout.strip()), chinese["arrived"].stdout
    assert "提前结束请给出 --reason" in chinese["close_early"].stderr and "尚未处理：" in chinese["close_early"].stderr
    assert "场次已结束" in chinese["closed_check"].stdout
    assert "场次 S1 已由 王总监 结束：此后的记录须由总监考说明理由后补录" in chinese["closed_exit"].stderr
    assert "未达三零" in chinese["report"].stdout and "已写入 S1.xlsx" in chinese["report"].stdout
    assert chinese["verify"].stdout.startswith("正常：")
    assert re.fullmatch(r"lane\.examops：新增 0，已有 \d+，冲突 0\n", chinese["merge"].stdout)


def test_json_stays_english_on_a_chinese_site(chinese, english):
    zh, en = json.loads(chinese["json"].stdout), json.loads(english["json"].stdout)
    assert zh.keys() == en.keys() and (zh["verdict"], en["verdict"]) == ("duplicate", "duplicate")
    assert zh["reason"] == en["reason"] == "already admitted: possible impersonation, call the chief proctor"


def test_the_english_site_still_reads_as_english(english):
    assert re.match(r"store ready at .*: .* · .* · 2 sessions$", english["init"].stdout.strip())
    assert "\nimported 360 candidates in 12 rooms (360 new, 0 updated" in english["import"].stdout
    assert re.match(rf"S1 ADMITTED at 08:10:\d\d {FIRST} 石婷 room 001 seat 1$", english["admit"].stdout.strip())
    assert "DUPLICATE" in english["duplicate"].stdout and "first at" in english["duplicate"].stdout
    lines = english["stdin"].stdout.splitlines()
    assert [line.split()[1] for line in lines] == ["ADMITTED", "ADMITTED", "EXCEPTION", "EXCEPTION", "DENIED", "DUPLICATE",
                                                   "INVALID"]
    assert "→ go to isolation room G01" in lines[2]
    assert lines[-1].endswith("xx: not a ticket number, ID number or ticket QR code")
    assert "clock: 2021-10-16 08:1" in english["status"].stdout and "room B01" in english["status"].stdout
    assert "give one CODE, or --stdin" in english["no_code"].stderr
    assert "no session 'S9' in the plan; sessions: S1, S2" in english["no_session"].stderr
    assert "back from a temporary leave" in english["back"].stdout and "NO RE-ENTRY" in english["no_reentry"].stdout
    assert "an early leave for good is allowed from 09:00" in english["too_early"].stderr
    assert "authorised by the chief proctor 王总监" in english["gone"].stdout
    assert english["arrived"].stdout.strip().endswith(
        "→ go to room G01 seat 1: seated by the chief: G01-1, moved from 001-4 by reallocation"), english["arrived"].stdout
    assert "room G01 seat 1 (G01-1, moved from 001-4 by reallocation)" in english["find_moved"].stdout
    assert "to close it early give --reason" in english["close_early"].stderr and "still open:" in english["close_early"].stderr
    assert "SESSION CLOSED" in english["closed_check"].stdout
    assert "session S1 was closed by 王总监: a later record needs an override" in english["closed_exit"].stderr
    assert "not zero-incident" in english["report"].stdout and "written S1.xlsx" in english["report"].stdout
    assert english["verify"].stdout.startswith("ok: ")
    assert re.fullmatch(r"lane\.examops: 0 new, \d+ already here, 0 conflict\(s\)\n", english["merge"].stdout)
    assert all(not re.search(r"[\u4e00-\u9fff]", english[name].stdout + english[name].stderr)
               for name in ("no_code", "bad_outcome", "close_early", "report_usage", "verify", "export"))


@pytest.mark.parametrize("lang", [None, "en"])
def test_the_no_offline_copy_note_speaks_the_site_language(pg_url, tmp_path, lang):
    """A lane on the shared store whose laptop cannot keep a copy says so on stderr, before the verdict."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("EXAMOPS_", "LC_", "LANG"))}
    env.update(EXAMOPS_HOME=str(tmp_path / "home"), EXAMOPS_PIN=TEST_PIN, EXAMOPS_CLOCK="2021-10-16T08:10", LANG="C.UTF-8")
    options = ["--db", pg_url] + (["--lang", lang] if lang else [])

    def run(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([EXAMOPS, *options, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    assert run("init", "--plan", "rosters/sample_plan.toml").returncode == 0
    assert run("roster", "import", "rosters/sample_roster.xlsx").returncode == 0
    (tmp_path / "home" / "lanes").write_text("not a folder")  # where the lane's copy would go
    done = run("check", FIRST, "--lane", "A", "--staff", "张三")
    assert done.returncode == 0, done.stderr
    if lang is None:
        assert re.fullmatch(r"examops: 本机没有离线副本（.*）：共享数据库断开时扫描将无法记录\n", done.stderr), done.stderr
        assert done.stdout.startswith("S1 准予入场 于 ")
    else:
        assert re.fullmatch(r"examops: no offline copy on this laptop \(.*\): if the shared store stops answering, "
                            r"scans will NOT be recorded\n", done.stderr), done.stderr
        assert done.stdout.startswith("S1 ADMITTED at ")
