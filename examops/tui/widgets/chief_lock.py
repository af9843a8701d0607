"""Opening a chief proctor's screen from a gate lane: locked until the chief's PIN is given.

A mixin for screens: they set `locked`, `from_lane`, `site`, call `_unlock()` on
mount when locked, and implement `_start()` (and `lock_purpose()`, `lock_who()`).
A wrong PIN is logged by the service and closes the screen.
"""

from __future__ import annotations

from textual import work

from examops.i18n import _
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
            self.dismiss()
            return
        self._check_pin(pin)

    @work(thread=True, group="chief-lock-pin", exit_on_error=False)
    def _check_pin(self, pin: str) -> None:
        _shown, logged = self.lock_purpose()
        try:
            accepted = self.site.check_pin(pin, who=self.lock_who(), purpose=logged)
        except Exception as exc:  # noqa: BLE001 - shown on screen
            self.post_message(ChiefPinChecked(False, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(ChiefPinChecked(accepted, "" if accepted else "wrong PIN (the attempt is logged)"))

    def on_chief_pin_checked(self, message: ChiefPinChecked) -> None:
        if message.accepted:
            self.locked = False
            self.refresh_bindings()
            self._start()
            return
        self.notify(_("Not done: {error}").format(error=message.error), severity="error", timeout=8)
        self.dismiss()
