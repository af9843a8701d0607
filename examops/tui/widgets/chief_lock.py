"""A chief proctor's screen locked until the chief's PIN is given: from a gate lane and from the command line.

A mixin for screens: they set `locked`, `from_lane`, `site`, call `_unlock()` on
mount when locked, and implement `_start()` (and `lock_purpose()`, `lock_who()`).
A wrong PIN is logged by the service (with its back-off) and closes the screen:
back to the lane, or out of the app when the screen was opened on its own.
"""

from __future__ import annotations

from textual import work

from examops.i18n import _
from examops.services.site import PinLocked
from examops.tui.i18n import failure_words
from examops.tui.messages import ChiefPinChecked
from examops.tui.widgets.pin_modal import PinModal


class ChiefLock:
    locked: bool = False
    from_lane: str | None = None

    def lock_purpose(self) -> tuple[str, str]:
        """(what the PIN modal says, what the refusal log says)."""
        raise NotImplementedError

    def lock_who(self) -> str:
        return ""

    @work(group="chief-lock-dialog", exit_on_error=False)
    async def _unlock(self) -> None:
        shown, _logged = self.lock_purpose()
        pin = await self.app.push_screen_wait(PinModal(shown))
        if pin is None:
            self._leave_locked("")
            return
        self._check_pin(pin)

    @work(thread=True, group="chief-lock-pin", exit_on_error=False)
    def _check_pin(self, pin: str) -> None:
        _shown, logged = self.lock_purpose()
        try:
            accepted = self.site.check_pin(pin, who=self.lock_who(), purpose=logged)
        except PinLocked as exc:
            self.post_message(ChiefPinChecked(False, _("{count} wrong PINs in a row: wait {seconds} s before the next try "
                                                       "(the attempts are logged)").format(count=exc.refused,
                                                                                           seconds=exc.wait_seconds)))
            return
        except Exception as exc:  # noqa: BLE001 - shown on screen
            self.post_message(ChiefPinChecked(False, failure_words(exc)))
            return
        self.post_message(ChiefPinChecked(accepted, "" if accepted else _("wrong PIN (the attempt is logged)")))

    def on_chief_pin_checked(self, message: ChiefPinChecked) -> None:
        if message.accepted:
            self.locked = False
            self.refresh_bindings()
            self._start()
            return
        self._leave_locked(_("Not done: {error}").format(error=message.error))

    def _leave_locked(self, error: str) -> None:
        """Cancelled or refused: back to the lane with the reason on screen, or out of a screen opened on its own."""
        if self.from_lane is None:
            self.app.exit(return_code=1 if error else 0, message=error or None)
            return
        if error:
            self.notify(error, severity="error", timeout=8)
        self.dismiss()
