"""Photo packs into the store: the API the gate and the documents use, and every bad case refused atomically."""

from __future__ import annotations

from examops.services.photos import has_photos, import_photos, photo_counts, photo_for
from tests.support.photos import give_photos, synthetic_photo, write_pack


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


def test_a_png_pack_named_by_id_number_in_lower_case(seeded_site, tmp_path):
    site = seeded_site
    person = next(p for p in site.people if p.id_number.endswith("X")) if any(p.id_number.endswith("X") for p in site.people) else site.people[0]
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / f"{person.id_number.lower()}.PNG").write_bytes(synthetic_photo(person.ticket, fmt="PNG"))
    report = import_photos(site, [pack])
    assert report.imported, report.to_json()
    assert report.added == [person.ticket]
    assert photo_for(site, person.ticket).startswith(b"\x89PNG")


def test_a_dry_run_writes_nothing(seeded_site, tmp_path):
    site = seeded_site
    pack = write_pack(tmp_path / "pack", [p.ticket for p in site.people[:3]])
    report = import_photos(site, [pack], dry_run=True)
    assert not report.imported and len(report.added) == 3 and not report.errors
    assert not has_photos(site)
