"""Regenerate the sample site's files: `python rosters/generate.py`.

Writes sample_plan.toml, sample_roster.xlsx (12 rooms x 30 seats, synthetic
people) and template.xlsx next to this script. Output is byte-for-byte stable:
zip entry times and the workbook's created/modified stamps are pinned.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from examops import sample  # noqa: E402

ROOMS = 12
SEATS_PER_ROOM = 30
SEED = 2021
PINNED = dt.datetime(2021, 10, 1, 9, 0, 0)


def pin_timestamps(path: Path, when: dt.datetime = PINNED) -> None:
    """Rewrite an .xlsx so that saving it again gives the same bytes."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            pinned = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = info.external_attr
            target.writestr(pinned, data)


def main() -> None:
    (HERE / "sample_plan.toml").write_text(sample.sample_plan_toml(), encoding="utf-8")

    people = sample.synthetic_people(ROOMS * SEATS_PER_ROOM, seed=SEED)
    roster = sample.write_roster_xlsx(
        HERE / "sample_roster.xlsx",
        people,
        rooms=ROOMS,
        seats_per_room=SEATS_PER_ROOM,
        per_room_sheets=True,
        title=sample.ROSTER_TITLE,
        instructions=sample.INSTRUCTIONS,
    )
    template = sample.write_template_xlsx(HERE / "template.xlsx")
    for path in (roster, template):
        pin_timestamps(path)
    print(f"wrote {HERE / 'sample_plan.toml'}, {roster}, {template}")


if __name__ == "__main__":
    main()
