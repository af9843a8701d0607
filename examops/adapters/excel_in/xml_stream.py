"""Streaming reads of package XML parts through defusedxml's expat parser (no tree, no regex)."""

from __future__ import annotations

import zipfile
from typing import Callable
from xml.parsers import expat

from examops.adapters.excel_in.content import MIB

CHUNK = 4 * MIB


def _local(name: str) -> str:
    """'{ns}row', 'ns row' or 'x:row' -> 'row' (transitional and strict OOXML name rows alike)."""
    return name.rpartition(" ")[2].rpartition("}")[2].rpartition(":")[2]


def stream_starts(archive: zipfile.ZipFile, part: str, on_start: Callable[[str, dict[str, str]], None], chunk_size: int = CHUNK) -> None:
    """Call ``on_start(local name, attributes by local name)`` for every element of ``part``, chunk by chunk."""
    from defusedxml.expatbuilder import DefusedExpatBuilder  # only for a part that holds what is looked for

    parser = expat.ParserCreate(namespace_separator=" ")
    # defusedxml's refusals of DTDs, entity declarations and external references, on a bare event parser.
    defused = DefusedExpatBuilder(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.StartDoctypeDeclHandler = defused.defused_start_doctype_decl
    parser.EntityDeclHandler = defused.defused_entity_decl
    parser.UnparsedEntityDeclHandler = defused.defused_unparsed_entity_decl
    parser.ExternalEntityRefHandler = defused.defused_external_entity_ref_handler

    def start(name: str, attributes: dict[str, str]) -> None:
        on_start(_local(name), {_local(key): value for key, value in attributes.items()})

    parser.StartElementHandler = start
    with archive.open(part) as stream:
        while chunk := stream.read(chunk_size):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)


def part_contains(archive: zipfile.ZipFile, part: str, needle: bytes, chunk_size: int = CHUNK) -> bool:
    """Whether the decompressed part holds ``needle`` at all: most sheets hide nothing, and this costs one pass."""
    carry = b""
    with archive.open(part) as stream:
        while chunk := stream.read(chunk_size):
            if needle in carry + chunk[: len(needle)] or needle in chunk:
                return True
            carry = chunk[-len(needle) :]
    return False


def hidden_xlsx_rows(archive: zipfile.ZipFile, part: str, chunk_size: int = CHUNK) -> frozenset[int]:
    """Excel row numbers whose <row> says hidden; rows without r= are numbered one after another."""
    if not part_contains(archive, part, b"hidden", chunk_size):
        return frozenset()
    hidden: set[int] = set()
    current = [0]

    def on_start(name: str, attributes: dict[str, str]) -> None:
        if name != "row":
            return
        number = attributes.get("r", "")
        current[0] = int(number) if number.isdigit() else current[0] + 1
        if attributes.get("hidden", "").lower() in ("1", "true"):
            hidden.add(current[0])

    stream_starts(archive, part, on_start, chunk_size)
    return frozenset(hidden)


def hidden_ods_rows(archive: zipfile.ZipFile) -> dict[str, frozenset[int]]:
    """Per table name, the row numbers an OpenDocument sheet collapses or filters out of view."""
    if not part_contains(archive, "content.xml", b"visibility"):
        return {}
    by_table: dict[str, set[int]] = {}
    state = {"table": None, "row": 0}

    def on_start(name: str, attributes: dict[str, str]) -> None:
        if name == "table":
            state["table"] = attributes.get("name", "")
            state["row"] = 0
            by_table[state["table"]] = set()
        elif name == "table-row" and state["table"] is not None:
            repeated = attributes.get("number-rows-repeated", "1")
            count = int(repeated) if repeated.isdigit() else 1
            first = state["row"] + 1
            state["row"] += count
            if attributes.get("visibility", "visible") != "visible":
                by_table[state["table"]].update(range(first, first + min(count, 1_048_576)))

    stream_starts(archive, "content.xml", on_start)
    return {name: frozenset(rows) for name, rows in by_table.items()}
