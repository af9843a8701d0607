"""The gate while the shared store does not answer: the banner, the probe for the server, the upload of the queue.

`OfflineLane` is mixed into `GateScreen`, whose `lane`, `_lane_wrote`, `offline`, `_offline_detail`, `_probing`, `_upload_queued`,
`_requests` and `request_panels` it uses; the upload runs on the lane worker, in the queue's order behind the scans.
"""

from __future__ import annotations

from textual import work

from examops.i18n import _, spoken
from examops.tui.messages import (
    LaneWentOffline,
    OfflineCopyFailed,
    OfflineQueueGrew,
    QueueUploaded,
    ServerProbed,
    UploadFailed,
)
from examops.tui.widgets.plain import Static

UPLOAD = "upload"  # a lane-worker request: send the offline queue up


class OfflineLane:
    def _upload(self) -> None:
        """On the lane worker: send the offline queue up (scans wait their turn behind it)."""
        if self.lane.online:
            self.post_message(QueueUploaded(0, 0))
            return
        result = self.lane.try_upload()
        if result.ok:
            self.post_message(QueueUploaded(result.uploaded, len(result.conflicts)))
        else:
            self.post_message(UploadFailed(result.error or "", self.lane.pending))

    def on_lane_went_offline(self, message: LaneWentOffline) -> None:
        self.offline = True
        self.add_class("-offline")
        self._lane_wrote(None)  # the figures are this laptop's copy's from now: counted there afresh
        self._show_offline(message.pending, _("Why: {reason}").format(reason=spoken(message.reason)))
        self.app.bell()

    def on_offline_queue_grew(self, message: OfflineQueueGrew) -> None:
        self._show_offline(message.pending)

    def _show_offline(self, pending: int, detail: str | None = None) -> None:
        if detail is not None:
            self._offline_detail = detail
        self.query_one("#offline-banner", Static).update(_("OFFLINE — recorded on this laptop, uploads when the server is back · {pending} pending").format(pending=pending) + "\n" + self._offline_detail)

    def _probe_if_offline(self) -> None:
        if self.offline and not self._probing and not self._upload_queued:
            self._probing = True
            self._probe()

    @work(thread=True, group="probe", exit_on_error=False)
    def _probe(self) -> None:
        self.post_message(ServerProbed(self.lane.server_answers()))

    def on_server_probed(self, message: ServerProbed) -> None:
        self._probing = False
        if message.answered and self.offline and not self._upload_queued:
            self._upload_queued = True
            self._requests.put(UPLOAD)

    def on_queue_uploaded(self, message: QueueUploaded) -> None:
        self._upload_queued = False
        self.offline = False
        self.remove_class("-offline")
        if message.uploaded or message.conflicts:
            self.notify(_("Back online: {count} record(s) uploaded").format(count=message.uploaded), timeout=8)
        if message.conflicts:
            self.notify(_("{count} admission conflict(s) flagged (admitted offline here and at another lane): the chief proctor reviews them").format(count=message.conflicts), severity="warning", timeout=30)
            self.app.bell()
        self._lane_wrote(None)  # the shared store's figures again, counted afresh
        self.request_panels()

    def on_upload_failed(self, message: UploadFailed) -> None:
        self._upload_queued = False
        self._show_offline(message.pending, _("Upload did not go through, retrying: {error}").format(error=spoken(message.error)))

    def on_offline_copy_failed(self, message: OfflineCopyFailed) -> None:
        self.notify(_("No offline copy on this laptop: {error} — if the server stops answering, scans will NOT be recorded").format(error=spoken(message.error)), severity="error", timeout=30)
