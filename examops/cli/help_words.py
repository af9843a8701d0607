"""Our own words in --help — commands' and options' help, metavars — in the language of the moment they are shown.

The help texts are defined at import time, before `--lang` is read, so they keep their English msgid (marked with `N_`)
and these click classes translate them when help is formatted: `help` is read through the catalog, metavars (TEXT,
FILE, [OPTIONS], COMMAND [ARGS]...) through a table. Nothing is translated, and no catalog read, while a command runs.
Every command of the CLI is made with `command`, `group`, `option` and `argument` from here (a test walks them all).
"""

from __future__ import annotations

import functools
import re

import click

from examops.i18n import N_, NP_, language, translator, word

METAVAR_WORDS = {  # click's own (types, usage) and ours (metavar=, argument names)
    "OPTIONS": NP_("metavar", "OPTIONS"), "COMMAND": NP_("metavar", "COMMAND"), "ARGS": NP_("metavar", "ARGS"),
    "TEXT": NP_("metavar", "TEXT"), "INTEGER": NP_("metavar", "INTEGER"), "FLOAT": NP_("metavar", "FLOAT"),
    "BOOLEAN": NP_("metavar", "BOOLEAN"), "PATH": NP_("metavar", "PATH"), "FILE": NP_("metavar", "FILE"),
    "DIRECTORY": NP_("metavar", "DIRECTORY"), "REASON": NP_("metavar", "REASON"), "LANG": NP_("metavar", "LANG"),
    "ROLE": NP_("metavar", "ROLE"), "TICKET": NP_("metavar", "TICKET"), "EVENT": NP_("metavar", "EVENT"),
    "EVENT_ID": NP_("metavar", "EVENT_ID"), "CODE": NP_("metavar", "CODE"), "QUERY": NP_("metavar", "QUERY"),
    "FILES": NP_("metavar", "FILES"), "PACKS": NP_("metavar", "PACKS"), "PATHS": NP_("metavar", "PATHS"),
    "BUNDLES": NP_("metavar", "BUNDLES"), "CASE_ID": NP_("metavar", "CASE_ID"), "CASE_IDS": NP_("metavar", "CASE_IDS"),
    "ROOM_ID": NP_("metavar", "ROOM_ID"), "PUBLIC_KEY": NP_("metavar", "PUBLIC_KEY"),
}
# Help many commands' options and arguments share: one msgid each.
JSON_HELP = N_("Print the result as JSON (for scripts).")
SESSION_HELP = N_("The session (场次) id, as in the plan.")
TICKET_HELP = N_("The candidate's ticket number (准考证号).")
CASE_HELP = N_("The exception case's id, as `examops exceptions` lists it.")
METAVAR_NAME = r"[A-Z][A-Z0-9_]*"  # compiled at the first help shown (re caches it), not at every command's start


def metavar_words(metavar: str) -> str:
    """`[OPTIONS]`, `FILES...`, `TICKET|EVENT` with each name the table knows in the language of the moment; a choice
    list (`[always|photo|never]`) stays as typed."""
    return re.sub(METAVAR_NAME, lambda name: word(METAVAR_WORDS, name.group()) if name.group() in METAVAR_WORDS
                  else name.group(), metavar)


def _said(english: str | None) -> str | None:
    """An English msgid in the language of the moment (`gettext("")` would be the catalog's header)."""
    return translator(language()).gettext(english) if english else english


class _SaidWhenRead:
    """An attribute that keeps the English msgid click was given and gives it back in the language of the moment."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_english_{name}"

    def __get__(self, instance: object, owner: type | None = None):  # noqa: ANN204
        return self if instance is None else _said(instance.__dict__.get(self.slot))

    def __set__(self, instance: object, value: str | None) -> None:
        instance.__dict__[self.slot] = value


class Option(click.Option):
    help = _SaidWhenRead()

    def make_metavar(self, *args, **kwargs) -> str:  # noqa: ANN002, ANN003 - click 8.2 added the context
        return metavar_words(super().make_metavar(*args, **kwargs))


class Argument(click.Argument):
    help = _SaidWhenRead()

    def make_metavar(self, *args, **kwargs) -> str:  # noqa: ANN002, ANN003 - click 8.2 added the context
        return metavar_words(super().make_metavar(*args, **kwargs))


HELP_OPTION_WORDS = N_("Show this message and exit.")  # click's words


class HelpContext(click.Context):
    def make_formatter(self) -> click.HelpFormatter:
        """A formatter that measures display cells, so Chinese wraps inside the terminal (imported only for help)."""
        from examops.cli.help_wrap import CellFormatter

        return CellFormatter(width=self.terminal_width, max_width=self.max_content_width)


class Command(click.Command):
    help = _SaidWhenRead()
    context_class = HelpContext

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [metavar_words(piece) for piece in super().collect_usage_pieces(ctx)]

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        """click makes `--help` a plain Option worded once, in the language of that moment; ours reads its words when
        shown, so an in-process caller switching languages reads each in its own."""
        option = super().get_help_option(ctx)
        if option is not None and type(option) is click.Option:
            option.__class__ = Option
            option.__dict__.pop("help", None)  # click's words of that moment; the descriptor keeps the msgid
            option.help = HELP_OPTION_WORDS
        return option

    def get_short_help_str(self, limit: int = 45) -> str:
        """The listing's line: click's for English; for text with wide characters, its first sentence cut to `limit`
        display cells (click counts characters, and finds no sentence in Chinese)."""
        from examops.cli.help_wrap import cells, short_line

        text = self.help or ""
        if self.short_help or cells(text) == len(text):
            return super().get_short_help_str(limit)
        return short_line(text, limit)


class Group(Command, click.Group):
    command_class = Command
    group_class = type  # a subgroup is a Group too


option = functools.partial(click.option, cls=Option)
argument = functools.partial(click.argument, cls=Argument)
command = functools.partial(click.command, cls=Command)
group = functools.partial(click.group, cls=Group)
