"""Decide what a file really is from its first bytes, whatever its name says."""

from __future__ import annotations

from pathlib import Path

from examops.adapters.excel_in.content import ASK_FOR_EXCEL, N_, SAVE_AS_ADVICE, UnreadableFile, _, label_of
from examops.domain.said import os_reason
from examops.i18n import spoken

SNIFF_BYTES = 8192
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

_NOT_A_ROSTER = N_("ask the exam office for the Excel file")
_EXTRACT = N_("extract it and import the workbook inside")
_BINARY_KINDS = (
    (b"%PDF", N_("a PDF document; a roster cannot be read from a PDF"), _NOT_A_ROSTER),
    (b"\x89PNG", N_("a PNG image, not a workbook"), _NOT_A_ROSTER),
    (b"\xff\xd8\xff", N_("a JPEG image, not a workbook"), _NOT_A_ROSTER),
    (b"GIF8", N_("a GIF image, not a workbook"), _NOT_A_ROSTER),
    (b"II*\x00", N_("a TIFF image, not a workbook"), _NOT_A_ROSTER),
    (b"MM\x00*", N_("a TIFF image, not a workbook"), _NOT_A_ROSTER),
    (b"Rar!", N_("a RAR archive, not a workbook"), _EXTRACT),
    (b"7z\xbc\xaf\x27\x1c", N_("a 7-Zip archive, not a workbook"), _EXTRACT),
    (b"{\\rtf", N_("an RTF document, not a workbook"), _NOT_A_ROSTER),
)
# Legacy Excel 2.x-4.0 worksheets are raw BIFF records without an OLE2 container.
RAW_BIFF = (b"\x09\x00", b"\x09\x02", b"\x09\x04")


def head_of(path: Path) -> tuple[int, bytes]:
    """(size, first bytes), or a refusal for a missing, unopenable, empty path or a folder."""
    label = label_of(path)
    try:
        if path.is_dir():
            raise UnreadableFile(path, _("{label} is a folder, not a file; choose the roster file inside it.").format(label=label), "folder")
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except FileNotFoundError as exc:
        raise UnreadableFile(path, _("{label} was not found; check the folder and the file name.").format(label=label), "missing") from exc
    except OSError as exc:
        raise UnreadableFile(
            path, _("{label} could not be opened ({why}); check that you may read it.").format(label=label, why=spoken(os_reason(exc))),
            "unopenable",
        ) from exc
    if size == 0:
        raise UnreadableFile(path, _("{label} is empty (0 bytes); ask the exam office to send it again.").format(label=label), "empty")
    return size, head


def refuse_known_binary(path: Path, head: bytes) -> None:
    label = label_of(path)
    for magic, what, fix in _BINARY_KINDS:
        if head.startswith(magic):
            raise UnreadableFile(path, _("{label} is {what}; {fix}.").format(label=label, what=_(what), fix=_(fix)), "not-a-workbook")
    if head.startswith(b"\x1f\x8b"):
        raise UnreadableFile(
            path,
            _("{label} is a compressed file (gzip, as Gnumeric saves its spreadsheets), not an Excel workbook; "
              "open it in Gnumeric or LibreOffice and save it as an Excel Workbook (.xlsx).").format(label=label),
            "not-a-workbook",
        )
    if b"\x00" in head and not head.startswith(UTF16_BOMS) and not _utf16_without_bom(head):
        raise UnreadableFile(
            path,
            _("{label} is neither a workbook nor a text file; {advice}.").format(label=label, advice=_(ASK_FOR_EXCEL)),
            "not-a-workbook",
        )


def _utf16_without_bom(head: bytes) -> bool:
    """UTF-16LE text (every other byte zero) as some exports write it without a byte-order mark."""
    sample = head[: len(head) - len(head) % 2][:512]
    return len(sample) >= 4 and sample[1::2].count(0) >= 0.9 * (len(sample) // 2) and sample[0::2].count(0) == 0


def head_text(head: bytes) -> str:
    if head.startswith(UTF16_BOMS):
        return head.decode("utf-16", errors="ignore")
    if _utf16_without_bom(head):
        return head.decode("utf-16-le", errors="ignore")
    try:
        return head.decode("utf-8", errors="strict").lstrip("\ufeff")
    except UnicodeDecodeError:
        return head.decode("gb18030", errors="ignore").lstrip("\ufeff")


def markup_kind(path: Path, head: bytes) -> str | None:
    """"html" for a web page (read as a table), else None; refuses other markup it can name."""
    label = label_of(path)
    text = head_text(head).lstrip().lower()
    start = text[:1024]
    if start.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in text:
        raise UnreadableFile(path, _("{label} is an Excel 2003 XML spreadsheet; {advice}.").format(label=label, advice=_(SAVE_AS_ADVICE)), "xml-2003")
    if start.startswith(("<!doctype html", "<html")) or (start.startswith("<") and ("<html" in text or "<table" in text)):
        return "html"
    if start.startswith("mime-version:") and "multipart/related" in text:
        raise UnreadableFile(path, _("{label} is a single-file web page (MHT), not a real workbook; {advice}.").format(label=label, advice=_(SAVE_AS_ADVICE)), "html")
    if start.startswith("<?xml") and "urn:oasis:names:tc:opendocument" in text:
        raise UnreadableFile(path, _("{label} is a flat OpenDocument spreadsheet (.fods); open it in LibreOffice and save it as an Excel Workbook (.xlsx).").format(label=label), "fods")
    if start.startswith("<?xml") or start.startswith("<"):
        raise UnreadableFile(path, _("{label} is an XML document, not a workbook; {advice}.").format(label=label, advice=_(ASK_FOR_EXCEL)), "xml")
    if start.startswith("id;p") or start.startswith("table\r\n0,1") or start.startswith("table\n0,1"):
        raise UnreadableFile(path, _("{label} is an old spreadsheet exchange file (SYLK or DIF); {advice}.").format(label=label, advice=_(SAVE_AS_ADVICE)), "sylk")
    return None
