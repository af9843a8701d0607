"""A photo pack for the sample site, as an exam office would send it: `python rosters/make_photos.py photos.zip`.

One synthetic photo per sample candidate (a grey silhouette with the ticket number drawn on it, never a real
face), named by ticket, zipped; 21150054251578 is left out, as the demo leaves it, to show a candidate without one.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from examops import sample  # noqa: E402
from examops.sample_photos import synthetic_photo  # noqa: E402

LEFT_OUT = {"21150054251578"}


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python rosters/make_photos.py OUT.zip")
    target = Path(sys.argv[1])
    people = sample.synthetic_people(360, seed=2021)
    with zipfile.ZipFile(target, "w") as pack:  # stored: JPEGs do not deflate
        for person in people:
            if person.ticket not in LEFT_OUT:
                pack.writestr(f"照片/{person.ticket}.jpg", synthetic_photo(person.ticket))
    print(f"wrote {target}: {len(people) - len(LEFT_OUT)} photos")


if __name__ == "__main__":
    main()
