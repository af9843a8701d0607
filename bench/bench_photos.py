"""Photo pack import: `examops photos import` of a 5,000-photo zip (whole process: time, peak memory) against merely
unzipping it, in one run.

The pack holds synthetic registration photos at a real one's size (360 × 480 JPEG with film grain, ~30-40 KB, as
exam offices export them), named by ticket, for a site whose roster has the same candidates. The import reads every
entry's header, decodes every photo (a damaged one is refused), then re-reads the chosen ones into one transaction;
unzipping only inflates the entries to disk.

    python bench/bench_photos.py                 # 5,000 photos, SQLite
    python bench/bench_photos.py --photos 20000 --pg postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_roster_import import EXAMOPS, PLAN, child_python  # noqa: E402
from examops import sample  # noqa: E402
from examops.sample_photos import synthetic_photo  # noqa: E402

PHOTO_SIZE = (360, 480)


def timed_child(args: list[str], env: dict) -> tuple[float, float, float, subprocess.CompletedProcess]:
    """Wall time, CPU time (user + system) and peak RSS (MB) of this one child: on a shared machine CPU time is the
    steadier figure."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(args, stdout=out, stderr=err, text=True, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(args, os.waitstatus_to_exitcode(status), out.read(), err.read())
        return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, done


_GRAIN = []


def grainy_photo(ticket: str, index: int) -> bytes:
    """A synthetic photo with film grain, so the JPEG is as big as a real registration photo."""
    from PIL import Image

    if not _GRAIN:
        _GRAIN.extend(Image.effect_noise(PHOTO_SIZE, 24).convert("RGB") for _ in range(8))
    base = Image.open(io.BytesIO(synthetic_photo(ticket, PHOTO_SIZE, shade=index % 40))).convert("RGB")
    grain = _GRAIN[index % len(_GRAIN)]
    out = io.BytesIO()
    Image.blend(base, grain, 0.12).save(out, format="JPEG", quality=90)
    return out.getvalue()


def make_site(workdir: Path, people: list, url: str | None) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    roster = workdir / "roster.xlsx"
    sample.write_roster_xlsx(roster, people, seats_per_room=30, per_room_sheets=False)
    env = {**os.environ, "EXAMOPS_HOME": str(workdir / "home"), "EXAMOPS_PIN": "3917"}
    env.pop("EXAMOPS_DB", None)
    if url:
        env["EXAMOPS_DB"] = url
    subprocess.run([EXAMOPS, "init", "--plan", str(PLAN)], env=env, check=True, capture_output=True)
    subprocess.run([EXAMOPS, "roster", "import", str(roster)], env=env, check=True, capture_output=True)
    return env


def make_pack(path: Path, people: list) -> None:
    partial = path.with_suffix(".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as pack:
        for index, person in enumerate(people):
            pack.writestr(f"photos/{person.ticket}.jpg", grainy_photo(person.ticket, index))
    partial.replace(path)


def pg_schema(base: str) -> tuple[str, callable]:
    from sqlalchemy import create_engine, text

    name = "bench_" + uuid.uuid4().hex[:12]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    sep = "&" if "?" in base else "?"

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()

    return f"{base}{sep}options=-csearch_path%3D{name}", drop


def run(photos: int, pg: str | None, keep: Path | None) -> None:
    people = sample.synthetic_people(photos)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        pack = (keep or workdir) / f"photos_{photos}.zip"
        if not pack.exists():
            pack.parent.mkdir(parents=True, exist_ok=True)
            make_pack(pack, people)
        size = pack.stat().st_size
        print(f"{photos} photos: pack {size / 1e6:.1f} MB ({size / photos / 1e3:.0f} KB a photo), "
              f"ready in {time.perf_counter() - started:.1f} s", flush=True)
        stores = [("SQLite", None)] + ([("PostgreSQL", pg)] if pg else [])
        for label, base in stores:
            url, drop = pg_schema(base) if base else (None, lambda: None)
            try:
                env = make_site(workdir / label, people, url)
                unzipped = timed_child(child_python(
                    f"import zipfile; zipfile.ZipFile({str(pack)!r}).extractall({str(workdir / label / 'unzipped')!r})"), env)
                dry = timed_child([EXAMOPS, "photos", "import", str(pack), "--dry-run", "--json"], env)
                done = timed_child([EXAMOPS, "photos", "import", str(pack), "--json"], env)
                for *_, result in (dry, done):
                    if result.returncode != 0:
                        raise SystemExit(f"import failed: {result.stdout[-1500:]} {result.stderr[-1500:]}")
            finally:
                drop()
            print(f"  {label}:                                  wall      CPU     peak")
            for name, (wall, cpu, peak, _) in (("merely unzipping (zipfile.extractall)", unzipped),
                                               ("examops photos import --dry-run", dry),
                                               ("examops photos import (whole process)", done)):
                print(f"    {name:<38} {wall:6.2f} s {cpu:6.2f} s {peak:5.0f} MB")
            print(f"    import ÷ unzipping: {done[0] / unzipped[0]:.1f}× wall, {done[1] / unzipped[1]:.1f}× CPU; "
                  f"{photos / done[1]:.0f} photos per CPU second")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=5000)
    parser.add_argument("--pg", default=os.environ.get("EXAMOPS_TEST_PG_URL"), help="also time a PostgreSQL store")
    parser.add_argument("--keep", type=Path, help="keep the generated pack in this folder and reuse it next time")
    args = parser.parse_args()
    run(args.photos, args.pg, args.keep)


if __name__ == "__main__":
    main()
