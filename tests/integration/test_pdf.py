"""Every document also as PDF, made with reportlab: the text extracted back holds every ticket number and name whole."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from examops.cli import main
from tests.conftest import TEST_PIN
from tests.integration.test_report import morning  # noqa: F401  (the fixture)

FONT_CHOICES = ["cid", "system"]


def _text(path) -> str:  # noqa: ANN001
    return "\f".join(page.extract_text() or "" for page in PdfReader(path).pages)


def _broken_numbers(text: str) -> list[str]:
    """Runs of digits that look like a piece of a 14-digit ticket number: one broken across lines."""
    return [run for run in re.findall(r"(?<![0-9A-Za-z])\d{5,13}(?![0-9A-Za-z])", text) if run.startswith("2115")]


def _fonts(path) -> set[str]:  # noqa: ANN001
    names = set()
    for page in PdfReader(path).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.fixture(params=FONT_CHOICES)
def pdf_font(request, monkeypatch):
    """STSong-Light (no font file), or a system TrueType CJK font embedded (skipped where none is installed)."""
    from examops.adapters.pdf import fonts

    fonts.fonts.cache_clear()
    if request.param == "cid":
        monkeypatch.setenv("EXAMOPS_PDF_FONT", "cid")
    elif fonts.fonts().embedded is None:
        pytest.skip("no TrueType CJK font installed (Debian: fonts-wqy-zenhei)")
    yield request.param
    fonts.fonts.cache_clear()


def run(site, *args):  # noqa: ANN001, ANN201
    return CliRunner().invoke(main, ["--db", site.store.url, *args], env={"EXAMOPS_PIN": TEST_PIN}, catch_exceptions=False)


def test_room_documents_as_pdf_hold_every_ticket_and_name(morning, tmp_path, pdf_font):  # noqa: F811
    done = run(morning, "docs", "--session", "S1", "--out", str(tmp_path), "--format", "both", "--json")
    assert done.exit_code == 0, done.output
    rooms = json.loads(done.stdout)["rooms"]
    room = next(r for r in rooms if r["room"] == "002")
    pdf = next(f for f in room["files"] if f.endswith(".pdf"))
    assert any(f.endswith(".xlsx") for f in room["files"])
    text = _text(pdf)
    seated = [p for i, p in enumerate(morning.people) if 30 <= i < 60]
    for person in seated:
        # Door list, sign-in sheet and seat label: three times each, never broken across lines.
        assert len(re.findall(re.escape(person.ticket), text)) >= 3, person.ticket
        assert person.name in text, person.name
    assert _broken_numbers(text) == []
    assert ("STSong-Light" in " ".join(_fonts(pdf))) == (pdf_font == "cid")


def test_report_as_pdf_holds_every_ticket_and_name_of_its_lists(morning, tmp_path, pdf_font):  # noqa: F811
    out = tmp_path / "S1.xlsx"
    done = run(morning, "report", "--session", "S1", "--out", str(out), "--format", "pdf", "--json")
    assert done.exit_code == 0, done.output
    files = json.loads(done.stdout)["files"]
    assert files == [str(out.with_suffix(".pdf"))] and not out.exists()
    text = _text(files[0])
    for person in morning.groups["held"] + morning.groups["rejected"] + morning.groups["pending"]:
        assert person.ticket in text and person.name in text, person.ticket
    printed = "\n".join(t for t in text.split("\f") if "报告签名" not in t)
    assert _broken_numbers(printed) == []
    assert "考场情况记录表" in text and "exceptions_by_code" not in printed, text[-3000:]


def test_the_report_pdf_ends_with_a_signature_page_people_can_read(morning, tmp_path):  # noqa: F811
    """Printed, the signature sheet was four landscape pages of hashes, machine keys ("key", "chain", "sheet") and a
    signed-figures cell too small to read; the PDF now ends with one page: key, time, digest, signature, QR code.
    The workbook still holds the signature sheet, nothing more, and still verifies."""
    from openpyxl import load_workbook

    out = tmp_path / "S1.xlsx"
    done = run(morning, "report", "--session", "S1", "--out", str(out), "--format", "both", "--json")
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)
    pages = [page.extract_text() or "" for page in PdfReader(out.with_suffix(".pdf")).pages]
    last = pages[-1]
    assert "报告签名" in last and result["fingerprint"] in last and result["figures_sha256"] in last
    assert sum("报告签名" in page for page in pages) == 1
    assert PdfReader(out.with_suffix(".pdf")).pages[-1]["/Resources"].get("/XObject")  # the QR code is drawn
    text = "\n".join(pages)
    assert "figures_json" not in text and "chain_heads" not in text and not re.search(r"\b(key|chain|sheet)\b", text)
    titles = load_workbook(out).sheetnames
    assert titles[-1] == "签名" and "签名页" not in titles
    assert run(morning, "report", "verify", str(out), "--any-key").exit_code == 0
