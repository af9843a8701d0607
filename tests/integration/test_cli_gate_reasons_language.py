"""`examops check` on a zh-CN site says the policy's reasons in Chinese, as the lane screen does.

Found following the README's morning with the clock after the cutoff: `check` printed "[迟到/禁止入场]: entry closed at
09:00", and a second scan "already recorded: entry closed at 09:00"; a fever "38.5 °C: rest in the observation area,
then re-test", a fever without a reading "evidence missing: temp1", a missing certificate "no certificate shown".
The reasons are kept in English in the events (as written then); the CLI now words them again from the catalog.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE_PLAN, TEST_PIN
from tests.integration.test_cli_site_language import _english_left

EXAMOPS = str(Path(sys.executable).parent / "examops")


def _run(folder: Path, lang: str, clock: str, *argv: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("EXAMOPS_", "LC_", "LANG"))}
    env.update(EXAMOPS_HOME=str(folder / "home"), EXAMOPS_PIN=TEST_PIN, EXAMOPS_CLOCK=clock, LANG="C.UTF-8",
               EXAMOPS_LANG=lang)
    return subprocess.run([EXAMOPS, *argv], cwd=folder, env=env, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module", params=["zh-CN", "en"])
def site(request, tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp(request.param)
    for argv in (["init", "--plan", str(SAMPLE_PLAN)], ["roster", "import", str(ROOT / "rosters" / "sample_roster.xlsx")]):
        done = _run(folder, request.param, "2021-10-16T08:10", *argv)
        assert done.returncode == 0, done.stderr
    return folder, request.param


CASES = [  # (clock, argv after the ticket, a phrase the Chinese line holds, one the English line holds)
    ("2021-10-16T09:10", ["21150054251590"], "迟到/禁止入场", "entry closed at 09:00"),
    ("2021-10-16T09:10", ["21150054251590"], "已登记：", "already recorded: entry closed at 09:00"),
    ("2021-10-16T08:10", ["21150054251591", "--outcome", "fever", "--field", "temp1=38.5"], "38.5 °C",
     "38.5 °C: rest in the observation area, then re-test"),
    ("2021-10-16T08:10", ["21150054251592", "--outcome", "fever"], "缺少登记项", "evidence missing: first reading"),
    ("2021-10-16T08:10", ["21150054251593", "--outcome", "no_test_cert"], "未出示核酸检测证明", "no certificate shown"),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_the_policy_s_reason_is_said_in_the_site_language(site, case):
    folder, lang = site
    clock, argv, chinese, english = CASES[case]
    done = _run(folder, lang, clock, "check", *argv, "--lane", "A", "--staff", "张三")
    assert done.returncode == 0, done.stderr
    line = done.stdout
    if lang == "zh-CN":
        assert chinese in line, line
        assert _english_left(line) == [], line
        assert ": " not in line, line  # the reason follows the catalog's colon (：), not an English one
    else:
        assert english in line, line
