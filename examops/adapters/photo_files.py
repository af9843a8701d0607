"""Photo packs as exam offices send them: a zip, a folder, or one image; each photo checked before it is decoded.

A zip is judged by what its directory declares before anything is inflated (entry count, each
entry's size and compression ratio, the total), and reading an entry never inflates more than
the limit. An image is judged by its header (format, width × height against the limits and
Pillow's MAX_IMAGE_PIXELS) before its pixels are decoded; decoding then finds a damaged file.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import warnings
import zipfile
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from PIL import Image, UnidentifiedImageError

from examops.domain.photo_pack import (
    MAX_FILE_BYTES,
    MAX_PACK_BYTES,
    MAX_PACK_ENTRIES,
    MAX_PIXELS,
    MAX_ZIP_RATIO,
    MIN_SIDE,
    has_photo_suffix,
)

# Pillow refuses past twice this and warns past it; here the warning is an error too. Set once for the process (not
# per call: catch_warnings is not thread-safe, and photos are checked on several threads). No image this process
# opens is ever wanted past the limit.
Image.MAX_IMAGE_PIXELS = min(Image.MAX_IMAGE_PIXELS or MAX_PIXELS, MAX_PIXELS)
warnings.filterwarnings("error", category=Image.DecompressionBombWarning)

_MAGIC = (
    (b"\xff\xd8\xff", "jpeg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"GIF8", "gif"), (b"BM", "bmp"),
    (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"), (b"%PDF", "pdf"), (b"PK\x03\x04", "zip"), (b"Rar!", "rar"),
    (b"7z\xbc\xaf'\x1c", "7z"), (b"\xd0\xcf\x11\xe0", "ole"),
)

_OTHER_IMAGES = ("gif", "bmp", "tiff", "webp", "heic", "avif")  # images, but not what a registration photo is sent as


class Refused(Exception):
    """A pack or a photo examops will not take: a problem code and its parameters."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code, self.params = code, params


def sniff(head: bytes) -> str:
    """What the first bytes say a file is ("jpeg", "png", "gif", …, "webp", "heic", or "unknown")."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"avif"):
        return "heic" if head[8:12] != b"avif" else "avif"
    return "unknown"


_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # start-of-frame: not DHT, JPG, DAC


def header_size(data: bytes, kind: str) -> tuple[int, int] | None:
    """(width, height) as a PNG's IHDR or a JPEG's start-of-frame declares it, read without decoding; None if absent."""
    if kind == "png":
        if len(data) >= 24 and data[12:16] == b"IHDR":
            return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        return None
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
            at += 2
            continue
        length = int.from_bytes(data[at + 2:at + 4], "big")
        if marker in _SOF_MARKERS and at + 9 <= len(data):
            return int.from_bytes(data[at + 7:at + 9], "big"), int.from_bytes(data[at + 5:at + 7], "big")
        if marker == 0xDA or length < 2:  # the scan starts before any frame header: damaged
            return None
        at += 2 + length
    return None


@dataclass(frozen=True, slots=True)
class PhotoFacts:
    format: str  # jpeg | png
    width: int
    height: int
    digest: str  # SHA-256 of the bytes


def probe(data: bytes) -> PhotoFacts:
    """Check one photo: its kind, its header's size, then a decode. Raises Refused."""
    if len(data) > MAX_FILE_BYTES:
        raise Refused("file-too-large", bytes=len(data), limit=MAX_FILE_BYTES)
    kind = sniff(data[:16])
    if kind not in ("jpeg", "png"):
        raise Refused("other-format" if kind in _OTHER_IMAGES else "not-image", kind=kind)
    declared = header_size(data, kind)
    if declared is not None and declared[0] * declared[1] > MAX_PIXELS:
        raise Refused("too-many-pixels", width=declared[0], height=declared[1], limit=MAX_PIXELS)
    try:
        image = Image.open(io.BytesIO(data), formats=["JPEG", "PNG"])  # reads the header only
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refused("too-many-pixels", limit=MAX_PIXELS) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise Refused("damaged", reason=str(exc) or type(exc).__name__) from None
    with image:
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise Refused("too-many-pixels", width=width, height=height, limit=MAX_PIXELS)
        if min(width, height) < MIN_SIDE:
            raise Refused("too-small", width=width, height=height, limit=MIN_SIDE)
        try:
            if kind == "jpeg":  # decoding at an eighth of the size still reads every byte of the scan
                image.draft("L", (max(1, width // 8), max(1, height // 8)))
            image.load()
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
            raise Refused("damaged", reason=str(exc) or type(exc).__name__) from None
    return PhotoFacts(kind, width, height, hashlib.sha256(data).hexdigest())


@dataclass(frozen=True, slots=True)
class PackEntry:
    """A file in a pack: its name there, and a problem known before reading it (or None)."""

    name: str
    problem: Refused | None = None


def _zip_name(info: zipfile.ZipInfo) -> str:
    """Names zipped on a Chinese Windows are GBK without the UTF-8 flag; zipfile reads them as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


class Pack:
    """An opened pack: `entries` to check, `read(entry)` for its bytes (never more than the limit)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.kind = ""
        self.digest = ""
        self._zip: zipfile.ZipFile | None = None
        self._infos: dict[str, zipfile.ZipInfo] = {}
        self.entries: list[PackEntry] = []

    def __enter__(self) -> "Pack":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def read(self, entry: PackEntry) -> bytes:
        if self.kind == "zip":
            assert self._zip is not None
            try:
                with self._zip.open(self._infos[entry.name]) as handle:
                    data = handle.read(MAX_FILE_BYTES + 1)
            except Exception as exc:  # noqa: BLE001 - BadZipFile (bad CRC), zlib.error, EOFError: a damaged entry, named
                raise Refused("zip-entry-damaged", reason=str(exc)) from None
        else:
            target = self.path if self.kind == "file" else self.path / entry.name
            try:
                with open(target, "rb") as handle:
                    data = handle.read(MAX_FILE_BYTES + 1)
            except OSError as exc:
                raise Refused("unreadable", reason=exc.strerror or str(exc)) from None
        if len(data) > MAX_FILE_BYTES:
            raise Refused("file-too-large", limit=MAX_FILE_BYTES)
        return data


PROBE_THREADS = max(1, min(4, os.cpu_count() or 1))
"""Inflating and decoding release the GIL: photos are checked on a few threads, in pack order."""


def _probe_entry(pack: Pack, entry: PackEntry) -> PhotoFacts | Refused:
    try:
        if entry.problem is not None:
            return entry.problem
        return probe(pack.read(entry))
    except Refused as exc:
        return exc


def probe_entries(pack: Pack, entries: Sequence[PackEntry]) -> Iterator[tuple[PackEntry, PhotoFacts | Refused]]:
    """Each entry with its facts or the reason it is refused, in order; a bounded number in flight (memory stays flat)."""
    if PROBE_THREADS == 1 or len(entries) < 8:
        for entry in entries:
            yield entry, _probe_entry(pack, entry)
        return
    window = PROBE_THREADS * 8
    with ThreadPoolExecutor(max_workers=PROBE_THREADS, thread_name_prefix="photo-probe") as pool:
        pending: deque = deque()
        for entry in entries:
            pending.append((entry, pool.submit(_probe_entry, pack, entry)))
            if len(pending) >= window:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()


def open_pack(path: str | Path) -> Pack:
    """A zip, a folder (searched through), or one JPEG/PNG. Raises Refused for anything else."""
    path = Path(path)
    pack = Pack(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise Refused("pack-unreadable", reason=exc.strerror or str(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        pack.kind, pack.digest = "folder", "folder"
        pack.entries = list(_folder_entries(path))
        return pack
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise Refused("pack-unreadable", reason=exc.strerror or str(exc)) from None
    kind = sniff(head)
    if kind in ("jpeg", "png") or (kind == "unknown" and has_photo_suffix(path.name)):
        pack.kind = "file"
        pack.entries = [PackEntry(path.name, Refused("file-too-large", bytes=info.st_size, limit=MAX_FILE_BYTES)
                                  if info.st_size > MAX_FILE_BYTES else None)]
        return pack
    if kind != "zip":
        raise Refused("pack-not-zip", kind=kind)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Refused("pack-damaged", reason=str(exc)) from None
    pack.kind, pack._zip = "zip", archive
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > MAX_PACK_ENTRIES:
        archive.close()
        raise Refused("pack-too-many-entries", entries=len(infos), limit=MAX_PACK_ENTRIES)
    declared = sum(i.file_size for i in infos)
    if declared > MAX_PACK_BYTES:
        archive.close()
        raise Refused("pack-too-large", bytes=declared, limit=MAX_PACK_BYTES)
    for zinfo in infos:
        name = _zip_name(zinfo)
        pack._infos[name] = zinfo
        pack.entries.append(PackEntry(name, _zip_entry_problem(zinfo)))
    pack.digest = _file_digest(path)
    return pack


def _zip_entry_problem(info: zipfile.ZipInfo) -> Refused | None:
    """Judged on the directory alone, before a byte is inflated."""
    if info.flag_bits & 0x1:
        return Refused("zip-entry-encrypted")
    if info.file_size > MAX_FILE_BYTES:
        return Refused("file-too-large", bytes=info.file_size, limit=MAX_FILE_BYTES)
    if info.file_size > 1024 * 1024 and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
        return Refused("zip-bomb", bytes=info.file_size, compressed=info.compress_size, limit=MAX_ZIP_RATIO)
    return None


def _folder_entries(root: Path) -> Iterator[PackEntry]:
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            full = Path(folder) / name
            relative = full.relative_to(root).as_posix()
            try:
                info = os.lstat(full)
            except OSError as exc:
                yield PackEntry(relative, Refused("unreadable", reason=exc.strerror or str(exc)))
                continue
            if not stat.S_ISREG(info.st_mode):
                yield PackEntry(relative, Refused("not-regular-file"))
            elif info.st_size > MAX_FILE_BYTES:
                yield PackEntry(relative, Refused("file-too-large", bytes=info.st_size, limit=MAX_FILE_BYTES))
            else:
                yield PackEntry(relative)


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


PRINT_BOX = (240, 320)
"""Pixels of a photo as printed: ≈ 300 dpi at the 20 × 27 mm a seat plan gives it; a bigger original only bloats files."""


def print_copy(data: bytes, box: tuple[int, int] = PRINT_BOX) -> bytes:
    """A stored photo as a document embeds it: upright (EXIF), RGB, at most `box`, JPEG."""
    from PIL import ImageOps

    with Image.open(io.BytesIO(data), formats=["JPEG", "PNG"]) as image:
        if image.format == "JPEG":
            image.draft("RGB", box)  # decode at the smallest scale still at least `box`
        upright = ImageOps.exif_transpose(image)
        upright.thumbnail(box)
        if upright.mode != "RGB":
            background = Image.new("RGB", upright.size, (255, 255, 255))
            rgba = upright.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            upright = background
        out = io.BytesIO()
        upright.save(out, format="JPEG", quality=88)
    return out.getvalue()
