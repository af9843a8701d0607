"""Synthetic photos for tests (the package's generator: a grey silhouette with the ticket drawn, never a real face),
and `give_photos`, which stores them through the real import service."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Iterable

from examops.sample_photos import synthetic_photo, write_photo_pack
from tests.conftest import TEST_PIN

__all__ = ["give_photos", "synthetic_photo", "write_pack"]

write_pack = write_photo_pack


def give_photos(site, tickets: Iterable[str], **photo_options):  # noqa: ANN001, ANN201 - a Site; the import's report
    """Store a synthetic photo for each ticket through the real import service."""
    from examops.services.photos import import_photos

    with tempfile.TemporaryDirectory(prefix="examops-photos-") as folder:
        pack = write_pack(Path(folder) / "pack", list(tickets), **photo_options)
        report = import_photos(site, [pack], by="test", authorise=lambda: TEST_PIN)  # a replacement needs the PIN
    assert not report.errors, [p.to_dict() for p in report.errors]
    assert report.imported
    return report
