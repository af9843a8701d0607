"""click's own words — usage errors and the headings of --help — in the site's language.

click marks its messages with the standard library's `gettext`/`ngettext`, imported into each of its modules, and
offers no hook of its own; those names in click's modules are pointed at our catalog once, when the command starts,
so a clerk who forgets `--lane` reads 缺少选项 on a Chinese site. Only the messages listed here are in the catalog;
any other stays click's English.
"""

from __future__ import annotations

import importlib

from examops.i18n import N_, language, ngettext, translator

CLICK_MODULES = ("core", "exceptions", "formatting", "parser", "types", "termui")
"""Not `decorators`: its only words here are --help's and --version's, which help_words says when they are shown (worded
when the option is made, they would read the catalog for every command, a one-shot `check` included)."""
WORDS = (
    N_("Usage:"), N_("Error: {message}"), N_("Try '{command} {option}' for help."), N_("Options"), N_("Commands"),
    N_("Positional arguments"), N_("Missing argument"), N_("Missing option"), N_("Missing parameter"),
    N_("Missing command."), N_("No such option {name!r}."), N_("No such command {name!r}."),
    N_("Invalid value for {param_hint}: {message}"), N_("Invalid value: {message}"), N_("Aborted!"),
    N_("Show this message and exit."), N_("Show the version and exit."), N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."), N_("Option {name!r} does not take a value."), N_("default: {default}"),
    N_("env var: {var}"),
)
# click.Path's refusals; its "{name}" (File, Directory) was set in English when the options were defined: the
# Chinese leaves it out, the path itself says which.
PATH_WORDS = (N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a file."),
              N_("{name} {filename!r} is a directory."), N_("{name} {filename!r} is not readable."),
              N_("{name} {filename!r} is not writable."), N_("{name} {filename!r} is not executable."))
PROMPT_WORDS = (N_("Repeat for confirmation"), N_("Error: The two entered values do not match."),
                N_("Error: The value you entered was invalid."))


def _marked_plurals() -> None:  # never called: marks click's counted messages for the catalog's extraction
    ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 1)
    ngettext("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", 1)
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 1)
    ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 1)


def _gettext(message: str) -> str:
    return translator(language()).gettext(message)


def _ngettext(singular: str, plural: str, count: int) -> str:
    return translator(language()).ngettext(singular, plural, count)


def speak_click() -> None:
    """Point click's gettext names at the catalog, in the process's language at the moment each message is made."""
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _gettext
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext
