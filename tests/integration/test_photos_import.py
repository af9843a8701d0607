"""Photo packs into the store: the API the gate and the documents use, and every bad case refused atomically."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image
from sqlalchemy import insert

from examops.adapters.store import schema
from examops.services import ledger
from examops.services.photos import has_photos, import_photos, photo_counts, photo_for
from tests.conftest import TEST_PIN
from tests.support.photos import give_photos, synthetic_photo, write_pack


def _png(size, mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 128).save(out, "PNG")
    return out.getvalue()


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 400), "grey").save(out, "GIF")
    return out.getvalue()


def _huge_png_header() -> bytes:
    """A PNG whose IHDR declares 50 000 × 50 000: a decompression bomb (it must be refused from the header alone)."""
    real = _png((100, 100))
    return real[:16] + (50_000).to_bytes(4, "big") + (50_000).to_bytes(4, "big") + real[24:]


def test_photos_round_trip_through_the_import(seeded_site):
    site = seeded_site
    tickets = [p.ticket for p in site.people[:5]]
    assert not has_photos(site)
    assert photo_for(site, tickets[0]) is None
    give_photos(site, tickets)
    assert has_photos(site)
    assert photo_for(site, tickets[0]) == synthetic_photo(tickets[0])
    assert photo_for(site, site.people[6].ticket) is None
    assert photo_counts(site) == {"with_photo": 5, "without_photo": len(site.people) - 5, "not_in_roster": 0}


def test_names_by_id_number_in_any_case_and_extensions_in_any_case(seeded_site, tmp_path):
    site = seeded_site
    first, second, third = site.people[:3]
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / f"{first.id_number.lower()}.PNG").write_bytes(synthetic_photo(first.ticket, fmt="PNG"))
    (pack / f"{second.ticket}.Jpeg").write_bytes(synthetic_photo(second.ticket))
    (pack / f" {third.ticket} .JPG").write_bytes(synthetic_photo(third.ticket))
    report = import_photos(site, [pack])
    assert report.imported, report.to_json()
    assert sorted(report.added) == sorted([first.ticket, second.ticket, third.ticket])
    assert photo_for(site, first.ticket).startswith(b"\x89PNG")


def test_a_ticket_whose_leading_zeros_excel_dropped(seeded_site, tmp_path):
    site = seeded_site
    with site.store.write() as conn:
        conn.execute(insert(schema.candidates).values(ticket="0021150099", name="零号", id_number="150203199001011236",
                                                      id_tail="1236", sex="M", site=None))
        ledger.record_tables(site, conn, "a candidate whose ticket starts with zeros")
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "21150099.jpg").write_bytes(synthetic_photo("0021150099"))
    report = import_photos(site, [pack])
    assert report.imported, report.to_json()
    assert report.added == ["0021150099"]


def test_a_zip_with_a_subfolder_and_the_junk_file_managers_leave(seeded_site, tmp_path):
    site = seeded_site
    tickets = [p.ticket for p in site.people[:4]]
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as pack:
        for ticket in tickets:
            pack.writestr(f"考点一/{ticket}.jpg", synthetic_photo(ticket))
        pack.writestr("__MACOSX/考点一/._x.jpg", b"\0\5\26\7")
        pack.writestr("考点一/Thumbs.db", b"junk")
    report = import_photos(site, [path])
    assert report.imported, report.to_json()
    assert sorted(report.added) == sorted(tickets) and report.skipped == 2


BAD_ENTRIES = {
    "not-image": lambda t: b"this is a text file saved as .jpg",
    "damaged": lambda t: synthetic_photo(t)[:1500],
    "too-small": lambda t: _png((40, 50)),
    "too-many-pixels": lambda t: _huge_png_header(),
    "other-format": lambda t: _gif(),
}


@pytest.mark.parametrize("code", sorted(BAD_ENTRIES))
def test_each_bad_photo_is_named_and_nothing_is_imported(seeded_site, tmp_path, code):
    site = seeded_site
    good, bad = site.people[0].ticket, site.people[1].ticket
    pack = write_pack(tmp_path / "pack", [good])
    (pack / f"{bad}.jpg").write_bytes(BAD_ENTRIES[code](bad))
    events_before = site.store.count_events()
    report = import_photos(site, [pack])
    assert not report.imported
    assert [(p.code, p.entry, p.ticket) for p in report.errors] == [(code, f"{bad}.jpg", bad)]
    assert not has_photos(site) and site.store.count_events() == events_before


def test_an_absurdly_large_file_is_refused_without_reading_it(seeded_site, tmp_path):
    site = seeded_site
    pack = write_pack(tmp_path / "pack", [site.people[0].ticket])
    with open(pack / f"{site.people[1].ticket}.jpg", "wb") as handle:
        handle.truncate(25 * 1024 * 1024)  # sparse: no bytes written, 25 MiB declared
    report = import_photos(site, [pack])
    assert [p.code for p in report.errors] == ["file-too-large"] and not has_photos(site)


def test_zip_bombs_are_refused_from_the_directory_before_inflating(seeded_site, tmp_path):
    site = seeded_site
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as pack:
        pack.writestr(f"{site.people[0].ticket}.jpg", synthetic_photo(site.people[0].ticket))
        pack.writestr(f"{site.people[1].ticket}.jpg", b"\0" * (15 * 1024 * 1024))  # 15 MiB of zeros: ~15 KiB deflated
        pack.writestr(f"{site.people[2].ticket}.jpg", b"\0" * (40 * 1024 * 1024))  # over the size limit outright
    report = import_photos(site, [path])
    assert sorted((p.code, p.ticket) for p in report.errors) == sorted(
        [("zip-bomb", site.people[1].ticket), ("file-too-large", site.people[2].ticket)])
    assert not has_photos(site)


def test_names_matching_no_candidate_and_two_files_for_one(seeded_site, tmp_path):
    site = seeded_site
    person = site.people[0]
    pack = write_pack(tmp_path / "pack", [person.ticket, "99999999999999"])
    (pack / f"{person.id_number}.png").write_bytes(synthetic_photo(person.ticket, fmt="PNG"))
    report = import_photos(site, [pack])
    found = sorted((p.code, p.entry) for p in report.errors)
    assert found == [("no-candidate", "99999999999999.jpg"), ("two-files", f"{person.id_number}.png"),
                     ("two-files", f"{person.ticket}.jpg")]
    assert not has_photos(site)


def test_a_pack_that_is_no_zip_folder_or_photo(seeded_site, tmp_path):
    path = tmp_path / "photos.rar"
    path.write_bytes(b"Rar!\x1a\x07\x00" + b"\0" * 100)
    report = import_photos(seeded_site, [path])
    assert [(p.code, p.params.get("kind")) for p in report.errors] == [("pack-not-zip", "rar")]


def test_photos_before_the_roster_say_to_import_the_roster_first(site, tmp_path):
    report = import_photos(site, [write_pack(tmp_path / "pack", ["21150054251571"])])
    assert "no-roster" in [p.code for p in report.errors] and not report.imported


def test_candidates_left_without_a_photo_are_a_warning(seeded_site, tmp_path):
    site = seeded_site
    report = import_photos(site, [write_pack(tmp_path / "pack", [p.ticket for p in site.people[:-2]])])
    assert report.imported
    assert report.without_photo == sorted(p.ticket for p in site.people[-2:])
    assert [(p.severity, p.code, p.params["count"]) for p in report.problems] == [("warning", "no-photo", 2)]


def test_reimport_replaces_and_says_which(seeded_site, tmp_path):
    site = seeded_site
    tickets = [p.ticket for p in site.people[:3]]
    give_photos(site, tickets)
    pack = write_pack(tmp_path / "again", tickets[:1])  # the same bytes
    write_pack(pack, tickets[1:], shade=20)  # new photos for two of them
    refused = import_photos(site, [pack])
    assert [p.code for p in refused.errors] == ["replace-needs-pin"] and refused.replaced == sorted(tickets[1:])
    wrong = import_photos(site, [pack], authorise=lambda: "2580")
    assert [p.code for p in wrong.errors] == ["replace-wrong-pin"]
    assert photo_for(site, tickets[1]) == synthetic_photo(tickets[1])  # both refusals left the photos as they were
    report = import_photos(site, [pack], authorise=lambda: TEST_PIN)
    assert report.imported
    assert (report.added, report.replaced, report.unchanged) == ([], sorted(tickets[1:]), tickets[:1])
    assert photo_for(site, tickets[1]) == synthetic_photo(tickets[1], shade=20)


def test_adding_photos_needs_no_pin_and_asks_for_none(seeded_site, tmp_path):
    site = seeded_site
    give_photos(site, [site.people[0].ticket])
    asked = []
    report = import_photos(site, [write_pack(tmp_path / "more", [site.people[1].ticket])], authorise=lambda: asked.append(1))
    assert report.imported and report.added == [site.people[1].ticket] and not asked


def test_a_dry_run_writes_nothing(seeded_site, tmp_path):
    site = seeded_site
    pack = write_pack(tmp_path / "pack", [p.ticket for p in site.people[:3]])
    events_before = site.store.count_events()
    report = import_photos(site, [pack], dry_run=True)
    assert not report.imported and len(report.added) == 3 and not report.errors
    assert not has_photos(site) and site.store.count_events() == events_before


def test_the_demo_ships_with_synthetic_photos(tmp_path, monkeypatch):
    from examops.services.demo import DEMO_WITHOUT_PHOTO, prepare_demo

    monkeypatch.setenv("EXAMOPS_DB", "")  # the demo points EXAMOPS_DB at its store: restored after the test
    site, info = prepare_demo(tmp_path / "demo")
    try:
        assert info["photos"] == info["candidates"] - len(DEMO_WITHOUT_PHOTO) > 0
        assert has_photos(site)
        assert photo_for(site, "21150054251571") == synthetic_photo("21150054251571")
        assert photo_for(site, DEMO_WITHOUT_PHOTO[0]) is None
        assert not (tmp_path / "demo" / "sample_photos").exists()  # generated into the store, the pack thrown away
    finally:
        site.close()


def test_a_large_pack_checked_on_several_threads_names_each_bad_file(seeded_site, tmp_path):
    site = seeded_site
    tickets = [p.ticket for p in site.people[:40]]
    path = tmp_path / "photos.zip"
    bad = {tickets[3]: "damaged", tickets[17]: "too-small", tickets[31]: "not-image"}
    with zipfile.ZipFile(path, "w") as pack:
        for ticket in tickets:
            data = {"damaged": lambda: synthetic_photo(ticket)[:1200], "too-small": lambda: _png((60, 60)),
                    "not-image": lambda: b"%PDF-1.4 not a photo"}.get(bad.get(ticket), lambda: synthetic_photo(ticket))()
            pack.writestr(f"{ticket}.jpg", data)
    report = import_photos(site, [path])
    assert sorted((p.ticket, p.code) for p in report.errors) == sorted(bad.items())
    assert not has_photos(site)
    fixed = tmp_path / "fixed.zip"
    with zipfile.ZipFile(fixed, "w") as pack:
        for ticket in tickets:
            pack.writestr(f"{ticket}.jpg", synthetic_photo(ticket))
    assert import_photos(site, [fixed]).imported and photo_counts(site)["with_photo"] == 40


class _WindowsZipInfo(zipfile.ZipInfo):
    """An entry as a Chinese Windows zip tool writes it: the name in GBK, without the UTF-8 flag."""

    def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's name
        return self.filename.encode("gb18030"), self.flag_bits & ~0x800


def test_gbk_names_from_a_chinese_windows_zip_are_read_as_written(seeded_site, tmp_path):
    site = seeded_site
    ticket = site.people[0].ticket
    path = tmp_path / "考点照片.zip"
    with zipfile.ZipFile(path, "w") as pack:
        pack.writestr(_WindowsZipInfo(f"照片/{ticket}.jpg"), synthetic_photo(ticket))
        pack.writestr(_WindowsZipInfo("照片/张三.jpg"), synthetic_photo("x"))
    with zipfile.ZipFile(path) as pack:
        assert not any(info.flag_bits & 0x800 for info in pack.infolist())  # really written as GBK
    report = import_photos(site, [path])
    assert [(p.code, p.entry) for p in report.errors] == [("no-candidate", "照片/张三.jpg")]
