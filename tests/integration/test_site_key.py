"""The site's report key lives on the chief's desk, sealed under the PIN: the store holds only its public half."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest
from sqlalchemy import select

from examops import locations
from examops.adapters.store import schema
from examops.services.report import ReportRefused, build_report
from examops.services.site import Site, init_site
from tests.conftest import SAMPLE_PLAN, TEST_PIN, seed_roster

OLD_STORE = Path(__file__).resolve().parents[1] / "fixtures" / "old_store.sqlite3"
OLD_PIN = "4321"  # tests/fixtures/make_old_store.py


def _settings(site: Site) -> dict[str, str]:
    with site.store.read() as conn:
        return dict(conn.execute(select(schema.settings.c.key, schema.settings.c.value)).all())


def test_the_store_holds_no_private_key_and_the_desk_file_is_sealed_and_owner_only(store_url):
    site = init_site(SAMPLE_PLAN, url=store_url, chief_pin=TEST_PIN)
    try:
        assert not [k for k, v in _settings(site).items() if "PRIVATE KEY" in v or k == "site_signing_key"]
        path = locations.site_key_path(site.store_id)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        text = path.read_text(encoding="utf-8")
        assert "PRIVATE KEY" not in text and "scrypt" in text
        assert _settings(site)["site_public_key"] in text
    finally:
        site.close()


def test_signing_a_report_needs_the_pin_and_the_desk(seeded_site, tmp_path, monkeypatch):
    out = tmp_path / "S1.xlsx"
    with pytest.raises(ReportRefused, match="wrong PIN"):
        build_report(seeded_site, session_ids=["S1"], out=out, pin="8513")
    with pytest.raises(ReportRefused, match="wrong PIN"):
        build_report(seeded_site, session_ids=["S1"], out=out, pin=None)
    assert not out.exists()
    from examops.services.chief_record import chief_record

    assert chief_record(seeded_site).refused_pins == 2
    monkeypatch.setenv("EXAMOPS_HOME", str(tmp_path / "a-lane-laptop"))  # another laptop: no key file there
    with pytest.raises(ReportRefused, match="kept on the chief's desk"):
        build_report(seeded_site, session_ids=["S1"], out=out, pin=TEST_PIN)
    assert not out.exists()


def test_a_new_pin_reseals_the_same_key(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    site = init_site(SAMPLE_PLAN, url=url, chief_pin=TEST_PIN)
    seed_roster(site, n_rooms=1)
    before = build_report(site, session_ids=["S1"], out=tmp_path / "before.xlsx", pin=TEST_PIN)["fingerprint"]
    site.close()
    site = init_site(SAMPLE_PLAN, url=url, chief_pin=TEST_PIN, new_pin="5820")
    try:
        with pytest.raises(ReportRefused, match="wrong PIN"):
            build_report(site, session_ids=["S1"], out=tmp_path / "old-pin.xlsx", pin=TEST_PIN)
        after = build_report(site, session_ids=["S1"], out=tmp_path / "after.xlsx", pin="5820")["fingerprint"]
    finally:
        site.close()
    assert after == before


def test_an_old_store_loses_its_readable_key_and_the_desk_makes_a_new_one(tmp_path):
    """The old private key sat where every login could read it: it is deleted and kept as retired, never used again."""
    copy = tmp_path / "old.sqlite3"
    shutil.copyfile(OLD_STORE, copy)
    url = f"sqlite:///{copy}"
    site = Site.open(url)
    try:
        settings = _settings(site)
        assert "site_signing_key" not in settings and "site_public_key" not in settings
        [retired] = settings["site_retired_keys"].split()
        with pytest.raises(ReportRefused, match="no report key yet"):
            build_report(site, session_ids=["S1"], out=tmp_path / "r.xlsx", pin=OLD_PIN)
    finally:
        site.close()
    site = init_site(SAMPLE_PLAN, url=url, chief_pin=OLD_PIN)  # at the chief's desk, with the PIN
    try:
        from examops.adapters.signing import fingerprint
        from examops.services.audit import site_report_key

        assert site_report_key(site)["fingerprint"] != fingerprint(retired)
        # Its events were written before devices signed them: nothing tells them from forged ones, so no report
        # is signed over them (the tamper check; `examops verify` names them).
        with pytest.raises(ReportRefused, match="unsigned event"):
            build_report(site, session_ids=["S1"], out=tmp_path / "r.xlsx", pin=OLD_PIN)
    finally:
        site.close()


def test_init_without_the_pin_makes_no_key_on_an_old_store(tmp_path):
    copy = tmp_path / "old.sqlite3"
    shutil.copyfile(OLD_STORE, copy)
    from examops.services.site import SiteError

    with pytest.raises(SiteError, match="wrong PIN"):
        init_site(SAMPLE_PLAN, url=f"sqlite:///{copy}", chief_pin="8513")
    site = Site.open(f"sqlite:///{copy}")
    try:
        assert "site_public_key" not in _settings(site)
    finally:
        site.close()
