"""Shared checks for tests over real-producer and real-world files: what a clerk-grade refusal looks like."""

from __future__ import annotations

import csv
import re
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "real-files"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "real_producers"

# Words a clerk cannot act on: reader names, format internals, Python's own text.
JARGON = re.compile(
    r"Traceback|Error\b|Exception|panic|pyo3|calamine|xlrd|openpyxl|olefile|BIFF|OLE2?\b|Content_Types|_rels|\.rels|"
    r"workbook\.xml|\biwa\b|sector|\brecord\b|stream|expat|not well-formed|index out of|errno",
    re.IGNORECASE,
)
KINDS = re.compile(
    r"Excel|OpenDocument|Word|PowerPoint|PDF|PNG|JPEG|GIF|TIFF|RAR|7-Zip|ZIP|RTF|gzip|Gnumeric|Numbers|web page|"
    r"XML|SYLK|text|folder|empty|Office file",
)


def clerk_grade(message: str) -> list[str]:
    """What is wrong with a refusal's text: jargon, no kind named, no fix after the semicolon."""
    faults = []
    message = re.sub(r"“[^”]*”", "“FILE”", message)  # the file's own name may say anything
    if JARGON.search(message):
        faults.append(f"jargon: {JARGON.search(message).group(0)!r}")
    if not KINDS.search(message):
        faults.append("names no kind of file")
    if ";" not in message or not message.rstrip().endswith("."):
        faults.append("no fix in one sentence")
    return faults


def corpus_manifest() -> list[dict[str, str]]:
    if not (CORPUS / "MANIFEST.tsv").exists():
        return []
    with open(CORPUS / "MANIFEST.tsv", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))
