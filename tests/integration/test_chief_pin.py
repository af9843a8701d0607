"""The chief's PIN guards what it claims: plan and PIN changes on a live store, overrides, back-off, weak PINs."""

from __future__ import annotations

import pytest

from examops.domain.events import Kind
from examops.services import site as site_module
from examops.services.chief_record import chief_record
from examops.services.site import PinLocked, Site, SiteError, init_site
from tests.conftest import SAMPLE_PLAN, TEST_PIN


def _changed_plan(tmp_path, old: str, new: str):
    text = SAMPLE_PLAN.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "changed_plan.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


LOOSER_APPROVAL = ('levels = ["chief", "deputy", "supervisor"]', 'levels = ["chief"]')
LATER_ENTRY = ("late_entry_minutes = 30", "late_entry_minutes = 240")
OTHER_PRESET = ('preset = "covid-2021"', 'preset = "standard"')


@pytest.mark.parametrize("change", [LOOSER_APPROVAL, LATER_ENTRY, OTHER_PRESET], ids=["approval", "late-entry", "preset"])
def test_init_on_a_live_store_changes_nothing_without_the_current_pin(site, store_url, tmp_path, change):
    before = site.store.get_setting("plan_toml")
    plan = _changed_plan(tmp_path, *change)
    with pytest.raises(SiteError, match="current PIN"):
        init_site(plan, url=store_url)
    with pytest.raises(SiteError, match="wrong PIN"):
        init_site(plan, url=store_url, chief_pin="8513")
    assert site.store.get_setting("plan_toml") == before
    assert chief_record(site).refused_pins == 1


def test_a_plan_change_with_the_pin_is_recorded_old_to_new(site, store_url, tmp_path):
    old = site_module.plan_digest(site.store.get_setting("plan_toml"), site.store.get_setting("policy_toml"))
    changed = init_site(_changed_plan(tmp_path, *LOOSER_APPROVAL), url=store_url, chief_pin=TEST_PIN, by="王总监")
    try:
        assert list(changed.plan.approval_levels) == ["chief"]
        [entry] = chief_record(changed).entries
        assert entry.kind == Kind.PLAN_CHANGED and entry.by == "王总监" and entry.detail.startswith(old[:12])
    finally:
        changed.close()


def test_the_pin_is_replaced_only_with_the_old_one_and_the_change_is_recorded(site, store_url):
    with pytest.raises(SiteError, match="current PIN"):
        init_site(SAMPLE_PLAN, url=store_url, new_pin="5820")
    with pytest.raises(SiteError, match="wrong PIN"):
        init_site(SAMPLE_PLAN, url=store_url, chief_pin="8513", new_pin="5820")
    assert site.check_pin(TEST_PIN)
    changed = init_site(SAMPLE_PLAN, url=store_url, chief_pin=TEST_PIN, new_pin="5820", by="王总监")
    try:
        assert changed.check_pin("5820") and not changed.check_pin(TEST_PIN)
        assert [e.kind for e in chief_record(changed).entries] == [Kind.PIN_CHANGED]
    finally:
        changed.close()


def test_the_same_plan_again_needs_no_pin_and_records_nothing(site, store_url):
    init_site(SAMPLE_PLAN, url=store_url).close()
    assert chief_record(site).entries == []


@pytest.mark.parametrize("weak", ["0000", "1111", "1234", "4321", "9876", "123", "12", "2580"])
def test_trivial_pins_are_refused_at_init(tmp_path, weak):
    with pytest.raises(SiteError, match="PIN"):
        init_site(SAMPLE_PLAN, url=f"sqlite:///{tmp_path / 'new.sqlite3'}", chief_pin=weak)


def test_a_new_pin_must_not_be_trivial_either(site, store_url):
    with pytest.raises(SiteError, match="counts up or down"):
        init_site(SAMPLE_PLAN, url=store_url, chief_pin=TEST_PIN, new_pin="3456")


def test_wrong_pins_back_off_after_five_and_a_new_process_does_not_reset_it(site, store_url, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(site_module, "wall_clock", lambda: now[0])
    for _ in range(5):
        assert not site.check_pin("8513")
    with pytest.raises(PinLocked) as locked:
        site.check_pin(TEST_PIN)
    assert locked.value.wait_seconds > 0
    fresh = Site.open(store_url)
    try:
        with pytest.raises(PinLocked):
            fresh.check_pin(TEST_PIN)
        now[0] += locked.value.wait_seconds
        assert not fresh.check_pin("8513")  # the sixth wrong one: the wait grows
        with pytest.raises(PinLocked) as longer:
            fresh.check_pin(TEST_PIN)
        assert longer.value.wait_seconds > locked.value.wait_seconds
        now[0] += longer.value.wait_seconds
        assert fresh.check_pin(TEST_PIN)
        assert fresh.check_pin(TEST_PIN)  # a right PIN starts the count again
        assert chief_record(fresh).refused_pins == 6
    finally:
        fresh.close()


def test_an_override_needs_the_pin_and_is_recorded_with_its_reason(site):
    with pytest.raises(SiteError, match="wrong PIN"):
        site.grant_override("late bus", "8513")
    assert site.override is None
    site.grant_override("考生因公交延误，经总监考同意补录", TEST_PIN, who="王总监")
    assert site.override == "考生因公交延误，经总监考同意补录"
    [entry] = chief_record(site).entries
    assert (entry.kind, entry.by, entry.detail) == (Kind.OVERRIDE_GRANTED, "王总监", "考生因公交延误，经总监考同意补录")
