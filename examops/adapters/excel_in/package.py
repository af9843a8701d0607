"""ZIP-based files: Excel .xlsx/.xlsm (transitional and strict), WPS .xlsx, OpenDocument .ods, and the rest named."""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath
from typing import Callable

from defusedxml import ElementTree

from examops.adapters.excel_in import guard, xml_stream
from examops.adapters.excel_in.content import (
    ASK_FOR_EXCEL,
    MIB,
    N_,
    PASSWORD_ADVICE,
    SheetTable,
    UnreadableFile,
    WorkbookContent,
    _,
    damaged,
    label_of,
)

BOMB_MEMBER_FLOOR = MIB
XLSX_WHAT = N_("an Excel workbook (.xlsx)")
ODS_WHAT = N_("an OpenDocument spreadsheet (.ods)")
_WORKBOOK_TYPES = ("spreadsheetml.sheet.main", "spreadsheetml.template.main", "ms-excel.sheet.macroEnabled.main",
                   "ms-excel.template.macroEnabled.main")


def read_package(path: Path, max_uncompressed: int, max_ratio: int) -> WorkbookContent:
    started = start_package(path, max_uncompressed, max_ratio)
    try:
        return started.finish()
    finally:
        started.close()


class StartedPackage:
    """A package whose cell reader already runs in its child; ``finish`` reads the rest here and collects the cells."""

    def __init__(self, archive: zipfile.ZipFile, reading: guard.ChildRead, finish: Callable[[], WorkbookContent]) -> None:
        self._archive, self._reading, self.finish = archive, reading, finish

    def close(self) -> None:
        self._reading.close()
        self._archive.close()


def start_package(path: Path, max_uncompressed: int, max_ratio: int) -> StartedPackage:
    """Check the package (a bomb, a document that is not a workbook) and start its cell reader; refusals raise here."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise damaged(path, XLSX_WHAT) from exc
    try:
        infos = archive.infolist()
        _refuse_bomb(path, infos, max_uncompressed, max_ratio)
        names = {info.filename for info in infos}
        unpacked = sum(info.file_size for info in infos)
        if _is_ods(archive, names):
            reading = guard.ChildRead(path, unpacked)
            return StartedPackage(archive, reading, lambda: _finish_ods(path, archive, reading))
        main_part = _main_part(archive, names)
        if main_part is not None and main_part.endswith(".bin"):
            reading = guard.ChildRead(path, unpacked)
            return StartedPackage(archive, reading, lambda: _finish_xlsb(path, reading))
        if main_part is None or not main_part.endswith(".xml") or main_part.startswith(("word/", "ppt/")):
            _refuse_other_package(path, archive, names, main_part)
        reading = guard.ChildRead(path, unpacked, mode="xlsx")
        return StartedPackage(archive, reading, lambda: _finish_xlsx(path, archive, names, main_part, reading))
    except BaseException:
        archive.close()
        raise


def _finish_xlsx(path: Path, archive: zipfile.ZipFile, names: set[str], main_part: str, reading: guard.ChildRead) -> WorkbookContent:
    try:
        # While the child reads the cells, find the hidden rows here.
        hidden = {}
        for name, part in _sheet_parts(archive, main_part).items():
            if part in names:
                hidden[name] = xml_stream.hidden_xlsx_rows(archive, part)
    except Exception as exc:  # noqa: BLE001 - malformed sheet XML
        reading.close()
        raise damaged(path, XLSX_WHAT) from exc
    sheets, _hidden_checked = child_sheets(path, XLSX_WHAT, reading)
    for sheet in sheets:
        sheet.hidden_rows = hidden.get(sheet.name, frozenset())
    return WorkbookContent(str(path), "xlsx", sheets, [])


def child_sheets(path: Path, what: str, reading: guard.ChildRead) -> tuple[list[SheetTable], bool]:
    """The child's sheets, or the refusal its failure means: a password, a memory blow-up, or damage."""
    try:
        raw, hidden_checked = reading.result()
    except guard.ReaderFailed as failure:
        if failure.kind == "password":
            raise UnreadableFile(path, _("{label} is protected with a password; {advice}.").format(
                label=label_of(path), advice=_(PASSWORD_ADVICE)), "encrypted") from failure
        if failure.kind == "memory":
            raise UnreadableFile(
                path,
                _("{label} is {what} that needs far more memory to read than its size explains, so it was not read; "
                  "open it in Excel or WPS, delete the rows and columns beyond the roster (Ctrl+End shows the last cell), "
                  "save it and import again.").format(label=label_of(path), what=_(what)),
                "memory",
            ) from failure
        raise damaged(path, what) from failure
    return [SheetTable(name, hidden, rows, hidden_rows, merged) for name, hidden, rows, merged, hidden_rows in raw], hidden_checked


def _refuse_bomb(path: Path, infos: list[zipfile.ZipInfo], max_uncompressed: int, max_ratio: int) -> None:
    packed = sum(info.compress_size for info in infos)
    total = sum(info.file_size for info in infos)
    greedy = [i for i in infos if i.file_size > BOMB_MEMBER_FLOOR and i.file_size > max_ratio * max(i.compress_size, 1)]
    if total > max_uncompressed or greedy:
        raise UnreadableFile(
            path,
            _("{label} was refused before reading: it would unpack to {total:,.0f} MiB from {packed:,.0f} KiB, "
              "far more than any roster holds; ask the exam office to export the roster again.").format(
                label=label_of(path), total=total / MIB, packed=max(packed, 1) / 1024),
            "zip-bomb",
        )


def _is_ods(archive: zipfile.ZipFile, names: set[str]) -> bool:
    """An OpenDocument spreadsheet by its mimetype member, or by its manifest when a writer left the mimetype out."""
    spreadsheet = b"application/vnd.oasis.opendocument.spreadsheet"
    if "mimetype" in names:
        return archive.read("mimetype")[:100].strip() == spreadsheet
    if "content.xml" in names and "META-INF/manifest.xml" in names:
        with archive.open("META-INF/manifest.xml") as manifest:
            return spreadsheet + b'"' in manifest.read(65536)
    return False


def _finish_ods(path: Path, archive: zipfile.ZipFile, reading: guard.ChildRead) -> WorkbookContent:
    sheets, _hidden_checked = child_sheets(path, ODS_WHAT, reading)
    try:
        hidden = xml_stream.hidden_ods_rows(archive) if "content.xml" in archive.namelist() else {}
    except Exception as exc:  # noqa: BLE001
        raise damaged(path, ODS_WHAT) from exc
    for sheet in sheets:
        sheet.hidden_rows = hidden.get(sheet.name, frozenset())
    return WorkbookContent(str(path), "ods", sheets, [])


def _finish_xlsb(path: Path, reading: guard.ChildRead) -> WorkbookContent:
    """An Excel binary workbook: calamine reads its cells; nothing here reads its row flags."""
    sheets, _hidden_checked = child_sheets(path, N_("an Excel binary workbook (.xlsb)"), reading)
    return WorkbookContent(str(path), "xlsb", sheets, [_("hidden rows could not be checked in this .xlsb file; unhide all rows in Excel to be sure")])


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _xml(archive: zipfile.ZipFile, name: str):  # noqa: ANN202
    try:
        return ElementTree.fromstring(archive.read(name))
    except Exception:  # noqa: BLE001 - a missing or malformed part means "not found here"
        return None


def _main_part(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """The package's workbook part: _rels/.rels, else [Content_Types].xml, else the usual paths."""
    root = _xml(archive, "_rels/.rels") if "_rels/.rels" in names else None
    if root is not None:
        for rel in root.iter():
            if _local(rel.tag) == "Relationship" and rel.get("Type", "").endswith("/officeDocument"):
                target = _resolve_target("", rel.get("Target", ""))
                if target in names:
                    return target
    types = _xml(archive, "[Content_Types].xml") if "[Content_Types].xml" in names else None
    if types is not None:
        for override in types.iter():
            if _local(override.tag) == "Override" and any(t in override.get("ContentType", "") for t in _WORKBOOK_TYPES):
                target = override.get("PartName", "").lstrip("/")
                if target in names:
                    return target
    for guess in ("xl/workbook.xml", "xl/workbook.bin", "word/document.xml", "ppt/presentation.xml"):
        if guess in names:
            return guess
    return next((n for n in sorted(names) if n.endswith("workbook.xml")), None)


def _refuse_other_package(path: Path, archive: zipfile.ZipFile, names: set[str], main_part: str | None) -> None:
    label = label_of(path)
    if main_part and main_part.startswith("word/"):
        raise UnreadableFile(path, _("{label} is a Word document, not a workbook; {advice}.").format(label=label, advice=_(ASK_FOR_EXCEL)), "not-a-workbook")
    if main_part and main_part.startswith("ppt/"):
        raise UnreadableFile(path, _("{label} is a PowerPoint presentation, not a workbook; {advice}.").format(label=label, advice=_(ASK_FOR_EXCEL)), "not-a-workbook")
    if any(n.endswith(".iwa") or n.startswith("Index/") or ".numbers/" in n for n in names):
        raise UnreadableFile(
            path,
            _("{label} is an Apple Numbers spreadsheet; open it in Numbers, choose File ▸ Export To ▸ Excel and import the .xlsx.").format(label=label),
            "numbers",
        )
    if "mimetype" in names:
        raise UnreadableFile(path, _("{label} is an OpenDocument file that is not a spreadsheet (a text or a drawing); {advice}.").format(
            label=label, advice=_(ASK_FOR_EXCEL)), "not-a-workbook")
    if "[Content_Types].xml" in names or any(n.startswith("xl/") for n in names):
        raise damaged(path, XLSX_WHAT)
    listed = sorted(n for n in names if not n.endswith("/"))
    if not listed:
        raise UnreadableFile(path, _("{label} is an empty ZIP archive, not a workbook; {advice}.").format(label=label, advice=_(ASK_FOR_EXCEL)), "zip-archive")
    shown = ", ".join(listed[:5]) + (f" … (+{len(listed) - 5})" if len(listed) > 5 else "")
    raise UnreadableFile(
        path,
        (_("{label} is a ZIP archive (1 file: {shown}), not a workbook; extract it and import the workbook inside.") if len(listed) == 1
         else _("{label} is a ZIP archive ({count} files: {shown}), not a workbook; extract it and import the workbook inside.")).format(
            label=label, count=len(listed), shown=shown),
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
    """Sheet name -> worksheet part, from the workbook part and its relationships (any OOXML namespace)."""
    base_dir = str(PurePosixPath(main_part).parent)
    workbook = _xml(archive, main_part)
    rels = _xml(archive, f"{base_dir}/_rels/{PurePosixPath(main_part).name}.rels")
    if workbook is None or rels is None:
        return {}
    targets = {rel.get("Id"): _resolve_target(base_dir, rel.get("Target", "")) for rel in rels.iter() if _local(rel.tag) == "Relationship"}
    parts = {}
    for sheet in workbook.iter():
        if _local(sheet.tag) != "sheet":
            continue
        rel_id = next((value for key, value in sheet.attrib.items() if _local(key) == "id"), None)
        if targets.get(rel_id):
            parts[sheet.get("name", "")] = targets[rel_id]
    return parts
