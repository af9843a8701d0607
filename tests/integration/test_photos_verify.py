"""A photo swapped, edited, added or removed behind the log is named by `verify`; a purge needs the PIN and is recorded."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from examops.cli import main
from examops.domain.events import Kind
from examops.services.audit import verify
from examops.services.photos import has_photos, purge_photos
from examops.services.site import SiteError
from tests.conftest import TEST_PIN
from tests.support.photos import give_photos, synthetic_photo, write_pack


def _sql(site, statement: str, **params) -> None:
    """What an insider does: the sqlite3 shell on the file, or SQL on the shared server."""
    if site.store.is_sqlite:
        assert shutil.which("sqlite3")
        for name, value in params.items():
            statement = statement.replace(f":{name}", f"'{value}'" if isinstance(value, str) else f"X'{value.hex()}'")
        subprocess.run(["sqlite3", str(site.store.path), statement], check=True)
    else:
        with site.store.engine.begin() as conn:
            conn.execute(text(statement), params)


@pytest.fixture
def photo_site(seeded_site):
    give_photos(seeded_site, [p.ticket for p in seeded_site.people[:6]])
    assert verify(seeded_site).ok
    return seeded_site


def test_two_photos_swapped_are_both_named(photo_site):
    a, b = photo_site.people[0].ticket, photo_site.people[1].ticket
    _sql(photo_site, "UPDATE photos SET ticket = 'swap' WHERE ticket = :a", a=a)
    _sql(photo_site, "UPDATE photos SET ticket = :a WHERE ticket = :b", a=a, b=b)
    _sql(photo_site, "UPDATE photos SET ticket = :b WHERE ticket = 'swap'", b=b)
    problems = verify(photo_site).problems
    assert [p for p in problems if "photo" in p] == [
        f"the photo of ticket {t} differs from the one the log recorded at {at} (event {ev}): swapped or edited outside examops"
        for t, at, ev in sorted(_recorded(photo_site, a, b))]


def _recorded(site, *tickets):
    from examops.adapters.store import events as event_log

    with site.store.read() as conn:
        event = next(e for e in event_log.all_in_pos_order(conn) if e.kind == Kind.PHOTOS_IMPORTED)
    return [(t, event.at, event.id) for t in tickets]


def test_edited_bytes_with_the_digest_column_set_to_match_are_named(photo_site):
    import hashlib

    ticket = photo_site.people[2].ticket
    forged = synthetic_photo(ticket, shade=40)
    _sql(photo_site, "UPDATE photos SET data = :data, digest = :digest WHERE ticket = :t",
         data=forged, digest=hashlib.sha256(forged).hexdigest(), t=ticket)
    problems = [p for p in verify(photo_site).problems if "photo" in p]
    assert len(problems) == 1 and f"the photo of ticket {ticket} differs" in problems[0]


def test_a_photo_added_or_removed_outside_examops_is_named(photo_site):
    removed, added = photo_site.people[3].ticket, photo_site.people[10].ticket
    _sql(photo_site, "DELETE FROM photos WHERE ticket = :t", t=removed)
    _sql(photo_site, "INSERT INTO photos (ticket, format, width, height, digest, source, data) "
                     "VALUES (:t, 'jpeg', 240, 320, 'x', 'x.jpg', :data)", t=added, data=synthetic_photo(added))
    problems = [p for p in verify(photo_site).problems if "photo" in p]
    assert len(problems) == 2
    assert any(f"photo of ticket {removed}" in p and "missing from the store" in p for p in problems)
    assert any(f"photo of ticket {added}" in p and "never recorded" in p for p in problems)


def test_verify_names_the_swapped_ticket_on_the_command_line(photo_site):
    ticket = photo_site.people[4].ticket
    _sql(photo_site, "UPDATE photos SET data = :data WHERE ticket = :t", data=synthetic_photo("0", shade=7), t=ticket)
    done = CliRunner().invoke(main, ["--db", photo_site.store.url, "verify", "--json"])
    assert done.exit_code == 1
    assert any(f"photo of ticket {ticket}" in p for p in json.loads(done.output)["problems"])


def test_a_purge_needs_the_pin_and_is_recorded(photo_site):
    with pytest.raises(SiteError):
        purge_photos(photo_site, "0000")
    assert has_photos(photo_site)
    result = purge_photos(photo_site, TEST_PIN, by="王总监", reason="exam over")
    assert (result.removed, result.reclaim_failure) == (6, None)
    assert not has_photos(photo_site)
    from examops.adapters.store import events as event_log

    with photo_site.store.read() as conn:
        kinds = [e.kind for e in event_log.all_in_pos_order(conn)]
    assert kinds[-1] == Kind.PHOTOS_PURGED and Kind.PIN_REFUSED in kinds
    assert verify(photo_site).ok  # the purge cleared what the log expects


def test_the_chief_record_lists_photo_replacements_and_purges(photo_site):
    from examops.services.chief_record import chief_record

    ticket = photo_site.people[0].ticket
    give_photos(photo_site, [photo_site.people[20].ticket])  # an addition: no PIN, not listed
    give_photos(photo_site, [ticket], shade=33)  # a replacement: listed
    purge_photos(photo_site, TEST_PIN, by="王总监", reason="exam over")
    entries = [(e.kind, e.detail) for e in chief_record(photo_site).entries if e.kind.startswith("photos")]
    assert entries == [(Kind.PHOTOS_IMPORTED, f"1: {ticket}"), (Kind.PHOTOS_PURGED, "7: exam over")]


def test_a_purge_leaves_no_photo_bytes_in_the_sqlite_file(seeded_site, tmp_path):
    if not seeded_site.store.is_sqlite:
        pytest.skip("the file's pages are SQLite's")
    ticket = seeded_site.people[0].ticket
    photo = synthetic_photo(ticket)
    give_photos(seeded_site, [ticket])
    purge_photos(seeded_site, TEST_PIN)
    path = seeded_site.store.path
    on_disk = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))  # the store, its WAL and shm
    assert photo[200:264] not in on_disk


def test_cli_import_json_status_and_purge(seeded_site, tmp_path, monkeypatch):
    site = seeded_site
    pack = write_pack(tmp_path / "pack", [p.ticket for p in site.people[:5]])
    runner = CliRunner()
    done = runner.invoke(main, ["--db", site.store.url, "photos", "import", str(pack), "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["added"] == 5
    status = json.loads(runner.invoke(main, ["--db", site.store.url, "status", "--json"]).output)
    assert status["photos"] == {"with_photo": 5, "without_photo": len(site.people) - 5, "not_in_roster": 0}
    again = write_pack(tmp_path / "again", [site.people[0].ticket], shade=30)
    refused = runner.invoke(main, ["--db", site.store.url, "photos", "import", str(again)])
    assert refused.exit_code == 2 and "needs the chief proctor's PIN" in refused.output
    monkeypatch.setenv("EXAMOPS_PIN", TEST_PIN)
    replaced = runner.invoke(main, ["--db", site.store.url, "photos", "import", str(again)])
    assert replaced.exit_code == 0 and f"replaced: {site.people[0].ticket}" in replaced.output
    done = runner.invoke(main, ["--db", site.store.url, "photos", "purge", "--json"])
    assert done.exit_code == 0 and json.loads(done.output)["removed"] == 5


def test_cli_refusal_in_chinese_names_the_file(seeded_site, tmp_path, monkeypatch):
    site = seeded_site
    pack = write_pack(tmp_path / "pack", [site.people[0].ticket])
    (pack / "99999999999999.jpg").write_bytes(synthetic_photo("9"))
    monkeypatch.setenv("EXAMOPS_LANG", "zh-CN")
    done = CliRunner().invoke(main, ["--db", site.store.url, "photos", "import", str(pack)])
    assert done.exit_code == 2
    assert "99999999999999.jpg" in done.output and "不是任何考生的准考证号或身份证号" in done.output
    assert not has_photos(site)


def test_no_photo_travels_in_a_bundle_or_a_report(photo_site, tmp_path):
    import gzip
    import zipfile

    from examops.services.bundles import export_bundle
    from examops.services.report import build_report

    photo = synthetic_photo(photo_site.people[0].ticket)
    export_bundle(photo_site, tmp_path / "lane.bundle", everything=True)
    carried = gzip.decompress((tmp_path / "lane.bundle").read_bytes())
    assert b'"photos_imported"' in carried and photo[200:264] not in carried  # the digests travel, never a photo
    build_report(photo_site, session_ids=["S1"], out=tmp_path / "S1.xlsx", pin=TEST_PIN)
    with zipfile.ZipFile(tmp_path / "S1.xlsx") as report:
        assert not [n for n in report.namelist() if report.read(n).startswith(b"\xff\xd8\xff")]  # no JPEG at all
        assert all(photo[200:264] not in report.read(n) for n in report.namelist())
