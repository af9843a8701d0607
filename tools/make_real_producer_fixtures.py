"""Make small rosters with real producers (LibreOffice headless) from one examops-generated roster.

    python tools/make_real_producer_fixtures.py tests/fixtures/real_producers   # and tests/fixtures/header_faults

The same function makes them at test time (tests/integration/test_real_producers.py) where ``soffice`` exists (tests skip
where it does not). Every file holds the 12 candidates of
``sample.synthetic_people(12)``; README.md in the folder says how each was made.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from examops import sample  # noqa: E402

PEOPLE = 12
# LibreOffice CSV filter options: separator, quote, character set (76 UTF-8, 65535 UTF-16, 85 GB18030), first line.
CSV_FILTER = "csv:Text - txt - csv (StarCalc):{separator},34,{charset},1"
CONVERSIONS = {
    "libreoffice.ods": "ods",
    "libreoffice.xls": "xls:MS Excel 97",
    "libreoffice.xlsx": "xlsx:Calc MS Excel 2007 XML",
    "libreoffice-utf16.tsv": CSV_FILTER.format(separator=9, charset=65535),
    "libreoffice-gb18030.csv": CSV_FILTER.format(separator=44, charset=85),
    "libreoffice-web-page.xls": "html:HTML (StarCalc)",
}
_TRANSITIONAL_TO_STRICT = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": b"http://purl.oclc.org/ooxml/officeDocument/relationships",
}


def examops_roster(path: Path) -> Path:
    sample.write_roster_xlsx(path, sample.synthetic_people(PEOPLE), seats_per_room=6, per_room_sheets=False)
    return path


def convert(soffice: str, source: Path, target: Path, filter_spec: str) -> Path:
    """One headless LibreOffice conversion of ``source`` into ``target`` (its own profile, so runs do not collide)."""
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        env = {**os.environ, "HOME": str(work_dir)}
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{work_dir}/profile", "--headless", "--convert-to", filter_spec,
             "--outdir", str(work_dir / "out"), str(source)],
            check=True, capture_output=True, env=env, stdin=subprocess.DEVNULL,
        )
        (made,) = (work_dir / "out").iterdir()
        shutil.move(made, target)
    return target


def strict_from(transitional: Path, target: Path) -> Path:
    """The same package with Strict OOXML namespaces, as Excel's "Strict Open XML Spreadsheet" names them."""
    with zipfile.ZipFile(transitional) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith((".xml", ".rels")):
                for old, new in _TRANSITIONAL_TO_STRICT.items():
                    data = data.replace(old, new)
            out.writestr(info, data)
    return target


MISSPELT_HEADERS = {"准考证号": "准考政号", "身份证号": "身份正号", "座位号": "坐位"}  # typed by a hurried clerk


def header_faults(folder: Path, soffice: str) -> dict[str, Path]:
    """Two rosters a clerk gets wrong, saved by LibreOffice: a misspelt header row (.xls), and none at all (.xlsx)."""
    import openpyxl

    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    with tempfile.TemporaryDirectory() as work:
        source = examops_roster(Path(work) / "examops.xlsx")
        book = openpyxl.load_workbook(source)
        sheet = book.active
        for cell in sheet[2]:
            cell.value = MISSPELT_HEADERS.get(cell.value, cell.value)
        book.save(Path(work) / "misspelt.xlsx")
        made["misspelt-header.xls"] = convert(soffice, Path(work) / "misspelt.xlsx", folder / "misspelt-header.xls", CONVERSIONS["libreoffice.xls"])
        sheet.delete_rows(2)
        book.save(Path(work) / "no-header.xlsx")
        made["no-header.xlsx"] = convert(soffice, Path(work) / "no-header.xlsx", folder / "no-header.xlsx", CONVERSIONS["libreoffice.xlsx"])
    return made


def make_all(folder: Path, soffice: str) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    source = examops_roster(folder / "examops.xlsx")
    made = {"examops.xlsx": source}
    for name, filter_spec in CONVERSIONS.items():
        made[name] = convert(soffice, source, folder / name, filter_spec)
    made["libreoffice-strict.xlsx"] = strict_from(made["libreoffice.xlsx"], folder / "libreoffice-strict.xlsx")
    made["wps-format.et"] = folder / "wps-format.et"
    shutil.copyfile(made["libreoffice.xls"], made["wps-format.et"])
    return made


if __name__ == "__main__":
    soffice = shutil.which("soffice") or sys.exit("soffice not found: apt-get install libreoffice-calc-nogui")
    made = make_all(Path(sys.argv[1]), soffice)
    made.update(header_faults(Path(sys.argv[1]).parent / "header_faults", soffice))
    for name, path in made.items():
        print(f"{name}: {path.stat().st_size} bytes")
