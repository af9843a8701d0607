"""How every QR code of examops is drawn (report, seat labels, the report screen), so a scanner reads them alike."""

from __future__ import annotations

QR_ERROR_LEVEL = "M"
"""qrcode's ERROR_CORRECT_<level>: M survives about 15 % damage (a smudged or folded print)."""
QR_BORDER = 4
"""Quiet zone in modules: the standard's minimum."""
REPORT_QR_BOX = 6
"""Pixels per module of the QR image on the report's signature sheet."""
LABEL_QR_BOX = 8
"""Pixels per module on a seat label: finer than it is shown, so it prints sharp."""
