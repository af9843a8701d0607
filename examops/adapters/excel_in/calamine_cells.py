"""Calamine's cells as plain rows; run as a script, the child half of ``guard`` (calamine or, for .xls, xlrd first).

Run so, it imports nothing of examops but what a legacy .xls or openpyxl's fallback needs: keep its top to the stdlib."""

from __future__ import annotations

import marshal
import resource
import sys


def read(path: str) -> list[tuple[str, bool, list[list[object]], list[tuple[int, int, int, int]], frozenset[int]]]:
    """(name, hidden, Excel-numbered rows, merged spans, no hidden rows: calamine cannot say) of every worksheet."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    sheets = []
    with open(path, "rb") as handle:
        workbook = CalamineWorkbook.from_filelike(handle)
        for meta in workbook.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            rows = _typed_rows(sheet.to_python(skip_empty_area=False), sheet.end)
            merged = [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or ()]
            sheets.append((meta.name, meta.visible != SheetVisibleEnum.Visible, rows, merged, frozenset()))
    return sheets


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


class _Encrypted(Exception):
    pass


def _read_legacy(path: str) -> tuple[list, bool]:
    """xlrd's sheets with their hidden rows, else calamine's (hidden rows unchecked: False)."""
    from examops.adapters.excel_in import xls_cells

    try:
        return xls_cells.read(path)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - xlrd refuses some files calamine reads
        if "encrypted" in str(exc).lower():  # xlrd's XLRDError for a FILEPASS record (BIFF5 XOR, RC4)
            raise _Encrypted() from exc
        return read(path), False


def _read_package(path: str) -> tuple[list, bool]:
    """Calamine's sheets, else openpyxl's for a package calamine refuses; hidden rows come from the parent."""
    try:
        return read(path), True
    except MemoryError:
        raise
    except Exception as first:  # noqa: BLE001
        from python_calamine import PasswordError

        if isinstance(first, PasswordError):
            raise
        from examops.adapters.excel_in import openpyxl_cells

        try:
            return openpyxl_cells.read(path), True
        except Exception:  # noqa: BLE001 - neither reader can: report calamine's failure
            raise first from None


def _child(path: str, limit: int, mode: str) -> tuple[str, object]:
    limit_self(limit)
    try:
        from python_calamine import PasswordError

        try:
            readers = {"xls": _read_legacy, "xlsx": _read_package}
            return "ok", readers.get(mode, lambda p: (read(p), True))(path)
        except (PasswordError, _Encrypted) as exc:
            return "password", str(exc)
    except MemoryError:
        return "memory", "MemoryError"
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which words it for the clerk
        return "error", f"{type(exc).__name__}: {exc}"[:500]
    except BaseException as exc:  # a Rust panic (pyo3_runtime.PanicException) derives from BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return "panic", f"{type(exc).__name__}: {exc}"[:500]


def limit_self(limit: int) -> None:
    """Lower this process's address space to ``limit`` (never above a limit it already inherited)."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard if hard != resource.RLIM_INFINITY else limit))


MARSHAL, PICKLE = b"M", b"P"
"""The first byte of each frame of the child's answer: how its body is written."""
ROWS_PER_FRAME = 4096
"""Rows per frame: the parent loads one frame while the child writes the next (the hand-off's two halves overlap)."""
_LENGTH_BYTES = 8


def write_outcome(outcome: tuple[str, object], out) -> None:  # noqa: ANN001 - a binary file
    """The outcome as frames (a tag, the body's length, the body): each sheet's rows `ROWS_PER_FRAME` at a time as
    ("rows", chunk), then the outcome with each sheet's rows replaced by their count. A frame is marshal (text,
    numbers, None, lists: the parent loads it in two thirds of pickle's time), or pickled when a cell is a date or
    time (marshal refuses those)."""
    status, value = outcome
    if status == "ok":
        sheets, checked = value
        for sheet in sheets:
            rows = sheet[2]
            for start in range(0, len(rows), ROWS_PER_FRAME):
                _write_frame(("rows", rows[start:start + ROWS_PER_FRAME]), out)
                out.flush()  # into the pipe now: the parent loads this frame while the next is written
        outcome = (status, ([(name, hidden, len(rows), *rest) for name, hidden, rows, *rest in sheets], checked))
    _write_frame(outcome, out)


def _write_frame(item: object, out) -> None:  # noqa: ANN001
    try:
        tag, body = MARSHAL, marshal.dumps(item)
    except ValueError:
        import pickle  # only for dates: a plain roster's reader and its parent never import it

        # fast: no memo (cells are not shared, and the memo costs more than the whole load)
        tag, body = PICKLE, _pickled(pickle, item)
    out.write(tag + len(body).to_bytes(_LENGTH_BYTES, "little"))
    out.write(body)


def _pickled(pickle, item: object) -> bytes:  # noqa: ANN001 - the module
    import io

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(item)
    return buffer.getvalue()


def read_frames(read, most: int) -> tuple[str, object]:  # noqa: ANN001 - a binary file's read
    """What `write_outcome` wrote, read frame by frame from `read` as the child writes them (the same interpreter
    wrote them: marshal's format is that of this Python). An answer cut short raises EOFError (the child ended
    part-way); a frame longer than `most` bytes or an unknown tag ValueError: the parent does not trust the lengths
    it is given, it refuses the file."""
    rows: list = []
    while True:
        head = read(1 + _LENGTH_BYTES)
        if len(head) != 1 + _LENGTH_BYTES:
            raise EOFError(f"the reader's answer ends after {len(rows)} rows, without its outcome")
        tag, length = head[:1], int.from_bytes(head[1:], "little")
        if tag not in (MARSHAL, PICKLE) or length > most:
            raise ValueError(f"the reader's answer has a frame {bytes(tag)!r} of {length} bytes")
        body = read(length)
        if len(body) != length:
            raise EOFError("the reader's answer ends inside a frame")
        if tag == MARSHAL:
            item = marshal.loads(body)
        else:
            import pickle

            item = pickle.loads(body)
        if item[0] == "rows":
            rows += item[1]
            continue
        status, value = item
        if status != "ok":
            return status, value
        sheets, checked = value
        whole, at = [], 0
        for name, hidden, count, *rest in sheets:
            whole.append((name, hidden, rows[at:at + count], *rest))
            at += count
        return status, (whole, checked)


def read_outcome(payload: bytes) -> tuple[str, object]:
    """What `write_outcome` wrote, from the whole of it."""
    import io

    return read_frames(io.BytesIO(payload).read, len(payload))


if __name__ == "__main__":
    write_outcome(_child(sys.argv[1], int(sys.argv[2]), sys.argv[3]), sys.stdout.buffer)
