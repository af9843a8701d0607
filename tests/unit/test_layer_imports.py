"""The layers hold by their imports, read from the source: adapters never reach up, the domain stands alone.

Every import counts, including those inside functions and `TYPE_CHECKING` blocks:
a type-only back-import is still a circle a reader has to untangle.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import examops

PACKAGE = Path(examops.__file__).parent
STDLIB = sys.stdlib_module_names | {"__future__"}


def _modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def _dotted(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path) -> set[str]:
    """Every module `path` imports, dotted and absolute; `from a import b` also names `a.b` (b may be a module)."""
    package = _dotted(path) if path.name == "__init__.py" else _dotted(path).rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names if alias.name != "*")
    return names


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _label(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


@pytest.mark.parametrize("path", _modules("adapters"), ids=_label)
def test_an_adapter_imports_neither_services_nor_the_tui(path):
    upward = sorted(n for n in imported_names(path) if _within(n, "examops.services") or _within(n, "examops.tui"))
    assert not upward, f"{_label(path)} imports {', '.join(upward)}: adapters take domain values as arguments"


def _allowed_in_domain(name: str) -> bool:
    top = name.split(".")[0]
    if top == "examops":
        return name == "examops" or _within(name, "examops.domain")  # bare "examops" comes with its submodule's name
    return top in STDLIB


@pytest.mark.parametrize("path", _modules("domain"), ids=_label)
def test_the_domain_imports_only_the_standard_library_and_itself(path):
    foreign = sorted(n for n in imported_names(path) if not _allowed_in_domain(n))
    assert not foreign, f"{_label(path)} imports {', '.join(foreign)}: the domain is the standard library and itself"


@pytest.mark.parametrize("source, offending", [
    ("from examops.services.report import ReportContent\n", "examops.services.report"),
    ("from examops import services\n", "examops.services"),
    ("import examops.tui.app\n", "examops.tui.app"),
    ("def f():\n    from ...services import documents\n", "examops.services"),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from examops.services.documents import RoomPaper\n",
     "examops.services.documents"),
])
def test_the_check_sees_each_way_of_writing_a_back_import(tmp_path, monkeypatch, source, offending):
    fake = tmp_path / "examops" / "adapters" / "excel_out" / "fake.py"
    fake.parent.mkdir(parents=True)
    fake.write_text(source, encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "examops")
    assert offending in imported_names(fake)
    with pytest.raises(AssertionError):
        test_an_adapter_imports_neither_services_nor_the_tui(fake)


@pytest.mark.parametrize("source", ["import openpyxl\n", "from sqlalchemy import select\n", "from examops.adapters import schema\n",
                                    "from examops.services.site import Site\n", "from examops import locations\n"])
def test_the_check_sees_a_domain_module_reaching_out(tmp_path, monkeypatch, source):
    fake = tmp_path / "examops" / "domain" / "fake.py"
    fake.parent.mkdir(parents=True)
    fake.write_text(source, encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "examops")
    with pytest.raises(AssertionError):
        test_the_domain_imports_only_the_standard_library_and_itself(fake)
