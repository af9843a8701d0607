"""A line at the top of the chief's review: shown when the store was changed behind examops, rechecked cheaply.

The check (`services.tamper_check`) runs in a thread worker every `RECHECK_EVERY_S`; it verifies only what was
written since its last run, so a quiet store costs one read of the log and the roster, no signature.
"""

from __future__ import annotations

from rich.text import Text
from textual import work

from examops.i18n import _, spoken
from examops.services import tamper_check
from examops.services.site import Site
from examops.tui.i18n import failure_words
from examops.tui.messages import TamperChecked
from examops.tui.widgets.plain import Static

RECHECK_EVERY_S = 30.0
FINDINGS_SHOWN = 2


class TamperWarning(Static):
    """Hidden on a clean store; else what was found, in bold red, and what to do."""

    DEFAULT_CSS = """
    TamperWarning {
        display: none;
        height: auto;
        max-height: 4;
        padding: 0 1;
        background: $error 20%;
    }
    TamperWarning.-tampered {
        display: block;
    }
    """

    def __init__(self, site: Site, **kwargs) -> None:  # noqa: ANN003
        super().__init__("", **kwargs)
        self.site = site
        self.checking = False
        self.checked = False
        self.findings: list[str] = []

    def start(self) -> None:
        """Check now and every `RECHECK_EVERY_S` (after the chief's PIN opened the screen)."""
        self.set_interval(RECHECK_EVERY_S, self.recheck)
        self.recheck()

    def recheck(self) -> None:
        if not self.checking:
            self.checking = True
            self._check()

    @work(thread=True, group="tamper-check", exit_on_error=False)
    def _check(self) -> None:
        try:
            found = tamper_check.check_store(self.site)
        except Exception as exc:  # noqa: BLE001 - shown on screen
            self.post_message(TamperChecked([], failure_words(exc)))
            return
        self.post_message(TamperChecked([spoken(f) for f in found.findings]))

    def on_tamper_checked(self, message: TamperChecked) -> None:
        message.stop()
        self.checking, self.checked = False, True
        self.findings = message.findings
        if message.failed is not None:
            self.update(Text(_("The tamper check could not run: {error}").format(error=message.failed), style="bold red"))
            self.set_class(True, "-tampered")
            return
        self.set_class(bool(self.findings), "-tampered")
        if not self.findings:
            self.update("")
            return
        shown = _("; ").join(self.findings[:FINDINGS_SHOWN])
        more = len(self.findings) - FINDINGS_SHOWN
        line = (_("TAMPERED: the store was changed behind examops: {findings} (and {count} more). No report can be signed: "
                  "run `examops verify` and keep what it says for the bureau").format(findings=shown, count=more) if more > 0 else
                _("TAMPERED: the store was changed behind examops: {findings}. No report can be signed: run `examops verify` "
                  "and keep what it says for the bureau").format(findings=shown))
        self.update(Text(line, style="bold red"))
