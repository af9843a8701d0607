"""The README's promises: two set-up commands, and CI runs the same test command."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _commands(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("python3 -m venv")]


def test_readme_has_exactly_two_setup_commands_demo_and_tests():
    commands = _commands((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(commands) == 2
    assert commands[0].endswith("&& examops demo")
    assert commands[1].endswith("&& python -m pytest")


def test_ci_runs_the_readme_test_command():
    readme_test_command = _commands((ROOT / "README.md").read_text(encoding="utf-8"))[1]
    assert readme_test_command in _commands((ROOT / ".ci" / "run").read_text(encoding="utf-8"))[0]
