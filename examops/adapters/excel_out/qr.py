"""QR codes as PNG images for the workbooks (qrcode), drawn as `domain.qr_style` says."""

from __future__ import annotations

from io import BytesIO

import qrcode

from examops.domain.qr_style import QR_BORDER, QR_ERROR_LEVEL


def qr_png(text: str, *, box_size: int, mask_pattern: int | None = None) -> bytes:
    """The PNG of `text`'s QR code, `box_size` pixels a module; byte-for-byte the same for the same arguments."""
    code = qrcode.QRCode(error_correction=getattr(qrcode.constants, f"ERROR_CORRECT_{QR_ERROR_LEVEL}"), box_size=box_size,
                         border=QR_BORDER, mask_pattern=mask_pattern)
    code.add_data(text)
    code.make(fit=True)
    buffer = BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()
