"""The bureau report as an A4 workbook: the sheets in order, the values to sign, and the signature sheet."""

from __future__ import annotations

from io import BytesIO
from typing import Sequence

from openpyxl.drawing.image import Image
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from examops.adapters.excel_out.book import Sheet, a4_page
from examops.adapters.excel_out.qr import qr_png
from examops.adapters.excel_out.report_layout import KEY_HEADER
from examops.adapters.excel_out.report_sheets import ReportSheets
from examops.domain.qr_style import REPORT_QR_BOX
from examops.domain.report_content import ReportContent
from examops.domain.report_digest import SheetCells
from examops.i18n.report_words import CHIEF_RECORD_LABELS, SIGNED_FIELD_LABELS, pick


class ReportBook(ReportSheets):
    """Lays out the site report; `cells()` is what gets signed, `sign()` adds the signature sheet."""

    def __init__(self, content: ReportContent):
        super().__init__(content)
        self._summary()
        for sc in content.sessions:
            self._charts(sc)
        self._exceptions()
        self._timeline()
        self._moves()
        self._incidents()
        for sc in content.sessions:
            self._rooms(sc)
        self._chief_record()

    def _chief_record(self) -> None:
        """Plan and PIN changes and overrides, with who and why, and the count of refused PINs."""
        w, record = self.words, self.content.chief_record
        sheet = self._sheet(w["chief_record"], [20, 36, 14, 40])
        self._heading(sheet, w["chief_record_title"])
        sheet.banner(w["refused_pins"].format(count=record.refused_pins), "eo_line")
        header_row = sheet.row
        sheet.table([w["at"], w["record_kind"], w["record_by"], w["record_detail"]],
                    [[self._time(e.at), pick(CHIEF_RECORD_LABELS, e.kind, self.lang), e.by, e.detail] for e in record.entries])
        if not record.entries:  # said, so an empty table is not taken for a page printed short
            sheet.banner(w["no_records"], "eo_line")
        self._finish(sheet, title_rows=f"{header_row}:{header_row}")

    # -- signing -------------------------------------------------------------
    def cells(self) -> list[SheetCells]:
        """Every value written so far, sheet by sheet in workbook order (the signature sheet excluded)."""
        return [sheet.cells() for sheet in self.sheets]

    def sign(self, fields: Sequence[tuple[str, str]], chain_heads: Sequence[tuple[str, int, str]],
             sheet_digests: Sequence[tuple[str, str, int, Sequence[str]]], qr_text: str) -> None:
        """Add the signature sheet: the signed fields as text, chain heads, per-sheet digests and a QR code."""
        w = self.words
        chunks = max([len(d[3]) for d in sheet_digests] + [1])
        sheet = Sheet(self, w["signature"], [24, 14, 60, 10, 66] + [20] * (chunks - 1))
        sheet.banner(w["signature_title"], "eo_title", height=28)
        sheet.banner(w["signature_note"], "eo_line", height=30)
        sheet.table([w["item"], KEY_HEADER, w["value"]],
                    [[pick(SIGNED_FIELD_LABELS, key, self.lang), key, value] for key, value in fields])
        sheet.row += 1
        sheet.banner(w["chain_heads"], "eo_section")
        sheet.table([w["device"], KEY_HEADER, w["device"], w["device_seq"], w["hash"]],
                    [["", "chain", device, seq, digest] for device, seq, digest in chain_heads])
        sheet.row += 1
        sheet.banner(w["sheet_digests"], "eo_section")
        sheet.table([w["sheet"], KEY_HEADER, w["sheet"], w["cells"], w["hash"], w["row_hashes"]],
                    [["", "sheet", title, cells, digest, *rows] for title, digest, cells, rows in sheet_digests])
        image = Image(BytesIO(qr_png(qr_text, box_size=REPORT_QR_BOX)))
        image.width = image.height = 220
        sheet.ws.add_image(image, f"{get_column_letter(sheet.width + 2)}3")
        sheet.fit(skip_columns=range(6, sheet.width + 1))
        a4_page(sheet.ws, title_rows="1:1", header=f"{self.content.site} · {sheet.title}", page=w["page"], landscape=True)

    def signature_page(self, fields: Sequence[tuple[str, str]], qr_text: str) -> Worksheet:
        """The signature as a person reads it on the PDF's last page: which key signed, when, the digest, the QR code.

        The signature sheet is for `report verify` (signed text, chain heads, row digests: pages of hashes on paper);
        this page stands for it in the PDF. The caller removes it before the workbook is saved.
        """
        w, values = self.words, dict(fields)
        sheet = Sheet(self, w["signature_print"], [24, 76])
        sheet.banner(w["signature_title"], "eo_title", height=28)
        sheet.banner(w["signature_print_note"], "eo_line", height=30)
        keys = ("exam", "site", "sessions", "generated_at", "fingerprint", "figures_sha256", "signature")
        sheet.table([w["item"], w["value"]], [[pick(SIGNED_FIELD_LABELS, key, self.lang), values[key]] for key in keys if key in values])
        sheet.fit(caps={2: 76})
        image = Image(BytesIO(qr_png(qr_text, box_size=REPORT_QR_BOX)))
        image.width = image.height = 200
        top = sheet.row + 1
        for row in range(top, top + 11):  # rows under the code, so a print lays them out (150 pt of 15 pt rows)
            sheet.ws.cell(row=row, column=1)
            sheet.ws.row_dimensions[row].height = 15
        sheet.ws.add_image(image, f"B{top}")
        a4_page(sheet.ws, title_rows=None, header=f"{self.content.site} · {w['signature']}", page=w["page"])
        return sheet.ws

