"""No door list or seat label is printed from a seat edited behind the log: it would send a candidate to seat 99."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from examops.adapters.store import schema
from examops.services.documents import DocumentsRefused, write_room_documents
from examops.services.site import init_site
from tests.conftest import SAMPLE_PLAN, TEST_PIN


def test_an_edited_seat_prints_no_papers(seeded_site, tmp_path):
    ticket = seeded_site.people[0].ticket
    with seeded_site.store.write() as conn:
        conn.execute(update(schema.seats).where(schema.seats.c.ticket == ticket).values(seat=99))
    out = tmp_path / "papers"
    with pytest.raises(DocumentsRefused, match="edited outside examops") as refused:
        write_room_documents(seeded_site, "S1", out)
    assert "--over-edits" in str(refused.value)
    assert not out.exists() or not any(out.iterdir())


def test_after_init_over_edits_the_papers_print_what_was_recorded(seeded_site, tmp_path):
    ticket = seeded_site.people[0].ticket
    with seeded_site.store.write() as conn:
        conn.execute(update(schema.seats).where(schema.seats.c.ticket == ticket).values(seat=99))
    url = seeded_site.store.url
    seeded_site.close()
    site = init_site(SAMPLE_PLAN, url=url, chief_pin=TEST_PIN, over_edits=True)  # the chief's call, recorded
    try:
        assert write_room_documents(site, "S1", tmp_path / "papers")["rooms"]
    finally:
        site.close()
