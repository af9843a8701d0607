"""What every command shares: errors and exit codes, output, the PIN prompt, opening the site."""

from __future__ import annotations

import json
import os
import sys

import click

from examops.domain.literal import shown
from examops.domain.said import os_reason
from examops.i18n import N_, _, spoken

EXIT_NOT_VERIFIED = 1
EXIT_BAD_INPUT = 2
EXIT_NOT_RECORDED = 3

PIN_PROMPT = N_("Chief proctor PIN")  # translated when asked: the language is known only then


class Failure(click.ClickException):
    """A clear error for the user; exit status 2."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: object) -> None:
        super().__init__(spoken(message))  # a Said, or an exception carrying one, in the site's language

    def show(self, file=None) -> None:  # noqa: ANN001
        say(f"examops: {self.format_message()}", err=True)


def literal(value: object) -> str:
    """A field from data for human output: '-' when absent, control and direction characters escaped."""
    return "-" if value is None else shown(value)


def shown_lines(text: str) -> str:
    """Human output made safe line by line: no control or escape character reaches the terminal.

    Fields from data go through `literal` first (so a newline in a name shows as `\\n`); this
    catches whatever a message carries besides.
    """
    return "\n".join(shown(line) for line in str(text).split("\n"))


def say(text: str, *, err: bool = False) -> None:
    """Echo human text with every control character escaped."""
    click.echo(shown_lines(text), err=err)


def limited(name: str):  # noqa: ANN201 - a click callback
    """A click callback refusing a value longer than the store keeps for the field `name` (exit 2, before any scan)."""
    from examops.domain.field_limits import FieldTooLong, check_field

    def callback(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
        try:
            check_field(name, value)
        except FieldTooLong as exc:
            raise click.BadParameter(spoken(exc)) from None
        return value

    return callback


def _json_words(value: object) -> str:
    """A sentence (`Said`) inside JSON: its English, as every JSON field is (scripts match on it)."""
    from examops.domain.said import Said

    if isinstance(value, Said):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def emit(data, as_json: bool, human: str | None = None) -> None:  # noqa: ANN001
    """Print `data` as JSON with --json, else the `human` text (if any), its control characters escaped."""
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=None if isinstance(data, dict) and "verdict" in data else 2,
                              default=_json_words))
    elif human is not None:
        say(human)


NEW_PIN_PROMPT = N_("New chief proctor PIN")


def read_pin_file(path: str) -> str:
    """A PIN kept in a file: its first line, without the line break (never a command-line value: `ps` shows those)."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            pin = handle.readline().strip()
    except OSError as exc:
        raise Failure(_("cannot read the PIN file {path}: {error}").format(path=path, error=spoken(os_reason(exc)))) from None
    if not pin:
        raise Failure(_("the PIN file {path} is empty").format(path=path))
    return pin


def given_pin() -> str | None:
    """The PIN from --pin-file or EXAMOPS_PIN, if either is given."""
    ctx = click.get_current_context(silent=True)
    path = (ctx.find_root().obj or {}).get("pin_file") if ctx else None
    if path:
        return read_pin_file(path)
    return os.environ.get("EXAMOPS_PIN") or None


def chief_pin(prompt: str = PIN_PROMPT) -> str:
    """The chief proctor's PIN: --pin-file, EXAMOPS_PIN, else asked on a terminal (never on a pipe)."""
    pin = given_pin()
    if pin:
        return pin
    if not sys.stdin.isatty():
        raise Failure(_("the chief proctor's PIN is needed: use --pin-file FILE or EXAMOPS_PIN for scripts"))
    return click.prompt(_(prompt), hide_input=True)


def new_pin_twice(prompt: str = NEW_PIN_PROMPT, *, first: bool = False) -> str:
    """A new PIN typed twice on a terminal, so a slip of the finger does not lock the chief out.

    Off a terminal the refusal names what a script gives instead: a `first` PIN (a new store) comes as every PIN does,
    from --pin-file or EXAMOPS_PIN; a changed one (`init --change-pin`, where EXAMOPS_PIN is the current PIN) from
    --new-pin-file or EXAMOPS_NEW_PIN."""
    from examops.i18n import _

    if not sys.stdin.isatty():
        raise Failure(_("the chief proctor's PIN for the new store is asked twice on a terminal; for scripts use "
                        "--pin-file FILE or EXAMOPS_PIN") if first else
                      _("the new PIN is asked twice on a terminal; for scripts use --new-pin-file FILE or EXAMOPS_NEW_PIN "
                        "(EXAMOPS_PIN or --pin-file give the current one)"))
    return click.prompt(_(prompt), hide_input=True, confirmation_prompt=True)


def progress_printer(enabled: bool):  # noqa: ANN201 - a progress callback, or None
    """A one-line progress bar on stderr for long imports (rosters, photos): stage, bar, done/total; None when off."""
    if not enabled:
        return None
    from examops.i18n import _

    labels = {"read": _("reading"), "check": _("checking"), "write": _("writing")}  # in the language set by now
    pad = max(map(len, labels.values()))

    def show(stage: str, done: int, total: int) -> None:
        width = 24
        filled = width if total == 0 else int(width * done / total)
        sys.stderr.write(f"\r{labels.get(stage, stage):<{pad}} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def open_site(ctx: click.Context, *, check: bool = True, check_meanwhile: bool = False):  # noqa: ANN201 - a Site
    """The site for a command; `check` (for every command that writes) runs SQLite's integrity check first, or
    with `check_meanwhile` (a lane) while it starts: its first write waits for the answer."""
    from examops.domain.plan import PlanError
    from examops.services.site import Site, SiteError, StoreError

    try:
        site = Site.open(ctx.obj.get("db"), check=check, check_meanwhile=check_meanwhile)
    except (StoreError, SiteError, PlanError) as exc:
        raise Failure(exc) from None
    ctx.obj["site"] = site  # the group words store refusals in this site's time
    speak_site_language(site)
    reason = ctx.obj.get("override")
    if reason:
        try:
            site.grant_override(reason, chief_pin(), who=os.environ.get("USER", ""))
        except SiteError as exc:
            site.close()
            raise Failure(exc) from None
    return site


def speak_site_language(site) -> None:  # noqa: ANN001 - a Site
    """--lang, else EXAMOPS_LANG, else the site plan's language, else the locale: every word after the site is open."""
    from examops.i18n import resolve_language, set_language

    ctx = click.get_current_context(silent=True)
    requested = (ctx.find_root().obj or {}).get("lang") if ctx else None
    set_language(resolve_language(requested, site.plan.language))


def require_session(site, session_id: str | None) -> None:  # noqa: ANN001 - a Site
    """A session named on the command line must be one of the plan's (the group turns the refusal into a Failure)."""
    if session_id:
        site.plan.session(session_id)
