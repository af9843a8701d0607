"""The layers' direction as import-linter contracts (pyproject.toml), run on the tree and on a planted violation."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")

pytestmark = pytest.mark.skipif(LINT is None, reason="import-linter is not installed (pip install -e '.[test]')")


def _lint(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([LINT, "--config", str(root / "pyproject.toml"), "--no-cache"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_tree_keeps_every_contract():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "back_import", "contract"), [
    ("examops/domain/verdict.py", "import examops.services.site", "domain is pure"),
    ("examops/domain/plan.py", "import sqlalchemy", "domain is pure"),
    ("examops/services/gate.py", "import sqlalchemy", "services hold no SQL"),
    ("examops/adapters/excel_out/report_book.py", "import examops.services.report", "adapters take domain values"),
    ("examops/tui/app.py", "import examops.adapters.store", "the TUI and the CLI reach storage"),
    ("examops/cli/report.py", "import examops.adapters.excel_out.report_book", "the TUI and the CLI reach storage"),
])
def test_a_planted_back_import_breaks_its_contract(tmp_path, module, back_import, contract):
    shutil.copytree(ROOT / "examops", tmp_path / "examops", ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{back_import}  # planted\n", encoding="utf-8")
    result = _lint(tmp_path)
    assert result.returncode != 0
    broken = [line for line in result.stdout.splitlines() if line.endswith("BROKEN")]
    assert any(line.startswith(contract) for line in broken), result.stdout
