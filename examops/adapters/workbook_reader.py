"""Roster files as exam offices send them: bytes on disk -> typed cell tables.

The format is decided by content, never by extension; every failure becomes an
``UnreadableFile`` whose text tells a clerk what the file is and what to do.
No validation rule lives here: see ``examops.domain.roster``.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from defusedxml import ElementTree

MIB = 2**20
_BOMB_MEMBER_FLOOR = MIB
_SNIFF_BYTES = 8192

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

_PASSWORD_ADVICE = (
    "open it in Excel, remove the password (File ▸ Info ▸ Protect Workbook ▸ "
    "Encrypt with Password, clear it), save and import again"
)
_DAMAGED_ADVICE = "ask the exam office to send it again"
_SAVE_AS_ADVICE = "open it in Excel, choose File ▸ Save As ▸ Excel Workbook (.xlsx) and import the .xlsx"

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

_HIDDEN_ATTR = re.compile(rb"""\shidden\s*=\s*["'](?:1|true)["']""")
_HIDDEN_VALUE = re.compile(rb"""hidden\s*=\s*["'](?:1|true)["']""")
_ROW_TAG_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\b[^>]*>")
_R_ATTR = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")


class UnreadableFile(Exception):
    """A file that cannot be read as a roster; ``str(e)`` is a sentence for a clerk."""

    def __init__(self, path: str | Path, message: str, reason: str = "unreadable") -> None:
        super().__init__(message)
        self.path = str(path)
        self.reason = reason


@dataclass
class SheetTable:
    """One sheet's cells: ``rows[i][j]`` is Excel row i+1, column j+1 (None when empty)."""

    name: str
    hidden: bool
    rows: list[list[object]]
    hidden_rows: frozenset[int] = frozenset()
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


@dataclass
class WorkbookContent:
    """Everything read from one file; ``kind`` is "xlsx", "xls" or "csv"."""

    path: str
    kind: str
    sheets: list[SheetTable]
    notes: list[str] = field(default_factory=list)


def read_workbook(
    path: str | Path, *, max_uncompressed: int = 512 * MIB, max_ratio: int = 200
) -> WorkbookContent:
    """Read an xlsx/xlsm, legacy xls or CSV file, deciding the format by content."""
    path = Path(path)
    label = f"“{path.name}”"
    try:
        return _read(path, label, max_uncompressed, max_ratio)
    except UnreadableFile:
        raise
    except Exception as exc:  # any parser failure on a broken file is the clerk's "damaged" case
        raise _damaged(path, label) from exc


def _damaged(path: Path, label: str) -> UnreadableFile:
    return UnreadableFile(
        path, f"{label} is damaged or incomplete (truncated download?); {_DAMAGED_ADVICE}.", "damaged"
    )


def _read(path: Path, label: str, max_uncompressed: int, max_ratio: int) -> WorkbookContent:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise UnreadableFile(path, f"{label} is a folder, not a file; choose the roster file inside it.", "folder")
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except FileNotFoundError as exc:
        raise UnreadableFile(path, f"{label} was not found; check the folder and the file name.", "missing") from exc
    except OSError as exc:
        raise UnreadableFile(
            path, f"{label} could not be opened ({exc.strerror or exc}); check that you may read it.", "unopenable"
        ) from exc
    if size == 0:
        raise UnreadableFile(path, f"{label} is empty (0 bytes); {_DAMAGED_ADVICE}.", "empty")
    if head.startswith(_ZIP_MAGICS):
        return _read_zip_package(path, label, max_uncompressed, max_ratio)
    if head.startswith(_OLE_MAGIC):
        return _read_ole(path, label, size, max_uncompressed)
    _refuse_known_binary(path, label, head)
    _refuse_markup(path, label, head)
    if size > max_uncompressed:
        raise UnreadableFile(
            path,
            f"{label} is {size / MIB:.0f} MiB of text, more than the {max_uncompressed / MIB:.0f} MiB limit; "
            "split the roster into smaller files.",
            "too-large",
        )
    return _read_csv(path, label)


# ---------------------------------------------------------------- sniffing


_BINARY_KINDS = (
    (b"%PDF", "a PDF document; a roster cannot be read from a PDF, ask the exam office for the Excel file"),
    (b"\x89PNG", "a PNG image, not a workbook; ask the exam office for the Excel file"),
    (b"\xff\xd8\xff", "a JPEG image, not a workbook; ask the exam office for the Excel file"),
    (b"GIF8", "a GIF image, not a workbook; ask the exam office for the Excel file"),
    (b"II*\x00", "a TIFF image, not a workbook; ask the exam office for the Excel file"),
    (b"MM\x00*", "a TIFF image, not a workbook; ask the exam office for the Excel file"),
    (b"Rar!", "a RAR archive, not a workbook; extract it and import the workbook inside"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive, not a workbook; extract it and import the workbook inside"),
    (b"\x1f\x8b", "a gzip archive, not a workbook; extract it and import the workbook inside"),
    (b"{\\rtf", "an RTF document, not a workbook; ask the exam office for the Excel file"),
)


def _refuse_known_binary(path: Path, label: str, head: bytes) -> None:
    for magic, what in _BINARY_KINDS:
        if head.startswith(magic):
            raise UnreadableFile(path, f"{label} is {what}.", "not-a-workbook")
    if b"\x00" in head and not head.startswith(_UTF16_BOMS):
        raise UnreadableFile(
            path,
            f"{label} is neither a workbook nor a text file; ask the exam office for the roster as an Excel workbook (.xlsx).",
            "not-a-workbook",
        )


def _refuse_markup(path: Path, label: str, head: bytes) -> None:
    text = _head_text(head).lstrip().lower()
    start = text[:1024]
    if start.startswith(("<!doctype html", "<html")) or "<table" in start or (
        start.startswith("<") and "<html" in start
    ):
        raise UnreadableFile(
            path,
            f"{label} is an HTML web page saved with a spreadsheet name, not a real workbook; {_SAVE_AS_ADVICE}.",
            "html",
        )
    if start.startswith("mime-version:") and "multipart/related" in text:
        raise UnreadableFile(
            path, f"{label} is a single-file web page (MHT), not a real workbook; {_SAVE_AS_ADVICE}.", "html"
        )
    if start.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in text:
        raise UnreadableFile(path, f"{label} is an Excel 2003 XML spreadsheet; {_SAVE_AS_ADVICE}.", "xml-2003")


def _head_text(head: bytes) -> str:
    if head.startswith(_UTF16_BOMS):
        return head.decode("utf-16", errors="ignore")
    return head.decode("utf-8", errors="ignore").lstrip("\ufeff")


# ---------------------------------------------------------------- zip packages


def _read_zip_package(path: Path, label: str, max_uncompressed: int, max_ratio: int) -> WorkbookContent:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _damaged(path, label) from exc
    with archive:
        infos = archive.infolist()
        _refuse_bomb(path, label, infos, max_uncompressed, max_ratio)
        names = {info.filename for info in infos}
        main_part = _main_part(archive, names)
        if main_part is None or not main_part.endswith(".xml") or not main_part.startswith("xl/"):
            _refuse_other_package(path, label, archive, names, main_part)
        if "[Content_Types].xml" not in names:
            raise _damaged(path, label)
        parts = _sheet_parts(archive, main_part)
        sheets = _read_with_calamine(path, label)
        for sheet in sheets:
            part = parts.get(sheet.name)
            if part is not None and part in names:
                sheet.hidden_rows = _hidden_rows_in_part(archive, part)
    return WorkbookContent(str(path), "xlsx", sheets, [])


def _refuse_bomb(path: Path, label: str, infos: list[zipfile.ZipInfo], max_uncompressed: int, max_ratio: int) -> None:
    packed = sum(info.compress_size for info in infos)
    total = sum(info.file_size for info in infos)
    greedy = [
        info
        for info in infos
        if info.file_size > _BOMB_MEMBER_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1)
    ]
    if total > max_uncompressed or greedy:
        raise UnreadableFile(
            path,
            f"{label} was refused before reading: its uncompressed size is absurd "
            f"({total / MIB:,.0f} MiB unpacked from {max(packed, 1) / 1024:,.0f} KiB; "
            "a 266 KB file can hold a 256 MiB cell). Ask the exam office to export the roster again.",
            "zip-bomb",
        )


def _main_part(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """The package's main document part, from _rels/.rels, else the usual workbook path."""
    if "_rels/.rels" in names:
        try:
            root = ElementTree.fromstring(archive.read("_rels/.rels"))
        except Exception:
            root = None
        if root is not None:
            for rel in root.iter(f"{{{_PKG_REL_NS}}}Relationship"):
                if rel.get("Type", "").endswith("/officeDocument"):
                    return _resolve_target("", rel.get("Target", ""))
    for guess in ("xl/workbook.xml", "xl/workbook.bin", "word/document.xml", "ppt/presentation.xml"):
        if guess in names:
            return guess
    return None


def _refuse_other_package(
    path: Path, label: str, archive: zipfile.ZipFile, names: set[str], main_part: str | None
) -> None:
    if main_part and main_part.startswith("xl/") and main_part.endswith(".bin"):
        raise UnreadableFile(path, f"{label} is an Excel binary workbook (.xlsb); {_SAVE_AS_ADVICE}.", "xlsb")
    if main_part and main_part.startswith("word/"):
        raise UnreadableFile(
            path,
            f"{label} is a Word document, not a workbook; ask the exam office for the roster as an Excel workbook (.xlsx).",
            "not-a-workbook",
        )
    if main_part and main_part.startswith("ppt/"):
        raise UnreadableFile(
            path,
            f"{label} is a PowerPoint presentation, not a workbook; ask the exam office for the roster as an Excel workbook (.xlsx).",
            "not-a-workbook",
        )
    if "mimetype" in names:
        mimetype = archive.read("mimetype")[:100].decode("ascii", errors="replace")
        if "spreadsheet" in mimetype:
            raise UnreadableFile(
                path, f"{label} is an OpenDocument spreadsheet (.ods); {_SAVE_AS_ADVICE}.", "ods"
            )
        raise UnreadableFile(
            path,
            f"{label} is an OpenDocument file ({mimetype}), not a workbook; ask the exam office for the roster as an Excel workbook (.xlsx).",
            "not-a-workbook",
        )
    if "[Content_Types].xml" in names and main_part is None:
        raise _damaged(path, label)
    listed = sorted(n for n in names if not n.endswith("/"))
    shown = ", ".join(listed[:5]) + (f" and {len(listed) - 5} more" if len(listed) > 5 else "")
    raise UnreadableFile(
        path,
        f"{label} is a ZIP archive ({len(listed)} files: {shown or 'none'}), not a workbook; "
        "extract it and import the workbook inside.",
        "zip-archive",
    )


def _resolve_target(base_dir: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for piece in PurePosixPath(base_dir, target).parts:
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in (".", ""):
            parts.append(piece)
    return "/".join(parts)


def _sheet_parts(archive: zipfile.ZipFile, main_part: str) -> dict[str, str]:
    """Sheet name -> worksheet part path, from the workbook part and its relationships."""
    base_dir = str(PurePosixPath(main_part).parent)
    rels_name = f"{base_dir}/_rels/{PurePosixPath(main_part).name}.rels"
    try:
        workbook = ElementTree.fromstring(archive.read(main_part))
        rels = ElementTree.fromstring(archive.read(rels_name))
    except KeyError:
        return {}
    targets = {
        rel.get("Id"): _resolve_target(base_dir, rel.get("Target", ""))
        for rel in rels.iter(f"{{{_PKG_REL_NS}}}Relationship")
    }
    parts = {}
    for sheet in workbook.iter(f"{{{_MAIN_NS}}}sheet"):
        target = targets.get(sheet.get(f"{{{_REL_NS}}}id"))
        if target:
            parts[sheet.get("name", "")] = target
    return parts


def _hidden_rows_in_part(archive: zipfile.ZipFile, part: str, chunk_size: int = 4 * MIB) -> frozenset[int]:
    """Row numbers whose <row> tag says hidden, found by a byte scan (no XML tree)."""
    hidden: set[int] = set()
    carry = b""
    with archive.open(part) as stream:
        while True:
            chunk = stream.read(chunk_size)
            buffer = carry + chunk
            if not chunk:
                end = len(buffer)
            else:
                end = buffer.rfind(b"<")
                end = len(buffer) if end < 0 else end
            at = buffer.find(b"hidden", 0, end)
            while at >= 0:
                if buffer[at - 1 : at].isspace() and _HIDDEN_VALUE.match(buffer, at):
                    tag_start = buffer.rfind(b"<", 0, at)
                    if tag_start >= 0 and _ROW_TAG_START.match(buffer, tag_start):
                        tag_end = buffer.find(b">", at)
                        number = _R_ATTR.search(buffer, tag_start, tag_end if tag_end > 0 else len(buffer))
                        if number is None:
                            return _hidden_rows_by_counting(archive, part)
                        hidden.add(int(number.group(1)))
                at = buffer.find(b"hidden", at + 6, end)
            if not chunk:
                break
            carry = buffer[end:]
    return frozenset(hidden)


def _hidden_rows_by_counting(archive: zipfile.ZipFile, part: str) -> frozenset[int]:
    """Slow path for writers that omit <row r=...>: number the rows one by one."""
    hidden = set()
    current = 0
    for tag in _ROW_TAG.finditer(archive.read(part)):
        text = tag.group(0)
        number = _R_ATTR.search(text)
        current = int(number.group(1)) if number else current + 1
        if _HIDDEN_ATTR.search(text):
            hidden.add(current)
    return frozenset(hidden)


# ---------------------------------------------------------------- calamine


def _read_with_calamine(path: Path, label: str) -> list[SheetTable]:
    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

    try:
        with path.open("rb") as handle:
            workbook = CalamineWorkbook.from_filelike(handle)
            sheets = []
            for meta in workbook.sheets_metadata:
                if meta.typ != SheetTypeEnum.WorkSheet:
                    continue
                sheet = workbook.get_sheet_by_name(meta.name)
                rows = _typed_rows(sheet.to_python(skip_empty_area=False), sheet.end)
                merged = [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or ()]
                sheets.append(SheetTable(meta.name, meta.visible != SheetVisibleEnum.Visible, rows, frozenset(), merged))
            return sheets
    except PasswordError as exc:
        raise UnreadableFile(path, f"{label} is protected with a password; {_PASSWORD_ADVICE}.", "encrypted") from exc


def _typed_rows(raw: list[list[object]], end: tuple[int, int] | None) -> list[list[object]]:
    """Calamine's grid as Excel-numbered rows, empty cells as None."""
    if end is not None:
        missing_rows = end[0] + 1 - len(raw)
        width = end[1] + 1
        if missing_rows > 0:
            raw = [[""] * width for _ in range(missing_rows)] + raw
        if raw and len(raw[-1]) < width:
            raw = [[""] * (width - len(row)) + row for row in raw]
    rows = [row if "" not in row else [None if value == "" else value for value in row] for row in raw]
    while rows and all(value is None for value in rows[-1]):
        rows.pop()
    return rows


# ---------------------------------------------------------------- OLE2 / legacy xls

_FREE, _END_OF_CHAIN = 0xFFFFFFFF, 0xFFFFFFFE


def _read_ole(path: Path, label: str, size: int, max_uncompressed: int) -> WorkbookContent:
    if size > max_uncompressed:
        raise UnreadableFile(
            path,
            f"{label} is {size / MIB:.0f} MiB, more than the {max_uncompressed / MIB:.0f} MiB limit; "
            "split the roster into smaller files.",
            "too-large",
        )
    data = path.read_bytes()
    try:
        compound = _Compound(data)
    except (ValueError, IndexError, struct.error) as exc:
        raise _damaged(path, label) from exc
    names = compound.stream_names()
    if {"EncryptedPackage", "EncryptionInfo"} & names:
        raise UnreadableFile(path, f"{label} is protected with a password; {_PASSWORD_ADVICE}.", "encrypted")
    book_stream = "Workbook" if "Workbook" in names else ("Book" if "Book" in names else None)
    if book_stream is None:
        what = (
            "a Word document (.doc)"
            if "WordDocument" in names
            else "a PowerPoint presentation (.ppt)"
            if "PowerPoint Document" in names
            else "an Office file that holds no workbook"
        )
        raise UnreadableFile(
            path,
            f"{label} is {what}, not a workbook; ask the exam office for the roster as an Excel workbook (.xlsx).",
            "not-a-workbook",
        )
    notes: list[str] = []
    try:
        biff = _scan_biff(compound.read_stream(book_stream))
    except Exception:  # an odd stream layout only costs the hidden-row check (noted below); calamine still reads it
        biff = None
    if biff is not None and biff.encrypted:
        raise UnreadableFile(path, f"{label} is protected with a password; {_PASSWORD_ADVICE}.", "encrypted")
    sheets = _read_with_calamine(path, label)
    if biff is None or biff.hidden_rows is None:
        notes.append("hidden rows could not be checked in this legacy .xls file; unhide all rows in Excel to be sure")
    else:
        for sheet in sheets:
            sheet.hidden_rows = frozenset(biff.hidden_rows.get(sheet.name, ()))
    return WorkbookContent(str(path), "xls", sheets, notes)


class _Compound:
    """Just enough of the OLE2 compound-file format to list and read streams."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512:
            raise ValueError("short header")
        self.data = data
        self.sector_size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
        self.mini_size = 1 << struct.unpack_from("<H", data, 0x20)[0]
        if not 128 <= self.sector_size <= 65536:
            raise ValueError("sector size")
        (fat_count, dir_start, _, self.mini_cutoff, minifat_start, minifat_count, difat_start, difat_count) = (
            struct.unpack_from("<8I", data, 0x2C)
        )
        per_sector = self.sector_size // 4
        fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))[: min(fat_count, 109)]
        sector = difat_start
        for _ in range(difat_count):
            if sector >= _END_OF_CHAIN:
                break
            entries = struct.unpack_from(f"<{per_sector}I", data, self._offset(sector))
            fat_sectors.extend(entries[:-1])
            sector = entries[-1]
        fat_sectors = [s for s in fat_sectors[:fat_count] if s < _END_OF_CHAIN]
        self.fat: list[int] = []
        for sid in fat_sectors:
            self.fat.extend(struct.unpack_from(f"<{per_sector}I", data, self._offset(sid)))
        directory = self._chain_bytes(dir_start, self.fat, None)
        self.entries = []
        for pos in range(0, len(directory) - 127, 128):
            name_len, kind = struct.unpack_from("<HB", directory, pos + 64)
            start, stream_size = struct.unpack_from("<II", directory, pos + 116)
            name = directory[pos : pos + max(name_len - 2, 0)].decode("utf-16-le", errors="replace")
            self.entries.append((name, kind, start, stream_size))
        root = next((e for e in self.entries if e[1] == 5), None)
        self.mini_stream = self._chain_bytes(root[2], self.fat, root[3]) if root and root[3] else b""
        self.minifat: list[int] = []
        if minifat_count:
            raw = self._chain_bytes(minifat_start, self.fat, None)
            self.minifat = list(struct.unpack_from(f"<{len(raw) // 4}I", raw))

    def _offset(self, sector: int) -> int:
        offset = (sector + 1) * self.sector_size
        if offset + self.sector_size > len(self.data):
            raise ValueError("sector beyond end of file")
        return offset

    def _chain(self, start: int, table: list[int]) -> list[int]:
        chain = []
        sector = start
        while sector < _END_OF_CHAIN:
            if sector >= len(table) or len(chain) > len(table):
                raise ValueError("broken sector chain")
            chain.append(sector)
            sector = table[sector]
        return chain

    def _chain_bytes(self, start: int, table: list[int], size: int | None) -> bytes:
        if table is self.fat:
            blob = b"".join(
                self.data[self._offset(s) : self._offset(s) + self.sector_size] for s in self._chain(start, table)
            )
        else:
            blob = b"".join(
                self.mini_stream[s * self.mini_size : (s + 1) * self.mini_size] for s in self._chain(start, table)
            )
        if size is not None:
            if len(blob) < size:
                raise ValueError("stream shorter than its directory entry")
            blob = blob[:size]
        return blob

    def stream_names(self) -> set[str]:
        return {name for name, kind, _, _ in self.entries if kind == 2}

    def read_stream(self, name: str) -> bytes:
        for entry_name, kind, start, size in self.entries:
            if kind == 2 and entry_name == name:
                if size < self.mini_cutoff:
                    return self._chain_bytes(start, self.minifat, size)
                return self._chain_bytes(start, self.fat, size)
        raise KeyError(name)


@dataclass
class _BiffScan:
    encrypted: bool
    hidden_rows: dict[str, set[int]] | None


def _scan_biff(stream: bytes) -> _BiffScan:
    """FILEPASS and hidden ROW records of a BIFF8 workbook stream; BIFF5 gives no hidden rows."""
    sheets: list[tuple[str, int]] = []
    pos = 0
    version = None
    while pos + 4 <= len(stream):
        record, length = struct.unpack_from("<HH", stream, pos)
        body = pos + 4
        if record == 0x0809 and version is None:
            version = struct.unpack_from("<H", stream, body)[0]
        elif record == 0x002F:
            return _BiffScan(True, None)
        elif record == 0x0085 and version == 0x0600:
            offset, _, _, count, flags = struct.unpack_from("<IBBBB", stream, body)
            raw = stream[body + 8 : body + 8 + count * (2 if flags & 1 else 1)]
            sheets.append((raw.decode("utf-16-le" if flags & 1 else "latin-1"), offset))
        elif record == 0x000A:
            break
        pos = body + length
    if version != 0x0600:
        return _BiffScan(False, None)
    hidden: dict[str, set[int]] = {}
    for name, offset in sheets:
        rows = hidden.setdefault(name, set())
        pos, depth = offset, 0
        while pos + 4 <= len(stream):
            record, length = struct.unpack_from("<HH", stream, pos)
            if record == 0x0809:
                depth += 1
            elif record == 0x000A:
                depth -= 1
                if depth <= 0:
                    break
            elif record == 0x0208 and depth == 1 and length >= 16:
                number, flags = struct.unpack_from("<H10xI", stream, pos + 4)
                if flags & 0x20:
                    rows.add(number + 1)
            pos += 4 + length
    return _BiffScan(False, hidden)


# ---------------------------------------------------------------- CSV


def _read_csv(path: Path, label: str) -> WorkbookContent:
    data = path.read_bytes()
    text, encoding = _decode_text(path, label, data)
    notes = [] if encoding == "UTF-8" else [f"read as {encoding}"]
    delimiter = _sniff_delimiter(text)
    if delimiter != ",":
        notes.append("separated by tabs" if delimiter == "\t" else f"separated by '{delimiter}'")
    rows: list[list[object]] = [
        [value if value else None for value in record] for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ]
    while rows and all(value is None for value in rows[-1]):
        rows.pop()
    return WorkbookContent(str(path), "csv", [SheetTable(path.stem, False, rows, frozenset(), [])], notes)


def _decode_text(path: Path, label: str, data: bytes) -> tuple[str, str]:
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    elif data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            pass
    else:
        for encoding, name in (("utf-8", "UTF-8"), ("gb18030", "GB18030")):
            try:
                return data.decode(encoding), name
            except UnicodeDecodeError:
                continue
    raise UnreadableFile(
        path,
        f"{label} is text in an encoding that is neither UTF-8 nor GB18030; "
        "open it in Excel and save it as an Excel Workbook (.xlsx) or as CSV UTF-8.",
        "encoding",
    )


def _sniff_delimiter(text: str) -> str:
    """The separator that splits the first lines into the most, most regular fields."""
    lines = [line for line in text[:65536].splitlines()[:50] if line.strip()]
    if len(lines) > 1 and len(text) > 65536:
        lines = lines[:-1]
    best, best_score = ",", (1, 0.0)
    for delimiter in (",", "\t", ";"):
        widths = [len(record) for record in csv.reader(lines, delimiter=delimiter)]
        if not widths:
            continue
        modal = max(set(widths), key=widths.count)
        score = (modal, widths.count(modal) / len(widths))
        if modal > 1 and score > best_score:
            best, best_score = delimiter, score
    return best
