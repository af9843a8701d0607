"""--help in the site's language: a Chinese-only security-check clerk reads Chinese in every command's help, an English
reader what click always showed.

Every command and subcommand of the group is formatted at 80 columns under zh-CN: once the literals are taken out
(option names, environment variables, file names and command lines, codes with an underscore, the values a choice or a
default offers, and a few names: SQLite, PDF, JSON…), no ASCII word may remain, and no line may be wider than the
terminal counting a Chinese character as two columns. Under en the same help holds every English help text of ours and
click's usual metavars.
"""

from __future__ import annotations

import re
import unicodedata

import click
import pytest
from click.testing import CliRunner

from examops import i18n
from examops.cli import main
from examops.cli.help_words import Argument, Option

WIDTH = 78
"""What click lays help out in on an 80-column terminal."""
NAMES = {"examops", "SQLite", "PostgreSQL", "JSON", "PDF", "JPEG", "PNG", "TOML", "LibreOffice", "zip", "Enter", "TAB",
         "zh", "CN", "en", "misconduct", "cheating", "other", "admit", "late", "fever"}
"""Kept as written: products, formats, keys, language codes, the values --kind and --outcome take."""
LITERAL = re.compile(r"""
      -{1,2}[A-Za-z][\w-]*(?:/-{1,2}[\w-]+)?     # option names
    | EXAMOPS_\w+                                # environment variables
    | `[^`]*`                                    # a command line to type
    | \S*\.(?:xlsx|xls|csv|toml|txt|examops)\b    # file names and extensions
    | \S*(?:_|\d)\S*                             # codes and keys with an underscore or a digit: no_test_cert, temp1=37.8
    | \[[a-z|.-]+\]                              # a choice list, a plan's [section]
""", re.VERBOSE)


def _cells(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def _commands(group: click.Group, ctx: click.Context, path: tuple[str, ...] = ()):
    yield path, group
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            yield from _commands(command, ctx, (*path, name))
        else:
            yield (*path, name), command


COMMANDS = list(_commands(main, click.Context(main)))
IDS = [" ".join(path) or "examops" for path, _command in COMMANDS]


def _typed(path: tuple[str, ...], command: click.Command) -> set[str]:
    """What a user types as it is, on this page: the command's names, its subcommands', its options' choices and
    defaults."""
    values = {*path, *(command.list_commands(click.Context(command)) if isinstance(command, click.Group) else ())}
    for param in command.params:
        values.update(getattr(param.type, "choices", ()))
        if isinstance(param.default, str):
            values.add(param.default)
    return values


@pytest.fixture
def help_of(monkeypatch):
    """The --help page of a command path in a language, as a clerk's 80-column terminal shows it."""
    monkeypatch.setattr(i18n, "_active_language", i18n.language())  # the group sets the language: undone after

    def run(path: tuple[str, ...], lang: str) -> str:
        done = CliRunner().invoke(main, ["--lang", lang, *path, "--help"], prog_name="examops",
                                     terminal_width=WIDTH)
        assert done.exit_code == 0, done.output
        return done.output

    return run


def _english_words(page: str, allowed: set[str]) -> list[str]:
    words = re.findall(r"[A-Za-z]{2,}", LITERAL.sub(" ", page))
    return [word for word in words if word not in allowed]


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_chinese_help_holds_no_english_word(help_of, path, command):
    page = help_of(path, "zh-CN")
    assert page.startswith("用法：")
    assert _english_words(page, NAMES | _typed(path, command)) == [], page


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_chinese_help_fits_the_terminal(help_of, path, command):
    page = help_of(path, "zh-CN")
    assert [line for line in page.splitlines() if _cells(line) > WIDTH] == [], page


def _flat(text: str) -> str:
    """Without the line breaks and indents of the layout (a line may break between two Chinese characters)."""
    return "".join(text.split())


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_english_help_is_click_s_with_our_english_words(help_of, path, command):
    page = help_of(path, "en")
    flat = _flat(page)
    assert page.startswith(f"Usage: examops {' '.join(path)}".rstrip() + " [OPTIONS]")
    for paragraph in command.help.split("\n\n"):
        assert _flat(paragraph) in flat
    for param in command.params:
        if param.help:
            assert _flat(param.help) in flat, param.name
    assert "\nOptions:\n" in page and "Show this message and exit." in page
    if isinstance(command, click.Group):
        assert "\nCommands:\n" in page and re.search(r"\[?COMMAND\]? \[ARGS\]\.\.\.\n", page)


def test_the_metavars_speak_the_language_and_choices_stay_as_typed(help_of):
    chinese, english = help_of(("gate",), "zh-CN"), help_of(("gate",), "en")
    assert chinese.startswith("用法：examops gate [选项]\n")
    assert "--lane 文本" in chinese and "--confirm [always|photo|never]" in chinese and "[默认：photo]" in chinese
    assert "--lane TEXT" in english and "--confirm [always|photo|never]" in english and "[default: photo]" in english


def test_one_process_speaks_each_language_in_turn(help_of):
    """The texts are kept in English and said when shown: a second page in another language is not the first's."""
    assert "显示此帮助后退出" in help_of(("check",), "zh-CN")
    english = help_of(("check",), "en")
    assert "Show this message and exit." in english and "显示" not in english
    assert "放行" in help_of(("check",), "zh-CN")


def test_the_group_lists_its_commands_in_chinese_within_one_line_each(help_of):
    page = help_of((), "zh-CN")
    listing = page.split("命令：\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listing] == sorted(main.list_commands(click.Context(main)))
    assert any(line.split()[1].startswith("在安检口核验一名考生") for line in listing if line.split()[0] == "check")


PARAMS = [(path, command, param) for path, command in COMMANDS for param in command.params
          if not getattr(param, "hidden", False)]


def _msgid(param: click.Parameter) -> str | None:
    """The English help a parameter was made with (help_words keeps it and says it in the language of the moment)."""
    return vars(param).get("_english_help")


def test_every_option_and_argument_says_what_it_is():
    """A clerk reading `examops move --help` learns what --seat and TICKET are: every option and argument of every
    command carries a help text, made with help_words' classes so it is said in the site's language."""
    bare = [f"{' '.join(path) or 'examops'} {param.name}" for path, _command, param in PARAMS
            if not isinstance(param, (Option, Argument)) or not _msgid(param)]
    assert bare == []


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_each_parameter_s_help_shows_in_chinese(help_of, path, command):
    page = _flat(help_of(path, "zh-CN"))
    chinese = i18n.translator("zh_CN")
    for param in command.params:
        english = _msgid(param)
        if english:
            said = chinese.gettext(english)
            assert said != english, english
            assert _flat(said) in page, (param.name, said)
    if any(isinstance(param, click.Argument) for param in command.params):
        assert "位置参数：" in page
