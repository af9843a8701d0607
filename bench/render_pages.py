"""Render documents to PNG pages so a person can look at them: PDFs with pdftoppm, workbooks through LibreOffice.

    python bench/render_pages.py OUT_DIR FILE.pdf|FILE.xlsx… [--dpi 70] [--first N --last M]

A PDF is rendered as it is (the PDF examops writes directly); a workbook is
first printed to PDF by LibreOffice headless (`soffice`), to see Excel's print
layout. Needs poppler-utils (and libreoffice-calc-nogui for workbooks).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def xlsx_to_pdf(path: Path, out_dir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui)")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out_dir), str(path)], check=True, capture_output=True)
    return out_dir / (path.stem + ".pdf")


def render(pdf: Path, out_dir: Path, *, dpi: int, first: int | None, last: int | None, prefix: str) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        sys.exit("pdftoppm is not installed (Debian: apt-get install poppler-utils)")
    args = ["pdftoppm", "-png", "-r", str(dpi)]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    subprocess.run([*args, str(pdf), str(out_dir / prefix)], check=True)
    return sorted(out_dir.glob(f"{prefix}*.png"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--dpi", type=int, default=70)
    parser.add_argument("--first", type=int)
    parser.add_argument("--last", type=int)
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for path in args.files:
        pdf, prefix = path, path.stem
        if path.suffix.lower() == ".xlsx":
            pdf, prefix = xlsx_to_pdf(path, args.out_dir), path.stem + ".lo"
        for page in render(pdf, args.out_dir, dpi=args.dpi, first=args.first, last=args.last, prefix=prefix):
            print(page)


if __name__ == "__main__":
    main()
