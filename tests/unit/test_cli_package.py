"""The CLI package holds together without private back-doors: no module imports an underscore name from a sibling."""

import ast
from pathlib import Path

import examops.cli

CLI_DIR = Path(examops.cli.__file__).parent


def _private_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("examops.cli"):
            found += [f"{path.name}:{node.lineno} {node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
        elif isinstance(node, ast.ImportFrom) and node.level:  # relative imports reach siblings too
            found += [f"{path.name}:{node.lineno} .{node.module or ''}.{a.name}" for a in node.names if a.name.startswith("_")]
    return found


def test_no_cli_module_imports_a_private_name_from_a_sibling():
    modules = sorted(CLI_DIR.glob("*.py"))
    assert len(modules) >= 9
    assert [hit for path in modules for hit in _private_imports(path)] == []


def test_the_check_catches_a_private_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from examops.cli.common import _hidden\nfrom .gate import _note\n", encoding="utf-8")
    assert len(_private_imports(bad)) == 2


def test_no_area_module_imports_the_group():
    for path in sorted(CLI_DIR.glob("*.py")):
        if path.name == "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "examops.cli":
                assert "main" not in {a.name for a in node.names}, path.name


def test_the_command_map_names_every_command_of_every_area():
    """The group imports an area only when one of its commands runs: its map must match the areas' COMMANDS."""
    import importlib

    from examops.cli import AREAS, COMMAND_AREAS

    defined = {command.name: area for area in AREAS for command in importlib.import_module(f"examops.cli.{area}").COMMANDS}
    assert COMMAND_AREAS == defined
    assert {path.stem for path in CLI_DIR.glob("*.py")} - {"__init__", "common", "click_words", "help_words", "help_wrap"} == set(AREAS)  # helpers, not areas


def test_roster_and_photo_imports_share_one_progress_bar_in_the_site_language(capsys):
    """One printer for both imports (photos had a copy), its stage words from the catalog, not English on a Chinese site."""
    from examops.cli import photos, roster
    from examops.cli.common import progress_printer
    from examops.i18n import language, set_language

    before = language()
    assert not hasattr(roster, "_progress_printer") and not hasattr(photos, "_progress_printer")
    assert progress_printer(False) is None
    set_language("zh_CN")
    try:
        show = progress_printer(True)
        show("read", 0, 2)
        show("check", 2, 2)
    finally:
        set_language(before)
    err = capsys.readouterr().err
    assert "读取中" in err and "检查中" in err and err.endswith("2/2\n")
    assert "reading" not in err
