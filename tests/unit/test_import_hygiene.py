"""The core stays free of UI and heavy libraries (checked in a fresh interpreter)."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SERVICES_DIR = Path(__file__).resolve().parents[2] / "examops" / "services"

CORE = ["examops.domain.idnumber", "examops.domain.plan", "examops.domain.policy", "examops.domain.events",
        "examops.domain.scan", "examops.domain.state", "examops.domain.verdict", "examops.domain.roster"]
SERVICES = ["examops.services.site", "examops.services.gate", "examops.services.lookup",
            "examops.services.counters", "examops.services.audit", "examops.services.roster",
            "examops.services.offline", "examops.services.live"]


def _loaded_after_import(modules: list[str]) -> set[str]:
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + "print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


@pytest.mark.parametrize("forbidden", ["textual", "pandas", "openpyxl", "sqlalchemy", "qrcode", "python_calamine"])
def test_domain_imports_nothing_heavy(forbidden):
    assert forbidden not in _loaded_after_import(CORE)


@pytest.mark.parametrize("forbidden", ["textual", "pandas"])
def test_services_load_neither_textual_nor_pandas(forbidden):
    assert forbidden not in _loaded_after_import(SERVICES)


def test_gate_path_never_imports_pandas_or_openpyxl():
    loaded = _loaded_after_import(["examops.cli", "examops.services.gate", "examops.services.counters"])
    assert "pandas" not in loaded and "openpyxl" not in loaded


def test_package_import_does_no_work():
    loaded = _loaded_after_import(["examops"])
    assert not {"sqlalchemy", "click", "textual", "platformdirs"} & loaded


def _imported_modules(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(SERVICES_DIR.glob("*.py")), ids=lambda p: p.name)
def test_services_hold_no_sql(path):
    """Storage lives in `examops.adapters.store`: no service module imports sqlalchemy, even inside a function."""
    imported = _imported_modules(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    assert not {m for m in imported if m == "sqlalchemy" or m.startswith("sqlalchemy.")}


def test_a_one_shot_check_loads_its_own_cli_area_only():
    """`examops check CODE` runs in a process of its own per scan: the other areas' commands are not imported for it."""
    code = ("import sys\nfrom examops.cli import main\nmain.get_command(None, 'check')\nimport examops.services.offline\n"
            "print(' '.join(sorted(sys.modules)))")
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())
    assert "examops.cli.gate" in loaded
    shared = ("examops.cli.gate", "examops.cli.common", "examops.cli.help_words")  # help's layout waits for --help
    assert not {m for m in loaded if m.startswith("examops.cli.") and m not in shared}
    assert not {"PIL", "textual", "pandas", "openpyxl", "reportlab", "qrcode"} & loaded


def test_the_gate_screen_loads_no_photo_code_until_a_photo_is_shown():
    """Pillow, numpy (textual-image's Sixel encoder) and the photo widget wait for a site with photos."""
    loaded = _loaded_after_import(["examops.tui.app", "examops.tui.screens.gate", "examops.services.photos"])
    assert not {"PIL", "numpy", "textual_image", "examops.tui.widgets.photo", "examops.tui.photo_render"} & loaded


def test_the_gate_asks_the_terminal_about_photos_only_on_a_site_with_photos(tmp_path):
    """Asking (textual-image's probe) loads numpy; a site without photos draws none, so the gate does not ask."""
    plan = Path(__file__).resolve().parents[2] / "rosters" / "sample_plan.toml"
    url = f"sqlite:///{tmp_path / 's.sqlite3'}"
    code = (f"import sys\nfrom examops.services.site import init_site\n"
            f"site = init_site({str(plan)!r}, url={url!r}, chief_pin='5183')\n"
            "from examops.cli.gate import _photo_terminal\nterminal = _photo_terminal(site)\n"
            "print(terminal.method, 'textual_image' in sys.modules, 'numpy' in sys.modules, 'PIL' in sys.modules)")
    env = {**os.environ, "EXAMOPS_HOME": str(tmp_path), "EXAMOPS_PHOTO": "sixel"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert out.split() == ["halfblock", "False", "False", "False"]  # even where EXAMOPS_PHOTO would pick Sixel


ONE_SHOT = """
import gc, gettext, json, sys
from examops.adapters import quick_check
import examops.cli.gate, examops.i18n
begun, collected, collector_in_stream = [], [], []
real_begin = quick_check.begin
quick_check.begin = lambda url: (begun.append("sqlalchemy" in sys.modules), real_begin(url))[-1]
examops.cli.gate._stdin_bursts = lambda gate: iter(collector_in_stream.append(gc.isenabled()) or ())
from examops.cli import main
own_process = sys.argv[1] == "own-process"  # as the console script calls it, else as an in-process caller would
sys.argv = ["examops", *sys.argv[2:]]
gc.callbacks.append(lambda phase, info: collected.append(info["generation"]) if phase == "start" else None)
try:
    main() if own_process else main(sys.argv[1:])
except SystemExit as done:
    print(json.dumps({"exit": done.code, "begun_after_sqlalchemy": begun, "modules": sorted(sys.modules),
                      "collections": collected, "collector_in_stream": collector_in_stream,
                      "collector_after": gc.isenabled(), "catalogs": [key[1] for key in gettext._translations if key[1].endswith("examops.mo")],
                      "cjk_compiled": sys.modules["examops.domain.roster_values"]._cjk.cache_info().currsize}))
"""


@pytest.fixture(scope="module")
def one_shot_check(tmp_path_factory):
    """What a one-shot `examops check CODE` (an admission, signed) loaded, and when it began the store's quick check."""
    from examops.services.site import init_site
    from tests.conftest import SAMPLE_PLAN, TEST_PIN, seed_roster

    home = tmp_path_factory.mktemp("one_shot")
    url = f"sqlite:///{home / 's.sqlite3'}"
    env = {**{k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "EXAMOPS_LANG")},
           "LANG": "C.UTF-8", "EXAMOPS_HOME": str(home), "EXAMOPS_CLOCK": "2021-10-16T08:10"}
    os.environ["EXAMOPS_HOME"], saved = str(home), os.environ.get("EXAMOPS_HOME")
    try:
        site = init_site(SAMPLE_PLAN, url=url, chief_pin=TEST_PIN)
        ticket = seed_roster(site)[0].ticket
        site.close()
    finally:
        os.environ.pop("EXAMOPS_HOME") if saved is None else os.environ.update(EXAMOPS_HOME=saved)
    args = ["--db", url, "check", ticket, "--lane", "A", "--staff", "s", "--session", "S1", "--json"]
    done = subprocess.run([sys.executable, "-c", ONE_SHOT, "own-process", *args], capture_output=True, text=True, env=env, check=True)
    lines = done.stdout.splitlines()
    assert json.loads(lines[0])["verdict"] == "admitted", done.stdout + done.stderr
    stream = subprocess.run([sys.executable, "-c", ONE_SHOT, "in-process", *args[:3], "--stdin", *args[4:]], input="", capture_output=True,
                            text=True, env=env, check=True)
    chinese = subprocess.run([sys.executable, "-c", ONE_SHOT, "own-process", "--lang", "zh-CN", *args], capture_output=True,
                             text=True, env=env, check=True)
    return {**json.loads(lines[-1]), "stream": json.loads(stream.stdout.splitlines()[-1]),
            "chinese": json.loads(chinese.stdout.splitlines()[-1])}


def test_a_one_shot_json_check_loads_no_catalog(one_shot_check):
    """Its JSON has no words to translate: the zh_CN catalog (a 100 kB .mo) of the site's language is not read for it
    (the command line's language, the locale's here, is English: click's words are not asked for in Chinese)."""
    assert one_shot_check["catalogs"] == []


def test_a_one_shot_json_check_on_a_chinese_command_line_loads_no_catalog_either(one_shot_check):
    """click's words and --help's are said when shown: a command that shows none reads no catalog for them (--help's
    own words used to be put in the option, in Chinese, as every command started)."""
    assert one_shot_check["chinese"]["catalogs"] == []
    assert "examops.cli.help_wrap" not in one_shot_check["chinese"]["modules"]


def test_a_one_shot_check_compiles_no_name_pattern(one_shot_check):
    """The CJK class of roster names (an astral range, ~5 ms to compile) waits for a roster: a plan does not need it."""
    assert one_shot_check["cjk_compiled"] == 0


def test_a_one_shot_check_begins_the_quick_check_before_importing_sqlalchemy(one_shot_check):
    """SQLite reads the whole file while SQLAlchemy and the lane's code are imported: the scan rarely waits for it."""
    assert one_shot_check["exit"] in (0, None) and one_shot_check["begun_after_sqlalchemy"] == [False]


@pytest.mark.parametrize("heavy", [
    "cryptography.hazmat.primitives.serialization",  # its SSH, X.509 and cipher modules: the device key is plain PKCS#8
    "sqlalchemy.orm", "sqlalchemy.ext",
])
def test_a_one_shot_check_signs_without_loading(one_shot_check, heavy):
    assert heavy not in one_shot_check["modules"]


def test_a_one_shot_check_runs_without_the_cycle_collector_and_a_lane_with_it(one_shot_check):
    """A one-shot's collector passes (over SQLAlchemy's import) free nothing: none runs while the command does; a
    `check --stdin` lane (it runs for hours) turns the collector on before its stream, and an in-process caller
    gets it back after."""
    assert one_shot_check["collections"] == []
    assert one_shot_check["collector_after"] is False  # its process exits now: no pass over everything imported
    assert one_shot_check["stream"]["collector_in_stream"] == [True]
    assert one_shot_check["stream"]["collector_after"] is True
